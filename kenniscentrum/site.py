"""The site and its publisher as every page, the linked data and the open-data catalogue name them.

One place for the facts about the Kenniscentrum itself (name, address, website: from its
jaarverslagen) and for the site's public address, so the footer, the accessibility statement,
the JSON-LD in the pages and the DCAT catalogue cannot disagree.
"""
from dataclasses import dataclass

from django.conf import settings

NAME = "Kenniscentrum Vlaamse Steden"
LEGAL_NAME = "Interlokale Vereniging Kenniscentrum Vlaamse Steden"
FOUNDED = "2007"
WEBSITE = "https://www.kenniscentrumvlaamsesteden.be"
STREET, POSTAL_CODE, LOCALITY, COUNTRY = "Bischoffsheimlaan 1-8", "1000", "Brussel", "BE"


def origin(request) -> str:
    """'https://host' without a trailing slash: DJANGO_SITE_URL when it is set (identifiers must not
    depend on the host a request used), else the address of the request."""
    return settings.IDENTIFIER_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def organisation_uri(site: str) -> str:
    """The Kenniscentrum's identifier in the linked data and the catalogue: stable, on this site."""
    return f"{site}/#organisatie"


@dataclass(frozen=True)
class Contact:
    """Where to report a problem: an e-mail address when one is configured, else post and website."""

    email: str
    address: str = f"{NAME}, {STREET}, {POSTAL_CODE} {LOCALITY}"
    website: str = WEBSITE


def contact() -> Contact:
    return Contact(email=settings.CONTACT_EMAIL)


def kbo_identifier() -> str:
    """The company number as written in Belgium ('0123.456.789'), or '' while none is configured."""
    kbo = settings.PUBLISHER_KBO
    return f"{kbo[:4]}.{kbo[4:7]}.{kbo[7:]}" if kbo else ""
