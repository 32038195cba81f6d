"""Whole-page cache for anonymous visitors (kenniscentrum/pagecache.py).

The content version is bumped on commit; inside a test's transaction nothing commits, so writes run
in `django_capture_on_commit_callbacks(execute=True)`, which runs the callbacks as a commit would.
"""
import gzip
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from kenniscentrum import pagecache
from programmes.models import EditorialStatus
from reports.exports import pdf
from reports.services import edition_publish, edition_unpublish
from tests.factories import make_city, make_edition, make_track, make_track_year
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write and its on-commit callbacks, as the end of a real transaction would."""
    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)
    return run


@pytest.fixture
def eindredacteur(django_user_model):
    return make_editor(django_user_model, "Eindredacteur")


def test_second_anonymous_request_is_served_from_the_cache(client):
    track = make_track(title="Rechtenverkenner")

    first = client.get(track.get_absolute_url())
    second = client.get(track.get_absolute_url())

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content


def test_cached_page_carries_cdn_headers(client):
    track = make_track()

    response = client.get(track.get_absolute_url())

    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    assert "Cookie" in response["Vary"]
    assert response["ETag"].startswith('"') and response.has_header("Last-Modified")


def test_cached_page_changes_right_after_an_edit(client, commit):
    track = make_track(title="Oude titel")
    client.get(track.get_absolute_url())

    track.title = "Nieuwe titel"
    commit(track.save)
    response = client.get(track.get_absolute_url())

    assert response["X-Page-Cache"] == "miss"
    assert "Nieuwe titel" in response.content.decode()


def test_cached_page_changes_right_after_a_many_to_many_change(client, commit):
    track = make_track()
    city = make_city(name="Roeselare")
    client.get(track.get_absolute_url())

    commit(track.cities.add, city)

    assert "Roeselare" in client.get(track.get_absolute_url()).content.decode()


def test_cached_pages_change_right_after_publish(client, commit, eindredacteur):
    edition = make_edition(year=2024, status=EditorialStatus.DRAFT, foreword="<p>Beste lezer.</p>")
    make_track_year(year=2024, report_text="<p>Wat we deden.</p>")
    assert client.get("/jaarverslag/2024/").status_code == 404
    assert "Jaarverslag 2024" not in client.get("/").content.decode()

    commit(edition_publish, edition=edition, by=eindredacteur, confirm_warnings=True)

    assert client.get("/jaarverslag/2024/").status_code == 200
    assert "Jaarverslag 2024" in client.get("/").content.decode()


def test_cached_page_changes_right_after_unpublish(client, commit, eindredacteur):
    edition = make_edition(year=2024, status=EditorialStatus.DRAFT, foreword="<p>Beste lezer.</p>")
    commit(edition_publish, edition=edition, by=eindredacteur, confirm_warnings=True)
    assert client.get("/jaarverslag/2024/").status_code == 200
    assert client.get("/jaarverslag/2024/")["X-Page-Cache"] == "hit"

    commit(edition_unpublish, edition=edition, by=eindredacteur)

    assert client.get("/jaarverslag/2024/").status_code == 404


def test_admin_save_of_a_track_changes_the_cached_page(client, commit, eindredacteur):
    track = make_track(title="Titel voor de redactie")
    client.get(track.get_absolute_url())
    staff = type(client)()
    staff.force_login(eindredacteur)
    url = reverse("admin:programmes_worktrack_change", args=[track.pk])
    data = admin_form_data(staff.get(url))
    data["title"] = "Titel na de redactie"

    response = commit(staff.post, url, data)

    assert response.status_code == 302
    assert "Titel na de redactie" in client.get(track.get_absolute_url()).content.decode()


def test_logged_in_staff_response_is_never_stored(client, staff_client):
    track = make_track()

    staff_response = staff_client.get(track.get_absolute_url())
    anonymous = client.get(track.get_absolute_url())

    assert not staff_response.has_header("X-Page-Cache")
    assert "private" in staff_response["Cache-Control"]
    assert anonymous["X-Page-Cache"] == "miss"  # the staff visit left nothing behind


def test_draft_text_never_appears_in_a_cached_page(client, staff_client):
    track = make_track()
    make_track_year(track=track, year=2025, report_text="<p>Geheim concept.</p>", report_status=EditorialStatus.DRAFT,
                    plan_text="<p>Geheim plan.</p>", plan_status=EditorialStatus.DRAFT)
    assert "Geheim concept." in staff_client.get(track.get_absolute_url()).content.decode()

    first, second = client.get(track.get_absolute_url()), client.get(track.get_absolute_url())

    assert second["X-Page-Cache"] == "hit"
    assert all("Geheim" not in r.content.decode() for r in (first, second))


def test_draft_edition_preview_is_never_stored(staff_client):
    make_edition(year=2026, status=EditorialStatus.DRAFT)

    response = staff_client.get("/jaarverslag/2026/")

    assert response.status_code == 200 and not response.has_header("X-Page-Cache")


def test_conditional_get_with_the_etag_gets_304(client):
    track = make_track()
    etag = client.get(track.get_absolute_url())["ETag"]

    response = client.get(track.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_conditional_get_after_an_edit_gets_the_new_page(client, commit):
    track = make_track(title="Oude titel")
    etag = client.get(track.get_absolute_url())["ETag"]
    track.title = "Nieuwe titel"
    commit(track.save)

    response = client.get(track.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200 and "Nieuwe titel" in response.content.decode()


def test_browser_that_accepts_gzip_gets_the_same_page_compressed(client):
    track = make_track(title="Rechtenverkenner")
    plain = client.get(track.get_absolute_url())

    for state in ("hit", "hit"):
        response = client.get(track.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["X-Page-Cache"] == state
        assert response["Content-Encoding"] == "gzip"
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        assert gzip.decompress(response.content) == plain.content
        assert "Accept-Encoding" in response["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert not plain.has_header("Content-Encoding")


def test_first_request_of_a_gzip_browser_is_compressed_too(client):
    track = make_track(title="Rechtenverkenner")

    response = client.get(track.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")

    assert response["X-Page-Cache"] == "miss"
    assert "Rechtenverkenner" in gzip.decompress(response.content).decode()


def test_conditional_get_of_the_compressed_page_gets_304(client):
    track = make_track()
    etag = client.get(track.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")["ETag"]

    response = client.get(track.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)

    assert etag.startswith('W/"') and response.status_code == 304


def test_pdf_is_not_compressed_again(client, monkeypatch, settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url: b"%PDF-1.7 " + b"x" * 4000)
    make_edition(year=2024)

    for _ in range(2):
        response = client.get("/jaarverslag/2024/pdf/", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and not response.has_header("Content-Encoding")


def test_not_found_is_not_stored(client):
    client.get("/werksporen/bestaat-niet/")

    assert not client.get("/werksporen/bestaat-niet/").has_header("X-Page-Cache")


def test_exports_and_feeds_are_cached_too(client):
    make_edition(year=2024)
    make_track_year(year=2024)

    for url in ("/kalender.ics", "/edities/feed.atom", "/open-data/2024/werksporen.csv", "/sitemap.xml"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_bumps_the_content_version():
    before = pagecache.content_version()

    make_track()

    assert pagecache.content_version() != before


def test_a_rolled_back_write_keeps_the_content_version(django_capture_on_commit_callbacks):
    before = pagecache.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_track()
            raise RuntimeError

    assert pagecache.content_version() == before


def test_pdf_address_with_its_fingerprint_may_be_kept_for_a_year(client, monkeypatch, settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url: b"%PDF-1.7 test")
    make_edition(year=2024)
    plain = client.get("/jaarverslag/2024/pdf/")
    fingerprint = plain["ETag"].strip('"')

    versioned = client.get(f"/jaarverslag/2024/pdf/?v={fingerprint}")

    assert plain["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    assert versioned["Cache-Control"] == "public, max-age=31536000, immutable"


def test_clear_page_cache_command_makes_every_cached_page_miss(client):
    track = make_track()
    client.get(track.get_absolute_url())

    call_command("clear_page_cache", stdout=io.StringIO())

    assert client.get(track.get_absolute_url())["X-Page-Cache"] == "miss"


def test_content_version_bumped_in_another_process_is_seen_here(settings):
    """gunicorn runs several worker processes: an edit saved by one must reach the pages of all."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("tests/test_redis.py covers Redis")
    before = pagecache.content_version()

    subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from kenniscentrum import pagecache; pagecache.content_changed()"],
        check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "kenniscentrum.settings"}, cwd=settings.BASE_DIR,
    )

    assert pagecache.content_version() != before


def test_this_process_copy_of_a_page_is_dropped_when_another_instance_edits(client, commit):
    """Pages are also kept in the worker's memory; an edit saved through another app server (which only
    changes the shared content version) must still reach this worker's visitors on the next request."""
    track = make_track(title="Rechtenverkenner")
    client.get(track.get_absolute_url())
    assert client.get(track.get_absolute_url())["X-Page-Cache"] == "hit"
    # Instance B writes straight to the database and bumps the shared version: nothing passes through here.
    type(track).objects.filter(pk=track.pk).update(title="Rechtenverkenner 2.0")
    pagecache.content_changed()

    response = client.get(track.get_absolute_url())

    assert response["X-Page-Cache"] == "miss"
    assert "Rechtenverkenner 2.0" in response.content.decode()


def test_memory_copies_of_pages_stay_within_their_budget():
    pages = pagecache.LocalPages(max_bytes=1000)
    for n in range(5):
        pages.put(f"page-{n}", {"version": "v1", "content": b"x" * 240})

    kept = [n for n in range(5) if pages.get(f"page-{n}", "v1")]

    assert kept == [1, 2, 3, 4]  # 5 × 240 bytes do not fit in 1000: the least recently used went
    assert pages.get("page-4", "v2") is None  # a copy of another content version is never served
    pages.put("huge", {"version": "v1", "content": b"x" * 400})
    assert pages.get("huge", "v1") is None  # one page may not take more than a quarter


def test_page_with_a_csrf_token_is_never_stored(rf):
    """Even when the visitor already has a CSRF cookie (so none is set), the token in the page is theirs."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    def view(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    middleware = pagecache.PageCacheMiddleware(view)
    request = rf.get("/formulier/")
    request.COOKIES["csrftoken"] = "x" * 32

    response = middleware(request)

    assert not response.has_header("X-Page-Cache")
    assert middleware(rf.get("/formulier/")).get("X-Page-Cache") != "hit"


def test_page_with_a_csrf_token_through_the_full_stack_is_never_stored(client, settings, monkeypatch):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.urls import path

    urlconf = type("urls", (), {"urlpatterns": [path("formulier/", lambda r: HttpResponse(get_token(r)))]})
    settings.ROOT_URLCONF = urlconf
    client.cookies["csrftoken"] = "x" * 32

    first, second = client.get("/formulier/"), client.get("/formulier/")

    assert not first.has_header("X-Page-Cache") and not second.has_header("X-Page-Cache")
    assert first.content != second.content
