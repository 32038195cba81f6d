"""What the site does while a service it depends on is away: the database or the shared cache (Redis).

Both outages are expected events (a restart, a failover), not bugs, so each is logged as one warning
when this process first meets it and one when the service answers again, never as a traceback per
request. Visitors are told plainly: pages nginx holds keep being served (unchanged ones are confirmed without the database), other pages answer
503 with a short Dutch page until the database is back; without the shared cache pages are rendered
from the database as if the cache were empty.
"""
import logging
import sys
import threading
import time

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class Outage:
    """One warning when `service` starts failing in this process and one when it works again."""

    def __init__(self, service: str):
        self.service = service
        self._since = None  # monotonic time of the first failure of the current outage
        self._lock = threading.Lock()

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def failed(self, error: BaseException) -> None:
        if self._since is not None:
            return
        with self._lock:
            if self._since is not None:
                return
            self._since = time.monotonic()
        logger.warning("%s unavailable (%s: %s); warning once until it is back", self.service, type(error).__name__, error)

    def recovered(self) -> None:
        if self._since is None:  # the common case: one attribute read per call
            return
        with self._lock:
            since, self._since = self._since, None
        if since is not None:
            logger.warning("%s available again after %.1f s", self.service, time.monotonic() - since)


database = Outage("Database")
shared_cache = Outage("Shared cache")


def _connection_made(sender, connection, **kwargs):
    database.recovered()


def connect_signals() -> None:
    """A new database connection ends a database outage (connected in KenniscentrumConfig.ready)."""
    connection_created.connect(_connection_made, dispatch_uid="outages-database-back")


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` means the database cannot be reached (down, restarting, connection lost).

    An OperationalError on a connection that still works (SQLite's "no such table", a lock timeout,
    a cancelled statement) is a bug or a load problem and stays a 500 with its traceback.
    """
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.connection is None or not connection.is_usable()


def database_unavailable_response() -> HttpResponse:
    """The Dutch 503 page, rendered without the request: its context processors could need the database."""
    response = HttpResponse(render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Reported once per outage by `database`; without this Django's request log adds an error line for
    # every such response (django.utils.log.log_response skips a response marked as logged).
    response._has_been_logged = True
    return response


class DatabaseOutageMiddleware:
    """A view that fails because the database is away answers the 503 page, with one warning per outage."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            database.failed(exception)
            return database_unavailable_response()
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: the 503 page too when the database went away outside a view (a session saved by
    its middleware, say); any other error gets Django's own 500 page."""
    error = sys.exc_info()[1]
    if error is not None and database_unavailable(error):
        database.failed(error)
        return database_unavailable_response()
    return defaults.server_error(request, template_name)
