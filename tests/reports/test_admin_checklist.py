"""The checklist's publish area: one primary button, risky actions apart and explained, a clear confirmation."""
import re

import pytest
from django.urls import reverse

from programmes.models import EditorialStatus
from reports.models import Edition
from tests.factories import make_edition
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Eindredacteur"))


def _url(edition):
    return reverse("admin:reports_edition_checklist", args=[edition.pk])


def test_unpublished_edition_has_one_primary_publish_button_and_no_risky_actions(client, chief):
    edition = make_edition(year=2035, status=EditorialStatus.REVIEW, foreword="<p>Voorwoord</p>")
    html = client.get(_url(edition)).content.decode()
    buttons = re.findall(r'<button[^>]*name="action" value="(\w+)"', html)
    assert buttons == ["publish"]
    assert 'value="publish" class="kc-button-primary"' in html


def test_published_edition_shows_its_page_and_pdf_and_keeps_risky_actions_apart(client, chief):
    edition = make_edition(year=2035, kind=Edition.Kind.PLAN)
    html = client.get(_url(edition)).content.decode()
    published = html[html.index('class="kc-published"'):html.index('class="kc-risky"')]
    assert 'href="/jaarplan/2035/"' in published and 'href="/jaarplan/2035/pdf/"' in published
    risky = html[html.index('class="kc-risky"'):]
    assert 'value="republish"' in risky and 'value="unpublish" class="button kc-button-danger"' in risky
    assert "voor een correctie is een erratum beter" in risky


def test_publishing_confirms_with_links_to_the_public_page_and_the_pdf(client, chief):
    edition = make_edition(year=2035, kind=Edition.Kind.REPORT, status=EditorialStatus.REVIEW, foreword="<p>Voorwoord</p>")
    response = client.post(_url(edition), {"action": "publish", "confirm_warnings": "1"}, follow=True)
    edition.refresh_from_db()
    assert edition.is_published
    text = " ".join(str(m) for m in response.context["messages"])
    assert 'is gepubliceerd. <a href="/jaarverslag/2035/">Publieke pagina bekijken</a>' in text
    assert '<a href="/jaarverslag/2035/pdf/">PDF downloaden</a>' in response.content.decode()


def _lines(n, word):
    return "".join(f"<p>{word} regel {i}.</p>" for i in range(n))


@pytest.fixture
def layout_pdf(tmp_path):
    """A real PDF: cover, a chapter of two full pages and two spilled lines, a chapter whose last page is
    short (a deliberate chapter end), and a short last page."""
    from weasyprint import HTML

    html = (
        "<html lang='nl'><body><h1>Jaarverslag</h1>"
        f"<h2 style='break-before: page'>Eerste hoofdstuk</h2>{_lines(95, 'Eerste')}"
        f"<h3 style='break-before: page'>Een deel</h3>{_lines(40, 'Deel')}"
        f"<h2 style='break-before: page'>Tweede hoofdstuk</h2>{_lines(3, 'Tweede')}"
        f"<h2 style='break-before: page'>Colofon</h2><p>v.u.</p></body></html>"
    )
    path = tmp_path / "layout.pdf"
    HTML(string=html).write_pdf(path)
    return path


def test_nearly_empty_pages_are_found_but_cover_chapter_ends_and_last_page_are_not(layout_pdf):
    from pypdf import PdfReader

    from reports.exports.pdf import nearly_empty_pages

    pages = PdfReader(layout_pdf).pages
    found = nearly_empty_pages(layout_pdf)

    # Page 2-3 hold the first chapter's 95 lines; its spilled lines end on page 4 (under 15 lines, but
    # the 'Een deel' page that follows is no chapter start, so page 4 counts); the second chapter's
    # three lines end a chapter, the colophon ends the document.
    texts = [p.extract_text() for p in pages]
    spilled = [n for n, text in enumerate(texts, 1) if "Eerste regel 94" in text]
    assert len(spilled) == 1 and len(pages) >= 6
    assert [page.number for page in found] == spilled
    assert all(page.lines < 15 for page in found)
    assert str(found[0]).startswith(f"Pagina {spilled[0]}: ")


def test_checklist_lists_nearly_empty_pages_of_the_pdf_in_the_cache(client, chief, monkeypatch, layout_pdf):
    from reports import checklist

    edition = make_edition(year=2035, status=EditorialStatus.REVIEW, foreword="<p>Voorwoord</p>")
    monkeypatch.setattr(checklist, "cached_pdf_path", lambda **kwargs: layout_pdf)

    html = client.get(_url(edition)).content.decode()

    assert 'data-code="nearly_empty_pages"' in html
    assert "Bijna lege pagina" in html and "regels tekst" in html
    assert "nog niet nagekeken" not in html


def test_checklist_without_a_pdf_in_the_cache_asks_to_open_it_once(client, chief, settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    edition = make_edition(year=2035, kind=Edition.Kind.REPORT, status=EditorialStatus.REVIEW)

    html = client.get(_url(edition)).content.decode()

    assert "De opmaak van de PDF is nog niet nagekeken" in html
    assert 'href="/jaarverslag/2035/pdf/"' in html
    assert 'data-code="nearly_empty_pages"' not in html


def test_published_edition_without_a_recorded_date_says_so_instead_of_an_empty_date(client, chief):
    edition = make_edition(year=2035, kind=Edition.Kind.PLAN)
    Edition.objects.filter(pk=edition.pk).update(published_at=None)  # the source gives no date

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(_url(edition)).content.decode()))

    assert "gepubliceerd op ." not in text and "sinds ." not in text
    assert "publicatiedatum niet geregistreerd" in text
    assert "Jaarplan 2035 staat online ." in text or "Jaarplan 2035 staat online." in text
