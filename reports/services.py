"""Writes of the editorial workflow: publish, correct, unpublish and prepare editions."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import EditorialStatus, WorkTrackYear, natural_sort_key

from .assembly import edition_render_snapshot
from .checklist import edition_checklist
from .models import Edition, EditionEntry


# --- Editorial workflow: writes that change what the public sees. -------------------------------

PUBLISH_PERMISSION = "reports.publish_edition"


def _require_publisher(user) -> None:
    if not (user and user.is_active and user.has_perm(PUBLISH_PERMISSION)):
        raise PermissionDenied(_("Alleen een eindredacteur kan edities publiceren, depubliceren of corrigeren."))


def _freeze(edition: Edition) -> None:
    edition.snapshot_html = edition_render_snapshot(edition=edition)


def _check_or_confirm(edition: Edition, confirm_warnings: bool) -> None:
    remaining = edition_checklist(edition=edition)
    if remaining and not confirm_warnings:
        titles = "; ".join(f"{item.title} ({item.count})" for item in remaining)
        raise ValidationError(
            _("De controlelijst is niet in orde: %(titles)s. Los dit op of bevestig dat u toch publiceert.")
            % {"titles": titles},
            code="checklist",
        )


def edition_publish(*, edition: Edition, by, confirm_warnings: bool = False, published_at=None) -> Edition:
    """Publish an edition: record who and when, and freeze it as it stands now.

    `published_at` is the date printed on the edition; by default the moment of publishing.
    """
    _require_publisher(by)
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.is_published:
            raise ValidationError(
                _("Deze editie is al gepubliceerd. Een correctie publiceert u opnieuw met een erratum."), code="published"
            )
        _check_or_confirm(edition, confirm_warnings)
        edition.status = EditorialStatus.PUBLISHED
        edition.published_at = published_at or timezone.now()
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
    """Create next year's edition with this edition's outline, and empty draft texts. Idempotent.

    Chapters, headings, numbers, order and nesting carry over; a track that ended this year is left
    out; texts do not carry over, so nothing of this year's text can end up in next year's
    published edition. Returns the new edition and the number of texts created.
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
        next_texts = {ty.track_id: ty for ty in WorkTrackYear.objects.filter(year=next_year)}
        current = (
            WorkTrackYear.objects.filter(year=edition.year)
            .filter(Q(track__end_year__isnull=True) | Q(track__end_year__gte=next_year))
            .select_related("track")
        )
        for ty in current:
            if ty.track_id in next_texts:
                continue
            new = WorkTrackYear(
                track=ty.track, year=next_year, programme_id=ty.programme_id, title=ty.title,
                plan_status=EditorialStatus.DRAFT, report_status=EditorialStatus.DRAFT,
            )
            new.full_clean()
            new.save()
            next_texts[ty.track_id] = new
            created += 1
        if not next_edition.entries.exists():
            _copy_outline(edition, next_edition, next_texts)
    return next_edition, created


def edition_outline_from_texts(*, edition: Edition, numbers: dict | None = None) -> int:
    """Give an edition without an outline a first one: a chapter per programme (in programme order)
    with the year's track texts for this kind of edition, sorted by their number, then title.

    A starting point editors then rearrange; an edition that has an outline is left alone.
    Returns the number of lines created.
    """
    numbers = numbers or {}
    with transaction.atomic():
        if edition.entries.exists():
            return 0
        part = "plan" if edition.is_plan else "report"
        track_years = (
            WorkTrackYear.objects.filter(year=edition.year).exclude(**{f"{part}_text": ""}).select_related("track", "programme")
        )
        chapters = {}
        for ty in sorted(track_years, key=lambda ty: (ty.programme.order, ty.programme.name)):
            chapters.setdefault(ty.programme, []).append(ty)
        created = 0
        for chapter_order, (programme, tys) in enumerate(chapters.items(), start=1):
            chapter = EditionEntry(edition=edition, programme=programme, order=chapter_order * 10)
            chapter.full_clean()
            chapter.save()
            tys.sort(key=lambda ty: (natural_sort_key(numbers.get(ty.pk, "")), ty.track.title))
            for order, ty in enumerate(tys, start=1):
                entry = EditionEntry(edition=edition, parent=chapter, order=order * 10, track_year=ty, number=numbers.get(ty.pk, ""))
                entry.full_clean()
                entry.save()
            created += 1 + len(tys)
    return created


def _copy_outline(edition: Edition, target: Edition, texts_by_track: dict) -> None:
    """The outline of `edition` in `target`, placing next year's texts of the tracks still running."""
    entries = list(edition.entries.select_related("track_year").order_by("order", "id"))
    children = {}
    for entry in entries:
        children.setdefault(entry.parent_id, []).append(entry)
    copies, queue = {}, list(children.get(None, []))
    while queue:  # parents before their children
        entry = queue.pop(0)
        queue += children.get(entry.pk, [])
        track_year = None
        if entry.track_year_id:
            track_year = texts_by_track.get(entry.track_year.track_id)
            if track_year is None:
                continue  # the track ended; what was under it is left out too
        if entry.parent_id and entry.parent_id not in copies:
            continue
        copy = EditionEntry(
            edition=target, parent=copies.get(entry.parent_id), order=entry.order, number=entry.number,
            title=entry.title, programme_id=entry.programme_id, track_year=track_year,
            show_activities=entry.show_activities,
        )
        copy.full_clean()
        copy.save()
        copies[entry.pk] = copy
