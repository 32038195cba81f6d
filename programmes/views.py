"""Public pages of the domain: programmes, work tracks, groups, cities, calendar, search."""
import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from . import services
from .filters import MeetingFilter, ProgrammeFilter, WorkingGroupFilter
from .models import City, EditorialStatus, Link, Meeting, Programme, WorkingGroup, WorkTrack, WorkTrackYear


class VisibilityMixin:
    """Staff see drafts and private items; everyone else only what is public."""

    @property
    def show_all(self) -> bool:
        return services.can_see_unpublished(self.request.user)


class ProgrammeListView(VisibilityMixin, FilterView):
    model = Programme
    filterset_class = ProgrammeFilter
    template_name = "programmes/programme_list.html"

    def get_queryset(self):
        tracks = WorkTrack.objects.all() if self.show_all else WorkTrack.objects.public()
        return Programme.objects.prefetch_related("periods", Prefetch("tracks", queryset=tracks.filter(parent__isnull=True)))


class ProgrammeDetailView(VisibilityMixin, DetailView):
    model = Programme

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        years = (
            WorkTrackYear.objects.filter(programme=self.object)
            .select_related("track")
            .order_by("-year", "sort_key", "order")
        )
        if not self.show_all:
            # Only years with a published text: next year's prepared drafts stay out of sight.
            years = years.filter(track__is_public=True).filter(
                (Q(plan_status=EditorialStatus.PUBLISHED) & ~Q(plan_text=""))
                | (Q(report_status=EditorialStatus.PUBLISHED) & ~Q(report_text=""))
            )
        by_year = {}
        for ty in years:
            by_year.setdefault(ty.year, []).append(ty)
        intros = {py.year: py for py in self.object.years.all()}
        ctx["years"] = [(year, tys, intros.get(year)) for year, tys in sorted(by_year.items(), reverse=True)]
        ctx["groups"] = services.public_groups(self.show_all).filter(programme=self.object)
        ctx["periods"] = self.object.periods.all()
        return ctx


class WorkTrackDetailView(VisibilityMixin, DetailView):
    model = WorkTrack

    def get_queryset(self):
        qs = WorkTrack.objects.select_related("programme", "parent").prefetch_related("lead_cities", "cities", "partners")
        return qs if self.show_all else qs.public()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        track = self.object
        ctx["track_years"] = services.track_years_for_track(track, show_all=self.show_all)
        if self.show_all and not track.is_public:
            ctx["is_preview"] = True
        elif self.show_all and any(
            (ty.show_plan and ty.plan_status != EditorialStatus.PUBLISHED)
            or (ty.show_report and ty.report_status != EditorialStatus.PUBLISHED)
            for ty in ctx["track_years"]
        ):
            ctx["is_preview"] = True
            ctx["preview_note"] = "Teksten met het label ‘concept’ of ‘klaar voor nalezing’ ziet een bezoeker niet."
        children = track.children.all() if self.show_all else track.children.public()
        ctx["children"] = children
        ctx["groups"] = services.public_groups(self.show_all).filter(tracks=track)
        meetings = track.meetings.all() if self.show_all else track.meetings.public()
        ctx["meetings"] = meetings.with_related().order_by("-sort_date")
        return ctx


class WorkingGroupListView(VisibilityMixin, FilterView):
    model = WorkingGroup
    filterset_class = WorkingGroupFilter
    template_name = "programmes/workinggroup_list.html"

    def get_queryset(self):
        return services.public_groups(self.show_all).select_related("programme").prefetch_related("cities")


class WorkingGroupDetailView(VisibilityMixin, DetailView):
    model = WorkingGroup

    def get_queryset(self):
        return services.public_groups(self.show_all).with_related()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        group = self.object
        ctx["is_preview"] = self.show_all and not group.is_public
        ctx["years"] = [
            (year, count, services.meeting_count_sentence(group, year, count), meetings)
            for year, count, meetings in services.group_years(group, show_all=self.show_all)
        ]
        tracks = group.tracks.all() if self.show_all else group.tracks.public()
        ctx["tracks"] = tracks.select_related("programme")
        ctx["links"] = services.visible_links(self.show_all).filter(group=group)
        return ctx


class CityListView(ListView):
    model = City

    def get_queryset(self):
        return City.objects.annotate(
            n_tracks=Count("tracks", filter=Q(tracks__is_public=True), distinct=True),
            n_led=Count("led_tracks", filter=Q(led_tracks__is_public=True), distinct=True),
            n_groups=Count("groups", filter=Q(groups__is_public=True), distinct=True),
        )


class CityDetailView(VisibilityMixin, DetailView):
    model = City

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        city = self.object
        tracks = WorkTrack.objects.all() if self.show_all else WorkTrack.objects.public()
        tracks = tracks.select_related("programme")
        ctx["led_tracks"] = tracks.filter(lead_cities=city)
        ctx["tracks"] = tracks.filter(cities=city).exclude(lead_cities=city)
        groups = services.public_groups(self.show_all).select_related("programme")
        ctx["led_groups"] = groups.filter(lead_city=city)
        ctx["groups"] = groups.filter(cities=city).exclude(lead_city=city)
        meetings = Meeting.objects.all() if self.show_all else Meeting.objects.public()
        ctx["meetings"] = meetings.filter(host_city=city).with_related().order_by("-sort_date")
        return ctx


class CalendarView(VisibilityMixin, FilterView):
    model = Meeting
    filterset_class = MeetingFilter
    template_name = "programmes/calendar.html"
    paginate_by = 100

    def get_queryset(self):
        qs = Meeting.objects.all() if self.show_all else Meeting.objects.public()
        return qs.with_related().order_by("-sort_date", "title")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        return ctx


class SearchView(VisibilityMixin, TemplateView):
    template_name = "programmes/search.html"
    max_results = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = " ".join(self.request.GET.get("q", "").split())[:100]
        ctx["q"] = q
        if len(q) < 2:
            ctx["too_short"] = bool(q)
            return ctx
        tracks = WorkTrack.objects.all() if self.show_all else WorkTrack.objects.public()
        ctx["tracks"] = tracks.filter(Q(title__icontains=q) | Q(summary__icontains=q)).select_related("programme")[: self.max_results]
        years = WorkTrackYear.objects.select_related("track")
        if not self.show_all:
            years = years.filter(track__is_public=True).filter(
                Q(plan_status="published", plan_text__icontains=q) | Q(report_status="published", report_text__icontains=q)
            )
        else:
            years = years.filter(Q(plan_text__icontains=q) | Q(report_text__icontains=q))
        ctx["track_years"] = years.order_by("-year")[: self.max_results]
        ctx["groups"] = services.public_groups(self.show_all).filter(Q(name__icontains=q) | Q(purpose__icontains=q))[: self.max_results]
        meetings = Meeting.objects.all() if self.show_all else Meeting.objects.public()
        ctx["meetings"] = meetings.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(place__icontains=q)).with_related()[: self.max_results]
        links = Link.objects.all() if self.show_all else Link.objects.public()
        ctx["links"] = links.filter(title__icontains=q).select_related("track_year__track", "group", "meeting", "programme")[: self.max_results]
        ctx["total"] = sum(len(ctx[k]) for k in ("tracks", "track_years", "groups", "meetings", "links"))
        return ctx
