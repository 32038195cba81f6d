"""Linked data in the pages: JSON-LD (schema.org, with OSLO Organisatie terms for the Kenniscentrum).

Search engines and agenda tools read these `<script type="application/ld+json">` blocks; a browser
never runs them, so the Content-Security-Policy (no inline scripts) does not apply to them. What they
say is what the page says: a meeting's date as far as it is known ("2024-05", never an invented
day), an edition's publication date only when it was recorded.

The context is written out instead of pointing at https://schema.org, so that a reader (and the
tests, with rdflib) need not fetch it.
"""
import datetime
import json

from django.utils.safestring import mark_safe

from kenniscentrum import site

from .models import Meeting

SCHEMA = "https://schema.org/"
CONTEXT = {
    "@vocab": SCHEMA,
    "org": "http://www.w3.org/ns/org#",
    "regorg": "http://www.w3.org/ns/regorg#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "adms": "http://www.w3.org/ns/adms#",
}

EVENT_STATUS = {
    Meeting.Status.PLANNED: "EventScheduled",
    Meeting.Status.HELD: "EventScheduled",  # schema.org has no "took place": it happened as scheduled
    Meeting.Status.POSTPONED: "EventPostponed",
    Meeting.Status.CANCELLED: "EventCancelled",
}

# As json_script does: nothing in the data can close the <script> element or open a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def script(data) -> str:
    """`data` as a <script type="application/ld+json"> element, or '' when there is nothing to say."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def document(*nodes) -> dict | None:
    """One JSON-LD document with the shared context: a single node, or a @graph of several."""
    nodes = [node for node in nodes if node]
    if not nodes:
        return None
    if len(nodes) == 1:
        return {"@context": CONTEXT, **nodes[0]}
    return {"@context": CONTEXT, "@graph": nodes}


def organisation(origin: str, members=()) -> dict:
    """The Kenniscentrum: schema.org Organization and OSLO Organisatie (org:Organization, its legal
    name, preferred label and registered address); its members are the cities and partners given."""
    node = {
        "@id": site.organisation_uri(origin),
        "@type": ["Organization", "org:Organization", "regorg:RegisteredOrganization"],
        "name": site.NAME,
        "legalName": site.LEGAL_NAME,
        "skos:prefLabel": site.NAME,
        "regorg:legalName": site.LEGAL_NAME,
        "foundingDate": site.FOUNDED,
        "url": site.WEBSITE,
        "foaf:homepage": {"@id": site.WEBSITE},
        "address": {
            "@type": "PostalAddress", "streetAddress": site.STREET, "postalCode": site.POSTAL_CODE,
            "addressLocality": site.LOCALITY, "addressCountry": site.COUNTRY,
        },
        "org:hasRegisteredSite": {
            "@type": "org:Site",
            "org:siteAddress": {
                "@type": "locn:Address", "locn:thoroughfare": site.STREET, "locn:postCode": site.POSTAL_CODE,
                "locn:postName": site.LOCALITY, "locn:adminUnitL1": site.COUNTRY,
            },
        },
    }
    identifier = site.kbo_identifier()
    if identifier:
        node["identifier"] = identifier
        node["adms:identifier"] = {"@type": "adms:Identifier", "skos:notation": identifier,
                                   "adms:schemaAgency": "Kruispuntbank van Ondernemingen"}
    if members:
        node["member"] = [{"@type": "Organization", "name": name, "url": f"{origin}{url}"} for name, url in members]
    return node


def event(meeting, origin: str) -> dict:
    """A meeting as a schema.org Event, with its date exactly as far as it is known.

    Reads only what `Meeting.objects.for_list()` loads (names of group, track and host city come
    as `group_name`, `track_title` and `host_city_name`), so a list of them costs no query.
    """
    url = f"{origin}{meeting.get_absolute_url()}"
    node = {
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": meeting.title,
        "eventStatus": SCHEMA + EVENT_STATUS[meeting.status],
        "organizer": {"@id": site.organisation_uri(origin)},
    }
    if meeting.status == Meeting.Status.POSTPONED and meeting.new_date:
        node.update(eventStatus=SCHEMA + "EventRescheduled", startDate=meeting.new_date.isoformat(),
                    previousStartDate=meeting.iso_date)
    elif meeting.starts_at:
        node["startDate"] = meeting.starts_at.isoformat()
        if meeting.ends_at:
            node["endDate"] = meeting.ends_at.isoformat()
    else:
        node["startDate"] = meeting.iso_date  # 2024-05-14, 2024-05 or 2024: as far as it is known
        if meeting.end_date:
            node["endDate"] = meeting.end_date.isoformat()
    owner = getattr(meeting, "group_name", None) or getattr(meeting, "track_title", None)
    node["description"] = meeting.kind_name.capitalize() + (f" · {owner}" if owner else "")
    host_city = getattr(meeting, "host_city_name", None)
    if meeting.place or host_city:
        place = {"@type": "Place", "name": meeting.place or host_city}
        if host_city:
            place["address"] = {"@type": "PostalAddress", "addressLocality": host_city, "addressCountry": "BE"}
        node["location"] = place
    return node


def events(meetings, origin: str, today: datetime.date) -> dict | None:
    """The meetings a page lists that are still to come or of the last twelve months, as one JSON-LD
    document: the same window as the calendar feeds (`Meeting.feed_start`); older ones interest no
    agenda or search engine and would double the weight of the calendar page."""
    since = Meeting.feed_start(today)
    return document(*(event(meeting, origin) for meeting in meetings if meeting.sort_date >= since))
