"""One-file backups of the whole site, readable by `manage.py restore` on SQLite and PostgreSQL alike.

An archive is a zip file:

    manifest.json   format and its version, app version, time, database engine, the applied migrations
                    per app, the number of rows per model and the SHA-256 of every other member
    data.json       every row of every backed-up model in Django's serialization format (dumpdata),
                    references to content types and permissions by natural key, so that the ids of
                    the database it is restored into do not matter
    media/…         every file under MEDIA_ROOT (uploaded edition images)

Backed up: all content and its history (django-simple-history), users, roles (groups) and their
permissions, the admin log. Not: what the database makes itself (content types, permissions),
what is derived (the search index, rebuilt after a restore), sessions and login attempts.
The write side (`archive_restore`) lives in kenniscentrum/services.py.
"""
import datetime
import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "kenniscentrum-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA_PREFIX = "media/"
EXCLUDED_APPS = frozenset({"contenttypes", "sessions", "axes"})
EXCLUDED_MODELS = frozenset({"auth.permission", "programmes.searchentry"})
CHUNK = 1 << 20


class ArchiveError(Exception):
    """An archive that cannot be restored here; the message is for the operator, in Dutch."""


def backed_up_models() -> list:
    """The models whose rows an archive holds, in an order in which they can be loaded."""
    app_list = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in EXCLUDED_APPS or meta.label_lower in EXCLUDED_MODELS or meta.proxy or not meta.managed:
            continue
        app_list.setdefault(apps.get_app_config(meta.app_label), []).append(model)
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def migration_state(connection=None) -> dict[str, list[str]]:
    """The applied migrations of the apps an archive holds, per app, sorted."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    labels = {model._meta.app_label for model in backed_up_models()}
    applied = MigrationRecorder(connection).applied_migrations()
    return {label: sorted(name for app, name in applied if app == label) for label in sorted(labels)}


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in backed_up_models()}


def app_version() -> str:
    try:
        return metadata.version("kenniscentrum")
    except metadata.PackageNotFoundError:
        return "onbekend"


def _rows(models):
    for model in models:
        yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        (MEDIA_PREFIX + path.relative_to(root).as_posix(), path) for path in root.rglob("*") if path.is_file()
    )


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def backup_write(path: Path) -> dict:
    """Write the archive of the whole site to `path` (written beside it, then renamed: never half a file).

    The rows are read in one transaction, so they agree with each other even while editors save
    (PostgreSQL: a repeatable-read snapshot; SQLite: writers wait until the read is done).
    """
    path = Path(path)
    connection = connections[DEFAULT_DB_ALIAS]
    models = backed_up_models()
    files = {}
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp_name, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            outermost = not connection.in_atomic_block
            with transaction.atomic():
                if outermost and connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                counts = row_counts()
                migrations = migration_state(connection)
                with tempfile.TemporaryFile() as data:
                    text = io.TextIOWrapper(data, encoding="utf-8")
                    serializers.serialize("json", _rows(models), stream=text, use_natural_foreign_keys=True)
                    text.flush()
                    data.seek(0)
                    files[DATA] = _write_member(archive, DATA, data)
                    text.detach()
            for member, source in _media_files():
                with open(source, "rb") as handle:
                    files[member] = _write_member(archive, member, handle)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": app_version(),
                "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "database": connection.vendor,
                "migrations": migrations,
                "counts": counts,
                "files": files,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return manifest


def _write_member(archive: zipfile.ZipFile, name: str, source) -> str:
    digest = hashlib.sha256()
    with archive.open(name, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
    return digest.hexdigest()


@dataclass
class Archive:
    """A verified archive: every member present and intact, made by a site with these migrations."""

    path: Path
    manifest: dict

    @property
    def media(self) -> list[str]:
        return [name for name in self.manifest["files"] if name.startswith(MEDIA_PREFIX)]

    def open(self, name: str):
        return zipfile.ZipFile(self.path).open(name)


def archive_read(path: Path) -> Archive:
    """Check an archive completely before anything is restored from it; ArchiveError (Dutch) when it is
    not a backup of this site, damaged, or made by another version of the database structure."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(f"Het bestand {path} bestaat niet.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"{path} is geen back-up van het Kenniscentrum (geen geldig zip-bestand: {error}).") from None
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except KeyError:
            raise ArchiveError(f"{path} is geen back-up van het Kenniscentrum ({MANIFEST} ontbreekt).") from None
        except (ValueError, zipfile.BadZipFile, OSError) as error:
            raise ArchiveError(f"De inhoudsopgave ({MANIFEST}) van {path} is beschadigd: {error}.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError(f"{path} is geen back-up van het Kenniscentrum.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ArchiveError(
                f"{path} heeft archiefformaat {manifest.get('format_version')}; deze versie van de site leest "
                f"formaat {FORMAT_VERSION}. Zet terug met de versie die het archief maakte."
            )
        files = manifest.get("files") or {}
        members = {info.filename for info in archive.infolist() if not info.is_dir()} - {MANIFEST}
        if DATA not in files or members != set(files):
            missing, extra = sorted(set(files) - members), sorted(members - set(files))
            raise ArchiveError(f"{path} is onvolledig of aangepast (ontbreekt: {missing or '-'}; onbekend: {extra or '-'}).")
        for name, expected in files.items():
            if name != DATA and not _safe_media_name(name):
                raise ArchiveError(f"{path} bevat een ongeldige bestandsnaam: {name}.")
            digest = hashlib.sha256()
            try:
                with archive.open(name) as member:
                    while chunk := member.read(CHUNK):
                        digest.update(chunk)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise ArchiveError(f"{path} is beschadigd ({name}: {error}).") from None
            if digest.hexdigest() != expected:
                raise ArchiveError(f"{path} is beschadigd: {name} klopt niet met de controlesom.")
    here = migration_state()
    theirs = manifest.get("migrations") or {}
    if theirs != here:
        differing = sorted(label for label in set(here) | set(theirs) if here.get(label) != theirs.get(label))
        raise ArchiveError(
            f"De databasestructuur van het archief (versie {manifest.get('app_version')}) verschilt van deze "
            f"database in: {', '.join(differing)}. Zet terug met dezelfde versie van de site en voer daarna "
            "`manage.py migrate` uit, of migreer deze database eerst naar dezelfde stand."
        )
    return Archive(path=path, manifest=manifest)


def _safe_media_name(name: str) -> bool:
    relative = PurePosixPath(name[len(MEDIA_PREFIX):]) if name.startswith(MEDIA_PREFIX) else None
    return bool(relative and relative.parts and not relative.is_absolute() and ".." not in relative.parts)


def data_stream(archive: Archive) -> io.TextIOBase:
    return io.TextIOWrapper(archive.open(DATA), encoding="utf-8")
