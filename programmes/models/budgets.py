"""The money and the figures of a year: budget and settlement, its lines and sources, communication figures."""
from django.apps import apps
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..amounts import format_euro
from ..visibility import VisibilityQuerySet
from .base import YEAR_VALIDATORS
from .periods import Programme


class BudgetQuerySet(VisibilityQuerySet):
    def public(self):
        """A budget is part of the jaarverslag: public once the jaarverslag of its year is published.

        The edition model is looked up by name so that imports keep pointing one way (reports → programmes).
        """
        Edition = apps.get_model("reports", "Edition")
        return self.filter(year__in=Edition.objects.published().filter(kind="report").values("year"))


class Budget(models.Model):
    """The yearly budget total and its settlement (afrekening); the settlement document is one of its links."""

    year = models.PositiveSmallIntegerField(_("jaar"), unique=True, validators=YEAR_VALIDATORS)
    total = models.DecimalField(_("totaal budget (euro)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.TextField(_("toelichting"), blank=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgetten")
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="budget_total_not_negative")]

    def __str__(self):
        return f"Budget {self.year}: {format_euro(self.total)}"

    @property
    def settlement_title(self) -> str:
        """How search results and lists name it: 'Budget en afrekening 2024'."""
        return f"Budget en afrekening {self.year}"


class BudgetLine(models.Model):
    """Planned versus actual spending for one programme or cost item in a year."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="lines")
    programme = models.ForeignKey(Programme, verbose_name=_("programma"), on_delete=models.PROTECT, null=True, blank=True, related_name="budget_lines")
    label = models.CharField(_("omschrijving"), max_length=200)
    planned = models.DecimalField(_("begroot (euro)"), max_digits=12, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("gerealiseerd (euro)"), max_digits=12, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["budget", "order", "id"]
        verbose_name = _("budgetlijn")
        verbose_name_plural = _("budgetlijnen")
        constraints = [
            models.CheckConstraint(condition=Q(planned__isnull=True) | Q(planned__gte=0), name="budgetline_planned_not_negative"),
            models.CheckConstraint(condition=Q(actual__isnull=True) | Q(actual__gte=0), name="budgetline_actual_not_negative"),
        ]

    def __str__(self):
        return self.label


class FundingSource(models.Model):
    """Where the money of a year came from: city contributions, subsidies, project funds."""

    class Kind(models.TextChoices):
        CITY_CONTRIBUTIONS = "city_contributions", _("bijdragen steden")
        FLEMISH_SUBSIDY = "flemish_subsidy", _("Vlaamse subsidie")
        EU_SUBSIDY = "eu_subsidy", _("Europese subsidie")
        PROJECT_FUNDS = "project_funds", _("projectmiddelen")
        OTHER = "other", _("andere")

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="funding_sources")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("omschrijving"), max_length=200, blank=True)
    amount = models.DecimalField(_("bedrag (euro)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["budget", "kind"]
        verbose_name = _("financieringsbron")
        verbose_name_plural = _("financieringsbronnen")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative")]

    def __str__(self):
        return self.label or self.get_kind_display()


class CommunicationFigure(models.Model):
    """A communication figure for a year: website visits, newsletters sent, news items …"""

    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    label = models.CharField(_("omschrijving"), max_length=200)
    value = models.PositiveBigIntegerField(_("waarde"))
    as_of = models.DateField(_("stand op"), null=True, blank=True)
    channel = models.CharField(_("kanaal"), max_length=120, blank=True, help_text=_("Bv. website, nieuwsbrief, LinkedIn."))
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["year", "order", "id"]
        verbose_name = _("communicatiecijfer")
        verbose_name_plural = _("communicatiecijfers")
        constraints = [
            models.UniqueConstraint(fields=["year", "channel", "label"], name="commfigure_unique_year_channel_label"),
        ]

    def __str__(self):
        return f"{self.label}: {self.value} ({self.year})"
