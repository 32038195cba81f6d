"""The domain of the Kenniscentrum, one module per topic; everything is importable from here
(`from programmes.models import Meeting`).

- base: year validation, the editorial status, the rule of a span of years, shared helpers
- periods: ProgrammePeriod, Programme, ProgrammeYear
- people: City, Organisation, GoverningBody, Person, Position
- tracks: WorkTrack, WorkTrackYear, Outcome, Result, ExternalFunding
- groups: WorkingGroup, GroupYear
- meetings: MeetingKind, Meeting (its date: programmes.partialdate)
- links: LinkBase, Link
- budgets: Budget, BudgetLine, FundingSource, CommunicationFigure
- search: SearchEntry, the search index's rows
"""
from simple_history import register as register_history

from ..partialdate import MONTHS_NL, date_nl, time_nl
from .base import YEAR_VALIDATORS, EditorialStatus, YearSpanQuerySet, choice_label, natural_sort_key, span_covers
from .budgets import Budget, BudgetLine, BudgetQuerySet, CommunicationFigure, FundingSource
from .groups import GroupYear, WorkingGroup, WorkingGroupQuerySet
from .links import Link, LinkBase, LinkBaseQuerySet, LinkQuerySet
from .meetings import Meeting, MeetingKind, MeetingQuerySet
from .people import City, CityQuerySet, GoverningBody, Organisation, Person, Position
from .periods import Programme, ProgrammePeriod, ProgrammePeriodQuerySet, ProgrammeQuerySet, ProgrammeYear
from .search import SearchEntry
from .tracks import (
    ExternalFunding, ExternalFundingQuerySet, Outcome, Result, ResultQuerySet, WorkTrack,
    WorkTrackQuerySet, WorkTrackYear, WorkTrackYearQuerySet,
)

__all__ = [
    "MONTHS_NL", "YEAR_VALIDATORS", "Budget", "BudgetLine", "BudgetQuerySet", "City", "CityQuerySet",
    "CommunicationFigure", "EditorialStatus", "ExternalFunding", "ExternalFundingQuerySet", "FundingSource", "GoverningBody",
    "GroupYear", "Link", "LinkBase", "LinkBaseQuerySet", "LinkQuerySet", "Meeting", "MeetingKind", "MeetingQuerySet",
    "Organisation", "Outcome", "Person", "Position", "Programme", "ProgrammePeriod",
    "ProgrammePeriodQuerySet", "ProgrammeQuerySet", "ProgrammeYear", "Result", "ResultQuerySet", "SearchEntry", "WorkTrack", "WorkTrackQuerySet",
    "WorkTrackYear", "WorkTrackYearQuerySet", "WorkingGroup", "WorkingGroupQuerySet", "YearSpanQuerySet", "date_nl",
    "choice_label", "natural_sort_key", "span_covers", "time_nl",
]

# Every change to content is recorded (who, when, what) so staff can compare, revert and recover.
# Check results are left out: a nightly link check is not an editorial change.
# Many-to-many links (who takes part, which tracks a group serves) are recorded too.
# app="programmes" keeps the historical models (HistoricalMeeting …) in this module, where they always were.
HISTORY_M2M_FIELDS = {
    Programme: ["periods"],
    WorkTrack: ["lead_cities", "cities", "partners"],
    WorkingGroup: ["tracks", "cities", "partners"],
}
for _model in (
    ProgrammePeriod, City, Organisation, Programme, ProgrammeYear, WorkTrack, WorkTrackYear, Result, ExternalFunding,
    WorkingGroup, GroupYear, MeetingKind, Meeting, Budget, BudgetLine, FundingSource, GoverningBody, Person, Position, CommunicationFigure,
):
    register_history(_model, app="programmes", m2m_fields=HISTORY_M2M_FIELDS.get(_model, ()))
register_history(Link, app="programmes", excluded_fields=["checked_at", "check_status", "check_error"])
