"""Reads shared by the public pages and the edition assembly.

Who may see what is never decided here: every query starts from `visible_to(user)`.
"""
import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import reduce
from operator import and_, attrgetter, or_

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Prefetch, Q

from .models import City, GroupYear, Link, Meeting, ProgrammePeriod, Result, WorkingGroup, WorkTrack, WorkTrackYear


def meeting_counts(*, group_ids, years) -> dict:
    """{(group_id, year): count} for the years a count can honestly be stated, in two queries.

    A count reported for a year (GroupYear.reported_meetings) is what the jaarverslag states and
    wins. Otherwise the held meetings of a kind that counts as the group coming together
    (MeetingKind.is_group_meeting: "vergadering") recorded for that year count, but only
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
                status=Meeting.Status.HELD, kind__is_group_meeting=True,
            ).values("group_id", "year").annotate(n=Count("id"))
        )
        for row in recorded:
            key = (row["group_id"], row["year"])
            if key in complete:
                counts[key] = row["n"]
    return counts


def _similar_titles(a: str, b: str) -> bool:
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= 0.75


def meeting_lookalike(meeting: Meeting):
    """An activity already recorded that `meeting` (not saved yet, or being edited) may duplicate, or None.

    Of the same group or track in the same year: one on the same day, or one with a similar title whose
    date may be the same one, as far as either date is known ('eind 2027' and '9 december 2027').
    """
    owners = Q(pk__in=[])
    if meeting.group_id:
        owners |= Q(group_id=meeting.group_id)
    if meeting.track_id:
        owners |= Q(track_id=meeting.track_id)
    candidates = Meeting.objects.filter(owners, year=meeting.year).exclude(pk=meeting.pk).order_by("sort_date", "pk")
    try:
        start, end = meeting.span
    except (TypeError, ValueError):
        return None
    for other in candidates:
        if meeting.day and (other.month, other.day) == (meeting.month, meeting.day):
            return other
        other_start, other_end = other.span
        if start < other_end and other_start < end and _similar_titles(meeting.title, other.title):
            return other
    return None


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


def links_of_shown_owner(user):
    """The links of an owner this user already sees (the track-years of a track page, the group of a
    group page): only the link's own public flag is left to check, not its owner's state again,
    which Link.public() does with three subqueries."""
    return Link.objects.shown_with_owner(user).order_by("order", "id")


def readable_years(queryset, *, user):
    """The track-years of `queryset` with a plan or report text this user may read, each marked
    `show_plan` and `show_report`."""
    plan = WorkTrackYear.objects.part_visible_q(user, "plan")
    report = WorkTrackYear.objects.part_visible_q(user, "report")
    return queryset.filter(plan | report).annotate(
        show_plan=ExpressionWrapper(plan, output_field=BooleanField()),
        show_report=ExpressionWrapper(report, output_field=BooleanField()),
    )


def track_years_for_track(track, *, user):
    """All years of one track, newest first, with what each year may show this user (texts, links, results)."""
    return list(
        readable_years(WorkTrackYear.objects.filter(track=track), user=user)
        .select_related("programme")
        .prefetch_related(
            Prefetch("links", queryset=links_of_shown_owner(user)),  # the years are shown
            Prefetch("results", queryset=Result.objects.with_parts(user)),
        )
        .order_by("-year")
    )


def group_years(group, *, user):
    """[(year, count, figure, meetings)] newest first for a working group page.

    `figure` is the year's GroupYear (stated frequency, note) or None.
    """
    by_year = defaultdict(list)
    for meeting in group.meetings.visible_to(user).for_list().order_by("sort_date"):
        by_year[meeting.year].append(meeting)
    figures = {gy.year: gy for gy in group.year_figures.all()}
    years = set(by_year) | set(figures)
    counts = meeting_counts(group_ids=[group.pk], years=years)
    return [
        (y, counts.get((group.pk, y)), figures.get(y), sorted(by_year.get(y, []), key=attrgetter("chronology")))
        for y in sorted(years, reverse=True)
    ]


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


def year_ranges(years) -> str:
    """'2017, 2020–2022': sorted years with runs of consecutive years shortened to a range."""
    runs = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _active_years(item, known_years, this_year: int) -> set[int]:
    """The years a group (or a track without texts) was active: its start year up to its end year or
    this year, plus any year with a figure or a meeting. Without a start year only the known years."""
    years = set(known_years)
    if item.start_year:
        years.update(range(item.start_year, (item.end_year or max(this_year, item.start_year)) + 1))
    return years


@dataclass
class Involvement:
    """One track or group a city leads or takes part in, within one period."""

    item: object
    is_track: bool
    leads: bool
    years: list

    @property
    def years_display(self) -> str:
        return year_ranges(self.years)


@dataclass
class PeriodInvolvement:
    period: object  # a ProgrammePeriod, or None for years outside every period (or none known)
    is_current: bool
    programmes: list = field(default_factory=list)  # [(programme or None, [Involvement])]


def city_involvement(city, *, user, today: datetime.date) -> list[PeriodInvolvement]:
    """What a city leads and takes part in, by programme period (the current one first) and programme.

    Cities are linked to a track or group as a whole, not per year; the years shown are the years the
    track had a text this visitor may read (or, without any, its start to end year) and the years the
    group was active. A track sits under the programme of its latest text within each period (tracks
    move). Six queries whatever the number of tracks, groups or years.
    """
    links = relation_values()

    def linked(relation):
        return {item for item, slugs in links[relation].items() if city.slug in slugs}

    led_tracks = linked("track_lead_cities")
    tracks = list(WorkTrack.objects.visible_to(user).filter(pk__in=led_tracks | linked("track_cities")).select_related("programme"))
    track_years = defaultdict(dict)  # track id -> {year: programme}
    texts = WorkTrackYear.objects.visible_to(user).filter(track__in=[t.pk for t in tracks])
    for ty in texts.select_related("programme").only("track", "year", "programme").order_by():  # not the texts themselves
        track_years[ty.track_id][ty.year] = ty.programme
    groups = list(
        WorkingGroup.objects.visible_to(user).filter(Q(lead_city=city) | Q(pk__in=linked("group_cities"))).select_related("programme")
    )
    group_known = defaultdict(set)
    for group in groups:
        group_known[group.pk].update(map(int, links["group_years"][group.pk]))
    meetings = Meeting.objects.visible_to(user).filter(group__in=[g.pk for g in groups])
    meeting_years = meetings.values_list("group_id", "year").order_by().distinct()
    for group_id, year in meeting_years:
        group_known[group_id].add(year)
    periods = list(ProgrammePeriod.objects.all())
    now = ProgrammePeriod.current_among(periods, today.year)

    def period_of(year):
        return next((p for p in periods if p.start_year <= year <= p.end_year), None)

    blocks = defaultdict(lambda: defaultdict(list))  # period -> programme -> [Involvement]
    for track in tracks:
        by_year = track_years[track.pk] or {y: track.programme for y in _active_years(track, (), today.year)}
        by_period = defaultdict(list)
        for year in by_year:
            by_period[period_of(year)].append(year)
        for period, years in (by_period or {None: []}).items():
            programme = by_year[max(years)] if years else track.programme
            blocks[period][programme].append(Involvement(track, True, track.pk in led_tracks, sorted(years)))
    for group in groups:
        by_period = defaultdict(list)
        for year in _active_years(group, group_known[group.pk], today.year):
            by_period[period_of(year)].append(year)
        for period, years in (by_period or {None: []}).items():
            blocks[period][group.programme].append(Involvement(group, False, group.lead_city_id == city.pk, sorted(years)))

    def period_order(period):
        if period is None:
            return (2, 0)
        return (0 if period == now else 1, -period.start_year)

    result = []
    for period in sorted(blocks, key=period_order):
        programmes = sorted(blocks[period].items(), key=lambda kv: (kv[0] is None, kv[0].order if kv[0] else 0, str(kv[0])))
        result.append(PeriodInvolvement(period, period is not None and period == now, [
            (programme, sorted(items, key=lambda i: (not i.leads, not i.is_track, str(i.item).lower())))
            for programme, items in programmes
        ]))
    return result


def city_meetings(city, *, user, involvement: list[PeriodInvolvement] | None = None):
    """Meetings of the tracks and groups a city leads or takes part in, and those it hosts.

    One rule for the city page and its calendar feed. The city page passes the `city_involvement()`
    it has already read: the same tracks and groups, as ids, rather than two subqueries built again.
    """
    if involvement is None:
        tracks = WorkTrack.objects.visible_to(user).filter(Q(lead_cities=city) | Q(cities=city)).values("pk")
        groups = WorkingGroup.objects.visible_to(user).filter(Q(lead_city=city) | Q(cities=city)).values("pk")
    else:
        items = [item for block in involvement for _programme, items in block.programmes for item in items]
        tracks = {item.item.pk for item in items if item.is_track}
        groups = {item.item.pk for item in items if not item.is_track}
    return Meeting.objects.visible_to(user).filter(Q(group__in=groups) | Q(track__in=tracks) | Q(host_city=city))


@dataclass(frozen=True)
class Role:
    """How a city is part of a group or track in the city comparison."""

    leads: bool


LEADS, TAKES_PART = Role(leads=True), Role(leads=False)


@dataclass
class MatrixRow:
    item: object
    cells: list  # per city: LEADS, TAKES_PART or None


def city_matrix(*, user, first_year: int, last_year: int):
    """(cities, group rows, track rows, groups without cities, tracks without cities) for the years given.

    Groups that were active in those years and tracks with a text this visitor may read in them; a
    row only when at least one city is recorded (cities are linked as a whole, not per year).
    Four queries: the cities, the groups, the tracks and the links between them.
    """
    cities = list(City.objects.all())
    groups = (
        WorkingGroup.objects.visible_to(user)
        .active_between(first_year, last_year)
        .select_related("programme")
        .order_by("programme__order", "name")
    )
    texts = WorkTrackYear.objects.visible_to(user).filter(year__gte=first_year, year__lte=last_year).values("track")
    tracks = WorkTrack.objects.visible_to(user).filter(pk__in=texts).select_related("programme").order_by("programme__order", "title")
    links = relation_values()
    slugs = {city.pk: city.slug for city in cities}

    def rows(items, leaders, members):
        found, empty = [], 0
        for item in items:
            lead, part = leaders(item), set(members[item.pk])
            cells = [LEADS if c.slug in lead else TAKES_PART if c.slug in part else None for c in cities]
            if any(cells):
                found.append(MatrixRow(item, cells))
            else:
                empty += 1
        return found, empty

    group_rows, groups_empty = rows(groups, lambda g: {slugs.get(g.lead_city_id)}, links["group_cities"])
    track_rows, tracks_empty = rows(tracks, lambda t: set(links["track_lead_cities"][t.pk]), links["track_cities"])
    return cities, group_rows, track_rows, groups_empty, tracks_empty


def programme_label(programme) -> str:
    return programme.short_name or programme.name


@dataclass
class TimelineTrack:
    """One track on a programme's timeline: its start, its years, its end or move, its sub-tracks."""

    track: object
    years: list  # WorkTrackYear, oldest first, with show_plan / show_report / elsewhere set
    start: str
    end: str
    is_current: bool
    children: list = field(default_factory=list)


def programme_timeline(programme, *, user, today: datetime.date) -> tuple[list, list]:
    """(current, earlier) tracks of a programme for its timeline, each with its sub-tracks nested.

    A track belongs here when it is in the programme now or had a year under it. It is current when
    it has not ended, is under this programme in its latest year and that year falls in the current
    programme period; the others (ended, moved, last mentioned earlier) come after, among sub-tracks too.
    Three queries.
    """
    tracks = {
        t.pk: t for t in WorkTrack.objects.visible_to(user)
        .filter(Q(programme=programme) | Q(years__programme=programme)).distinct().select_related("programme")
    }
    years = defaultdict(list)
    texts = readable_years(WorkTrackYear.objects.filter(track__in=list(tracks)), user=user)
    for ty in texts.select_related("programme").order_by("year"):
        ty.elsewhere = ty.programme if ty.programme_id != programme.pk else None
        years[ty.track_id].append(ty)
    period = ProgrammePeriod.objects.current(today.year)
    period_start = period.start_year if period else today.year

    entries = {}
    for track in tracks.values():
        tys = years[track.pk]
        here = [ty for ty in tys if not ty.elsewhere]
        first, last = (tys[0], tys[-1]) if tys else (None, None)
        if track.start_year:
            start = f"Gestart in {track.start_year}"
        else:
            start = f"Eerst vermeld in {first.year}" if first else "Startjaar niet vermeld"
        if first and first.elsewhere:
            start += f", onder {programme_label(first.elsewhere)}"
        moved = last is not None and last.elsewhere is not None and here and last.year > here[-1].year
        if track.end_year:
            end = f"Afgerond in {track.end_year}"
        elif moved:
            end = f"Verhuisd naar {programme_label(last.elsewhere)} in {next(ty.year for ty in tys if ty.year > here[-1].year)}"
        elif last and last.year < period_start:
            end = f"Laatst vermeld in {last.year}"
        else:
            end = "Loopt nog"
        in_programme = (last.programme_id if last else track.programme_id) == programme.pk
        is_current = not track.end_year and not moved and in_programme and (last is None or last.year >= period_start)
        entries[track.pk] = TimelineTrack(track, tys, start, end, is_current)
    roots = []
    for entry in sorted(entries.values(), key=lambda e: (not e.is_current, e.track.title.lower(), e.track.pk)):
        parent = entries.get(entry.track.parent_id)
        (parent.children if parent else roots).append(entry)
    return [e for e in roots if e.is_current], [e for e in roots if not e.is_current]


def _tagged_union(pair_querysets: dict) -> tuple[str, list, list]:
    """(sql, params, facet of each part): one UNION ALL of (part index, `_fi`, `_fk` as text) rows.

    Values are cast to text, as option values are, which also lets years and slugs share a column.
    A part the database need not ask (an empty `pk__in`) is left out.
    """
    selects, params, facets = [], [], []
    for name, parts in pair_querysets.items():
        for part in parts:
            try:
                sql, part_params = part.query.sql_with_params()
            except EmptyResultSet:
                continue
            selects.append(f"SELECT {len(facets)}, _fi, CAST(_fk AS TEXT) FROM ({sql}) AS part{len(facets)}")
            params.extend(part_params)
            facets.append(name)
    return " UNION ALL ".join(selects), params, facets


def _run_tagged_union(sql, params, facets, names, using) -> dict[str, set]:
    rows = {name: set() for name in names}
    if sql:
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            for index, item, value in cursor.fetchall():
                if value is not None:
                    rows[facets[index]].add((item, value))
    return rows


def facet_rows(pair_querysets: dict) -> dict[str, set]:
    """{facet: {(item id, option value as text)}} from {facet: [querysets of (`_fi`, `_fk`) rows]}, in one query.

    Every part is joined into one UNION ALL tagged with its facet, so all the counts of a list
    page cost one query whatever the number of items, facets or of ways an item reaches an option
    (a city through the track or through a group).
    """
    using = next((part.db for parts in pair_querysets.values() for part in parts), DEFAULT_DB_ALIAS)
    return _run_tagged_union(*_tagged_union(pair_querysets), names=pair_querysets, using=using)


def pairs(queryset, item, value):
    """(item id `_fi`, option value `_fk`) rows of `queryset` for facet_rows."""
    return queryset.order_by().annotate(_fi=F(item), _fk=F(value)).values_list("_fi", "_fk")


def _relations():
    """The links between items that the filters follow, as (id, slug or id) pairs.

    A link row has no public or private state of its own (who may see the items at either end is
    decided by the querysets it is combined with), and no filter of the request applies to it.
    """
    return {
        "group_tracks": [pairs(WorkingGroup.tracks.through.objects.all(), "workinggroup_id", "worktrack_id")],
        "group_cities": [pairs(WorkingGroup.cities.through.objects.all(), "workinggroup_id", "city__slug")],
        "group_partners": [pairs(WorkingGroup.partners.through.objects.all(), "workinggroup_id", "organisation__slug")],
        "group_years": [pairs(GroupYear.objects.all(), "group_id", "year")],
        "track_cities": [pairs(WorkTrack.cities.through.objects.all(), "worktrack_id", "city__slug")],
        "track_lead_cities": [pairs(WorkTrack.lead_cities.through.objects.all(), "worktrack_id", "city__slug")],
        "track_partners": [pairs(WorkTrack.partners.through.objects.all(), "worktrack_id", "organisation__slug")],
    }


@functools.cache
def _relations_sql(using: str):
    """Built once per process and database: the query depends on the code only, never on the content."""
    sql, params, facets = _tagged_union(_relations())
    return sql, tuple(params), facets


def relation_values(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict]:
    """{relation: {id: [slugs or ids]}} of every link in `_relations()`, read fresh in one query."""
    sql, params, facets = _relations_sql(using)
    result = {name: defaultdict(list) for name in facets}
    for name, pairs in _run_tagged_union(sql, list(params), facets, facets, using).items():
        for item, value in pairs:
            result[name][item].append(value)
    return result
