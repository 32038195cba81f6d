"""What the models of every topic share: year validation, the editorial status, the rule of a span of
years, and a few helpers."""
import re

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


YEAR_VALIDATORS = [MinValueValidator(2000)]


class EditorialStatus(models.TextChoices):
    """Where a text stands on its way to publication."""

    DRAFT = "draft", _("concept")
    REVIEW = "review", _("klaar voor nalezing")
    # A text its reviewer (or an Eindredacteur) signed off; still unpublished until the edition is.
    APPROVED = "approved", _("goedgekeurd")
    PUBLISHED = "published", _("gepubliceerd")


def choice_label(choices: type[models.Choices], value) -> str:
    """The label of `value` among `choices`, as get_<field>_display() gives it.

    The models whose labels a list repeats (a track's or group's kind on every card, a meeting's status
    in the calendar) define get_<field>_display() with this: Django's own builds a dict of every label of
    the field on each call, translating each just to hash it (docs/performance.md, "Uncached pages").
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return force_str(value, strings_only=True)


def natural_sort_key(number: str) -> str:
    """'1.10' sorts after '1.9': each numeric part is zero-padded."""
    parts = [p for p in re.split(r"[.\s]+", number or "") if p]
    if not parts:
        return "~"
    return ".".join(p.zfill(4) if p.isdigit() else p.lower() for p in parts)


def span_covers(start_year: int | None, end_year: int | None, year: int) -> bool:
    """A span of years is active in `year` when it began in or before it (or its start is not known)
    and had not ended before it (or has no end): the rule of `YearSpanQuerySet.active_in`."""
    return (start_year is None or start_year <= year) and (end_year is None or end_year >= year)


class YearSpanQuerySet(models.QuerySet):
    """Rows that run from `start_year` to `end_year` (a track, a group, a funding), either of which
    may be unknown. Whether one is active in a year is decided here and nowhere else."""

    @staticmethod
    def active_q(first: int, last: int | None = None, prefix: str = "") -> Q:
        """Active in some year from `first` to `last` (or in `first` alone): begun by `last`, not ended
        before `first`. `prefix` is the path from another model ('track__')."""
        last = first if last is None else last
        return (
            (Q(**{f"{prefix}start_year__isnull": True}) | Q(**{f"{prefix}start_year__lte": last}))
            & (Q(**{f"{prefix}end_year__isnull": True}) | Q(**{f"{prefix}end_year__gte": first}))
        )

    def active_in(self, year: int):
        return self.filter(self.active_q(year))

    def active_between(self, first: int, last: int):
        return self.filter(self.active_q(first, last))
