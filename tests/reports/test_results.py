"""Results per track and year and external funding: recorded once, shown in both editions, on the track page,
in 'Van plan naar verslag', in 'Het jaar in cijfers' and in open data; each value public with its text."""
import json
import re

import pytest
from django.urls import reverse

from programmes.models import EditorialStatus, Result
from reports.models import Edition
from tests.factories import (
    make_city, make_edition, make_funding, make_organisation, make_result, make_track, make_track_year, outline,
)
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _year(**kw):
    """A track's text of 2024 in a published jaarplan and jaarverslag of 2024, with one result."""
    ty = make_track_year(year=2024, track=make_track(title="Fiches gebiedsgericht werken"), **kw)
    plan, report = (make_edition(kind=kind, year=2024) for kind in (Edition.Kind.PLAN, Edition.Kind.REPORT))
    outline(plan, report)
    return ty, plan, report


def test_the_jaarplan_states_the_target_and_the_jaarverslag_what_was_achieved_against_it(client):
    ty, plan, report = _year()
    make_result(track_year=ty, label="fiches", target="12", achieved="9", note="drie fiches schuiven door naar 2025")
    plan_text = _text(client.get(plan.get_absolute_url()).content.decode())
    assert "Beoogde resultaten 2024 Resultaat Doel fiches" in plan_text and " 12 " in plan_text and " 9 " not in plan_text
    report_text = _text(client.get(report.get_absolute_url()).content.decode())
    assert "fiches drie fiches schuiven door naar 2025 12 9" in report_text


def test_a_result_only_the_report_knows_is_not_in_the_jaarplan(client):
    ty, plan, report = _year()
    make_result(track_year=ty, label="interviews", achieved="31")
    assert "interviews" not in client.get(plan.get_absolute_url()).content.decode()
    assert "interviews — 31" in _text(client.get(report.get_absolute_url()).content.decode())


def test_a_target_is_public_with_the_plan_text_and_an_achievement_with_the_report_text(client):
    ty = make_track_year(year=2024, plan_status=EditorialStatus.PUBLISHED, report_status=EditorialStatus.DRAFT)
    make_result(track_year=ty, label="kandidaturen", target="20", achieved="25")
    page = _text(client.get(ty.track.get_absolute_url()).content.decode())
    assert "kandidaturen 20 —" in page and "25" not in page
    ty.report_status, ty.plan_status = EditorialStatus.PUBLISHED, EditorialStatus.DRAFT
    ty.save()
    page = _text(client.get(ty.track.get_absolute_url()).content.decode())
    assert "kandidaturen — 25" in page


def test_the_track_page_shows_results_year_by_year_and_the_external_funding(client):
    track = make_track()
    make_result(track_year=make_track_year(track=track, year=2023), label="geselecteerde projecten", achieved="5")
    make_result(track_year=make_track_year(track=track, year=2024), label="geselecteerde projecten", achieved="8")
    make_funding(track=track, amount="2500000", source="Vlaamse subsidie City Deals", start_year=2022, end_year=2024,
                 organisation=make_organisation(name="Agentschap Binnenlands Bestuur", short_name="ABB"))
    page = _text(client.get(track.get_absolute_url()).content.decode())
    assert "Resultaten 2024" in page and "Resultaten 2023" in page
    assert page.index("Resultaten 2024") < page.index("Resultaten 2023")
    assert "Externe financiering ABB, Vlaamse subsidie City Deals, 2.500.000,00 euro (2022–2024)" in page


def test_external_funding_stands_under_the_track_in_the_editions_of_the_years_it_runs(client):
    ty, plan, report = _year()
    make_funding(track=ty.track, source="LIFE geïntegreerd project", start_year=2017, end_year=2024)
    make_funding(track=ty.track, source="Interreg", start_year=2025)
    html = _text(client.get(report.get_absolute_url()).content.decode())
    assert "Externe financiering: LIFE geïntegreerd project (2017–2024)" in html and "Interreg" not in html


def test_a_key_figure_result_appears_in_het_jaar_in_cijfers_linking_to_its_track(client):
    ty, _plan, report = _year()
    make_result(track_year=ty, label="centrumsteden in de Rechtenverkenner", achieved="12", is_key_figure=True)
    make_result(track_year=ty, label="workshops", achieved="3")
    html = client.get(report.get_absolute_url()).content.decode()
    figures = html[html.index('id="jaar-in-cijfers"'):html.index("</section>", html.index('id="jaar-in-cijfers"'))]
    assert "centrumsteden in de Rechtenverkenner" in figures and f'href="#werkspoor-{ty.track.slug}"' in figures
    assert "workshops" not in figures


def test_van_plan_naar_verslag_compares_each_target_with_what_was_achieved(client):
    ty, _plan, report = _year()
    make_result(track_year=ty, label="fiches", target="12", achieved="9")
    make_result(track_year=ty, label="interviews", achieved="31")  # no target: under its track only
    html = client.get(report.get_absolute_url()).content.decode()
    section = _text(html[html.index('id="van-plan-naar-verslag"'):])
    assert "Fiches gebiedsgericht werken fiches 12 9" in section
    assert "interviews" not in section.split("Terug naar inhoud")[0]
    assert '<a href="#van-plan-naar-verslag">Van plan naar verslag</a>' in html



def test_an_edition_whose_document_has_no_plan_overview_leaves_it_out_and_keeps_the_results_under_the_track(client):
    ty, _plan, report = _year()
    make_result(track_year=ty, label="fiches", target="12", achieved="9")
    report.show_plan_to_report = False
    report.save()
    html = client.get(report.get_absolute_url()).content.decode()
    assert "van-plan-naar-verslag" not in html and "Van plan naar verslag" not in html
    assert "fiches 12 9" in _text(html)


def test_the_demo_jaarverslagen_have_no_plan_overview_their_documents_lack(client):
    from reports.demo import load_demo

    load_demo()
    for year in (2024, 2025):
        html = client.get(f"/jaarverslag/{year}/").content.decode()
        assert "Van plan naar verslag" not in html, year
    assert "besturen en overheidsorganisaties in de masterclass renovatiestrategie" in client.get("/jaarverslag/2024/").content.decode()

def test_results_reach_open_data_with_only_their_public_values(client):
    ty, _plan, _report = _year(report_status=EditorialStatus.DRAFT)
    make_result(track_year=ty, label="fiches", target="12.5", achieved="9", is_key_figure=True)
    make_funding(track=ty.track, amount="2500000", source="Vlaamse subsidie", start_year=2022, end_year=2024)
    rows = json.loads(client.get("/open-data/2024/resultaten.json").content)["rows"]
    assert [(r["type"], r["label"], r["target"], r["achieved"], r["key_figure"]) for r in rows] == [
        ("resultaat", "fiches", "12.5", "", False),
        ("externe financiering", "externe financiering", "", "2500000", False),
    ]
    assert rows[1]["source"] == "Vlaamse subsidie" and rows[1]["period"] == "2022-2024"
    csv = client.get("/open-data/2024/resultaten.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("year,type,track,label,unit,target,achieved")


def test_results_are_entered_on_the_track_year_form_typed_the_belgian_way(client, django_user_model):
    ty = make_track_year(year=2024)
    client.force_login(make_editor(django_user_model))
    url = reverse("admin:programmes_worktrackyear_change", args=[ty.pk])
    form = {k: v for k, v in admin_form_data(client.get(url)).items() if v != []}
    form.update({"results-TOTAL_FORMS": "2", "results-0-label": "uren coaching", "results-0-target": "1.250,5",
                 "results-0-achieved": "1312,75", "results-0-order": "0", "results-1-label": "leeg", "results-1-order": "1"})
    response = client.post(url, form)
    assert response.status_code == 200 and "Geef een doel, een gerealiseerd aantal of beide." in response.content.decode()
    form.update({"results-TOTAL_FORMS": "1"})
    assert client.post(url, form).status_code == 302
    result = Result.objects.get(track_year=ty)
    assert (str(result.target), str(result.achieved)) == ("1250.50", "1312.75")
    form.update({"results-0-id": str(result.pk), "results-INITIAL_FORMS": "1", "results-0-target": "1.250",
                 "results-0-track_year": str(ty.pk)})
    response = client.post(url, form)
    assert "Dit getal is niet eenduidig" in response.content.decode()


def test_who_takes_part_is_named_under_each_track_only_when_the_edition_chooses_it(client):
    ty, plan, report = _year()
    ty.track.lead_cities.add(make_city(name="Gent"))
    ty.track.partners.add(make_organisation(name="Digitaal Vlaanderen"))
    assert "Trekker" not in _text(client.get(report.get_absolute_url()).content.decode())
    Edition.objects.filter(pk=report.pk).update(show_participants=True)
    html = _text(client.get(report.get_absolute_url()).content.decode())
    assert "Trekker Gent Partner Digitaal Vlaanderen" in html


def test_an_activity_in_a_jaarverslag_shows_both_its_place_and_its_host_city(client):
    ty, _plan, report = _year()
    gent, hasselt = make_city(name="Gent"), make_city(name="Hasselt")
    from tests.factories import make_meeting

    make_meeting(track=ty.track, title="Studiedag", year=2024, month=3, day=5, place="Het Pand", host_city=gent)
    make_meeting(track=ty.track, title="Infosessie", year=2024, month=4, place="FTI-festival, Hasselt", host_city=hasselt)
    text = _text(client.get(report.get_absolute_url()).content.decode())
    assert "Studiedag · Het Pand · Gent" in text
    assert "Infosessie · FTI-festival, Hasselt " in text and "FTI-festival, Hasselt · Hasselt" not in text
