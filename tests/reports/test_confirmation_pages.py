"""Confirmation pages put their primary action first: the first button of the page's content is the one asked for.

The admin's header comes before the content and holds "Afmelden" (a form button since Django 5);
the skip link "Naar hoofdinhoud" before it leads past it (tests/browser/test_admin_keyboard.py).
"""
import re

import pytest
from django.urls import reverse

from programmes.models import EditorialStatus
from tests.factories import make_edition, make_track, make_track_year
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db

_SUBMIT = re.compile(r'<(?:input[^>]*type="submit"[^>]*value="([^"]*)"|button(?![^>]*type="button")[^>]*>([^<]*)</button)')


def first_button_of_the_content(html: str) -> str:
    """The label of the first submit button after the start of the main content."""
    content = html[html.index('id="content-start"'):]
    match = _SUBMIT.search(content)
    return (match.group(1) or match.group(2)).strip() if match else ""


@pytest.fixture
def eindredacteur(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Eindredacteur"))
    return client


def test_the_header_keeps_its_logout_button_after_a_skip_link_to_the_content(eindredacteur):
    html = eindredacteur.get(reverse("admin:index")).content.decode()
    assert html.index('href="#content-start"') < html.index("Afmelden")
    assert 'id="content-start"' in html


def test_the_revert_page_offers_reverting_first(eindredacteur):
    track = make_track(title="Eerste")
    track.title = "Tweede"
    track.save()
    first = track.history.order_by("history_date", "history_id").first()
    html = eindredacteur.get(reverse("admin:programmes_worktrack_simple_history", args=[track.pk, first.history_id])).content.decode()
    assert first_button_of_the_content(html) == "Deze versie terugzetten"
    assert html.index('value="Deze versie terugzetten"') < html.index('name="title"')  # before the old version's fields


def test_the_delete_page_offers_deleting_before_the_list_of_what_goes(eindredacteur):
    track = make_track(title="Weg ermee")
    make_track_year(track=track)
    html = eindredacteur.get(reverse("admin:programmes_worktrack_delete", args=[track.pk])).content.decode()
    assert first_button_of_the_content(html) == "Ja, verwijderen"
    assert html.index('value="Ja, verwijderen"') < html.index('id="deleted-objects"')


def test_deleting_several_items_offers_deleting_first(eindredacteur):
    tracks = [make_track(), make_track()]
    html = eindredacteur.post(reverse("admin:programmes_worktrack_changelist"), {
        "action": "delete_selected", "_selected_action": [t.pk for t in tracks],
    }).content.decode()
    assert first_button_of_the_content(html) == "Ja, verwijderen"


def test_the_checklist_offers_publishing_first_with_the_remaining_points_below(eindredacteur):
    edition = make_edition(year=2030, status=EditorialStatus.REVIEW)
    html = eindredacteur.get(reverse("admin:reports_edition_checklist", args=[edition.pk])).content.decode()
    assert first_button_of_the_content(html) == "Publiceren"
    assert html.index(">Publiceren</button>") < html.index("Nog na te kijken")


def test_a_published_edition_offers_the_correction_before_unpublishing(eindredacteur):
    edition = make_edition(year=2030, status=EditorialStatus.PUBLISHED)
    html = eindredacteur.get(reverse("admin:reports_edition_checklist", args=[edition.pk])).content.decode()
    assert first_button_of_the_content(html) == "Opnieuw publiceren met erratum"


def test_preparing_next_year_offers_it_before_the_list_of_new_texts(eindredacteur):
    edition = make_edition(year=2030)
    make_track_year(year=2030)
    html = eindredacteur.get(reverse("admin:reports_edition_prepare_next_year", args=[edition.pk])).content.decode()
    assert first_button_of_the_content(html) == "Ja, 2031 voorbereiden"
    assert html.index("2031 voorbereiden") < html.index("<details>")
