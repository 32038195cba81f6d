"""'Je vindt hier …' references: an address that may still be missing, on exactly one owner."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..addresses import placeholder_q, safe_href, validate_link_url
from ..visibility import VisibilityQuerySet, can_see_unpublished
from .budgets import Budget
from .groups import WorkingGroup
from .meetings import Meeting
from .periods import Programme
from .tracks import WorkTrackYear


class LinkBaseQuerySet(VisibilityQuerySet):
    """Filters every kind of link shares."""

    def placeholders(self):
        """Links whose address is not known yet (empty or '#')."""
        return self.filter(placeholder_q())

    def with_address(self):
        return self.exclude(placeholder_q())

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


class LinkBase(models.Model):
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
