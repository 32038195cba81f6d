"""The open-data catalogue in DCAT-AP Vlaanderen, for Metadata Vlaanderen and data.europa.eu to harvest.

One dcat:Catalog with a dcat:Dataset per dataset of `opendata.DATASETS` (a new dataset there is in
the catalogue at once) and a dcat:Distribution per year and format, each with its download
address, media type, format, licence and modification day. Built with rdflib as a graph and
written as JSON-LD or Turtle from the same triples, so the two can never say different things.

Identifiers are stable: built on DJANGO_SITE_URL (else the request's address) and the dataset's
slug, never on a database id. The publisher is the Kenniscentrum with its KBO number when
DJANGO_PUBLISHER_KBO is set, and otherwise only its URI on this site: a number is never guessed.
"""
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from django.conf import settings
from django.urls import reverse

from kenniscentrum import site

from .opendata import DATASETS, modified_dates, open_data_years

ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
FORMATS = {"csv": ("text/csv", "CSV"), "json": ("application/json", "JSON")}
THEME = URIRef(EU + "data-theme/GOVE")  # Regering en overheidssector
LANGUAGE = URIRef(EU + "language/NLD")
PUBLIC_ACCESS = URIRef(EU + "access-right/PUBLIC")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
KEYWORDS = ("centrumsteden", "steden", "Vlaanderen", "Kenniscentrum Vlaamse Steden")

CONTEXT = {
    "dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD), "skos": str(SKOS),
    "adms": str(ADMS), "xsd": str(XSD),
}


def _text(value: str) -> Literal:
    return Literal(value, lang="nl")


def _day(value) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def catalogue_graph(origin: str) -> Graph:
    """The catalogue of what /open-data/ offers, public material only (opendata builds it for an
    anonymous visitor), with `origin` ('https://host') as the base of every identifier."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, namespace)
    page = f"{origin}{reverse('reports:open-data')}"
    catalogue = URIRef(f"{page}#catalogus")
    publisher = _publisher(graph, origin)
    contact = _contact_point(graph, origin)
    licence = URIRef(settings.OPEN_DATA_LICENCE)
    years = sorted(open_data_years())
    modified = modified_dates(years)

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, _text(f"Open data van het {site.NAME}")))
    graph.add((catalogue, DCTERMS.description, _text(
        "De gepubliceerde jaarplannen en jaarverslagen van het Kenniscentrum Vlaamse Steden als gegevens: werksporen en "
        "hun teksten, werkgroepen, vergaderingen, budget en links, per jaar als CSV en JSON.")))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.license, licence))
    graph.add((catalogue, DCTERMS.language, LANGUAGE))
    graph.add((catalogue, DCTERMS.identifier, Literal(str(catalogue))))
    graph.add((catalogue, FOAF.homepage, URIRef(page)))
    graph.add((catalogue, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    days = [day for per_year in modified.values() for day in per_year.values()]
    if days:
        graph.add((catalogue, DCTERMS.modified, _day(max(days))))

    for dataset in DATASETS.values():
        node = URIRef(f"{page}#{dataset.slug}")
        graph.add((catalogue, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.title, _text(dataset.title)))
        graph.add((node, DCTERMS.description, _text(dataset.description)))
        graph.add((node, DCTERMS.identifier, Literal(str(node))))
        graph.add((node, DCTERMS.publisher, publisher))
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((node, DCAT.landingPage, URIRef(f"{page}#{dataset.slug}")))
        graph.add((node, DCAT.theme, THEME))
        graph.add((node, DCTERMS.accessRights, PUBLIC_ACCESS))
        graph.add((node, DCTERMS.language, LANGUAGE))
        graph.add((node, DCTERMS.license, licence))
        graph.add((node, DCTERMS.accrualPeriodicity, URIRef(EU + f"frequency/{dataset.frequency}")))
        for keyword in (*dataset.keywords, *KEYWORDS):
            graph.add((node, DCAT.keyword, _text(keyword)))
        if years:
            period = BNode()
            graph.add((node, DCTERMS.temporal, period))
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            graph.add((period, DCAT.startDate, Literal(f"{years[0]}-01-01", datatype=XSD.date)))
            graph.add((period, DCAT.endDate, Literal(f"{years[-1]}-12-31", datatype=XSD.date)))
        if modified[dataset.slug]:
            graph.add((node, DCTERMS.modified, _day(max(modified[dataset.slug].values()))))
        for year in sorted(modified[dataset.slug]):  # the years the dataset has public data for
            for fmt, (media_type, file_type) in FORMATS.items():
                url = URIRef(origin + reverse("reports:open-data-download", kwargs={"year": year, "dataset": dataset.slug, "fmt": fmt}))
                distribution = URIRef(f"{page}#{dataset.slug}-{year}-{fmt}")
                graph.add((node, DCAT.distribution, distribution))
                graph.add((distribution, RDF.type, DCAT.Distribution))
                graph.add((distribution, DCTERMS.title, _text(f"{dataset.title} {year} ({file_type})")))
                graph.add((distribution, DCTERMS.description, _text(f"{dataset.description} Jaar {year}, als {file_type}.")))
                graph.add((distribution, DCAT.accessURL, url))
                graph.add((distribution, DCAT.downloadURL, url))
                graph.add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))
                graph.add((distribution, DCTERMS.format, URIRef(EU + f"file-type/{file_type}")))
                graph.add((distribution, DCTERMS.license, licence))
                graph.add((distribution, DCTERMS.language, LANGUAGE))
                graph.add((distribution, DCTERMS.modified, _day(modified[dataset.slug][year])))
    return graph


def _publisher(graph: Graph, origin: str) -> URIRef:
    """The Kenniscentrum as foaf:Agent; its identifier is its KBO number when configured, else its URI."""
    publisher = URIRef(site.organisation_uri(origin))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, _text(site.NAME)))
    graph.add((publisher, DCTERMS.type, LOCAL_AUTHORITY))
    graph.add((publisher, FOAF.homepage, URIRef(site.WEBSITE)))
    kbo = site.kbo_identifier()
    graph.add((publisher, DCTERMS.identifier, Literal(kbo or str(publisher))))
    if kbo:
        identifier = BNode()
        graph.add((publisher, ADMS.identifier, identifier))
        graph.add((identifier, RDF.type, ADMS.Identifier))
        graph.add((identifier, SKOS.notation, Literal(kbo)))
        graph.add((identifier, ADMS.schemaAgency, _text("Kruispuntbank van Ondernemingen")))
    return publisher


def _contact_point(graph: Graph, origin: str) -> URIRef:
    """vcard:Organization: the configured e-mail address when there is one, the website and postal address always."""
    contact = site.contact()
    node = URIRef(f"{origin}{reverse('reports:open-data')}#contact")
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, _text(site.NAME)))
    graph.add((node, VCARD.hasURL, URIRef(contact.website)))
    if contact.email:
        graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{contact.email}")))
    address = BNode()
    graph.add((node, VCARD.hasAddress, address))
    graph.add((address, RDF.type, VCARD.Address))
    graph.add((address, VCARD["street-address"], Literal(site.STREET)))
    graph.add((address, VCARD["postal-code"], Literal(site.POSTAL_CODE)))
    graph.add((address, VCARD.locality, Literal(site.LOCALITY)))
    graph.add((address, VCARD["country-name"], Literal("België", lang="nl")))
    return node


def catalogue_jsonld(origin: str) -> str:
    return catalogue_graph(origin).serialize(format="json-ld", context=CONTEXT, indent=1, auto_compact=True)


def catalogue_turtle(origin: str) -> str:
    return catalogue_graph(origin).serialize(format="turtle")
