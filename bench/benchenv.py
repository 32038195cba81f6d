"""The throwaway Django every bench script runs in: its own temporary directory for the SQLite
database, the PDF cache and the page cache, never the developer's data, and no Redis.

    WORKDIR = benchenv.setup("kc-bench-pages-", **benchenv.PRODUCTION_LIKE)
"""
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# DEBUG off as in production, without the HTTPS redirect and hashed static names a test client lacks,
# and without the page cache, so every request renders.
PRODUCTION_LIKE = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_MANIFEST_STATIC": "0",
    "DJANGO_PAGE_CACHE": "0",
    "DJANGO_ALLOWED_HOSTS": "testserver",
}


def setup(prefix: str, redis_url: str = "", **env: str) -> Path:
    """Point Django at a new temporary directory, apply `env` on top, and call django.setup().

    The cache is files in that directory, or the Redis at `redis_url` when one is given."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    sys.path.insert(0, str(ROOT))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "kenniscentrum.settings",
        "DJANGO_SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "DJANGO_PDF_CACHE_DIR": str(workdir / "pdf-cache"),
        "DJANGO_CACHE_DIR": str(workdir / "page-cache"),
        **env,
    })
    os.environ.pop("REDIS_URL", None)
    if redis_url:
        os.environ["REDIS_URL"] = redis_url

    import django

    django.setup()
    return workdir
