"""Search: every word must match, at the start of a word, in the item or what it belongs to."""
import pytest
from django.urls import reverse

from programmes.models import EditorialStatus
from tests.factories import make_city, make_group, make_programme, make_track, make_track_year

pytestmark = pytest.mark.django_db


def _search(client, q):
    return client.get(reverse("programmes:search"), {"q": q}).context


def test_two_words_find_what_matches_both_in_the_item_or_what_it_belongs_to(client):
    klimaat = make_programme(name="Klimaat", slug="klimaat")
    gent, genk = make_city(name="Gent", slug="gent"), make_city(name="Genk", slug="genk")
    with_gent = make_track(title="Klimaatplannen en hun uitvoering", programme=klimaat)
    with_gent.cities.add(gent)
    other = make_track(title="Renovatiegolf", programme=klimaat)
    other.cities.add(genk)
    group = make_group(name="Lerend netwerk klimaat", programme=klimaat)
    group.cities.add(gent)

    ctx = _search(client, "klimaat gent")
    assert [t.title for t in ctx["tracks"]] == ["Klimaatplannen en hun uitvoering"]
    assert [g.name for g in ctx["groups"]] == ["Lerend netwerk klimaat"]
    assert [t.title for t in _search(client, "renovatiegolf genk")["tracks"]] == ["Renovatiegolf"]


def test_words_match_at_word_starts_not_inside_words(client):
    make_group(name="Werkgroep AI")
    make_group(name="Stuurgroep Smart Portraits")
    assert [g.name for g in _search(client, "ai")["groups"]] == ["Werkgroep AI"]


def test_programmes_and_cities_are_results_too(client):
    make_programme(name="Klimaat", slug="klimaat")
    make_city(name="Gent", slug="gent")
    assert [p.name for p in _search(client, "klimaat")["programmes"]] == ["Klimaat"]
    html = client.get(reverse("programmes:search"), {"q": "gent"}).content.decode()
    assert 'href="/steden/gent/"' in html


def test_texts_are_searched_only_where_the_visitor_may_read_them(client):
    make_track_year(year=2024, report_text="<p>De rechtenverkenner ging live.</p>")
    make_track_year(year=2025, report_text="<p>Rechtenverkenner in concept.</p>", report_status=EditorialStatus.DRAFT,
                    plan_text="")
    assert [ty.year for ty in _search(client, "rechtenverkenner")["track_years"]] == [2024]


def test_nothing_found_suggests_where_to_look(client):
    html = client.get(reverse("programmes:search"), {"q": "qqxqq"}).content.decode()
    assert "Niets gevonden" in html and 'href="/programmas/"' in html and 'href="/steden/"' in html
