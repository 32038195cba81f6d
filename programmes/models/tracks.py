"""Work tracks and what they do per year: the plan and report texts, results and external funding."""
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..amounts import format_euro, format_quantity
from ..visibility import VisibilityQuerySet, can_see_unpublished
from .base import YEAR_VALIDATORS, EditorialStatus, YearSpanQuerySet, choice_label
from .people import City, Organisation
from .periods import Programme


class WorkTrackQuerySet(YearSpanQuerySet, VisibilityQuerySet):
    def public(self):
        return self.filter(is_public=True)


class WorkTrack(models.Model):
    """A line of work inside a programme that can live over several years."""

    class Kind(models.TextChoices):
        WORK_TRACK = "work_track", _("werkspoor")
        SPEARHEAD = "spearhead", _("speerpunt")
        CITY_DEAL = "city_deal", _("City Deal")
        PROJECT = "project", _("project")
        TRAJECTORY = "trajectory", _("traject")
        LEARNING_NETWORK = "learning_network", _("lerend netwerk")
        ASSIGNMENT = "assignment", _("opdracht")
        PROGRAMME = "programme", _("deelprogramma")

    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=100)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.WORK_TRACK)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programma"),
        on_delete=models.PROTECT,
        related_name="tracks",
        help_text=_("Het huidige programma. Per jaar kan een werkspoor onder een ander programma staan."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hoort bij"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Bijvoorbeeld: een City Deal die onder een speerpunt valt."),
    )
    summary = models.TextField(_("korte omschrijving"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("gestart in"), null=True, blank=True, validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("afgerond in"), null=True, blank=True, validators=YEAR_VALIDATORS)
    lead_cities = models.ManyToManyField(
        City, verbose_name=_("trekkende steden"), related_name="led_tracks", blank=True
    )
    cities = models.ManyToManyField(
        City, verbose_name=_("deelnemende steden"), related_name="tracks", blank=True
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), related_name="tracks", blank=True
    )
    is_public = models.BooleanField(
        _("publiek"), default=True, help_text=_("Niet-publieke werksporen zijn alleen zichtbaar voor medewerkers.")
    )

    objects = WorkTrackQuerySet.as_manager()

    class Meta:
        ordering = ["programme__order", "title"]
        verbose_name = _("werkspoor")
        verbose_name_plural = _("werksporen")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="worktrack_end_not_before_start",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="worktrack_not_own_parent"),
        ]

    def __str__(self):
        return self.title

    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)  # on every card of a list

    def get_absolute_url(self):
        return self.url_of(self.slug)

    @staticmethod
    def url_of(slug: str) -> str:
        return reverse("programmes:worktrack-detail", kwargs={"slug": slug})

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("Een werkspoor kan niet onder zichzelf vallen.")}, code="cycle")
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Outcome(models.TextChoices):
    """What became of a year's plan for a track, as the jaarverslag of that year tells it."""

    NONE = "", _("—")
    REALISED = "realised", _("gerealiseerd")
    ONGOING = "ongoing", _("lopend")
    POSTPONED = "postponed", _("uitgesteld")
    DROPPED = "dropped", _("geschrapt")
    NEW = "new", _("nieuw (niet in het jaarplan)")


class WorkTrackYearQuerySet(VisibilityQuerySet):
    def public(self):
        """Years of public tracks with a published plan or report text."""
        return self.filter(self.published_q("plan") | self.published_q("report"), track__is_public=True)

    @staticmethod
    def published_q(part: str, prefix: str = "") -> Q:
        """Its plan ('plan') or report ('report') text is published: written and marked so. The one rule
        of a published text, also as `WorkTrackYear.is_published(part)`; `prefix` as in part_visible_q."""
        return ~Q(**{f"{prefix}{part}_text": ""}) & Q(**{f"{prefix}{part}_status": EditorialStatus.PUBLISHED})

    def part_visible_to(self, user, part: str):
        """Track-years whose plan ('plan') or report ('report') text this user may read."""
        return self.filter(self.part_visible_q(user, part))

    @staticmethod
    def part_visible_q(user, part: str, prefix: str = "") -> Q:
        """The condition of part_visible_to as a Q, to annotate rather than filter with; `prefix` is
        the path to the track-year from another model ('track_year__')."""
        if can_see_unpublished(user):
            return ~Q(**{f"{prefix}{part}_text": ""})
        return WorkTrackYearQuerySet.published_q(part, prefix) & Q(**{f"{prefix}track__is_public": True})

    def for_year(self, year: int):
        return self.filter(year=year)

    def in_plan(self):
        return self.exclude(plan_text="")

    def in_report(self):
        return self.exclude(report_text="")

    def with_related(self):
        return self.select_related("track", "track__parent", "programme").prefetch_related(
            "track__lead_cities", "track__cities", "track__partners", "links"
        )


class WorkTrackYear(models.Model):
    """What one work track plans (jaarplan) and did (jaarverslag) in one year."""

    track = models.ForeignKey(WorkTrack, verbose_name=_("werkspoor"), on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programma in dat jaar"),
        on_delete=models.PROTECT,
        related_name="track_years",
        help_text=_("Onder welk programma het werkspoor in dit jaar staat."),
    )
    title = models.CharField(
        _("titel in dat jaar"), max_length=200, blank=True, help_text=_("Alleen invullen als de titel dat jaar anders luidde.")
    )
    plan_text = models.TextField(_("tekst jaarplan"), blank=True)
    plan_status = models.CharField(
        _("status tekst jaarplan"), max_length=12, choices=EditorialStatus.choices, default=EditorialStatus.DRAFT
    )
    report_text = models.TextField(_("tekst jaarverslag"), blank=True)
    report_status = models.CharField(
        _("status tekst jaarverslag"), max_length=12, choices=EditorialStatus.choices, default=EditorialStatus.DRAFT
    )
    outcome = models.CharField(
        _("van plan naar verslag"), max_length=10, choices=Outcome.choices, blank=True, default="",
        help_text=_("Wat werd er van het plan voor dit werkspoor in dit jaar? Verschijnt in het jaarverslag en op de pagina van het werkspoor."),
    )
    postponed_to = models.PositiveSmallIntegerField(
        _("uitgesteld tot"), null=True, blank=True, validators=YEAR_VALIDATORS, help_text=_("Alleen bij een uitgesteld werkspoor."),
    )


    objects = WorkTrackYearQuerySet.as_manager()

    class Meta:
        ordering = ["year", "programme__order", "track__title"]
        verbose_name = _("werkspoor per jaar")
        verbose_name_plural = _("werksporen per jaar")
        permissions = [
            ("publish_worktrackyear", _("Mag teksten per jaar publiceren en depubliceren")),
            ("view_unpublished", _("Mag concepten en niet-publieke items zien (redactierollen)")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["track", "year"], name="trackyear_unique_track_year"),
        ]

    def __str__(self):
        return f"{self.display_title} ({self.year})"

    @property
    def display_title(self) -> str:
        return self.title or self.track.title

    def is_published(self, part: str) -> bool:
        """Its plan ('plan') or report ('report') text is published (WorkTrackYearQuerySet.published_q)."""
        return bool(getattr(self, f"{part}_text")) and getattr(self, f"{part}_status") == EditorialStatus.PUBLISHED

    @property
    def plan_is_published(self) -> bool:
        return self.is_published("plan")

    @property
    def report_is_published(self) -> bool:
        return self.is_published("report")

    def clean(self):
        if self.postponed_to and self.outcome != Outcome.POSTPONED:
            raise ValidationError({"postponed_to": _("Alleen bij een uitgesteld werkspoor.")}, code="postponed_to")

    def get_absolute_url(self):
        return self.track.get_absolute_url() + f"#jaar-{self.year}"


class ResultQuerySet(VisibilityQuerySet):
    def public(self):
        """Results of a track-year whose plan or report text a visitor may read."""
        return self.filter(self._part_q(None, "plan") | self._part_q(None, "report"))

    @staticmethod
    def _part_q(user, part) -> Q:
        return WorkTrackYearQuerySet.part_visible_q(user, part, prefix="track_year__")

    def with_parts(self, user):
        """Each result marked `show_target` (the plan text of its year is readable to `user`, so its target
        is) and `show_achieved` (the report text, so what was achieved): a target is public with the
        jaarplan, an achievement with the jaarverslag."""
        return self.visible_to(user).annotate(
            show_target=ExpressionWrapper(self._part_q(user, "plan"), output_field=models.BooleanField()),
            show_achieved=ExpressionWrapper(self._part_q(user, "report"), output_field=models.BooleanField()),
        )

    def key_figures(self):
        return self.filter(is_key_figure=True, achieved__isnull=False)


class Result(models.Model):
    """An output or count of a track in a year: a target in the jaarplan, what was achieved in the jaarverslag."""

    track_year = models.ForeignKey(
        WorkTrackYear, verbose_name=_("werkspoor per jaar"), on_delete=models.CASCADE, related_name="results",
    )
    label = models.CharField(
        _("resultaat"), max_length=200,
        help_text=_("Wat er geteld wordt, bv. 'fiches', 'interviews', 'kandidaturen', 'geselecteerde projecten'."),
    )
    unit = models.CharField(
        _("eenheid"), max_length=40, blank=True, help_text=_("Alleen als het geen aantal is, bv. 'euro', '%' of 'uur'."),
    )
    target = models.DecimalField(
        _("doel (jaarplan)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("Wat het jaarplan vooropstelt; leeg als het jaarplan geen doel noemt."),
    )
    achieved = models.DecimalField(
        _("gerealiseerd (jaarverslag)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("Wat het jaarverslag meldt; leeg zolang het niet gekend is."),
    )
    date = models.DateField(_("datum"), null=True, blank=True, help_text=_("Alleen als de precieze dag gekend is, bv. van een oplevering."))
    note = models.CharField(_("toelichting"), max_length=250, blank=True)
    is_key_figure = models.BooleanField(
        _("kerncijfer"), default=False, help_text=_("Verschijnt in 'Het jaar in cijfers' van het jaarverslag."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("resultaat")
        verbose_name_plural = _("resultaten")
        constraints = [
            models.CheckConstraint(condition=Q(target__isnull=False) | Q(achieved__isnull=False), name="result_has_a_value"),
            models.CheckConstraint(condition=Q(target__isnull=True) | Q(target__gte=0), name="result_target_not_negative"),
            models.CheckConstraint(condition=Q(achieved__isnull=True) | Q(achieved__gte=0), name="result_achieved_not_negative"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if self.target is None and self.achieved is None:
            raise ValidationError(_("Geef een doel, een gerealiseerd aantal of beide."), code="no_value")

    @property
    def target_display(self) -> str:
        return format_quantity(self.target, self.unit)

    @property
    def achieved_display(self) -> str:
        return format_quantity(self.achieved, self.unit)


class ExternalFundingQuerySet(YearSpanQuerySet, VisibilityQuerySet):
    """`active_in(year)`: funding that runs in that year (an open start or end runs on)."""

    def public(self):
        return self.filter(track__is_public=True)


class ExternalFunding(models.Model):
    """Money a track or project receives from outside (a Flemish or European subsidy, a fund), over its period."""

    track = models.ForeignKey(WorkTrack, verbose_name=_("werkspoor of project"), on_delete=models.CASCADE, related_name="fundings")
    amount = models.DecimalField(
        _("bedrag (euro)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("Leeg als de bron het bedrag niet noemt."),
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("verstrekt door"), on_delete=models.PROTECT, null=True, blank=True, related_name="fundings",
        help_text=_("De organisatie die de middelen geeft, als ze bij de partners staat."),
    )
    source = models.CharField(
        _("bron"), max_length=200, blank=True,
        help_text=_("Anders of aanvullend in woorden, bv. 'Vlaamse subsidie City Deals' of 'LIFE-programma van de EU'."),
    )
    start_year = models.PositiveSmallIntegerField(_("van"), null=True, blank=True, validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("tot en met"), null=True, blank=True, validators=YEAR_VALIDATORS)
    note = models.CharField(_("toelichting"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ExternalFundingQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("externe financiering")
        verbose_name_plural = _("externe financiering")
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="externalfunding_amount_not_negative"),
            models.CheckConstraint(condition=~Q(organisation__isnull=True, source=""), name="funding_has_a_source"),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="funding_end_not_before_start",
            ),
        ]

    def __str__(self):
        return " ".join(p for p in (self.source_display, self.amount_display) if p)

    def clean(self):
        if self.organisation_id is None and not self.source.strip():
            raise ValidationError({"source": _("Kies de organisatie of beschrijf de bron.")}, code="no_source")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("Het eindjaar ligt voor het beginjaar.")}, code="end_before_start")

    @property
    def amount_display(self) -> str:
        return format_euro(self.amount)

    @property
    def source_display(self) -> str:
        organisation = (self.organisation.short_name or self.organisation.name) if self.organisation_id else ""
        return ", ".join(p for p in (organisation, self.source.strip()) if p)

    @property
    def period_display(self) -> str:
        """'2022–2024', 'vanaf 2022', 'tot 2024', or '' when no year is known."""
        if self.start_year and self.end_year:
            return str(self.start_year) if self.start_year == self.end_year else f"{self.start_year}–{self.end_year}"
        if self.start_year:
            return f"vanaf {self.start_year}"
        return f"tot {self.end_year}" if self.end_year else ""
