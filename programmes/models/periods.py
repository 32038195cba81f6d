"""Programme periods (the five-year agreements) and the programmes that run in them."""
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import YEAR_VALIDATORS


class ProgrammePeriodQuerySet(models.QuerySet):
    def current(self, year: int):
        """The current period in `year` (ProgrammePeriod.current_among), in one query."""
        return ProgrammePeriod.current_among(self.order_by("start_year"), year)


class ProgrammePeriod(models.Model):
    """A five-year cooperation agreement (samenwerkingsovereenkomst)."""

    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    start_year = models.PositiveSmallIntegerField(_("beginjaar"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("eindjaar"), validators=YEAR_VALIDATORS)
    description = models.TextField(_("omschrijving"), blank=True)

    objects = ProgrammePeriodQuerySet.as_manager()

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("programmaperiode")
        verbose_name_plural = _("programmaperiodes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="period_end_not_before_start"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.start_year}-{self.end_year})"

    @staticmethod
    def current_among(periods, year: int):
        """The period running in `year`, else the latest that had started by then (one that ended stays
        current until the next begins), else None: the one rule of the home page, the city pages and the
        programme timelines. `periods` in order of start year."""
        started = [p for p in periods if p.start_year <= year]
        running = [p for p in started if p.end_year >= year]
        return (running or started or [None])[-1]


class ProgrammeQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(track_years__year=year).distinct()


class Programme(models.Model):
    """A programme of a multi-year agreement, such as OBMi or Smart Cities."""

    name = models.CharField(_("naam"), max_length=160)
    short_name = models.CharField(_("korte naam"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    order = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Bepaalt de volgorde van de programma's in een jaarplan of jaarverslag.")
    )
    periods = models.ManyToManyField(
        ProgrammePeriod, verbose_name=_("programmaperiodes"), related_name="programmes", blank=True
    )
    description = models.TextField(_("omschrijving"), blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")

    def __str__(self):
        # With its abbreviation, so a picker finds and shows "OBMi" as staff know it.
        if self.short_name and self.short_name.lower() not in self.name.lower():
            return f"{self.name} ({self.short_name})"
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme-detail", kwargs={"slug": self.slug})


class ProgrammeYear(models.Model):
    """How a programme's chapter opens in the jaarplan and the jaarverslag of one year."""

    programme = models.ForeignKey(Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    plan_intro = models.TextField(
        _("inleiding jaarplan"), blank=True, help_text=_("Opent het hoofdstuk van dit programma in het jaarplan van dat jaar."),
    )
    report_intro = models.TextField(
        _("inleiding jaarverslag"), blank=True, help_text=_("Opent het hoofdstuk van dit programma in het jaarverslag van dat jaar."),
    )

    class Meta:
        ordering = ["programme__order", "-year"]
        verbose_name = _("programma per jaar")
        verbose_name_plural = _("programma's per jaar")
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="programmeyear_unique_programme_year")]

    def __str__(self):
        return f"{self.programme} ({self.year})"
