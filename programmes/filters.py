"""FilterSets for the public list pages; every filter lives in the URL's query string."""
import datetime
from collections import Counter, defaultdict

import django_filters
from django import forms
from django.db.models import Case, Q, Value, When
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import (
    City, Meeting, MeetingKind, Organisation, Programme, ProgrammePeriod, WorkingGroup, WorkingGroupQuerySet, WorkTrack,
    WorkTrackYear,
)
from .search.query import indexed_years, section_choices
from .richtext import esc
from .selectors import facet_rows, relation_values, years_with_data


class YearFilter(django_filters.ChoiceFilter):
    """A year picked from the years that have data this visitor may see; anything else is a form error.

    `years(user)` returns the querysets whose years count; the choices are filled in per request by
    VisibleYearsFilterSet, so a year that only a draft or private item has is never offered. In a
    FacetFilterSet without `years`, the choices are the years its items have (its own facet).
    """

    def __init__(self, *args, years=None, **kwargs):
        kwargs.setdefault("label", _("Jaar"))
        kwargs.setdefault("empty_label", _("Alle jaren"))
        self.year_sources = years
        super().__init__(*args, choices=[], **kwargs)


class PlainSelect(forms.Select):
    """A select written out directly: Django renders a template per option, which made the filter
    form the costliest part of the calendar and the lists (six selects, up to 60 options each).

    The same markup as Django's select, option by option (the first matching value is selected).
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        attributes = "".join(
            f' {key}="{esc(val)}"' if val is not True else f" {key}"
            for key, val in self.build_attrs(self.attrs, attrs).items() if val is not False and val is not None
        )
        options, has_selected = [], False

        def option(value, label):
            nonlocal has_selected
            value = "" if value is None else str(value)
            selected = not has_selected and value in chosen
            has_selected |= selected
            options.append(f'<option value="{esc(value)}"{" selected" if selected else ""}>{esc(label)}</option>')

        for value, label in self.choices:
            if isinstance(label, (list, tuple)):
                options.append(f'<optgroup label="{esc(value)}">')
                for sub_value, sub_label in label:
                    option(sub_value, sub_label)
                options.append("</optgroup>")
            else:
                option(value, label)
        return mark_safe(f'<select name="{esc(name)}"{attributes}>{"".join(options)}</select>')


class FilterSet(django_filters.FilterSet):
    """Base of the public filter forms (selects through PlainSelect)."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if type(field.widget) is forms.Select:
                field.widget.__class__ = PlainSelect
        return form


class VisibleYearsFilterSet(FilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for name, f in self.filters.items():
            if isinstance(f, YearFilter):
                f.extra["choices"] = [(str(year), str(year)) for year in self.year_choices(name, f)]

    def year_choices(self, name, year_filter) -> list[int]:
        return years_with_data(*year_filter.year_sources(getattr(self.request, "user", None)))


def programme_choices(request=None):
    return Programme.objects.all()


def partner_choices(request=None):
    return Organisation.objects.all()


def programme_filter():
    return django_filters.ModelChoiceFilter(
        field_name="programme", lookup_expr="exact", queryset=programme_choices, to_field_name="slug",
        label=_("Programma"), empty_label=_("Alle programma's"),
    )


def city_filter(label):
    """A city taking part: the FilterSet's `filter_city` says through what."""
    return django_filters.ModelChoiceFilter(
        method="filter_city", queryset=City.objects.all(), to_field_name="slug", label=label, empty_label=_("Alle steden"),
    )


def partner_filter():
    return django_filters.ModelChoiceFilter(
        method="filter_partner", queryset=partner_choices, to_field_name="slug", label=_("Partner"), empty_label=_("Alle partners"),
    )


class FacetFilterSet(VisibleYearsFilterSet):
    """A filter form whose options say how many items each would give ("Gent (4)").

    The count of an option is taken over the items that the *other* filters leave, so every
    option shows what choosing it would give. `facet_values(qs)` gives the (item id, option value)
    pairs of every facet for the items of `qs`; by default from `facet_pairs(name, qs)`, querysets
    of such pairs per facet, all in one query (selectors.facet_rows).
    """

    def facet_pairs(self, name, queryset):
        raise NotImplementedError

    def facet_values(self, queryset) -> dict[str, set]:
        """{facet: {(item id, option value as text)}} for the items of `queryset`."""
        parts = {name: self.facet_pairs(name, queryset) for name in self.filters}
        return facet_rows({name: part for name, part in parts.items() if part is not None})

    @cached_property
    def facet_data(self) -> dict[str, set]:
        """facet_values() of all the items (self.queryset), read once per request."""
        return self.facet_values(self.queryset.all())

    def year_choices(self, name, year_filter) -> list[int]:
        """A year filter without sources of its own offers the years of its facet: the years the
        visible items have, from the data the counts need anyway."""
        if year_filter.year_sources is not None:
            return super().year_choices(name, year_filter)
        return sorted({int(year) for _item, year in self.facet_data.get(name, ())}, reverse=True)

    def add_counts(self):
        """Put the counts in the option labels (no filter chosen: over all items); nothing when the form has errors.

        Each chosen filter is applied once, to a set of ids. The pairs are read once for all items;
        a facet counts those of the items in every other chosen filter's set.
        """
        if self.is_bound and not self.form.is_valid():
            return
        data = self.form.cleaned_data if self.is_bound else {}
        chosen = {name: value for name, value in data.items() if value not in (None, "", [])}
        matched = {
            name: set(self.filters[name].filter(self.queryset.all(), value).values_list("pk", flat=True))
            for name, value in chosen.items()
        }
        for name, pairs in self.facet_data.items():
            others = [ids for other, ids in matched.items() if other != name]
            if others:
                items = set.intersection(*others)
                pairs = {(item, value) for item, value in pairs if item in items}
            counts = Counter(value for _item, value in pairs)
            form_field = self.form.fields[name]
            if isinstance(form_field, forms.ModelChoiceField):
                key = self.filters[name].extra.get("to_field_name") or "pk"
                form_field.label_from_instance = lambda obj, key=key, counts=counts: f"{obj} ({counts.get(str(getattr(obj, key)), 0)})"
            else:
                # The field puts its empty label ("Alle jaren") in front of whatever choices it is given.
                form_field.choices = [
                    (value, f"{label} ({counts.get(str(value), 0)})")
                    for value, label in form_field.choices if value not in ("", None)
                ]


class FacetValues(defaultdict):
    """{facet: {(item id, option value as text)}}, filled by `add`; empty values are no option."""

    def __init__(self):
        super().__init__(set)

    def add(self, name, item, *values):
        bucket = self[name]
        for value in values:
            if value is not None:
                bucket.add((item, str(value)))


def _this_year():
    return datetime.date.today().year


def _track_status(qs):
    """'lopend' or 'afgerond' for each track: ended means an end year before this year."""
    return qs.annotate(_status=Case(When(end_year__lt=_this_year(), then=Value("ended")), default=Value("running")))


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


class WorkTrackFilter(FacetFilterSet):
    """The list of work tracks: /werksporen/."""

    class Status:
        choices = [("running", _("lopend")), ("ended", _("afgerond"))]

    jaar = YearFilter(method="filter_year")  # the years of its facet: texts this visitor may read
    programma = programme_filter()
    soort = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=WorkTrack.Kind.choices, label=_("Soort"), empty_label=_("Alle soorten"),
    )
    stad = city_filter(_("Stad (trekt of neemt deel)"))
    partner = partner_filter()
    status = django_filters.ChoiceFilter(
        method="filter_status", choices=Status.choices, label=_("Status"), empty_label=_("Alle"),
    )

    class Meta:
        model = WorkTrack
        fields = []

    def _user(self):
        return getattr(self.request, "user", None)

    def filter_year(self, queryset, name, value):
        """Tracks with a text of that year this visitor may read."""
        return queryset.filter(pk__in=WorkTrackYear.objects.visible_to(self._user()).filter(year=value).values("track_id"))

    def filter_city(self, queryset, name, value):
        """Tracks a city leads or takes part in, itself or through a group serving the track."""
        groups = WorkingGroup.objects.visible_to(self._user()).filter(Q(cities=value) | Q(lead_city=value))
        return queryset.filter(
            Q(pk__in=WorkTrack.cities.through.objects.filter(city=value).values("worktrack_id"))
            | Q(pk__in=WorkTrack.lead_cities.through.objects.filter(city=value).values("worktrack_id"))
            | Q(pk__in=WorkingGroup.tracks.through.objects.filter(workinggroup__in=groups).values("worktrack_id"))
        )

    def filter_partner(self, queryset, name, value):
        return queryset.filter(pk__in=WorkTrack.partners.through.objects.filter(organisation=value).values("worktrack_id"))

    def filter_status(self, queryset, name, value):
        return _track_status(queryset).filter(_status=value)

    def facet_values(self, queryset):
        """Three queries: the tracks, their readable years, the visible groups; the links between them in a fourth."""
        links, this_year, values = relation_values(), _this_year(), FacetValues()
        tracks = set()
        for track, programme, kind, end_year in queryset.order_by().values_list("pk", "programme__slug", "kind", "end_year"):
            tracks.add(track)
            values.add("programma", track, programme)
            values.add("soort", track, kind)
            values.add("status", track, "ended" if end_year is not None and end_year < this_year else "running")
            values.add("stad", track, *links["track_cities"][track], *links["track_lead_cities"][track])
            values.add("partner", track, *links["track_partners"][track])
        for track, year in WorkTrackYear.objects.visible_to(self._user()).values_list("track_id", "year"):
            if track in tracks:
                values.add("jaar", track, year)
        tracks_of = links["group_tracks"]
        for group, lead_city in WorkingGroup.objects.visible_to(self._user()).values_list("pk", "lead_city__slug"):
            for track in map(int, tracks_of[group]):
                if track in tracks:
                    values.add("stad", track, lead_city, *links["group_cities"][group])
        return values


class WorkingGroupFilter(FacetFilterSet):
    jaar = YearFilter(method="filter_year")  # the years of its facet: the years each group was at work
    programma = programme_filter()
    soort = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=WorkingGroup.Kind.choices, label=_("Soort"), empty_label=_("Alle soorten"),
    )
    stad = city_filter(_("Stad (trekt of neemt deel)"))
    partner = partner_filter()
    status = django_filters.ChoiceFilter(
        method="filter_status", choices=[("active", _("actief")), ("ended", _("opgeheven"))], label=_("Status"), empty_label=_("Alle"),
    )

    class Meta:
        model = WorkingGroup
        fields = []

    def filter_year(self, queryset, name, value):
        """Groups at work in a year: the rule of the editions (WorkingGroupQuerySet.at_work_in)."""
        return queryset.at_work_in(int(value), getattr(self.request, "user", None))

    def filter_city(self, queryset, name, value):
        """Groups a city takes part in or leads, itself or through a track the group serves."""
        tracks = WorkTrack.objects.filter(Q(cities=value) | Q(lead_cities=value))
        return queryset.filter(
            Q(pk__in=WorkingGroup.cities.through.objects.filter(city=value).values("workinggroup_id")) | Q(lead_city=value)
            | Q(pk__in=WorkingGroup.tracks.through.objects.filter(worktrack__in=tracks).values("workinggroup_id"))
        )

    def filter_partner(self, queryset, name, value):
        return queryset.filter(pk__in=WorkingGroup.partners.through.objects.filter(organisation=value).values("workinggroup_id"))

    def filter_status(self, queryset, name, value):
        return _group_status(queryset).filter(_status=value)

    def facet_values(self, queryset):
        """Two queries: the groups and the years of their activities; the links and recorded years in a third."""
        links, this_year, values = relation_values(), _this_year(), FacetValues()
        recorded = defaultdict(set)  # group -> years with a GroupYear or an activity (not cancelled) this visitor may see
        for group, years in links["group_years"].items():
            recorded[group].update(map(int, years))
        meetings = Meeting.objects.visible_to(getattr(self.request, "user", None)).filter(group__isnull=False)
        for group, year in meetings.exclude(status=Meeting.Status.CANCELLED).values_list("group_id", "year").distinct():
            recorded[group].add(year)
        rows = list(queryset.order_by().values_list("pk", "programme__slug", "kind", "start_year", "end_year", "lead_city__slug"))
        starts = [start for _g, _p, _k, start, _e, _l in rows if start]
        candidates = set(range(min(starts), this_year + 1)) if starts else set()
        candidates |= {year for years in recorded.values() for year in years}
        for group, programme, kind, start_year, end_year, lead_city in rows:
            values.add("jaar", group, *WorkingGroupQuerySet.years_at_work(start_year, end_year, recorded[group], candidates))
            values.add("programma", group, programme)
            values.add("soort", group, kind)
            values.add("status", group, "ended" if end_year is not None and end_year < this_year else "active")
            values.add("stad", group, lead_city, *links["group_cities"][group])
            for track in map(int, links["group_tracks"][group]):
                values.add("stad", group, *links["track_cities"][track], *links["track_lead_cities"][track])
            values.add("partner", group, *links["group_partners"][group])
        return values


def _group_status(qs):
    return qs.annotate(_status=Case(When(end_year__lt=_this_year(), then=Value("ended")), default=Value("active")))


class MeetingFilter(FacetFilterSet):
    jaar = YearFilter(field_name="year", lookup_expr="exact")  # the years of the meetings this visitor may see
    programma = django_filters.ModelChoiceFilter(
        method="filter_programme", queryset=programme_choices, to_field_name="slug",
        label=_("Programma"), empty_label=_("Alle programma's"),
    )
    soort = django_filters.ModelChoiceFilter(
        field_name="kind", lookup_expr="exact", queryset=MeetingKind.objects.all(), to_field_name="slug",
        label=_("Soort"), empty_label=_("Alle soorten"),
    )
    status = django_filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=Meeting.Status.choices, label=_("Status"), empty_label=_("Alle"),
    )
    stad = city_filter(_("Stad (trekt, neemt deel of ontvangt)"))
    partner = partner_filter()

    class Meta:
        model = Meeting
        fields = []

    def filter_partner(self, queryset, name, value):
        return queryset.filter(Q(group__partners=value) | Q(track__partners=value)).distinct()

    def facet_values(self, queryset):
        """One query for the meetings (with their group's and track's programme and lead city); the links in a second."""
        links, values = relation_values(), FacetValues()
        rows = queryset.order_by().values_list(
            "pk", "year", "kind__slug", "status", "host_city__slug", "group_id", "group__programme__slug", "group__lead_city__slug",
            "track_id", "track__programme__slug",
        )
        for meeting, year, kind, status, host_city, group, group_programme, group_lead_city, track, track_programme in rows:
            values.add("jaar", meeting, year)
            values.add("soort", meeting, kind)
            values.add("status", meeting, status)
            values.add("programma", meeting, group_programme, track_programme)
            values.add("stad", meeting, host_city, group_lead_city, *links["group_cities"][group],
                       *links["track_cities"][track], *links["track_lead_cities"][track])
            values.add("partner", meeting, *links["group_partners"][group], *links["track_partners"][track])
        return values

    def filter_programme(self, queryset, name, value):
        return queryset.filter(Q(group__programme=value) | Q(track__programme=value))

    def filter_city(self, queryset, name, value):
        """Activities a city is part of: of a group or track it takes part in or leads, or hosted by it.

        Through the ids of those groups and tracks (small subqueries) rather than one join over
        every relation, which SQLite evaluates row by row.
        """
        tracks = WorkTrack.cities.through.objects.filter(city=value).values("worktrack_id").union(
            WorkTrack.lead_cities.through.objects.filter(city=value).values("worktrack_id"))
        groups = WorkingGroup.objects.filter(
            Q(pk__in=WorkingGroup.cities.through.objects.filter(city=value).values("workinggroup_id")) | Q(lead_city=value)
        ).values("pk")
        return queryset.filter(Q(host_city=value) | Q(group__in=groups) | Q(track__in=tracks))


class SearchFilter(VisibleYearsFilterSet):
    """The filters of the search page; the search itself (programmes.search.query) applies them per kind.

    Every option shows how many results choosing it would give: 'soort' from the sections' totals,
    year, programme and city from `Search.option_counts` (one query over all kinds, each option
    counted with the other filters kept). Not a FacetFilterSet: its results are several models, and
    counting them per option there would match the query again for every kind and path.
    """

    soort = django_filters.ChoiceFilter(choices=section_choices, label=_("Soort resultaat"), empty_label=_("Alle soorten"),
                                        method="no_filter")
    jaar = YearFilter(method="no_filter")  # the years of the texts and meetings in the search index (year_choices)
    programma = django_filters.ModelChoiceFilter(
        method="no_filter", queryset=programme_choices, to_field_name="slug", label=_("Programma"), empty_label=_("Alle programma's"),
    )
    stad = django_filters.ModelChoiceFilter(
        method="no_filter", queryset=City.objects.all(), to_field_name="slug",
        label=_("Stad (trekt, neemt deel of ontvangt)"), empty_label=_("Alle steden"),
    )
    FACETS = {"jaar": "year", "programma": "programme", "stad": "city"}

    class Meta:
        model = WorkTrackYear
        fields = []

    def no_filter(self, queryset, name, value):
        return queryset

    def year_choices(self, name, year_filter) -> list[int]:
        return indexed_years(getattr(self.request, "user", None))

    @property
    def choices(self) -> dict:
        """The valid choices ({} when the form has errors: the page then says so and searches unfiltered)."""
        if not self.form.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}

    @property
    def facet_choices(self) -> dict:
        """The chosen year, programme and city as `programmes.search.query` names them."""
        chosen = {self.FACETS[name]: value for name, value in self.choices.items() if name in self.FACETS}
        if "year" in chosen:
            chosen["year"] = int(chosen["year"])
        return chosen

    def add_section_counts(self, sections):
        self._count_choices(self.form.fields["soort"], {section.key: section.total for section in sections})

    def add_option_counts(self, counts: dict):
        """Year, programme and city options with their number of results ("Gent (4)", "(0)" when none);
        `counts` by year and by programme or city id (Search.option_counts)."""
        for name, facet in self.FACETS.items():
            found, form_field = counts.get(facet, {}), self.form.fields[name]
            if isinstance(form_field, forms.ModelChoiceField):
                form_field.label_from_instance = lambda obj, found=found: f"{obj} ({found.get(str(obj.pk), 0)})"
            else:
                self._count_choices(form_field, found)

    @staticmethod
    def _count_choices(form_field, counts):
        # The field puts its empty label ("Alle jaren") in front of whatever choices it is given.
        form_field.choices = [(value, f"{label} ({counts.get(str(value), 0)})") for value, label in form_field.choices if value]
