"""City, comparison, programme and group pages answer 'what does the Kenniscentrum do, and is my city in it?'."""
import datetime
import re

import icalendar
import pytest
from django.utils import timezone

from programmes.models import EditorialStatus, Meeting, Outcome, ProgrammePeriod
from reports.models import Edition
from reports.services import edition_publish
from tests.factories import (
    make_city, make_edition, make_group, make_group_year, make_meeting, make_programme, make_staff, make_track, make_track_year,
    outline,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def periods(db):
    for start in (2017, 2022):
        ProgrammePeriod.objects.get_or_create(
            slug=f"{start}-{start + 4}", defaults={"name": f"Periode {start}", "start_year": start, "end_year": start + 4}
        )


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _between(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def test_a_track_of_an_earlier_period_is_folded_away_under_its_programme_of_then(periods, client):
    city = make_city()
    then, now = make_programme(name="Europa"), make_programme(name="Klimaat")
    track = make_track(programme=now, title="BE-REEL!")
    track.cities.add(city)
    make_track_year(track=track, programme=then, year=2020)
    make_track_year(track=track, programme=now, year=2024)
    html = client.get(city.get_absolute_url()).content.decode()
    current, earlier = html.split("Eerdere periodes")
    assert "Klimaat" in _text(current) and "BE-REEL! werkspoor neemt deel 2024" in _text(current)
    assert "Europa" not in current
    assert "Europa BE-REEL! werkspoor neemt deel 2020" in _text(earlier)


def test_upcoming_meetings_come_from_the_citys_groups_and_tracks_and_its_feed_holds_them(client):
    city, elsewhere = make_city(name="Genk"), make_city()
    group, other = make_group(name="Werkgroep GDPR"), make_group(name="Werkgroep Anders")
    group.cities.add(city)
    track = make_track()
    track.lead_cities.add(city)
    private = make_group(is_public=False)
    private.cities.add(city)
    planned = Meeting.Status.PLANNED
    make_meeting(group=group, host_city=elsewhere, year=2025, month=9, day=3, status=planned, title="GDPR in september")
    make_meeting(track=track, year=2025, month=10, day=1, status=planned, title="Spoor in oktober")
    make_meeting(group=group, year=2025, month=2, day=1, title="GDPR in februari")  # already held
    make_meeting(group=other, year=2025, month=9, day=4, status=planned, title="Niet van Genk")
    make_meeting(group=private, year=2025, month=9, day=5, status=planned, title="Besloten")

    html = _text(client.get(city.get_absolute_url()).content.decode())
    upcoming = html[html.index("Komende bijeenkomsten"):]
    assert "GDPR in september" in upcoming and "Spoor in oktober" in upcoming
    assert upcoming.index("GDPR in september") < upcoming.index("Spoor in oktober")
    for absent in ("GDPR in februari", "Niet van Genk", "Besloten"):
        assert absent not in upcoming

    page = client.get(city.get_absolute_url()).content.decode()
    assert f'href="/steden/{city.slug}/kalender.ics"' in page
    response = client.get(f"/steden/{city.slug}/kalender.ics")
    assert response["Content-Type"].startswith("text/calendar")
    titles = {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert titles == {"GDPR in september", "Spoor in oktober", "GDPR in februari"}
    assert client.get("/steden/nergens/kalender.ics").status_code == 404


def _matrix_row(html: str, table_id: str, name: str) -> list[str]:
    table = _between(html, f'id="{table_id}"', "</table>")
    row = next(r for r in table.split("<tr>") if f">{name}</a>" in r)
    return [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]


def test_the_matrix_marks_a_lead_city_apart_from_those_taking_part(periods, client):
    aalst, brugge, gent = make_city(name="Aalst"), make_city(name="Brugge"), make_city(name="Gent")
    group = make_group(name="Werkgroep OBMi", start_year=2015, lead_city=gent)
    group.cities.add(aalst, gent)
    track = make_track(title="Klimaatgovernance")
    track.lead_cities.add(brugge)
    track.cities.add(aalst)
    make_track_year(track=track, year=2024)
    make_group(name="Werkgroep zonder steden")
    html = client.get("/steden/vergelijken/").content.decode()

    # Columns in city order: Aalst, Brugge, Gent; the mark is text for screen readers, a symbol on screen.
    assert _matrix_row(html, "werkgroepen", "Werkgroep OBMi") == ["★ trekker" if c == "Gent" else "● neemt deel" if c == "Aalst" else ""
                                                                   for c in ("Aalst", "Brugge", "Gent")]
    assert _matrix_row(html, "werksporen", "Klimaatgovernance") == ["● neemt deel", "★ trekker", ""]
    assert f'<th scope="col" class="matrix__city"><a href="/steden/{gent.slug}/"><span>Gent</span></a></th>' in html
    assert "<caption" in html and 'scope="row"' in html
    assert "★ trekker" in _text(_between(html, 'class="legend"', "</ul>"))
    assert "1 werkgroep zonder geregistreerde steden staat niet in de tabel" in _text(html)
    assert "Werkgroep zonder steden" not in html
    assert 'href="/steden/vergelijken/"' in client.get("/steden/").content.decode()


def test_the_matrix_year_selector_narrows_to_that_year_and_refuses_nonsense_in_dutch(periods, client):
    city = make_city()
    old, new = make_track(title="Spoor van 2020"), make_track(title="Spoor van 2024")
    for track, year in ((old, 2020), (new, 2024)):
        track.cities.add(city)
        make_track_year(track=track, year=year)
    current = _text(client.get("/steden/vergelijken/").content.decode())
    assert "Spoor van 2024" in current and "Spoor van 2020" not in current
    in_2020 = _text(client.get("/steden/vergelijken/?jaar=2020").content.decode())
    assert "Spoor van 2020" in in_2020 and "Spoor van 2024" not in in_2020
    for nonsense in ("1999", "abc", "２０２０", "20200"):
        response = client.get(f"/steden/vergelijken/?jaar={nonsense}")
        assert response.status_code == 200
        assert "geen gegevens; je ziet de huidige periode" in response.content.decode()


def test_the_programme_timeline_puts_current_tracks_first_with_start_years_and_ends(periods, client):
    programme, klimaat = make_programme(name="Smart Cities"), make_programme(name="Klimaat", short_name="Klimaat")
    running = make_track(programme=programme, title="Digitale inclusie", start_year=2023)
    make_track_year(track=running, year=2024, outcome=Outcome.POSTPONED, postponed_to=2025)
    make_track_year(track=running, year=2025, report_text="")
    done_child = make_track(programme=programme, title="Afgerond deelspoor", parent=running, end_year=2024)
    make_track_year(track=done_child, year=2024)
    child = make_track(programme=programme, title="City Deal E-inclusion", parent=running)
    make_track_year(track=child, year=2024)
    moved = make_track(programme=klimaat, title="BE-REEL!")
    make_track_year(track=moved, programme=programme, year=2020)
    make_track_year(track=moved, programme=klimaat, year=2024)
    ended = make_track(programme=programme, title="Slimme verlichting", end_year=2023)
    make_track_year(track=ended, year=2022)

    html = client.get(programme.get_absolute_url()).content.decode()
    current, earlier = html.split("Afgeronde, verhuisde en eerder vermelde werksporen")
    current_text = _text(current)
    assert "Digitale inclusie werkspoor Gestart in 2023 2024 jaarplan" in current_text
    assert "uitgesteld tot 2025" in current_text
    assert "2025 jaarplan geen jaarverslagtekst Loopt nog" in " ".join(current_text.replace("→ , daarna", "").split())
    # The sub-track sits in its parent's list, not beside it.
    nested = _between(current, 'id="spoor-' + running.slug + '"', 'class="timeline__step timeline__step--end">Loopt nog')
    assert "City Deal E-inclusion" not in nested
    assert 'class="timeline timeline--nested"' in current
    assert current.index("City Deal E-inclusion") < current.index("Afgerond deelspoor")  # current sub-tracks first
    earlier_text = _text(earlier)
    assert "BE-REEL! werkspoor Eerst vermeld in 2020" in earlier_text and "Verhuisd naar Klimaat in 2024" in earlier_text
    assert "Slimme verlichting werkspoor Eerst vermeld in 2022 2022" in earlier_text and "Afgerond in 2023" in earlier_text
    assert "BE-REEL!" not in current_text and "Slimme verlichting" not in current_text


def test_a_private_groups_feed_is_not_linked(client):
    group = make_group(is_public=False)
    make_group_year(group=group, year=2024, frequency="maandelijks")
    public = make_group()
    make_group_year(group=public, year=2024, frequency="maandelijks")
    assert "maandelijks" in client.get(public.get_absolute_url()).content.decode()
    assert client.get(group.get_absolute_url()).status_code == 404


def _sentence(html: str) -> str:
    """The page's text as read: tags gone, no space left before a comma."""
    return re.sub(r" ([,.)])", r"\1", _text(html))


def test_a_group_page_names_its_next_recorded_meeting(client):
    group = make_group(frequency="maandelijks")
    make_meeting(group=group, year=2025, month=5, day=6, title="Voorbij")
    make_meeting(group=group, year=2025, month=9, day=3, status=Meeting.Status.PLANNED, title="Na de zomer",
                 host_city=make_city(name="Mechelen"))
    make_meeting(group=group, year=2025, month=10, day=1, status=Meeting.Status.PLANNED, title="Later")
    make_meeting(group=group, year=2025, month=7, day=1, status=Meeting.Status.PLANNED, title="Besloten", is_public=False)

    html = _sentence(client.get(group.get_absolute_url()).content.decode())

    assert "Volgende bijeenkomst: 3 september 2025, Na de zomer, Mechelen" in html


def test_a_group_without_a_planned_meeting_says_so_with_its_rhythm_and_invents_no_date(client):
    group = make_group(frequency="om de zes weken")
    make_meeting(group=group, year=2025, month=3, day=4, title="Voorbij")
    make_meeting(group=group, year=2025, month=6, day=12, status=Meeting.Status.CANCELLED, title="Afgelast")

    html = _text(client.get(group.get_absolute_url()).content.decode())

    assert "Volgende bijeenkomst: nog niet gepland (de groep komt om de zes weken samen)" in html


def test_a_postponed_next_meeting_says_its_new_date_is_not_known_yet(client):
    group = make_group()
    make_meeting(group=group, year=2025, month=9, day=3, status=Meeting.Status.POSTPONED, title="Verschoven")

    html = _sentence(client.get(group.get_absolute_url()).content.decode())

    assert "Volgende bijeenkomst: 3 september 2025, Verschoven uitgesteld, nieuwe datum nog niet gekend" in html


def test_where_a_postponed_activity_went_is_recorded_once_and_said_on_every_page_feed_and_dataset(client):
    """'Uitgesteld naar februari 2026': the activity on its new date is recorded as planned, with only a
    month; the postponed one points at it, and the group page, the calendar, the jaarverslag, the feed
    and the open data all say where it went."""
    track = make_track(title="KBO-werking")
    group = make_group(name="KBO-netwerk", start_year=2025)
    group.tracks.add(track)
    later = make_meeting(group=group, year=2025, month=10, status=Meeting.Status.PLANNED, title="Netwerkdag audit")
    make_meeting(group=group, year=2025, month=6, day=18, status=Meeting.Status.POSTPONED, title="Netwerkdag audit",
                 rescheduled_as=later)
    make_track_year(track=track, year=2025)
    outline(make_edition(kind=Edition.Kind.REPORT, year=2025, status=EditorialStatus.DRAFT))

    group_page = _sentence(client.get(group.get_absolute_url()).content.decode())
    assert "Volgende bijeenkomst: 18 juni 2025, Netwerkdag audit uitgesteld: nieuwe datum oktober 2025" in group_page
    assert "uitgesteld: nieuwe datum oktober 2025" in _text(client.get("/kalender/?jaar=2025").content.decode())
    assert "Uitgesteld\\; nieuwe datum: oktober 2025." in client.get(f"{group.get_absolute_url()}kalender.ics").content.decode()
    rows = client.get("/open-data/2025/vergaderingen.json").json()["rows"]
    assert [r["new_date"] for r in rows if r["status"] == "uitgesteld"] == ["2025-10"]
    edition_publish(edition=Edition.objects.get(year=2025), by=make_staff("Eindredacteur"), confirm_warnings=True)
    assert "uitgesteld naar oktober 2025" in _text(client.get("/jaarverslag/2025/").content.decode())


def test_once_a_period_has_ended_the_home_and_city_pages_still_agree_on_the_current_one(client):
    # TODAY is in 2025; the last period ended in 2024 and the next one is not entered yet.
    earlier = ProgrammePeriod.objects.create(name="Derde overeenkomst", slug="p2015", start_year=2015, end_year=2019)
    ended = ProgrammePeriod.objects.create(name="Vierde overeenkomst", slug="p2020", start_year=2020, end_year=2024)
    old, running = make_programme(name="Oud programma"), make_programme(name="Lopend programma")
    old.periods.add(earlier)
    running.periods.add(ended)
    city = make_city()
    track = make_track(programme=running, title="Deelname")
    track.cities.add(city)
    make_track_year(track=track, programme=running, year=2024)

    home = _text(client.get("/").content.decode())
    assert "Programma's 2020-2024 Lopend programma" in home
    assert "Oud programma" not in home
    city_page = _text(client.get(city.get_absolute_url()).content.decode())
    assert "Vierde overeenkomst (2020–2024), de huidige periode" in city_page


def test_the_editorial_team_sees_which_texts_of_a_track_are_not_published_yet(client, staff_client):
    track = make_track()
    make_track_year(track=track, year=2023)
    make_track_year(track=track, year=2024, report_status=EditorialStatus.REVIEW)
    staff = staff_client.get(track.get_absolute_url()).content.decode()
    assert re.findall(r'<span class="tag tag--draft">([^<]*)</span>', staff) == ["klaar voor nalezing"]
    assert "Teksten met het label ‘concept’ of ‘klaar voor nalezing’ ziet een bezoeker niet." in staff
    public = client.get(track.get_absolute_url()).content.decode()
    assert "tag--draft" not in public and "Wat we deden." in public  # 2023's report


# The demo content is loaded once for the rest of this module: these come last.
def test_gent_lists_werkgroep_obmi_under_its_programme_with_years_current_period_first(demo, client):
    html = client.get("/steden/gent/").content.decode()
    current = _text(_between(html, 'id="periode-nu">', "Eerdere periodes"))
    assert current.startswith('id="periode-nu">Vierde samenwerkingsovereenkomst (2022–2026), de huidige periode')
    obmi = current[current.index("O(mgeving) B(eleid) M(anagement) informatie"):current.index("Smart Cities")]
    assert "OBMi werkspoor trekker 2024–2025" in obmi
    assert "Werkgroep OBMi werkgroep neemt deel 2022–2025" in obmi
    earlier = _text(html[html.index("Eerdere periodes"):html.index("Komende bijeenkomsten")])
    assert "Werkgroep OBMi werkgroep neemt deel 2017–2021" in earlier
    assert "<details" in html[:html.index("Eerdere periodes")]


def test_the_group_page_offers_a_subscription_to_its_feed_and_says_per_year_how_often_it_met(demo, client):
    html = client.get("/werkgroepen/werkgroep-obmi/").content.decode()
    facts = _text(_between(html, '<dl class="facts">', "</dl>"))
    assert 'href="webcal://testserver/werkgroepen/werkgroep-obmi/kalender.ics">Abonneren</a>' in html
    assert 'value="http://testserver/werkgroepen/werkgroep-obmi/kalender.ics"' in html  # to paste into Outlook or Google
    assert all(agenda in _text(html) for agenda in ("Outlook", "Google Agenda", "Apple Agenda"))
    assert "wie deelnam wordt niet per jaar bijgehouden" in facts and "Gent" in facts
    table = _text(_between(html, "<table", "</table>"))
    assert "2024 om de zes weken 7 keer" in table and "2025 niet vermeld 7 keer" in table
    assert "De werkgroep kwam in 2024 7 keer samen." in _text(html[html.index('id="jaar-2024"'):])


def test_a_group_page_lists_an_activity_known_only_by_its_year_after_the_dated_ones(client):
    from tests.factories import make_group, make_meeting

    group = make_group()
    make_meeting(group=group, title="Ergens in het jaar", year=2024)
    make_meeting(group=group, title="Begin van het jaar", year=2024, period="begin")
    make_meeting(group=group, title="In maart", year=2024, month=3)
    html = client.get(group.get_absolute_url()).content.decode()
    assert html.index("Begin van het jaar") < html.index("In maart") < html.index("Ergens in het jaar")

