"""The open-data catalogue in DCAT-AP Vlaanderen: both serialisations read back as RDF, with the properties the
profile makes mandatory for the catalogue, its datasets, their distributions and the publisher."""
import pytest
from django.utils import timezone
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from programmes.models import EditorialStatus
from reports.exports.opendata import DATASETS
from reports.models import Edition
from tests.factories import make_budget, make_edition, make_meeting, make_track_year

pytestmark = pytest.mark.django_db

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
MGH = URIRef("https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0")

# What DCAT-AP (2.x) and DCAT-AP Vlaanderen require of each class, by property.
MANDATORY = {
    DCAT.Catalog: (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.dataset, DCTERMS.license, FOAF.homepage),
    DCAT.Dataset: (DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.publisher, DCAT.contactPoint,
                   DCAT.keyword, DCAT.theme, DCTERMS.accessRights),
    DCAT.Distribution: (DCAT.accessURL, DCTERMS.license),
    FOAF.Agent: (FOAF.name,),
}


@pytest.fixture
def published_2030(db):
    """A published jaarverslag 2030 with a text, a meeting and a budget; a draft 2031 with a text of its own."""
    make_track_year(year=2030, number="1.1")
    make_meeting(year=2030, month=3, day=4)
    make_budget(year=2030, total="1000")
    make_edition(kind=Edition.Kind.REPORT, year=2030)
    make_track_year(year=2031, plan_status=EditorialStatus.DRAFT, report_status=EditorialStatus.DRAFT)
    make_edition(kind=Edition.Kind.REPORT, year=2031, status=EditorialStatus.DRAFT)


def _catalogue(client, fmt: str) -> Graph:
    response = client.get(f"/open-data/catalogus.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == {"jsonld": "application/ld+json; charset=utf-8", "ttl": "text/turtle; charset=utf-8"}[fmt]
    return Graph().parse(data=response.content.decode(), format={"jsonld": "json-ld", "ttl": "turtle"}[fmt])


@pytest.mark.parametrize("fmt", ["jsonld", "ttl"])
def test_the_catalogue_has_every_mandatory_property_of_dcat_ap_vlaanderen(client, published_2030, fmt):
    graph = _catalogue(client, fmt)
    missing = [
        (str(node), str(prop)) for kind, props in MANDATORY.items() for node in graph.subjects(RDF.type, kind)
        for prop in props if graph.value(node, prop) is None
    ]
    assert missing == []
    assert len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 1
    assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) > 0


def test_both_serialisations_say_the_same(client, published_2030):
    from rdflib.compare import isomorphic

    assert isomorphic(_catalogue(client, "jsonld"), _catalogue(client, "ttl"))


def test_every_open_data_dataset_is_in_the_catalogue_with_stable_identifiers(client, published_2030, settings):
    settings.IDENTIFIER_BASE_URL = "https://jaarverslag.example.be"
    graph = _catalogue(client, "ttl")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets == {URIRef(f"https://jaarverslag.example.be/open-data/#{slug}") for slug in DATASETS}
    assert str(graph.value(URIRef("https://jaarverslag.example.be/open-data/#teksten"), DCTERMS.title)) == \
        "Teksten van jaarplannen en jaarverslagen"


def test_a_distribution_per_year_and_format_with_its_download_address_media_type_and_day_of_change(client, published_2030):
    graph = _catalogue(client, "ttl")
    meetings = URIRef("http://testserver/open-data/#vergaderingen")
    distributions = {str(graph.value(d, DCAT.downloadURL)): d for d in graph.objects(meetings, DCAT.distribution)}

    assert set(distributions) == {"http://testserver/open-data/2030/vergaderingen.csv", "http://testserver/open-data/2030/vergaderingen.json"}
    csv = distributions["http://testserver/open-data/2030/vergaderingen.csv"]
    assert graph.value(csv, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert graph.value(csv, DCTERMS.format) == URIRef("http://publications.europa.eu/resource/authority/file-type/CSV")
    assert graph.value(csv, DCTERMS.modified).toPython() == timezone.localdate()  # made today
    assert client.get("/open-data/2030/vergaderingen.csv").status_code == 200
    period = graph.value(meetings, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2030-01-01" and str(graph.value(period, DCAT.endDate)) == "2030-12-31"
    assert graph.value(meetings, DCTERMS.accrualPeriodicity) == URIRef("http://publications.europa.eu/resource/authority/frequency/IRREG")


def test_only_published_years_get_distributions(client, published_2030):
    body = client.get("/open-data/catalogus.ttl").content.decode()
    assert "/open-data/2030/werksporen.csv" in body
    assert "2031" not in body


def test_the_licence_is_a_setting_and_the_publisher_is_identified_without_an_invented_number(client, published_2030, settings):
    graph = _catalogue(client, "ttl")
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    publisher = graph.value(catalogue, DCTERMS.publisher)
    assert graph.value(catalogue, DCTERMS.license) == MGH
    assert str(publisher) == "http://testserver/#organisatie"
    assert str(graph.value(publisher, DCTERMS.identifier)) == "http://testserver/#organisatie"
    assert graph.value(publisher, ADMS.identifier) is None

    settings.OPEN_DATA_LICENCE = "http://creativecommons.org/publicdomain/zero/1.0/"
    settings.PUBLISHER_KBO = "0123456789"
    graph = _catalogue(client, "ttl")
    distribution = next(graph.subjects(RDF.type, DCAT.Distribution))
    assert graph.value(distribution, DCTERMS.license) == URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
    publisher = URIRef("http://testserver/#organisatie")
    assert str(graph.value(publisher, DCTERMS.identifier)) == "0123.456.789"
    assert "CC0 1.0" in client.get("/open-data/").content.decode()


def test_the_contact_point_gives_the_configured_address(client, published_2030, settings):
    settings.CONTACT_EMAIL = "data@example.be"
    graph = _catalogue(client, "ttl")
    contact = next(graph.subjects(RDF.type, VCARD.Organization))
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:data@example.be")


def test_the_open_data_page_links_the_catalogue(client):
    html = client.get("/open-data/").content.decode()
    assert 'href="/open-data/catalogus.jsonld"' in html and 'href="/open-data/catalogus.ttl"' in html
    assert "Modellicentie Gratis Hergebruik" in html
