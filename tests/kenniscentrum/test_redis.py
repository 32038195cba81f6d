"""The Redis-backed cache (content version) and PDF render lock; skipped unless TEST_REDIS_URL (or REDIS_URL) points at a
Redis to use. `.ci/run` starts one and sets TEST_REDIS_URL, which only these tests use.

    TEST_REDIS_URL=redis://127.0.0.1:55401/0 make test PYTEST_ARGS="-q tests/kenniscentrum/test_redis.py"
"""
import os
import threading
import uuid

import pytest
from django.core.cache import cache

from kenniscentrum import pagecache
from reports.exports import pdf
from tests.factories import make_track

REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set"),
]


@pytest.fixture(autouse=True)
def _redis_cache(settings):
    settings.REDIS_URL = REDIS_URL
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"kc-test-{uuid.uuid4().hex[:8]}",
    }}
    settings.PAGE_CACHE_ENABLED = True
    yield
    cache.clear()


def test_an_edit_gives_the_page_a_new_etag_through_redis(client, django_capture_on_commit_callbacks):
    track = make_track(title="Oude titel")
    first = client.get(track.get_absolute_url())
    assert client.get(track.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    track.title = "Nieuwe titel"
    with django_capture_on_commit_callbacks(execute=True):
        track.save()
    response = client.get(track.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200 and "Nieuwe titel" in response.content.decode()


def test_content_version_lives_in_redis():
    version = pagecache.content_version()

    assert cache.get(pagecache.VERSION_KEY) == version


def test_second_renderer_waits_for_the_redis_render_lock(tmp_path):
    order = []

    def second():
        with pdf.render_lock(tmp_path, "report-2024"):
            order.append("second")

    with pdf.render_lock(tmp_path, "report-2024"):
        waiter = threading.Thread(target=second)
        waiter.start()
        waiter.join(timeout=0.5)
        order.append("first")
    waiter.join(timeout=5)

    assert order == ["first", "second"]
    assert not list(tmp_path.glob("*.lock"))  # the lock was in Redis, not on disk


def test_a_version_written_by_another_instance_is_the_one_the_next_request_answers_with(client):
    """Every request reads the version from Redis: no process keeps a copy that could lag behind."""
    track = make_track()
    first = client.get(track.get_absolute_url())
    cache.set(pagecache.VERSION_KEY, "written-by-instance-b", timeout=None)

    assert client.get(track.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_log_says_when_redis_is_back_after_an_outage(client, settings, caplog):
    from kenniscentrum import outages
    from tests.kenniscentrum.test_outages import _closed_port

    track = make_track()
    working = settings.CACHES
    settings.CACHES = {"default": {**working["default"], "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0"}}
    client.get(track.get_absolute_url())
    assert outages.shared_cache.ongoing

    settings.CACHES = working
    caplog.clear()
    with caplog.at_level("WARNING"):
        assert client.get(track.get_absolute_url()).status_code == 200

    assert [r.getMessage().split(" after")[0] for r in caplog.records] == ["Shared cache available again"]
