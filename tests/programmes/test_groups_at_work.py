"""One rule for 'at work in a year': the edition's figure and groups, /werkgroepen/?jaar=, the calendar and open data."""
import json
import re

import pytest

from programmes.models import Meeting, WorkingGroup
from reports.checklist import edition_checklist
from reports.models import Edition
from tests.factories import make_edition, make_group, make_group_year, make_meeting, make_track_year, outline

pytestmark = pytest.mark.django_db


def _world():
    ty = make_track_year(year=2024)
    groups = {
        "started": make_group(name="Opgericht 2020", start_year=2020),
        "ended": make_group(name="Opgeheven 2022", start_year=2015, end_year=2022),
        "later": make_group(name="Opgericht 2026", start_year=2026),
        "unknown": make_group(name="Zonder startjaar"),
        "reported": make_group(name="Zonder startjaar, met jaarcijfer"),
        "met": make_group(name="Zonder startjaar, met vergadering"),
        "cancelled": make_group(name="Zonder startjaar, alleen geannuleerd"),
    }
    for group in groups.values():
        group.tracks.add(ty.track)
    make_group_year(group=groups["reported"], year=2024, reported_meetings=4)
    make_meeting(group=groups["met"], year=2024, month=5)
    make_meeting(group=groups["cancelled"], year=2024, month=5, status=Meeting.Status.CANCELLED)
    return ty, groups


AT_WORK_2024 = {"Opgericht 2020", "Zonder startjaar, met jaarcijfer", "Zonder startjaar, met vergadering"}


def test_a_group_is_at_work_in_a_year_it_spans_or_has_something_recorded_for(db):
    _world()
    assert set(WorkingGroup.objects.at_work_in(2024).values_list("name", flat=True)) == AT_WORK_2024


def test_the_group_list_of_a_year_lists_exactly_those_groups_and_its_option_counts_them(client):
    _world()
    html = client.get("/werkgroepen/?jaar=2024").content.decode()
    listed = set(re.findall(r'<li class="group-card">\s*<h2><a href="[^"]+">([^<]+)</a>', html))
    assert listed == AT_WORK_2024, listed
    assert f'<option value="2024" selected>2024 ({len(AT_WORK_2024)})</option>' in html


def test_the_jaarverslag_counts_the_groups_at_work_as_the_list_does_and_links_to_it(client):
    _world()
    report = outline(make_edition(kind=Edition.Kind.REPORT, year=2024))
    html = client.get(report.get_absolute_url()).content.decode()
    figures = html[html.index('id="jaar-in-cijfers"'):]
    assert f'{len(AT_WORK_2024)}</span> <span class="key-figure__label"><a href="/werkgroepen/?jaar=2024">' in figures
    facts = re.findall(r'<ul class="group-facts">(.*?)</ul>', html, re.S)[0]
    assert set(re.findall(r'<a href="/werkgroepen/[^"]+">([^<]+)</a>', facts)) == AT_WORK_2024


def test_every_group_with_an_activity_in_the_calendar_of_a_year_is_at_work_that_year(client):
    _world()
    calendar = client.get("/kalender/?jaar=2024").content.decode()
    items = re.findall(r'<li class="meeting meeting--(\w+)"(.*?)</li>', calendar, re.S)
    groups_in_calendar = {name for status, item in items if status != "cancelled"
                          for name in re.findall(r'href="/werkgroepen/[^"]+">([^<]+)</a>', item)}
    assert groups_in_calendar and groups_in_calendar <= AT_WORK_2024


def test_open_data_lists_the_groups_at_work_of_the_year(client):
    _world()
    make_edition(kind=Edition.Kind.REPORT, year=2024)
    rows = json.loads(client.get("/open-data/2024/werkgroepen.json").content)["rows"]
    assert {row["name"] for row in rows} == AT_WORK_2024


def test_a_group_without_a_known_start_year_and_nothing_recorded_is_flagged_on_the_checklist(db):
    ty, groups = _world()
    report = outline(make_edition(kind=Edition.Kind.REPORT, year=2024))
    item = next(i for i in edition_checklist(edition=report) if i.code == "groups_without_start_year")
    assert {g.name for g in item.objects} == {"Zonder startjaar", "Zonder startjaar, alleen geannuleerd"}
