"""Assembling an edition (jaarplan or jaarverslag of a year) from the programme data."""
from dataclasses import dataclass, field

from django.db.models import Prefetch

from programmes.models import (
    Budget, CommunicationFigure, EditorialStatus, Position, WorkingGroup, WorkTrackYear,
)
from programmes.services import meeting_count_sentence, meeting_counts, visible_links

from .models import Edition, EditionSection


@dataclass
class GroupEntry:
    group: WorkingGroup
    count: int | None
    sentence: str


@dataclass
class TrackEntry:
    track_year: WorkTrackYear
    text: str
    is_draft: bool
    groups: list[GroupEntry]
    links: list

    @property
    def anchor(self) -> str:
        return f"werkspoor-{self.track_year.track.slug}"

    @property
    def depth(self) -> int:
        return max(0, self.track_year.number.count(".") - (1 if self.track_year.number.endswith(".") else 0))


@dataclass
class ProgrammeEntry:
    programme: object
    tracks: list[TrackEntry] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"programma-{self.programme.slug}"


@dataclass
class EditionContent:
    edition: Edition
    profile_sections: list
    closing_sections: list
    programmes: list[ProgrammeEntry]
    budget: Budget | None
    figures: list
    positions: list
    photo_credits: list
    placeholder_links: int

    @property
    def toc(self):
        """(anchor, title, level) rows for the table of contents."""
        rows = []
        if self.edition.foreword:
            rows.append(("voorwoord", "Voorwoord", 1))
        rows += [(s.slug, s.title, 1) for s in self.profile_sections]
        if self.positions:
            rows.append(("bestuur-en-staf", "Bestuur en staf", 1))
        if self.figures:
            rows.append(("communicatie-in-cijfers", "Communicatie in cijfers", 1))
        for p in self.programmes:
            rows.append((p.anchor, p.programme.name, 1))
            rows += [(t.anchor, _numbered(t.track_year), 2) for t in p.tracks]
        rows += [(s.slug, s.title, 1) for s in self.closing_sections]
        if self.budget:
            rows.append(("afrekening", "Afrekening" if not self.edition.is_plan else "Budget", 1))
        rows.append(("colofon", "Colofon", 1))
        return rows


def _numbered(ty) -> str:
    return f"{ty.number} {ty.display_title}" if ty.number else ty.display_title


def edition_assemble(*, edition: Edition, include_drafts: bool = False) -> EditionContent:
    """Everything an edition page shows, in a fixed number of queries whatever the number of tracks."""
    year, is_plan = edition.year, edition.is_plan
    text_field, status_field = ("plan_text", "plan_status") if is_plan else ("report_text", "report_status")

    groups_qs = WorkingGroup.objects.order_by("name") if include_drafts else WorkingGroup.objects.public().order_by("name")
    track_years = (
        WorkTrackYear.objects.filter(year=year)
        .exclude(**{text_field: ""})
        .select_related("track", "programme")
        .prefetch_related(
            Prefetch("links", queryset=visible_links(include_drafts)),
            Prefetch("track__groups", queryset=groups_qs),
        )
        .order_by("programme__order", "programme__name", "sort_key", "order", "track__title")
    )
    if not include_drafts:
        track_years = track_years.filter(**{status_field: EditorialStatus.PUBLISHED, "track__is_public": True})
    track_years = list(track_years)

    group_ids = {g.pk for ty in track_years for g in ty.track.groups.all()}
    counts = meeting_counts(group_ids=group_ids, years=[year]) if not is_plan else {}

    programmes: dict[int, ProgrammeEntry] = {}
    for ty in track_years:
        entry = programmes.setdefault(ty.programme_id, ProgrammeEntry(programme=ty.programme))
        groups = []
        for g in ty.track.groups.all():
            count = counts.get((g.pk, year))
            groups.append(GroupEntry(group=g, count=count, sentence=meeting_count_sentence(g, year, count)))
        entry.tracks.append(
            TrackEntry(
                track_year=ty,
                text=getattr(ty, text_field),
                is_draft=getattr(ty, status_field) != EditorialStatus.PUBLISHED,
                groups=groups,
                links=list(ty.links.all()),
            )
        )

    sections = list(EditionSection.objects.filter(edition=edition).order_by("order", "id"))
    budget = (
        Budget.objects.filter(year=year).prefetch_related("lines__programme", "funding_sources").first()
        if not is_plan else None
    )
    placeholder_links = sum(1 for p in programmes.values() for t in p.tracks for link in t.links if link.is_placeholder)
    return EditionContent(
        edition=edition,
        profile_sections=[s for s in sections if s.placement == EditionSection.Placement.PROFILE],
        closing_sections=[s for s in sections if s.placement == EditionSection.Placement.CLOSING],
        programmes=list(programmes.values()),
        budget=budget,
        figures=list(CommunicationFigure.objects.filter(year=year).order_by("order", "id")),
        positions=list(Position.objects.filter(year=year).select_related("person", "body").order_by("body__order", "order")),
        photo_credits=list(edition.photo_credits.all()),
        placeholder_links=placeholder_links,
    )
