"""Public pages of the domain: programmes, work tracks, groups, cities, calendar, search."""
import datetime
import re

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from . import search, selectors
from .filters import MeetingFilter, ProgrammeFilter, SearchFilter, WorkingGroupFilter, WorkTrackFilter
from .models import City, EditorialStatus, Link, Meeting, Programme, WorkingGroup, WorkTrack, WorkTrackYear
from .visibility import can_see_unpublished


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
        # Only years with a text this visitor may read: next year's prepared drafts stay out of sight.
        years = (
            WorkTrackYear.objects.visible_to(self.user).filter(programme=self.object)
            .select_related("track")
            .order_by("-year", "track__title")
        )
        by_year = {}
        for ty in years:
            by_year.setdefault(ty.year, []).append(ty)
        intros = {py.year: py for py in self.object.years.all()}
        ctx["years"] = [(year, tys, intros.get(year)) for year, tys in sorted(by_year.items(), reverse=True)]
        ctx["groups"] = WorkingGroup.objects.visible_to(self.user).filter(programme=self.object)
        ctx["periods"] = self.object.periods.all()
        return ctx


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

    def get_queryset(self):
        return WorkTrack.objects.visible_to(self.user).select_related("programme").prefetch_related("lead_cities", "cities")


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
            (ty.show_plan and ty.plan_status != EditorialStatus.PUBLISHED)
            or (ty.show_report and ty.report_status != EditorialStatus.PUBLISHED)
            for ty in ctx["track_years"]
        ):
            ctx["is_preview"] = True
            ctx["preview_note"] = "Teksten met het label ‘concept’ of ‘klaar voor nalezing’ ziet een bezoeker niet."
        ctx["children"] = track.children.visible_to(self.user)
        ctx["groups"] = WorkingGroup.objects.visible_to(self.user).filter(tracks=track)
        ctx["meetings"] = track.meetings.visible_to(self.user).with_related().order_by("-sort_date")
        return ctx


class WorkingGroupListView(VisibilityMixin, FacetCountsMixin, FilterView):
    model = WorkingGroup
    filterset_class = WorkingGroupFilter
    template_name = "programmes/workinggroup_list.html"
    paginate_by = 50

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.user).select_related("programme").prefetch_related("cities")


class WorkingGroupDetailView(VisibilityMixin, DetailView):
    model = WorkingGroup

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.user).with_related()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        group = self.object
        ctx["is_preview"] = self.show_all and not group.is_public
        ctx["years"] = [
            (year, count, selectors.meeting_count_sentence(group, year, count), meetings)
            for year, count, meetings in selectors.group_years(group, user=self.user)
        ]
        ctx["tracks"] = group.tracks.visible_to(self.user).select_related("programme")
        ctx["links"] = selectors.links_for(self.user).filter(group=group)
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
        city = self.object
        tracks = WorkTrack.objects.visible_to(self.user).select_related("programme")
        ctx["led_tracks"] = tracks.filter(lead_cities=city)
        ctx["tracks"] = tracks.filter(cities=city).exclude(lead_cities=city)
        groups = WorkingGroup.objects.visible_to(self.user).select_related("programme")
        ctx["led_groups"] = groups.filter(lead_city=city)
        ctx["groups"] = groups.filter(cities=city).exclude(lead_city=city)
        ctx["meetings"] = Meeting.objects.visible_to(self.user).filter(host_city=city).with_related().order_by("-sort_date")
        return ctx


class CalendarView(VisibilityMixin, FacetCountsMixin, FilterView):
    model = Meeting
    filterset_class = MeetingFilter
    template_name = "programmes/calendar.html"
    paginate_by = 100

    def get_queryset(self):
        return Meeting.objects.visible_to(self.user).with_related().order_by("-sort_date", "title")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
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
        ctx.update(q=q, filter=filterset, hide_site_search=True)
        if len(search.query_words(q)) == 0 or len(q) < 2:
            ctx["too_short"] = bool(q)
            return ctx
        sections = search.search(q=q, user=self.user, limit=self.per_section, narrow=filterset.narrow)
        filterset.add_section_counts(sections)
        chosen = filterset.choices.get("soort")
        ctx["sections"] = [s for s in sections if s.results and (not chosen or s.key == chosen)]
        ctx["total"] = sum(s.total for s in sections if not chosen or s.key == chosen)
        if not ctx["total"]:
            ctx["suggestion"] = search.suggestions(q=q, user=self.user)
        return ctx
