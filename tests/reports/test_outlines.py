"""Each demo edition has the outline of its source document: headings, numbers (or none), order, nesting.

The tables below are written from the documents in ../shared/seeds/, not from the demo YAML: one
heading per line, indented four spaces per level, the number (if the document prints one) before the
heading. They are compared with the headings of the edition page and with the PDF's table of contents.
"""
import html
import io
import re

import pytest

from tests.reports.test_exports import requires_weasyprint

pytestmark = pytest.mark.django_db

# Jaarplan 2020: the list 'Thema's jaarplan 2020' (numbers and headings), with the body's nesting of
# 1 Toekomstgericht herbestemmen → 1.1 Haalbaarheidsstudies. Stadsgenoten, Innovaties and
# Stadsregionale ontwikkelingen are chapters without numbered werksporen.
JAARPLAN_2020 = """
O(mgeving) B(eleid) M(anagement) informatie
    1 Rapporterings- en visualisatietools
        1.1 Stad in cijfers
        1.2 ORBA of Opvolging Realisatie BestuursAkkoord
        1.3 Strategisch meerjarenplan en haar doelstellingen
    2 Ontwikkelen van een datawarehouse
    3 GDPR — Meer dan een dataregister
    4 Schillenboek of gemeentelijke processen gebouwgerelateerde informatie
Smart Cities
    1 De stad ‘slimmer’ maken
        1.1 Speerpuntenprogramma
        1.2 Studiereis
    2 Smart Flanders
    3 City of Things — Slimme steden en gemeenten
Stadsgenoten
Innovaties in de stedelijke organisatie
Stadsregionale ontwikkelingen en arrangementen
Ruimtelijk rendement
    1 Toekomstgericht herbestemmen
        1.1 Haalbaarheidsstudies herbestemmen van parochiekerken
    2 Van leegstaande naar verweven werklocaties
        2.1 Verweving I
        2.2 Verweving II
Europa
    1 Life + Integrated Projects Climate Action: project BE-REEL!
Andere opdrachten
    1 Het Kenniscentrum als gesprekspartner voor de Vlaamse regering en voor de minister bevoegd voor stedenbeleid en zijn administratie
    2 Tweedaagse opleiding gebiedsgericht werken ‘It takes a community to raise a child’
    3 Studiedag ‘Belangen, conflicten en bemiddelen’
"""

# Jaarplan 2024: the werksporen as the plan numbers them ('Hoe komen we tot een focus …'), DEMaD a
# sub-section of 1.2 and the mobility programme one of 1.8; Andere opdrachten has no numbers.
JAARPLAN_2024 = """
O(mgeving) B(eleid) M(anagement) informatie
    1 OBMi
    2 ORBA
    3 GDPR
    4 Datamaturiteit in de organisatie
    5 Parkeer- en ToegangsRegister
Smart Cities
    1.1 Speerpuntenprogramma
    1.2 Speerpunt Automatische rechtentoekenning
        DEMaD
    1.3 City Deal Rechtenverkenner 2.0
    1.4 City Deal E-inclusion by design
    1.5 Speerpunt Duurzame lokale energieproductie
    1.6 Speerpunt Nature-based solutions voor droogte en wateroverlast
    1.7 Speerpunt E-mobiliteit
    1.8 Smart Flanders met het programma Lokaal datagestuurd mobiliteitsbeleid
        Programma Lokaal datagestuurd mobiliteitsbeleid
    1.9 Flankerend overleg met partners
Stadsgenoten
    1 Bundelen en bergen van materialen, kennis en inzichten
    2 Kennis spreiden
Klimaat
    1 Klimaatgovernance
    2 Klimaatfinanciering in regie van steden
    3 BE REEL! Stappenplan Lokale langetermijn renovatiestrategie voor privaat patrimonium
Digitale Transitie
    1 Herijking opdracht
Andere opdrachten
    Het Kenniscentrum als gesprekspartner voor de Vlaamse Regering en voor de minister bevoegd voor stedenbeleid en haar administratie
    Atrium Centrumsteden
    Lerend netwerk Verweven werklocaties
    Interstedelijke Reflectiegroep Europa
    Werkgroep strategische coördinatoren centrumsteden
"""

# Jaarverslag 2024: no numbers, no programme chapters; the headings in the order of the document
# ('Rechtenverkenner 2.0' under the label 'City Deal', as the document sets it).
JAARVERSLAG_2024 = """
Werkgroep O(mgeving) B(eleid) M(anagement) informatie
Werkgroep ORBA en thematische workshops
Datamaturiteit in de stedelijke organisatie
KBO-sessie Risicobeheersing
Werkgroep GDPR
Impactmeting
Parkeer- en Toegangsrechtenregister
Speerpuntenprogramma
Speerpunt Automatische rechtentoekening
Rechtenverkenner 2.0
City Deal E-inclusion by Design
Speerpunt E-mobiliteit
Speerpunt Duurzame lokale energieproductie
Speerpunt Naturebased solutions voor droogte en wateroverlast – Lerend Netwerk InnoFiNS
Smart Flanders
Lokaal datagedreven mobiliteitsbeleid
Stadsgenoten
Klimaatgovernance
Life+ Integrated Projects Climate Action: project BE-REEL! – lokale langetermijn renovatiestrategie
Uitwisseling plan van aanpak klimaatuitdaging publiek patrimonium
Het Kenniscentrum als gesprekspartner voor de Vlaamse Regering en de minister bevoegd voor stedenbeleid en haar administratie
Interstedelijke Reflectiegroep Europa
Nota Gemeentefonds 2.0
"""

# Jaarverslag 2025: its table of contents ('Inhoud'), up to the closing texts and the settlement.
JAARVERSLAG_2025 = """
Werkgroep OBMI
Werking Opvolging Realisatie BestuursAkkoord
Datamaturiteit in de stedelijke organisatie
KBO-sessies Risicobeheersing
Werkgroep GDPR
Traject Impactmeting
DEMaD
Interstedelijke Reflectiegroep Europa
Speerpuntenprogramma
Automatische rechtentoekenning
City Deal Rechtenverkenner 2.0
City Deal E-inclusion by Design
Duurzame lokale energieproductie
Lerend Netwerk InnoFiNS
Smart Flanders
Stadsgenoten
Herijkingsopdracht Digitale transitie
Lerend netwerk Mensgericht ontwerpen van dienstverlening
Werkgroep NIS2
Life+ Integrated Projects Climate Action: project BE-REEL! – lokale langetermijn renovatiestrategie
Uitwisseling plan van aanpak klimaatuitdaging publiek patrimonium
Klimaatgovernance
CapaCITIES 2.0
Het Kenniscentrum als gesprekspartner voor de Vlaamse Regering en de minister bevoegd voor stedenbeleid en zijn/haar administratie
"""

EDITIONS = [
    ("/jaarplan/2020/", JAARPLAN_2020),
    ("/jaarplan/2024/", JAARPLAN_2024),
    ("/jaarverslag/2024/", JAARVERSLAG_2024),
    ("/jaarverslag/2025/", JAARVERSLAG_2025),
]
IDS = ["jaarplan-2020", "jaarplan-2024", "jaarverslag-2024", "jaarverslag-2025"]


def _table(text: str) -> list[tuple[int, str]]:
    """(level, 'number heading') rows of a table above; level 1 is a top-level heading."""
    return [(1 + (len(line) - len(line.lstrip(" "))) // 4, line.strip()) for line in text.strip("\n").splitlines()]


def _page_outline(html_text: str) -> list[tuple[int, str]]:
    """The outline headings of an edition page: h2 chapters, h3 entries under them, h4 deeper."""
    rows = []
    for level, inner in re.findall(
        r'<h([234]) id="(?:werkspoor|programma|hoofdstuk)-[^"]*-titel">(.*?)</h\1>', html_text, re.S
    ):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", inner)).split())
        rows.append((int(level) - 1, text))
    return rows


@pytest.mark.parametrize("path,table", EDITIONS, ids=IDS)
def test_edition_page_has_the_outline_of_its_source_document(demo, client, path, table):
    response = client.get(path)
    assert response.status_code == 200
    assert _page_outline(response.content.decode()) == _table(table)


def _pdf_toc_rows(content: bytes) -> list[str]:
    """The rows of the PDF's table of contents, each 'title' without its dots and page number."""
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    toc_pages = [p for p in pages[1:] if re.search(r"^(Jaarplan|Jaarverslag) \d{4} Inhoud$", p, re.M)]
    text = "\n".join(toc_pages)
    text = re.sub(r"^(Inhoud|(Jaarplan|Jaarverslag) \d{4} Inhoud|Kenniscentrum Vlaamse Steden \d+ / \d+)$", "", text, flags=re.M)
    text = re.sub("\u2010\n", "", text)  # a word hyphenated at the end of a line
    text = " ".join(text.split())
    return [" ".join(title.split()) for title, _page in re.findall(r"(.+?)\s*\.{3,}\s*(\d+)\s*", text)]


@requires_weasyprint
@pytest.mark.parametrize("path,table", EDITIONS, ids=IDS)
def test_edition_pdf_table_of_contents_has_the_outline_of_its_source_document(demo, client, path, table):
    response = client.get(f"{path}pdf/")
    assert response.status_code == 200
    rows = _pdf_toc_rows(response.content)
    # The printed table of contents goes three levels deep, as the documents' own contents do.
    expected = [text for level, text in _table(table) if level <= 3]
    assert expected[0] in rows, rows
    start = rows.index(expected[0])
    assert rows[start:start + len(expected)] == expected
