"""Editions: the jaarplan or jaarverslag of a year, assembled from the programme data."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history

from programmes.models import (
    YEAR_VALIDATORS, CommunicationFigure, EditorialStatus, LinkBase, LinkBaseQuerySet, Position, Programme, WorkTrackYear,
)
from programmes.visibility import VisibilityQuerySet


class EditionQuerySet(VisibilityQuerySet):
    def published(self):
        return self.filter(status=EditorialStatus.PUBLISHED)

    def public(self):
        return self.published()


class Edition(models.Model):
    """The jaarplan or jaarverslag of one year."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("jaarplan")
        REPORT = "report", _("jaarverslag")

    kind = models.CharField(_("soort"), max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    subtitle = models.CharField(
        _("ondertitel"), max_length=200, blank=True,
        help_text=_("Alleen als de cover van het document er een heeft, bv. 'Interlokale Vereniging Kenniscentrum Vlaamse Steden'."),
    )
    status = models.CharField(_("status"), max_length=12, choices=EditorialStatus.choices, default=EditorialStatus.DRAFT)
    published_at = models.DateTimeField(
        _("gepubliceerd op"), null=True, blank=True,
        help_text=_("De publicatiedatum zoals ze op de editie staat; bij publiceren gevraagd. Leeg als ze niet gekend is: "
                    "dan staat er geen datum op de editie."),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gepubliceerd door"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    foreword_title = models.CharField(
        _("kop voorwoord"), max_length=80, default="Voorwoord",
        help_text=_("Zoals het document het noemt, bv. 'Woord vooraf'."),
    )
    foreword = models.TextField(_("voorwoord"), blank=True)
    foreword_signatory = models.CharField(_("ondertekend door"), max_length=120, blank=True)
    foreword_signatory_role = models.CharField(_("functie ondertekenaar"), max_length=160, blank=True)
    editorial_credit = models.CharField(_("redactie"), max_length=200, blank=True)
    design_credit = models.CharField(_("vormgeving"), max_length=200, blank=True)
    responsible_publisher = models.CharField(_("verantwoordelijke uitgever"), max_length=200, blank=True)
    publisher_address = models.CharField(_("adres uitgever"), max_length=200, blank=True)
    copyright_note = models.TextField(
        _("voorbehoud fotorechten"), blank=True,
        help_text=_("Tekst onder de fotoverantwoording, bv. over het contacteren van de uitgever."),
    )
    budget_title = models.CharField(
        _("kop afrekening"), max_length=80, default="Afrekening",
        help_text=_("Jaarverslag: de kop boven het budget, in de inhoudstafel en op de pagina, zoals het document hem "
                    "schrijft, bv. 'Afrekening 2025'."),
    )
    show_participants = models.BooleanField(
        _("trekkers en partners tonen"), default=False,
        help_text=_("Onder elk werkspoor de trekkende steden en de partners vermelden, zoals ze bij het werkspoor staan."),
    )
    show_earlier_years = models.BooleanField(
        _("vorige jaren tonen"), default=False,
        help_text=_("Het budget en de communicatiecijfers van vorige jaren als grafiek naast die van dit jaar. Uit als het "
                    "document alleen de cijfers van zijn eigen jaar geeft."),
    )
    show_plan_to_report = models.BooleanField(
        _("‘Van plan naar verslag’ tonen"), default=True,
        help_text=_("Jaarverslag: een overzicht van wat er van het jaarplan werd (uitkomsten en resultaten met een doel), "
                    "wanneer die zijn geregistreerd. Uit als het document zo'n overzicht niet heeft."),
    )
    positions = models.ManyToManyField(
        Position, verbose_name=_("bestuur en staf"), related_name="editions", blank=True,
        help_text=_("Wie deze editie als bestuur en staf vermeldt (functies van dat jaar)."),
    )
    figures = models.ManyToManyField(
        CommunicationFigure, verbose_name=_("communicatiecijfers"), related_name="editions", blank=True,
        help_text=_("De communicatiecijfers die deze editie vermeldt, met hun stand op."),
    )
    # The edition as it stood when it was (re)published: later edits to tracks, groups or next
    # year's texts never change what was published until an Eindredacteur republishes.
    snapshot_html = models.TextField(_("gepubliceerde versie"), blank=True, editable=False)
    erratum_date = models.DateField(
        _("datum erratum"), null=True, blank=True, editable=False,
        help_text=_("Gezet bij het opnieuw publiceren van een correctie."),
    )
    erratum_text = models.TextField(
        _("erratum"), blank=True, editable=False,
        help_text=_("Korte omschrijving van de correctie, zichtbaar op de pagina en in de downloads."),
    )
    # The yearly round: when the texts, the review and the publication are due (never shown publicly).
    texts_due = models.DateField(
        _("teksten binnen op"), null=True, blank=True,
        help_text=_("Tegen wanneer de auteurs hun tekst klaar voor nalezing zetten. Een tekst kan een eigen datum krijgen."),
    )
    review_due = models.DateField(
        _("nalezing klaar op"), null=True, blank=True, help_text=_("Tegen wanneer de nalezers hun opmerkingen geven."),
    )
    planned_publication = models.DateField(
        _("geplande publicatie"), null=True, blank=True,
        help_text=_("Alleen voor de planning van de redactie; de publicatiedatum op de editie zet u bij het publiceren."),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("editie")
        verbose_name_plural = _("edities")
        permissions = [("publish_edition", _("Mag edities publiceren, depubliceren en corrigeren"))]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="edition_unique_kind_year"),
            models.CheckConstraint(
                condition=Q(review_due__isnull=True) | Q(texts_due__isnull=True) | Q(review_due__gte=F("texts_due")),
                name="edition_review_not_before_texts",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display().capitalize()} {self.year}"

    @property
    def is_published(self) -> bool:
        return self.status == EditorialStatus.PUBLISHED

    @property
    def is_plan(self) -> bool:
        return self.kind == self.Kind.PLAN

    @property
    def text_part(self) -> str:
        """Which text of a track-year this edition prints: 'plan' or 'report'."""
        return "plan" if self.is_plan else "report"

    def clean(self):
        if self.texts_due and self.review_due and self.review_due < self.texts_due:
            raise ValidationError(
                {"review_due": _("De nalezing kan pas klaar zijn nadat de teksten binnen zijn.")}, code="review_before_texts",
            )

    def get_absolute_url(self):
        name = "reports:plan-detail" if self.is_plan else "reports:report-detail"
        return reverse(name, kwargs={"year": self.year})


class EditionEntry(models.Model):
    """One line of an edition's outline: a chapter (a programme or a free heading) or a track's text.

    Each edition owns its outline: the jaarplan and the jaarverslag of a year place the same track
    with their own heading, number (or none), order and nesting; the text itself stays with the
    track (WorkTrackYear), so the track page shows plan and report side by side.
    """

    edition = models.ForeignKey(Edition, verbose_name=_("editie"), on_delete=models.CASCADE, related_name="entries")
    parent = models.ForeignKey(
        "self", verbose_name=_("onder"), on_delete=models.CASCADE, null=True, blank=True, related_name="children",
        help_text=_("Leeg voor een hoofdstuk; anders het hoofdstuk of onderdeel waaronder dit staat (inspringen)."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    number = models.CharField(_("nummer"), max_length=12, blank=True, help_text=_("Zoals in deze editie, bv. 1.3; leeg als er geen nummer is."))
    title = models.CharField(
        _("kop"), max_length=250, blank=True,
        help_text=_("De kop in deze editie. Leeg: de naam van het programma of de titel van het werkspoor."),
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.PROTECT, null=True, blank=True, related_name="edition_entries",
        help_text=_("Voor een hoofdstuk over een programma: de inleiding van dat jaar komt erbij."),
    )
    track_year = models.ForeignKey(
        WorkTrackYear, verbose_name=_("tekst van werkspoor"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="entries", help_text=_("Het werkspoor (van dat jaar) waarvan de tekst hier staat."),
    )
    text = models.TextField(_("tekst bij de kop"), blank=True, help_text=_("Alleen voor een vrij hoofdstuk zonder werkspoor."))
    show_activities = models.BooleanField(
        _("activiteiten tonen"), default=True,
        help_text=_("Jaarverslag: de geregistreerde vergaderingen en activiteiten van dat jaar onder de tekst tonen."),
    )
    class Meta:
        ordering = ["edition", "order", "id"]
        verbose_name = _("onderdeel van de inhoud")
        verbose_name_plural = _("inhoud (hoofdstukken en werksporen)")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "track_year"], condition=Q(track_year__isnull=False), name="entry_unique_edition_track_year",
            ),
            models.CheckConstraint(condition=Q(programme__isnull=True) | Q(track_year__isnull=True), name="entry_programme_or_track"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="entry_not_own_parent"),
        ]

    def __str__(self):
        return " ".join(p for p in (self.number, self.heading) if p)

    @property
    def heading(self) -> str:
        if self.title:
            return self.title
        if self.track_year_id:
            return self.track_year.display_title
        return self.programme.name if self.programme_id else ""

    def clean(self):
        if not (self.title or self.programme_id or self.track_year_id):
            raise ValidationError(_("Geef een kop, een programma of een werkspoor."), code="empty_entry")
        if self.track_year_id and self.edition_id and self.track_year.year != self.edition.year:
            raise ValidationError(
                {"track_year": _("Kies de tekst van %(year)s, het jaar van deze editie.") % {"year": self.edition.year}},
                code="other_year",
            )
        if self.parent_id and self.edition_id and self.parent.edition_id != self.edition_id:
            raise ValidationError({"parent": _("Kies een onderdeel van dezelfde editie.")}, code="other_edition")


class EditionSection(models.Model):
    """A free text section of an edition: profile pages before the programmes, closing pages after."""

    class Placement(models.TextChoices):
        PROFILE = "profile", _("profiel (voor de programma's)")
        CLOSING = "closing", _("slot (na de programma's)")

    edition = models.ForeignKey(Edition, verbose_name=_("editie"), on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("anker"), max_length=80, help_text=_("Wordt het anker in de inhoudstafel."))
    placement = models.CharField(_("plaats"), max_length=8, choices=Placement.choices, default=Placement.PROFILE)
    body = models.TextField(_("tekst"))
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["edition", "placement", "order", "id"]
        verbose_name = _("tekstblok")
        verbose_name_plural = _("tekstblokken")
        constraints = [models.UniqueConstraint(fields=["edition", "slug"], name="section_unique_edition_slug")]

    def __str__(self):
        return self.title


class SectionLinkQuerySet(LinkBaseQuerySet):
    def public(self):
        return self.filter(is_public=True, section__edition__status=EditorialStatus.PUBLISHED)


class SectionLink(LinkBase):
    """A 'Je vindt hier …' reference printed under a profile or closing text of an edition."""

    section = models.ForeignKey(EditionSection, verbose_name=_("tekstblok"), on_delete=models.CASCADE, related_name="links")

    objects = SectionLinkQuerySet.as_manager()

    class Meta:
        ordering = ["section", "order", "id"]
        verbose_name = _("link bij tekstblok")
        verbose_name_plural = _("links bij tekstblokken")

    def get_absolute_url(self):
        return self.section.edition.get_absolute_url() + f"#{self.section.slug}"


class PhotoCredit(models.Model):
    """Who made a photo used in an edition, as printed in the colophon."""

    edition = models.ForeignKey(Edition, verbose_name=_("editie"), on_delete=models.CASCADE, related_name="photo_credits")
    placement = models.CharField(_("plaats"), max_length=80, help_text=_("Bv. 'Coverbeeld' of 'Pagina 4'."))
    credit = models.CharField(_("fotograaf of bron"), max_length=160)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["edition", "order", "id"]
        verbose_name = _("fotoverantwoording")
        verbose_name_plural = _("fotoverantwoordingen")

    def __str__(self):
        return f"{self.placement}: ©{self.credit}"


MAX_IMAGE_BYTES = 10 * 1024 * 1024


def validate_image_size(file):
    """Print-quality photos fit in 10 MB; larger uploads are refused before they fill the disk."""
    if file.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("Deze afbeelding is %(size)s MB; de grens is 10 MB. Verklein ze en probeer opnieuw."),
            code="image_too_large", params={"size": f"{file.size / 1024 / 1024:.1f}".replace(".", ",")},
        )


class EditionImageQuerySet(VisibilityQuerySet):
    def public(self):
        """Images of a published edition that its frozen copy shows.

        An image added after publication stays private until the edition is republished, so the
        public never sees a photo the Eindredacteur has not signed off.
        """
        return self.filter(
            edition__status=EditorialStatus.PUBLISHED, edition__snapshot_html__contains=F("image"),
        )


class EditionImage(models.Model):
    """A photo or illustration used in an edition; its credit goes into the colophon."""

    edition = models.ForeignKey(Edition, verbose_name=_("editie"), on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("afbeelding"), upload_to="edities/%Y/", validators=[validate_image_size])
    alt_text = models.CharField(
        _("alternatieve tekst"), max_length=250,
        help_text=_("Beschrijf wat op de afbeelding staat, voor wie ze niet kan zien."),
    )
    credit = models.CharField(_("fotograaf of bron"), max_length=160, help_text=_("Verschijnt in het colofon als ©…"))
    placement = models.CharField(
        _("plaats"), max_length=80, blank=True,
        help_text=_("'Coverbeeld' voor de cover; anders vrij, bv. een onderschrift voor de redactie."),
    )
    entry = models.ForeignKey(
        EditionEntry, verbose_name=_("in hoofdstuk of werkspoor"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="images",
        help_text=_("Waar de afbeelding in de editie staat: onder de tekst van dit hoofdstuk of werkspoor. "
                    "Een afbeelding zonder plaats (en geen coverbeeld) verschijnt niet en krijgt geen vermelding in het colofon."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = EditionImageQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "order", "id"]
        verbose_name = _("afbeelding")
        verbose_name_plural = _("afbeeldingen")
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="editionimage_alt_text_required"),
            models.CheckConstraint(condition=~Q(credit=""), name="editionimage_credit_required"),
        ]

    def __str__(self):
        return self.placement or self.alt_text

    @property
    def is_cover(self) -> bool:
        """Placed as the cover ('Coverbeeld')."""
        return self.placement.strip().lower().startswith("cover")

    @property
    def anchor(self) -> str:
        return f"afbeelding-{self.pk}"

    def clean(self):
        if self.entry_id and self.edition_id and self.entry.edition_id != self.edition_id:
            raise ValidationError({"entry": _("Kies een hoofdstuk of werkspoor van dezelfde editie.")}, code="other_edition")


register_history(Edition, excluded_fields=["snapshot_html"], m2m_fields=["positions", "figures"])
for _model in (EditionEntry, EditionSection, PhotoCredit, EditionImage):
    register_history(_model)
register_history(SectionLink, excluded_fields=["checked_at", "check_status", "check_error"])
