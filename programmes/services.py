"""Read-side helpers shared by the public pages and the edition assembly."""
from collections import defaultdict

from django.db.models import Count, Prefetch

from .models import EditorialStatus, GroupYear, Link, Meeting, WorkingGroup, WorkTrackYear


def can_see_unpublished(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def meeting_counts(*, group_ids, years) -> dict:
    """{(group_id, year): count} in two queries.

    A count reported for a year (GroupYear) is what the jaarverslag states and wins; otherwise the
    number of held meetings (kind "vergadering") recorded for that year is used. Workshops, launches
    and other events are not the group coming together, so they do not make up a count.
    """
    group_ids, years = list(group_ids), list(years)
    counts = {}
    recorded = (
        Meeting.objects.filter(group_id__in=group_ids, year__in=years, status=Meeting.Status.HELD, kind=Meeting.Kind.MEETING)
        .values("group_id", "year").annotate(n=Count("id"))
    )
    for row in recorded:
        counts[(row["group_id"], row["year"])] = row["n"]
    for gy in GroupYear.objects.filter(group_id__in=group_ids, year__in=years):
        counts[(gy.group_id, gy.year)] = gy.reported_meetings
    return counts


def meeting_count_sentence(group, year, count) -> str:
    if count is None:
        return ""
    kind = group.get_kind_display()
    times = "1 keer" if count == 1 else f"{count} keer"
    return f"De {kind} kwam in {year} {times} samen."


def visible_links(show_all: bool):
    qs = Link.objects.all() if show_all else Link.objects.public()
    return qs.order_by("order", "id")


def track_years_for_track(track, *, show_all: bool):
    """All years of one track, newest first, with what each year may show."""
    qs = (
        WorkTrackYear.objects.filter(track=track)
        .select_related("programme")
        .prefetch_related(Prefetch("links", queryset=visible_links(show_all)))
        .order_by("-year")
    )
    years = list(qs)
    for ty in years:
        ty.show_plan = bool(ty.plan_text) and (show_all or ty.plan_status == EditorialStatus.PUBLISHED)
        ty.show_report = bool(ty.report_text) and (show_all or ty.report_status == EditorialStatus.PUBLISHED)
    return [ty for ty in years if ty.show_plan or ty.show_report]


def group_years(group, *, show_all: bool):
    """[(year, count, meetings)] newest first for a working group page."""
    meetings_qs = group.meetings.all() if show_all else group.meetings.public()
    by_year = defaultdict(list)
    for meeting in meetings_qs.select_related("host_city").order_by("sort_date"):
        by_year[meeting.year].append(meeting)
    years = set(by_year) | set(group.year_figures.values_list("year", flat=True))
    counts = meeting_counts(group_ids=[group.pk], years=years)
    return [(y, counts.get((group.pk, y)), by_year.get(y, [])) for y in sorted(years, reverse=True)]


def public_groups(show_all: bool):
    return WorkingGroup.objects.all() if show_all else WorkingGroup.objects.public()
