"""FilterSets for the public list pages; every filter lives in the URL's query string."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import City, GroupYear, Meeting, Programme, ProgrammePeriod, WorkingGroup, WorkTrackYear


def years_of(*models):
    """Choices for a year filter: the years that have data in any of `models`, newest first (per request)."""
    def choices():
        years = set()
        for model in models:
            # order_by(): without it the model's default ordering joins the DISTINCT and every row comes back.
            years.update(model.objects.order_by().values_list("year", flat=True).distinct())
        return [(str(year), str(year)) for year in sorted(years, reverse=True) if year]
    return choices


class YearFilter(django_filters.ChoiceFilter):
    """A year picked from the years that have data; anything else is a form error, never a database error."""

    def __init__(self, *args, years, **kwargs):
        kwargs.setdefault("label", _("Jaar"))
        kwargs.setdefault("empty_label", _("Alle jaren"))
        super().__init__(*args, choices=years, **kwargs)


class FilterSet(django_filters.FilterSet):
    """Base of the public filter forms: each select renders its options in one template, not one
    template per option (Django's default), which made the form the costliest part of the calendar."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if type(field.widget) is forms.Select:
                field.widget.template_name = "programmes/widgets/select.html"
        return form


def programme_choices(request=None):
    return Programme.objects.all()


class ProgrammeFilter(FilterSet):
    jaar = YearFilter(field_name="track_years__year", lookup_expr="exact", distinct=True, years=years_of(WorkTrackYear))
    periode = django_filters.ModelChoiceFilter(
        field_name="periods", lookup_expr="exact", queryset=ProgrammePeriod.objects.all(),
        to_field_name="slug", label=_("Programmaperiode"), empty_label=_("Alle periodes"),
    )

    class Meta:
        model = Programme
        fields = []


class WorkingGroupFilter(FilterSet):
    jaar = YearFilter(method="filter_year", years=years_of(Meeting, GroupYear))
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


class MeetingFilter(FilterSet):
    jaar = YearFilter(field_name="year", lookup_expr="exact", years=years_of(Meeting))
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
