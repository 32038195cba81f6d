"""The domain of the Kenniscentrum: programmes, work tracks, groups, meetings, budgets, links."""
import datetime
import functools
import re

from django.apps import apps
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import get_language, gettext_lazy as _
from simple_history import register as register_history

from .amounts import format_euro, format_quantity
from .addresses import safe_href, validate_link_url, validate_web_url
from .visibility import VisibilityQuerySet, can_see_unpublished


def slug_url(viewname: str, slug: str) -> str:
    """reverse() of a detail page by slug, remembered: lists and calendars ask for the same few
    addresses hundreds of times per page."""
    return _slug_url(viewname, slug, get_urlconf(), get_script_prefix())


@functools.lru_cache(maxsize=4096)
def _slug_url(viewname: str, slug: str, urlconf, prefix: str) -> str:
    return reverse(viewname, kwargs={"slug": slug}, urlconf=urlconf)

YEAR_VALIDATORS = [MinValueValidator(2000)]

MONTHS_NL = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]


def date_nl(day: datetime.date) -> str:
    """A full date in Dutch: '3 juni 2025'."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def time_nl(value: datetime.time) -> str:
    """A time of day the Flemish way: '14.00'."""
    return f"{value.hour}.{value.minute:02d}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


class EditorialStatus(models.TextChoices):
    """Where a text stands on its way to publication."""

    DRAFT = "draft", _("concept")
    REVIEW = "review", _("klaar voor nalezing")
    # A text its reviewer (or an Eindredacteur) signed off; still unpublished until the edition is.
    APPROVED = "approved", _("goedgekeurd")
    PUBLISHED = "published", _("gepubliceerd")


@functools.cache
def _choice_labels(field, language) -> dict:
    # Per field and language for the life of the process: the labels are code, translated once.
    return {value: str(label) for value, label in field.flatchoices}


class ChoiceLabelMixin:
    """get_<field>_display() without Django's cost of hashing every (lazy) label of the field per call.

    Django builds dict(make_hashable(field.flatchoices)) on every call, which translates each label
    just to hash it; for the hundred meetings of the calendar that was a quarter of the page's time.
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = _choice_labels(field, get_language()).get(value)
        return label if label is not None else force_str(value, strings_only=True)


def natural_sort_key(number: str) -> str:
    """'1.10' sorts after '1.9': each numeric part is zero-padded."""
    parts = [p for p in re.split(r"[.\s]+", number or "") if p]
    if not parts:
        return "~"
    return ".".join(p.zfill(4) if p.isdigit() else p.lower() for p in parts)


class ProgrammePeriod(models.Model):
    """A five-year cooperation agreement (samenwerkingsovereenkomst)."""

    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    start_year = models.PositiveSmallIntegerField(_("beginjaar"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("eindjaar"), validators=YEAR_VALIDATORS)
    description = models.TextField(_("omschrijving"), blank=True)

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


class CityQuerySet(models.QuerySet):
    def centre_cities(self):
        return self.filter(kind=City.Kind.CENTRE_CITY)


class City(ChoiceLabelMixin, models.Model):
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
        return slug_url("programmes:city-detail", self.slug)


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
        return slug_url("programmes:programme-detail", self.slug)


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


class WorkTrackQuerySet(VisibilityQuerySet):
    def public(self):
        return self.filter(is_public=True)


class WorkTrack(ChoiceLabelMixin, models.Model):
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

    def get_absolute_url(self):
        return self.url_of(self.slug)

    @staticmethod
    def url_of(slug: str) -> str:
        return slug_url("programmes:worktrack-detail", slug)

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("Een werkspoor kan niet onder zichzelf vallen.")}, code="cycle")
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


PUBLISHED_PLAN = Q(plan_status=EditorialStatus.PUBLISHED) & ~Q(plan_text="")
PUBLISHED_REPORT = Q(report_status=EditorialStatus.PUBLISHED) & ~Q(report_text="")


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
        return self.filter(PUBLISHED_PLAN | PUBLISHED_REPORT, track__is_public=True)

    def part_visible_to(self, user, part: str):
        """Track-years whose plan ('plan') or report ('report') text this user may read."""
        return self.filter(self.part_visible_q(user, part))

    @staticmethod
    def part_visible_q(user, part: str, prefix: str = "") -> Q:
        """The condition of part_visible_to as a Q, to annotate rather than filter with; `prefix` is
        the path to the track-year from another model ('track_year__')."""
        written = ~Q(**{f"{prefix}{part}_text": ""})
        if can_see_unpublished(user):
            return written
        return written & Q(**{f"{prefix}{part}_status": EditorialStatus.PUBLISHED, f"{prefix}track__is_public": True})

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


class ExternalFundingQuerySet(VisibilityQuerySet):
    def public(self):
        return self.filter(track__is_public=True)

    def covering(self, year: int):
        """Funding that runs in `year` (an open start or end runs on)."""
        return self.filter(Q(start_year__isnull=True) | Q(start_year__lte=year), Q(end_year__isnull=True) | Q(end_year__gte=year))


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


class WorkingGroupQuerySet(VisibilityQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def at_work_in(self, year: int, user=None):
        """Groups at work in `year`, the one rule behind every count and list of a year: set up in or
        before it (a known start year) and not ended before it, or with something recorded for that year
        (a GroupYear: the rhythm the jaarplan states, a reported count, a note; or an activity this user
        may see that was not cancelled). A group without a known start year and nothing recorded is not
        counted: the checklist asks for its start year."""
        span = Q(start_year__lte=year) & (Q(end_year__isnull=True) | Q(end_year__gte=year))
        recorded = GroupYear.objects.filter(year=year).values("group_id")
        met = Meeting.objects.visible_to(user).filter(year=year, group__isnull=False).exclude(
            status=Meeting.Status.CANCELLED).values("group_id")
        return self.filter(span | Q(pk__in=recorded) | Q(pk__in=met))

    @staticmethod
    def years_at_work(start_year, end_year, recorded_years, candidate_years) -> set[int]:
        """The years among `candidate_years` in which a group with this start and end year is at work by
        the rule of at_work_in(), given the years something is recorded for it: for the year facet of
        /werkgroepen/, which must count what the filter then lists."""
        span = {y for y in candidate_years if start_year and start_year <= y and (end_year or y) >= y}
        return span | set(recorded_years)

    def with_related(self):
        return self.prefetch_related("cities", "partners", "tracks").select_related("lead_city", "programme")


class WorkingGroup(ChoiceLabelMixin, models.Model):
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

    def get_absolute_url(self):
        return self.url_of(self.slug)

    @staticmethod
    def url_of(slug: str) -> str:
        return slug_url("programmes:workinggroup-detail", slug)


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


class MeetingKind(models.Model):
    """A kind of meeting or event (vergadering, workshop, excursie …): reference data editors extend."""

    name = models.CharField(_("naam"), max_length=80, unique=True, help_text=_("Zoals het in een lijst staat, bv. 'excursie'."))
    slug = models.SlugField(_("webadres"), unique=True, max_length=40)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0, help_text=_("Volgorde in de keuzelijsten."))
    is_group_meeting = models.BooleanField(
        _("telt als bijeenkomst"), default=False,
        help_text=_("Aanvinken voor een gewone vergadering van een werkgroep: alleen die tellen mee in "
                    "'de werkgroep kwam … keer samen'. Workshops, studiedagen en lanceringen tellen niet mee."),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("soort activiteit")
        verbose_name_plural = _("soorten activiteiten")

    def __str__(self):
        return self.name


class MeetingQuerySet(VisibilityQuerySet):
    def public(self):
        return self.filter(
            Q(is_public=True),
            Q(group__isnull=True) | Q(group__is_public=True),
            Q(track__isnull=True) | Q(track__is_public=True),
        )

    def for_year(self, year: int):
        return self.filter(year=year)

    def upcoming(self, today: datetime.date):
        """Still to come: a later date, or a planned item of this year whose day is not known yet.

        'Najaar 2026' or just '2026' sorts on its first day, but until the year is over it has not
        passed; a planned item of the current month without a day has not passed either.
        """
        not_yet_dated = Q(day__isnull=True, year=today.year) & (Q(month__isnull=True) | Q(month=today.month))
        return self.filter(
            Q(sort_date__gte=today)
            | (not_yet_dated & Q(status__in=[Meeting.Status.PLANNED, Meeting.Status.POSTPONED]))
        ).exclude(status=Meeting.Status.CANCELLED)

    def in_feed(self, today: datetime.date):
        """What a calendar feed holds: everything from the first day of this month a year ago on, so all
        that is still to come (undated items of this year too) and the last twelve months. A subscribed
        agenda gets what is coming and what just happened, not every meeting since 2007."""
        return self.filter(sort_date__gte=Meeting.feed_start(today))

    def with_related(self):
        return self.select_related("kind", "group", "track", "host_city")

    def for_list(self):
        """What a meeting in a list shows (templatetags.kc.meeting_items), without model instances for its
        kind, group, track and host city: their names and slugs come along as `kind_name`, `group_name`,
        `group_slug`, `track_title`, `track_slug` and `host_city_name`. Descriptions and search data are not read.

        For the calendar's hundred meetings that is a third of the instances it built before.
        """
        return self.only(
            "title", "kind", "year", "month", "day", "end_month", "end_day", "period", "start_time", "end_time",
            "status", "new_date", "place", "is_public", "group", "track", "host_city", "sort_date",
        ).annotate(
            kind_name=F("kind__name"),
            group_name=F("group__name"), group_slug=F("group__slug"), track_title=F("track__title"),
            track_slug=F("track__slug"), host_city_name=F("host_city__name"),
        )


class Meeting(ChoiceLabelMixin, models.Model):
    """A meeting or event, with a date that may be only partly known ('najaar 2024')."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        HELD = "held", _("gehouden")
        POSTPONED = "postponed", _("uitgesteld")
        CANCELLED = "cancelled", _("geannuleerd")

    class Period(models.TextChoices):
        NONE = "", _("—")
        BEGIN = "begin", _("begin")
        SPRING = "spring", _("voorjaar")
        SUMMER = "summer", _("zomer")
        MID = "mid", _("midden")
        AUTUMN = "autumn", _("najaar")
        END = "end", _("eind")

    # The month a season starts in and how many months it covers, to sort and to place partial dates.
    PERIOD_MONTH = {"begin": 1, "spring": 3, "summer": 6, "mid": 6, "autumn": 9, "end": 11, "": 1}
    PERIOD_LENGTH_MONTHS = {"begin": 2, "spring": 3, "summer": 3, "mid": 2, "autumn": 3, "end": 2, "": 12}

    title = models.CharField(_("titel"), max_length=200)
    kind = models.ForeignKey(
        MeetingKind, verbose_name=_("soort"), on_delete=models.PROTECT, related_name="meetings",
        help_text=_("Staat de soort er niet bij? Voeg ze toe onder 'Soorten activiteiten'."),
    )
    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("werkgroep"), on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    track = models.ForeignKey(
        WorkTrack, verbose_name=_("werkspoor"), on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("maand"), null=True, blank=True, choices=[(i + 1, m) for i, m in enumerate(MONTHS_NL)]
    )
    day = models.PositiveSmallIntegerField(_("dag"), null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(
        _("tot maand"), null=True, blank=True, choices=[(i + 1, m) for i, m in enumerate(MONTHS_NL)],
        help_text=_("Alleen als een activiteit over het einde van een maand loopt."),
    )
    end_day = models.PositiveSmallIntegerField(
        _("tot dag"), null=True, blank=True, help_text=_("Laatste dag van een activiteit over meer dagen, bv. 15 bij 13-15 november."),
    )
    period = models.CharField(
        _("periode"), max_length=8, choices=Period.choices, blank=True, default="",
        help_text=_("Alleen als de maand niet gekend is: bv. 'najaar'."),
    )
    start_time = models.TimeField(_("beginuur"), null=True, blank=True, help_text=_("Bv. 14.00; alleen bij een gekende dag."))
    end_time = models.TimeField(_("einduur"), null=True, blank=True, help_text=_("Bv. 16.00; alleen met een beginuur."))
    sort_date = models.DateField(editable=False, null=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    new_date = models.DateField(
        _("nieuwe datum"), null=True, blank=True, help_text=_("Bij een uitgestelde activiteit: de nieuwe datum, als die gekend is.")
    )
    host_city = models.ForeignKey(
        City, verbose_name=_("gaststad"), on_delete=models.SET_NULL, null=True, blank=True, related_name="hosted_meetings"
    )
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    is_public = models.BooleanField(_("publiek"), default=True)
    in_report = models.BooleanField(
        _("in het jaarverslag"), default=True,
        help_text=_("Uitvinken als het jaarverslag van dat jaar deze activiteit niet vermeldt (bv. pas een later jaarverslag): "
                    "ze blijft in de kalender en bij de werkgroep of het werkspoor."),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["sort_date", "title"]
        verbose_name = _("vergadering of activiteit")
        verbose_name_plural = _("vergaderingen en activiteiten")
        constraints = [
            models.CheckConstraint(condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12), name="meeting_month_valid"),
            models.CheckConstraint(condition=Q(day__isnull=True) | Q(month__isnull=False, day__gte=1, day__lte=31), name="meeting_day_needs_month"),
            models.CheckConstraint(condition=Q(month__isnull=True) | Q(period=""), name="meeting_period_only_without_month"),
            models.CheckConstraint(
                condition=Q(new_date__isnull=True) | Q(status="postponed"), name="meeting_new_date_only_when_postponed"
            ),
            models.CheckConstraint(condition=Q(end_day__isnull=True) | Q(day__isnull=False), name="meeting_end_day_needs_day"),
            models.CheckConstraint(condition=Q(end_month__isnull=True) | Q(end_day__isnull=False), name="meeting_end_month_needs_end_day"),
            models.CheckConstraint(condition=Q(start_time__isnull=True) | Q(day__isnull=False), name="meeting_time_needs_day"),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False, end_time__gt=models.F("start_time")),
                name="meeting_end_time_after_start_time",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date_display})"

    def clean(self):
        if self.day and self.month:
            try:
                datetime.date(self.year, self.month, self.day)
            except (ValueError, TypeError):
                raise ValidationError({"day": _("Deze dag bestaat niet in die maand.")}, code="invalid_date")
        if self.day and not self.month:
            raise ValidationError({"day": _("Vul eerst de maand in.")}, code="day_without_month")
        if self.month and self.period:
            raise ValidationError({"period": _("Een periode kan alleen als de maand niet gekend is.")}, code="period_with_month")
        if self.new_date and self.status != self.Status.POSTPONED:
            raise ValidationError({"new_date": _("Een nieuwe datum hoort alleen bij een uitgestelde activiteit.")}, code="new_date")
        if self.end_day:
            if not self.day:
                raise ValidationError({"end_day": _("Vul eerst de eerste dag in.")}, code="end_without_start")
            try:
                end = self.end_date
            except (ValueError, TypeError):
                raise ValidationError({"end_day": _("Deze einddag bestaat niet in die maand.")}, code="invalid_end") from None
            if end <= datetime.date(self.year, self.month, self.day):
                raise ValidationError({"end_day": _("De laatste dag moet na de eerste dag vallen.")}, code="end_before_start")
        if self.start_time and not self.day:
            raise ValidationError({"start_time": _("Een uur kan alleen bij een gekende dag: vul eerst de dag in.")}, code="time_without_day")
        if self.end_time and not self.start_time:
            raise ValidationError({"end_time": _("Vul eerst het beginuur in.")}, code="end_time_without_start")
        if self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("Het einduur moet na het beginuur liggen.")}, code="end_time_before_start")

    @staticmethod
    def feed_start(today: datetime.date) -> datetime.date:
        """The first day a calendar feed and the linked data in a page cover (`in_feed`)."""
        return datetime.date(today.year - 1, today.month, 1)

    def save(self, *args, **kwargs):
        month = self.month or self.PERIOD_MONTH.get(self.period, 1)
        self.sort_date = datetime.date(self.year, month, self.day or 1)
        super().save(*args, **kwargs)

    @property
    def is_reported(self) -> bool:
        """Its outcome is recorded (held, postponed or cancelled): a jaarverslag may say what became of it."""
        return self.status != self.Status.PLANNED

    @property
    def chronology(self) -> tuple:
        """Its place in a list of a year's activities: by date as far as it is known, and a date known
        only to the year after the dated ones of that year (it is no earlier than they are)."""
        return (self.year, self.precision == "year", self.sort_date, self.title)

    @property
    def precision(self) -> str:
        if self.day:
            return "day"
        if self.month:
            return "month"
        if self.period:
            return "period"
        return "year"

    @property
    def span(self) -> tuple[datetime.date, datetime.date]:
        """[first day, day after the last day] the date could be: a day or days, a month, a season, a year."""
        if self.day:
            start = datetime.date(self.year, self.month, self.day)
            return start, (self.end_date or start) + datetime.timedelta(days=1)
        if self.month:
            start = datetime.date(self.year, self.month, 1)
            return start, _add_months(start, 1)
        start = datetime.date(self.year, self.PERIOD_MONTH[self.period], 1)
        return start, _add_months(start, self.PERIOD_LENGTH_MONTHS[self.period])

    @property
    def calendar_span(self) -> tuple[datetime.date, datetime.date] | None:
        """All-day [start, end) of the meeting in a calendar; a postponed one on its new date.

        A date known only to the year is no calendar event (it would cover the whole year).
        """
        if self.status == self.Status.POSTPONED and self.new_date:
            return self.new_date, self.new_date + datetime.timedelta(days=1)
        if self.precision == "year":
            return None
        return self.span

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The first day at its start time, in Brussels time; None without a time, or when postponed to a new date
        (the time was announced for the old one)."""
        if not self.start_time or (self.status == self.Status.POSTPONED and self.new_date):
            return None
        return timezone.make_aware(datetime.datetime.combine(self.span[0], self.start_time))

    @property
    def ends_at(self) -> datetime.datetime | None:
        """The last day at its end time (a multi-day event runs from the first start to the last end)."""
        if not (self.end_time and self.starts_at):
            return None
        return timezone.make_aware(datetime.datetime.combine(self.end_date or self.span[0], self.end_time))

    @property
    def time_display(self) -> str:
        """'14.00 uur', '14.00–16.00 uur', or '' without a time."""
        if not self.start_time:
            return ""
        end = f"–{time_nl(self.end_time)}" if self.end_time else ""
        return f"{time_nl(self.start_time)}{end} uur"

    @property
    def iso_date(self) -> str:
        """As much of the date as is known: 2024-03-01, 2024-03 or 2024."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def is_unconfirmed(self) -> bool:
        """Still 'gepland' although its date has passed: staff should say whether it took place."""
        return self.is_unconfirmed_on(timezone.localdate())

    def is_unconfirmed_on(self, today: datetime.date) -> bool:
        return self.status == self.Status.PLANNED and self.span[1] <= today

    def status_by_date(self, today: datetime.date) -> str:
        """The status of an activity entered without one: held once its whole date has passed (a past
        year entered afterwards), otherwise planned."""
        return self.Status.HELD if self.span[1] <= today else self.Status.PLANNED

    @property
    def end_date(self) -> datetime.date | None:
        """The last day of an activity over several days; None for a single day or a partial date."""
        if not (self.day and self.end_day):
            return None
        return datetime.date(self.year, self.end_month or self.month, self.end_day)

    @property
    def date_display(self) -> str:
        """The date as far as it is known, in Dutch, with the time when there is one: '13–15 november 2018',
        '16 en 17 mei 2018', 'najaar 2024', '3 juni 2025, 14.00–16.00 uur'. static/js/meeting-date.js mirrors it."""
        return f"{self.day_display}, {self.time_display}" if self.start_time else self.day_display

    @property
    def day_display(self) -> str:
        """The date without the hours: '16 en 17 mei 2018', 'najaar 2024'."""
        if self.day and self.end_day:
            month, end_month = MONTHS_NL[self.month - 1], MONTHS_NL[(self.end_month or self.month) - 1]
            if end_month != month:
                return f"{self.day} {month} – {self.end_day} {end_month} {self.year}"
            joiner = " en " if self.end_day == self.day + 1 else "–"
            return f"{self.day}{joiner}{self.end_day} {month} {self.year}"
        if self.day:
            return f"{self.day} {MONTHS_NL[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS_NL[self.month - 1]} {self.year}"
        if self.period:
            return f"{self.get_period_display()} {self.year}"
        return str(self.year)

    def get_absolute_url(self):
        return reverse("programmes:calendar") + f"?jaar={self.year}#activiteit-{self.pk}"


class LinkBaseQuerySet(VisibilityQuerySet):
    """Filters every kind of link shares."""

    def placeholders(self):
        """Links whose address is not known yet (empty or '#')."""
        return self.filter(Q(url="") | Q(url="#"))

    def with_address(self):
        return self.exclude(Q(url="") | Q(url="#"))

    def shown_with_owner(self, user):
        """Links of an owner that is already shown to `user` (an edition's own sections, its budget)."""
        return self if can_see_unpublished(user) else self.filter(is_public=True)


class LinkQuerySet(LinkBaseQuerySet):
    def public(self):
        """Public links whose owner the public may see: a track-year with a published text, a public group or meeting."""
        published_track_years = WorkTrackYear.objects.public().values("pk")
        return self.filter(is_public=True).filter(
            Q(track_year__isnull=True) | Q(track_year__in=published_track_years),
            Q(group__isnull=True) | Q(group__is_public=True),
            Q(meeting__isnull=True) | Q(meeting__in=Meeting.objects.public().values("pk")),
            Q(budget__isnull=True) | Q(budget__in=Budget.objects.public().values("pk")),
        )


class LinkBase(ChoiceLabelMixin, models.Model):
    """What every 'Je vindt hier …' reference has: a title, an address that may still be missing, a check."""

    class Kind(models.TextChoices):
        REPORT = "report", _("rapport")
        PRESENTATION = "presentation", _("presentatie")
        NOTE = "note", _("nota")
        WEBSITE = "website", _("website")
        OVERVIEW = "overview", _("overzicht")
        TOOL = "tool", _("tool")
        VIDEO = "video", _("opname")
        DOCUMENT = "document", _("document")

    title = models.CharField(
        _("titel"), max_length=250, help_text=_("Wat de lezer vindt, bv. 'een overzicht van de activiteiten van de werkgroep OBMi'.")
    )
    url = models.CharField(
        _("adres (URL)"), max_length=500, blank=True, validators=[validate_link_url],
        help_text=_("Een volledig adres (https://…). Leeg of '#' betekent: adres nog niet gekend; zo'n verwijzing "
                    "wordt voor publicatie gemeld en verschijnt als tekst zonder link."),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_public = models.BooleanField(_("publiek"), default=True)
    # Filled in by the check_links command, never by editors.
    checked_at = models.DateTimeField(_("laatst gecontroleerd"), null=True, blank=True, editable=False)
    check_status = models.PositiveSmallIntegerField(_("HTTP-status bij controle"), null=True, blank=True, editable=False)
    check_error = models.CharField(_("fout bij controle"), max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def href(self) -> str:
        """The address to link to, or '' when there is no usable (safe, complete) address."""
        return safe_href(self.url)

    @property
    def is_placeholder(self) -> bool:
        """No usable address yet: empty, '#', or something that is not a web address."""
        return not self.href

    @property
    def is_broken(self) -> bool:
        """The last check_links run could not reach the address, or got an error status."""
        if self.checked_at is None:
            return False
        return bool(self.check_error) or (self.check_status or 0) >= 400

    def clean(self):
        self.url = (self.url or "").strip()


class Link(LinkBase):
    """A reference attached to a track-year, working group, meeting or programme."""

    track_year = models.ForeignKey(
        WorkTrackYear, verbose_name=_("werkspoor per jaar"), on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    group = models.ForeignKey(WorkingGroup, verbose_name=_("werkgroep"), on_delete=models.CASCADE, null=True, blank=True, related_name="links")
    meeting = models.ForeignKey(Meeting, verbose_name=_("activiteit"), on_delete=models.CASCADE, null=True, blank=True, related_name="links")
    programme = models.ForeignKey(Programme, verbose_name=_("programma"), on_delete=models.CASCADE, null=True, blank=True, related_name="links")
    budget = models.ForeignKey(
        "Budget", verbose_name=_("budget"), on_delete=models.CASCADE, null=True, blank=True, related_name="links",
        help_text=_("Bv. de afrekening van dat jaar."),
    )

    class Part(models.TextChoices):
        BOTH = "", _("jaarplan en jaarverslag")
        PLAN = "plan", _("alleen in het jaarplan")
        REPORT = "report", _("alleen in het jaarverslag")

    part = models.CharField(
        _("staat in"), max_length=8, choices=Part.choices, blank=True, default="",
        help_text=_("Bij een werkspoor per jaar: onder de tekst van het jaarplan, van het jaarverslag of van beide."),
    )

    OWNER_FIELDS = ("track_year", "group", "meeting", "programme", "budget")

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(track_year__isnull=False, group__isnull=True, meeting__isnull=True, programme__isnull=True, budget__isnull=True)
                    | Q(track_year__isnull=True, group__isnull=False, meeting__isnull=True, programme__isnull=True, budget__isnull=True)
                    | Q(track_year__isnull=True, group__isnull=True, meeting__isnull=False, programme__isnull=True, budget__isnull=True)
                    | Q(track_year__isnull=True, group__isnull=True, meeting__isnull=True, programme__isnull=False, budget__isnull=True)
                    | Q(track_year__isnull=True, group__isnull=True, meeting__isnull=True, programme__isnull=True, budget__isnull=False)
                ),
                name="link_exactly_one_owner",
            ),
        ]

    @property
    def owner(self):
        return next((getattr(self, name) for name in self.OWNER_FIELDS if getattr(self, f"{name}_id")), None)

    def _has_owner(self, name) -> bool:
        """An owner is set, or assigned but not saved yet: a link added in the form of a new budget (or
        track-year) is checked before that budget has an id."""
        return getattr(self, f"{name}_id") is not None or self._meta.get_field(name).get_cached_value(self, None) is not None

    def clean(self):
        if sum(1 for name in self.OWNER_FIELDS if self._has_owner(name)) != 1:
            raise ValidationError(
                _("Koppel de link aan precies één werkspoor-jaar, werkgroep, activiteit, programma of budget."), code="owner"
            )
        super().clean()


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


class SearchEntry(models.Model):
    """One searchable item as the search reads it: derived from the content, never edited.

    Everything a search needs is on the row, so a search is one query over one table instead of a
    query per kind, word and relation: what the item matches (its own texts plus the names of what
    it belongs to, once as a visitor may see them and once as the editorial team does), whether a
    visitor may see it, the years, programmes and cities the search filters on, and what a result
    shows. programmes.searchindex keeps the rows in step with every write.
    """

    kind = models.CharField(max_length=16)
    item_id = models.BigIntegerField()
    public = models.BooleanField(default=False)  # visible to a visitor
    staff = models.BooleanField(default=False)  # visible to the editorial team
    title = models.TextField(blank=True)  # its searchable title (weight A)
    summary = models.TextField(blank=True)  # plain text (weight B)
    text = models.TextField(blank=True)  # plain text (weight C)
    names_public = models.TextField(blank=True)  # names of what it belongs to that a visitor may see
    names_staff = models.TextField(blank=True)
    words_public = models.TextField(blank=True)  # SQLite: " word word … ", own texts and names, for word-start LIKE
    words_staff = models.TextField(blank=True)
    years_public = models.CharField(max_length=400, blank=True)  # " 2023 2024 "
    years_staff = models.CharField(max_length=400, blank=True)
    programmes = models.CharField(max_length=400, blank=True)  # " 3 7 " (ids)
    cities = models.CharField(max_length=400, blank=True)
    sort_key = models.CharField(max_length=400, blank=True)  # the kind's order after the rank
    label = models.CharField(max_length=1000, blank=True)  # what a result shows: its title, address and line below
    url = models.CharField(max_length=2000, blank=True)
    meta = models.CharField(max_length=1000, blank=True)
    external = models.BooleanField(default=False)
    placeholder = models.BooleanField(default=False)
    digest = models.CharField(max_length=40, blank=True)  # of all the above: a row built again the same is not written
    own_vector = SearchVectorField(null=True)  # PostgreSQL: title A, summary B, text C (ranking)
    match_public = SearchVectorField(null=True)  # own_vector plus names_public as D (matching)
    match_staff = SearchVectorField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "item_id"], name="searchentry_unique_item")]

    def __str__(self):
        return f"{self.kind} {self.item_id}"


# Every change to content is recorded (who, when, what) so staff can compare, revert and recover.
# Check results are left out: a nightly link check is not an editorial change.
# Many-to-many links (who takes part, which tracks a group serves) are recorded too.
HISTORY_M2M_FIELDS = {
    Programme: ["periods"],
    WorkTrack: ["lead_cities", "cities", "partners"],
    WorkingGroup: ["tracks", "cities", "partners"],
}
for _model in (
    ProgrammePeriod, City, Organisation, Programme, ProgrammeYear, WorkTrack, WorkTrackYear, Result, ExternalFunding,
    WorkingGroup, GroupYear, MeetingKind, Meeting, Budget, BudgetLine, FundingSource, GoverningBody, Person, Position, CommunicationFigure,
):
    register_history(_model, m2m_fields=HISTORY_M2M_FIELDS.get(_model, ()))
register_history(Link, excluded_fields=["checked_at", "check_status", "check_error"])
