"""Nonsense in the query string of any list or search page gets a page or a 4xx, never a 5xx."""
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_city, make_group, make_meeting, make_organisation, make_programme, make_track_year

pytestmark = pytest.mark.django_db

URLS = [
    "/programmas/", "/werksporen/", "/werkgroepen/", "/kalender/", "/zoeken/", "/steden/", "/steden/vergelijken/", "/edities/",
    "/open-data/", "/",
]
KEYS = ["q", "jaar", "programma", "soort", "status", "stad", "partner", "periode", "page", "voorbeeld", "o", "x"]

odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(["\x00", "a\x00b", "%00", "'", '"', "\\", "<script>", "%", "_", "*", "ａｉ", "ĳ", "\u202e", "\ufeff", "🤖"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["-1", "0", "2024.5", "1e9", "NaN", "9999", "00002024", "gent", "obmi", "held", "2024,2025", "groups", "running",
                     "veka", "a:*", "!(&|", "klimaat:*A", "'\\'"]),
    st.just("x" * 10000),
)
params = st.lists(st.tuples(st.sampled_from(KEYS), odd_text), max_size=6)


@pytest.fixture
def some_data(db):
    ty = make_track_year(year=2024)
    group = make_group(programme=ty.programme)
    group.cities.add(make_city(slug="gent", name="Gent"))
    make_meeting(group=group, year=2024, month=5)
    make_programme(slug="obmi")
    ty.track.partners.add(make_organisation(slug="veka"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=params)
def test_hostile_query_strings_never_give_a_server_error(client, some_data, pairs):
    query = urlencode(pairs)
    for url in URLS:
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (url, query[:300])
