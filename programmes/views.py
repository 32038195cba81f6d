"""Public pages of the domain: programmes, work tracks, groups, cities, calendar, search."""
import datetime
import re

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from kenniscentrum import site

from . import linkeddata, selectors
from .filters import MeetingFilter, ProgrammeFilter, SearchFilter, WorkingGroupFilter, WorkTrackFilter
from .models import (
    City, GroupYear, Link, Meeting, Programme, ProgrammePeriod, WorkingGroup, WorkTrack, WorkTrackYear,
)
from .visibility import can_see_unpublished
from .search.query import Search, suggestions
from .search.text import query_words


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class VisibilityMixin:
    """The editorial team sees drafts and private items (marked); everyone else only what is public.

    Views never decide visibility themselves: they pass `self.user` to `visible_to()`.
    """

    @property
    def user(self):
        return self.request.user

    @property
    def show_all(self) -> bool:
        """Whether to mark unpublished material (preview banner, 'adres ontbreekt' tags)."""
        return can_see_unpublished(self.request.user)


class ProgrammeListView(VisibilityMixin, FilterView):
    model = Programme
    filterset_class = ProgrammeFilter
    template_name = "programmes/programme_list.html"

    def get_queryset(self):
        tracks = WorkTrack.objects.visible_to(self.user).filter(parent__isnull=True)
        return Programme.objects.prefetch_related("periods", Prefetch("tracks", queryset=tracks))


class ProgrammeDetailView(VisibilityMixin, DetailView):
    model = Programme

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["current_tracks"], ctx["earlier_tracks"] = selectors.programme_timeline(
            self.object, user=self.user, today=timezone.localdate()
        )
        # The introductions of the years with a text this visitor may read: next year's drafts stay out of sight.
        years = set(WorkTrackYear.objects.visible_to(self.user).filter(programme=self.object).values_list("year", flat=True))
        ctx["intros"] = [py for py in self.object.years.order_by("-year") if py.year in years and py.plan_intro]
        ctx["groups"] = WorkingGroup.objects.visible_to(self.user).filter(programme=self.object)
        ctx["periods"] = self.object.periods.all()
        return ctx


class FirstPagePaginator(Paginator):
    """A Paginator that reads the first page with one row more than it holds: when that row is not
    there, the list is whole and its length is the count, so no COUNT query is needed.

    The list pages (calendar, tracks, groups) mostly fit on one page; a first page that does not hold
    everything, or any later page, is counted as before.
    """

    def page(self, number):
        if number != 1 or "count" in self.__dict__:
            return super().page(number)
        rows = list(self.object_list[: self.per_page + self.orphans + 1])
        if len(rows) <= self.per_page + self.orphans:
            self.count = len(rows)  # fills the cached_property
        else:
            rows = rows[: self.per_page]
        self.validate_number(number)
        return self._get_page(rows, number, self)


class FacetCountsMixin:
    """List pages whose filter options show how many items each gives ("Gent (4)")."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"].add_counts()
        return ctx


class WorkTrackListView(VisibilityMixin, FacetCountsMixin, FilterView):
    model = WorkTrack
    filterset_class = WorkTrackFilter
    template_name = "programmes/worktrack_list.html"
    paginate_by = 25
    paginator_class = FirstPagePaginator

    def get_queryset(self):
        # Lists of cities rather than managers: a manager per track and relation was a fifth of the page.
        return WorkTrack.objects.visible_to(self.user).select_related("programme").prefetch_related(
            Prefetch("lead_cities", to_attr="lead_city_list"), Prefetch("cities", to_attr="city_list"),
        )


class WorkTrackDetailView(VisibilityMixin, DetailView):
    model = WorkTrack

    def get_queryset(self):
        return (
            WorkTrack.objects.visible_to(self.user)
            .select_related("programme", "parent").prefetch_related("lead_cities", "cities", "partners")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        track = self.object
        ctx["track_years"] = selectors.track_years_for_track(track, user=self.user)
        if self.show_all and not track.is_public:
            ctx["is_preview"] = True
        elif self.show_all and any(
            (ty.show_plan and not ty.plan_is_published) or (ty.show_report and not ty.report_is_published)
            for ty in ctx["track_years"]
        ):
            ctx["is_preview"] = True
            ctx["preview_note"] = "Teksten met het label ‘concept’ of ‘klaar voor nalezing’ ziet een bezoeker niet."
        ctx["children"] = track.children.visible_to(self.user)
        ctx["fundings"] = track.fundings.visible_to(self.user).select_related("organisation")
        ctx["groups"] = WorkingGroup.objects.visible_to(self.user).filter(tracks=track)
        ctx["meetings"] = track.meetings.visible_to(self.user).for_list().order_by("-sort_date")
        return ctx


class WorkingGroupListView(VisibilityMixin, FacetCountsMixin, FilterView):
    model = WorkingGroup
    filterset_class = WorkingGroupFilter
    template_name = "programmes/workinggroup_list.html"
    paginate_by = 50
    paginator_class = FirstPagePaginator

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.user).select_related("programme").prefetch_related(
            Prefetch("cities", to_attr="city_list")
        )


class WorkingGroupDetailView(VisibilityMixin, DetailView):
    model = WorkingGroup

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.user).with_related()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        group = self.object
        ctx["is_preview"] = self.show_all and not group.is_public
        ctx["years"] = [
            (year, count, figure, selectors.meeting_count_sentence(group, year, count), meetings)
            for year, count, figure, meetings in selectors.group_years(group, user=self.user)
        ]
        ctx["tracks"] = group.tracks.visible_to(self.user).select_related("programme")
        ctx["links"] = selectors.links_of_shown_owner(self.user).filter(group=group)  # the group is shown
        # A recorded meeting still to come, never a date worked out from the rhythm.
        ctx["next_meeting"] = (
            group.meetings.visible_to(self.user).upcoming(timezone.localdate()).for_list().order_by("sort_date", "title").first()
        )
        ctx["linked_data"] = linkeddata.events(
            [meeting for _year, _count, _figure, _sentence, meetings in ctx["years"] for meeting in meetings],
            site.origin(self.request), timezone.localdate(),
        )
        return ctx


class CityListView(VisibilityMixin, ListView):
    model = City

    def get_queryset(self):
        tracks = WorkTrack.objects.visible_to(self.user).values("pk")
        groups = WorkingGroup.objects.visible_to(self.user).values("pk")
        return City.objects.annotate(
            n_tracks=Count("tracks", filter=Q(tracks__in=tracks), distinct=True),
            n_led=Count("led_tracks", filter=Q(led_tracks__in=tracks), distinct=True),
            n_groups=Count("groups", filter=Q(groups__in=groups), distinct=True),
        )


class CityDetailView(VisibilityMixin, DetailView):
    model = City

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        city, today = self.object, timezone.localdate()
        periods = selectors.city_involvement(city, user=self.user, today=today)
        ctx["current"] = [p for p in periods if p.is_current]
        ctx["earlier"] = [p for p in periods if not p.is_current]
        ctx["upcoming"] = list(
            selectors.city_meetings(city, user=self.user, involvement=periods)
            .upcoming(today).for_list().order_by("sort_date", "title")
        )
        ctx["linked_data"] = linkeddata.events(ctx["upcoming"], site.origin(self.request), today)
        return ctx


class CityCompareView(VisibilityMixin, TemplateView):
    """/steden/vergelijken/: which city leads or takes part in which group and track."""

    template_name = "programmes/city_compare.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        period = ProgrammePeriod.objects.current(today.year)
        years = selectors.years_with_data(
            WorkTrackYear.objects.visible_to(self.user),
            GroupYear.objects.filter(group__in=WorkingGroup.objects.visible_to(self.user)),
        )
        chosen = self.request.GET.get("jaar", "")
        year = int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) == 4 and int(chosen) in years else None
        if chosen and year is None:
            ctx["year_error"] = "Voor dat jaar zijn er geen gegevens; je ziet de huidige periode."
        if year:
            first, last = year, year
        elif period:
            first, last = period.start_year, period.end_year
        else:
            first = last = today.year
        cities, groups, tracks, groups_empty, tracks_empty = selectors.city_matrix(user=self.user, first_year=first, last_year=last)
        ctx.update(
            year=year, years=years, period=period, group_rows=groups, track_rows=tracks,
            columns=[{"name": city.name, "url": city.get_absolute_url()} for city in cities],  # for both tables
            groups_empty=groups_empty, tracks_empty=tracks_empty,
            scope=str(year) if year else (f"de periode {period.start_year}–{period.end_year}" if period else str(today.year)),
        )
        return ctx


class CalendarView(VisibilityMixin, FacetCountsMixin, FilterView):
    model = Meeting
    filterset_class = MeetingFilter
    template_name = "programmes/calendar.html"
    paginate_by = 100
    paginator_class = FirstPagePaginator

    def get_queryset(self):
        return Meeting.objects.visible_to(self.user).for_list().order_by("-sort_date", "title")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        ctx["object_list"] = list(ctx["object_list"])  # read once: the list and its linked data
        ctx["linked_data"] = linkeddata.events(ctx["object_list"], site.origin(self.request), ctx["today"])
        return ctx


class SearchView(VisibilityMixin, TemplateView):
    """Search with filters: results grouped by kind, ranked, with a snippet (programmes.search)."""

    template_name = "programmes/search.html"
    per_section = 10

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # Control characters (a NUL byte is refused by PostgreSQL) are never part of a search.
        q = " ".join(CONTROL_CHARACTERS.sub(" ", self.request.GET.get("q", "")).split())[:100]
        filterset = SearchFilter(self.request.GET or None, queryset=WorkTrackYear.objects.none(), request=self.request)
        ctx.update(q=q, filter=filterset, hide_site_search=True,
                   filters_chosen=any(self.request.GET.get(name) for name in ("soort", "jaar", "programma", "stad")))
        if len(query_words(q)) == 0 or len(q) < 2:
            ctx["too_short"] = bool(q)
            return ctx
        chosen = filterset.choices.get("soort")
        query = Search(q=q, user=self.user, chosen=filterset.facet_choices, count_sections=[chosen] if chosen else None)
        sections = query.sections(limit=self.per_section)
        filterset.add_section_counts(sections)
        if filterset.form.is_valid():  # as on the list pages: no counts beside a form error
            filterset.add_option_counts(query.option_counts())
        ctx["sections"] = [s for s in sections if s.results and (not chosen or s.key == chosen)]
        ctx["total"] = sum(s.total for s in sections if not chosen or s.key == chosen)
        if not ctx["total"]:
            ctx["suggestion"] = suggestions(q=q, user=self.user)
        return ctx
