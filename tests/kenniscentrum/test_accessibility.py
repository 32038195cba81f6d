"""The accessibility statement (/toegankelijkheid/): its figures come from the last run of the project's own
checks, summed up by `manage.py accessibility_report`, never typed by hand; it has the parts a Flemish statement
must have and is linked from every page."""
import json

import pytest
from django.core.management import CommandError, call_command

from kenniscentrum import accessibility

pytestmark = pytest.mark.django_db


def _run(directory, name, records):
    run = directory / name
    run.mkdir(parents=True)
    (run / "gw0.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def _axe(page, *violations, width=1280, at="2026-05-04T10:00:00+00:00", area="public"):
    return {"check": "axe", "page": page, "area": area, "width": width, "axe_version": "4.10.3", "at": at,
            "violations": [{"id": rule, "impact": impact, "tags": ["wcag2aa", "wcag143"], "nodes": nodes} for rule, impact, nodes in violations]}


def _reflow(page, width, fits=True, at="2026-05-04T10:00:00+00:00"):
    return {"check": "reflow", "page": page, "width": width, "fits": fits, "at": at}


def _pdf(page, at="2026-05-04T10:00:00+00:00", **checks):
    return {"check": "pdf", "page": page, "at": at, "checks": {"structuur": True, "taal": True, **checks}}


@pytest.fixture
def results(tmp_path):
    directory = tmp_path / "results"
    # An older full run, then a run of the reflow test alone.
    _run(directory, "20260501-090000-1", [
        _axe("/", ("color-contrast", "serious", 2), at="2026-05-01T09:00:00+00:00"),
        _axe("/admin/", area="admin", at="2026-05-01T09:00:00+00:00"),
        _reflow("/", 320, fits=False, at="2026-05-01T09:00:00+00:00"),
        _pdf("/jaarverslag/2024/pdf/", at="2026-05-01T09:00:00+00:00"),
    ])
    _run(directory, "20260504-100000-2", [
        _reflow("/", 320), _reflow("/", 1280), _reflow("/kalender/", 320),
    ])
    return directory


def test_the_report_takes_each_check_from_its_last_run(results, tmp_path):
    output = tmp_path / "accessibility.json"
    call_command("accessibility_report", results=str(results), output=str(output))
    report = json.loads(output.read_text())

    assert report["reflow"] == {"pages": 2, "checks": 3, "widths": [320, 1280], "date": "2026-05-04", "too_wide": []}
    assert report["axe_public"]["impacts"] == {"critical": 0, "serious": 2, "moderate": 0, "minor": 0}
    assert report["axe_public"]["rules"][0]["criteria"] == ["1.4.3"]
    assert report["axe_admin"]["pages"] == 1 and report["pdf"]["files"] == 1
    assert report["date"] == "2026-05-04" and report["axe_version"] == "4.10.3"


def test_the_report_refuses_to_be_made_without_results(tmp_path):
    with pytest.raises(CommandError, match="draai eerst de browsertests"):
        call_command("accessibility_report", results=str(tmp_path / "leeg"), output=str(tmp_path / "out.json"))


def test_what_the_checks_found_makes_the_site_partly_conformant_and_is_listed(client, results, tmp_path, monkeypatch):
    report = accessibility.summarise(accessibility.read_results(results))
    monkeypatch.setattr(accessibility, "KNOWN_ISSUES", ())
    assert accessibility.conformance(report) == "gedeeltelijk"
    assert accessibility.problems_found(report) == [
        "WCAG 1.4.3 (publieke pagina's, axe-regel color-contrast, serious): 2 elementen op 1 pagina"
    ]
    clean = {**report, "axe_public": {**report["axe_public"], "rules": [], "impacts": dict.fromkeys(accessibility.IMPACTS, 0)}}
    assert accessibility.conformance(clean) == "volledig"
    monkeypatch.setattr(accessibility, "KNOWN_ISSUES", (accessibility.Issue("3.1.2 Taal van onderdelen (AA)", "x"),))
    assert accessibility.conformance(clean) == "gedeeltelijk"


def test_the_statement_shows_the_figures_of_the_report_file(client, results, tmp_path, monkeypatch):
    output = tmp_path / "accessibility.json"
    call_command("accessibility_report", results=str(results), output=str(output))
    monkeypatch.setattr(accessibility, "REPORT_FILE", output)

    html = client.get("/toegankelijkheid/").content.decode()

    assert "Deze website voldoet <strong>gedeeltelijk</strong> aan de Web Content Accessibility Guidelines (WCAG) 2.1, niveau AA" in html
    assert "opgesteld op 4 mei 2026" in html
    assert "axe-core 4.10.3" in html and "kritiek 0, ernstig 2, matig 0, gering 0" in html
    assert "WCAG 1.4.3 (publieke pagina&#x27;s, axe-regel color-contrast, serious)" in html
    assert "2 pagina's op 320, 1280 px breed" in html


def test_the_statement_has_the_parts_a_flemish_statement_must_have(client, settings):
    html = client.get("/toegankelijkheid/").content.decode()
    for part in ("Nalevingsstatus", "Niet-toegankelijke inhoud", "Onevenredige last", "Buiten het toepassingsgebied",
                 "Opstelling van deze verklaring", "Feedback en contactgegevens", "Handhavingsprocedure",
                 "bestuursdecreet van 7 december 2018", "Vlaamse Ombudsdienst", "PDF"):
        assert part in html, part
    assert "Bischoffsheimlaan 1-8, 1000 Brussel" in html and "mailto:" not in html

    settings.CONTACT_EMAIL = "toegankelijkheid@example.be"
    assert 'href="mailto:toegankelijkheid@example.be"' in client.get("/toegankelijkheid/").content.decode()


def test_the_committed_figures_cover_every_check_of_the_statement():
    report = accessibility.load_report()
    assert report["date"]
    assert report["axe_public"]["pages"] >= 20 and report["axe_admin"]["pages"] >= 30
    assert 320 in report["reflow"]["widths"] and report["pdf"]["files"] >= 4
    assert report["axe_public"]["impacts"]["critical"] == report["axe_public"]["impacts"]["serious"] == 0


@pytest.mark.parametrize("url", ["/", "/kalender/", "/open-data/", "/financien/", "/zoeken/?q=gent", "/toegankelijkheid/"])
def test_every_page_links_the_statement_in_its_footer(client, url):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">'):]
    assert 'href="/toegankelijkheid/">Toegankelijkheid</a>' in footer
