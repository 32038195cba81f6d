"""A pytest plugin, loaded before Django's settings (`-p tests.workers` in pyproject.toml): when the suite
runs on several cores (pytest-xdist, `make test` does), each worker gets its own file cache, PDF cache
and media directory, so that one worker clearing its cache or rendering a PDF never touches another's.
Test databases are kept apart by pytest-django itself (test_kc_gw0, var/test.sqlite3_gw0, ...).

Set here, in the environment, rather than in the settings fixture: commands the tests start in a
subprocess (tests/kenniscentrum/test_pagecache.py) must find the same directories.

It also makes the folder of the SQLite test database (`var/`, not in git): SQLite creates the file
but not its folder, so a fresh clone would otherwise fail with "unable to open database file".
"""
import os
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORKER = os.environ.get("PYTEST_XDIST_WORKER")

Path(os.environ.get("DJANGO_SQLITE_TEST_PATH") or BASE_DIR / "var" / "test.sqlite3").parent.mkdir(parents=True, exist_ok=True)

# One id for a whole run, set in the main process before the workers start (they inherit it): the
# accessibility checks file what they find under it (tests/accessibility_results.py).
os.environ.setdefault("KC_TEST_RUN", time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}")

if WORKER:
    root = BASE_DIR / "var" / "workers" / WORKER
    for variable, name in (("DJANGO_CACHE_DIR", "cache"), ("DJANGO_PDF_CACHE_DIR", "pdf-cache"), ("DJANGO_MEDIA_ROOT", "media")):
        os.environ[variable] = str(root / name)
