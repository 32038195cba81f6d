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
import os
import re
import select
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from . import outages

logger = logging.getLogger(__name__)

CONTENT_APPS = frozenset({"programmes", "reports"})
VERSION_KEY = "pagecache:version"
CHANGED_CHANNEL = "pagecache:version-changed"
PAGE_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600"
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
# Vary values the key already covers: Cookie (cookie-less requests only) and the one site language.
HARMLESS_VARY = {"cookie", "accept-language", "accept-encoding"}
# Stored pages of these types also keep a gzip copy, made once when stored: a hit then costs no
# compression, and a 80 KB jaarplan travels as 15 KB. No secret ever sits in a stored page (no CSRF
# token, no session), so compressing it gives a BREACH-style attack nothing to guess.
COMPRESSIBLE = re.compile(r"^(text/|application/(json|xml|atom\+xml|rss\+xml|javascript)|image/svg\+xml)")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


# --- content version --------------------------------------------------------------------------------

def _new_version() -> str:
    return f"{time.time_ns():x}"


def _read_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)  # add: two instances racing agree on one value
        version = cache.get(VERSION_KEY) or _new_version()
    return version


class VersionWatch:
    """This process's copy of the content version, kept current by the shared cache's publish/subscribe.

    Reading the version from Redis on every request costs a network round trip per page served. With a
    cache that can publish (`kenniscentrum.cache.RedisCache`), each process subscribes once to the
    channel on which `content_changed()` announces every new version, and per request only polls that
    subscription's socket, which costs no round trip. It reads the version from the cache again when an
    announcement (or a reconnection) has arrived, when it has none, and at least every REVALIDATE
    seconds as a safety net against a connection that died silently.

    Redis hands a published message to every subscriber's connection before it answers the publisher,
    so by the time an editor's save has returned, every process of every instance has the announcement
    waiting on its socket and serves the new content on its next request, as when it read the version
    every time (tests/test_redis.py).
    """

    REVALIDATE = 2.0

    def __init__(self):
        self._lock = threading.Lock()
        self._subscription = None
        self._version = None
        self._read_at = 0.0

    def current(self) -> str:
        with self._lock:
            try:
                announced = self._poll()
            except Exception:
                self._drop()
                raise
            now = time.monotonic()
            if announced or self._version is None or now - self._read_at > self.REVALIDATE:
                self._version = _read_version()
                self._read_at = now
            return self._version

    def forget(self) -> None:
        self._version = None

    def _poll(self) -> bool:
        """Whether anything arrived since the last poll; (re)subscribes when needed."""
        identity = (os.getpid(), cache.make_key(CHANGED_CHANNEL), repr(cache._servers))
        if self._subscription is None or self._subscription.identity != identity:
            self._drop()
            self._subscription = cache.pubsub(CHANGED_CHANNEL)
            self._subscription.identity = identity
            return True
        # Nothing has arrived while the subscription's socket has nothing to read: one select() call,
        # much cheaper than asking redis-py (every earlier poll read out whatever redis-py had buffered).
        sock = getattr(self._subscription.connection, "_sock", None)
        if sock is not None and not select.select([sock], [], [], 0)[0]:
            return False
        arrived = False
        # Any message counts: an announcement, or the confirmation of a resubscription after redis-py
        # reconnected on its own (announcements may have been missed meanwhile).
        while self._subscription.get_message(timeout=0) is not None:
            arrived = True
        return arrived

    def _drop(self) -> None:
        subscription, self._subscription, self._version = self._subscription, None, None
        if subscription is not None and getattr(subscription, "identity", (None,))[0] == os.getpid():
            try:
                subscription.close()
            except Exception:
                logger.debug("Closing the version subscription failed", exc_info=True)


version_watch = VersionWatch()


def content_version() -> str:
    """The current content version, created when the cache has none (first request, eviction, restart)."""
    if hasattr(cache, "pubsub"):
        return version_watch.current()
    return _read_version()


def version_time(version: str) -> float:
    """Seconds since the epoch at which this version was made: the Last-Modified of its pages."""
    try:
        return int(version, 16) / 1e9
    except ValueError:
        return time.time()


def content_changed() -> None:
    """Make every cached page unreachable; called after a content write has been committed."""
    version = _new_version()
    version_watch.forget()
    cache.set(VERSION_KEY, version, timeout=None)
    if hasattr(cache, "publish"):
        cache.publish(CHANGED_CHANNEL, version)


def _shows_on_public_pages(sender) -> bool:
    """Whether a write to this model can change a public page.

    Models that no page shows (the round's assignments, comments, review links and mail log) say
    so with `not_on_public_pages = True`; their history and many-to-many tables follow them.
    """
    model = getattr(sender, "instance_type", None) or sender._meta.auto_created or sender
    return model._meta.app_label in CONTENT_APPS and not getattr(model, "not_on_public_pages", False)


def _content_changed_after_commit() -> None:
    """content_changed() for on_commit: the data is committed by now, so a cache outage must not turn the
    save into an error page. It is logged, since the cached pages could not be told."""
    try:
        content_changed()
    except Exception as error:
        outages.shared_cache.failed(error)
        logger.warning(
            "Content saved while the shared cache was unavailable: once it is back, run "
            "`manage.py clear_page_cache` if it kept its data (its pages may be from before this save)"
        )


def _content_written(sender, using=None, **kwargs):
    if kwargs.get("action", "post_").startswith("post_") and _shows_on_public_pages(sender):
        transaction.on_commit(_content_changed_after_commit, using=using)


def connect_signals() -> None:
    """One generic receiver for every content model (cache infrastructure, not domain logic)."""
    post_save.connect(_content_written, dispatch_uid="pagecache-save")
    post_delete.connect(_content_written, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_content_written, dispatch_uid="pagecache-m2m")


# --- the middleware ---------------------------------------------------------------------------------

_today = {"until": 0.0, "date": ""}


def _local_date() -> str:
    """Today in the site's time zone, worked out at most once a second (it is asked on every request)."""
    now = time.monotonic()
    if now >= _today["until"]:
        _today.update(until=now + 1, date=timezone.localdate().isoformat())
    return _today["date"]


def page_key(request) -> str:
    """The address as asked (scheme, Host header, path, query) and today's date.

    The Host header is used as sent, before Django validates it: a page is only ever stored after it
    rendered with status 200, which an unknown host never does, so a key with a bad host stays empty.
    The date is part of the key: home and calendar split meetings into upcoming and past by today.
    """
    meta = request.META
    address = f"{request.scheme}://{meta.get('HTTP_HOST', '')}{meta.get('PATH_INFO', '')}?{meta.get('QUERY_STRING', '')}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    return f"pagecache:page:{_local_date()}:{digest}"


class LocalPages:
    """This process's copies of pages from the shared cache, keyed by page *and* content version.

    A hit in the shared cache costs a read, a decompression (file cache) or a transfer (Redis) of the
    whole body; most of the time a busy page is asked again within seconds by the same process. The
    content version is still checked on every request (`content_version()`), and a copy is only used when
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

    The version is the shared one (`content_version()`); the page from this process's copy when it holds
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
    # The handler sets the URLconf to ROOT_URLCONF at the start of every request; no middleware before
    # this one changes it.
    return _admin_prefix_for(settings.ROOT_URLCONF)


def _cache_control_allows_storing(response) -> bool:
    value = response.get("Cache-Control", "").lower()
    return not any(directive in value for directive in UNCACHEABLE_DIRECTIVES)


class PageCacheMiddleware:
    """Serves anonymous GET/HEAD requests from the shared cache; placed before the session middleware
    so a hit costs a check of the content version (with Redis, a poll of this process's subscription;
    otherwise one small read from the shared cache) plus this process's copy of
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
        except Exception as error:  # the cache is an accelerator: when it is down, render as if it were empty
            outages.shared_cache.failed(error)
            return self.get_response(request)
        outages.shared_cache.recovered()
        if entry is not None:
            response = self._response_from(entry, request)
            response["X-Page-Cache"] = "hit"
            return self._conditional(request, response, entry["last_modified"])
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
        gzipped = self._gzipped(response)
        if gzipped is not None:
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = [(name, value) for name, value in response.items() if name.lower() != "x-page-cache"]
        entry = {
            "version": version,
            "status": response.status_code,
            "content": response.content,
            "headers": headers,
            "last_modified": last_modified,
            "gzip": gzipped,
            "gzip_headers": gzipped and self._gzip_headers(headers, len(gzipped)),
        }
        try:
            cache.set(key, entry, getattr(settings, "PAGE_CACHE_TIMEOUT", 3600))
            local_pages.put(key, entry)
        except Exception as error:
            outages.shared_cache.failed(error)
        response = self._response_from(entry, request)
        response["X-Page-Cache"] = "miss"
        return self._conditional(request, response, last_modified)

    @staticmethod
    def _conditional(request, response, last_modified: int):
        """A 304 when the browser's copy is still current (only worked out when it says it has one)."""
        meta = request.META
        if "HTTP_IF_NONE_MATCH" not in meta and "HTTP_IF_MODIFIED_SINCE" not in meta:
            return response
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
    def _gzipped(response) -> bytes | None:
        if (
            len(response.content) < 500
            or response.has_header("Content-Encoding")
            or not COMPRESSIBLE.match(response.get("Content-Type", ""))
        ):
            return None
        gzipped = compress_string(response.content)
        return gzipped if len(gzipped) < len(response.content) else None

    @staticmethod
    def _gzip_headers(headers, length: int) -> list[tuple[str, str]]:
        """The stored headers for the gzip copy: its own length and a weak ETag (same content, other bytes)."""
        replaced = {"content-length", "etag"}
        gzip_headers = [(name, value) for name, value in headers if name.lower() not in replaced]
        etag = dict((name.lower(), value) for name, value in headers)["etag"]
        gzip_headers += [
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(length)),
            ("ETag", etag if etag.startswith("W/") else f"W/{etag}"),
        ]
        return gzip_headers

    @staticmethod
    def _response_from(entry, request) -> HttpResponse:
        variant = "gzip" if entry.get("gzip") and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""
        response = HttpResponse(entry[variant or "content"], status=entry["status"])
        # The stored headers were checked by Django when the page was rendered; this process keeps them
        # in the form ResponseHeaders stores them, so a hit does not check fourteen headers again.
        stored = entry.get(f"_store{variant}")
        if stored is None:
            stored = entry[f"_store{variant}"] = HttpResponse(headers=entry[f"{variant}_headers".lstrip("_")]).headers._store
        response.headers._store = dict(stored)
        return response
