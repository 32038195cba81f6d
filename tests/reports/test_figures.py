"""'Het jaar in cijfers', the charts across years and /financien/."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import BudgetLine, CommunicationFigure, EditorialStatus, Meeting
from reports.models import Edition
from tests.factories import (
    make_budget, make_city, make_edition, make_group, make_group_year, make_meeting, make_programme, make_track_year, outline,
)

pytestmark = pytest.mark.django_db


def _figures(html: str) -> dict:
    """{label: value} of the year-in-figures spread."""
    spread = html[html.index('id="jaar-in-cijfers"'):]
    spread = spread[:spread.index("</ul>")]
    pairs = re.findall(r'key-figure__value">([^<]+)</span> <span class="key-figure__label">(?:<a [^>]+>)?([^<]+)<', spread)
    return {label: value for value, label in pairs}


def _report_2024(**kw):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024, foreword="<p>Beste lezer</p>", **kw)
    make_budget(year=2024, total="1026647.54")
    gent, genk = make_city(name="Gent"), make_city(name="Genk")
    first = make_track_year(year=2024, report_text="<p>Verslag</p>")
    first.track.lead_cities.add(gent)
    second = make_track_year(year=2024, report_text="<p>Verslag</p>")
    group = make_group(name="Werkgroep OBMi")
    group.tracks.add(first.track)
    group.cities.add(genk, gent)
    make_group_year(group=group, year=2024, reported_meetings=7)
    make_meeting(group=group, year=2024, month=3, kind="workshop")
    make_meeting(track=second.track, year=2024, month=5)
    make_meeting(track=second.track, year=2024, month=11, status=Meeting.Status.PLANNED)
    return outline(edition)


def test_report_opens_with_foreword_then_the_year_in_figures(client):
    html = client.get(_report_2024().get_absolute_url()).content.decode()
    assert html.index('id="voorwoord"') < html.index('id="jaar-in-cijfers"') < html.index('class="chapter programme')
    assert '<a href="#jaar-in-cijfers">Het jaar in cijfers</a>' in html


def test_year_in_figures_counts_what_the_edition_shows(client):
    figures = _figures(client.get(_report_2024().get_absolute_url()).content.decode())
    assert figures == {
        "werksporen in dit verslag": "2",
        "activiteiten gehouden": "2",  # the planned one is not counted
        "groep aan het werk": "1",
        "bijeenkomsten van de groep in het overzicht": "7",
        "steden betrokken": "2",
        "budget": "1.026.647,54 euro",
    }


def test_year_in_figures_leaves_out_texts_the_public_may_not_read(client):
    edition = _report_2024()
    make_track_year(year=2024, report_text="<p>Nog niet klaar</p>", report_status=EditorialStatus.DRAFT)
    outline(edition)
    assert _figures(client.get(edition.get_absolute_url()).content.decode())["werksporen in dit verslag"] == "2"


def test_jaarplan_has_no_year_in_figures(client):
    plan = outline(make_edition(kind=Edition.Kind.PLAN, year=2024))
    make_track_year(year=2024, plan_text="<p>Plan</p>")
    assert 'id="jaar-in-cijfers"' not in client.get(plan.get_absolute_url()).content.decode()


def test_budget_chart_shows_earlier_published_years_with_the_numbers_as_text(client):
    make_edition(kind=Edition.Kind.REPORT, year=2023)
    make_budget(year=2023, total="900000.00")
    make_budget(year=2022, total="800000.00")  # its jaarverslag is not published: not shown
    html = client.get(_report_2024(show_earlier_years=True).get_absolute_url()).content.decode()
    start = html.index('<svg class="chart"')
    svg = html[start:html.index("</svg>", start)]
    assert 'role="img"' in svg and "<title" in svg
    assert "2023: 900.000,00 euro; 2024: 1.026.647,54 euro" in svg  # the <desc>
    assert "Budget per jaar: 2023: 900.000,00 euro; 2024: 1.026.647,54 euro" in html  # the caption, for every reader
    assert "2022" not in svg


def test_an_edition_shows_only_its_own_year_s_budget_and_figures_unless_it_compares_with_earlier_years(client):
    make_edition(kind=Edition.Kind.REPORT, year=2023)
    make_budget(year=2023, total="900000.00")
    old_plan = make_edition(kind=Edition.Kind.PLAN, year=2020)
    old_plan.figures.add(CommunicationFigure.objects.create(year=2020, channel="website", label="nieuwsitems", value=554))
    report = _report_2024()
    report.figures.add(CommunicationFigure.objects.create(year=2024, channel="website", label="nieuwsitems", value=977))
    html = client.get(report.get_absolute_url()).content.decode()
    assert "1.026.647,54 euro" in html and "900.000,00" not in html and "554" not in html
    assert '<svg class="chart"' not in html and "Over de jaren" not in html


def test_communication_figure_chart_only_with_an_earlier_visible_edition(client):
    old_plan = make_edition(kind=Edition.Kind.PLAN, year=2020)
    old_plan.figures.add(CommunicationFigure.objects.create(year=2020, channel="website", label="nieuwsitems", value=554))
    plan = make_edition(kind=Edition.Kind.PLAN, year=2024, show_earlier_years=True)
    plan.figures.add(
        CommunicationFigure.objects.create(year=2024, channel="website", label="nieuwsitems", value=977),
        CommunicationFigure.objects.create(year=2024, channel="website", label="nieuw dit jaar", value=5),
    )
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Nieuwsitems (website): 2020: 554; 2024: 977" in html
    assert html.count('<svg class="chart"') == 1
    old_plan.status = EditorialStatus.DRAFT
    old_plan.save()
    assert '<svg class="chart"' not in client.get(plan.get_absolute_url()).content.decode()


def _published_budget(year, total="1000.00", lines=0):
    make_edition(kind=Edition.Kind.REPORT, year=year)
    budget = make_budget(year=year, total=total)
    for i in range(lines):
        BudgetLine.objects.create(budget=budget, programme=make_programme(), label=f"Programma {i}", planned="100.00", actual="90.00")
    return budget


def test_finances_page_links_each_year_to_its_jaarverslag_budget_section(client):
    _published_budget(2024, "1026647.54", lines=2)
    _published_budget(2025, "536718.78")
    html = client.get("/financien/").content.decode()
    assert '<a href="/jaarverslag/2024/#afrekening">afrekening 2024</a>' in html
    assert '<a href="/jaarverslag/2025/#afrekening">afrekening 2025</a>' in html
    assert "1.026.647,54 euro" in html and "536.718,78 euro" in html
    assert "Budgetlijnen 2024" in html and "Budgetlijnen 2025" not in html
    assert "200,00 euro" in html  # the lines' planned total
    assert 'role="img"' in html


def test_finances_page_hides_budgets_of_unpublished_jaarverslagen(client, staff_client):
    _published_budget(2024, "1026647.54")
    make_edition(kind=Edition.Kind.REPORT, year=2025, status=EditorialStatus.DRAFT)
    make_budget(year=2025, total="536718.78")
    assert "536.718,78" not in client.get("/financien/").content.decode()
    assert "536.718,78" in staff_client.get("/financien/").content.decode()


def test_finances_page_without_published_budgets_says_so(client):
    make_budget(year=2025, total="536718.78")
    html = client.get("/financien/").content.decode()
    assert "nog geen afgerekend budget gepubliceerd" in html and "536.718" not in html


def test_finances_is_linked_from_the_footer_and_open_data(client):
    assert 'href="/financien/"' in client.get("/").content.decode()
    assert 'href="/financien/"' in client.get("/open-data/").content.decode()


def test_finances_queries_do_not_grow_with_years_and_lines(client):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/financien/").status_code == 200
        return len(ctx.captured_queries)

    _published_budget(2020, lines=2)
    small = queries()
    for year in range(2021, 2031):
        _published_budget(year, lines=4)
    assert queries() == small


@pytest.mark.skipif(__import__("importlib").util.find_spec("weasyprint") is None, reason="WeasyPrint niet geïnstalleerd")
def test_pdf_draws_the_budget_chart_as_a_figure_with_alt_text_and_the_numbers_as_text(client):
    import io

    from pypdf import PdfReader

    from tests.reports.test_exports import _pdf_images

    make_edition(kind=Edition.Kind.REPORT, year=2023)
    make_budget(year=2023, total="900000.00")
    _report_2024(show_earlier_years=True)
    reader = PdfReader(io.BytesIO(client.get("/jaarverslag/2024/pdf/").content))
    figures, _images = _pdf_images(reader)
    assert "Budget per jaar" in [str(f.get("/Alt", "")) for f in figures]
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "2023: 900.000,00 euro; 2024: 1.026.647,54 euro" in text
    assert "Het jaar in cijfers" in text
