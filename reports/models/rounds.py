"""The yearly round of an edition in preparation: who writes and reviews which text by when, their
comments, review links for people without an account, and the reminders that went out."""
import datetime
import hashlib
import html
import re
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history

from programmes.models import EditorialStatus, WorkTrackYear

from .editions import Edition, EditionSection

class RoundStatus(models.TextChoices):
    """Where a text of the round stands, as the round table shows it."""

    NOT_STARTED = "not_started", _("niet begonnen")
    DRAFT = "draft", _("concept")
    REVIEW = "review", _("klaar voor nalezing")
    APPROVED = "approved", _("goedgekeurd")
    PUBLISHED = "published", _("gepubliceerd")


# What the author still has to do; a text past this point is the reviewer's or finished.
AUTHOR_OPEN = frozenset({RoundStatus.NOT_STARTED, RoundStatus.DRAFT})
FINISHED = frozenset({RoundStatus.APPROVED, RoundStatus.PUBLISHED})
OWN_TEXT_STATUSES = [
    (EditorialStatus.DRAFT, EditorialStatus.DRAFT.label),
    (EditorialStatus.REVIEW, EditorialStatus.REVIEW.label),
    (EditorialStatus.APPROVED, EditorialStatus.APPROVED.label),
]


class RoundText(models.Model):
    """One text of an edition's round: a track's plan or report text, the foreword or a text block.

    The text itself stays where it is edited (the track-year, the edition, the text block); this row
    says who writes it, who reviews it, by when, and carries the comment thread. A track's text
    keeps its own editorial status; the foreword and text blocks have theirs here, and are
    published with the edition.
    """

    not_on_public_pages = True  # no public page shows it: saving it leaves the page cache alone

    class Kind(models.TextChoices):
        TRACK = "track", _("tekst van een werkspoor")
        FOREWORD = "foreword", _("voorwoord")
        SECTION = "section", _("tekstblok")

    edition = models.ForeignKey(Edition, verbose_name=_("editie"), on_delete=models.CASCADE, related_name="round_texts")
    kind = models.CharField(_("soort tekst"), max_length=10, choices=Kind.choices, default=Kind.TRACK)
    track_year = models.ForeignKey(
        WorkTrackYear, verbose_name=_("werkspoor"), on_delete=models.CASCADE, null=True, blank=True, related_name="round_texts",
    )
    section = models.ForeignKey(
        EditionSection, verbose_name=_("tekstblok"), on_delete=models.CASCADE, null=True, blank=True, related_name="round_texts",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("Wie de tekst schrijft; krijgt de herinneringen voor de deadline."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nalezer"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("Wie de tekst naleest en goedkeurt; krijgt bericht als de tekst klaar is voor nalezing."),
    )
    due_date = models.DateField(
        _("eigen deadline"), null=True, blank=True,
        help_text=_("Alleen invullen als deze tekst later (of vroeger) binnen mag zijn dan de deadline van de editie."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OWN_TEXT_STATUSES, default=EditorialStatus.DRAFT,
        help_text=_("Voor het voorwoord en tekstblokken; de tekst van een werkspoor heeft zijn eigen status."),
    )

    class Meta:
        ordering = ["edition", "kind", "id"]
        verbose_name = _("tekst in de ronde")
        verbose_name_plural = _("teksten in de ronde")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "track_year"], condition=Q(track_year__isnull=False), name="roundtext_unique_track_year",
            ),
            models.UniqueConstraint(
                fields=["edition", "section"], condition=Q(section__isnull=False), name="roundtext_unique_section",
            ),
            models.UniqueConstraint(fields=["edition"], condition=Q(kind="foreword"), name="roundtext_one_foreword"),
            models.CheckConstraint(
                condition=(
                    Q(kind="track", track_year__isnull=False, section__isnull=True)
                    | Q(kind="section", section__isnull=False, track_year__isnull=True)
                    | Q(kind="foreword", section__isnull=True, track_year__isnull=True)
                ),
                name="roundtext_kind_matches_target",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.edition})"

    @property
    def title(self) -> str:
        if self.kind == self.Kind.TRACK:
            return self.track_year.display_title
        if self.kind == self.Kind.SECTION:
            return self.section.title
        return str(_("Voorwoord"))

    @property
    def text(self) -> str:
        """The text as it stands now (HTML)."""
        if self.kind == self.Kind.TRACK:
            return getattr(self.track_year, f"{self.edition.text_part}_text")
        if self.kind == self.Kind.SECTION:
            return self.section.body
        return self.edition.foreword

    def contains_passage(self, passage: str) -> bool:
        """Whether `passage` (as a reader selected or copied it from the page) stands in the text as it is
        now. Spacing is ignored: a selection over two paragraphs reads them with a line break between."""
        words = _without_spacing(passage)
        return bool(words) and words in _without_spacing(html.unescape(re.sub(r"<[^>]+>", " ", self.text)))

    @property
    def round_status(self) -> str:
        """The one rule for where a text of the round stands (RoundStatus)."""
        if not (self.text or "").strip():
            return RoundStatus.NOT_STARTED
        if self.kind == self.Kind.TRACK:
            return getattr(self.track_year, f"{self.edition.text_part}_status")
        if self.edition.is_published:
            return RoundStatus.PUBLISHED
        return self.status

    @property
    def due(self) -> datetime.date | None:
        """When the author's text is due: its own deadline, else the edition's."""
        return self.due_date or self.edition.texts_due

    def is_late(self, today: datetime.date) -> bool:
        """The author missed the deadline: still not started or a draft after the due day."""
        return bool(self.due and self.due < today and self.round_status in AUTHOR_OPEN)

    def review_is_late(self, today: datetime.date) -> bool:
        """The reviewer missed the review deadline of the edition."""
        due = self.edition.review_due
        return bool(due and due < today and self.round_status == RoundStatus.REVIEW)

    def edit_url(self) -> str:
        """Where the text itself is written (its form in the back-office)."""
        if self.kind == self.Kind.TRACK:
            return reverse("admin:programmes_worktrackyear_change", args=[self.track_year_id])
        if self.kind == self.Kind.SECTION:
            return reverse("admin:reports_editionsection_change", args=[self.section_id])
        return reverse("admin:reports_edition_change", args=[self.edition_id]) + "#fieldset-voorwoord"

    def clean(self):
        if self.track_year_id and self.edition_id and self.track_year.year != self.edition.year:
            raise ValidationError({"track_year": _("Kies een tekst van het jaar van deze editie.")}, code="other_year")
        if self.section_id and self.edition_id and self.section.edition_id != self.edition_id:
            raise ValidationError({"section": _("Kies een tekstblok van deze editie.")}, code="other_edition")


class RoundCommentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class RoundComment(models.Model):
    """A remark on a text of the round, by a colleague or by a reviewer through a review link.

    Never public: no page, export, feed or search reads this model.
    """

    not_on_public_pages = True  # no public page shows it: saving it leaves the page cache alone

    text = models.ForeignKey(RoundText, verbose_name=_("tekst"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    review_link = models.ForeignKey(
        "ReviewLink", verbose_name=_("via nalezingslink"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="comments",
    )
    author_name = models.CharField(_("naam"), max_length=200, help_text=_("Wie de opmerking maakte, zoals bij het schrijven."))
    quote = models.TextField(
        _("over de passage"), max_length=1000, blank=True,
        help_text=_("De zin of zinnen van de tekst waarover de opmerking gaat, letterlijk."),
    )
    body = models.TextField(_("opmerking"), max_length=5000)
    is_approval = models.BooleanField(_("akkoord"), default=False, help_text=_("De nalezer gaf akkoord voor deze tekst."))
    created_at = models.DateTimeField(_("geschreven op"), default=timezone.now)
    resolved_at = models.DateTimeField(_("opgelost op"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opgelost door"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    objects = RoundCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("opmerking")
        verbose_name_plural = _("opmerkingen")
        constraints = [
            models.CheckConstraint(condition=~Q(body="") | Q(is_approval=True), name="roundcomment_not_empty"),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


def _without_spacing(text: str) -> str:
    return "".join((text or "").split())


REVIEW_LINK_SALT = "reports.reviewlink"


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ReviewLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ReviewLink(models.Model):
    """A secret address through which someone without an account reads a draft edition and comments on it.

    Only a hash of the secret is stored; the address carries the link's number and the secret,
    signed with the site's key, so it can be neither guessed nor altered.
    """

    not_on_public_pages = True  # no public page shows it: saving it leaves the page cache alone

    edition = models.ForeignKey(Edition, verbose_name=_("editie"), on_delete=models.CASCADE, related_name="review_links")
    name = models.CharField(_("naam nalezer"), max_length=160)
    email = models.EmailField(_("e-mailadres"))
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True, help_text=_("Bv. Stad Gent, of 'dagelijks bestuur'."))
    texts = models.ManyToManyField(
        RoundText, verbose_name=_("teksten"), related_name="review_links", blank=True,
        help_text=_("Leeg: de hele editie. Anders ziet de nalezer alleen deze teksten (en wat al gepubliceerd is)."),
    )
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aangemaakt door"), on_delete=models.SET_NULL, null=True, related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    objects = ReviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nalezingslink")
        verbose_name_plural = _("nalezingslinks")
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="reviewlink_expires_after_creation"),
        ]

    def __str__(self):
        who = f"{self.name} ({self.organisation})" if self.organisation else self.name
        return f"{who}: {self.edition}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def new_secret(self) -> str:
        """Give the link a fresh secret; returns it (only its hash is kept)."""
        secret = secrets.token_urlsafe(32)
        self.secret_hash = _secret_hash(secret)
        return secret

    def token(self, secret: str) -> str:
        return signing.Signer(salt=REVIEW_LINK_SALT).sign_object([self.pk, secret])

    @classmethod
    def from_token(cls, token: str):
        """The link the token names, or None when it is forged, altered or unknown (active or not)."""
        try:
            pk, secret = signing.Signer(salt=REVIEW_LINK_SALT).unsign_object(token)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        if not isinstance(pk, int) or not isinstance(secret, str):
            return None
        link = cls.objects.select_related("edition").filter(pk=pk).first()
        if link is None or not secrets.compare_digest(link.secret_hash, _secret_hash(secret)):
            return None
        return link

    def get_absolute_url(self):
        raise NotImplementedError("The address needs the secret: use reports.services.review_link_create.")


class SentMail(models.Model):
    """A reminder e-mail as it went out: the Eindredacteurs' log of the round's mail."""

    not_on_public_pages = True  # no public page shows it: saving it leaves the page cache alone

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ontvanger"), on_delete=models.SET_NULL, null=True, related_name="+",
    )
    to_email = models.EmailField(_("naar"))
    subject = models.CharField(_("onderwerp"), max_length=250)
    body = models.TextField(_("bericht"))
    sent_at = models.DateTimeField(_("verzonden op"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("verzonden herinnering")
        verbose_name_plural = _("verzonden herinneringen")

    def __str__(self):
        return f"{self.to_email}: {self.subject}"


class Reminder(models.Model):
    """One reminder sent to one person, so the same reminder never goes out twice."""

    not_on_public_pages = True  # no public page shows it: saving it leaves the page cache alone

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    mail = models.ForeignKey(SentMail, on_delete=models.CASCADE, related_name="reminders")

    class Meta:
        ordering = ["id"]
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="reminder_unique_user_key")]

    def __str__(self):
        return self.key


class ReminderPreference(models.Model):
    """Whether a staff member gets the round's reminder e-mails (on unless switched off)."""

    not_on_public_pages = True  # no public page shows it: saving it leaves the page cache alone

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    send_reminders = models.BooleanField(_("herinneringen per e-mail"), default=True)

    class Meta:
        verbose_name = _("voorkeur herinneringen")
        verbose_name_plural = _("voorkeuren herinneringen")

    def __str__(self):
        return f"{self.user}: {'aan' if self.send_reminders else 'uit'}"



register_history(RoundText)
