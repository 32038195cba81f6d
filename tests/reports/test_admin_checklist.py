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
