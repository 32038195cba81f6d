"""FilterSets for the public list pages; every filter lives in the URL's query string."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import City, Meeting, Programme, ProgrammePeriod, WorkingGroup

MIN_YEAR, MAX_YEAR = 2000, 2100


class YearFilter(django_filters.NumberFilter):
    """A year in a sane range: anything else is a form error, never a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Jaar"))
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("error_messages", {
            "invalid": _("Geef een jaartal, bijvoorbeeld 2024."),
            "min_value": _("Kies een jaar vanaf %(limit_value)s."),
            "max_value": _("Kies een jaar tot en met %(limit_value)s."),
        })
        super().__init__(*args, **kwargs)


def programme_choices(request=None):
    return Programme.objects.all()


class ProgrammeFilter(django_filters.FilterSet):
    jaar = YearFilter(field_name="track_years__year", lookup_expr="exact", distinct=True)
    periode = django_filters.ModelChoiceFilter(
        field_name="periods", lookup_expr="exact", queryset=ProgrammePeriod.objects.all(),
        to_field_name="slug", label=_("Programmaperiode"), empty_label=_("Alle periodes"),
    )

    class Meta:
        model = Programme
        fields = []


class WorkingGroupFilter(django_filters.FilterSet):
    jaar = YearFilter(method="filter_year")
    programma = django_filters.ModelChoiceFilter(
        field_name="programme", lookup_expr="exact", queryset=programme_choices, to_field_name="slug",
        label=_("Programma"), empty_label=_("Alle programma's"),
    )
    soort = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=WorkingGroup.Kind.choices, label=_("Soort"), empty_label=_("Alle soorten"),
    )
    stad = django_filters.ModelChoiceFilter(
        field_name="cities", lookup_expr="exact", queryset=City.objects.all(), to_field_name="slug",
        label=_("Stad"), empty_label=_("Alle steden"),
    )

    class Meta:
        model = WorkingGroup
        fields = []

    def filter_year(self, queryset, name, value):
        """Groups active in a year: meetings recorded or a reported count for that year."""
        return queryset.filter(Q(meetings__year=value) | Q(year_figures__year=value)).distinct()


class MeetingFilter(django_filters.FilterSet):
    jaar = YearFilter(field_name="year", lookup_expr="exact")
    programma = django_filters.ModelChoiceFilter(
        method="filter_programme", queryset=programme_choices, to_field_name="slug",
        label=_("Programma"), empty_label=_("Alle programma's"),
    )
    soort = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=Meeting.Kind.choices, label=_("Soort"), empty_label=_("Alle soorten"),
    )
    status = django_filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=Meeting.Status.choices, label=_("Status"), empty_label=_("Alle"),
    )
    stad = django_filters.ModelChoiceFilter(
        field_name="host_city", lookup_expr="exact", queryset=City.objects.all(), to_field_name="slug",
        label=_("Gaststad"), empty_label=_("Alle steden"),
    )

    class Meta:
        model = Meeting
        fields = []

    def filter_programme(self, queryset, name, value):
        return queryset.filter(Q(group__programme=value) | Q(track__programme=value))
