"""JSON-LD in the pages: meetings as schema.org Events with their dates as far as known, the Kenniscentrum as an
Organization with OSLO Organisatie terms, an edition with its publication date only when recorded."""
import datetime
import json
import re

import pytest
from django.utils import timezone
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from programmes.models import Meeting
from reports.models import Edition
from tests.factories import make_city, make_edition, make_group, make_meeting

pytestmark = pytest.mark.django_db

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
REGORG = Namespace("http://www.w3.org/ns/regorg#")


@pytest.fixture(autouse=True)
def early_2024(monkeypatch):
    """Today is 2 January 2024: the meetings of 2024 these tests make are to come, so described in the pages."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2024, 1, 2))


def _documents(html: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def _nodes(html: str) -> list[dict]:
    nodes = []
    for document in _documents(html):
        nodes += document.get("@graph", [document])
    return nodes


def _graph(html: str) -> Graph:
    """The page's JSON-LD read as RDF (its context is written out, so nothing is fetched)."""
    graph = Graph()
    for document in _documents(html):
        graph.parse(data=json.dumps(document), format="json-ld")
    return graph


def _events(client, url="/kalender/") -> dict[str, dict]:
    return {node["name"]: node for node in _nodes(client.get(url).content.decode()) if node.get("@type") == "Event"}


def test_meetings_are_events_with_their_dates_as_far_as_they_are_known(client):
    make_meeting(title="Op een dag", year=2024, month=5, day=14)
    make_meeting(title="In een maand", year=2024, month=5)
    make_meeting(title="In het najaar", year=2024, period="autumn")
    make_meeting(title="Tweedaagse", year=2024, month=11, day=13, end_day=15)
    make_meeting(title="Met uren", year=2024, month=6, day=3, start_time=datetime.time(14), end_time=datetime.time(16))

    events = _events(client)

    assert events["Op een dag"]["startDate"] == "2024-05-14" and "endDate" not in events["Op een dag"]
    assert events["In een maand"]["startDate"] == "2024-05"  # no invented day
    assert events["In het najaar"]["startDate"] == "2024"  # a season is not a month range
    assert (events["Tweedaagse"]["startDate"], events["Tweedaagse"]["endDate"]) == ("2024-11-13", "2024-11-15")
    assert (events["Met uren"]["startDate"], events["Met uren"]["endDate"]) == ("2024-06-03T14:00:00+02:00", "2024-06-03T16:00:00+02:00")


def test_an_event_says_whether_it_was_cancelled_postponed_or_moved(client):
    make_meeting(title="Afgelast", year=2024, month=5, day=7, status=Meeting.Status.CANCELLED)
    make_meeting(title="Uitgesteld", year=2024, month=5, day=8, status=Meeting.Status.POSTPONED)
    make_meeting(title="Verplaatst", year=2024, month=5, day=9, status=Meeting.Status.POSTPONED, new_date=datetime.date(2024, 6, 11))
    make_meeting(title="Gehouden", year=2024, month=5, day=10, status=Meeting.Status.HELD)

    events = _events(client)

    assert events["Afgelast"]["eventStatus"] == "https://schema.org/EventCancelled"
    assert events["Uitgesteld"]["eventStatus"] == "https://schema.org/EventPostponed"
    moved = events["Verplaatst"]
    assert (moved["eventStatus"], moved["startDate"], moved["previousStartDate"]) == (
        "https://schema.org/EventRescheduled", "2024-06-11", "2024-05-09")
    assert events["Gehouden"]["eventStatus"] == "https://schema.org/EventScheduled"


def test_an_event_names_its_group_kind_and_place_and_is_organised_by_the_kenniscentrum(client):
    group = make_group(name="Werkgroep OBMi")
    make_meeting(title="Overleg", group=group, kind="workshop", year=2024, month=3, day=5,
                 host_city=make_city(name="Mechelen"), place="Stadhuis")

    html = client.get(group.get_absolute_url()).content.decode()
    event = next(node for node in _nodes(html) if node.get("@type") == "Event")
    graph = _graph(html)

    assert event["description"] == "Workshop · Werkgroep OBMi"
    assert event["location"] == {"@type": "Place", "name": "Stadhuis",
                                 "address": {"@type": "PostalAddress", "addressLocality": "Mechelen", "addressCountry": "BE"}}
    assert (URIRef(event["@id"]), SCHEMA.organizer, URIRef("http://testserver/#organisatie")) in graph
    assert (URIRef(event["@id"]), RDF.type, SCHEMA.Event) in graph


def test_the_city_page_describes_its_upcoming_meetings(client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2025, 6, 1))
    city = make_city(name="Genk")
    make_meeting(title="In Genk", host_city=city, year=2025, month=9, day=3)
    make_meeting(title="Voorbij in Genk", host_city=city, year=2025, month=2, day=3)
    assert set(_events(client, city.get_absolute_url())) == {"In Genk"}


def test_text_that_looks_like_markup_cannot_leave_the_data_block(client):
    title = '</script><script>alert("x")</script><!--'
    make_meeting(title=title, year=2024, month=5, day=14)

    html = client.get("/kalender/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)

    assert "<" not in block and ">" not in block
    assert title in _events(client)


def test_the_home_page_describes_the_kenniscentrum_as_an_oslo_organisation_with_its_members(client):
    make_city(name="Gent", slug="gent")
    html = client.get("/").content.decode()
    graph = _graph(html)
    kenniscentrum = URIRef("http://testserver/#organisatie")

    for kind in (SCHEMA.Organization, ORG.Organization, REGORG.RegisteredOrganization):
        assert (kenniscentrum, RDF.type, kind) in graph
    assert str(graph.value(kenniscentrum, REGORG.legalName)) == "Interlokale Vereniging Kenniscentrum Vlaamse Steden"
    assert str(graph.value(kenniscentrum, SCHEMA.foundingDate)) == "2007"
    members = {str(graph.value(member, SCHEMA.name)) for member in graph.objects(kenniscentrum, SCHEMA.member)}
    assert "Gent" in members
    assert (None, SCHEMA.potentialAction, None) in graph  # the site's search


def test_the_organisation_carries_a_kbo_number_only_when_one_is_configured(client, settings):
    assert "adms:identifier" not in client.get("/").content.decode()
    settings.PUBLISHER_KBO = "0123456789"
    node = next(n for n in _nodes(client.get("/").content.decode()) if n.get("@id", "").endswith("#organisatie"))
    assert node["adms:identifier"]["skos:notation"] == "0123.456.789"


def test_an_edition_gives_its_publication_date_only_when_it_was_recorded(client, monkeypatch):
    monkeypatch.undo()  # the real local date of the publication moment
    dated = make_edition(kind=Edition.Kind.REPORT, year=2024)
    Edition.objects.filter(pk=dated.pk).update(published_at=datetime.datetime(2025, 5, 20, 22, 30, tzinfo=datetime.timezone.utc))
    undated = make_edition(kind=Edition.Kind.PLAN, year=2020)
    Edition.objects.filter(pk=undated.pk).update(published_at=None)

    report = next(n for n in _nodes(client.get("/jaarverslag/2024/").content.decode()) if n.get("name") == "Jaarverslag 2024")
    plan = next(n for n in _nodes(client.get("/jaarplan/2020/").content.decode()) if n.get("name") == "Jaarplan 2020")

    assert report["@type"] == "Report" and report["datePublished"] == "2025-05-21"  # the day in Brussels
    assert report["encoding"]["contentUrl"] == "http://testserver/jaarverslag/2024/pdf/"
    assert plan["@type"] == "CreativeWork" and "datePublished" not in plan


def test_linked_data_uses_the_configured_site_address_whatever_host_was_asked(client, settings):
    settings.IDENTIFIER_BASE_URL = "https://jaarverslag.example.be"
    make_meeting(title="Overleg", year=2024, month=5, day=14)
    event = _events(client)["Overleg"]
    assert event["@id"].startswith("https://jaarverslag.example.be/kalender/")
    assert event["organizer"] == {"@id": "https://jaarverslag.example.be/#organisatie"}


def test_only_meetings_to_come_and_of_the_last_twelve_months_are_described(client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2025, 6, 15))
    make_meeting(title="Lang geleden", year=2024, month=5, day=30)
    make_meeting(title="Vorige zomer", year=2024, month=6, day=3)
    make_meeting(title="Straks", year=2025, month=9, day=1)
    assert set(_events(client, "/kalender/?jaar=2024")) == {"Vorige zomer"}
    assert set(_events(client)) == {"Vorige zomer", "Straks"}
