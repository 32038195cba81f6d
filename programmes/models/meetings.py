"""Meetings and events, their kinds, and their dates that may be only partly known."""
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..visibility import VisibilityQuerySet
from ..partialdate import MONTHS_NL, PartialDate, Period, time_nl
from .base import YEAR_VALIDATORS, choice_label


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
        return self.select_related("kind", "group", "track", "host_city", "rescheduled_as")

    def for_list(self):
        """What a meeting in a list shows (templatetags.kc.meeting_items), without model instances for its
        kind, group, track and host city: their names and slugs come along as `kind_name`, `group_name`,
        `group_slug`, `track_title`, `track_slug` and `host_city_name`. Descriptions and search data are not read.
        """
        return self.select_related("rescheduled_as").only(
            "title", "kind", "year", "month", "day", "end_month", "end_day", "period", "start_time", "end_time",
            "status", "new_date", "place", "is_public", "group", "track", "host_city", "sort_date",
            *(f"rescheduled_as__{part}" for part in PartialDate.parts()),
        ).annotate(
            kind_name=F("kind__name"),
            group_name=F("group__name"), group_slug=F("group__slug"), track_title=F("track__title"),
            track_slug=F("track__slug"), host_city_name=F("host_city__name"),
        )


class Meeting(models.Model):
    """A meeting or event, with a date that may be only partly known ('najaar 2024')."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        HELD = "held", _("gehouden")
        POSTPONED = "postponed", _("uitgesteld")
        CANCELLED = "cancelled", _("geannuleerd")

    # Its date: year, month, day, last day and month, or a period of the year (programmes.partialdate).
    Period = Period

    title = models.CharField(_("titel"), max_length=200)
    kind = models.ForeignKey(
        MeetingKind, verbose_name=_("soort"), on_delete=models.PROTECT, related_name="meetings",
        help_text=_("Staat de soort er niet bij? Voeg ze toe onder 'Soorten activiteiten'."),
    )
    group = models.ForeignKey(
        "WorkingGroup", verbose_name=_("werkgroep"), on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    track = models.ForeignKey(
        "WorkTrack", verbose_name=_("werkspoor"), on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
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
    rescheduled_as = models.ForeignKey(
        "self", verbose_name=_("verplaatst naar"), on_delete=models.SET_NULL, null=True, blank=True, related_name="postponed_from",
        help_text=_("Bij een uitgestelde activiteit: de activiteit op haar nieuwe datum, als je die al als gepland hebt "
                    "geregistreerd (ook met alleen een maand, bv. 'februari 2026'). In plaats van een nieuwe datum."),
    )
    host_city = models.ForeignKey(
        "City", verbose_name=_("gaststad"), on_delete=models.SET_NULL, null=True, blank=True, related_name="hosted_meetings"
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
            models.CheckConstraint(
                condition=Q(rescheduled_as__isnull=True) | Q(status="postponed", new_date__isnull=True),
                name="meeting_rescheduled_only_when_postponed_without_new_date",
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

    def get_status_display(self) -> str:
        return choice_label(self.Status, self.status)  # on every meeting of the calendar

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
        if self.rescheduled_as_id:
            self._clean_rescheduled_as()
        if self.end_day:
            if not self.day:
                raise ValidationError({"end_day": _("Vul eerst de eerste dag in.")}, code="end_without_start")
            try:
                end = self.end_date
            except (ValueError, TypeError):
                raise ValidationError({"end_day": _("Deze einddag bestaat niet in die maand.")}, code="invalid_end") from None
            if end <= self.partial_date.first_day:
                raise ValidationError({"end_day": _("De laatste dag moet na de eerste dag vallen.")}, code="end_before_start")
        if self.start_time and not self.day:
            raise ValidationError({"start_time": _("Een uur kan alleen bij een gekende dag: vul eerst de dag in.")}, code="time_without_day")
        if self.end_time and not self.start_time:
            raise ValidationError({"end_time": _("Vul eerst het beginuur in.")}, code="end_time_without_start")
        if self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("Het einduur moet na het beginuur liggen.")}, code="end_time_before_start")

    def _clean_rescheduled_as(self):
        """The activity it moved to is the same activity on another date: same group and track, and public
        when this one is, so whoever sees the postponement may also see where it went."""
        target = self.rescheduled_as
        if self.status != self.Status.POSTPONED:
            message, code = _("'Verplaatst naar' hoort alleen bij een uitgestelde activiteit."), "rescheduled_not_postponed"
        elif self.new_date:
            message, code = _("Geef een nieuwe datum of kies de activiteit waarnaar ze verplaatst is, niet allebei."), "rescheduled_and_new_date"
        elif self.pk and target.pk == self.pk:
            message, code = _("Een activiteit kan niet naar zichzelf verplaatst worden."), "rescheduled_to_itself"
        elif (target.group_id, target.track_id) != (self.group_id, self.track_id):
            message, code = _("Kies de activiteit van dezelfde werkgroep en hetzelfde werkspoor."), "rescheduled_elsewhere"
        elif self.is_public and not target.is_public:
            message, code = _("Deze activiteit is publiek; de activiteit waarnaar ze verplaatst is, moet dat ook zijn."), "rescheduled_private"
        elif target.status == self.Status.CANCELLED:
            message, code = _("De activiteit waarnaar ze verplaatst is, is geannuleerd."), "rescheduled_cancelled"
        else:
            return
        raise ValidationError({"rescheduled_as": message}, code=code)

    @property
    def moved_to(self) -> PartialDate | None:
        """Where a postponed activity went: its new date, or the date of the activity it moved to as far as
        that is known ('februari 2026'); None when that is not known (or it is not postponed)."""
        if self.status != self.Status.POSTPONED:
            return None
        if self.new_date:
            return PartialDate(self.new_date.year, self.new_date.month, self.new_date.day)
        return self.rescheduled_as.partial_date if self.rescheduled_as_id else None

    @property
    def moved_to_display(self) -> str:
        """`moved_to` in Dutch ('3 juni 2026', 'februari 2026'), or nothing."""
        moved = self.moved_to
        return moved.text if moved else ""

    @staticmethod
    def feed_start(today: datetime.date) -> datetime.date:
        """The first day a calendar feed and the linked data in a page cover (`in_feed`)."""
        return datetime.date(today.year - 1, today.month, 1)

    def save(self, *args, **kwargs):
        self.sort_date = self.partial_date.first_day
        super().save(*args, **kwargs)

    @property
    def is_reported(self) -> bool:
        """Its outcome is recorded (held, postponed or cancelled): a jaarverslag may say what became of it."""
        return self.status != self.Status.PLANNED

    @property
    def partial_date(self) -> PartialDate:
        """Its date as a value: what of it is known, its span and its Dutch text."""
        return PartialDate.of(self)

    @property
    def chronology(self) -> tuple:
        """Its place in a list of a year's activities: by date as far as it is known, and a date known
        only to the year after the dated ones of that year (it is no earlier than they are)."""
        return (*self.partial_date.sort_key, self.title)

    @property
    def precision(self) -> str:
        return self.partial_date.precision

    @property
    def span(self) -> tuple[datetime.date, datetime.date]:
        """[first day, day after the last day] the date could be: a day or days, a month, a season, a year."""
        return self.partial_date.span

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
        return self.partial_date.iso

    @property
    def is_unconfirmed(self) -> bool:
        """Still 'gepland' although its date has passed: staff should say whether it took place."""
        return self.is_unconfirmed_on(timezone.localdate())

    def is_unconfirmed_on(self, today: datetime.date) -> bool:
        return self.status == self.Status.PLANNED and self.partial_date.has_passed(today)

    def status_by_date(self, today: datetime.date) -> str:
        """The status of an activity entered without one: held once its whole date has passed (a past
        year entered afterwards), otherwise planned. static/js/meeting-status.js mirrors it."""
        return self.Status.HELD if self.partial_date.has_passed(today) else self.Status.PLANNED

    @property
    def end_date(self) -> datetime.date | None:
        """The last day of an activity over several days; None for a single day or a partial date."""
        return self.partial_date.end_date

    @property
    def date_display(self) -> str:
        """The date as far as it is known, in Dutch, with the time when there is one: '13–15 november 2018',
        '16 en 17 mei 2018', 'najaar 2024', '3 juni 2025, 14.00–16.00 uur'. static/js/meeting-date.js mirrors it."""
        return f"{self.day_display}, {self.time_display}" if self.start_time else self.day_display

    @property
    def day_display(self) -> str:
        """The date without the hours: '16 en 17 mei 2018', 'najaar 2024'."""
        return self.partial_date.text

    def get_absolute_url(self):
        return reverse("programmes:calendar") + f"?jaar={self.year}#activiteit-{self.pk}"
