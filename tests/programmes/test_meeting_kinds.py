"""Kinds of activity are reference data: editors add them, and every list, filter and export follows."""
import datetime
import json

import icalendar
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from programmes.models import Meeting, MeetingKind
from tests.factories import kind_pk, make_edition, make_group, make_group_year, make_meeting, make_meeting_kind
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db


def test_the_former_fixed_kinds_exist_as_rows_with_their_old_slugs(db):
    slugs = set(MeetingKind.objects.values_list("slug", flat=True))
    assert {"meeting", "workshop", "study_day", "info_session", "masterclass", "network_day", "training",
            "conference", "study_trip", "launch", "session", "other"} <= slugs
    assert list(MeetingKind.objects.filter(is_group_meeting=True).values_list("slug", flat=True)) == ["meeting"]


def test_an_editor_adds_a_kind_in_the_admin_and_records_a_meeting_of_that_kind(client, django_user_model):
    client.force_login(make_editor(django_user_model))
    url = reverse("admin:programmes_meetingkind_add")
    form = {k: v for k, v in admin_form_data(client.get(url)).items() if v != []}
    form.update({"name": "excursie", "slug": "excursie", "order": "130"})
    assert client.post(url, form).status_code == 302
    url = reverse("admin:programmes_meeting_add")
    form = {k: v for k, v in admin_form_data(client.get(url)).items() if v != []}
    form.update({"title": "Excursie naar Rotterdam", "kind": kind_pk("excursie"), "date": "mei 2024",
                 "status": "held", "is_public": "on"})
    assert client.post(url, form).status_code == 302
    assert Meeting.objects.get(title="Excursie naar Rotterdam").kind.name == "excursie"


def test_a_new_meeting_form_proposes_a_meeting_of_the_group(client, django_user_model):
    client.force_login(make_editor(django_user_model))
    data = admin_form_data(client.get(reverse("admin:programmes_meeting_add")))
    assert data["kind"] == kind_pk("meeting")


def test_the_slug_of_a_kind_in_use_cannot_change_so_filter_addresses_keep_working(client, django_user_model):
    client.force_login(make_editor(django_user_model))
    kind = MeetingKind.objects.get(slug="workshop")
    url = reverse("admin:programmes_meetingkind_change", args=[kind.pk])
    form = {k: v for k, v in admin_form_data(client.get(url)).items() if v != []}
    form.update({"name": "workshop of atelier", "slug": "atelier"})
    assert client.post(url, form).status_code == 302
    kind.refresh_from_db()
    assert (kind.name, kind.slug) == ("workshop of atelier", "workshop")


def test_calendar_filters_on_a_new_kind_by_its_slug_and_counts_it(client):
    seminar = make_meeting_kind(name="seminarie", slug="seminarie")
    make_meeting(title="Seminarie over data", kind=seminar, year=2024, month=3)
    make_meeting(title="Gewone vergadering", year=2024, month=4)
    html = client.get("/kalender/?soort=seminarie").content.decode()
    assert "Seminarie over data" in html and "Gewone vergadering" not in html
    assert "seminarie (1)" in html


def test_old_filter_addresses_by_kind_keep_working(client):
    make_meeting(title="Werksessie data", kind="workshop", year=2024, month=3)
    make_meeting(title="Gewone vergadering", year=2024, month=4)
    html = client.get("/kalender/?soort=workshop").content.decode()
    assert "Werksessie data" in html and "Gewone vergadering" not in html


def test_a_new_kind_reaches_ical_and_open_data(client):
    excursion = make_meeting_kind(name="excursie", slug="excursie")
    year = datetime.date.today().year + 1  # the feed holds what is to come (and the last twelve months)
    make_meeting(title="Excursie Rotterdam", kind=excursion, year=year, month=5, day=16, status=Meeting.Status.PLANNED)
    make_edition(kind="report", year=year)
    calendar = icalendar.Calendar.from_ical(client.get("/kalender.ics").content)
    event = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Excursie Rotterdam")
    assert event["CATEGORIES"].to_ical().decode() == "excursie"
    rows = json.loads(client.get(f"/open-data/{year}/vergaderingen.json").content)["rows"]
    assert [row["kind"] for row in rows if row["title"] == "Excursie Rotterdam"] == ["excursie"]


def test_only_kinds_that_count_as_a_meeting_make_up_a_group_count(db):
    from programmes.selectors import meeting_counts

    plenary = make_meeting_kind(name="plenaire vergadering", slug="plenair", is_group_meeting=True)
    group = make_group()
    make_group_year(group=group, year=2024, reported_meetings=None, meetings_complete=True)
    make_meeting(group=group, year=2024, month=2, kind=plenary)
    make_meeting(group=group, year=2024, month=3)
    make_meeting(group=group, year=2024, month=4, kind="workshop")
    assert meeting_counts(group_ids=[group.pk], years=[2024]) == {(group.pk, 2024): 2}


def test_a_kind_in_use_cannot_be_deleted(db):
    from django.db.models import ProtectedError

    make_meeting(kind="workshop")
    with pytest.raises(ProtectedError):
        MeetingKind.objects.get(slug="workshop").delete()


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_the_fixed_kinds_into_rows_and_keeps_every_meeting_s_kind(transactional_db):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("programmes", "0014_approved_text_status")])
    old = MigrationExecutor(connection).loader.project_state([("programmes", "0014_approved_text_status")]).apps
    OldMeeting = old.get_model("programmes", "Meeting")
    workshop = OldMeeting.objects.create(title="Workshop", kind="workshop", year=2024, status="held")
    OldMeeting.objects.create(title="Vergadering", kind="meeting", year=2024, status="held")
    old.get_model("programmes", "Link").objects.create(meeting=workshop, title="de presentatie", url="https://x.be/p")
    old.get_model("programmes", "HistoricalMeeting").objects.create(
        id=workshop.pk, title="Workshop", kind="workshop", year=2024, status="held", history_date="2024-01-01T12:00Z",
        history_type="+", is_public=True)
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        new = executor.loader.project_state(latest).apps
        kinds = dict(new.get_model("programmes", "Meeting").objects.values_list("title", "kind__slug"))
        assert kinds == {"Workshop": "workshop", "Vergadering": "meeting"}
        history = new.get_model("programmes", "HistoricalMeeting").objects.values_list("kind__slug", flat=True)
        assert list(history) == ["workshop"]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
