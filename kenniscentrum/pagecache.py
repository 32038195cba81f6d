"""Whole-page cache for anonymous visitors, invalidated exactly by a content version.

Every cached page is stored with the *content version* it was rendered under, a value kept in the
shared cache, and is served only while that is still the current version. Any committed write to a
model of the `programmes` or `reports` app (admin save or delete, m2m change, the publish/unpublish/
republish services, history revert and restore, load_demo) replaces that version, so the very next
request misses the cache and renders from the database; the fresh page overwrites the old entry.

The version is replaced in `transaction.on_commit`, never before: a request that renders while the
write is still uncommitted reads the old data but stores it with the old version, which no longer
matches once the commit bumps it. The version is a timestamp, not a counter, so a version key
lost to eviction or a cache restart can never come back as an old value and revive stale pages.

What is never stored: requests with a session cookie or an Authorization header (anyone logged in),
anything but GET (HEAD is answered from a stored GET), the admin, responses that set a cookie or
hold a CSRF token, that say `private`, `no-store` or `no-cache` (drafts and previews do), that are
not 200 or that stream.
"""
import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

logger = logging.getLogger(__name__)

CONTENT_APPS = frozenset({"programmes", "reports"})
VERSION_KEY = "pagecache:version"
PAGE_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600"
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
# Vary values the key already covers: Cookie (cookie-less requests only) and the one site language.
HARMLESS_VARY = {"cookie", "accept-language", "accept-encoding"}


# --- content version --------------------------------------------------------------------------------

def _new_version() -> str:
    return f"{time.time_ns():x}"


def content_version() -> str:
    """The current content version, created when the cache has none (first request, eviction, restart)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)  # add: two instances racing agree on one value
        version = cache.get(VERSION_KEY) or _new_version()
    return version


def version_time(version: str) -> float:
    """Seconds since the epoch at which this version was made: the Last-Modified of its pages."""
    try:
        return int(version, 16) / 1e9
    except ValueError:
        return time.time()


def content_changed() -> None:
    """Make every cached page unreachable; called after a content write has been committed."""
    cache.set(VERSION_KEY, _new_version(), timeout=None)


def _content_written(sender, using=None, **kwargs):
    if kwargs.get("action", "post_").startswith("post_") and sender._meta.app_label in CONTENT_APPS:
        # robust: the data is committed by now; a cache outage must not turn the save into an error page.
        transaction.on_commit(content_changed, using=using, robust=True)


def connect_signals() -> None:
    """One generic receiver for every content model (cache infrastructure, not domain logic)."""
    post_save.connect(_content_written, dispatch_uid="pagecache-save")
    post_delete.connect(_content_written, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_content_written, dispatch_uid="pagecache-m2m")


# --- the middleware ---------------------------------------------------------------------------------

def page_key(request) -> str:
    # The date is part of the key: home and calendar split meetings into upcoming and past by today.
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:40]
    return f"pagecache:page:{timezone.localdate().isoformat()}:{address}"


class LocalPages:
    """This process's copies of pages from the shared cache, keyed by page *and* content version.

    A hit in the shared cache costs a read, a decompression (file cache) or a transfer (Redis) of the
    whole body; most of the time a busy page is asked again within seconds by the same process. The
    content version is still read from the shared cache on every request, and a copy is only used when
    it was stored under that very version, so an edit made through any instance is seen by all of
    them on the next request, exactly as without this tier. Bounded in bytes, least recently used out.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, dict] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, version: str) -> dict | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry["version"] != version:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        size = len(entry["content"])
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._entries.pop(key)["content"])


local_pages = LocalPages(max_bytes=settings.PAGE_CACHE_LOCAL_BYTES)


def cached_page(request) -> tuple[str, str, dict | None]:
    """(version, key, entry or None): the entry only if it was stored under the current version.

    The version always comes from the shared cache; the page from this process's copy when it holds
    one of that version, else from the shared cache (an entry of an older version is a miss and is
    overwritten by the fresh render).
    """
    key = page_key(request)
    version = content_version()
    entry = local_pages.get(key, version)
    if entry is None:
        entry = cache.get(key)
        if entry is not None and entry.get("version") != version:
            entry = None
        if entry is not None:
            local_pages.put(key, entry)
    return version, key, entry


@functools.lru_cache(maxsize=8)
def _admin_prefix_for(urlconf) -> str:
    try:
        return reverse("admin:index", urlconf=urlconf)
    except NoReverseMatch:  # a URLconf without the admin (tests): keep the default path out anyway
        return "/admin/"


def _admin_prefix() -> str:
    return _admin_prefix_for(get_urlconf() or settings.ROOT_URLCONF)


def _cache_control_allows_storing(response) -> bool:
    value = response.get("Cache-Control", "").lower()
    return not any(directive in value for directive in UNCACHEABLE_DIRECTIVES)


class PageCacheMiddleware:
    """Serves anonymous GET/HEAD requests from the shared cache; placed before the session middleware
    so a hit costs one small read of the content version from the shared cache plus this process's copy of
    the page (or one more read from the shared cache) and nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (getattr(settings, "PAGE_CACHE_ENABLED", True) and self._request_is_anonymous_read(request)):
            response = self.get_response(request)
            if self._has_credentials(request) and "Cache-Control" not in response:
                # A signed-in user's page must never land in a shared cache (CDN, proxy) either.
                patch_cache_control(response, private=True)
            return response
        try:
            version, key, entry = cached_page(request)
        except Exception:  # the cache is an accelerator: when it is down, render as if it were empty
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        if entry is not None:
            response = self._response_from(entry)
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(
                request, etag=response["ETag"], last_modified=entry["last_modified"], response=response
            )
        response = self.get_response(request)
        if request.method != "GET" or not self._response_is_storable(request, response):
            return response
        last_modified = int(version_time(version))
        if not response.has_header("ETag"):
            response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response["Last-Modified"] = http_date(last_modified)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = PAGE_CACHE_CONTROL
        patch_vary_headers(response, ("Cookie",))
        entry = {
            "version": version,
            "status": response.status_code,
            "content": response.content,
            "headers": [(name, value) for name, value in response.items() if name.lower() != "x-page-cache"],
            "last_modified": last_modified,
        }
        try:
            cache.set(key, entry, getattr(settings, "PAGE_CACHE_TIMEOUT", 3600))
            local_pages.put(key, entry)
        except Exception:
            logger.exception("Page cache unavailable")
        response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=response["ETag"], last_modified=last_modified, response=response)

    @staticmethod
    def _has_credentials(request) -> bool:
        return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META

    def _request_is_anonymous_read(self, request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not self._has_credentials(request)
            and not request.path.startswith(_admin_prefix())
            and not request.path.startswith(settings.MEDIA_URL)
        )

    @staticmethod
    def _response_is_storable(request, response) -> bool:
        user = getattr(request, "user", None)
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # A page with a CSRF token carries the visitor's own secret: never hand it to others. The CSRF
            # middleware normally (re)sets the cookie then, which the check above catches; this flag
            # catches the token even where that middleware did not get to set it.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (user is not None and user.is_authenticated)
            and _cache_control_allows_storing(response)
            and vary <= HARMLESS_VARY
        )

    @staticmethod
    def _response_from(entry) -> HttpResponse:
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        return response
