"""List filters: a city takes part through the track or the group; every option shows its count."""
import pytest

from tests.factories import make_city, make_group, make_meeting, make_organisation, make_programme, make_track, make_track_year

pytestmark = pytest.mark.django_db


def _titles(response):
    return sorted(str(item) for item in response.context["object_list"])


def test_track_list_finds_what_a_city_leads_takes_part_in_or_joins_through_a_group(client):
    gent = make_city(name="Gent", slug="gent")
    make_track(title="Geleid").lead_cities.add(gent)
    make_track(title="Deelname").cities.add(gent)
    via_group = make_track(title="Via werkgroep")
    group = make_group()
    group.cities.add(gent)
    group.tracks.add(via_group)
    make_track(title="Zonder Gent")
    assert _titles(client.get("/werksporen/?stad=gent")) == ["Deelname", "Geleid", "Via werkgroep"]


def test_options_count_what_the_other_filters_leave(client):
    gent, genk = make_city(name="Gent", slug="gent"), make_city(name="Genk", slug="genk")
    in_2024 = make_track_year(year=2024).track
    in_2024.cities.add(gent)
    in_2025 = make_track_year(year=2025).track
    in_2025.cities.add(genk)
    html = client.get("/werksporen/?jaar=2024").content.decode()
    assert ">Gent (1)</option>" in html and ">Genk (0)</option>" in html
    assert ">2024 (1)</option>" in html and ">2025 (1)</option>" in html  # the year's own facet ignores the year chosen


def test_partner_and_status_filters(client):
    veka = make_organisation(name="VEKA", slug="veka")
    make_track(title="Met VEKA", end_year=None).partners.add(veka)
    make_track(title="Afgerond", start_year=2012, end_year=2014)
    assert _titles(client.get("/werksporen/?partner=veka")) == ["Met VEKA"]
    assert _titles(client.get("/werksporen/?status=ended")) == ["Afgerond"]
    assert ">VEKA (1)</option>" in client.get("/werksporen/").content.decode()


def test_pagination_keeps_the_filters(client):
    programme = make_programme(slug="klimaat")
    for i in range(30):
        make_track(title=f"Spoor {i:02}", programme=programme)
    html = client.get("/werksporen/?programma=klimaat").content.decode()
    assert "programma=klimaat&amp;page=2" in html


def test_calendar_city_means_taking_part_not_only_hosting(client):
    gent, leuven = make_city(name="Gent", slug="gent"), make_city(name="Leuven", slug="leuven")
    group = make_group(name="Werkgroep OBMi")
    group.cities.add(gent)
    make_meeting(group=group, title="OBMi in Leuven", host_city=leuven, year=2025, month=3)
    make_meeting(title="Elders", host_city=leuven, year=2025, month=4)
    response = client.get("/kalender/?jaar=2025&stad=gent")
    assert [m.title for m in response.context["object_list"]] == ["OBMi in Leuven"]
    assert ">Gent (1)</option>" in response.content.decode()


def test_nonsense_filter_values_give_a_dutch_message_not_an_error(client):
    response = client.get("/werksporen/?jaar=abc&stad=nergens&status=x")
    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
