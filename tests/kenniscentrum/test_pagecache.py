"""Validators and cache headers for anonymous pages (kenniscentrum/pagecache.py); nginx keeps the pages
and revalidates them (deploy/nginx.conf, its own tests in tests/test_deploy.py).

The content version is bumped on commit; inside a test's transaction nothing commits, so writes run
in `django_capture_on_commit_callbacks(execute=True)`, which runs the callbacks as a commit would.
"""
import gzip
import io
import os
import subprocess
import sys
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from kenniscentrum import pagecache
from programmes.models import EditorialStatus
from reports.exports import pdf
from reports.models import SentMail
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


def _revalidate(client, url, response, **headers):
    """What nginx does once its copy has expired: ask again with the ETag it holds."""
    return client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **headers)


def test_anonymous_page_tells_nginx_to_keep_it_until_the_end_of_this_second(client):
    track = make_track()

    before = int(time.time())
    response = client.get(track.get_absolute_url())

    assert response["Cache-Control"] == "public, max-age=1"
    assert before <= int(response["X-Accel-Expires"].removeprefix("@")) <= int(time.time())
    assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    assert response["ETag"].startswith('"') and response.has_header("Last-Modified")


def test_unchanged_page_is_revalidated_with_304_without_rendering(client, django_assert_num_queries):
    track = make_track()
    first = client.get(track.get_absolute_url())

    with django_assert_num_queries(0):
        response = _revalidate(client, track.get_absolute_url(), first)

    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response.has_header("X-Accel-Expires")  # nginx keeps its copy another second


def test_the_etag_belongs_to_one_address(client):
    track, other = make_track(), make_track()
    first = client.get(track.get_absolute_url())

    assert _revalidate(client, other.get_absolute_url(), first).status_code == 200


def test_revalidation_after_an_edit_gets_the_new_page(client, commit):
    track = make_track(title="Oude titel")
    first = client.get(track.get_absolute_url())
    track.title = "Nieuwe titel"
    commit(track.save)

    response = _revalidate(client, track.get_absolute_url(), first)

    assert response.status_code == 200 and "Nieuwe titel" in response.content.decode()
    assert response["ETag"] != first["ETag"]


def test_revalidation_after_a_many_to_many_change_gets_the_new_page(client, commit):
    track = make_track()
    city = make_city(name="Roeselare")
    first = client.get(track.get_absolute_url())

    commit(track.cities.add, city)

    assert "Roeselare" in _revalidate(client, track.get_absolute_url(), first).content.decode()


def test_revalidation_after_publish_gets_the_edition(client, commit, eindredacteur):
    edition = make_edition(year=2024, status=EditorialStatus.DRAFT, foreword="<p>Beste lezer.</p>")
    make_track_year(year=2024, report_text="<p>Wat we deden.</p>")
    home = client.get("/")
    assert "Jaarverslag 2024" not in home.content.decode()

    commit(edition_publish, edition=edition, by=eindredacteur, confirm_warnings=True)

    assert client.get("/jaarverslag/2024/").status_code == 200
    assert "Jaarverslag 2024" in _revalidate(client, "/", home).content.decode()


def test_an_unpublished_edition_answers_a_404_that_replaces_nginx_copy(client, commit, eindredacteur):
    """nginx serves its old copy while it revalidates; only a 404 it may keep takes that copy's place."""
    edition = make_edition(year=2024, status=EditorialStatus.DRAFT, foreword="<p>Beste lezer.</p>")
    commit(edition_publish, edition=edition, by=eindredacteur, confirm_warnings=True)
    published = client.get("/jaarverslag/2024/")

    commit(edition_unpublish, edition=edition, by=eindredacteur)
    response = _revalidate(client, "/jaarverslag/2024/", published)

    assert response.status_code == 404
    assert response.has_header("X-Accel-Expires") and response["Cache-Control"] == "public, max-age=1"


def test_admin_save_of_a_track_changes_the_page(client, commit, eindredacteur):
    track = make_track(title="Titel voor de redactie")
    first = client.get(track.get_absolute_url())
    staff = type(client)()
    staff.force_login(eindredacteur)
    url = reverse("admin:programmes_worktrack_change", args=[track.pk])
    data = admin_form_data(staff.get(url))
    data["title"] = "Titel na de redactie"

    response = commit(staff.post, url, data)

    assert response.status_code == 302
    assert "Titel na de redactie" in _revalidate(client, track.get_absolute_url(), first).content.decode()


def test_saving_what_no_public_page_shows_keeps_every_etag(client, commit):
    track = make_track()
    first = client.get(track.get_absolute_url())

    commit(SentMail.objects.create, to_email="redactie@example.org", subject="Herinnering", body="Tekst")

    assert _revalidate(client, track.get_absolute_url(), first).status_code == 304


def test_logged_in_staff_response_is_never_shared(client, staff_client):
    track = make_track()
    etag = client.get(track.get_absolute_url())["ETag"]

    response = staff_client.get(track.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200  # never a 304 on an anonymous validator
    assert "private" in response["Cache-Control"]
    assert not response.has_header("X-Accel-Expires") and not response.has_header("ETag")


def test_a_session_cookie_alone_keeps_the_page_out_of_shared_caches(client):
    track = make_track()
    client.cookies["sessionid"] = "verlopen-sessie"

    response = client.get(track.get_absolute_url())

    assert "private" in response["Cache-Control"] and not response.has_header("X-Accel-Expires")


def test_draft_text_never_appears_in_a_shared_page(client, staff_client):
    track = make_track()
    make_track_year(track=track, year=2025, report_text="<p>Geheim concept.</p>", report_status=EditorialStatus.DRAFT,
                    plan_text="<p>Geheim plan.</p>", plan_status=EditorialStatus.DRAFT)
    assert "Geheim concept." in staff_client.get(track.get_absolute_url()).content.decode()

    response = client.get(track.get_absolute_url())

    assert response.has_header("X-Accel-Expires")
    assert "Geheim" not in response.content.decode()


def test_draft_edition_preview_is_never_shared(staff_client):
    make_edition(year=2026, status=EditorialStatus.DRAFT)

    response = staff_client.get("/jaarverslag/2026/")

    assert response.status_code == 200 and not response.has_header("X-Accel-Expires")
    assert "private" in response["Cache-Control"]


def test_nothing_under_a_review_address_is_kept_by_a_shared_cache_not_even_its_not_found_page(client):
    """A review page is private by its own headers; the review addresses are also kept out by path, so a
    page there that forgets those headers (here: the 404 of a made-up token) is not shared either, and a
    conditional request there is never answered from an anonymous validator."""
    response = client.get("/nalezen/verzonnen-token/")
    assert response.status_code == 404
    assert not response.has_header("X-Accel-Expires") and not response.has_header("ETag")
    assert client.get("/nalezen/verzonnen-token/", HTTP_IF_NONE_MATCH='"*"').status_code == 404


def test_browser_that_accepts_gzip_gets_the_same_page_compressed(client):
    track = make_track(title="Rechtenverkenner")
    plain = client.get(track.get_absolute_url())

    response = client.get(track.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
    assert gzip.decompress(response.content) == plain.content
    assert response["ETag"] != plain["ETag"]  # nginx keeps the two variants apart
    assert not plain.has_header("Content-Encoding")


def test_revalidation_of_the_compressed_page_gets_304(client):
    track = make_track()
    first = client.get(track.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")

    response = _revalidate(client, track.get_absolute_url(), first, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 304


def test_pdf_is_not_compressed_again_and_revalidates_with_304(client, monkeypatch, settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url: b"%PDF-1.7 " + b"x" * 4000)
    make_edition(year=2024)

    first = client.get("/jaarverslag/2024/pdf/", HTTP_ACCEPT_ENCODING="gzip")
    again = _revalidate(client, "/jaarverslag/2024/pdf/", first, HTTP_ACCEPT_ENCODING="gzip")

    assert first.status_code == 200 and not first.has_header("Content-Encoding")
    assert again.status_code == 304


def test_not_found_is_shared(client):
    response = client.get("/werksporen/bestaat-niet/")

    assert response.status_code == 404 and response.has_header("X-Accel-Expires")


def test_exports_and_feeds_are_shared_too(client):
    make_edition(year=2024)
    make_track_year(year=2024)

    for url in ("/kalender.ics", "/edities/feed.atom", "/open-data/2024/werksporen.csv", "/sitemap.xml"):
        first = client.get(url)
        assert _revalidate(client, url, first).status_code == 304, url


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
    edition = make_edition(year=2024)
    plain = client.get("/jaarverslag/2024/pdf/")
    html = pdf.edition_export_html(edition=edition, user=AnonymousUser())
    fingerprint = pdf.pdf_fingerprint(html, base_url=pdf.pdf_base_url())

    versioned = client.get(f"/jaarverslag/2024/pdf/?v={fingerprint}")

    assert plain["Cache-Control"] == "public, max-age=1"
    assert versioned["Cache-Control"] == "public, max-age=31536000, immutable"
    assert versioned.has_header("X-Accel-Expires")  # nginx still asks every second: it may be unpublished


def _one_page_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def test_a_newly_stored_pdf_changes_the_pages_that_show_its_size(client, monkeypatch, settings, tmp_path, commit):
    settings.PDF_CACHE_DIR = tmp_path
    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url: _one_page_pdf())
    make_edition(year=2024)
    home = client.get("/")

    commit(client.get, "/jaarverslag/2024/pdf/")
    response = _revalidate(client, "/", home)

    assert response.status_code == 200 and "1 pagina" in response.content.decode()


def test_clear_page_cache_command_gives_every_page_a_new_etag(client):
    track = make_track()
    first = client.get(track.get_absolute_url())

    call_command("clear_page_cache", stdout=io.StringIO())

    assert _revalidate(client, track.get_absolute_url(), first).status_code == 200


def test_content_version_bumped_in_another_process_is_seen_here(settings):
    """gunicorn runs several worker processes: an edit saved by one must reach the pages of all."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("tests/kenniscentrum/test_redis.py covers Redis")
    before = pagecache.content_version()

    subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from kenniscentrum import pagecache; pagecache.content_changed()"],
        check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "kenniscentrum.settings"}, cwd=settings.BASE_DIR,
    )

    assert pagecache.content_version() != before


def test_page_with_a_csrf_token_is_never_shared(rf):
    """Even when the visitor already has a CSRF cookie (so none is set), the token in the page is theirs."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    def view(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    middleware = pagecache.PageCacheMiddleware(view)
    request = rf.get("/formulier/")
    request.COOKIES["csrftoken"] = "x" * 32

    response = middleware(request)

    assert not response.has_header("X-Accel-Expires") and not response.has_header("ETag")


def test_page_with_a_csrf_token_through_the_full_stack_is_never_shared(client, settings):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.urls import path

    urlconf = type("urls", (), {"urlpatterns": [path("formulier/", lambda r: HttpResponse(get_token(r)))]})
    settings.ROOT_URLCONF = urlconf
    client.cookies["csrftoken"] = "x" * 32

    first, second = client.get("/formulier/"), client.get("/formulier/")

    assert not first.has_header("X-Accel-Expires") and not second.has_header("X-Accel-Expires")
    assert first.content != second.content
