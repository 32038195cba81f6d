"""Public list and detail pages use a number of queries that does not grow with the data."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.search import index as searchindex
from programmes.models import Meeting
from tests.factories import (
    make_city, make_funding, make_group, make_group_year, make_link, make_meeting, make_organisation, make_programme,
    make_result, make_track, make_track_year,
)

pytestmark = pytest.mark.django_db


def _world(n, city, programme, partner=None):
    for i in range(n):
        track = make_track(programme=programme)
        track.cities.add(city)
        track.lead_cities.add(city)
        if partner is not None:
            track.partners.add(partner)
        ty = make_track_year(track=track, year=2024)
        make_link(track_year=ty)
        make_result(track_year=ty, target="2", achieved="3")
        make_funding(track=track, start_year=2024)
        group = make_group(programme=programme)
        group.cities.add(city)
        group.tracks.add(track)
        make_group_year(group=group, year=2024)
        make_meeting(group=group, track=track, host_city=city, year=2024, month=1 + i % 12)
        make_meeting(group=group, year=2099, month=1 + i % 12, status=Meeting.Status.PLANNED)  # upcoming
        moved = make_track_year(track=make_track(programme=make_programme()), programme=programme, year=2023)
        moved.track.cities.add(city)
        child = make_track(programme=programme, parent=track)
        make_track_year(track=child, year=2025)


def _queries(client, path):
    return _queries_and_pages(client, path)[0]


def _queries_and_pages(client, path):
    """Queries of a page, and whether it is a list over more than one page."""
    searchindex.flush()  # what a commit does: the writes reach the search index before any visitor searches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
        assert response.status_code == 200
    return len(ctx.captured_queries), bool(response.context and response.context.get("is_paginated"))


@pytest.mark.parametrize("path", [
    "/", "/programmas/", "/programmas/{programme}/", "/werkgroepen/", "/werkgroepen/?jaar=2024&stad={city}",
    "/steden/", "/steden/{city}/", "/steden/{city}/kalender.ics", "/steden/vergelijken/", "/steden/vergelijken/?jaar=2024",
    "/kalender/", "/kalender/?jaar=2024", "/kalender/?jaar=2024&stad={city}&partner={partner}",
    "/werksporen/", "/werksporen/?jaar=2024&stad={city}&status=running&page=1", "/werkgroepen/?partner={partner}&status=active",
    "/zoeken/?q=Werk", "/zoeken/?q=werk+{city_name}&jaar=2024", "/zoeken/?q=werkgroep&programma={programme}&soort=groups",
    "/zoeken/?q=werk&jaar=2024&programma={programme}&stad={city}",
    "/open-data/2024/werksporen.csv", "/open-data/2024/werkgroepen.json", "/open-data/2024/links.csv", "/kalender.ics",
    "/open-data/2024/teksten.csv", "/open-data/catalogus.ttl", "/werkgroepen/{group}/", "/toegankelijkheid/",
    "/open-data/2024/resultaten.csv",
])
def test_page_queries_do_not_grow_with_the_number_of_items(client, path):
    city, programme, partner = make_city(), make_programme(), make_organisation()
    group = make_group(programme=programme)
    url = path.format(city=city.slug, city_name=city.name.split()[0], programme=programme.slug, partner=partner.slug,
                      group=group.slug)
    _world(2, city, programme, partner)
    small, small_paginated = _queries_and_pages(client, url)
    _world(10, city, programme, partner)
    large, large_paginated = _queries_and_pages(client, url)
    # A list that fits on one page is counted from its rows; once it spans pages, one COUNT query more.
    assert large == small + (large_paginated and not small_paginated)


# What these pages cost at most, whatever the data (measured on 23 Nov 2026; the facet counts of a
# list read in two or three queries, the links between items in one). More needs a reason here:
# the calendar's kinds of activity are data since December 2026 (one query for the 'soort' options).
@pytest.mark.parametrize("path, most", [
    ("/werksporen/", 10), ("/werkgroepen/", 8), ("/kalender/", 7), ("/steden/vergelijken/", 7),
    ("/steden/{city}/", 8), ("/programmas/{programme}/", 8),
    ("/werksporen/?jaar=2024&stad={city}&status=running&page=1", 14), ("/kalender/?jaar=2024&stad={city}&partner={partner}", 12),
])
def test_pages_stay_within_their_query_budget(client, django_assert_max_num_queries, path, most):
    city, programme, partner = make_city(), make_programme(), make_organisation()
    _world(3, city, programme, partner)
    searchindex.flush()
    with django_assert_max_num_queries(most):
        assert client.get(path.format(city=city.slug, programme=programme.slug, partner=partner.slug)).status_code == 200


def test_track_page_queries_do_not_grow_with_years_links_and_meetings(client):
    track = make_track()
    group = make_group()
    group.tracks.add(track)

    def add_years(years):
        for year in years:
            ty = make_track_year(track=track, year=year)
            make_link(track_year=ty)
            make_result(track_year=ty, target="3", achieved="4")
            make_funding(track=track, amount="1000", start_year=year, end_year=year, organisation=make_organisation())
            make_meeting(track=track, group=group, year=year, month=3)

    add_years([2020, 2021])
    small = _queries(client, track.get_absolute_url())
    add_years(range(2022, 2030))
    assert _queries(client, track.get_absolute_url()) == small


def test_group_page_queries_do_not_grow_with_meetings_and_years(client):
    city = make_city()
    group = make_group()

    def add_years(years):
        for year in years:
            make_group_year(group=group, year=year)
            for month in (2, 5, 9):
                make_meeting(group=group, year=year, month=month, host_city=city)
            make_meeting(group=group, year=year + 100, month=3, status=Meeting.Status.PLANNED)  # the next ones
            make_link(group=group)

    add_years([2020])
    small = _queries(client, group.get_absolute_url())
    add_years(range(2021, 2026))
    assert _queries(client, group.get_absolute_url()) == small


@pytest.mark.parametrize("query", ["q=werk", "q=werk&jaar=2024&programma={programme}&stad={city}", "q=wekr"])
def test_search_page_with_its_filter_counts_stays_within_eight_queries(client, django_assert_max_num_queries, query):
    """The filter form (one for the years, one for each chosen programme or city and each list of them), the
    words (PostgreSQL), one query for what matches (the results, their totals and every option count), one
    for the results shown, and a spelling suggestion when nothing is found."""
    city, programme, partner = make_city(), make_programme(), make_organisation()
    _world(10, city, programme, partner)
    searchindex.flush()
    with django_assert_max_num_queries(8):
        assert client.get("/zoeken/?" + query.format(city=city.slug, programme=programme.slug)).status_code == 200
