"""Writes across the whole site that belong to no single app: restoring a backup archive."""
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from programmes.search import index as searchindex
from programmes.models import MeetingKind

from .backup import MEDIA_PREFIX, ArchiveError, archive_read, backed_up_models, data_stream, row_counts
from .pagecache import content_changed

# Rows the migrations themselves create (the editorial roles, the kinds of activity): present in every
# freshly migrated database.
MADE_BY_MIGRATIONS = (Group, MeetingKind)


def database_content() -> list[str]:
    """The models that already hold rows of their own (empty list: a freshly migrated database)."""
    return [
        model._meta.label for model in backed_up_models()
        if model not in MADE_BY_MIGRATIONS and model._base_manager.exists()
    ]


def archive_restore(*, path: Path, replace: bool = False) -> dict:
    """Load a backup archive into this database and MEDIA_ROOT; return its manifest.

    The archive is checked completely first (`archive_read`). Then, in one transaction: refuse a
    database that holds content unless `replace`, empty the tables the archive fills (and the sessions:
    an old session must not log in as whoever has that user id now), load every row, check the row
    counts against the manifest and write the media files. Any failure rolls all of it back. After the
    commit the page cache is invalidated and the search index rebuilt.
    """
    archive = archive_read(path)
    connection = connections[DEFAULT_DB_ALIAS]
    models = backed_up_models()
    with transaction.atomic():
        occupied = database_content()
        if occupied and not replace:
            raise ArchiveError(
                f"De database bevat al gegevens ({', '.join(occupied[:5])}{' …' if len(occupied) > 5 else ''}). "
                "Zet terug in een lege, gemigreerde database, of gebruik --replace om alles te vervangen."
            )
        _empty(connection, models)
        _load(connection, archive, models)
        counts, expected = row_counts(), archive.manifest["counts"]
        wrong = sorted(label for label in expected if counts.get(label) != expected[label])
        if wrong:
            raise ArchiveError(f"Na het terugzetten klopt het aantal rijen niet voor: {', '.join(wrong)}. Er is niets gewijzigd.")
        _write_media(archive)
    searchindex.rebuild()
    content_changed()  # after the index: no search page may be rendered from the old one under the new version
    return archive.manifest


def _empty(connection, models) -> None:
    tables = {Session._meta.db_table}
    for model in models:
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.add(field.remote_field.through._meta.db_table)
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), sorted(tables), reset_sequences=True))


def _load(connection, archive, models) -> None:
    """What `loaddata` does, from the archive's stream: rows saved raw (no new history, no derived fields),
    forward references filled in afterwards, constraints checked once at the end, sequences reset."""
    with connection.constraint_checks_disabled():
        deferred = []
        with data_stream(archive) as stream:
            for row in serializers.deserialize("json", stream, handle_forward_references=True):
                # The archive holds the history as it was: setting a many-to-many field while loading
                # must not add a history record of its own (simple-history skips raw saves, not m2m).
                row.object.skip_history_when_saving = True
                row.save()
                if row.deferred_fields:
                    deferred.append(row)
        for row in deferred:
            row.save_deferred_fields()
    connection.check_constraints(table_names=[model._meta.db_table for model in models])
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _write_media(archive) -> None:
    root = Path(settings.MEDIA_ROOT)
    for name in archive.media:
        target = root / name[len(MEDIA_PREFIX):]
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(name) as source, open(target, "wb") as handle:
            shutil.copyfileobj(source, handle)
