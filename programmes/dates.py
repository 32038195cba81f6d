"""A meeting's date typed the way people write it: one field for a day, days, a month, a season or a year.

'3 juni 2025', '16 en 17 mei 2018', '13-15 november 2018', '30 mei – 2 juni 2025', 'februari 2026',
'najaar 2024', '2024', and '3/6/2025' or '2025-06-03' for a day. The result is the parts a Meeting
stores (a `programmes.partialdate.PartialDate`: year, month, day, last day and month, season), so what
is not known is never invented; the form shows a stored date back as its Dutch text
(`Meeting.day_display`), which this reads again unchanged.
static/js/meeting-date.js mirrors the grammar for the preview while typing (a change to one needs
the other; tests/browser/test_meeting_date.py compares them).
"""
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .partialdate import MONTHS_NL, PartialDate, Period

EXAMPLES = _("bv. 3 juni 2025, 16 en 17 mei 2018, 13-15 maart 2024, 30 mei – 2 juni 2025, februari 2026, najaar 2024 of 2024")

# Besides the full names: the abbreviations people write ('sept', 'okt', 'mrt').
MONTH_WORDS = {name: i for i, name in enumerate(MONTHS_NL, start=1)} | {
    "jan": 1, "feb": 2, "mrt": 3, "maa": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}
SEASON_WORDS = {str(label): value for value, label in Period.choices if value} | {
    "lente": "spring", "herfst": "autumn", "einde": "end", "half": "mid", "medio": "mid",
}
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_UNTIL = r"(?:-|tot(?: en met)?|t/m)"

_YEAR = re.compile(r"(\d{4})")
_WORD_YEAR = re.compile(r"([a-z]+)\.? (\d{4})")
_DAYS = re.compile(rf"(\d{{1,2}})(?: ?(?:{_UNTIL}|en) ?(\d{{1,2}}))? ([a-z]+)\.? (\d{{4}})")
_ACROSS = re.compile(rf"(\d{{1,2}}) ([a-z]+)\.? ?{_UNTIL} ?(\d{{1,2}}) ([a-z]+)\.? (\d{{4}})")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _normalise(text: str) -> str:
    text = " ".join(text.lower().replace("–", "-").replace("—", "-").replace(",", " ").split())
    text = re.sub(r" ?- ?", "-", text)
    for weekday in WEEKDAYS:
        text = re.sub(rf"\b{weekday}\b ?", "", text)
    return text.strip()


def _month(word: str) -> int | None:
    return MONTH_WORDS.get(word)


def _invalid(message=None, code="invalid_date"):
    return ValidationError(message or _("Deze datum herken ik niet. Schrijf %(examples)s.") % {"examples": EXAMPLES}, code=code)


def parse_meeting_date(text: str) -> PartialDate:
    """The date parts written in `text`; a ValidationError in Dutch when it is not a date the form can store."""
    value = _normalise(text or "")
    if not value:
        raise _invalid(_("Vul een datum in: %(examples)s.") % {"examples": EXAMPLES}, code="required")
    if match := _YEAR.fullmatch(value):
        return _checked(PartialDate(year=int(match[1])))
    if match := _ISO.fullmatch(value):
        return _checked(PartialDate(year=int(match[1]), month=int(match[2]), day=int(match[3])))
    if match := _NUMERIC.fullmatch(value):
        return _checked(PartialDate(year=int(match[3]), month=int(match[2]), day=int(match[1])))
    if match := _WORD_YEAR.fullmatch(value):
        word, year = match[1], int(match[2])
        if (month := _month(word)) is not None:
            return _checked(PartialDate(year=year, month=month))
        if word in SEASON_WORDS:
            return _checked(PartialDate(year=year, period=SEASON_WORDS[word]))
        raise _invalid()
    if match := _DAYS.fullmatch(value):
        month = _month(match[3])
        if month is None:
            raise _invalid()
        end = int(match[2]) if match[2] else None
        return _checked(PartialDate(year=int(match[4]), month=month, day=int(match[1]), end_day=end))
    if match := _ACROSS.fullmatch(value):
        month, end_month = _month(match[2]), _month(match[4])
        if month is None or end_month is None:
            raise _invalid()
        if end_month == month:
            return _checked(PartialDate(year=int(match[5]), month=month, day=int(match[1]), end_day=int(match[3])))
        return _checked(PartialDate(year=int(match[5]), month=month, day=int(match[1]), end_day=int(match[3]),
                                    end_month=end_month))
    if re.search(r"\d{4}.*\d{4}", value):
        raise _invalid(_("Een activiteit over de jaarwisseling kan niet: noteer de eerste dag, en de rest in de omschrijving."),
                       code="across_years")
    if not re.search(r"\d{4}", value):
        raise _invalid(_("Vermeld ook het jaar, %(examples)s.") % {"examples": EXAMPLES}, code="no_year")
    raise _invalid()


def _checked(date: PartialDate) -> PartialDate:
    if date.year < 2000 or date.year > 2100:
        raise _invalid(_("Het jaar moet tussen 2000 en 2100 liggen."), code="year_range")
    if date.month is not None and not 1 <= date.month <= 12:
        raise _invalid(_("Een maand loopt van 1 tot 12."), code="invalid_month")
    if date.day is None:
        return date
    try:
        first = datetime.date(date.year, date.month, date.day)
    except ValueError:
        raise _invalid(_("Die dag bestaat niet in %(month)s %(year)s.") % {"month": MONTHS_NL[date.month - 1], "year": date.year},
                       code="invalid_day") from None
    if date.end_day is None:
        return date
    try:
        last = datetime.date(date.year, date.end_month or date.month, date.end_day)
    except ValueError:
        month = MONTHS_NL[(date.end_month or date.month) - 1]
        raise _invalid(_("De laatste dag bestaat niet in %(month)s %(year)s.") % {"month": month, "year": date.year},
                       code="invalid_end") from None
    if last <= first:
        raise _invalid(_("De laatste dag moet na de eerste dag vallen."), code="end_before_start")
    return date
