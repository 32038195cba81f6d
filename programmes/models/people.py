"""Who takes part: cities, partner organisations, and the people named in an edition with their positions."""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..addresses import validate_web_url
from .base import YEAR_VALIDATORS


class CityQuerySet(models.QuerySet):
    def centre_cities(self):
        return self.filter(kind=City.Kind.CENTRE_CITY)


class City(models.Model):
    """A centre city, or the VGC, that leads or takes part in the work."""

    class Kind(models.TextChoices):
        CENTRE_CITY = "centre_city", _("centrumstad")
        COMMUNITY_COMMISSION = "community_commission", _("gemeenschapscommissie")

    name = models.CharField(_("naam"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("soort"), max_length=24, choices=Kind.choices, default=Kind.CENTRE_CITY)
    province = models.CharField(_("provincie"), max_length=40, blank=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("stad")
        verbose_name_plural = _("steden")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:city-detail", kwargs={"slug": self.slug})


class Organisation(models.Model):
    """A partner: an association, agency, university, consultant or company."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("vereniging")
        AGENCY = "agency", _("overheidsagentschap")
        GOVERNMENT = "government", _("overheid")
        UNIVERSITY = "university", _("universiteit of onderzoeksinstelling")
        CONSULTANT = "consultant", _("studiebureau of consultant")
        COMPANY = "company", _("bedrijf")
        OTHER = "other", _("andere")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    short_name = models.CharField(_("afkorting"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True, validators=[validate_web_url])

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnerorganisatie")
        verbose_name_plural = _("partnerorganisaties")

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class GoverningBody(models.Model):
    """A governing body: beheerscomité, dagelijks bestuur, or the staff team."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("samenstelling"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("bestuursorgaan")
        verbose_name_plural = _("bestuursorganen")

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone named in an edition: chair, director, staff member, editor."""

    name = models.CharField(_("naam"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")

    def __str__(self):
        return self.name


class Position(models.Model):
    """The role a person held in a body or in the staff in a given year."""

    person = models.ForeignKey(Person, verbose_name=_("persoon"), on_delete=models.PROTECT, related_name="positions")
    body = models.ForeignKey(GoverningBody, verbose_name=_("orgaan"), on_delete=models.PROTECT, related_name="positions")
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    role = models.CharField(_("functie"), max_length=160)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["year", "body__order", "order", "person__name"]
        verbose_name = _("functie")
        verbose_name_plural = _("functies")
        constraints = [
            models.UniqueConstraint(fields=["person", "body", "year", "role"], name="position_unique_person_body_year_role"),
        ]

    def __str__(self):
        return f"{self.person} — {self.role} ({self.year})"
