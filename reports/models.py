"""Editions: the jaarplan or jaarverslag of a year, assembled from the programme data."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history

from programmes.models import YEAR_VALIDATORS, EditorialStatus, LinkBase, LinkBaseQuerySet


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EditorialStatus.PUBLISHED)

    def visible_to(self, user):
        return self if user.is_authenticated and user.is_staff else self.published()


class Edition(models.Model):
    """The jaarplan or jaarverslag of one year."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("jaarplan")
        REPORT = "report", _("jaarverslag")

    kind = models.CharField(_("soort"), max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    subtitle = models.CharField(_("ondertitel"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EditorialStatus.choices, default=EditorialStatus.DRAFT)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gepubliceerd door"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    foreword = models.TextField(_("voorwoord"), blank=True)
    foreword_signatory = models.CharField(_("ondertekend door"), max_length=120, blank=True)
    foreword_signatory_role = models.CharField(_("functie ondertekenaar"), max_length=160, blank=True)
    editorial_credit = models.CharField(_("redactie"), max_length=200, blank=True, default="Kenniscentrum Vlaamse Steden")
    design_credit = models.CharField(_("vormgeving"), max_length=200, blank=True)
    responsible_publisher = models.CharField(_("verantwoordelijke uitgever"), max_length=200, blank=True)
    publisher_address = models.CharField(_("adres uitgever"), max_length=200, blank=True)
    copyright_note = models.TextField(
        _("voorbehoud fotorechten"), blank=True,
        help_text=_("Tekst onder de fotoverantwoording, bv. over het contacteren van de uitgever."),
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

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("editie")
        verbose_name_plural = _("edities")
        permissions = [("publish_edition", _("Mag edities publiceren, depubliceren en corrigeren"))]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="edition_unique_kind_year"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="edition_published_has_date"
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

    def get_absolute_url(self):
        name = "reports:plan-detail" if self.is_plan else "reports:report-detail"
        return reverse(name, kwargs={"year": self.year})


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
        return self.filter(is_public=True)


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


class EditionImage(models.Model):
    """A photo or illustration used in an edition; its credit goes into the colophon."""

    edition = models.ForeignKey(Edition, verbose_name=_("editie"), on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("afbeelding"), upload_to="edities/%Y/", validators=[validate_image_size])
    alt_text = models.CharField(
        _("alternatieve tekst"), max_length=250,
        help_text=_("Beschrijf wat op de afbeelding staat, voor wie ze niet kan zien."),
    )
    credit = models.CharField(_("fotograaf of bron"), max_length=160, help_text=_("Verschijnt in het colofon als ©…"))
    placement = models.CharField(_("plaats"), max_length=80, blank=True, help_text=_("Bv. 'Coverbeeld' of 'Pagina 4'."))
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

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


register_history(Edition, excluded_fields=["snapshot_html"])
for _model in (EditionSection, PhotoCredit, EditionImage):
    register_history(_model)
register_history(SectionLink, excluded_fields=["checked_at", "check_status", "check_error"])
