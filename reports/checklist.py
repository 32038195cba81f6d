"""The pre-publication checklist of an edition: what still needs attention (reads only)."""
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from programmes.models import EditorialStatus, GroupYear, Link, Meeting, WorkingGroup, WorkTrack

from .exports.pdf import MIN_LINES_PER_PAGE, cached_pdf_path, nearly_empty_pages
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
    return WorkTrack.objects.active_in(year).filter(years__year=year - 1).distinct()


def _numbering_gaps(entries) -> list:
    """Entries whose number skips one among their siblings ('1, 3' without a 2)."""
    siblings = {}
    for entry in entries:
        last = entry.number.rstrip(".").split(".")[-1] if entry.number else ""
        if last.isdigit():
            siblings.setdefault(entry.parent_id, []).append((int(last), entry))
    gaps = []
    for numbered in siblings.values():
        numbered.sort(key=lambda pair: pair[0])
        for (before, _b), (after, entry) in zip(numbered, numbered[1:]):
            if after > before + 1:
                gaps.append(entry)
    return gaps


def edition_checklist(*, edition: Edition) -> list[ChecklistItem]:
    """What still needs attention before an edition can be published; empty when all is clean."""
    year = edition.year
    part = "plan" if edition.is_plan else "report"
    text_field, status_field = f"{part}_text", f"{part}_status"
    entries = list(edition.entries.select_related("track_year__track"))
    placed = [e.track_year for e in entries if e.track_year_id]
    placed_ids = {ty.pk for ty in placed}
    tracks_in_edition = {ty.track_id for ty in placed}
    owners = Q(track_year__in=placed_ids, part__in=[Link.Part.BOTH, part]) | Q(group__tracks__in=tracks_in_edition)
    owners |= Q(programme__edition_entries__edition=edition)
    if not edition.is_plan:
        owners |= Q(budget__year=year)  # the settlement document printed under the afrekening
    links = Link.objects.filter(owners).distinct()
    section_links = SectionLink.objects.filter(section__edition=edition)

    items = [
        ChecklistItem("missing_text", _("Werksporen zonder tekst voor dit jaar"), [
            *(ty for ty in placed if not getattr(ty, text_field)),
            *_running_tracks(year).filter(is_public=True).exclude(pk__in=tracks_in_edition),
        ]),
        # Approved texts are published with the edition; the others would stay out of it.
        ChecklistItem("open_drafts", _("Teksten die nog niet goedgekeurd zijn (concept of klaar voor nalezing)"), [
            ty for ty in placed
            if getattr(ty, text_field) and getattr(ty, status_field) not in (EditorialStatus.APPROVED, EditorialStatus.PUBLISHED)
        ]),
        ChecklistItem("placeholder_links", _("Links zonder adres (leeg of '#'): ze verschijnen als tekst zonder link"), [
            *links.placeholders(), *section_links.placeholders(),
        ]),
        ChecklistItem("broken_links", _("Links die bij de laatste controle niet werkten"), [
            link for qs in (links, section_links) for link in qs.exclude(checked_at=None)
            if link.is_broken and not link.is_placeholder
        ]),
        ChecklistItem("images_without_alt", _("Afbeeldingen zonder alternatieve tekst of fotograaf"), list(
            edition.images.filter(Q(alt_text="") | Q(credit=""))
        )),
        ChecklistItem("numbering_gaps", _("Nummering met een gat (een nummer ontbreekt)"), _numbering_gaps(entries)),
        ChecklistItem(
            "credits_without_image",
            _("Fotoverantwoording zonder afbeelding in deze editie: ze verschijnt niet in het colofon"),
            list(edition.photo_credits.all()),
        ),
        ChecklistItem(
            "images_not_placed",
            _("Afbeeldingen zonder plaats (kies een hoofdstuk of werkspoor, of 'Coverbeeld'): ze verschijnen niet"),
            [image for image in edition.images.filter(entry=None) if not image.is_cover],
        ),
    ]
    if not (edition.editorial_credit or edition.design_credit or edition.responsible_publisher):
        items.append(ChecklistItem("empty_colophon", _("Leeg colofon: geen redactie, vormgeving of verantwoordelijke uitgever"), [edition]))
    if not edition.is_plan:
        groups = WorkingGroup.objects.public().filter(tracks__in=tracks_in_edition).at_work_in(year).distinct()
        confirmed = set(
            GroupYear.objects.filter(year=year).filter(Q(reported_meetings__isnull=False) | Q(meetings_complete=True))
            .values_list("group_id", flat=True)
        )
        items.append(ChecklistItem(
            "groups_without_count",
            _("Werkgroepen zonder bevestigd aantal bijeenkomsten (geef het aantal of vink 'vergaderlijst volledig' aan)"),
            [g for g in groups if g.pk not in confirmed],
        ))
        items.append(ChecklistItem(
            "unconfirmed_meetings", _("Activiteiten waarvan de datum voorbij is maar die nog als gepland staan"),
            [m for m in Meeting.objects.filter(year=year, status=Meeting.Status.PLANNED) if m.is_unconfirmed],
        ))
    serving = WorkingGroup.objects.public().filter(tracks__in=tracks_in_edition, start_year__isnull=True).distinct()
    items.append(ChecklistItem(
        "groups_without_start_year",
        _("Werkgroepen zonder gekend startjaar en zonder iets geregistreerd voor %(year)s: ze staan niet in deze editie en "
          "tellen niet mee (vul het startjaar in, of een jaarcijfer of activiteit van dat jaar)") % {"year": year},
        list(serving.exclude(pk__in=WorkingGroup.objects.at_work_in(year).values("pk"))),
    ))
    if edition.status != EditorialStatus.PUBLISHED and not edition.foreword:
        items.append(ChecklistItem("no_foreword", _("Editie zonder voorwoord"), [edition]))
    return [item for item in items if item.objects]


def pdf_layout_check(*, edition: Edition, user, base_url: str) -> tuple[bool, ChecklistItem | None]:
    """(checked, item): the nearly empty pages of the edition's PDF as this user would download it now.

    Only a PDF already in the cache is read (rendering takes seconds); `checked` is False when there
    is none yet, and the checklist then asks the editor to open the PDF once.
    """
    path = cached_pdf_path(edition=edition, user=user, base_url=base_url)
    if path is None:
        return False, None
    pages = nearly_empty_pages(path)
    title = _("Bijna lege pagina's in de PDF (minder dan %(lines)s regels, geen einde van een hoofdstuk)") % {
        "lines": MIN_LINES_PER_PAGE}
    return True, ChecklistItem("nearly_empty_pages", title, pages) if pages else None
