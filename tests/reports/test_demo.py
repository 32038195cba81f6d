"""The demo content reproduces the facts of the four source documents, and loading is idempotent."""
import datetime
import re
from decimal import Decimal

import pytest

from programmes.models import (
    Budget, City, CommunicationFigure, GroupYear, Link, Meeting, ProgrammePeriod, WorkTrackYear,
)
from reports.demo import load_demo
from reports.models import Edition, EditionEntry

pytestmark = pytest.mark.django_db


def _snapshot():
    from django.apps import apps
    return {
        m._meta.label: sorted(map(repr, m.objects.values_list()))
        for m in apps.get_app_config("programmes").get_models()
    } | {m._meta.label: sorted(map(repr, m.objects.values_list())) for m in apps.get_app_config("reports").get_models()}


def test_loading_the_demo_twice_changes_nothing(demo):
    before = _snapshot()
    stats = load_demo()
    assert (stats.created, stats.updated) == (0, 0)
    assert _snapshot() == before


def test_four_editions_are_loaded_and_published(demo):
    editions = {(e.kind, e.year) for e in Edition.objects.published()}
    assert {("plan", 2020), ("plan", 2024), ("report", 2024), ("report", 2025)} <= editions


def _reported(group_slug, year):
    return GroupYear.objects.get(group__slug=group_slug, year=year).reported_meetings


def _meeting(title_start, year):
    return Meeting.objects.get(title__istartswith=title_start, year=year)


FACTS = [
    ("budget 2024", lambda: Budget.objects.get(year=2024).total, Decimal("1026647.54")),
    ("budget 2025", lambda: Budget.objects.get(year=2025).total, Decimal("536718.78")),
    ("OBMi met 7 times in 2024", lambda: _reported("werkgroep-obmi", 2024), 7),
    ("ORBA met 7 times in 2024", lambda: _reported("werkgroep-orba", 2024), 7),
    ("ORBA met 8 times in 2025", lambda: _reported("werkgroep-orba", 2025), 8),
    ("GDPR met 5 times in 2024", lambda: _reported("werkgroep-gdpr", 2024), 5),
    ("GDPR met 4 times in 2025", lambda: _reported("werkgroep-gdpr", 2025), 4),
    ("Swing gebruikersdag", lambda: _meeting("Swing gebruikersdag", 2024).sort_date, datetime.date(2024, 5, 30)),
    ("Rechtenverkenner launch", lambda: _meeting("Lancering Rechtenverkenner", 2024).sort_date, datetime.date(2024, 9, 10)),
    ("Burgemeestersoverleg in Genk", lambda: (lambda m: (m.sort_date, m.host_city.name))(_meeting("Burgemeestersoverleg", 2024)),
     (datetime.date(2024, 11, 26), "Genk")),
    ("renovation draaiboek launch", lambda: _meeting("Lancering draaiboek", 2024).sort_date, datetime.date(2024, 11, 27)),
    ("KBO inspiration day", lambda: _meeting("KBO-inspiratiedag", 2024).sort_date, datetime.date(2024, 11, 21)),
    ("photo credits jaarverslag 2024", lambda: Edition.objects.get(kind="report", year=2024).photo_credits.count(), 27),
    ("cover photo 2024", lambda: Edition.objects.get(kind="report", year=2024).photo_credits.get(placement="Coverbeeld").credit,
     "Pieter Voorhout"),
    ("v.u. jaarverslag 2024", lambda: Edition.objects.get(kind="report", year=2024).responsible_publisher,
     "Annik Bogaert, Kenniscentrum Vlaamse Steden"),
    ("design credit", lambda: Edition.objects.get(kind="report", year=2025).design_credit, "Zeppo"),
    ("foreword jaarplan 2024 signed", lambda: Edition.objects.get(kind="plan", year=2024).foreword_signatory, "Wim Dries"),
    ("foreword jaarplan 2020 signed", lambda: Edition.objects.get(kind="plan", year=2020).foreword_signatory, "Wim Dries"),
    ("OBMi numbering in jaarplan 2024",
     lambda: list(EditionEntry.objects.filter(edition__kind="plan", edition__year=2024, parent__programme__slug="obmi")
                  .exclude(number="").order_by("order").values_list("number", "track_year__track__slug")),
     [("1", "obmi"), ("2", "orba"), ("3", "gdpr"), ("4", "datamaturiteit"), ("5", "parkeer-en-toegangsregister")]),
    ("Smart Cities numbered 1.1 to 1.9 in jaarplan 2024",
     lambda: list(EditionEntry.objects.filter(edition__kind="plan", edition__year=2024, parent__programme__slug="smart-cities")
                  .exclude(number="").order_by("order").values_list("number", flat=True)),
     [f"1.{i}" for i in range(1, 10)]),
    ("BE-REEL! moved from Europa (2020) to Klimaat (2024)",
     lambda: list(WorkTrackYear.objects.filter(track__slug="be-reel", year__in=[2020, 2024]).order_by("year")
                  .values_list("programme__slug", flat=True)),
     ["europa", "klimaat"]),
    ("ORBA numbered 1.2 in jaarplan 2020",
     lambda: EditionEntry.objects.get(edition__kind="plan", edition__year=2020, track_year__track__slug="orba").number, "1.2"),
    ("news items on 1 January 2024",
     lambda: CommunicationFigure.objects.get(year=2024, value=977).as_of, datetime.date(2024, 1, 1)),
    ("website visits 2020", lambda: CommunicationFigure.objects.filter(year=2020, value=128978).exists(), True),
    ("news items 2020", lambda: CommunicationFigure.objects.filter(year=2020, value=554).exists(), True),
    ("13 centre cities", lambda: City.objects.centre_cities().count(), 13),
    ("four cooperation agreements",
     lambda: list(ProgrammePeriod.objects.values_list("start_year", "end_year")),
     [(2007, 2011), (2012, 2016), (2017, 2021), (2022, 2026)]),
]


@pytest.mark.parametrize("name,get,expected", FACTS, ids=[f[0] for f in FACTS])
def test_demo_reproduces_source_fact(demo, name, get, expected):
    assert get() == expected


def test_kbo_material_of_2024_is_private(demo):
    links = Link.objects.filter(track_year__track__slug="kbo-risicobeheersing", track_year__year=2024)
    assert links.exists() and not links.filter(is_public=True).exists()


def test_placeholder_links_from_the_sources_are_flagged(demo):
    assert Link.objects.placeholders().count() >= 20


def test_report_2024_page_states_meeting_counts_from_the_data(demo, client):
    html = client.get("/jaarverslag/2024/").content.decode()
    assert "De werkgroep kwam in 2024 7 keer samen." in html
    assert "1.026.647,54 euro" in html


def test_every_group_count_sentence_matches_the_database(demo, client):
    html = client.get("/jaarverslag/2025/").content.decode()
    for gy in GroupYear.objects.filter(year=2025, reported_meetings__isnull=False).select_related("group"):
        if gy.group.tracks.exists():
            assert f"kwam in 2025 {gy.reported_meetings} keer samen" in html


@pytest.mark.parametrize("path", ["/", "/jaarverslag/2024/", "/jaarplan/2024/", "/jaarplan/2020/", "/werksporen/orba/",
                                  "/werkgroepen/werkgroep-obmi/", "/steden/gent/", "/kalender/", "/programmas/obmi/"])
def test_headings_start_at_h1_and_never_skip_a_level(demo, client, path):
    import re
    levels = [int(h) for h in re.findall(r"<h([1-6])\b", client.get(path).content.decode())]
    assert levels and levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_jaarplan_2024_chapters_open_with_their_programme_intro(demo, client):
    from programmes.models import ProgrammeYear

    intros = ProgrammeYear.objects.filter(year=2024).exclude(plan_intro="")
    assert {"obmi", "smart-cities", "stadsgenoten", "klimaat", "digitale-transitie"} <= set(
        intros.values_list("programme__slug", flat=True)
    )
    html = client.get("/jaarplan/2024/").content.decode()
    assert html.count('class="prose programme__intro"') >= 5


# --- Per-edition facts that moved out of the shared track texts (see tests/reports/test_outlines.py) ---

def test_jaarverslagen_print_no_numbers(demo):
    numbered = EditionEntry.objects.filter(edition__kind="report", edition__year__in=[2024, 2025]).exclude(number="")
    assert not numbered.exists()


def test_jaarplan_2024_shows_none_of_the_links_that_only_the_jaarverslag_2024_has(demo, django_user_model):
    from reports.assembly import edition_assemble

    editor = django_user_model.objects.create_superuser(username="eindredacteur", password="x" * 20)
    assert Link.objects.filter(track_year__year=2024, part=Link.Part.REPORT).count() >= 20

    def links(items):
        return sum(len(item.links) + links(item.children) for item in items)

    plan = edition_assemble(edition=Edition.objects.get(kind="plan", year=2024), user=editor)
    report = edition_assemble(edition=Edition.objects.get(kind="report", year=2024), user=editor)
    assert links(plan.outline) == 0
    assert links(report.outline) >= 20


@pytest.mark.parametrize("year,sentence", [
    (2020, "Werkgroep OBMi</a>: komt tweemaandelijks samen."),
    (2024, "Werkgroep OBMi</a>: komt om de zes weken samen."),
])
def test_jaarplan_states_the_obmi_rhythm_of_its_own_year(demo, client, year, sentence):
    assert sentence in client.get(f"/jaarplan/{year}/").content.decode()


def test_stadsgenoten_introduction_appears_once_in_jaarplan_2024(demo, client):
    from programmes.models import ProgrammeYear

    intro = ProgrammeYear.objects.get(programme__slug="stadsgenoten", year=2024).plan_intro
    opening = re.sub(r"<[^>]+>", "", intro).split(".")[0]
    assert client.get("/jaarplan/2024/").content.decode().count(opening) == 1


def test_two_day_training_of_october_2020_is_a_date_range(demo):
    meeting = _meeting("Tweedaagse gebiedsgericht werken 'It takes", 2020)
    assert (meeting.month, meeting.day, meeting.end_day) == (10, 8, 9)


def test_kbo_sessions_of_2025_are_not_paired_with_themes(demo):
    titles = Meeting.objects.filter(track__slug="kbo-risicobeheersing", year=2025, kind__slug="session").values_list("title", flat=True)
    assert len(titles) == 4
    assert not [t for t in titles if re.search(r"cyber|integriteit|klimaat|juridisch", t, re.I)]


def test_stad_in_cijfers_launch_of_2018_mentions_no_later_data(demo):
    launch = Meeting.objects.get(year=2018, month=10, day=15)
    assert "2020" not in launch.description


def test_published_demo_editions_carry_no_invented_publication_date(demo):
    assert not Edition.objects.filter(published_at__isnull=False).exists()


def test_jaarverslag_2025_colophon_has_the_address_of_the_responsible_publisher(demo):
    assert Edition.objects.get(kind="report", year=2025).publisher_address == "Bischoffsheimlaan 1-8 – 1000 Brussel"


@pytest.mark.parametrize("path,group", [
    ("/jaarplan/2020/", "Stuurgroep Klimaat"),  # the Klimaat programme started in 2023
    ("/jaarplan/2024/", "Taskforce Datawarehouse"),  # ended in December 2022
    ("/jaarverslag/2025/", "Workshopreeks GDPR"),  # became the werkgroep GDPR at the end of 2021
    ("/jaarverslag/2025/", "Stuurgroep Smart Portraits"),  # became a project and advisory group in 2020
])
def test_edition_shows_no_group_outside_its_active_years(demo, client, path, group):
    assert f">{group}</a>" not in client.get(path).content.decode()


def test_outline_loader_keeps_entries_by_natural_key_and_removes_what_is_no_longer_listed(demo):
    from reports.demo import Stats, _load_outline

    edition = Edition.objects.get(kind="plan", year=2024)
    obmi = EditionEntry.objects.get(edition=edition, track_year__track__slug="obmi")
    outline = [{"title": "Speelveld", "text": "Een vrij hoofdstuk.", "children": [{"track": "obmi", "number": "9"}]}]

    _load_outline(Stats(), edition, outline)
    moved = EditionEntry.objects.get(pk=obmi.pk)  # the same entry, moved: not a new one
    assert (moved.parent.title, moved.number, edition.entries.count()) == ("Speelveld", "9", 2)

    again = Stats()
    _load_outline(again, edition, outline)
    assert (again.created, again.updated) == (0, 0)


# --- Issue 21: each edition shows what its own document has (audit of the four demo editions) -------------

def _page(client, path):
    return client.get(path).content.decode()


def _activities(html) -> list[tuple[str, str]]:
    """(date, title) of every activity listed under the tracks of an edition page, in order."""
    return re.findall(r'<li><span class="activities__date">([^<]+)</span> · ([^<(]+?)(?: \(|<| ·)', html)


# Jaarverslag 2024: the activities its text reports, and only those (seed lines 16-18, 49, 97, 109, 133-136,
# 154, 190, 197-200, 239). The 9 activities the jaarplan 2024 planned but the jaarverslag does not report stay
# 'gepland'; the conference that only the jaarverslag 2025 mentions is not in this one.
JAARVERSLAG_2024_ACTIVITIES = [
    ("24 januari 2024", "Publicatie resultaten Gemeente-Stadsmonitor op de Stad in cijfers-websites"),
    ("30 mei 2024", "Swing gebruikersdag"),
    ("15 oktober 2024", "Nederlandse Swing gebruikersdag"),
    ("21 november 2024", "KBO-inspiratiedag risicomanagement"),
    ("voorjaar 2024", "Start haalbaarheidsonderzoek automatisch advies leefloon"),
    ("10 september 2024", "Lancering Rechtenverkenner 2.0"),
    ("mei 2024", "Train-the-trainer opleiding energiedelen"),
    ("2024", "Infosessie energiedelen in appartementen"),
    ("2024", "Sessie lerend netwerk InnoFiNS in Antwerpen"),
    ("2024", "Sessie lerend netwerk InnoFiNS in Genk"),
    ("2024", "Sessie lerend netwerk InnoFiNS in Gent"),
    ("december 2024", "Workshop klimaatgovernance"),
    ("27 november 2024", "Lancering draaiboek lokale langetermijn renovatiestrategie 2050"),
    ("2024", "Masterclass lokale langetermijn renovatiestrategie"),
    ("26 november 2024", "Burgemeestersoverleg van de centrumsteden"),
]


def test_jaarverslag_2024_lists_exactly_the_activities_its_document_reports(demo, client):
    assert _activities(_page(client, "/jaarverslag/2024/")) == JAARVERSLAG_2024_ACTIVITIES


@pytest.mark.parametrize("year", [2024, 2025])
def test_no_activity_without_a_recorded_outcome_reaches_a_jaarverslag(demo, client, year):
    listed = {title for _date, title in _activities(_page(client, f"/jaarverslag/{year}/"))}
    planned = set(Meeting.objects.filter(year=year, status=Meeting.Status.PLANNED).values_list("title", flat=True))
    assert planned and not listed & planned


def test_the_jaarverslag_2025_says_where_the_postponed_kbo_network_day_went_as_its_document_does(demo, client):
    """The document: the network day of 18 December 2025 moved to February 2026 (no day given). The demo
    records the February one as planned and points the postponed one at it."""
    text = re.sub(r"<[^>]+>", "", _page(client, "/jaarverslag/2025/"))
    assert "18 december 2025 · KBO-netwerkdag interne audit en continue verbetering (netwerkdag) · uitgesteld naar februari 2026" in text


def _as_the_editorial_team_sees_it(django_user_model, kind, year):
    """The edition as the editorial team previews it while it is a draft (a published one is previewed as the
    public would see it republished)."""
    from django.template.loader import render_to_string

    from reports.assembly import edition_assemble

    editor = django_user_model.objects.create_superuser(username="redactie", password="x" * 20)
    edition = Edition.objects.get(kind=kind, year=year)
    content = edition_assemble(edition=edition, user=editor)
    return render_to_string("reports/includes/edition.html", {"edition": edition, "content": content, "is_preview": True})


def test_the_planned_activities_of_2024_are_flagged_to_the_editorial_team(demo, django_user_model):
    html = _as_the_editorial_team_sees_it(django_user_model, "report", 2024)
    assert "Workshop draaiboeken en blauwdrukken voor het volgende meerjarenplan" in html
    assert html.count("uitkomst niet geregistreerd") == 9


def test_the_train_the_trainer_session_of_2024_is_one_activity(demo, client):
    assert Meeting.objects.filter(title__icontains="train-the-trainer", year=2024).count() == 1
    assert [t for _d, t in _activities(_page(client, "/jaarverslag/2024/")) if "Train-the-trainer" in t] == [
        "Train-the-trainer opleiding energiedelen"]


def test_the_netwerkdag_moved_to_2026_is_listed_as_postponed_in_jaarverslag_2025(demo, client):
    html = _page(client, "/jaarverslag/2025/")
    assert "18 december 2025</span> · KBO-netwerkdag interne audit en continue verbetering (netwerkdag) · <strong>uitgesteld</strong>" in html


def test_an_activity_known_only_by_its_year_is_listed_after_the_dated_ones(demo, client):
    dates = [date for date, _title in _activities(_page(client, "/jaarverslag/2025/"))]
    kbo = dates[dates.index("18 december 2025"):dates.index("18 december 2025") + 5]
    assert kbo == ["18 december 2025", "2025", "2025", "2025", "2025"]


@pytest.mark.parametrize("year,count", [(2024, 27), (2025, 27)])
def test_every_reference_of_a_jaarverslag_is_printed_also_without_an_address(demo, client, year, count):
    """Jaarverslag 2024: 28 '→ Je vindt hier …' references, one of them under a part marked PRIVATE (the KBO
    session); jaarverslag 2025: 27. None has an address, so each is its title in plain text."""
    from reports.exports.edition import edition_export_html

    html = _page(client, f"/jaarverslag/{year}/")
    assert html.count('class="link link--text"') == count and "adres ontbreekt" not in html
    exported = edition_export_html(edition=Edition.objects.get(kind="report", year=year), user=None)
    assert exported.count('class="link link--text"') == count  # the PDF and the HTML download start from it


def test_the_editorial_team_sees_the_references_without_address_flagged(demo, django_user_model):
    assert _as_the_editorial_team_sees_it(django_user_model, "report", 2024).count("adres ontbreekt") == 28


def test_jaarverslag_2024_heads_the_rechtenverkenner_as_its_document_does(demo, client):
    html = _page(client, "/jaarverslag/2024/")
    assert '<h2 id="werkspoor-rechtenverkenner-titel">Rechtenverkenner 2.0</h2>' in html


@pytest.mark.parametrize("year", [2020, 2024])
def test_jaarplannen_open_with_woord_vooraf(demo, client, year):
    html = _page(client, f"/jaarplan/{year}/")
    assert '<a href="#voorwoord">Woord vooraf</a>' in html and '<h2 id="voorwoord-titel">Woord vooraf</h2>' in html


@pytest.mark.parametrize("year,heading", [(2024, "Afrekening"), (2025, "Afrekening 2025")])
def test_the_settlement_has_the_heading_of_its_document_in_the_contents_and_on_the_page(demo, client, year, heading):
    html = _page(client, f"/jaarverslag/{year}/")
    assert f'<a href="#afrekening">{heading}</a>' in html and f'<h2 id="afrekening-titel">{heading}</h2>' in html


@pytest.mark.parametrize("path,subtitle", [
    ("/jaarverslag/2024/", "Interlokale Vereniging Kenniscentrum Vlaamse Steden"),
    ("/jaarverslag/2025/", "Interlokale Vereniging Kenniscentrum Vlaamse Steden"),
    ("/jaarplan/2024/", None), ("/jaarplan/2020/", None),  # their documents have no cover text
])
def test_the_cover_carries_only_the_text_of_its_document(demo, client, path, subtitle):
    cover = _page(client, path).split('class="edition-cover"')[1].split("</header>")[0]
    assert re.findall(r'class="edition-cover__subtitle">([^<]*)<', cover) == ([subtitle] if subtitle else [])
    assert 'class="kicker"' not in cover


def test_jaarplan_2024_shows_only_its_own_communication_figures(demo, client):
    html = _page(client, "/jaarplan/2024/")
    assert "977" in html and "171.037" in html
    assert "128.978" not in html and "Over de jaren" not in html  # the jaarplan 2020's figures


def test_jaarverslag_2025_shows_only_its_own_budget(demo, client):
    html = _page(client, "/jaarverslag/2025/")
    assert "536.718,78 euro" in html and "1.026.647,54" not in html


@pytest.mark.parametrize("path", ["/jaarplan/2020/", "/jaarplan/2024/", "/jaarverslag/2024/", "/jaarverslag/2025/"])
def test_demo_editions_name_no_trekkers_or_partners_under_their_tracks(demo, client, path):
    assert not Edition.objects.filter(show_participants=True).exists()
    assert 'class="track__who"' not in _page(client, path)


def test_results_and_funding_of_the_documents_are_recorded_as_data(demo):
    from programmes.models import ExternalFunding, Result

    facts = {(r.track_year.track.slug, r.track_year.year, r.target, r.achieved, r.is_key_figure)
             for r in Result.objects.select_related("track_year__track")}
    assert ("rechtenverkenner", 2024, None, Decimal("12"), True) in facts  # lokale sociale rechten van 12 centrumsteden
    assert ("be-reel", 2024, Decimal("20"), Decimal("20"), False) in facts  # the masterclass: 20 in the plan, zo'n 20 in the report
    assert ("reflectiegroep-europa", 2025, None, Decimal("21"), True) in facts  # 21 grote Belgische steden
    funding = ExternalFunding.objects.get(track__slug="be-reel")
    assert (funding.start_year, funding.end_year, funding.amount) == (2017, 2024, None)  # no amount in the sources
