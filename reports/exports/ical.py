"""iCalendar feeds of the meetings and events."""
import datetime

from django.conf import settings
from django.utils import timezone

from programmes.models import Meeting
from programmes.richtext import html_to_text

from .edition import ORGANISATION

ICAL_STATUS = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def ics_text(value: str) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character or an escape."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte: step back to the character
            end -= 1
        if end < len(data) and data[end - 1] == 0x5C and end - 1 > start:  # keep "\," and "\n" together
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74  # a continuation line starts with the folding space
    return "\r\n ".join(parts)


def meetings_calendar(meetings, *, name: str, url: str, host: str) -> bytes:
    """A VCALENDAR with one VEVENT per meeting that has a placeable date: at its hours (in UTC) when it has a
    start time, otherwise all day.

    Written directly rather than through the icalendar package, whose character-by-character line
    folding took most of the feed's time; the tests read the result back with icalendar.
    """
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{ics_text(f'-//{ORGANISATION}//Kalender//NL')}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{ics_text(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
        # Subscribed agendas (webcal://) fetch the feed again this often (RFC 7986; Outlook reads the X- form).
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    for meeting in meetings:
        span = meeting.calendar_span
        if span is None:
            continue
        notes = [f"Datum: {meeting.date_display}"]
        if meeting.status == Meeting.Status.POSTPONED:
            notes.append(f"Uitgesteld; nieuwe datum: {meeting.moved_to_display}." if meeting.moved_to_display else "Uitgesteld; nieuwe datum nog niet gekend.")
        elif meeting.status == Meeting.Status.CANCELLED:
            notes.append("Geannuleerd.")
        if meeting.group:
            notes.append(f"Werkgroep: {meeting.group.name}")
        if meeting.description:
            notes.append(html_to_text(meeting.description))
        location = ", ".join(p for p in (meeting.place, meeting.host_city.name if meeting.host_city else "") if p)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ics_text(f'activiteit-{meeting.pk}@{host}')}",
            f"DTSTAMP:{stamp}",
            *_event_times(meeting, span),
            f"SUMMARY:{ics_text(meeting.title)}",
            f"STATUS:{ICAL_STATUS[meeting.status]}",
            f"CATEGORIES:{ics_text(meeting.kind.name)}",
            f"DESCRIPTION:{ics_text(chr(10).join(notes))}",
        ]
        if location:
            lines.append(f"LOCATION:{ics_text(location)}")
        lines.append(f"URL:{url}{meeting.get_absolute_url()}")
        if meeting.status in (Meeting.Status.POSTPONED, Meeting.Status.CANCELLED):
            lines.append("SEQUENCE:1")  # tells subscribed calendars this replaces the first announcement
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(ics_fold(line) for line in lines) + "\r\n").encode()


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _event_times(meeting: Meeting, span) -> list[str]:
    """DTSTART/DTEND: Brussels hours written in UTC, so no VTIMEZONE is needed; without a known end time
    no DTEND (RFC 5545: the event then ends when it starts). Without a time: all-day dates."""
    if meeting.starts_at:
        end = [f"DTEND:{_utc(meeting.ends_at)}"] if meeting.ends_at else []
        return [f"DTSTART:{_utc(meeting.starts_at)}", *end]
    return [f"DTSTART;VALUE=DATE:{span[0]:%Y%m%d}", f"DTEND;VALUE=DATE:{span[1]:%Y%m%d}"]
