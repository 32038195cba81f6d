import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import (
    BudgetLine, EditorialStatus, ExternalFunding, Meeting, ProgrammePeriod, WorkingGroup, WorkingGroupQuerySet, WorkTrack,
    WorkTrackYear, WorkTrackYearQuerySet, natural_sort_key, span_covers,
)
from reports.models import Edition
from tests.factories import (
    make_budget, make_edition, make_funding, make_group, make_link, make_meeting, make_programme, make_track, make_track_year,
)

pytestmark = pytest.mark.django_db


def _rejected(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_track_slug_must_be_unique():
    make_track(slug="orba")
    _rejected(lambda: make_track(slug="orba"))


def test_only_one_text_per_track_and_year():
    ty = make_track_year(year=2024)
    _rejected(lambda: make_track_year(track=ty.track, year=2024))


def test_only_one_edition_per_kind_and_year():
    make_edition(kind=Edition.Kind.PLAN, year=2024)
    _rejected(lambda: make_edition(kind=Edition.Kind.PLAN, year=2024))


def test_plan_and_report_of_the_same_year_coexist():
    make_edition(kind=Edition.Kind.PLAN, year=2024)
    make_edition(kind=Edition.Kind.REPORT, year=2024)
    assert Edition.objects.filter(year=2024).count() == 2


def test_budget_total_cannot_be_negative():
    _rejected(lambda: make_budget(total="-1.00"))


def test_budget_line_amounts_cannot_be_negative():
    budget = make_budget()
    _rejected(lambda: BudgetLine.objects.create(budget=budget, label="x", actual="-5"))


def test_period_cannot_end_before_it_starts():
    _rejected(lambda: ProgrammePeriod.objects.create(name="x", slug="x", start_year=2022, end_year=2021))


def test_track_cannot_end_before_it_starts():
    _rejected(lambda: make_track(start_year=2024, end_year=2020))


def test_meeting_day_without_month_is_rejected():
    _rejected(lambda: make_meeting(year=2024, day=5))


def test_meeting_with_impossible_date_fails_validation():
    meeting = Meeting(title="x", year=2025, month=2, day=30)
    with pytest.raises(ValidationError) as exc:
        meeting.full_clean()
    assert "day" in exc.value.message_dict


def test_partial_date_is_stored_without_inventing_a_day():
    meeting = make_meeting(year=2024, period=Meeting.Period.AUTUMN)
    meeting.refresh_from_db()
    assert meeting.day is None and meeting.month is None
    assert meeting.date_display == "najaar 2024"
    assert meeting.precision == "period"


def test_new_date_only_for_postponed_meetings():
    import datetime
    _rejected(lambda: make_meeting(status=Meeting.Status.HELD, new_date=datetime.date(2025, 1, 1)))


def _moved(meeting, **changes):
    for name, value in changes.items():
        setattr(meeting, name, value)
    with pytest.raises(ValidationError) as exc:
        meeting.full_clean()
    return " ".join(exc.value.message_dict["rescheduled_as"])


def test_a_postponed_activity_moves_only_to_the_same_groups_activity_visible_as_widely_and_not_also_to_a_date():
    import datetime
    group = make_group()
    later = make_meeting(group=group, year=2026, month=2, status=Meeting.Status.PLANNED, title="Netwerkdag")
    postponed = make_meeting(group=group, year=2025, month=12, day=18, status=Meeting.Status.POSTPONED, title="Netwerkdag")
    postponed.rescheduled_as = later
    postponed.full_clean()  # the same activity of the same group, on its new date
    assert postponed.moved_to_display == "februari 2026"

    assert "alleen bij een uitgestelde activiteit" in _moved(postponed, status=Meeting.Status.HELD)
    postponed.status = Meeting.Status.POSTPONED
    assert "niet allebei" in _moved(postponed, new_date=datetime.date(2026, 2, 3))
    postponed.new_date = None
    assert "naar zichzelf" in _moved(postponed, rescheduled_as=postponed)
    assert "dezelfde werkgroep" in _moved(postponed, rescheduled_as=make_meeting(group=make_group(), year=2026, month=2))
    hidden = make_meeting(group=group, year=2026, month=3, is_public=False, status=Meeting.Status.PLANNED)
    assert "moet dat ook zijn" in _moved(postponed, rescheduled_as=hidden)
    _rejected(lambda: Meeting.objects.filter(pk=later.pk).update(rescheduled_as=postponed))  # the database says so too


def test_meeting_time_needs_a_day_and_an_end_time_needs_a_start_before_it():
    import datetime
    _rejected(lambda: make_meeting(year=2025, month=6, start_time=datetime.time(14)))
    _rejected(lambda: make_meeting(year=2025, month=6, day=3, end_time=datetime.time(16)))
    _rejected(lambda: make_meeting(year=2025, month=6, day=3, start_time=datetime.time(16), end_time=datetime.time(14)))


@pytest.mark.parametrize("fields, field, message", [
    ({"month": 6, "start_time": "14:00"}, "start_time", "Een uur kan alleen bij een gekende dag"),
    ({"month": 6, "day": 3, "end_time": "16:00"}, "end_time", "Vul eerst het beginuur in"),
    ({"month": 6, "day": 3, "start_time": "16:00", "end_time": "16:00"}, "end_time", "Het einduur moet na het beginuur liggen"),
])
def test_meeting_time_errors_are_explained_in_dutch(fields, field, message):
    import datetime
    values = {k: datetime.time.fromisoformat(v) if k.endswith("time") else v for k, v in fields.items()}
    with pytest.raises(ValidationError) as exc:
        Meeting(title="x", year=2025, **values).full_clean()
    assert message in " ".join(exc.value.message_dict[field])


@pytest.mark.parametrize("fields, text", [
    ({"day": 3, "start_time": (14, 0)}, "3 juni 2025, 14.00 uur"),
    ({"day": 3, "start_time": (14, 0), "end_time": (16, 0)}, "3 juni 2025, 14.00–16.00 uur"),
    ({"day": 3, "start_time": (9, 30), "end_time": (12, 15)}, "3 juni 2025, 9.30–12.15 uur"),
    ({"day": 16, "end_day": 17}, "16 en 17 juni 2025"),
])
def test_meeting_date_reads_with_its_hours_in_dutch(fields, text):
    import datetime
    values = {k: datetime.time(*v) if k.endswith("time") else v for k, v in fields.items()}
    assert make_meeting(year=2025, month=6, **values).date_display == text


def test_link_belongs_to_exactly_one_owner():
    programme = make_programme()
    group = make_group()
    _rejected(lambda: make_link(programme=programme, group=group))


def test_placeholder_links_are_flagged():
    assert make_link(url="#").is_placeholder
    assert make_link(url="").is_placeholder
    assert not make_link(url="https://example.org").is_placeholder


def test_track_cannot_be_its_own_ancestor():
    parent = make_track()
    child = make_track(parent=parent, programme=parent.programme)
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()


def test_numbers_sort_naturally():
    assert natural_sort_key("1.10") > natural_sort_key("1.9")
    assert natural_sort_key("2") > natural_sort_key("1.9")


def test_deleting_a_programme_with_tracks_is_refused():
    from django.db.models import ProtectedError
    track = make_track()
    with pytest.raises(ProtectedError):
        track.programme.delete()
    assert WorkTrack.objects.filter(pk=track.pk).exists()


def test_planned_item_known_only_by_year_or_season_is_upcoming_until_the_year_ends():
    import datetime
    today = datetime.date(2026, 11, 22)
    by_year = make_meeting(title="Werksessie", year=2026, status=Meeting.Status.PLANNED)
    by_season = make_meeting(title="Boek", year=2026, period=Meeting.Period.AUTUMN, status=Meeting.Status.PLANNED)
    this_month = make_meeting(title="Netwerkdag", year=2026, month=11, status=Meeting.Status.PLANNED)
    past_month = make_meeting(title="Studiedag", year=2026, month=3, status=Meeting.Status.PLANNED)
    held = make_meeting(title="Gehouden", year=2026, status=Meeting.Status.HELD)
    last_year = make_meeting(title="Vorig jaar", year=2025, status=Meeting.Status.PLANNED)
    upcoming = set(Meeting.objects.upcoming(today))
    assert {by_year, by_season, this_month} <= upcoming
    assert not {past_month, held, last_year} & upcoming


# One rule each: a published text, active in a year, the current programme period.

@pytest.mark.parametrize("text, status, published", [
    ("<p>Tekst.</p>", EditorialStatus.PUBLISHED, True),
    ("", EditorialStatus.PUBLISHED, False),  # marked published, but there is nothing to read
    ("<p>Tekst.</p>", EditorialStatus.APPROVED, False),
    ("<p>Tekst.</p>", EditorialStatus.REVIEW, False),
    ("<p>Tekst.</p>", EditorialStatus.DRAFT, False),
])
def test_a_text_is_published_when_it_is_written_and_marked_published(text, status, published):
    ty = make_track_year(plan_text=text, plan_status=status, report_text="", report_status=EditorialStatus.DRAFT)
    assert ty.is_published("plan") is ty.plan_is_published is published
    in_query = WorkTrackYear.objects.filter(WorkTrackYearQuerySet.published_q("plan")).filter(pk=ty.pk).exists()
    assert in_query is published
    assert WorkTrackYear.objects.public().filter(pk=ty.pk).exists() is published


@pytest.mark.parametrize("start, end, active", [
    (2024, 2024, True),  # its only year
    (2024, None, True),  # starts that year and runs on
    (None, 2024, True),  # ends that year
    (None, None, True),  # years not known: runs
    (2025, None, False),  # starts the year after
    (None, 2023, False),  # ended the year before
    (2020, 2023, False),
    (2025, 2030, False),
])
def test_a_track_group_or_funding_is_active_in_a_year_from_its_start_year_to_its_end_year(start, end, active):
    track = make_track(start_year=start, end_year=end)
    group = make_group(start_year=start, end_year=end)
    funding = make_funding(track=track, start_year=start, end_year=end)
    assert WorkTrack.objects.active_in(2024).filter(pk=track.pk).exists() is active
    assert WorkingGroup.objects.active_in(2024).filter(pk=group.pk).exists() is active
    assert ExternalFunding.objects.active_in(2024).filter(pk=funding.pk).exists() is active
    assert span_covers(start, end, 2024) is active


def test_active_between_two_years_means_active_in_at_least_one_of_them():
    ended, starting, outside = make_group(end_year=2022), make_group(start_year=2026), make_group(start_year=2019, end_year=2021)
    found = set(WorkingGroup.objects.active_between(2022, 2026))
    assert ended in found and starting in found and outside not in found


def test_a_group_is_at_work_only_in_the_years_it_spans_when_its_start_year_is_known():
    known, unknown = make_group(start_year=2024, end_year=2024), make_group(end_year=2024)
    assert set(WorkingGroup.objects.at_work_in(2024)) == {known}
    assert set(WorkingGroup.objects.at_work_in(2025)) == set()
    assert WorkingGroupQuerySet.years_at_work(2024, 2024, [], range(2022, 2027)) == {2024}
    assert WorkingGroupQuerySet.years_at_work(None, 2024, [], range(2022, 2027)) == set()


def _period(start, end):
    return ProgrammePeriod.objects.create(name=f"Periode {start}", slug=f"p{start}", start_year=start, end_year=end)


def test_the_current_period_is_the_one_running_and_stays_current_after_it_ends_until_the_next_begins():
    first, second = _period(2017, 2021), _period(2022, 2026)
    assert ProgrammePeriod.objects.current(2016) is None
    assert ProgrammePeriod.objects.current(2021) == first  # its last year
    assert ProgrammePeriod.objects.current(2022) == second
    assert ProgrammePeriod.objects.current(2026) == second
    assert ProgrammePeriod.objects.current(2027) == second  # ended, and no next period yet
    third = _period(2028, 2032)
    assert ProgrammePeriod.objects.current(2027) == second
    assert ProgrammePeriod.objects.current(2028) == third
