"""The pre-publication checklist of an edition: what still needs attention (reads only)."""
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from programmes.models import EditorialStatus, GroupYear, Link, Meeting, WorkingGroup, WorkTrack, WorkTrackYear

from .models import Edition, SectionLink

@dataclass
class ChecklistItem:
    code: str
    title: str
    objects: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.objects)


def _running_tracks(year: int):
    """Tracks that were in last year's editions and have not ended: they are expected again this year.

    A track without an end year that has had no text for years (a 2020 study trip, say) is not
    running; counting it would bury the real gaps in noise.
    """
    return WorkTrack.objects.filter(
        Q(start_year__isnull=True) | Q(start_year__lte=year), Q(end_year__isnull=True) | Q(end_year__gte=year),
        years__year=year - 1,
    ).distinct()


def edition_checklist(*, edition: Edition) -> list[ChecklistItem]:
    """What still needs attention before an edition can be published; empty when all is clean."""
    year = edition.year
    text_field, status_field = ("plan_text", "plan_status") if edition.is_plan else ("report_text", "report_status")
    track_years = WorkTrackYear.objects.filter(year=year).select_related("track")
    with_year = set(track_years.values_list("track_id", flat=True))
    tracks_in_edition = set(track_years.exclude(**{text_field: ""}).values_list("track_id", flat=True))
    owners = Q(track_year__year=year) | Q(group__tracks__in=tracks_in_edition) | Q(programme__track_years__year=year)
    if not edition.is_plan:
        owners |= Q(budget__year=year)  # the settlement document printed under the afrekening
    links = Link.objects.filter(owners).distinct()
    section_links = SectionLink.objects.filter(section__edition=edition)

    items = [
        ChecklistItem("missing_text", _("Werksporen zonder tekst voor dit jaar"), [
            *track_years.filter(**{text_field: ""}),
            *_running_tracks(year).filter(is_public=True).exclude(pk__in=with_year),
        ]),
        ChecklistItem("open_drafts", _("Teksten die nog niet gepubliceerd zijn (concept of klaar voor nalezing)"), list(
            track_years.exclude(**{text_field: ""}).exclude(**{status_field: EditorialStatus.PUBLISHED})
        )),
        ChecklistItem("placeholder_links", _("Links zonder adres (leeg of '#')"), [
            *links.placeholders(), *section_links.placeholders(),
        ]),
        ChecklistItem("broken_links", _("Links die bij de laatste controle niet werkten"), [
            link for qs in (links, section_links) for link in qs.exclude(checked_at=None)
            if link.is_broken and not link.is_placeholder
        ]),
        ChecklistItem("images_without_alt", _("Afbeeldingen zonder alternatieve tekst of fotograaf"), list(
            edition.images.filter(Q(alt_text="") | Q(credit=""))
        )),
    ]
    if not edition.is_plan:
        groups = WorkingGroup.objects.filter(tracks__in=tracks_in_edition, is_public=True).distinct()
        with_data = set(Meeting.objects.filter(year=year).values_list("group_id", flat=True)) | set(
            GroupYear.objects.filter(year=year).values_list("group_id", flat=True)
        )
        items.append(ChecklistItem(
            "groups_without_meetings", _("Werkgroepen zonder vergadergegevens voor dit jaar"),
            [g for g in groups if g.pk not in with_data],
        ))
    if edition.status != EditorialStatus.PUBLISHED and not edition.foreword:
        items.append(ChecklistItem("no_foreword", _("Editie zonder voorwoord"), [edition]))
    return [item for item in items if item.objects]
