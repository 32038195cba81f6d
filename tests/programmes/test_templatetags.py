"""What editors type is shown as text wherever the list items, cards, timeline and city overviews of
programmes/templatetags/kc.py and templates/programmes/includes/ write it: markup in a title is never markup
on the page."""
import datetime

import pytest
from django.utils import timezone

from programmes.models import Meeting, ProgrammePeriod
from tests.factories import (
    make_city, make_group, make_meeting, make_meeting_kind, make_programme, make_track, make_track_year,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)
MARKUP = '<script>alert("x")</script> R&D'
AS_TEXT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; R&amp;D"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def named_with_markup(db):
    """A programme, a track with a renamed year and a sub-track, a group and two meetings to come, all
    named with markup, and a city that leads the track and the group."""
    ProgrammePeriod.objects.get_or_create(slug="2022-2026", defaults={"name": "Periode", "start_year": 2022, "end_year": 2026})
    city = make_city(slug="markupstad")
    programme = make_programme(name=f"Programma {MARKUP}", slug="markup")
    track = make_track(title=f"Spoor {MARKUP}", slug="spoor", programme=programme)
    track.lead_cities.add(city)
    make_track_year(track=track, year=2025, title=f"Toen {MARKUP}")
    make_track_year(track=make_track(title=f"Deelspoor {MARKUP}", programme=programme, parent=track), year=2025)
    group = make_group(name=f"Groep {MARKUP}", slug="groep", programme=programme, lead_city=city, frequency=f"maandelijks {MARKUP}")
    kind = make_meeting_kind(name=f"soort {MARKUP}")
    for owner in ({"group": group}, {"track": track}):
        make_meeting(title=f"Activiteit {MARKUP}", kind=kind, year=2025, month=9, day=1, status=Meeting.Status.POSTPONED,
                     place=f"Zaal {MARKUP}", **owner)
    return city


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    return html


@pytest.mark.parametrize("url", ["/", "/kalender/", "/werkgroepen/groep/", "/werksporen/spoor/", "/steden/markupstad/"])
def test_a_meeting_title_kind_place_and_group_with_markup_appear_as_text_in_meeting_lists(client, named_with_markup, url):
    html = _page(client, url)
    assert f'<p class="meeting__title">Activiteit {AS_TEXT} <span class="tag">soort {AS_TEXT}</span>' in html
    assert f"Zaal {AS_TEXT}" in html


def test_a_meeting_list_links_the_group_and_track_by_their_names_as_text(client, named_with_markup):
    html = _page(client, "/kalender/")
    assert f'<a href="/werkgroepen/groep/">Groep {AS_TEXT}</a>' in html
    assert f'<a href="/werksporen/spoor/">Spoor {AS_TEXT}</a>' in html


def test_track_cards_show_the_title_and_programme_with_markup_as_text(client, named_with_markup):
    html = _page(client, "/werksporen/")
    assert f'<h2><a href="/werksporen/spoor/">Spoor {AS_TEXT}</a></h2>' in html
    assert f"· Programma {AS_TEXT}" in html


def test_group_cards_show_the_name_programme_and_rhythm_with_markup_as_text(client, named_with_markup):
    html = _page(client, "/werkgroepen/")
    assert f'<h2><a href="/werkgroepen/groep/">Groep {AS_TEXT}</a></h2>' in html
    assert f"· Programma {AS_TEXT} · maandelijks {AS_TEXT}</p>" in html


def test_the_programme_timeline_shows_track_titles_and_year_titles_with_markup_as_text(client, named_with_markup):
    html = _page(client, "/programmas/markup/")
    assert f'<a href="/werksporen/spoor/">Spoor {AS_TEXT}</a>' in html
    assert f"als ‘Toen {AS_TEXT}’" in html
    assert f'aria-label="Onder Spoor {AS_TEXT}"' in html
    assert f"Deelspoor {AS_TEXT}</a>" in html


def test_a_city_page_shows_its_programmes_tracks_and_groups_with_markup_as_text(client, named_with_markup):
    html = _page(client, "/steden/markupstad/")
    assert f'<a href="/programmas/markup/">Programma {AS_TEXT}</a>' in html
    assert f'<a href="/werksporen/spoor/">Spoor {AS_TEXT}</a>\n      <span class="tag">' in html
    assert f'<a href="/werkgroepen/groep/">Groep {AS_TEXT}</a>\n      <span class="tag">' in html


def test_the_city_comparison_marks_the_lead_city_of_a_group_and_a_track(client, named_with_markup):
    html = _page(client, "/steden/vergelijken/")
    lead_cell = '<td class="matrix__cell matrix__cell--lead"><span aria-hidden="true">★</span><span class="visually-hidden">trekker</span></td>'
    for name in (f"Groep {AS_TEXT}", f"Spoor {AS_TEXT}"):
        row = html[html.index(name):]
        row = row[:row.index("</tr>")]
        assert row.count(lead_cell) == 1
