"""The site while the database or the shared cache is away (kenniscentrum/outages.py): nginx keeps serving
its copies of pages (the app confirms unchanged ones without the database), other pages say so in Dutch
with a 503, and the log gets one warning per outage."""
import logging
import socket

import pytest
from django.db import OperationalError, connection

from kenniscentrum import outages
from reports.models import Edition
from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_outage_left_over():
    outages.database.recovered()
    outages.shared_cache.recovered()
    yield
    outages.database.recovered()
    outages.shared_cache.recovered()


@pytest.fixture
def database_down(monkeypatch):
    """Every query of the home page fails as it does while PostgreSQL restarts, and the connection is dead."""
    def refuse(*args, **kwargs):
        raise OperationalError("connection failed: Connection refused")

    monkeypatch.setattr(Edition.objects, "visible_to", refuse)
    monkeypatch.setattr(connection, "is_usable", lambda: False)


def test_nginx_revalidating_a_page_is_answered_without_the_database(client, settings, django_db_blocker):
    """While the database is away nginx keeps serving its copies: unchanged ones are confirmed with 304."""
    settings.PAGE_CACHE_ENABLED = True
    track = make_track(title="Rechtenverkenner")
    etag = client.get(track.get_absolute_url())["ETag"]

    with django_db_blocker.block():  # any query now fails the test
        response = client.get(track.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_page_that_needs_the_database_while_it_is_away_gets_a_dutch_503(client, database_down):
    response = client.get("/")

    assert response.status_code == 503
    assert "De website is even niet bereikbaar" in response.content.decode()
    assert response["Retry-After"] == "30" and response["Cache-Control"] == "no-store"


def test_a_database_outage_is_one_warning_not_a_traceback_per_request(client, database_down, caplog):
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            client.get("/")

    assert [(r.name, r.levelname, r.exc_info) for r in caplog.records] == [("kenniscentrum.outages", "WARNING", None)]
    assert "Database unavailable" in caplog.records[0].getMessage()


@pytest.mark.django_db(transaction=True)  # the connection is closed and made again, as after a restart
def test_the_log_says_when_the_database_is_back(client, database_down, monkeypatch, caplog):
    client.get("/")
    monkeypatch.undo()
    connection.close()  # the next query connects anew, as the first request after the restart does
    caplog.clear()

    with caplog.at_level(logging.WARNING):
        assert client.get("/").status_code == 200

    assert [r.getMessage().split(" after")[0] for r in caplog.records] == ["Database available again"]


def test_a_query_error_on_a_working_database_is_still_a_500(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such column: reports_edition.colour")

    monkeypatch.setattr(Edition.objects, "visible_to", broken)
    client.raise_request_exception = False

    assert client.get("/").status_code == 500


def _closed_port() -> int:
    """A port nothing listens on: like a Redis that was stopped."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_stopped(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}


def test_pages_render_from_the_database_while_redis_is_stopped(client, redis_stopped):
    track = make_track(title="Rechtenverkenner")

    responses = [client.get(track.get_absolute_url()) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all("Rechtenverkenner" in r.content.decode() for r in responses)


def test_without_redis_nginx_keeps_a_page_for_this_second_only_and_gets_no_etag(client, redis_stopped):
    """No ETag to revalidate with, but never an old copy that nginx would go on serving either."""
    response = client.get(make_track().get_absolute_url())

    assert response.has_header("X-Accel-Expires") and not response.has_header("ETag")


def test_a_redis_outage_is_one_warning_not_a_traceback_per_request(client, redis_stopped, caplog, django_capture_on_commit_callbacks):
    track = make_track(title="Rechtenverkenner")

    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            client.get(track.get_absolute_url())

    assert [(r.name, r.levelname, r.exc_info) for r in caplog.records] == [("kenniscentrum.outages", "WARNING", None)]
    assert "Shared cache unavailable" in caplog.records[0].getMessage()


def test_a_save_while_redis_is_stopped_succeeds_and_says_what_to_do_afterwards(redis_stopped, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        track = make_track(title="Rechtenverkenner")

    assert track.pk
    assert not any(r.exc_info for r in caplog.records)
    assert any("clear_page_cache" in r.getMessage() for r in caplog.records)
