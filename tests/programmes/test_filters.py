"""List filters: a city takes part through the track or the group; every option shows its count."""
import re

import django_filters
import pytest

from programmes.filters import FacetFilterSet
from programmes.models import City, WorkTrack
from programmes.selectors import pairs
from tests.factories import (
    make_city, make_group, make_group_year, make_meeting, make_organisation, make_programme, make_track, make_track_year,
)

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


@pytest.mark.parametrize("n, pages", [(0, 1), (25, 1), (26, 2), (51, 3)])
def test_track_list_counts_and_pages_at_the_page_boundary(client, n, pages):
    """The first page is read with one row to spare; the total and the pages stay right around 25 per page."""
    for i in range(n):
        make_track(title=f"Spoor {i:02}")
    first = client.get("/werksporen/")
    html = first.content.decode()
    assert f'<p class="result-count" role="status">{n} ' in html
    assert len(first.context["object_list"]) == min(n, 25)
    assert (f"Pagina 1 van {pages}" in html) == (pages > 1)
    if pages > 1:
        last = client.get(f"/werksporen/?page={pages}")
        assert f"Pagina {pages} van {pages}" in last.content.decode()
        assert len(last.context["object_list"]) == n - 25 * (pages - 1)
        assert client.get(f"/werksporen/?page={pages + 1}").status_code == 404


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


@pytest.mark.parametrize("path, none_found", [
    ("/werksporen/", "<li>Geen werksporen gevonden met deze filters.</li>"),
    ("/werkgroepen/", "<li>Geen werkgroepen gevonden met deze filters.</li>"),
    ("/kalender/", "<p>Geen activiteiten gevonden met deze filters.</p>"),
])
def test_a_list_whose_filters_match_nothing_says_so(client, path, none_found):
    make_city(name="Genk", slug="genk")
    group = make_group()
    group.tracks.add(make_track_year(year=2024).track)
    make_meeting(group=group, year=2024, month=3)
    assert none_found not in client.get(path).content.decode()
    assert none_found in client.get(f"{path}?stad=genk").content.decode()


def _world_with_private_items():
    """Tracks, groups and meetings reaching cities, partners, programmes and years in every way a filter follows,
    with private and draft material in between."""
    gent, genk, leuven = (make_city(name=n, slug=n.lower()) for n in ("Gent", "Genk", "Leuven"))
    veka, vvsg = make_organisation(name="VEKA", slug="veka"), make_organisation(name="VVSG", slug="vvsg")
    klimaat, europa = make_programme(name="Klimaat", slug="klimaat"), make_programme(name="Europa", slug="europa")
    led = make_track(title="Geleid", programme=klimaat, kind="city_deal", start_year=2020)
    led.lead_cities.add(gent)
    led.cities.add(genk)
    led.partners.add(veka)
    make_track_year(track=led, year=2024)
    make_track_year(track=led, year=2025, plan_status="draft", report_status="draft")
    ended = make_track(title="Afgerond", programme=europa, start_year=2012, end_year=2014)
    make_track_year(track=ended, year=2013)
    hidden = make_track(title="Verborgen", programme=europa, is_public=False)
    hidden.cities.add(leuven)
    make_track_year(track=hidden, year=2024)
    public_group = make_group(name="Open werkgroep", programme=klimaat, lead_city=leuven)
    public_group.cities.add(genk)
    public_group.partners.add(vvsg)
    public_group.tracks.add(ended, hidden)
    make_group_year(group=public_group, year=2023)
    private_group = make_group(name="Besloten werkgroep", kind="taskforce", end_year=2015, is_public=False)
    private_group.cities.add(gent)
    private_group.tracks.add(ended)
    no_programme = make_group(name="Zonder programma", kind="steering_group")
    no_programme.tracks.add(led)
    make_meeting(group=public_group, year=2024, month=3, host_city=gent)
    make_meeting(group=public_group, year=2022, month=5, is_public=False)
    make_meeting(group=private_group, year=2021, month=6)
    make_meeting(track=led, year=2024, month=9, kind="workshop", host_city=leuven)
    make_meeting(track=hidden, year=2025, month=1, status="planned")
    make_meeting(group=no_programme, track=ended, year=2025, month=2, kind="workshop", status="cancelled")
    make_meeting(title="Los", year=2024, month=11, host_city=genk)


OPTION = re.compile(r'<select name="([a-z]+)"[^>]*>(.*?)</select>', re.S)
COUNTED = re.compile(r'<option value="([^"]+)"[^>]*>[^<]* \((\d+)\)</option>')


def _counted_options(html):
    return [(name, value, int(n)) for name, options in OPTION.findall(html) for value, n in COUNTED.findall(options)]


def _result_count(response):
    return response.context["paginator"].count if response.context["paginator"] else len(response.context["object_list"])


@pytest.mark.parametrize("path", ["/werksporen/", "/werkgroepen/", "/kalender/"])
@pytest.mark.parametrize("chosen", ["", "jaar=2024&", "stad=genk&"])
@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_every_option_counts_what_choosing_it_gives(client, staff_client, path, chosen, who):
    """The promise of the counts, option by option, also where private groups, draft texts and
    private meetings sit in between (an anonymous visitor's counts leave them out)."""
    _world_with_private_items()
    visitor = staff_client if who == "editor" else client
    options = _counted_options(visitor.get(f"{path}?{chosen}").content.decode())
    assert {name for name, _value, _n in options} == {"jaar", "programma", "soort", "stad", "partner", "status"}
    for name, value, n in options:
        if f"{name}=" in chosen:
            continue  # a facet's own choice is replaced, not added to
        assert _result_count(visitor.get(f"{path}?{chosen}{name}={value}")) == n, (name, value)


class _KindAndCityCounts(FacetFilterSet):
    """A FilterSet that only says which (item, value) pairs each facet has, as a new list would start."""

    soort = django_filters.ChoiceFilter(field_name="kind", choices=WorkTrack.Kind.choices)
    stad = django_filters.ModelChoiceFilter(field_name="cities", queryset=City.objects.all(), to_field_name="slug")

    class Meta:
        model = WorkTrack
        fields = []

    def facet_pairs(self, name, queryset):
        if name == "soort":
            return [pairs(queryset, "pk", "kind")]
        return [pairs(queryset, "pk", "cities__slug"), pairs(queryset, "pk", "lead_cities__slug")]


def test_facet_pairs_alone_give_the_counts(rf):
    gent = make_city(name="Gent", slug="gent")
    for kind in ("city_deal", "city_deal", "project"):
        make_track(kind=kind).cities.add(gent)
    make_track(kind="city_deal").lead_cities.add(gent)
    make_track(kind="project")
    both = make_track(kind="project")
    both.cities.add(gent)
    both.lead_cities.add(gent)  # one track, counted once

    counted = _KindAndCityCounts({"soort": "project"}, queryset=WorkTrack.objects.all(), request=rf.get("/"))
    counted.add_counts()
    form = counted.form
    assert dict(form.fields["soort"].choices)["city_deal"] == "City Deal (3)"  # the facet's own choice left out
    assert [form.fields["stad"].label_from_instance(city) for city in City.objects.all()] == ["Gent (2)"]  # projects only


@pytest.mark.parametrize("path", ["/werksporen/", "/werkgroepen/", "/kalender/", "/zoeken/?q=spoor"])
def test_every_select_offers_its_all_option_once(client, path):
    make_track_year(year=2024, track=make_track(title="Spoor"))
    html = client.get(path).content.decode()
    selects = re.findall(r"<select.*?</select>", html, re.S)
    assert selects
    for select in selects:
        assert select.count('<option value=""') == 1, select[:200]


def test_calendar_links_each_meeting_to_its_own_group_or_track_when_slugs_are_shared(client):
    group, track = make_group(name="Werkgroep Klimaat", slug="klimaat"), make_track(title="Werkspoor Klimaat", slug="klimaat")
    make_meeting(group=group, title="Van de groep", year=2025, month=3)
    make_meeting(track=track, title="Van het spoor", year=2025, month=4)
    make_meeting(group=group, title="Weer van de groep", year=2025, month=5)
    html = client.get("/kalender/").content.decode()
    items = {title: html[html.index(title):html.index("</li>", html.index(title))] for title in
             ("Van de groep", "Van het spoor", "Weer van de groep")}
    assert '<a href="/werkgroepen/klimaat/">Werkgroep Klimaat</a>' in items["Van de groep"]
    assert '<a href="/werkgroepen/klimaat/">Werkgroep Klimaat</a>' in items["Weer van de groep"]
    assert '<a href="/werksporen/klimaat/">Werkspoor Klimaat</a>' in items["Van het spoor"]
