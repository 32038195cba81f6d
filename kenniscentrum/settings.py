"""Settings for the Kenniscentrum platform.

Everything that differs between a laptop and production comes from the environment:
DJANGO_SECRET_KEY, DJANGO_DEBUG, DJANGO_ALLOWED_HOSTS, DATABASE_URL and a few HTTPS switches.
Without environment variables the site runs on a local SQLite file with DEBUG off.
"""
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from datetime import timedelta

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Translate a postgres:// URL into a Django DATABASES entry (psycopg 3)."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured("DATABASE_URL moet met postgres:// of postgresql:// beginnen.")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it: after a database restart the first
        # request of every worker reconnects instead of failing on the dead connection.
        "CONN_HEALTH_CHECKS": True,
    }


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # A fresh random key per process: sessions do not survive a restart, which is fine locally.
        from django.core.management.utils import get_random_secret_key

        SECRET_KEY = get_random_secret_key()
    else:
        raise ImproperlyConfigured("Zet DJANGO_SECRET_KEY (verplicht wanneer DJANGO_DEBUG uit staat).")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kenniscentrum.apps.KenniscentrumConfig",
    "programmes",
    "reports",
]

# The apps whose models are the site's content: their history is shown in the back-office
# (programmes/history.py) and a change to any of them renews every public page (kenniscentrum/pagecache.py).
CONTENT_APPS = ("programmes", "reports")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, auth and CSRF: a cache hit for an anonymous visitor skips all of them.
    "kenniscentrum.pagecache.PageCacheMiddleware",
    # A page that needs the database while it is away answers a short 503 page (cache hits never get here).
    "kenniscentrum.outages.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account+address before a password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "kenniscentrum.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kenniscentrum.context_processors.site_links",
            ],
        },
    },
]

WSGI_APPLICATION = "kenniscentrum.wsgi.application"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(os.environ.get("DJANGO_SQLITE_PATH", BASE_DIR / "db.sqlite3")),
            # Writers queue instead of failing with "database is locked": every transaction takes the
            # write lock when it starts (BEGIN IMMEDIATE), and waits up to 20 s for another to finish.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            # Tests run on a file (not the shared in-memory database) so that concurrent saves from
            # several threads behave as they do in production.
            "TEST": {"NAME": os.environ.get("DJANGO_SQLITE_TEST_PATH") or str(BASE_DIR / "var" / "test.sqlite3")},
        }
    }

# Shared cache: Redis when REDIS_URL is set (needed as soon as more than one machine serves the site,
# so that all of them see one content version). Otherwise files under DJANGO_CACHE_DIR: zero setup
# like local memory, but shared by the worker processes of one machine. Process-local memory would
# let an edit saved through one gunicorn worker leave the other workers serving the old page.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "kc"),
            # Fail fast when Redis is away: the page cache then renders pages as if the cache were empty.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": Path(os.environ.get("DJANGO_CACHE_DIR", BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# ETags from the content version, 304 without rendering, and the headers that let nginx keep anonymous
# pages (kenniscentrum/pagecache.py, deploy/nginx.conf).
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", True)
# Rendered PDFs; every instance must point at the same directory (shared volume).
PDF_CACHE_DIR = os.environ.get("DJANGO_PDF_CACHE_DIR") or None

# Background tasks (django-tasks): publishing an edition queues its PDF (reports/tasks.py). "database"
# keeps the queue in the database for `manage.py db_worker`; "immediate" runs a task in the process that
# queues it, right after the commit (make demo: no worker to start).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("DJANGO_TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"DJANGO_TASKS_BACKEND moet een van {', '.join(_TASK_BACKENDS)} zijn.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", "Nederlands")]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # years must read 2024, not 2.024; amounts use the euro filter
FORMAT_MODULE_PATH = ["kenniscentrum.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("DJANGO_MANIFEST_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"
# Only the editorial team has sessions: one ends after a working day without a request (9 hours by
# default), counted from the last request, not from the login.
SESSION_COOKIE_AGE = int(float(os.environ.get("DJANGO_SESSION_IDLE_HOURS", "9")) * 3600)
SESSION_SAVE_EVERY_REQUEST = True

# The licence of the open data: a Flemish model licence or CC0, by its URI.
OPEN_DATA_LICENCE = os.environ.get(
    "DJANGO_OPEN_DATA_LICENCE", "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0"
)
# Where visitors report an accessibility problem or ask about the data: an e-mail address. Empty: the
# statement and the catalogue give the postal address and the website of the Kenniscentrum.
CONTACT_EMAIL = os.environ.get("DJANGO_CONTACT_EMAIL", "").strip()
# The Kenniscentrum's company number (KBO, ten digits) as the publisher's identifier; empty until it is
# known: the publisher is then identified by its URI on this site. Never guessed.
PUBLISHER_KBO = "".join(ch for ch in os.environ.get("DJANGO_PUBLISHER_KBO", "") if ch.isdigit())
if PUBLISHER_KBO and len(PUBLISHER_KBO) != 10:
    raise ImproperlyConfigured("DJANGO_PUBLISHER_KBO moet een ondernemingsnummer van 10 cijfers zijn.")

# HTTPS hardening: on by default when DEBUG is off; DJANGO_SECURE_SSL_REDIRECT=0 behind a proxy that already redirects.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading is hard to undo for a whole domain: only on request.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Not preloading is a decision, not an oversight: check --deploy need not warn about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the site append to X-Forwarded-For (the client address is the one
# the outermost trusted proxy saw).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1"))

# Login throttling (django-axes): after 5 wrong passwords for one account from one address, that
# pair is locked out for 15 minutes; after 20 from one address, whatever the account names, that
# address is (kenniscentrum.security.LoginThrottle). Every failure is logged and kept as an access attempt.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_HANDLER = "kenniscentrum.security.LoginThrottle"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "kenniscentrum.security.client_ip"

# Content-Security-Policy (django-csp 4): scripts only from this site, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Inline style attributes (admin widgets, simple-history) are harmless without inline scripts.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# The site's own address, for links in e-mail (reminders, review links), which have no request to go by.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")
if urlparse(SITE_URL).scheme not in {"http", "https"}:
    raise ImproperlyConfigured("DJANGO_SITE_URL moet met https:// (of http://) beginnen.")
# The stable identifiers of the linked data in the pages and of the open-data catalogue (DCAT-AP
# Vlaanderen) are built on the same address once it is configured, whatever host a request came in on;
# until then on the address of each request (kenniscentrum.site.origin), never on the e-mail default.
IDENTIFIER_BASE_URL = SITE_URL.strip().rstrip("/") if os.environ.get("DJANGO_SITE_URL") else ""

# E-mail (the round's reminders and review links). Without DJANGO_EMAIL_HOST mail is written to the
# console, so `make demo` needs no mail server.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_EMAIL_FROM", "Kenniscentrum Vlaamse Steden <redactie@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The yearly round: a late text goes to the Eindredacteurs this many days after its due date; status
# changes older than ROUND_EVENT_DAYS no longer send a message; review links are rate-limited.
ROUND_ESCALATE_AFTER_DAYS = int(os.environ.get("DJANGO_ROUND_ESCALATE_DAYS", "3"))
ROUND_EVENT_DAYS = int(os.environ.get("DJANGO_ROUND_EVENT_DAYS", "7"))
REVIEW_LINK_DAYS = int(os.environ.get("DJANGO_REVIEW_LINK_DAYS", "14"))
REVIEW_LINK_REQUESTS_PER_MINUTE = int(os.environ.get("DJANGO_REVIEW_LINK_RATE", "60"))
REVIEW_LINK_COMMENTS_PER_HOUR = int(os.environ.get("DJANGO_REVIEW_LINK_COMMENTS_PER_HOUR", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Failed and locked-out logins are worth an operator's attention.
    "loggers": {
        "axes": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes.apps": {"level": "WARNING"},  # not the start-up banner on every command
    },
}
