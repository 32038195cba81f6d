"""Writes of the editorial workflow: publish, correct, unpublish and prepare editions, and the yearly round."""
import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.services import track_year_set_status
from programmes.models import EditorialStatus, WorkTrackYear, YearSpanQuerySet, natural_sort_key

from .assembly import edition_render_snapshot
from .checklist import edition_checklist
from .models import (
    Edition, EditionEntry, Reminder, ReminderPreference, ReviewLink, RoundComment, RoundStatus, RoundText, SentMail,
)
from .reminders import reminders_due
from .round import review_link_texts
from .tasks import edition_pdf_render

logger = logging.getLogger(__name__)


# --- Editorial workflow: writes that change what the public sees. -------------------------------

PUBLISH_PERMISSION = "reports.publish_edition"


def _require_publisher(user) -> None:
    if not (user and user.is_active and user.has_perm(PUBLISH_PERMISSION)):
        raise PermissionDenied(_("Alleen een eindredacteur kan edities publiceren, depubliceren of corrigeren."))


def _render_pdf_after_commit(edition: Edition) -> None:
    """Queue the new PDF once the publication is committed, so no visitor waits for it to render."""
    transaction.on_commit(lambda: edition_pdf_render.enqueue(edition.pk), robust=True)


def _freeze(edition: Edition) -> None:
    edition.snapshot_html = edition_render_snapshot(edition=edition)


def _publish_approved_texts(edition: Edition, by) -> int:
    """The texts of the edition's outline that their reviewer approved go public with the edition."""
    part = edition.text_part
    approved = WorkTrackYear.objects.select_for_update().filter(
        entries__edition=edition, **{f"{part}_status": EditorialStatus.APPROVED},
    )
    published = 0
    for track_year in approved:
        setattr(track_year, f"{part}_status", EditorialStatus.PUBLISHED)
        track_year._change_reason = _("gepubliceerd met %(edition)s") % {"edition": edition}
        track_year._history_user = by
        track_year.save(update_fields=[f"{part}_status"])
        published += 1
    return published


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

    `published_at` is the date printed on the edition, as the editor gave it; without one the edition
    carries no date ('publicatiedatum niet geregistreerd'), never silently today's.
    """
    _require_publisher(by)
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.is_published:
            raise ValidationError(
                _("Deze editie is al gepubliceerd. Een correctie publiceert u opnieuw met een erratum."), code="published"
            )
        _check_or_confirm(edition, confirm_warnings)
        _publish_approved_texts(edition, by)
        edition.status = EditorialStatus.PUBLISHED
        edition.published_at = published_at
        edition.published_by = by
        edition.erratum_date, edition.erratum_text = None, ""
        _freeze(edition)
        edition.full_clean()
        edition._change_reason = "gepubliceerd"
        edition.save()
        _render_pdf_after_commit(edition)
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
        _publish_approved_texts(edition, by)
        edition.erratum_date = timezone.localdate()
        edition.erratum_text = erratum_text
        _freeze(edition)
        edition.full_clean()
        edition._change_reason = f"opnieuw gepubliceerd met erratum: {erratum_text}"
        edition.save()
        _render_pdf_after_commit(edition)
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
            .filter(YearSpanQuerySet.active_q(next_year, prefix="track__"))
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
        _carry_round(edition, next_edition)
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
        if not edition.is_published:
            edition_round_sync(edition=edition)
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


# --- The yearly round: who writes and reviews which text, comments, review links. ---------------

ROUND_PERMISSION = "reports.change_roundtext"


def _require(user, perm: str) -> None:
    if not (user and user.is_active and user.has_perm(perm)):
        raise PermissionDenied(_("U hebt geen toestemming voor deze stap in de ronde."))


def edition_round_sync(*, edition: Edition) -> int:
    """Give every text of the edition a place in its round: the track texts its outline places, the
    foreword and its text blocks. Idempotent; returns the number of texts added.

    A text that leaves the outline keeps its row (and comments) but no longer counts in the round.
    """
    with transaction.atomic():
        have_tracks = set(
            RoundText.objects.filter(edition=edition, kind=RoundText.Kind.TRACK).values_list("track_year_id", flat=True)
        )
        have_sections = set(
            RoundText.objects.filter(edition=edition, kind=RoundText.Kind.SECTION).values_list("section_id", flat=True)
        )
        new = [
            RoundText(edition=edition, kind=RoundText.Kind.TRACK, track_year_id=pk)
            for pk in edition.entries.filter(track_year__isnull=False).values_list("track_year_id", flat=True)
            if pk not in have_tracks
        ] + [
            RoundText(edition=edition, kind=RoundText.Kind.SECTION, section_id=pk)
            for pk in edition.sections.values_list("pk", flat=True) if pk not in have_sections
        ]
        if not RoundText.objects.filter(edition=edition, kind=RoundText.Kind.FOREWORD).exists():
            new.append(RoundText(edition=edition, kind=RoundText.Kind.FOREWORD))
        for text in new:
            text.full_clean()
            text.save()
    return len(new)


def _carry_round(source: Edition, target: Edition) -> int:
    """Authors and reviewers of `source`'s texts onto the same texts of `target` that have none yet:
    the same track, the foreword, a text block with the same anchor."""
    edition_round_sync(edition=target)
    before = {}
    for text in RoundText.objects.filter(edition=source).select_related("track_year", "section"):
        if text.kind == RoundText.Kind.TRACK:
            before[("track", text.track_year.track_id)] = text
        elif text.kind == RoundText.Kind.SECTION:
            before[("section", text.section.slug)] = text
        else:
            before[("foreword",)] = text
    carried = 0
    for text in RoundText.objects.filter(edition=target, author__isnull=True, reviewer__isnull=True).select_related("track_year", "section"):
        if text.kind == RoundText.Kind.TRACK:
            key = ("track", text.track_year.track_id)
        elif text.kind == RoundText.Kind.SECTION:
            key = ("section", text.section.slug)
        else:
            key = ("foreword",)
        earlier = before.get(key)
        if earlier and (earlier.author_id or earlier.reviewer_id):
            text.author_id, text.reviewer_id = earlier.author_id, earlier.reviewer_id
            text._change_reason = _("overgenomen van %(edition)s") % {"edition": source}
            text.save(update_fields=["author", "reviewer"])
            carried += 1
    return carried


def round_assign(*, edition: Edition, changes: dict, by) -> int:
    """Set author, reviewer and own deadline of texts of an edition's round in one save.

    `changes` maps a RoundText id to the fields to set ('author', 'reviewer', 'due_date'; None
    clears). Texts of other editions are refused. Returns the number of texts changed.
    """
    _require(by, ROUND_PERMISSION)
    allowed = {"author", "reviewer", "due_date"}
    changed = 0
    with transaction.atomic():
        texts = RoundText.objects.select_for_update(of=("self",)).filter(pk__in=list(changes)).select_related("edition", "track_year", "section")
        texts = {text.pk: text for text in texts}
        if set(changes) - set(texts) or any(text.edition_id != edition.pk for text in texts.values()):
            raise ValidationError(_("Deze teksten horen niet bij deze editie."), code="other_edition")
        for pk, values in changes.items():
            text = texts[pk]
            before = (text.author_id, text.reviewer_id, text.due_date)
            for name in allowed & set(values):
                setattr(text, name, values[name])
            if (text.author_id, text.reviewer_id, text.due_date) == before:
                continue
            text.full_clean()
            text.save()
            changed += 1
    return changed


def _may_review(text: RoundText, user) -> bool:
    """Approving or sending back a text is for its reviewer, or an Eindredacteur."""
    return user.pk == text.reviewer_id or user.has_perm(PUBLISH_PERMISSION)


def round_text_set_status(*, text: RoundText, status: str, by, note: str = "") -> RoundText:
    """Move a text of the round: to review (its author or any editor), back to draft, or approved.

    Approving, and sending back with a request for changes, is for the text's reviewer or an
    Eindredacteur; a request for changes needs a note, which lands in the comment thread.
    Publishing stays with the edition (and the Eindredacteur).
    """
    _require(by, ROUND_PERMISSION)
    allowed = {EditorialStatus.DRAFT, EditorialStatus.REVIEW, EditorialStatus.APPROVED}
    if status not in allowed:
        raise ValidationError(_("Publiceren gaat via de editie."), code="invalid_status")
    with transaction.atomic():
        text = RoundText.objects.select_for_update(of=("self",)).select_related("edition", "track_year", "section").get(pk=text.pk)
        before = text.round_status
        if before == RoundStatus.PUBLISHED:
            raise ValidationError(_("Deze tekst is al gepubliceerd."), code="published")
        if before == RoundStatus.NOT_STARTED and status != EditorialStatus.DRAFT:
            raise ValidationError(_("Deze tekst is nog leeg: schrijf eerst een tekst."), code="empty")
        sending_back = before in (RoundStatus.REVIEW, RoundStatus.APPROVED) and status == EditorialStatus.DRAFT and by.pk != text.author_id
        if (status == EditorialStatus.APPROVED or sending_back) and not _may_review(text, by):
            raise PermissionDenied(_("Alleen de nalezer van deze tekst of een eindredacteur kan goedkeuren of wijzigingen vragen."))
        if sending_back and not note.strip():
            raise ValidationError(_("Zeg in een opmerking welke wijzigingen u vraagt."), code="note_required")
        if text.kind == RoundText.Kind.TRACK:
            track_year_set_status(track_year=text.track_year, part=text.edition.text_part, status=status, by=by)
        elif text.status != status:
            text.status = status
            text.full_clean()
            text.save(update_fields=["status"])
        if note.strip():
            round_comment_add(text=text, body=note, by=by)
    return text


QUOTE_NOT_IN_TEXT = _("Deze passage staat niet (meer) zo in de tekst. Neem ze letterlijk over uit de tekst, of laat het veld leeg.")


def round_comment_add(*, text: RoundText, body: str, by=None, review_link: ReviewLink | None = None,
                      is_approval: bool = False, quote: str = "") -> RoundComment:
    """Add a remark to a text's thread, by a staff member (`by`) or through a review link; `quote` is the
    passage it is about, which must stand in the text."""
    body, quote = (body or "").strip(), " ".join((quote or "").split())
    if by is not None:
        _require(by, "reports.add_roundcomment")
        name = by.get_full_name() or by.get_username()
    elif review_link is not None:
        name = f"{review_link.name} ({review_link.organisation})" if review_link.organisation else review_link.name
    else:
        raise PermissionDenied
    if not body and not is_approval:
        raise ValidationError(_("Schrijf een opmerking."), code="empty")
    if quote and not text.contains_passage(quote):
        raise ValidationError(QUOTE_NOT_IN_TEXT, code="quote_not_in_text")
    comment = RoundComment(
        text=text, author=by, review_link=review_link, author_name=name[:200], body=body, is_approval=is_approval, quote=quote,
    )
    comment.full_clean()
    comment.save()
    return comment


def round_comment_resolve(*, comment: RoundComment, by, resolved: bool = True) -> RoundComment:
    """Mark a remark as dealt with (or open it again)."""
    _require(by, "reports.change_roundcomment")
    with transaction.atomic():
        comment = RoundComment.objects.select_for_update().get(pk=comment.pk)
        if resolved and comment.resolved_at is None:
            comment.resolved_at, comment.resolved_by = timezone.now(), by
        elif not resolved:
            comment.resolved_at, comment.resolved_by = None, None
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


def review_link_create(*, edition: Edition, name: str, email: str, by, organisation: str = "", texts=(),
                       valid_days: int = 14) -> tuple[ReviewLink, str]:
    """A review link for one named person, for a draft edition or a chosen set of its texts.

    Returns the link and its token; the token is shown (or mailed) once, only its hash is kept.
    """
    _require(by, "reports.add_reviewlink")
    if edition.is_published:
        raise ValidationError(_("Een nalezingslink is er alleen voor een editie in voorbereiding."), code="published")
    if not 1 <= valid_days <= 90:
        raise ValidationError(_("Een nalezingslink is 1 tot 90 dagen geldig."), code="validity")
    texts = list(texts)
    if any(text.edition_id != edition.pk for text in texts):
        raise ValidationError(_("Kies teksten van deze editie."), code="other_edition")
    with transaction.atomic():
        now = timezone.now()
        link = ReviewLink(
            edition=edition, name=name.strip(), email=email.strip(), organisation=organisation.strip(),
            created_by=by, created_at=now, expires_at=now + datetime.timedelta(days=valid_days),
        )
        secret = link.new_secret()
        link.full_clean()
        link.save()
        link.texts.set(texts)
    return link, link.token(secret)


def review_link_revoke(*, link: ReviewLink, by) -> ReviewLink:
    """End a review link at once; its address then answers 'ingetrokken'."""
    _require(by, "reports.change_reviewlink")
    with transaction.atomic():
        link = ReviewLink.objects.select_for_update().get(pk=link.pk)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
    return link


def review_comment_add(*, link: ReviewLink, text_id: int, body: str, approve: bool, quote: str = "") -> RoundComment:
    """What a reviewer without an account writes under a text: lands in that text's thread."""
    if not link.is_active():
        raise PermissionDenied(_("Deze nalezingslink is niet meer geldig."))
    text = review_link_texts(link=link).filter(pk=text_id).first()
    if text is None:
        raise ValidationError(_("Deze tekst hoort niet bij uw nalezing."), code="out_of_scope")
    return round_comment_add(text=text, body=body, review_link=link, is_approval=approve, quote=quote)


def reminder_preference_set(*, user, send_reminders: bool):
    """Switch the round's reminder e-mails on or off for one person."""
    preference, _created = ReminderPreference.objects.update_or_create(user=user, defaults={"send_reminders": send_reminders})
    return preference


@dataclass
class Digest:
    """One reminder e-mail: everything one person should hear about today."""

    user: object
    items: list
    subject: str
    body: str


def _digest(user, items, *, site_url: str) -> Digest:
    editions = sorted({str(item.text.edition) for item in items})
    subject = _("%(editions)s: %(n)d %(what)s voor u") % {
        "editions": ", ".join(editions), "n": len(items), "what": _("bericht") if len(items) == 1 else _("berichten"),
    }
    name = user.first_name or user.get_username()
    lines = [_("Dag %(name)s,") % {"name": name}, "", _("Dit gebeurt er in de ronde van het Kenniscentrum:"), ""]
    for item in items:
        lines += [f"- {item.sentence}", f"  {site_url}{item.text.edit_url()}"]
    lines += [
        "", _("Een overzicht van alle teksten vindt u op %(url)s") % {"url": f"{site_url}{reverse('admin:index')}"},
        "", _("U krijgt hoogstens één zo'n bericht per dag. Herinneringen uitschakelen: %(url)s")
        % {"url": f"{site_url}{reverse('admin:reports_reminder_preference')}"},
    ]
    return Digest(user=user, items=items, subject=subject, body="\n".join(lines))


def reminders_send(*, today=None, dry_run: bool = False) -> list[Digest]:
    """Send today's reminders, one digest e-mail per person, and remember each so it never goes twice.

    With `dry_run` nothing is sent or written; the digests are returned to be shown.
    A mail that cannot be sent is logged and tried again at the next run.
    """
    site_url = settings.SITE_URL.rstrip("/")
    digests = [_digest(user, items, site_url=site_url) for user, items in reminders_due(today=today).items()]
    if dry_run:
        return digests
    sent = []
    for digest in digests:
        try:
            with transaction.atomic():
                mail = SentMail.objects.create(
                    recipient=digest.user, to_email=digest.user.email, subject=digest.subject, body=digest.body,
                )
                Reminder.objects.bulk_create([Reminder(user=digest.user, key=item.key, mail=mail) for item in digest.items])
                send_mail(digest.subject, digest.body, None, [digest.user.email])
        except (OSError, smtplib.SMTPException) as exc:
            logger.warning("Herinnering aan %s niet verzonden (%s); volgende keer opnieuw.", digest.user.email, exc)
            continue
        sent.append(digest)
    return sent
