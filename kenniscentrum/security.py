"""Project-wide security helpers that settings refer to by name."""
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


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


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler with a second limit: wrong passwords from one address, whatever the
    account name (password spraying: one guess against each of many accounts).

    Axes can count per several parameter lists (`AXES_LOCKOUT_PARAMETERS`), but compares the largest of
    those counts with one `AXES_FAILURE_LIMIT`; a limit of its own per list takes a handler (as its
    maintainers advise, jazzband/django-axes#661). Here the count per account and address is axes' own;
    once the address has reached LOGIN_ADDRESS_FAILURE_LIMIT within the cool-off time, every login from
    it counts as over the limit, so axes locks it out and shows the same lockout page.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def address_failures(request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
