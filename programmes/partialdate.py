"""A date that may be only partly known, and how it reads in Dutch.

A meeting of 2018 may be known to the day ('16 en 17 mei 2018'), the month ('mei 2018'), a season
('najaar 2024') or only the year ('2024'). `PartialDate` holds what is known, never an invented day,
and does the arithmetic every reader needs: the span of days the date could cover, where it sorts, its
ISO form and its Dutch text. `Meeting` stores the same parts as fields and reads them through this;
`programmes.dates` parses typed text into one. static/js/meeting-date.js mirrors `day_text` and
static/js/meeting-status.js mirrors `span` (tests/browser/test_meeting_date.py compares them).
"""
import datetime
from dataclasses import dataclass, fields

from django.db import models
from django.utils.translation import gettext_lazy as _

MONTHS_NL = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]


def date_nl(day: datetime.date) -> str:
    """A full date in Dutch: '3 juni 2025'."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def time_nl(value: datetime.time) -> str:
    """A time of day the Flemish way: '14.00'."""
    return f"{value.hour}.{value.minute:02d}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


class Period(models.TextChoices):
    """A part of the year, for a date whose month is not known."""

    NONE = "", _("—")
    BEGIN = "begin", _("begin")
    SPRING = "spring", _("voorjaar")
    SUMMER = "summer", _("zomer")
    MID = "mid", _("midden")
    AUTUMN = "autumn", _("najaar")
    END = "end", _("eind")


# The month a period starts in and how many months it covers; no period is the whole year.
PERIOD_MONTH = {"begin": 1, "spring": 3, "summer": 6, "mid": 6, "autumn": 9, "end": 11, "": 1}
PERIOD_LENGTH_MONTHS = {"begin": 2, "spring": 3, "summer": 3, "mid": 2, "autumn": 3, "end": 2, "": 12}
PERIOD_LABELS = dict(Period.choices)


@dataclass(frozen=True)
class PartialDate:
    """A day, days (`end_day`, and `end_month` when they run into the next month), a month, a period
    of the year or only the year; None (or '' for the period) for what is not known.

    Building one checks nothing: `span` and `end_date` raise ValueError (or TypeError) for a day that
    does not exist, which `Meeting.clean` and `programmes.dates` turn into messages.
    """

    year: int
    month: int | None = None
    day: int | None = None
    end_day: int | None = None
    end_month: int | None = None
    period: str = ""

    @classmethod
    def parts(cls) -> tuple[str, ...]:
        """The names of the parts, as a Meeting stores them."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def of(cls, obj) -> "PartialDate":
        """The date stored on `obj` (a Meeting) in fields of the same names."""
        return cls(obj.year, obj.month, obj.day, obj.end_day, obj.end_month, obj.period or "")

    def apply_to(self, obj) -> None:
        """Store this date on `obj` in fields of the same names."""
        for name in self.parts():
            setattr(obj, name, getattr(self, name))

    @property
    def precision(self) -> str:
        if self.day:
            return "day"
        if self.month:
            return "month"
        if self.period:
            return "period"
        return "year"

    @property
    def first_day(self) -> datetime.date:
        """The first day the date could be: where it sorts."""
        return datetime.date(self.year, self.month or PERIOD_MONTH.get(self.period, 1), self.day or 1)

    @property
    def end_date(self) -> datetime.date | None:
        """The last day of days; None for a single day or a date without a day."""
        if not (self.day and self.end_day):
            return None
        return datetime.date(self.year, self.end_month or self.month, self.end_day)

    @property
    def span(self) -> tuple[datetime.date, datetime.date]:
        """[first day, day after the last day] the date could be: a day or days, a month, a period, a year."""
        if self.day:
            start = datetime.date(self.year, self.month, self.day)
            return start, (self.end_date or start) + datetime.timedelta(days=1)
        if self.month:
            start = datetime.date(self.year, self.month, 1)
            return start, _add_months(start, 1)
        start = datetime.date(self.year, PERIOD_MONTH[self.period], 1)
        return start, _add_months(start, PERIOD_LENGTH_MONTHS[self.period])

    @property
    def sort_key(self) -> tuple:
        """Its place among the dates of a year's activities: by date as far as it is known, and a date
        known only to the year after the dated ones of that year (it is no earlier than they are)."""
        return (self.year, self.precision == "year", self.first_day)

    def has_passed(self, today: datetime.date) -> bool:
        """Every day the date could be lies before `today`."""
        return self.span[1] <= today

    @property
    def iso(self) -> str:
        """As much of the date as is known: 2024-03-01, 2024-03 or 2024."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def text(self) -> str:
        """In Dutch, as far as it is known: '16 en 17 mei 2018', '13–15 november 2018',
        '30 mei – 2 juni 2025', 'mei 2018', 'najaar 2024', '2024'."""
        if self.day and self.end_day:
            month, end_month = MONTHS_NL[self.month - 1], MONTHS_NL[(self.end_month or self.month) - 1]
            if end_month != month:
                return f"{self.day} {month} – {self.end_day} {end_month} {self.year}"
            joiner = " en " if self.end_day == self.day + 1 else "–"
            return f"{self.day}{joiner}{self.end_day} {month} {self.year}"
        if self.day:
            return f"{self.day} {MONTHS_NL[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS_NL[self.month - 1]} {self.year}"
        if self.period:
            return f"{PERIOD_LABELS.get(self.period, self.period)} {self.year}"
        return str(self.year)
