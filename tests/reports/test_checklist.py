"""reports.checklist: what the checklist flags before publication, and the link check it reports."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from programmes.models import EditorialStatus, Link, Meeting
from reports.models import Edition
from reports.checklist import edition_checklist
from tests.factories import (
    make_budget, make_draft_edition, make_edition, make_entry, make_group, make_group_year, make_link, make_meeting, make_track,
    make_track_year, outline, place,
)

pytestmark = pytest.mark.django_db


def _checklist_url(edition):
    return reverse("admin:reports_edition_checklist", args=[edition.pk])


def _codes(edition):
    return {item.code for item in edition_checklist(edition=edition)}


def test_checklist_lists_missing_texts_drafts_placeholder_links_and_groups_without_a_confirmed_count():
    edition = make_draft_edition(year=2024)
    open_draft = make_track_year(year=2024, report_status=EditorialStatus.DRAFT)
    place(edition, make_track_year(year=2024, report_text=""), open_draft)
    make_link(track_year=open_draft, url="#")
    group = make_group()
    group.tracks.add(open_draft.track)
    make_meeting(group=group, year=2024)  # one recorded meeting is no confirmed count
    assert {"missing_text", "open_drafts", "placeholder_links", "groups_without_count"} <= _codes(edition)


def test_checklist_flags_numbering_gaps_and_past_meetings_still_planned():
    edition = make_draft_edition(year=2024)
    chapter = make_entry(edition=edition, title="Klimaat")
    for number in ("1", "3"):
        make_entry(edition=edition, parent=chapter, track_year=make_track_year(year=2024), number=number)
    make_meeting(year=2024, month=2, day=1, status=Meeting.Status.PLANNED, title="Vergeten bij te werken")
    items = {item.code: item for item in edition_checklist(edition=edition)}
    assert [e.number for e in items["numbering_gaps"].objects] == ["3"]
    assert [m.title for m in items["unconfirmed_meetings"].objects] == ["Vergeten bij te werken"]


def test_checklist_is_clean_for_a_complete_edition():
    edition = make_draft_edition(year=2024)
    ty = make_track_year(year=2024)
    group = make_group()
    group.tracks.add(ty.track)
    make_meeting(group=group, year=2024)
    make_group_year(group=group, year=2024, reported_meetings=None, meetings_complete=True)
    make_link(track_year=ty)
    assert _codes(outline(edition)) == set()


def test_checklist_page_shows_the_warnings(client, eindredacteur):
    edition = make_draft_edition(year=2024)
    make_link(track_year=make_track_year(year=2024), url="#", title="het ontbrekende verslag")
    outline(edition)
    client.force_login(eindredacteur)
    html = client.get(_checklist_url(edition)).content.decode()
    assert "Links zonder adres" in html and "het ontbrekende verslag" in html and "publiceer toch" in html


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_links_records_working_and_broken_links_and_the_checklist_shows_them(local_server):
    edition = make_draft_edition(year=2024)
    ty = make_track_year(year=2024)
    ok = make_link(track_year=ty, url=f"{local_server}/ok")
    missing = make_link(track_year=ty, url=f"{local_server}/weg")
    unreachable = make_link(track_year=ty, url="http://127.0.0.1:9/dicht")
    outline(edition)
    call_command("check_links", "--timeout", "2")
    for link in (ok, missing, unreachable):
        link.refresh_from_db()
    assert ok.check_status == 200 and not ok.is_broken
    assert missing.check_status == 404 and missing.is_broken
    assert unreachable.check_error and unreachable.is_broken
    broken = next(i for i in edition_checklist(edition=edition) if i.code == "broken_links")
    assert set(broken.objects) == {missing, unreachable}


def test_check_links_does_not_write_history(local_server):
    link = make_link(url=f"{local_server}/ok")
    before = link.history.count()
    call_command("check_links", "--timeout", "2")
    assert link.history.count() == before
    assert Link.objects.get(pk=link.pk).checked_at is not None


def test_checklist_expects_text_only_from_tracks_that_ran_last_year():
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024, status=EditorialStatus.DRAFT)
    continuing = make_track(title="Liep vorig jaar")
    make_track_year(track=continuing, year=2023)
    long_gone = make_track(title="Studiereis 2020")
    make_track_year(track=long_gone, year=2020)
    missing = next(i for i in edition_checklist(edition=edition) if i.code == "missing_text").objects
    assert continuing in missing and long_gone not in missing


def test_checklist_flags_placeholder_links_under_edition_texts():
    from reports.models import EditionSection, SectionLink

    edition = make_edition(kind=Edition.Kind.REPORT, year=2024, status=EditorialStatus.DRAFT)
    section = EditionSection.objects.create(edition=edition, title="Afrekening", slug="afrekening-tekst", body="<p>x</p>")
    placeholder = SectionLink.objects.create(section=section, title="de afrekening", url="#")
    items = {i.code: i.objects for i in edition_checklist(edition=edition)}
    assert placeholder in items["placeholder_links"]


def test_check_links_also_checks_links_under_edition_texts(local_server):
    from reports.models import EditionSection, SectionLink

    edition = make_draft_edition(year=2024)
    section = EditionSection.objects.create(edition=edition, title="Communicatie", slug="communicatie", body="<p>x</p>")
    gone = SectionLink.objects.create(section=section, title="de oude website", url=f"{local_server}/weg")
    call_command("check_links", "--timeout", "2")
    gone.refresh_from_db()
    assert gone.check_status == 404 and gone.is_broken
    broken = next(i for i in edition_checklist(edition=edition) if i.code == "broken_links")
    assert gone in broken.objects


def test_checklist_flags_a_settlement_link_without_address():
    edition = make_edition(kind=Edition.Kind.REPORT, year=2026, status=EditorialStatus.REVIEW)
    make_link(budget=make_budget(year=2026), title="de afrekening", url="#")
    items = {item.code: item for item in edition_checklist(edition=edition)}
    assert [link.title for link in items["placeholder_links"].objects] == ["de afrekening"]
