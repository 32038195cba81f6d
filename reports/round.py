"""Reads of the yearly round: the texts of editions in preparation, where each stands, what is late.

The round table (on the edition in the back-office, on the round page and on the admin home) is
built here, in a fixed number of queries whatever the number of texts.
"""
import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from programmes.models import EditorialStatus, WorkTrackYear

from .models import (
    AUTHOR_OPEN, FINISHED, Edition, EditionEntry, EditionSection, RoundStatus, RoundText,
)

# The filters of the round table, as they appear in its address (?ronde=…).
FILTERS = {
    "": "Alle teksten",
    "mijn": "Mijn teksten",
    "wacht": "Wacht op mij",
    "laat": "Te laat",
}


@dataclass
class RoundRow:
    """One text of the round as the table shows it."""

    text: RoundText
    status: str
    open_comments: int
    last_change: datetime.datetime | None
    late: bool
    review_late: bool
    proposal: list | None = None  # last year's author and reviewer, for a text that has neither yet

    @property
    def status_label(self) -> str:
        return RoundStatus(self.status).label

    @property
    def due(self):
        return self.text.due

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def waits_for(self, user) -> bool:
        """The next step is this user's: writing (author) or reviewing (reviewer)."""
        text = self.text
        if self.status in AUTHOR_OPEN:
            return text.author_id == user.pk
        return self.status == RoundStatus.REVIEW and text.reviewer_id == user.pk

    def is_mine(self, user) -> bool:
        return user.pk in (self.text.author_id, self.text.reviewer_id)


@dataclass
class RoundTable:
    """The texts of one edition's round, with its progress in numbers."""

    edition: Edition
    rows: list[RoundRow]
    today: datetime.date
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def finished(self) -> int:
        return sum(1 for row in self.rows if row.is_finished)

    @property
    def late(self) -> int:
        return sum(1 for row in self.rows if row.late or row.review_late)

    @property
    def without_author(self) -> int:
        return sum(1 for row in self.rows if row.text.author_id is None)

    @property
    def open_comments(self) -> int:
        return sum(row.open_comments for row in self.rows)

    @property
    def progress(self) -> list[tuple[str, int]]:
        """(label, number) for every status, in the order a text goes through them."""
        return [(status.label, self.counts.get(status.value, 0)) for status in RoundStatus]

    @property
    def percent_finished(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0

    def filtered(self, name: str, user) -> list[RoundRow]:
        """The rows a filter of FILTERS keeps for `user`."""
        if name == "mijn":
            return [row for row in self.rows if row.is_mine(user)]
        if name == "wacht":
            return [row for row in self.rows if row.waits_for(user) and not row.is_finished]
        if name == "laat":
            return [row for row in self.rows if row.late or row.review_late]
        return self.rows


def _last_change():
    """When the text itself last changed: the newest history row of what holds it."""
    track = WorkTrackYear.history.model.objects.filter(id=OuterRef("track_year_id")).order_by("-history_date")
    section = EditionSection.history.model.objects.filter(id=OuterRef("section_id")).order_by("-history_date")
    edition = Edition.history.model.objects.filter(id=OuterRef("edition_id")).order_by("-history_date")
    return Coalesce(
        Subquery(track.values("history_date")[:1]),
        Subquery(section.values("history_date")[:1]),
        Subquery(edition.values("history_date")[:1]),
    )


def _reading_order(entries) -> dict:
    """{(edition_id, track_year_id): position} in the order the outline prints the texts."""
    children = {}
    for entry in entries:
        children.setdefault((entry.edition_id, entry.parent_id), []).append(entry)
    order = {}

    def walk(edition_id, parent_id):
        for entry in sorted(children.get((edition_id, parent_id), []), key=lambda e: (e.order, e.pk)):
            if entry.track_year_id:
                order[(edition_id, entry.track_year_id)] = len(order)
            walk(edition_id, entry.pk)

    for edition_id in {e.edition_id for e in entries}:
        walk(edition_id, None)
    return order


def _other(part: str) -> str:
    return "report" if part == "plan" else "plan"


def round_tables(editions, *, today: datetime.date | None = None) -> list[RoundTable]:
    """The round table of each edition, in three queries for any number of editions and texts.

    A track's text belongs to the round while the edition's outline places it; the foreword and
    the edition's text blocks always do.
    """
    today = today or timezone.localdate()
    editions = list(editions)
    if not editions:
        return []
    texts = (
        in_round(RoundText.objects.filter(edition__in=editions))
        .select_related("track_year__track", "track_year__programme", "section", "author", "reviewer")
        # Long texts the table does not show (only whether the edition's text is written).
        .defer("track_year__track__summary", "track_year__programme__description", *(
            f"track_year__{part}_text" for part in ("plan", "report") if {e.text_part for e in editions} == {_other(part)}
        ))
        .annotate(n_open=Count("comments", filter=Q(comments__resolved_at__isnull=True)), changed=_last_change())
    )
    entries = EditionEntry.objects.filter(edition__in=editions).only("id", "edition_id", "parent_id", "order", "track_year_id")
    order = _reading_order(list(entries))
    by_edition = {edition.pk: edition for edition in editions}
    tables = {edition.pk: RoundTable(edition=edition, rows=[], today=today) for edition in editions}
    sections_first = {EditionSection.Placement.PROFILE: 0, EditionSection.Placement.CLOSING: 2}
    keyed = []
    for text in texts:
        text.edition = by_edition[text.edition_id]  # one edition object per table, not one per row
        if text.kind == RoundText.Kind.TRACK:
            programme = text.track_year.programme
            text.programme_label = programme.short_name or programme.name  # assigned per programme in one go
            key = (1, order.get((text.edition_id, text.track_year_id), 0))
        elif text.kind == RoundText.Kind.SECTION:
            text.programme_label = ""
            key = (sections_first[text.section.placement], text.section.order, text.section_id)
        else:
            text.programme_label = ""
            key = (-1,)
        status = text.round_status
        row = RoundRow(
            text=text, status=status, open_comments=text.n_open, last_change=text.changed,
            late=text.is_late(today), review_late=text.review_is_late(today),
        )
        keyed.append(((text.edition_id, key), row))
    for (edition_id, _key), row in sorted(keyed, key=lambda pair: pair[0]):
        table = tables[edition_id]
        table.rows.append(row)
        table.counts[row.status] += 1
    return [tables[edition.pk] for edition in editions]


def round_table(*, edition: Edition, today: datetime.date | None = None) -> RoundTable:
    return round_tables([edition], today=today)[0]


def editions_in_round():
    """Editions being prepared: not published; the newest first."""
    return Edition.objects.exclude(status=EditorialStatus.PUBLISHED).order_by("-year", "kind")


def author_proposals(*, edition: Edition) -> dict[int, tuple[int | None, int | None]]:
    """{track_year_id: (author_id, reviewer_id)} of last year's round for the same tracks and kind of edition."""
    track_ids = dict(
        RoundText.objects.filter(edition=edition, kind=RoundText.Kind.TRACK).values_list("track_year__track_id", "track_year_id")
    )
    earlier = (
        RoundText.objects.filter(
            edition__kind=edition.kind, edition__year=edition.year - 1, track_year__track_id__in=list(track_ids),
        )
        .filter(Q(author__isnull=False) | Q(reviewer__isnull=False))
        .values_list("track_year__track_id", "author_id", "reviewer_id")
    )
    return {track_ids[track_id]: (author, reviewer) for track_id, author, reviewer in earlier}


def in_round(texts):
    """Only the texts still part of their edition (a track text while the outline places it)."""
    in_outline = Exists(EditionEntry.objects.filter(edition=OuterRef("edition_id"), track_year=OuterRef("track_year_id")))
    return texts.filter(Q(kind__in=[RoundText.Kind.FOREWORD, RoundText.Kind.SECTION]) | in_outline)


def review_link_texts(*, link) -> "QuerySet[RoundText]":
    """The texts a review link covers: those it was made for, or every text of its edition."""
    texts = in_round(RoundText.objects.filter(edition_id=link.edition_id))
    if link.texts.exists():
        texts = texts.filter(review_links=link)
    return texts


def round_people():
    """Who can be an author or reviewer: active staff with an editorial role."""
    return (
        get_user_model().objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__codename="view_unpublished"))
        .distinct().order_by("first_name", "last_name", "username")
    )
