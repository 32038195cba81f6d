"""A date known to the day, the days, the month, a period or only the year: its span, order and Dutch text."""
import datetime

import pytest

from programmes.dates import parse_meeting_date
from programmes.models import Meeting
from programmes.partialdate import PartialDate

D = datetime.date


@pytest.mark.parametrize("date, span, text", [
    (PartialDate(2025, 6, 3), (D(2025, 6, 3), D(2025, 6, 4)), "3 juni 2025"),
    (PartialDate(2018, 5, 16, end_day=17), (D(2018, 5, 16), D(2018, 5, 18)), "16 en 17 mei 2018"),
    (PartialDate(2018, 11, 13, end_day=15), (D(2018, 11, 13), D(2018, 11, 16)), "13–15 november 2018"),
    (PartialDate(2025, 5, 30, end_day=2, end_month=6), (D(2025, 5, 30), D(2025, 6, 3)), "30 mei – 2 juni 2025"),
    (PartialDate(2026, 12), (D(2026, 12, 1), D(2027, 1, 1)), "december 2026"),
    (PartialDate(2024, period="autumn"), (D(2024, 9, 1), D(2024, 12, 1)), "najaar 2024"),
    (PartialDate(2024, period="end"), (D(2024, 11, 1), D(2025, 1, 1)), "eind 2024"),
    (PartialDate(2024), (D(2024, 1, 1), D(2025, 1, 1)), "2024"),
])
def test_a_partial_date_covers_every_day_it_could_be_and_reads_as_written(date, span, text):
    assert date.span == span
    assert date.text == text
    assert parse_meeting_date(text) == date  # the form reads its own text back unchanged


def test_a_date_known_only_to_the_year_sorts_after_the_dated_ones_of_that_year():
    dates = [PartialDate(2024), PartialDate(2024, 12, 31), PartialDate(2024, period="end"), PartialDate(2023), PartialDate(2024, 1, 2)]
    assert [d.text for d in sorted(dates, key=lambda d: d.sort_key)] == [
        "2023", "2 januari 2024", "eind 2024", "31 december 2024", "2024",
    ]


def test_a_date_has_passed_only_once_its_last_possible_day_is_over():
    autumn = PartialDate(2024, period="autumn")
    assert not autumn.has_passed(D(2024, 11, 30))
    assert autumn.has_passed(D(2024, 12, 1))
    days = PartialDate(2018, 5, 16, end_day=17)
    assert not days.has_passed(D(2018, 5, 17)) and days.has_passed(D(2018, 5, 18))


def test_a_meeting_reads_its_stored_date_through_the_value():
    meeting = Meeting(title="Netwerkdag", year=2025, month=5, day=30, end_day=2, end_month=6, start_time=datetime.time(14))
    assert meeting.partial_date == PartialDate(2025, 5, 30, end_day=2, end_month=6)
    assert meeting.date_display == "30 mei – 2 juni 2025, 14.00 uur"
    assert (meeting.iso_date, meeting.end_date, meeting.precision) == ("2025-05-30", D(2025, 6, 2), "day")
    parse_meeting_date("najaar 2024").apply_to(meeting)
    assert (meeting.month, meeting.day, meeting.end_day, meeting.period, meeting.day_display) == (None, None, None, "autumn", "najaar 2024")
