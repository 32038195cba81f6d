"""JSON-LD of the home page (the Kenniscentrum and the site) and of an edition (programmes.linkeddata)."""
from django.urls import reverse
from django.utils import timezone

from kenniscentrum import site
from programmes.linkeddata import document, organisation
from programmes.models import City

from .models import Edition


def home_linked_data(origin: str) -> dict:
    """The Kenniscentrum with its member cities and partners, and the site with its search."""
    members = [(name, reverse("programmes:city-detail", kwargs={"slug": slug})) for name, slug in City.objects.order_by("name").values_list("name", "slug")]
    website = {
        "@id": f"{origin}/#site",
        "@type": "WebSite",
        "url": f"{origin}/",
        "name": f"Jaarplannen en jaarverslagen van het {site.NAME}",
        "inLanguage": "nl-BE",
        "publisher": {"@id": site.organisation_uri(origin)},
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{origin}{reverse('programmes:search')}?q={{zoekterm}}",
            "query-input": "required name=zoekterm",
        },
    }
    return document(organisation(origin, members), website)


def edition_linked_data(edition: Edition, origin: str) -> dict:
    """A jaarverslag as a schema.org Report, a jaarplan as a CreativeWork (schema.org has no plan); the
    publication date only when it was recorded, the PDF as its downloadable form."""
    pdf = reverse("reports:plan-pdf" if edition.is_plan else "reports:report-pdf", kwargs={"year": edition.year})
    node = {
        "@id": f"{origin}{edition.get_absolute_url()}",
        "@type": "CreativeWork" if edition.is_plan else "Report",
        "name": str(edition),
        "genre": edition.get_kind_display(),
        "url": f"{origin}{edition.get_absolute_url()}",
        "inLanguage": "nl-BE",
        "temporalCoverage": str(edition.year),
        "publisher": {"@id": site.organisation_uri(origin), "@type": "Organization", "name": site.NAME},
        "author": {"@id": site.organisation_uri(origin)},
        "encoding": {"@type": "MediaObject", "contentUrl": f"{origin}{pdf}", "encodingFormat": "application/pdf"},
    }
    if edition.published_at:
        node["datePublished"] = timezone.localdate(edition.published_at).isoformat()
    if edition.erratum_date:
        node["dateModified"] = edition.erratum_date.isoformat()
    return document(node)
