"""Assembling an edition (jaarplan or jaarverslag of a year) from the programme data."""
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import (
    Budget, CommunicationFigure, EditorialStatus, Meeting, Position, ProgrammeYear, WorkingGroup, WorkTrackYear,
)
from programmes.services import meeting_count_sentence, meeting_counts, visible_links

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


def _group_overview(year: int, include_drafts: bool) -> list[GroupEntry]:
    """Every group that met in the year, with its count: the table an auditor looks for (3 queries)."""
    groups = WorkingGroup.objects.all() if include_drafts else WorkingGroup.objects.public()
    groups = list(
        groups.filter(
            Q(year_figures__year=year)
            | Q(meetings__year=year, meetings__status=Meeting.Status.HELD, meetings__kind=Meeting.Kind.MEETING)
        ).distinct().select_related("programme").order_by("programme__order", "name")
    )
    counts = meeting_counts(group_ids=[g.pk for g in groups], years=[year])
    return [
        GroupEntry(group=g, count=counts[(g.pk, year)], sentence=meeting_count_sentence(g, year, counts[(g.pk, year)]))
        for g in groups if (g.pk, year) in counts
    ]


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

    section_links = SectionLink.objects.all() if include_drafts else SectionLink.objects.public()
    sections = list(
        EditionSection.objects.filter(edition=edition).order_by("order", "id")
        .prefetch_related(Prefetch("links", queryset=section_links.order_by("order", "id")))
    )
    budget = (
        Budget.objects.filter(year=year).prefetch_related("lines__programme", "funding_sources").first()
        if not is_plan else None
    )
    placeholder_links = sum(1 for p in programmes.values() for t in p.tracks for link in t.links if link.is_placeholder)
    group_overview = [] if is_plan else _group_overview(year, include_drafts)
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


# --- Editorial workflow: writes that change what the public sees. -------------------------------

PUBLISH_PERMISSION = "reports.publish_edition"


def _require_publisher(user) -> None:
    if not (user and user.is_active and user.has_perm(PUBLISH_PERMISSION)):
        raise PermissionDenied(_("Alleen een eindredacteur kan edities publiceren, depubliceren of corrigeren."))


def _freeze(edition: Edition) -> None:
    from .workflow import edition_render_snapshot

    edition.snapshot_html = edition_render_snapshot(edition=edition)


def _check_or_confirm(edition: Edition, confirm_warnings: bool) -> None:
    from .workflow import edition_checklist

    remaining = edition_checklist(edition=edition)
    if remaining and not confirm_warnings:
        titles = "; ".join(f"{item.title} ({item.count})" for item in remaining)
        raise ValidationError(
            _("De controlelijst is niet in orde: %(titles)s. Los dit op of bevestig dat u toch publiceert.")
            % {"titles": titles},
            code="checklist",
        )


def edition_publish(*, edition: Edition, by, confirm_warnings: bool = False) -> Edition:
    """Publish an edition: record who and when, and freeze it as it stands now."""
    _require_publisher(by)
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.is_published:
            raise ValidationError(
                _("Deze editie is al gepubliceerd. Een correctie publiceert u opnieuw met een erratum."), code="published"
            )
        _check_or_confirm(edition, confirm_warnings)
        edition.status = EditorialStatus.PUBLISHED
        edition.published_at = timezone.now()
        edition.published_by = by
        edition.erratum_date, edition.erratum_text = None, ""
        _freeze(edition)
        edition.full_clean()
        edition._change_reason = "gepubliceerd"
        edition.save()
    return edition


def edition_republish(*, edition: Edition, by, erratum_text: str, confirm_warnings: bool = False) -> Edition:
    """Correct a published edition: freeze it again, keep its date and URL, and show an erratum."""
    _require_publisher(by)
    erratum_text = (erratum_text or "").strip()
    if not erratum_text:
        raise ValidationError(_("Beschrijf kort wat er gecorrigeerd werd (erratum)."), code="erratum_required")
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if not edition.is_published:
            raise ValidationError(_("Alleen een gepubliceerde editie kan gecorrigeerd worden."), code="not_published")
        _check_or_confirm(edition, confirm_warnings)
        edition.erratum_date = timezone.localdate()
        edition.erratum_text = erratum_text
        _freeze(edition)
        edition.full_clean()
        edition._change_reason = f"opnieuw gepubliceerd met erratum: {erratum_text}"
        edition.save()
    return edition


def edition_unpublish(*, edition: Edition, by) -> Edition:
    """Take an edition offline: back to 'klaar voor nalezing', the frozen copy is discarded."""
    _require_publisher(by)
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        edition.status = EditorialStatus.REVIEW
        edition.published_at = None
        edition.published_by = None
        edition.snapshot_html = ""
        edition.full_clean()
        edition._change_reason = "gedepubliceerd"
        edition.save()
    return edition


def edition_set_status(*, edition: Edition, status: str, by) -> Edition:
    """Move an unpublished edition between 'concept' and 'klaar voor nalezing'."""
    if status not in {EditorialStatus.DRAFT, EditorialStatus.REVIEW}:
        raise ValidationError(_("Publiceren gaat via de controlelijst."), code="invalid_status")
    if not by.has_perm("reports.change_edition"):
        raise PermissionDenied
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.is_published:
            raise ValidationError(_("Een gepubliceerde editie moet eerst gedepubliceerd worden."), code="published")
        edition.status = status
        edition.full_clean()
        edition.save()
    return edition


def edition_prepare_next_year(*, edition: Edition, by) -> tuple[Edition, int]:
    """Create next year's edition and empty draft texts for every track still running. Idempotent.

    Numbering, title and programme carry over; texts do not, so nothing of this year's text can
    end up in next year's published report. Returns the new edition and the number of texts created.
    """
    if not by.has_perm("reports.add_edition"):
        raise PermissionDenied
    next_year = edition.year + 1
    with transaction.atomic():
        next_edition = Edition.objects.filter(kind=edition.kind, year=next_year).first()
        if next_edition is None:
            next_edition = Edition(
                kind=edition.kind, year=next_year, status=EditorialStatus.DRAFT,
                **{f: getattr(edition, f) for f in (
                    "editorial_credit", "design_credit", "responsible_publisher", "publisher_address", "copyright_note",
                )},
            )
            next_edition.full_clean()
            next_edition.save()
        created = 0
        current = (
            WorkTrackYear.objects.filter(year=edition.year)
            .filter(Q(track__end_year__isnull=True) | Q(track__end_year__gte=next_year))
            .select_related("track")
        )
        existing = set(WorkTrackYear.objects.filter(year=next_year).values_list("track_id", flat=True))
        for ty in current:
            if ty.track_id in existing:
                continue
            new = WorkTrackYear(
                track=ty.track, year=next_year, programme_id=ty.programme_id, number=ty.number, title=ty.title,
                order=ty.order, plan_status=EditorialStatus.DRAFT, report_status=EditorialStatus.DRAFT,
            )
            new.full_clean()
            new.save()
            created += 1
    return next_edition, created
