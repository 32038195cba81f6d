"""Template filters for Dutch (nl-BE) presentation and safe rich text."""
from itertools import groupby
from operator import attrgetter

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from programmes import linkeddata
from programmes.amounts import format_euro
from programmes.models import WorkingGroup, WorkTrack
from programmes.selectors import LEADS, TAKES_PART
from programmes.history import HISTORY_TYPES
from programmes.visibility import can_see_unpublished
from programmes.richtext import esc, to_safe_html

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
    return [link for link in links if link.href]


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


def _shows_unpublished(context) -> bool:
    view = context.get("view")
    return bool(getattr(view, "show_all", False) or context.get("is_preview"))


@register.simple_tag(takes_context=True)
def meeting_items(context, meetings):
    """Meetings read with `Meeting.objects.for_list()`, as list items: calendar, home, city, group and
    track pages.

    Written out in Python rather than as an included template or a tag per meeting: the calendar
    shows up to a hundred of them. Who sees what, today's date, and the kind labels and addresses
    that recur are looked up once per list; every value from the database passes `esc`.
    """
    return mark_safe("".join(map(_MeetingItem.for_context(context).render, meetings)))


@register.simple_tag(takes_context=True)
def meeting_years(context, meetings):
    """The calendar's meetings under a heading per year (consecutive meetings of one year, as
    `{% regroup %}` did), or a line saying that none match the filters; the same whitespace too."""
    item = _MeetingItem.for_context(context)
    sections = "".join(
        f'\n  <section class="year-block" aria-labelledby="kalender-{year}">\n'
        f'    <h2 id="kalender-{year}">{year}</h2>\n'
        f'    <ul class="meetings">{"".join(map(item.render, year_meetings))}</ul>\n  </section>\n  '
        for year, year_meetings in groupby(meetings, key=attrgetter("year"))
    )
    return mark_safe("\n  " + (sections or "<p>Geen activiteiten gevonden met deze filters.</p>\n  "))


class _MeetingItem:
    def __init__(self, show_unpublished: bool, today):
        self.show_unpublished, self.today = show_unpublished, today
        self.kinds, self.links = {}, {}

    @classmethod
    def for_context(cls, context):
        view = context.get("view")
        return cls(bool(getattr(view, "show_all", False) or context.get("is_preview")), timezone.localdate())

    def kind(self, meeting) -> str:
        if meeting.kind_id not in self.kinds:
            self.kinds[meeting.kind_id] = esc(meeting.kind_name)
        return self.kinds[meeting.kind_id]

    def link(self, url_of, slug, name) -> str:
        if (url_of, slug) not in self.links:  # a group and a track may share a slug
            self.links[url_of, slug] = esc(url_of(slug))
        return f'<a href="{self.links[url_of, slug]}">{esc(name)}</a>'

    def render(self, meeting) -> str:
        tags = f' <span class="tag">{self.kind(meeting)}</span>'
        if meeting.is_unconfirmed_on(self.today):
            if self.show_unpublished:
                tags += ' <span class="tag tag--warning">datum voorbij, nog als gepland geregistreerd</span>'
        elif meeting.status != "held":
            new_date = f": nieuwe datum {date_format(meeting.new_date, 'j F Y')}" if meeting.new_date else ""
            tags += f' <span class="tag tag--{esc(meeting.status)}">{esc(meeting.get_status_display())}{esc(new_date)}</span>'
        if not meeting.is_public:
            tags += ' <span class="tag tag--private">niet publiek</span>'
        if meeting.group_slug is not None:
            meta = [self.link(WorkingGroup.url_of, meeting.group_slug, meeting.group_name)]
        elif meeting.track_slug is not None:
            meta = [self.link(WorkTrack.url_of, meeting.track_slug, meeting.track_title)]
        else:
            meta = []
        if meeting.place:
            meta.append(esc(meeting.place))
        if meeting.host_city_name and meeting.host_city_name not in meeting.place:
            meta.append(esc(meeting.host_city_name))
        time_display = meeting.time_display
        hours = f'<span class="meeting__time">{esc(time_display)}</span>' if time_display else ""
        return (
            f'<li class="meeting meeting--{esc(meeting.status)}" id="activiteit-{meeting.pk}">\n'
            f'  <p class="meeting__date">{esc(meeting.day_display)}{hours}</p>\n  <div>\n'
            f'    <p class="meeting__title">{esc(meeting.title)}{tags}</p>\n'
            f'    <p class="meeting__meta">{" · ".join(meta)}</p>\n  </div>\n</li>'
        )


@register.simple_tag
def filter_fields(form):
    """The fields of a list's filter form (includes/filter_fields.html): label, select, errors.

    Written in Python like meeting_items: six fields per list page, each a dozen template lookups.
    """
    parts = []
    for field in form:
        errors = field.errors
        messages = "".join(f'<p class="field-error" id="{esc(field.auto_id)}_error">{esc(error)}</p>' for error in errors)
        parts.append(
            f'\n    <div class="filters__field{" has-error" if errors else ""}">\n'
            f'      <label for="{esc(field.id_for_label)}">{esc(field.label)}</label>\n'
            f"      {field}\n      {messages}\n    </div>\n"
        )
    return mark_safe("".join(parts))


MATRIX_CELLS = {
    LEADS: '<td class="matrix__cell matrix__cell--lead"><span aria-hidden="true">★</span><span class="visually-hidden">trekker</span></td>',
    TAKES_PART: '<td class="matrix__cell matrix__cell--member"><span aria-hidden="true">●</span>'
                '<span class="visually-hidden">neemt deel</span></td>',
    "": '<td class="matrix__cell"></td>',
}


@register.simple_tag
def matrix_cells(cells):
    """The cells of one row of the city comparison, a cell per city: with a row per group and track
    that is about a thousand cells, written here rather than by the template's loop."""
    return mark_safe("".join(MATRIX_CELLS[cell] for cell in cells))


@register.simple_tag
def track_card(track):
    """One work track in the list of /werksporen/: kind, programme, years, lead cities and how many take part.

    Written in Python like meeting_items: the card was rendered node by node for every track of the
    page. Expects the track's programme selected and `lead_city_list`, `city_list` prefetched.
    """
    years = ""
    if track.start_year:
        years = f" · {track.start_year}–{track.end_year}" if track.end_year else f" · sinds {track.start_year}"
    elif track.end_year:
        years = f" · tot {track.end_year}"
    leads, cities = track.lead_city_list, track.city_list
    cities_line = ""
    if leads or cities:
        parts = []
        if leads:
            parts.append(f"Trekker: {esc(', '.join(city.name for city in leads))}")
        if cities:
            parts.append(f"{len(cities)} {'stad neemt' if len(cities) == 1 else 'steden nemen'} deel")
        cities_line = f'<p class="meta">{" · ".join(parts)}</p>'
    return mark_safe(
        f'<li class="group-card">\n'
        f'      <h2><a href="{esc(track.get_absolute_url())}">{esc(track.title)}</a></h2>\n'
        f'      <p class="meta"><span class="tag">{esc(track.get_kind_display())}</span> · {esc(track.programme.name)}{years}</p>\n'
        f'      {cities_line}\n    </li>'
    )


@register.simple_tag
def group_card(group):
    """One working group in the list of /werkgroepen/: kind, programme, rhythm and the cities taking part.

    Written in Python like meeting_items. Expects the group's programme selected and `city_list` prefetched.
    """
    meta = esc(group.get_kind_display())
    programme = f" · {esc(group.programme.name)}" if group.programme else ""
    frequency = f" · {esc(group.frequency)}" if group.frequency else ""
    cities = group.city_list
    cities_line = ""
    if cities:
        names = esc(", ".join(city.name for city in cities))
        cities_line = f'<p class="meta">{len(cities)} {"stad" if len(cities) == 1 else "steden"}: {names}</p>'
    return mark_safe(
        f'<li class="group-card">\n'
        f'      <h2><a href="{esc(group.get_absolute_url())}">{esc(group.name)}</a></h2>\n'
        f'      <p class="meta"><span class="tag">{meta}</span>{programme}{frequency}</p>\n'
        f'      {cities_line}\n    </li>'
    )


@register.simple_tag
def timeline_track(entry, level=4):
    """One track on a programme's timeline (selectors.TimelineTrack), its years and, nested, its sub-tracks.

    Written in Python like meeting_items: a programme page shows a dozen tracks with a step per year,
    and an include per track and per sub-track was half of that page's rendering time.
    """
    track = entry.track
    url = esc(track.get_absolute_url())
    private = "" if track.is_public else ' <span class="tag tag--private">niet publiek</span>'
    steps = [f'    <li class="timeline__step timeline__step--start">{esc(entry.start)}</li>\n']
    for ty in entry.years:
        title = f'<span class="timeline__name">als ‘{esc(ty.title)}’</span>' if ty.title else ""
        elsewhere = ""
        if ty.elsewhere:
            elsewhere = f'<span class="timeline__name">onder {esc(ty.elsewhere.short_name or ty.elsewhere.name)}</span>'
        plan = (f'<a href="{url}#jaar-{ty.year}">jaarplan</a>' if ty.show_plan
                else '<span class="muted">geen jaarplantekst</span>')
        report = (f'<a href="{url}#jaar-{ty.year}">jaarverslag</a>' if ty.show_report
                  else '<span class="muted">geen jaarverslagtekst</span>')
        outcome = ""
        if ty.outcome:
            postponed = f" tot {ty.postponed_to}" if ty.postponed_to else ""
            outcome = f'<span class="tag tag--outcome-{esc(ty.outcome)}">{esc(ty.get_outcome_display())}{postponed}</span>'
        steps.append(
            f'    \n    <li class="timeline__step">\n'
            f'      <span class="timeline__year">{ty.year}</span>\n'
            f'      {title}\n      {elsewhere}\n'
            f'      <span class="timeline__texts">\n        {plan}\n'
            f'        <span aria-hidden="true">→</span><span class="visually-hidden">, daarna</span>\n'
            f'        {report}\n      </span>\n      {outcome}\n    </li>\n'
        )
    steps.append(f'    \n    <li class="timeline__step timeline__step--end">{esc(entry.end)}</li>\n')
    children = ""
    if entry.children:
        nested = "".join(timeline_track(child, 5) for child in entry.children)
        children = (f'\n  <ol class="timeline timeline--nested" aria-label="Onder {esc(track.title)}">\n'
                    f'    {nested}\n  </ol>\n  ')
    return mark_safe(
        f'<li class="timeline__track{"" if entry.is_current else " timeline__track--ended"}" id="spoor-{esc(track.slug)}">\n'
        f'  <h{level} class="timeline__title"><a href="{url}">{esc(track.title)}</a> '
        f'<span class="tag">{esc(track.get_kind_display())}</span>{private}</h{level}>\n'
        f'  <ol class="timeline__steps">\n{"".join(steps)}  </ol>\n  {children}\n</li>\n'
    )


@register.simple_tag
def city_period(block, prefix, level=4):
    """The programmes of one period on a city page (selectors.PeriodInvolvement), each with the tracks
    and groups the city leads or takes part in: a section per programme, an item per track or group.

    Written in Python like meeting_items: a city page lists a few dozen items in a dozen sections,
    which as an include with two template loops were a tenth of the page.
    """
    sections = []
    for number, (programme, items) in enumerate(block.programmes, start=1):
        anchor = f"programma-{esc(prefix)}-{number}"
        heading = (f'<a href="{esc(programme.get_absolute_url())}">{esc(programme.name)}</a>'
                   if programme else "Zonder programma")
        entries = "".join(f"\n    {_involvement_item(involvement)}\n    " for involvement in items)
        sections.append(
            f'\n<section class="involvement" aria-labelledby="{anchor}">\n'
            f'  <h{level} id="{anchor}">{heading}</h{level}>\n'
            f'  <ul class="involvement__list">\n    {entries}\n  </ul>\n</section>\n'
        )
    return mark_safe("".join(sections) + "\n")


def _involvement_item(involvement) -> str:
    """One track or group on a city page (selectors.Involvement): what it is, whether the city leads, the years."""
    item = involvement.item
    role = ('<span class="tag tag--lead">trekker</span>' if involvement.leads
            else '<span class="tag tag--member">neemt deel</span>')
    years = esc(involvement.years_display) if involvement.years else "jaren niet vermeld"
    return (
        f'<li class="involvement__item">\n'
        f'      <a href="{esc(item.get_absolute_url())}">{esc(item)}</a>\n'
        f'      <span class="tag">{esc(item.get_kind_display())}</span>\n'
        f'      {role}\n'
        f'      <span class="involvement__years">{years}</span>\n    </li>'
    )
