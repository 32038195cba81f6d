"""Anonymous pages for nginx's cache: validators from a content version, and 304 without rendering.

nginx keeps the pages (deploy/nginx.conf, `proxy_cache`); the app tells it for how long and answers
its revalidations. Every anonymous response that may be shared carries

- an ETag made from the *content version*, the address and today's date (and the encoding), so it
  changes exactly when the page may have changed;
- `X-Accel-Expires: @<this second>`: nginx may serve its copy until the end of the current second,
  then asks again with `If-None-Match`. The app answers that question from the content version alone,
  `304 Not Modified` without running the view or touching the database, so a page that did not change
  costs nginx one tiny request per second, and a committed change is served by nginx within a second;
- `Cache-Control: public, max-age=1` for browsers and other caches.

The content version is a value in the shared cache (Redis with several app servers). Any committed
write to a model of the `programmes` or `reports` app (admin save or delete, m2m change, the publish/
unpublish/republish services, history revert and restore, load_demo) replaces it in
`transaction.on_commit`, never before: a request that renders while the write is still uncommitted
reads the old data and labels it with the old version, which no longer matches once the commit
replaces it. The version is a timestamp, not a counter, so a version key lost to eviction or a cache
restart can never come back as an old value and revive stale pages.

What is never marked shareable: requests with a session cookie or an Authorization header (anyone
logged in), the admin and the review links, anything but GET and HEAD, responses that set a cookie or
hold a CSRF token, that say `private`, `no-store` or `no-cache` (drafts, previews, error pages), that
vary on more than the cookie and the encoding, or that are not a final answer (200, 301, 302, 404, 410).
A 404 is shared on purpose: it replaces nginx's copy of a page that was just unpublished, which nginx
would otherwise keep serving while it revalidates.

Shared pages of a text type are gzipped by the app when the request accepts it (nginx keeps both
variants, keyed by encoding): compressed once per change, not once per visitor. No secret ever sits
in such a page (no CSRF token, no session), so compressing it gives a BREACH-style attack nothing to guess.
"""
import functools
import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponseNotModified
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags
from django.utils.text import compress_string

from . import outages

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# Browsers and any cache in front may keep a page one second; nginx is told the same by X-Accel-Expires.
PAGE_CACHE_CONTROL = "public, max-age=1"
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
SHAREABLE_STATUSES = frozenset({200, 301, 302, 404, 410})
# Vary values that change nothing for an anonymous visitor: the cookie (only the session cookie matters,
# and requests with one are never shared), the one site language, and the encoding (part of the ETag).
HARMLESS_VARY = {"cookie", "accept-language", "accept-encoding"}
COMPRESSIBLE = re.compile(r"^(text/|application/(json|xml|atom\+xml|rss\+xml|javascript)|image/svg\+xml)")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


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
    """Give every page a new ETag; called after a content write has been committed."""
    cache.set(VERSION_KEY, _new_version(), timeout=None)


def _shows_on_public_pages(sender) -> bool:
    """Whether a write to this model can change a public page.

    Models that no page shows (the round's assignments, comments, review links and mail log) say
    so with `not_on_public_pages = True`; their history and many-to-many tables follow them.
    """
    model = getattr(sender, "instance_type", None) or sender._meta.auto_created or sender
    return model._meta.app_label in settings.CONTENT_APPS and not getattr(model, "not_on_public_pages", False)


def content_changed_after_commit() -> None:
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
        transaction.on_commit(content_changed_after_commit, using=using)


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


def page_etag(request, version: str, *, gzipped: bool) -> str:
    """The ETag of this address's page under this content version, today, in this encoding.

    The address is the one asked (scheme, Host header, path, query), as nginx keys its copy. The date
    is in it because home and calendar split meetings into upcoming and past by today.
    """
    meta = request.META
    parts = (
        version, _local_date(), "gzip" if gzipped else "",
        f"{request.scheme}://{meta.get('HTTP_HOST', '')}{meta.get('PATH_INFO', '')}?{meta.get('QUERY_STRING', '')}",
    )
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f'"{digest}"'


@functools.lru_cache(maxsize=8)
def _private_prefixes(urlconf) -> tuple[str, ...]:
    """The admin and the review links: never shared, whatever their responses say."""
    try:
        admin = reverse("admin:index", urlconf=urlconf)
    except NoReverseMatch:  # a URLconf without it (tests): keep the default path out anyway
        admin = "/admin/"
    try:
        review = reverse("reports:review", urlconf=urlconf, args=["x"]).removesuffix("x/")
    except NoReverseMatch:
        review = "/nalezen/"
    return admin, review


def _cache_control_allows_sharing(response) -> bool:
    value = response.get("Cache-Control", "").lower()
    return not any(directive in value for directive in UNCACHEABLE_DIRECTIVES)


def _accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


class PageCacheMiddleware:
    """Validators and cache headers for anonymous GET/HEAD requests; placed before the session middleware
    so that a revalidation answered 304 costs one read of the content version and nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (getattr(settings, "PAGE_CACHE_ENABLED", True) and self._request_is_anonymous_read(request)):
            response = self.get_response(request)
            if self._has_credentials(request) and "Cache-Control" not in response:
                # A signed-in user's page must never land in a shared cache (nginx, CDN, proxy) either.
                patch_cache_control(response, private=True)
            return response
        try:
            version = content_version()
        except Exception as error:
            # Without the version there is no ETag: render every time, and let nginx keep the page for
            # this second only (never an old copy it would go on serving while it tries to revalidate).
            outages.shared_cache.failed(error)
            version = None
        else:
            outages.shared_cache.recovered()
        gzipped = _accepts_gzip(request)
        if version is not None and "HTTP_IF_NONE_MATCH" in request.META:
            # A visitor that accepts gzip may hold the plain page: a PDF or a tiny page is not compressed.
            held = set(parse_etags(request.META["HTTP_IF_NONE_MATCH"]))
            for compressed in (True, False) if gzipped else (False,):
                etag = page_etag(request, version, gzipped=compressed)
                if etag in held:
                    return self._shareable(HttpResponseNotModified(), etag, version)
        response = self.get_response(request)
        if not self._response_is_shareable(request, response):
            return response
        compressed = gzipped and self._gzip(response)
        etag = None if version is None else page_etag(request, version, gzipped=compressed)
        return self._shareable(response, etag, version)

    @staticmethod
    def _shareable(response, etag: str | None, version: str | None):
        if etag is not None:
            response["ETag"] = etag
            response["Last-Modified"] = http_date(int(version_time(version)))
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = PAGE_CACHE_CONTROL
        # nginx keeps its copy until the end of this second (its clock counts whole seconds, so a
        # relative "1" would mean up to two), then revalidates. nginx does not pass this header on.
        response["X-Accel-Expires"] = f"@{int(time.time())}"
        patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        return response

    @staticmethod
    def _has_credentials(request) -> bool:
        return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META

    def _request_is_anonymous_read(self, request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not self._has_credentials(request)
            and not request.path.startswith(_private_prefixes(settings.ROOT_URLCONF))
        )

    @staticmethod
    def _response_is_shareable(request, response) -> bool:
        user = getattr(request, "user", None)
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return (
            response.status_code in SHAREABLE_STATUSES
            and not response.cookies
            # A page with a CSRF token carries the visitor's own secret: never hand it to others. The CSRF
            # middleware normally (re)sets the cookie then, which the check above catches; this flag
            # catches the token even where that middleware did not get to set it.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (user is not None and user.is_authenticated)
            and _cache_control_allows_sharing(response)
            and vary <= HARMLESS_VARY
        )

    @staticmethod
    def _gzip(response) -> bool:
        """Compress the body in place when that helps; whether the response is now gzipped."""
        if (
            response.streaming
            or len(response.content) < 500
            or response.has_header("Content-Encoding")
            or not COMPRESSIBLE.match(response.get("Content-Type", ""))
        ):
            return False
        gzipped = compress_string(response.content)
        if len(gzipped) >= len(response.content):
            return False
        response.content = gzipped
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(gzipped))
        return True
