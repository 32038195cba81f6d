"""Project-wide security helpers that settings refer to by name."""
from django.conf import settings


def client_ip(request) -> str | None:
    """The visitor's address, for login throttling.

    Behind a proxy (DJANGO_BEHIND_PROXY=1) REMOTE_ADDR is the proxy's own address; the client is the
    address the outermost trusted proxy appended to X-Forwarded-For (DJANGO_PROXY_COUNT of them).
    Entries further left are sent by the client itself and could be forged, so they are ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= settings.PROXY_COUNT > 0:
        return forwarded[-settings.PROXY_COUNT]
    return remote
