"""Assembling an edition (jaarplan or jaarverslag of a year) from its outline and the data: reads only.

The edition's outline (EditionEntry) decides what appears where, with which heading and number;
the texts come from the tracks (WorkTrackYear), the facts (groups, counts, activities, links) from
what staff recorded, so nothing has to be retyped into prose.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from programmes.models import (
    Budget, ExternalFunding, GroupYear, Link, Meeting, Outcome, ProgrammeYear, Result, WorkingGroup, WorkTrack,
    WorkTrackYear,
)
from programmes.selectors import links_for, meeting_count_sentence, meeting_counts
from programmes.visibility import can_see_unpublished

from .figures import budget_chart, budgets_visible_to, figure_series, year_in_figures
from .models import Edition, EditionEntry, EditionSection, SectionLink


@dataclass
class GroupEntry:
    group: WorkingGroup
    count: int | None
    sentence: str
    frequency: str = ""


@dataclass
class OutlineItem:
    """One chapter or track text as this edition shows it."""

    entry: EditionEntry
    level: int
    intro: str = ""
    text: str = ""
    is_draft: bool = False
    groups: list[GroupEntry] = field(default_factory=list)
    links: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    results: list = field(default_factory=list)  # Results: targets in a jaarplan, achieved against target in a jaarverslag
    fundings: list = field(default_factory=list)  # ExternalFunding running in the edition's year
    lead_cities: list = field(default_factory=list)  # names, only when the edition shows who takes part
    partners: list = field(default_factory=list)
    images: list = field(default_factory=list)  # EditionImages placed under this text
    children: list["OutlineItem"] = field(default_factory=list)
    review_box: object = None  # on a review link's page: the comment box under this text

    @property
    def heading(self) -> str:
        return self.entry.heading

    @property
    def number(self) -> str:
        return self.entry.number

    @property
    def track_year(self):
        return self.entry.track_year

    @property
    def anchor(self) -> str:
        entry = self.entry
        if entry.track_year_id:
            return f"werkspoor-{entry.track_year.track.slug}"
        if entry.programme_id and self.level == 1:
            return f"programma-{entry.programme.slug}"
        return f"hoofdstuk-{entry.pk}"

    @property
    def toc_title(self) -> str:
        return f"{self.number} {self.heading}" if self.number else self.heading


@dataclass
class PlanToReport:
    """What became of the year's plan: the overview an auditor asks for."""

    planned: int
    reported: int
    counts: dict  # outcome label → number of tracks
    postponed: list  # (heading, year) of postponed tracks
    results: list = field(default_factory=list)  # (heading, anchor, Result) of the results with a target


@dataclass(frozen=True)
class DraftScope:
    """Unpublished texts of one edition shown beyond what the reader's account allows: what a review
    link was made for. `sections` None means every text block; the foreword only when `foreword`."""

    track_years: frozenset = frozenset()
    sections: frozenset | None = None
    foreword: bool = True


@dataclass
class EditionContent:
    edition: Edition
    profile_sections: list
    closing_sections: list
    outline: list[OutlineItem]
    budget: Budget | None
    figures: list
    positions: list
    photo_credits: list
    placeholder_links: int
    images: list = field(default_factory=list)
    group_overview: list = field(default_factory=list)
    plan_to_report: PlanToReport | None = None
    year_figures: list = field(default_factory=list)  # "Het jaar in cijfers" (jaarverslag)
    figure_series: list = field(default_factory=list)  # communication figures over the years, with charts
    budget_history: list = field(default_factory=list)  # the budgets up to this edition's year, for the chart
    show_foreword: bool = True  # False on a review link made for other texts only

    @property
    def budget_chart(self) -> str:
        return budget_chart(self.budget_history)

    @property
    def cover_image(self):
        """The image placed as cover ('Coverbeeld'), if the edition has one."""
        return next((i for i in self.images if i.is_cover), None)

    @property
    def shown_images(self) -> list:
        """[(image, where)] of the images that appear, in reading order: the colophon credits exactly these."""
        shown = [(self.cover_image, "Coverbeeld")] if self.cover_image else []

        def walk(items):
            for item in items:
                shown.extend((image, item.heading) for image in item.images)
                walk(item.children)

        walk(self.outline)
        return shown

    @property
    def has_colophon(self) -> bool:
        e = self.edition
        return bool(e.editorial_credit or e.design_credit or e.responsible_publisher or e.copyright_note
                    or self.photo_credits or self.shown_images)

    @property
    def toc(self):
        """(anchor, title, level) rows for the table of contents: only what the edition shows."""
        rows = []
        if self.edition.foreword and self.show_foreword:
            rows.append(("voorwoord", self.edition.foreword_title, 1))
        if self.year_figures:
            rows.append(("jaar-in-cijfers", "Het jaar in cijfers", 1))
        rows += [(s.slug, s.title, 1) for s in self.profile_sections]
        if self.positions:
            rows.append(("bestuur-en-staf", "Bestuur en staf", 1))
        if self.figures:
            rows.append(("communicatie-in-cijfers", "Communicatie in cijfers", 1))
        for item in self.outline:
            rows.append((item.anchor, item.toc_title, 1))
            for child in item.children:  # three levels, as the documents' own contents (DEMaD under 1.2)
                rows.append((child.anchor, child.toc_title, 2))
                rows += [(grandchild.anchor, grandchild.toc_title, 3) for grandchild in child.children]
        if self.plan_to_report:
            rows.append(("van-plan-naar-verslag", "Van plan naar verslag", 1))
        if self.group_overview:
            rows.append(("werkgroepen", f"Werkgroepen in {self.edition.year}", 1))
        rows += [(s.slug, s.title, 1) for s in self.closing_sections]
        if self.budget:
            rows.append(("afrekening", self.edition.budget_title, 1))
        if self.has_colophon:
            rows.append(("colofon", "Colofon", 1))
        return rows


def _group_facts(*, group_ids, year: int, is_plan: bool, user) -> tuple[dict, list[GroupEntry]]:
    """{group_id: GroupEntry} for the given groups, and the year's overview of groups with a stated count.

    The meeting count logic runs once for everything the edition shows.
    """
    figures = {gy.group_id: gy for gy in GroupYear.objects.filter(year=year)}
    overview_ids = set() if is_plan else {
        g for g, gy in figures.items() if gy.reported_meetings is not None or gy.meetings_complete
    }
    groups = {
        g.pk: g for g in WorkingGroup.objects.visible_to(user).at_work_in(year, user)
        .filter(pk__in=set(group_ids) | overview_ids).select_related("programme")
    }
    counts = {} if is_plan else meeting_counts(group_ids=list(groups), years=[year])
    facts = {}
    for pk, group in groups.items():
        count = counts.get((pk, year))
        gy = figures.get(pk)
        facts[pk] = GroupEntry(
            group=group, count=count, sentence=meeting_count_sentence(group, year, count),
            frequency=gy.frequency if gy else "",
        )
    overview = sorted(
        (facts[pk] for pk in overview_ids if pk in facts and facts[pk].count is not None),
        key=lambda f: (f.group.programme.order if f.group.programme else 999, f.group.name),
    )
    return facts, overview


def _plan_to_report(edition: Edition, items) -> PlanToReport | None:
    """Only when the editors recorded outcomes or results of what the edition shows: otherwise it states nothing about it."""
    texts = [item for item in items if item.track_year is not None]
    with_outcome = [item for item in texts if item.track_year.outcome]
    # Results compared with the plan: those with a target (the others stand under their track).
    results = [(item.heading, item.anchor, r) for item in texts for r in item.results if r.show_target and r.target is not None]
    if edition.is_plan or not (with_outcome or results):
        return None
    planned = EditionEntry.objects.filter(
        edition__kind=Edition.Kind.PLAN, edition__year=edition.year, track_year__isnull=False,
    ).count()
    counts = {label: 0 for value, label in Outcome.choices if value} if with_outcome else {}
    for item in with_outcome:
        counts[item.track_year.get_outcome_display()] += 1
    postponed = [(item.heading, item.track_year.postponed_to) for item in with_outcome if item.track_year.outcome == Outcome.POSTPONED]
    return PlanToReport(planned=planned, reported=len(texts), counts=counts, postponed=postponed, results=results)


def _results_shown(result, is_plan: bool) -> bool:
    """A jaarplan states targets; a jaarverslag what was achieved, against the target when that is public."""
    target = result.show_target and result.target is not None
    return target if is_plan else target or (result.show_achieved and result.achieved is not None)


def _participants(track_ids) -> dict:
    """{track id: (lead city names, partner names)} in two queries, for an edition that shows who takes part."""
    found = defaultdict(lambda: ([], []))
    leads = WorkTrack.lead_cities.through.objects.filter(worktrack_id__in=track_ids).order_by("city__name")
    for track_id, name in leads.values_list("worktrack_id", "city__name"):
        found[track_id][0].append(name)
    partners = WorkTrack.partners.through.objects.filter(worktrack_id__in=track_ids).order_by("organisation__name")
    for track_id, name, short_name in partners.values_list("worktrack_id", "organisation__name", "organisation__short_name"):
        found[track_id][1].append(short_name or name)
    return found


def _walk(outline) -> list:
    """Every item of the outline in reading order."""
    items = []
    for item in outline:
        items.append(item)
        items.extend(_walk(item.children))
    return items


def edition_assemble(*, edition: Edition, user=None, drafts: DraftScope | None = None) -> EditionContent:
    """Everything an edition page shows to `user`, in a fixed number of queries whatever the outline's size.

    Without a user (or for a published edition's frozen copy) it is what the public sees; the
    editorial team also sees drafts and private items, marked as such. `drafts` adds the written
    unpublished texts a review link shows to its (anonymous) reader, and limits the text blocks.
    """
    user = user or AnonymousUser()
    year, is_plan = edition.year, edition.is_plan
    part = "plan" if is_plan else "report"
    text_field = f"{part}_text"

    entries = list(
        EditionEntry.objects.filter(edition=edition)
        .select_related("programme", "track_year__track", "track_year__programme")
        .order_by("order", "id")
    )
    readable_q = WorkTrackYear.objects.part_visible_q(user, part)
    if drafts is not None:
        readable_q |= ~Q(**{text_field: ""}) & Q(pk__in=drafts.track_years)
    readable = set(
        WorkTrackYear.objects.filter(entries__edition=edition).filter(readable_q).values_list("pk", flat=True)
    )
    track_ids = {e.track_year.track_id for e in entries if e.track_year_id in readable}

    links = defaultdict(list)
    for link in links_for(user).filter(track_year__in=readable, part__in=[Link.Part.BOTH, part]):
        links[link.track_year_id].append(link)
    track_groups = defaultdict(list)
    for track_id, group_id in WorkingGroup.tracks.through.objects.filter(worktrack_id__in=track_ids).values_list(
        "worktrack_id", "workinggroup_id"
    ):
        track_groups[track_id].append(group_id)
    facts, overview = _group_facts(
        group_ids={g for gs in track_groups.values() for g in gs}, year=year, is_plan=is_plan, user=user,
    )
    activities = defaultdict(list)
    if not is_plan:
        # What happened in the year: held, postponed and cancelled activities (marked). One still 'gepland'
        # has no recorded outcome: never shown as if held, only to the editorial team, flagged.
        meetings = (
            Meeting.objects.visible_to(user).filter(year=year, in_report=True)
            .filter(Q(track_id__in=track_ids) | Q(group_id__in=list(facts)))
            .select_related("kind", "host_city", "rescheduled_as")
        )
        show_unrecorded = can_see_unpublished(user)
        for meeting in meetings:
            if not (meeting.is_reported or show_unrecorded):
                continue
            # An activity recorded for a track belongs under that track; one of a group alone, under every
            # track the group serves.
            if meeting.track_id:
                activities[("track", meeting.track_id)].append(meeting)
            else:
                activities[("group", meeting.group_id)].append(meeting)
    intro_field = f"{part}_intro"
    intros = dict(ProgrammeYear.objects.filter(year=year).values_list("programme_id", intro_field))
    results = defaultdict(list)
    for result in Result.objects.with_parts(user).filter(track_year__in=readable):
        if _results_shown(result, is_plan):
            results[result.track_year_id].append(result)
    fundings = defaultdict(list)
    for funding in ExternalFunding.objects.visible_to(user).active_in(year).filter(track__in=track_ids).select_related("organisation"):
        fundings[funding.track_id].append(funding)
    participants = _participants(track_ids) if edition.show_participants else {}

    items = {}
    for entry in entries:
        if entry.track_year_id and entry.track_year_id not in readable:
            continue
        item = OutlineItem(entry=entry, level=1)
        if entry.track_year_id:
            ty = entry.track_year
            item.text = getattr(ty, text_field)
            item.is_draft = not ty.is_published(part)
            item.links = links[ty.pk]
            item.results, item.fundings = results[ty.pk], fundings[ty.track_id]
            item.lead_cities, item.partners = participants.get(ty.track_id, ([], []))
            group_ids = track_groups[ty.track_id]
            item.groups = sorted((facts[g] for g in group_ids if g in facts), key=lambda f: f.group.name)
            if entry.show_activities:
                seen = set()
                for m in activities[("track", ty.track_id)] + [m for g in group_ids for m in activities[("group", g)]]:
                    if m.pk not in seen:
                        seen.add(m.pk)
                        item.activities.append(m)
                item.activities.sort(key=attrgetter("chronology"))
        elif entry.programme_id:
            item.intro = intros.get(entry.programme_id) or ""
        else:
            item.intro = entry.text
        items[entry.pk] = item
    images = list(edition.images.all())
    for image in images:
        if image.entry_id in items and not image.is_cover:
            items[image.entry_id].images.append(image)

    outline = []
    for entry in entries:
        item = items.get(entry.pk)
        if item is None:
            continue
        parent = items.get(entry.parent_id)
        if parent is None:
            outline.append(item)
        else:
            parent.children.append(item)

    def settle(item, level):
        item.level = level
        for child in item.children:
            settle(child, level + 1)
        return bool(item.children or item.text or item.intro or item.entry.track_year_id)

    # A chapter whose every text is hidden from this reader is not shown as an empty heading.
    outline = [item for item in outline if settle(item, 1)]

    # The edition's own texts and the budget's links are shown with the edition (the frozen copy is
    # rendered just before the edition's published state is saved).
    sections = list(
        EditionSection.objects.filter(edition=edition).order_by("order", "id")
        .prefetch_related(Prefetch("links", queryset=SectionLink.objects.shown_with_owner(user).order_by("order", "id")))
    )
    if drafts is not None and drafts.sections is not None:
        sections = [s for s in sections if s.pk in drafts.sections]
    budget = (
        Budget.objects.filter(year=year)
        .prefetch_related("lines__programme", "funding_sources", Prefetch("links", queryset=Link.objects.shown_with_owner(user).order_by("order", "id")))
        .first()
        if not is_plan else None
    )
    figures = list(edition.figures.order_by("order", "id"))
    return EditionContent(
        edition=edition,
        profile_sections=[s for s in sections if s.placement == EditionSection.Placement.PROFILE],
        closing_sections=[s for s in sections if s.placement == EditionSection.Placement.CLOSING],
        outline=outline,
        budget=budget,
        figures=figures,
        positions=list(edition.positions.select_related("person", "body").order_by("body__order", "order")),
        # Free-text credits name no image, so the public never gets them; the editorial team sees them, marked.
        photo_credits=list(edition.photo_credits.all()) if can_see_unpublished(user) else [],
        images=images,
        group_overview=overview,
        placeholder_links=sum(1 for item_links in links.values() for link in item_links if link.is_placeholder),
        plan_to_report=_plan_to_report(edition, _walk(outline)) if edition.show_plan_to_report else None,
        year_figures=[] if is_plan else year_in_figures(
            outline=outline, group_overview=overview, budget=budget, year=year,
            groups_at_work=WorkingGroup.objects.visible_to(user).at_work_in(year, user).count(),
        ),
        # Earlier years only when the edition's document compares with them: it reproduces its own year.
        figure_series=figure_series(figures=figures, year=year, user=user) if edition.show_earlier_years else [],
        budget_history=list(budgets_visible_to(user, up_to=year, include_year=year)) if budget and edition.show_earlier_years else [],
        show_foreword=drafts is None or drafts.foreword,
    )


def edition_render_snapshot(*, edition: Edition) -> str:
    """The edition body exactly as the public sees it now, to be stored at publication."""
    content = edition_assemble(edition=edition, user=AnonymousUser())
    return render_to_string(
        "reports/includes/edition.html", {"edition": edition, "content": content, "is_preview": False}
    ).strip()


def edition_body(*, edition: Edition, user, live: bool = False) -> dict:
    """What the page, the HTML download and the PDF show as the edition's body: the one place that decides
    between the copy frozen at publication and the content assembled now.

    A published edition shows its frozen copy (`frozen_html`, rendered from sanitised data at publication);
    `live` (the editorial team's ?voorbeeld) or a published edition without a frozen copy shows what the
    public would see now, a draft what `user` may see (`content`).
    """
    if edition.is_published and edition.snapshot_html and not live:
        return {"frozen_html": mark_safe(edition.snapshot_html)}
    viewer = AnonymousUser() if edition.is_published else user
    return {"content": edition_assemble(edition=edition, user=viewer)}
