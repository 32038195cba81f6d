"""Reads shared by the public pages and the edition assembly.

Who may see what is never decided here: every query starts from `visible_to(user)`.
"""
import re
from collections import defaultdict
from functools import reduce
from operator import and_, or_

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Prefetch, Q

from .models import GroupYear, Link, Meeting, WorkTrackYear


def meeting_counts(*, group_ids, years) -> dict:
    """{(group_id, year): count} for the years a count can honestly be stated, in two queries.

    A count reported for a year (GroupYear.reported_meetings) is what the jaarverslag states and
    wins. Otherwise the held meetings (kind "vergadering") recorded for that year count, but only
    when an editor marked that year's meeting list as complete: a list that happens to hold two of
    twelve monthly meetings must not become "kwam 2 keer samen". Workshops, launches and other
    events are not the group coming together, so they never make up a count.
    """
    group_ids, years = list(group_ids), list(years)
    counts, complete = {}, set()
    for gy in GroupYear.objects.filter(group_id__in=group_ids, year__in=years):
        if gy.reported_meetings is not None:
            counts[(gy.group_id, gy.year)] = gy.reported_meetings
        elif gy.meetings_complete:
            complete.add((gy.group_id, gy.year))
            counts[(gy.group_id, gy.year)] = 0
    if complete:
        recorded = (
            Meeting.objects.filter(
                group_id__in={g for g, _y in complete}, year__in={y for _g, y in complete},
                status=Meeting.Status.HELD, kind=Meeting.Kind.MEETING,
            ).values("group_id", "year").annotate(n=Count("id"))
        )
        for row in recorded:
            key = (row["group_id"], row["year"])
            if key in complete:
                counts[key] = row["n"]
    return counts


def meeting_count_sentence(group, year, count) -> str:
    if count is None:
        return ""
    kind = group.get_kind_display()
    article = "Het" if group.kind in NEUTER_KINDS else "De"
    times = "1 keer" if count == 1 else f"{count} keer"
    return f"{article} {kind} kwam in {year} {times} samen."


# 'het lerend netwerk', 'het overleg'; every other kind of group is 'de'.
NEUTER_KINDS = {"learning_network", "consultation"}


def links_for(user):
    return Link.objects.visible_to(user).order_by("order", "id")


def track_years_for_track(track, *, user):
    """All years of one track, newest first, with what each year may show this user."""
    plan_ids = set(WorkTrackYear.objects.filter(track=track).part_visible_to(user, "plan").values_list("pk", flat=True))
    report_ids = set(WorkTrackYear.objects.filter(track=track).part_visible_to(user, "report").values_list("pk", flat=True))
    years = list(
        WorkTrackYear.objects.filter(pk__in=plan_ids | report_ids)
        .select_related("programme")
        .prefetch_related(Prefetch("links", queryset=links_for(user)))
        .order_by("-year")
    )
    for ty in years:
        ty.show_plan = ty.pk in plan_ids
        ty.show_report = ty.pk in report_ids
    return years


def group_years(group, *, user):
    """[(year, count, meetings)] newest first for a working group page."""
    by_year = defaultdict(list)
    for meeting in group.meetings.visible_to(user).select_related("host_city").order_by("sort_date"):
        by_year[meeting.year].append(meeting)
    years = set(by_year) | set(group.year_figures.values_list("year", flat=True))
    counts = meeting_counts(group_ids=[group.pk], years=years)
    return [(y, counts.get((group.pk, y)), by_year.get(y, [])) for y in sorted(years, reverse=True)]


def years_with_data(*querysets) -> list[int]:
    """The years that the given (already visibility-filtered) querysets have data for, newest first."""
    years = set()
    for qs in querysets:
        years.update(qs.order_by().values_list("year", flat=True).distinct())
    return sorted((y for y in years if y), reverse=True)


def matching_every_word(queryset, words, fields):
    """Items where every word starts a word somewhere in `fields` (case-insensitive, both databases).

    'ai' finds "Werkgroep AI" but not "Smart Portraits"; a word may match in the item or in what it
    belongs to (a field path through a relation), so several words narrow the result down.
    """
    if not words:
        return queryset.none()
    conditions = [
        reduce(or_, (Q(**{f"{field}__iregex": r"(^|\W)" + re.escape(word)}) for field in fields)) for word in words
    ]
    return queryset.filter(pk__in=queryset.filter(reduce(and_, conditions)).values("pk"))


def count_pairs(pair_querysets) -> dict[str, int]:
    """{option value: number of distinct items} over (item id `_fi`, value `_fk`) rows, in one query.

    The parts are joined with UNION ALL and counted in the database, so a facet costs one query
    whatever the number of items or of ways an item reaches an option (a city through the track or
    through a group).
    """
    parts = list(pair_querysets)
    if not parts:
        return {}
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    try:
        sql, params = union.query.sql_with_params()
    except EmptyResultSet:  # the other filters leave nothing
        return {}
    with connections[union.db].cursor() as cursor:
        cursor.execute(f"SELECT _fk, COUNT(DISTINCT _fi) FROM ({sql}) AS pairs WHERE _fk IS NOT NULL GROUP BY _fk", params)
        return {str(key): n for key, n in cursor.fetchall()}
