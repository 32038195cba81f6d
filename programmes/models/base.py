"""What the models of every topic share: year validation, the editorial status, the rule of a span of
years, and a few helpers."""
import functools
import re

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_str
from django.utils.translation import get_language, gettext_lazy as _


def slug_url(viewname: str, slug: str) -> str:
    """reverse() of a detail page by slug, remembered: lists and calendars ask for the same few
    addresses hundreds of times per page."""
    return _slug_url(viewname, slug, get_urlconf(), get_script_prefix())


@functools.lru_cache(maxsize=4096)
def _slug_url(viewname: str, slug: str, urlconf, prefix: str) -> str:
    return reverse(viewname, kwargs={"slug": slug}, urlconf=urlconf)

YEAR_VALIDATORS = [MinValueValidator(2000)]


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
