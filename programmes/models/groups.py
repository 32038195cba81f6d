"""Working groups (werkgroep, stuurgroep, taskforce …) and what is known of them per year."""
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..visibility import VisibilityQuerySet
from .base import YEAR_VALIDATORS, YearSpanQuerySet, choice_label, span_covers
from .meetings import Meeting
from .people import City, Organisation
from .periods import Programme
from .tracks import WorkTrack


class WorkingGroupQuerySet(YearSpanQuerySet, VisibilityQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def at_work_in(self, year: int, user=None):
        """Groups at work in `year`, the one rule behind every count and list of a year: set up in or
        before it (a known start year) and not ended before it, or with something recorded for that year
        (a GroupYear: the rhythm the jaarplan states, a reported count, a note; or an activity this user
        may see that was not cancelled). A group without a known start year and nothing recorded is not
        counted: the checklist asks for its start year."""
        span = Q(start_year__isnull=False) & self.active_q(year)
        recorded = GroupYear.objects.filter(year=year).values("group_id")
        met = Meeting.objects.visible_to(user).filter(year=year, group__isnull=False).exclude(
            status=Meeting.Status.CANCELLED).values("group_id")
        return self.filter(span | Q(pk__in=recorded) | Q(pk__in=met))

    @staticmethod
    def years_at_work(start_year, end_year, recorded_years, candidate_years) -> set[int]:
        """The years among `candidate_years` in which a group with this start and end year is at work by
        the rule of at_work_in(), given the years something is recorded for it: for the year facet of
        /werkgroepen/, which must count what the filter then lists."""
        span = {y for y in candidate_years if start_year and span_covers(start_year, end_year, y)}
        return span | set(recorded_years)

    def with_related(self):
        return self.prefetch_related("cities", "partners", "tracks").select_related("lead_city", "programme")


class WorkingGroup(models.Model):
    """People from the cities meeting regularly: werkgroep, stuurgroep, taskforce, lerend netwerk …"""

    class Kind(models.TextChoices):
        WORKING_GROUP = "working_group", _("werkgroep")
        STEERING_GROUP = "steering_group", _("stuurgroep")
        TASKFORCE = "taskforce", _("taskforce")
        LEARNING_NETWORK = "learning_network", _("lerend netwerk")
        REFLECTION_GROUP = "reflection_group", _("reflectiegroep")
        EDITORIAL_BOARD = "editorial_board", _("redactieraad")
        CONSULTATION = "consultation", _("overleg")

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=100)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.WORKING_GROUP)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.PROTECT, related_name="groups", null=True, blank=True
    )
    purpose = models.TextField(_("doel"), blank=True)
    frequency = models.CharField(
        _("vergaderritme"), max_length=120, blank=True, help_text=_("Bijvoorbeeld: om de zes weken, maandelijks, drie keer per jaar.")
    )
    start_year = models.PositiveSmallIntegerField(_("opgericht in"), null=True, blank=True, validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("opgeheven in"), null=True, blank=True, validators=YEAR_VALIDATORS)
    tracks = models.ManyToManyField(WorkTrack, verbose_name=_("werksporen"), related_name="groups", blank=True)
    lead_city = models.ForeignKey(
        City, verbose_name=_("trekkende stad"), on_delete=models.SET_NULL, null=True, blank=True, related_name="led_groups"
    )
    cities = models.ManyToManyField(City, verbose_name=_("deelnemende steden"), related_name="groups", blank=True)
    partners = models.ManyToManyField(Organisation, verbose_name=_("partners"), related_name="groups", blank=True)
    is_public = models.BooleanField(_("publiek"), default=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("werkgroep")
        verbose_name_plural = _("werkgroepen")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="group_end_not_before_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)  # on every card of a list

    def get_absolute_url(self):
        return self.url_of(self.slug)

    @staticmethod
    def url_of(slug: str) -> str:
        return reverse("programmes:workinggroup-detail", kwargs={"slug": slug})


class GroupYear(models.Model):
    """What is known about a working group in one year: how often it said it meets, how often it met."""

    group = models.ForeignKey(WorkingGroup, verbose_name=_("werkgroep"), on_delete=models.CASCADE, related_name="year_figures")
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    frequency = models.CharField(
        _("vergaderritme dat jaar"), max_length=120, blank=True,
        help_text=_("Zoals het jaarplan van dat jaar het zegt, bv. 'om de zes weken' of 'tweemaandelijks'."),
    )
    reported_meetings = models.PositiveSmallIntegerField(
        _("aantal bijeenkomsten (gerapporteerd)"), null=True, blank=True,
        help_text=_("Zoals gerapporteerd. Gaat voor op het aantal geregistreerde vergaderingen van dat jaar."),
    )
    meetings_complete = models.BooleanField(
        _("vergaderlijst volledig"), default=False,
        help_text=_("Aanvinken als alle vergaderingen van dat jaar geregistreerd zijn: dan telt het jaarverslag ze."),
    )
    note = models.CharField(_("toelichting"), max_length=200, blank=True, help_text=_("Bv. 'inclusief opleiding en workshops'."))

    class Meta:
        ordering = ["group__name", "year"]
        verbose_name = _("jaarcijfer werkgroep")
        verbose_name_plural = _("jaarcijfers werkgroepen")
        constraints = [models.UniqueConstraint(fields=["group", "year"], name="groupyear_unique_group_year")]

    def __str__(self):
        return f"{self.group} {self.year}"
