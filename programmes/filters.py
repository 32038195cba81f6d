"""FilterSets for the public list pages; every filter lives in the URL's query string."""
import datetime

import django_filters
from django import forms
from django.db.models import Case, F, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import City, GroupYear, Meeting, Organisation, Programme, ProgrammePeriod, WorkingGroup, WorkTrack, WorkTrackYear
from . import search
from .selectors import count_pairs, years_with_data


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


class PlainSelect(forms.Select):
    """A select written out directly: Django renders a template per option, which made the filter
    form the costliest part of the calendar and the lists (six selects, up to 60 options each)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        attributes = "".join(
            f' {key}="{escape(val)}"' if val is not True else f" {key}"
            for key, val in widget["attrs"].items() if val is not False and val is not None
        )
        options = []
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                options.append(f'<optgroup label="{escape(group_name)}">')
            options.extend(
                f'<option value="{escape(option["value"])}"{" selected" if option["selected"] else ""}>'
                f'{escape(option["label"])}</option>'
                for option in group_choices
            )
            if group_name:
                options.append("</optgroup>")
        return mark_safe(f'<select name="{escape(widget["name"])}"{attributes}>{"".join(options)}</select>')


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
        user = getattr(request, "user", None)
        for f in self.filters.values():
            if isinstance(f, YearFilter):
                years = years_with_data(*f.year_sources(user))
                f.extra["choices"] = [(str(year), str(year)) for year in years]


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
    option shows what choosing it would give. `facet_pairs(name, qs)` returns (item id, option
    value) pairs for `qs`; each facet costs one aggregate query (selectors.count_pairs).
    """

    def facet_pairs(self, name, queryset):
        raise NotImplementedError

    def add_counts(self):
        """Put the counts in the option labels (no filter chosen: over all items); nothing when the form has errors.

        Each chosen filter is applied once, to a set of ids; a facet's items are then the base items in
        every other chosen filter's set, so the filters' subqueries are built once, not once per facet.
        """
        if self.is_bound and not self.form.is_valid():
            return
        data = self.form.cleaned_data if self.is_bound else {}
        chosen = {name: value for name, value in data.items() if value not in (None, "", [])}
        matched = {
            name: set(self.filters[name].filter(self.queryset.all(), value).values_list("pk", flat=True))
            for name, value in chosen.items()
        }
        for name, form_field in self.form.fields.items():
            others = [ids for other, ids in matched.items() if other != name]
            items = self.queryset.filter(pk__in=set.intersection(*others)) if others else self.queryset.all()
            pairs = self.facet_pairs(name, items)
            if pairs is None:
                continue
            counts = count_pairs(pairs)
            if isinstance(form_field, forms.ModelChoiceField):
                key = self.filters[name].extra.get("to_field_name") or "pk"
                form_field.label_from_instance = lambda obj, key=key, counts=counts: f"{obj} ({counts.get(str(getattr(obj, key)), 0)})"
            else:
                form_field.choices = [
                    (value, f"{label} ({counts.get(str(value), 0)})" if value not in ("", None) else label)
                    for value, label in form_field.choices
                ]


def pairs(queryset, item, value):
    """(item id, option value) rows of `queryset` for selectors.count_pairs."""
    return queryset.order_by().annotate(_fi=F(item), _fk=F(value)).values_list("_fi", "_fk")


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

    jaar = YearFilter(
        method="filter_year", years=lambda user: [WorkTrackYear.objects.visible_to(user)],
    )
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

    def facet_pairs(self, name, qs):
        ids = qs.values("pk")
        if name == "jaar":
            return [pairs(WorkTrackYear.objects.visible_to(self._user()).filter(track__in=ids), "track_id", "year")]
        if name == "programma":
            return [pairs(qs, "pk", "programme__slug")]
        if name == "soort":
            return [pairs(qs, "pk", "kind")]
        if name == "stad":
            groups = WorkingGroup.objects.visible_to(self._user())
            through = WorkingGroup.tracks.through.objects.filter(worktrack__in=ids, workinggroup__in=groups)
            return [
                pairs(WorkTrack.cities.through.objects.filter(worktrack__in=ids), "worktrack_id", "city__slug"),
                pairs(WorkTrack.lead_cities.through.objects.filter(worktrack__in=ids), "worktrack_id", "city__slug"),
                pairs(through, "worktrack_id", "workinggroup__cities__slug"),
                pairs(through, "worktrack_id", "workinggroup__lead_city__slug"),
            ]
        if name == "partner":
            return [pairs(WorkTrack.partners.through.objects.filter(worktrack__in=ids), "worktrack_id", "organisation__slug")]
        if name == "status":
            return [pairs(_track_status(qs), "pk", "_status")]
        return None


class WorkingGroupFilter(FacetFilterSet):
    jaar = YearFilter(
        method="filter_year",
        years=lambda user: [
            Meeting.objects.visible_to(user).filter(group__isnull=False),
            GroupYear.objects.filter(group__in=WorkingGroup.objects.visible_to(user)),
        ],
    )
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
        """Groups active in a year: meetings this visitor may see, or a reported count, in that year."""
        meetings = Meeting.objects.visible_to(getattr(self.request, "user", None)).filter(year=value)
        return queryset.filter(Q(pk__in=meetings.values("group_id")) | Q(pk__in=GroupYear.objects.filter(year=value).values("group_id")))

    def _years(self, groups):
        """(group id, year) of the meetings this visitor may see and of the reported figures."""
        meetings = Meeting.objects.visible_to(getattr(self.request, "user", None)).filter(group__in=groups)
        figures = GroupYear.objects.filter(group__in=groups)
        return [pairs(meetings, "group_id", "year"), pairs(figures, "group_id", "year")]

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

    def facet_pairs(self, name, qs):
        ids = qs.values("pk")
        if name == "jaar":
            return self._years(ids)
        if name == "programma":
            return [pairs(qs, "pk", "programme__slug")]
        if name == "soort":
            return [pairs(qs, "pk", "kind")]
        if name == "stad":
            return [pairs(qs, "pk", "cities__slug"), pairs(qs, "pk", "lead_city__slug"),
                    pairs(qs, "pk", "tracks__cities__slug"), pairs(qs, "pk", "tracks__lead_cities__slug")]
        if name == "partner":
            return [pairs(qs, "pk", "partners__slug")]
        if name == "status":
            return [pairs(_group_status(qs), "pk", "_status")]
        return None


def _group_status(qs):
    return qs.annotate(_status=Case(When(end_year__lt=_this_year(), then=Value("ended")), default=Value("active")))


class MeetingFilter(FacetFilterSet):
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
    stad = city_filter(_("Stad (trekt, neemt deel of ontvangt)"))
    partner = partner_filter()

    class Meta:
        model = Meeting
        fields = []

    def filter_partner(self, queryset, name, value):
        return queryset.filter(Q(group__partners=value) | Q(track__partners=value)).distinct()

    # One aggregate query per facet, over the meetings the other filters leave.
    FACET_PATHS = {
        "jaar": ["year"], "soort": ["kind"], "status": ["status"],
        "programma": ["group__programme__slug", "track__programme__slug"],
        "stad": ["host_city__slug", "group__cities__slug", "group__lead_city__slug", "track__cities__slug", "track__lead_cities__slug"],
        "partner": ["group__partners__slug", "track__partners__slug"],
    }

    def facet_pairs(self, name, qs):
        paths = self.FACET_PATHS.get(name)
        return [pairs(qs, "pk", path) for path in paths] if paths else None

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


SEARCH_SECTIONS = [(key, label) for key, label, _kinds in search.SECTIONS]


class SearchFilter(VisibleYearsFilterSet):
    """The filters of the search page; the search itself (programmes.search) applies them per kind.

    Every option shows how many results choosing it would give: 'soort' from the sections' totals,
    year, programme and city from `Search.option_counts` (one query over all kinds, each option
    counted with the other filters kept). Not a FacetFilterSet: its results are several models, and
    counting them per option there would match the query again for every kind and path.
    """

    soort = django_filters.ChoiceFilter(choices=SEARCH_SECTIONS, label=_("Soort resultaat"), empty_label=_("Alle soorten"),
                                        method="no_filter")
    jaar = YearFilter(method="no_filter", years=lambda user: [WorkTrackYear.objects.visible_to(user), Meeting.objects.visible_to(user)])
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

    @property
    def choices(self) -> dict:
        """The valid choices ({} when the form has errors: the page then says so and searches unfiltered)."""
        if not self.form.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}

    @property
    def facet_choices(self) -> dict:
        """The chosen year, programme and city as `programmes.search` names them."""
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
