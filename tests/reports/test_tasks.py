"""PDFs rendered ahead (reports/tasks.py): publishing queues the render once committed, the worker stores
the file a visitor then downloads without waiting. The suite keeps tasks in django-tasks' DummyBackend
(tests/conftest.py), so a test runs a queued task itself with `.call()`."""
import io

import pytest
from django.core.management import call_command
from django_tasks import default_task_backend

from programmes.models import EditorialStatus
from reports.exports import pdf
from reports.services import edition_publish, edition_republish, edition_unpublish
from reports.tasks import edition_pdf_render
from tests.factories import make_edition
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def eindredacteur(django_user_model):
    return make_editor(django_user_model, "Eindredacteur")


@pytest.fixture
def renders(monkeypatch, settings, tmp_path):
    """WeasyPrint replaced by a counter; the PDF directory a fresh one."""
    settings.PDF_CACHE_DIR = tmp_path
    calls = []

    def render(html, *, base_url):
        calls.append(base_url)
        return b"%PDF-1.7 " + str(len(calls)).encode()

    monkeypatch.setattr(pdf, "render_pdf", render)
    return calls


def _queued():
    return [(result.task.name, result.args) for result in default_task_backend.results]


def test_publishing_queues_the_pdf_render_once_committed(eindredacteur, django_capture_on_commit_callbacks):
    edition = make_edition(year=2024, status=EditorialStatus.DRAFT, foreword="<p>Beste lezer.</p>")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edition_publish(edition=edition, by=eindredacteur, confirm_warnings=True)
        assert _queued() == []  # nothing before the commit: a rolled-back publish queues nothing
    for callback in callbacks:
        callback()

    assert _queued() == [("edition_pdf_render", [edition.pk])]


def test_republishing_queues_the_corrected_pdf(eindredacteur, django_capture_on_commit_callbacks):
    edition = make_edition(year=2024, foreword="<p>Beste lezer.</p>")

    with django_capture_on_commit_callbacks(execute=True):
        edition_republish(edition=edition, by=eindredacteur, erratum_text="Een bedrag verbeterd.", confirm_warnings=True)

    assert _queued() == [("edition_pdf_render", [edition.pk])]


def test_the_download_after_the_render_is_served_without_rendering(client, renders):
    edition = make_edition(year=2024)

    assert edition_pdf_render.call(edition.pk) is True
    response = client.get("/jaarverslag/2024/pdf/")

    assert response.status_code == 200 and response["X-PDF-Cache"] == "hit"
    assert len(renders) == 1


def test_the_render_and_every_visitor_use_the_site_address_whatever_host_they_asked(client, renders, settings):
    settings.SITE_URL = "https://jaarverslag.example.be"
    edition = make_edition(year=2024)
    edition_pdf_render.call(edition.pk)

    response = client.get("/jaarverslag/2024/pdf/", HTTP_HOST="localhost")

    assert response["X-PDF-Cache"] == "hit"
    assert renders == ["https://jaarverslag.example.be/"]


def test_an_edition_unpublished_before_the_worker_ran_is_not_rendered(renders, eindredacteur):
    edition = make_edition(year=2024)
    edition_unpublish(edition=edition, by=eindredacteur)

    assert edition_pdf_render.call(edition.pk) is False
    assert renders == []


def test_a_pdf_already_stored_is_not_rendered_again(renders):
    edition = make_edition(year=2024)

    first, second = edition_pdf_render.call(edition.pk), edition_pdf_render.call(edition.pk)

    assert (first, second) == (True, False) and len(renders) == 1


def test_render_pdfs_queues_every_published_edition_and_no_draft():
    published = make_edition(year=2024)
    make_edition(year=2025, status=EditorialStatus.DRAFT)

    call_command("render_pdfs", stdout=io.StringIO())

    assert _queued() == [("edition_pdf_render", [published.pk])]
