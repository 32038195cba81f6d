"""Reads for the back-office home: where the editions in preparation stand, and an editor's own texts."""
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery

from programmes.models import EditorialStatus, WorkTrackYear, WorkTrackYearQuerySet, YearSpanQuerySet

from .checklist import ChecklistItem, edition_checklist
from .models import Edition


@dataclass
class EditionProgress:
    """How far the texts of one edition are: written, reviewed (ready or published) and published."""

    edition: Edition
    total: int
    written: int
    reviewed: int
    published: int
    checklist: list[ChecklistItem] = field(default_factory=list)

    @property
    def open_points(self) -> int:
        return sum(item.count for item in self.checklist)


def default_publication_date(*, edition: Edition, today):
    """The publication date to propose: today for an edition of this year or last (a jaarplan comes out
    around its year, a jaarverslag the year after); None for an edition of an earlier year, entered
    afterwards, whose date the editor gives or leaves unrecorded rather than getting today's."""
    return today if today.year <= edition.year + 1 else None


def _text_fields(edition: Edition) -> tuple[str, str]:
    return ("plan_text", "plan_status") if edition.is_plan else ("report_text", "report_status")


def edition_progress(*, edition: Edition) -> EditionProgress:
    """The text counts of the tracks in an edition's outline (one query) and its checklist."""
    text_field, status_field = _text_fields(edition)
    written = ~Q(**{text_field: ""})
    counts = WorkTrackYear.objects.filter(entries__edition=edition).aggregate(
        total=Count("id"),
        written=Count("id", filter=written),
        reviewed=Count("id", filter=written & Q(**{f"{status_field}__in": [EditorialStatus.REVIEW, EditorialStatus.APPROVED, EditorialStatus.PUBLISHED]})),
        published=Count("id", filter=WorkTrackYearQuerySet.published_q(edition.text_part)),
    )
    return EditionProgress(edition=edition, checklist=edition_checklist(edition=edition), **counts)


# The admin home details this many editions in preparation (a round has two or three at once); others are linked.
EDITIONS_IN_DETAIL = 4


def editions_in_preparation(*, limit: int = EDITIONS_IN_DETAIL) -> tuple[list[EditionProgress], list[Edition]]:
    """The editions not yet published, newest year first: the first `limit` with their progress (a checklist
    each), the rest as they are, so the admin home asks the same number of queries however many there are."""
    editions = list(Edition.objects.exclude(status=EditorialStatus.PUBLISHED).order_by("-year", "kind"))
    return [edition_progress(edition=edition) for edition in editions[:limit]], editions[limit:]


def texts_last_edited_by(*, user, limit: int = 15) -> list[WorkTrackYear]:
    """Track texts whose latest edit is by `user` and that are not fully published yet.

    Only edits count, not creation: the empty texts 'Volgend jaar voorbereiden' makes are nobody's yet.
    """
    history = WorkTrackYear.history.model.objects
    last_editor = history.filter(id=OuterRef("pk"), history_type="~").order_by("-history_date", "-history_id").values("history_user_id")[:1]
    return list(
        WorkTrackYear.objects.annotate(last_editor=Subquery(last_editor))
        .filter(last_editor=user.pk)
        .exclude(WorkTrackYearQuerySet.published_q("plan") & WorkTrackYearQuerySet.published_q("report"))
        .select_related("track", "programme")
        .order_by("-year", "programme__order", "track__title")[:limit]
    )


@dataclass
class NextYearPlan:
    """What preparing next year from an edition would create (nothing is written)."""

    edition: Edition
    year: int
    existing_edition: Edition | None
    new_texts: list[WorkTrackYear]
    already_there: int


def next_year_plan(*, edition: Edition) -> NextYearPlan:
    """The same selection as services.edition_prepare_next_year, read only, to show before confirming."""
    year = edition.year + 1
    running = (
        WorkTrackYear.objects.filter(year=edition.year)
        .filter(YearSpanQuerySet.active_q(year, prefix="track__"))
        .select_related("track", "programme")
    )
    existing = set(WorkTrackYear.objects.filter(year=year).values_list("track_id", flat=True))
    new_texts = [ty for ty in running if ty.track_id not in existing]
    return NextYearPlan(
        edition=edition, year=year,
        existing_edition=Edition.objects.filter(kind=edition.kind, year=year).first(),
        new_texts=new_texts, already_there=len(running) - len(new_texts),
    )
