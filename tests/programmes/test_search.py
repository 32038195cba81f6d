"""Search: every word must match in the item or what it belongs to; grouped, ranked, with snippets.

The same cases run on SQLite (word starts) and PostgreSQL (Dutch full-text search); only stemming
and accents differ, and those tests say so.
"""
import re

import pytest
from django.db import connection
from django.urls import reverse

from programmes.models import EditorialStatus
from tests.factories import make_city, make_group, make_link, make_meeting, make_organisation, make_programme, make_track, make_track_year

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


def _page(client, **params):
    return client.get(reverse("programmes:search"), params)


def _titles(client, q, section, **params):
    sections = {s.key: s for s in _page(client, q=q, **params).context["sections"]}
    return [r.title for r in sections[section].results] if section in sections else []


def _result(client, q, section):
    return next(s for s in _page(client, q=q).context["sections"] if s.key == section).results[0]


def test_two_words_find_what_matches_both_in_the_item_or_what_it_belongs_to(client):
    klimaat = make_programme(name="Klimaat", slug="klimaat")
    gent, genk = make_city(name="Gent", slug="gent"), make_city(name="Genk", slug="genk")
    with_gent = make_track(title="Klimaatplannen en hun uitvoering", programme=klimaat)
    with_gent.cities.add(gent)
    other = make_track(title="Renovatiegolf", programme=klimaat)
    other.cities.add(genk)
    group = make_group(name="Lerend netwerk klimaat", programme=klimaat)
    group.cities.add(gent)

    assert _titles(client, "klimaat gent", "tracks") == ["Klimaatplannen en hun uitvoering"]
    assert _titles(client, "klimaat gent", "groups") == ["Lerend netwerk klimaat"]
    assert _titles(client, "renovatiegolf genk", "tracks") == ["Renovatiegolf"]


def test_words_match_at_word_starts_not_inside_words(client):
    make_group(name="Werkgroep AI")
    make_group(name="Stuurgroep Smart Portraits")
    assert _titles(client, "ai", "groups") == ["Werkgroep AI"]


def test_a_word_may_be_the_start_of_a_longer_word(client):
    make_track(title="City Deal Rechtenverkenner 2.0")
    assert _titles(client, "rechtenverk", "tracks") == ["City Deal Rechtenverkenner 2.0"]


def test_programmes_cities_and_partners_are_results_too(client):
    make_programme(name="Klimaat", slug="klimaat")
    make_city(name="Gent", slug="gent")
    partner = make_organisation(name="Vlaams Energie- en Klimaatagentschap", short_name="VEKA", slug="veka")
    make_track(title="Renovatie").partners.add(partner)
    assert _titles(client, "klimaat", "programmes") == ["Klimaat"]
    assert 'href="/steden/gent/"' in _page(client, q="gent").content.decode()
    assert _result(client, "veka", "partners").url == "/werksporen/?partner=veka"


def test_titles_rank_above_texts(client):
    make_track(title="Werkspoor over iets anders", summary="<p>Ook over GDPR.</p>")
    make_track(title="GDPR")
    assert _titles(client, "gdpr", "tracks") == ["GDPR", "Werkspoor over iets anders"]


def test_texts_are_searched_only_where_the_visitor_may_read_them(client):
    make_track_year(year=2024, report_text="<p>De rechtenverkenner ging live.</p>")
    make_track_year(year=2025, report_text="<p>Rechtenverkenner in concept.</p>", report_status=EditorialStatus.DRAFT,
                    plan_text="")
    results = next(s for s in _page(client, q="rechtenverkenner").context["sections"] if s.key == "texts").results
    assert [r.meta.split(" · ")[0] for r in results] == ["Jaarverslag 2024"]


def test_a_text_links_to_its_year_on_the_track_page(client):
    ty = make_track_year(year=2024, report_text="<p>Een nieuwe rechtenverkenner.</p>")
    assert _result(client, "rechtenverkenner", "texts").url == f"/werksporen/{ty.track.slug}/#jaar-2024"


def test_markup_is_not_searched_and_the_snippet_marks_the_words(client):
    make_track(title="Werkspoor", summary='<p>Het <strong>klimaat</strong> in <a href="https://example.org">de steden</a>.</p>')
    assert _titles(client, "strong", "tracks") == [] and _titles(client, "href", "tracks") == []
    snippet = _result(client, "klimaat", "tracks").snippet
    assert "<mark>klimaat</mark>" in snippet and "strong" not in snippet and "href" not in snippet


def test_a_snippet_says_where_it_cuts_the_text_and_keeps_its_first_word(client):
    words = " ".join(f"woord{i}" for i in range(80))
    make_track(title="Lang werkspoor", summary=f"<p>De start. {words} met het klimaat erin. {words} en het einde.</p>")
    make_track(title="Kort werkspoor", summary="<p>De stad en het klimaat.</p>")
    long_snippet = next(r for r in _page(client, q="klimaat").context["sections"][0].results if r.title == "Lang werkspoor").snippet
    assert long_snippet.startswith("… ") and long_snippet.endswith(" …") and "<mark>klimaat</mark>" in long_snippet
    assert _result(client, "stad klimaat", "tracks").snippet == "De <mark>stad</mark> en het <mark>klimaat</mark>."


def test_a_programme_result_says_it_is_a_programme(client):
    make_programme(name="O(mgeving) B(eleid) M(anagement) informatie", short_name="OBMi", slug="obmi")
    assert _result(client, "obmi", "programmes").meta == "Programma · OBMi"


def test_nothing_in_the_content_or_the_query_becomes_markup(client):
    make_track(title="Werkspoor <b>vet</b>", summary="<p>Over &lt;script&gt;alert(1)&lt;/script&gt; en klimaat.</p>")
    html = _page(client, q='klimaat "><script>alert(2)</script>').content.decode()
    html += _page(client, q="klimaat").content.decode()
    assert "<script>alert" not in html and "<b>vet" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_results_are_grouped_with_their_number(client):
    programme = make_programme(name="Klimaat", slug="klimaat")
    make_track(title="Klimaatgovernance", programme=programme)
    make_group(name="Stuurgroep Klimaat")
    html = _page(client, q="klimaat").content.decode()
    assert re.search(r"Werksporen <span class=\"count\">\(1\)</span>", html)
    assert re.search(r"Werkgroepen <span class=\"count\">\(1\)</span>", html)


def test_filters_narrow_the_result_and_the_kinds_show_their_counts(client):
    gent = make_city(name="Gent", slug="gent")
    in_gent = make_track(title="GDPR in de steden")
    in_gent.cities.add(gent)
    make_track(title="GDPR elders")
    group = make_group(name="Werkgroep GDPR")
    make_meeting(group=group, title="Overleg GDPR", year=2025, month=3)
    assert _titles(client, "gdpr", "tracks", stad="gent") == ["GDPR in de steden"]
    assert _titles(client, "gdpr", "meetings", jaar="2025") == ["Overleg GDPR"]
    page = _page(client, q="gdpr", soort="groups")
    assert [s.key for s in page.context["sections"]] == ["groups"]
    assert ">Werksporen (2)</option>" in page.content.decode()


def test_placeholder_links_and_private_items_are_not_found_by_the_public(client):
    make_link(title="Verslag klimaatdag", url="#")
    make_track(title="Geheim klimaatspoor", is_public=False)
    assert _page(client, q="klimaat").context["total"] == 0


def test_nothing_found_suggests_a_spelling_from_the_data_and_where_to_look(client):
    make_track(title="City Deal Rechtenverkenner 2.0")
    make_track(title="Verborgen rechtenverkennerij", is_public=False)
    html = _page(client, q="rechtenverkener").content.decode()
    assert "Bedoelde u: <a href=\"?q=rechtenverkenner\">rechtenverkenner</a>?" in html
    assert 'href="/programmas/"' in html and 'href="/steden/"' in html


def test_the_search_page_has_one_search_box(client):
    html = _page(client, q="klimaat").content.decode()
    assert html.count('role="search"') == 1 and html.count('type="search"') == 1


def test_stemming_and_accents_on_postgresql_only(client):
    make_track(title="Klimaat en energie", summary="<p>Financiële steun voor steden.</p>")
    stemmed, unaccented = _titles(client, "klimaten", "tracks"), _titles(client, "financiele", "tracks")
    expected = ["Klimaat en energie"] if POSTGRES else []
    assert stemmed == expected and unaccented == expected


def _options(html, name):
    """{option value: the count its label shows} of one filter select."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return {value: int(n) for value, n in re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>', select)}


def _climate_in_two_cities():
    klimaat, obmi = make_programme(name="Klimaat", slug="klimaat"), make_programme(name="OBMi", slug="obmi")
    gent, genk = make_city(name="Gent", slug="gent"), make_city(name="Genk", slug="genk")
    track = make_track(title="Klimaatplannen", programme=klimaat)
    track.cities.add(gent)
    make_track_year(track=track, year=2024, plan_text="<p>Klimaat in de steden.</p>")
    make_track_year(track=track, year=2025, report_text="<p>Het klimaatplan ging van start.</p>")
    group = make_group(name="Lerend netwerk klimaat", programme=klimaat)
    group.cities.add(gent, genk)
    make_meeting(group=group, title="Klimaatdag", year=2025, month=5, host_city=genk)
    make_track(title="Klimaatdata", programme=obmi).lead_cities.add(genk)
    return gent, genk


def test_every_year_programme_and_city_option_counts_the_results_choosing_it_gives(client):
    _climate_in_two_cities()
    html = _page(client, q="klimaat").content.decode()
    for name in ("jaar", "programma", "stad"):
        options = _options(html, name)
        assert options, name
        for value, count in options.items():
            assert _page(client, q="klimaat", **{name: value}).context["total"] == count, (name, value)
    # Gent: the track, its two plan and two report texts, the group, the meeting of the group.
    assert _options(html, "stad") == {"genk": 3, "gent": 7}


def test_option_counts_keep_the_other_filters(client):
    _climate_in_two_cities()
    html = _page(client, q="klimaat", jaar="2025", soort="groups").content.decode()
    assert _options(html, "stad") == {"genk": 1, "gent": 1}
    assert _options(html, "programma")["obmi"] == 0
    html = _page(client, q="klimaat", stad="genk").content.decode()
    assert _options(html, "stad") == {"genk": 3, "gent": 7}  # the city options ignore the city chosen
    assert _options(html, "programma") == {"klimaat": 2, "obmi": 1}
    for value, count in _options(html, "jaar").items():
        assert _page(client, q="klimaat", stad="genk", jaar=value).context["total"] == count


def test_drafts_and_private_items_do_not_raise_a_count(client):
    gent, _genk = _climate_in_two_cities()
    before = _page(client, q="klimaat").content.decode()
    hidden = make_track(title="Klimaat achter de schermen", is_public=False)
    hidden.cities.add(gent)
    draft = make_track(title="Klimaatrobuust bouwen")
    draft.cities.add(gent)
    make_track_year(track=draft, year=2024, plan_text="<p>Klimaat.</p>", plan_status=EditorialStatus.DRAFT, report_text="")
    html = _page(client, q="klimaat").content.decode()
    assert _options(html, "stad")["gent"] == _options(before, "stad")["gent"] + 1  # the public track, not its draft text
    assert _options(html, "jaar")["2024"] == _options(before, "jaar")["2024"]


@pytest.mark.parametrize("q, page", [
    ("financiën", "Financiën"), ("financien", "Financiën"), ("uitgaven", "Financiën"), ("afrekening", "Financiën"),
    ("open data", "Open data"), ("toegankelijkheid", "Toegankelijkheidsverklaring"), ("abonneren", "Kalender"),
])
def test_the_sites_own_pages_are_found_by_what_people_call_them(client, q, page):
    sections = {s.key: s for s in _page(client, q=q).context["sections"]}
    assert page in [r.title for r in sections["pages"].results]


def test_a_word_about_something_else_finds_no_page_of_the_site(client):
    make_track(title="Klimaatplannen")
    assert "pages" not in {s.key for s in _page(client, q="klimaat").context["sections"]}


def test_a_chosen_filter_leaves_the_sites_pages_out_as_it_does_any_kind_without_that_path(client):
    make_city(name="Gent", slug="gent")
    assert "pages" not in {s.key for s in _page(client, q="financiën", stad="gent").context["sections"]}


def test_the_settlement_of_a_published_jaarverslag_is_found_and_leads_to_its_afrekening(client):
    from programmes.models import EditorialStatus
    from reports.models import Edition
    from tests.factories import make_budget, make_edition

    make_budget(year=2030, total="1026647.54")
    make_edition(kind=Edition.Kind.REPORT, year=2030)
    make_budget(year=2031, total="4242")
    make_edition(kind=Edition.Kind.REPORT, year=2031, status=EditorialStatus.DRAFT)

    results = next(s for s in _page(client, q="afrekening").context["sections"] if s.key == "budgets").results

    assert [(r.title, r.url, r.meta) for r in results] == [
        ("Budget en afrekening 2030", "/jaarverslag/2030/#afrekening", "Jaarverslag 2030 · totaal 1.026.647,54 euro")
    ]
