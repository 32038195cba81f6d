"""Template filters for Dutch (nl-BE) presentation and safe rich text."""
from itertools import groupby
from operator import attrgetter

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from programmes import linkeddata
from programmes.amounts import format_euro
from programmes.models import Meeting, WorkingGroup, WorkTrack
from programmes.history import HISTORY_TYPES
from programmes.visibility import can_see_unpublished
from programmes.richtext import to_safe_html
from programmes.selectors import programme_label

register = template.Library()


@register.filter
def richtext(value):
    """Stored HTML, made safe again on the way out with the same function as on save (defence in depth)."""
    return mark_safe(to_safe_html(value))


@register.filter
def euro(value):
    """1026647.54 → '1.026.647,54 euro'."""
    return format_euro(value)


@register.filter
def with_address(links):
    """The links that have a usable address (where only a clickable link makes sense)."""
    return [link for link in links if not link.is_placeholder]


@register.filter
def dutch_number(value):
    """128978 → '128.978'."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return value


@register.simple_tag
def json_ld(data):
    """A JSON-LD document (programmes.linkeddata) as its <script type="application/ld+json"> element."""
    return linkeddata.script(data)


@register.filter
def link_text(title):
    """Link titles are stored as what you find ('de nota'); printed as 'Je vindt hier de nota'."""
    return f"Je vindt hier {title}"


@register.filter
def admin_change_url(obj):
    """The back-office page where an object is edited, or '' when it has none."""
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except (NoReverseMatch, AttributeError):
        return ""


@register.filter
def history_action(record):
    """'aangemaakt', 'gewijzigd' or 'verwijderd' for a history record (simple_history says it in English)."""
    return HISTORY_TYPES.get(record.history_type, record.history_type)


@register.inclusion_tag("includes/edit_link.html", takes_context=True)
def edit_link(context, obj):
    """A 'Bewerken' link to the object's back-office form, for the editorial team only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"edit_url": admin_change_url(obj) if obj is not None and can_see_unpublished(user) else "", "object": obj}


# The tags below choose what the snippets of templates/programmes/includes/ show, as plain values: a dict
# per item (the template engine reads a dict key faster than a model attribute or property) with every
# number as text (a number would be localised on the way out, ~2 µs each), one template per list rather
# than an include per item. They run for every item of the uncached calendar, lists, timelines and city
# pages (docs/performance.md, "Markup in templates"). The markup stays in the templates, autoescaped.


@register.inclusion_tag("programmes/includes/meeting_items.html", takes_context=True)
def meeting_items(context, meetings):
    """Meetings read with `Meeting.objects.for_list()`, as list items (programmes/includes/meeting_items.html):
    home, city, group and track pages."""
    return {"items": list(map(_MeetingRows.for_context(context).row, meetings))}


@register.inclusion_tag("programmes/includes/meeting_years.html", takes_context=True)
def meeting_years(context, meetings):
    """The calendar's meetings under a heading per year (consecutive meetings of one year, as
    `{% regroup %}` would), or a line saying that none match the filters."""
    rows = _MeetingRows.for_context(context)
    return {"years": [(str(year), list(map(rows.row, year_meetings)))
                      for year, year_meetings in groupby(meetings, key=attrgetter("year"))]}


class _MeetingRows:
    """What the template of a meeting item shows, as plain values (a dict per meeting).

    The calendar shows up to a hundred meetings: who sees what, today's date, and the addresses that
    recur are looked up once per list."""

    def __init__(self, show_unpublished: bool, today):
        self.show_unpublished, self.today = show_unpublished, today
        self.urls = {}

    @classmethod
    def for_context(cls, context):
        view = context.get("view")
        return cls(bool(getattr(view, "show_all", False) or context.get("is_preview")), timezone.localdate())

    def url(self, url_of, slug) -> str:
        if (url_of, slug) not in self.urls:  # a group and a track may share a slug
            self.urls[url_of, slug] = url_of(slug)
        return self.urls[url_of, slug]

    def row(self, meeting) -> dict:
        unconfirmed = meeting.is_unconfirmed_on(self.today)
        if meeting.group_slug is not None:
            link_url, link_name = self.url(WorkingGroup.url_of, meeting.group_slug), meeting.group_name
        elif meeting.track_slug is not None:
            link_url, link_name = self.url(WorkTrack.url_of, meeting.track_slug), meeting.track_title
        else:
            link_url = link_name = ""
        places = [meeting.place] if meeting.place else []
        if meeting.host_city_name and meeting.host_city_name not in meeting.place:
            places.append(meeting.host_city_name)
        shows_status = not unconfirmed and meeting.status != Meeting.Status.HELD
        row = {
            "pk": str(meeting.pk), "status": meeting.status, "title": meeting.title, "kind": meeting.kind_name,
            "day": meeting.day_display, "hours": meeting.time_display,
            "unconfirmed": unconfirmed and self.show_unpublished,
            "status_label": meeting.get_status_display() if shows_status else "",
            "moved_to": meeting.moved_to_display if shows_status else "",
            "is_public": meeting.is_public, "link_url": link_url, "link_name": link_name, "places": " · ".join(places),
        }
        # Most items have none of the three tags after the kind: the template asks once.
        row["tagged"] = bool(row["unconfirmed"] or row["status_label"] or not meeting.is_public)
        return row


class _KindLabels(dict):
    """The kind labels ('werkspoor', 'werkgroep' …) of one list, each looked up once: a list repeats a few
    kinds, and a label is a translation looked up per call."""

    def of(self, item) -> str:
        key = type(item), item.kind
        if key not in self:
            self[key] = item.get_kind_display()
        return self[key]


def _text(number) -> str:
    """A year or count as the template prints it ('' for none or zero: nothing to print)."""
    return str(number) if number else ""


@register.inclusion_tag("programmes/includes/track_cards.html")
def track_cards(tracks):
    """The cards of /werksporen/ (kind, programme, years, lead cities and how many take part), or a line
    saying that none match the filters. Expects the tracks' programme selected and `lead_city_list`,
    `city_list` prefetched."""
    kinds = _KindLabels()
    return {"cards": [
        {
            "url": track.get_absolute_url(), "title": track.title, "kind": kinds.of(track),
            "programme": track.programme.name, "start_year": _text(track.start_year), "end_year": _text(track.end_year),
            "leads": ", ".join(city.name for city in track.lead_city_list), "cities": _text(len(track.city_list)),
        }
        for track in tracks
    ]}


@register.inclusion_tag("programmes/includes/group_cards.html")
def group_cards(groups):
    """The cards of /werkgroepen/ (kind, programme, rhythm and the cities taking part), or a line saying
    that none match the filters. Expects the groups' programme selected and `city_list` prefetched."""
    kinds = _KindLabels()
    return {"cards": [
        {
            "url": group.get_absolute_url(), "name": group.name, "kind": kinds.of(group),
            "programme": group.programme.name if group.programme else "", "frequency": group.frequency,
            "cities": ", ".join(city.name for city in group.city_list), "count": _text(len(group.city_list)),
        }
        for group in groups
    ]}


@register.inclusion_tag("programmes/includes/timeline.html")
def timeline(entries):
    """The tracks of a programme's timeline (selectors.TimelineTrack), each with its years and, nested
    (the template includes itself), its sub-tracks."""
    kinds = _KindLabels()
    return {"entries": [_timeline_entry(entry, kinds) for entry in entries], "level": "4"}


def _timeline_entry(entry, kinds: _KindLabels) -> dict:
    track = entry.track
    url = track.get_absolute_url()
    return {
        "slug": track.slug, "url": url, "title": track.title, "kind": kinds.of(track),
        "is_public": track.is_public, "is_current": entry.is_current, "start": entry.start, "end": entry.end,
        "years": [
            {
                "year": str(ty.year), "url": f"{url}#jaar-{ty.year}", "title": ty.title,
                "elsewhere": programme_label(ty.elsewhere) if ty.elsewhere else "",
                "show_plan": ty.show_plan, "show_report": ty.show_report, "outcome": ty.outcome,
                "outcome_label": ty.get_outcome_display() if ty.outcome else "", "postponed_to": _text(ty.postponed_to),
            }
            for ty in entry.years
        ],
        "children": [_timeline_entry(child, kinds) for child in entry.children],
    }


@register.inclusion_tag("programmes/includes/city_period.html")
def city_period(block, prefix, level=4):
    """The programmes of one period on a city page (selectors.PeriodInvolvement), each with the tracks
    and groups the city leads or takes part in: a section per programme, an item per track or group."""
    kinds = _KindLabels()
    return {"level": str(level), "sections": [
        {
            "anchor": f"programma-{prefix}-{number}",
            "url": programme.get_absolute_url() if programme else "", "name": programme.name if programme else "",
            "items": [
                {
                    "url": involvement.item.get_absolute_url(), "name": str(involvement.item),
                    "kind": kinds.of(involvement.item), "leads": involvement.leads,
                    "years": involvement.years_display if involvement.years else "",
                }
                for involvement in items
            ],
        }
        for number, (programme, items) in enumerate(block.programmes, start=1)
    ]}


@register.inclusion_tag("programmes/includes/matrix.html")
def matrix(table_id, columns, rows, item_label, caption):
    """One table of the city comparison: a column per city (`columns`, each city's name and address, read
    once for both tables), a row per group or track (selectors.MatrixRow) with a cell per city."""
    return {"id": table_id, "columns": columns, "item_label": item_label, "caption": caption, "rows": [
        {
            "url": row.item.get_absolute_url(), "name": str(row.item),
            "programme": programme_label(row.item.programme) if row.item.programme else "", "cells": row.cells,
        }
        for row in rows
    ]}
