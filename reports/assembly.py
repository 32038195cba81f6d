"""Assembling an edition (jaarplan or jaarverslag of a year) from the programme data: reads only."""
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string

from programmes.models import (
    Budget, CommunicationFigure, EditorialStatus, Link, Meeting, Position, ProgrammeYear, WorkingGroup, WorkTrackYear,
)
from programmes.selectors import links_for, meeting_count_sentence, meeting_counts

from .models import Edition, EditionSection, SectionLink


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
    intro: str = ""

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
    images: list = field(default_factory=list)
    group_overview: list = field(default_factory=list)

    @property
    def cover_image(self):
        """The image placed as cover ('Coverbeeld'), if the edition has one."""
        return next((i for i in self.images if i.placement.strip().lower().startswith("cover")), None)

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
        if self.group_overview:
            rows.append(("werkgroepen", f"Werkgroepen in {self.edition.year}", 1))
        rows += [(s.slug, s.title, 1) for s in self.closing_sections]
        if self.budget:
            rows.append(("afrekening", "Afrekening" if not self.edition.is_plan else "Budget", 1))
        rows.append(("colofon", "Colofon", 1))
        return rows


def _numbered(ty) -> str:
    return f"{ty.number} {ty.display_title}" if ty.number else ty.display_title


def _group_overview(year: int, user) -> list[GroupEntry]:
    """Every group that met in the year, with its count: the table an auditor looks for (3 queries)."""
    groups = list(
        WorkingGroup.objects.visible_to(user).filter(
            Q(year_figures__year=year)
            | Q(meetings__year=year, meetings__status=Meeting.Status.HELD, meetings__kind=Meeting.Kind.MEETING)
        ).distinct().select_related("programme").order_by("programme__order", "name")
    )
    counts = meeting_counts(group_ids=[g.pk for g in groups], years=[year])
    return [
        GroupEntry(group=g, count=counts[(g.pk, year)], sentence=meeting_count_sentence(g, year, counts[(g.pk, year)]))
        for g in groups if (g.pk, year) in counts
    ]


def edition_assemble(*, edition: Edition, user=None) -> EditionContent:
    """Everything an edition page shows to `user`, in a fixed number of queries whatever the number of tracks.

    Without a user (or for a published edition's frozen copy) it is what the public sees; the
    editorial team also sees drafts and private items, marked as such.
    """
    user = user or AnonymousUser()
    year, is_plan = edition.year, edition.is_plan
    part = "plan" if is_plan else "report"
    text_field, status_field = f"{part}_text", f"{part}_status"

    track_years = list(
        WorkTrackYear.objects.filter(year=year).part_visible_to(user, part)
        .select_related("track", "programme")
        .prefetch_related(
            Prefetch("links", queryset=links_for(user)),
            Prefetch("track__groups", queryset=WorkingGroup.objects.visible_to(user).order_by("name")),
        )
        .order_by("programme__order", "programme__name", "sort_key", "order", "track__title")
    )

    intro_field = "plan_intro" if is_plan else "report_intro"
    intros = dict(ProgrammeYear.objects.filter(year=year).values_list("programme_id", intro_field))
    group_ids = {g.pk for ty in track_years for g in ty.track.groups.all()}
    counts = meeting_counts(group_ids=group_ids, years=[year]) if not is_plan else {}

    programmes: dict[int, ProgrammeEntry] = {}
    for ty in track_years:
        entry = programmes.setdefault(
            ty.programme_id, ProgrammeEntry(programme=ty.programme, intro=intros.get(ty.programme_id) or "")
        )
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

    # The edition's own texts and the budget's links are shown with the edition (the frozen copy is
    # rendered just before the edition's published state is saved).
    sections = list(
        EditionSection.objects.filter(edition=edition).order_by("order", "id")
        .prefetch_related(Prefetch("links", queryset=SectionLink.objects.shown_with_owner(user).order_by("order", "id")))
    )
    budget = (
        Budget.objects.filter(year=year)
        .prefetch_related("lines__programme", "funding_sources", Prefetch("links", queryset=Link.objects.shown_with_owner(user).order_by("order", "id")))
        .first()
        if not is_plan else None
    )
    placeholder_links = sum(1 for p in programmes.values() for t in p.tracks for link in t.links if link.is_placeholder)
    group_overview = [] if is_plan else _group_overview(year, user)
    return EditionContent(
        edition=edition,
        profile_sections=[s for s in sections if s.placement == EditionSection.Placement.PROFILE],
        closing_sections=[s for s in sections if s.placement == EditionSection.Placement.CLOSING],
        programmes=list(programmes.values()),
        budget=budget,
        figures=list(CommunicationFigure.objects.filter(year=year).order_by("order", "id")),
        positions=list(Position.objects.filter(year=year).select_related("person", "body").order_by("body__order", "order")),
        photo_credits=list(edition.photo_credits.all()),
        images=list(edition.images.all()),
        group_overview=group_overview,
        placeholder_links=placeholder_links,
    )




def edition_render_snapshot(*, edition: Edition) -> str:
    """The edition body exactly as the public sees it now, to be stored at publication."""
    content = edition_assemble(edition=edition, user=AnonymousUser())
    return render_to_string(
        "reports/includes/edition.html", {"edition": edition, "content": content, "is_preview": False}
    ).strip()
