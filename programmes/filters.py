"""FilterSets for the public list pages; every filter lives in the URL's query string."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import City, GroupYear, Meeting, Programme, ProgrammePeriod, WorkingGroup, WorkTrackYear
from .selectors import years_with_data


class YearFilter(django_filters.ChoiceFilter):
    """A year picked from the years that have data this visitor may see; anything else is a form error.

    `years(user)` returns the querysets whose years count; the choices are filled in per request by
    VisibleYearsFilterSet, so a year that only a draft or private item has is never offered.
    """

    def __init__(self, *args, years, **kwargs):
        kwargs.setdefault("label", _("Jaar"))
        kwargs.setdefault("empty_label", _("Alle jaren"))
        self.year_sources = years
        super().__init__(*args, choices=[], **kwargs)


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


class VisibleYearsFilterSet(FilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for f in self.filters.values():
            if isinstance(f, YearFilter):
                years = years_with_data(*f.year_sources(user))
                f.extra["choices"] = [(str(year), str(year)) for year in years]


def programme_choices(request=None):
    return Programme.objects.all()


class ProgrammeFilter(VisibleYearsFilterSet):
    jaar = YearFilter(
        field_name="track_years__year", lookup_expr="exact", distinct=True,
        years=lambda user: [WorkTrackYear.objects.visible_to(user)],
    )
    periode = django_filters.ModelChoiceFilter(
        field_name="periods", lookup_expr="exact", queryset=ProgrammePeriod.objects.all(),
        to_field_name="slug", label=_("Programmaperiode"), empty_label=_("Alle periodes"),
    )

    class Meta:
        model = Programme
        fields = []


class WorkingGroupFilter(VisibleYearsFilterSet):
    jaar = YearFilter(
        method="filter_year",
        years=lambda user: [
            Meeting.objects.visible_to(user).filter(group__isnull=False),
            GroupYear.objects.filter(group__in=WorkingGroup.objects.visible_to(user)),
        ],
    )
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
        """Groups active in a year: meetings this visitor may see, or a reported count, in that year."""
        meetings = Meeting.objects.visible_to(getattr(self.request, "user", None)).filter(year=value)
        return queryset.filter(Q(pk__in=meetings.values("group_id")) | Q(year_figures__year=value)).distinct()


class MeetingFilter(VisibleYearsFilterSet):
    jaar = YearFilter(field_name="year", lookup_expr="exact", years=lambda user: [Meeting.objects.visible_to(user)])
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
        method="filter_city", queryset=City.objects.all(), to_field_name="slug",
        label=_("Stad (neemt deel of ontvangt)"), empty_label=_("Alle steden"),
    )

    class Meta:
        model = Meeting
        fields = []

    def filter_programme(self, queryset, name, value):
        return queryset.filter(Q(group__programme=value) | Q(track__programme=value))

    def filter_city(self, queryset, name, value):
        """Activities a city is part of: of a group or track it takes part in or leads, or hosted by it."""
        return queryset.filter(
            Q(host_city=value) | Q(group__cities=value) | Q(group__lead_city=value)
            | Q(track__cities=value) | Q(track__lead_cities=value)
        ).distinct()
