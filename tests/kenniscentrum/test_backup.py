"""Backup and restore (`manage.py backup` / `manage.py restore`; kenniscentrum/backup.py and services.py).

On SQLite these check SQLite → SQLite, on PostgreSQL (DATABASE_URL, the second pass of CI) PostgreSQL →
PostgreSQL and also SQLite → PostgreSQL, with an archive made from a temporary SQLite database by a
subprocess."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client, override_settings

from kenniscentrum.backup import MANIFEST, row_counts
from kenniscentrum.services import database_content
from programmes.search import index as searchindex
from reports.demo import load_demo
from reports.models import Edition

ROOT = Path(__file__).resolve().parents[2]
LIST_PAGES = ["/", "/edities/", "/programmas/", "/werksporen/", "/werkgroepen/", "/steden/", "/kalender/", "/financien/"]
# What the suite's autouse fixtures set for every test; a module fixture and a subprocess set it themselves.
PAGE_SETTINGS = {
    "SECURE_SSL_REDIRECT": False, "PAGE_CACHE_ENABLED": False,
    "STORAGES": {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
}

pytestmark = pytest.mark.django_db


def public_pages() -> dict[str, list]:
    """Status and body of the list pages and the page of every edition (drafts: their 404), for a visitor."""
    client = Client()
    urls = LIST_PAGES + [edition.get_absolute_url() for edition in Edition.objects.order_by("kind", "year")]
    return {url: [response.status_code, response.content.decode()] for url in urls for response in [client.get(url)]}


@pytest.fixture(scope="module")
def demo_archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """An archive of the demo content, its pages and row counts; the demo itself is rolled back."""
    path = tmp_path_factory.mktemp("backup") / "kenniscentrum.zip"
    with django_db_blocker.unblock(), override_settings(**PAGE_SETTINGS), transaction.atomic():
        load_demo()
        searchindex.flush()
        pages, counts = public_pages(), row_counts()
        call_command("backup", str(path))
        transaction.set_rollback(True)
    return path, pages, counts


def test_restore_into_an_empty_database_gives_identical_pages_and_row_counts(demo_archive):
    path, pages, counts = demo_archive
    assert database_content() == []

    call_command("restore", str(path))

    assert row_counts() == counts
    assert public_pages() == pages


def test_restore_refuses_a_database_with_content_unless_told_to_replace_it(demo_archive, django_user_model):
    path, pages, counts = demo_archive
    django_user_model.objects.create_user(username="blijft", password="x" * 20)

    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(path))
    assert django_user_model.objects.filter(username="blijft").exists()

    call_command("restore", str(path), replace=True)
    assert not django_user_model.objects.filter(username="blijft").exists()
    assert row_counts() == counts


def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the archive with `change(name, data) -> data` applied to every member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return target


def _manifest_with(**changes):
    def change(name, data):
        return json.dumps({**json.loads(data), **changes}).encode() if name == MANIFEST else data
    return change


@pytest.mark.parametrize("damage, message", [
    (lambda path, tmp: tmp.joinpath("half.zip").write_bytes(path.read_bytes()[:5000]) and tmp / "half.zip", "geen back-up"),
    (lambda path, tmp: tmp.joinpath("other.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18) and tmp / "other.zip", "manifest.json ontbreekt"),
    (lambda path, tmp: _rewrite(path, tmp / "edited.zip", lambda n, d: d.replace(b"Gent", b"Gant") if n == "data.json" else d), "controlesom"),
    (lambda path, tmp: _rewrite(path, tmp / "foreign.zip", _manifest_with(format="iets-anders")), "geen back-up"),
    (lambda path, tmp: _rewrite(path, tmp / "older.zip", _manifest_with(migrations={"programmes": ["0001_initial"]})), "databasestructuur"),
], ids=["truncated", "not-a-backup", "edited", "foreign", "other-migrations"])
def test_a_damaged_or_foreign_archive_is_refused_in_dutch_and_changes_nothing(demo_archive, tmp_path, damage, message):
    path, _pages, _counts = demo_archive

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(damage(path, tmp_path)))

    assert database_content() == []


def test_uploaded_media_come_back_with_the_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "edities").mkdir(parents=True)
    (tmp_path / "media" / "edities" / "cover.jpg").write_bytes(b"\xff\xd8 beeld")
    call_command("backup", str(tmp_path / "kc.zip"))

    settings.MEDIA_ROOT = tmp_path / "elders"
    call_command("restore", str(tmp_path / "kc.zip"))

    assert (tmp_path / "elders" / "edities" / "cover.jpg").read_bytes() == b"\xff\xd8 beeld"


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="SQLite → PostgreSQL needs the PostgreSQL pass (DATABASE_URL)")
def test_an_sqlite_site_moves_to_postgresql_with_identical_pages_and_row_counts(tmp_path):
    assert connection.vendor == "postgresql"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SQLITE_PATH=str(tmp_path / "site.sqlite3"), DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_CACHE_DIR=str(tmp_path / "cache"), DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_PAGE_CACHE="0", DJANGO_MANIFEST_STATIC="0",
    )

    def manage(*args) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout

    manage("migrate", "--noinput", "-v0")
    manage("load_demo")
    manage("backup", str(tmp_path / "site.zip"))
    sqlite_pages = json.loads(manage("shell", "-v", "0", "-c", "import json; from tests.kenniscentrum.test_backup import public_pages; print(json.dumps(public_pages()))"))
    sqlite_counts = json.loads(manage("shell", "-v", "0", "-c", "import json; from kenniscentrum.backup import row_counts; print(json.dumps(row_counts()))"))

    call_command("restore", str(tmp_path / "site.zip"))

    assert row_counts() == sqlite_counts
    assert public_pages() == sqlite_pages
