import csv
import datetime
import io
import json
import re

import pytest
from icalendar import Calendar

from programmes.models import EditorialStatus, Meeting
from reports.exports import html as html_export, opendata, pdf
from reports.models import Edition
from tests.accessibility_results import record
from tests.factories import (
    make_budget, make_edition, make_group, make_group_year, make_link, make_meeting, make_track, make_track_year, outline,
)

pytestmark = pytest.mark.django_db


def _weasyprint_missing_reason():
    try:
        import weasyprint  # noqa: F401  (loads pango & co. through cffi)
    except (ImportError, OSError) as exc:
        return f"WeasyPrint cannot load its native libraries (pango, harfbuzz): {exc}"
    return ""


requires_weasyprint = pytest.mark.skipif(bool(_weasyprint_missing_reason()), reason=_weasyprint_missing_reason() or "-")


@pytest.fixture(autouse=True)
def _pdf_cache(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"


@pytest.fixture
def render_count(monkeypatch):
    """Counts the WeasyPrint renderings behind the PDF downloads."""
    calls = []
    real = pdf.render_pdf

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counting)
    return calls


def _pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


# --- PDF ------------------------------------------------------------------------------------------------

@requires_weasyprint
def test_second_pdf_download_is_served_from_cache_without_rendering(client, render_count):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_track_year(year=2024, number="1")
    outline(edition)

    first = client.get("/jaarverslag/2024/pdf/")
    second = client.get("/jaarverslag/2024/pdf/")

    # The render counter and the header say what a stopwatch would only guess on a busy CI machine.
    assert len(render_count) == 1
    assert (first["X-PDF-Cache"], second["X-PDF-Cache"]) == ("miss", "hit")
    assert second.content == first.content


@requires_weasyprint
def test_pdf_is_rebuilt_when_anything_in_the_edition_changes(client, render_count):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    ty = make_track_year(year=2024, report_text="<p>Eerste versie.</p>")
    outline(edition)
    client.get("/jaarverslag/2024/pdf/")
    ty.report_text = "<p>Tweede versie.</p>"
    ty.save()

    response = client.get("/jaarverslag/2024/pdf/")

    assert len(render_count) == 2
    assert "Tweede versie." in " ".join(_pdf_pages(response.content))
    assert len(list(pdf.pdf_cache_dir().glob("report-2024-*.pdf"))) == 1  # the stale PDF is gone


@requires_weasyprint
def test_staff_can_download_draft_pdf_marked_concept_on_every_page(staff_client):
    edition = make_edition(kind=Edition.Kind.PLAN, year=2026, status=EditorialStatus.DRAFT)
    make_track_year(year=2026, plan_text="<p>Nog niet klaar.</p>", plan_status=EditorialStatus.DRAFT)
    outline(edition)

    response = staff_client.get("/jaarplan/2026/pdf/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    pages = _pdf_pages(response.content)
    assert all("concept" in page.lower() for page in pages)
    assert "Nog niet klaar." in " ".join(pages)


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_anonymous_visitor_gets_404_for_draft_edition_export(client, fmt):
    make_edition(kind=Edition.Kind.REPORT, year=2025, status=EditorialStatus.DRAFT)
    assert client.get(f"/jaarverslag/2025/{fmt}/").status_code == 404


def test_draft_edition_is_not_in_feed_sitemap_or_open_data(client):
    make_edition(kind=Edition.Kind.REPORT, year=2025, status=EditorialStatus.DRAFT)
    make_budget(year=2025, total="536718.78")
    make_track_year(year=2025, report_text="<p>Concepttekst</p>", report_status=EditorialStatus.DRAFT, plan_text="")

    assert "Jaarverslag 2025" not in client.get("/edities/feed.atom").content.decode()
    assert "/jaarverslag/2025/" not in client.get("/sitemap.xml").content.decode()
    assert client.get("/open-data/2025/budget.csv").status_code == 404


# --- Single-file HTML -----------------------------------------------------------------------------------

def test_html_download_is_one_self_contained_file(client):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    ty = make_track_year(year=2024, number="1.1", report_text="<p>Over de Rechtenverkenner.</p>")
    make_link(track_year=ty, title="de Rechtenverkenner", url="https://www.rechtenverkenner.be")
    outline(edition)

    response = client.get("/jaarverslag/2024/html/")
    html = response.content.decode()

    assert response["Content-Disposition"].startswith("attachment;")
    assert "<style>" in html and 'rel="stylesheet"' not in html
    assert not re.search(r'(src|href)="/', html)  # nothing that needs this server
    assert f'href="#werkspoor-{ty.track.slug}"' in html  # the table of contents still works offline
    assert "Over de Rechtenverkenner." in html and "https://www.rechtenverkenner.be" in html


def test_the_phones_floating_contents_is_on_the_page_but_never_in_the_downloads(client):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_track_year(year=2024, number="1.1", report_text="<p>Over de Rechtenverkenner.</p>")
    outline(edition)

    from django.contrib.auth.models import AnonymousUser

    from reports.exports import edition_export_html

    assert 'class="edition-jump"' in client.get("/jaarverslag/2024/").content.decode()
    download = client.get("/jaarverslag/2024/html/").content.decode()
    assert 'class="edition-jump"' not in download and 'id="inhoudstafel"' in download  # the contents themselves stay
    pdf_source = edition_export_html(edition=edition, user=AnonymousUser())
    assert 'class="edition-jump"' not in pdf_source and 'id="inhoudstafel"' in pdf_source


def test_standalone_html_embeds_local_images_as_data_uris():
    html = html_export.standalone_html('<img src="/static/fonts/LiberationSans-Regular.ttf" alt="">', origin="https://x.be")
    assert 'src="data:' in html


# --- Open data ------------------------------------------------------------------------------------------

def _csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_open_data_tracks_csv_matches_database_and_skips_drafts(client):
    ty = make_track_year(year=2024, number="1.3", report_text="<p>Gedaan.</p>", plan_text="")
    ty.track.title = "Rechtenverkenner in Sint-Niklaas en Roeselare — één platform"
    ty.track.save()
    make_track_year(year=2024, report_status=EditorialStatus.DRAFT, plan_status=EditorialStatus.DRAFT)
    make_track_year(year=2024, track=make_track(is_public=False))
    outline(make_edition(kind=Edition.Kind.REPORT, year=2024))

    response = client.get("/open-data/2024/werksporen.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    assert [r["title"] for r in rows] == ["Rechtenverkenner in Sint-Niklaas en Roeselare — één platform"]
    assert rows[0]["number"] == "1.3" and rows[0]["in_report"] == "true" and rows[0]["in_plan"] == "false"
    assert list(rows[0]) == [name for name, _meaning in opendata.DATASETS["werksporen"].columns]


def test_open_data_groups_json_carries_meeting_counts(client):
    ty = make_track_year(year=2024)
    group = make_group(name="Werkgroep OBMi")
    group.tracks.add(ty.track)
    make_group_year(group=group, year=2024, reported_meetings=7)
    hidden = make_group(is_public=False)
    make_meeting(group=hidden, year=2024)

    payload = json.loads(client.get("/open-data/2024/werkgroepen.json").content)

    assert payload["columns"][:2] == ["year", "name"]
    assert [(r["name"], r["meeting_count"]) for r in payload["rows"]] == [("Werkgroep OBMi", 7)]


def test_open_data_meetings_keep_date_precision_and_status(client):
    make_track_year(year=2024)
    make_meeting(title="Studiedag", year=2024, month=3, day=14, kind="study_day")
    make_meeting(title="Netwerkdag", year=2024, period="autumn", status=Meeting.Status.PLANNED)
    make_meeting(title="Geheim", year=2024, month=5, is_public=False)

    rows = {r["title"]: r for r in _csv_rows(client.get("/open-data/2024/vergaderingen.csv"))}

    assert set(rows) == {"Studiedag", "Netwerkdag"}
    assert (rows["Studiedag"]["date"], rows["Studiedag"]["date_precision"], rows["Studiedag"]["kind"]) == ("2024-03-14", "day", "studiedag")
    assert (rows["Netwerkdag"]["date"], rows["Netwerkdag"]["date_precision"], rows["Netwerkdag"]["date_text"]) == ("2024", "period", "najaar 2024")


def test_open_data_budget_and_links_follow_the_published_jaarverslag(client):
    make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_budget(year=2024, total="1026647.54")
    ty = make_track_year(year=2024)
    make_link(track_year=ty, title="de nota", url="https://example.org/nota")
    make_link(track_year=ty, title="het ontbrekende", url="#")

    budget = _csv_rows(client.get("/open-data/2024/budget.csv"))
    links = json.loads(client.get("/open-data/2024/links.json").content)["rows"]

    assert budget[0]["actual"] == "1026647.54"
    assert [(r["title"], r["url"], r["owner_type"]) for r in links] == [
        ("de nota", "https://example.org/nota", "werkspoor"),
        ("het ontbrekende", "", "werkspoor"),  # the document names it; its address is not known: listed, no address
    ]


def test_open_data_page_documents_every_column(client):
    make_track_year(year=2024)
    html = client.get("/open-data/").content.decode()
    for dataset in opendata.DATASETS.values():
        for name, _meaning in dataset.columns:
            assert f"<code>{name}</code>" in html
    assert "/open-data/2024/werksporen.csv" in html


# --- Calendar -------------------------------------------------------------------------------------------

def _events(response):
    cal = Calendar.from_ical(response.content)
    return cal, {str(e["summary"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def early_2024(monkeypatch):
    """Today is 2 January 2024: the meetings of 2024 and 2025 these tests make are still to come, so in the feeds."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2024, 1, 2))


def test_calendar_feed_holds_everything_to_come_and_the_last_twelve_months(client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2025, 6, 15))
    make_meeting(title="Vorig voorjaar", year=2024, month=5, day=30)
    make_meeting(title="Vorige zomer", year=2024, month=6, day=3)
    make_meeting(title="Vorige maand", year=2025, month=5, day=20)
    make_meeting(title="Najaar", year=2025, period="autumn")
    make_meeting(title="Volgend jaar", year=2027, month=2, day=1)

    _cal, events = _events(client.get("/kalender.ics"))

    assert set(events) == {"Vorige zomer", "Vorige maand", "Najaar", "Volgend jaar"}


def test_calendar_feed_asks_subscribed_agendas_to_refresh_it(client):
    body = client.get("/kalender.ics").content.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in body and "X-PUBLISHED-TTL:PT6H" in body


def test_calendar_description_is_plain_text_with_apostrophes_and_ampersands(client, early_2024):
    from programmes.richtext import to_safe_html

    description = to_safe_html("<p>Presentatie van 'Stad in cijfers' &amp; de <em>kwartaalcijfers</em>.</p><ul><li>Gent</li><li>Genk</li></ul>")
    make_meeting(title="Stad in cijfers", year=2024, month=3, day=14, description=description)

    _cal, events = _events(client.get("/kalender.ics"))
    text = str(events["Stad in cijfers"]["description"])

    assert "Presentatie van 'Stad in cijfers' & de kwartaalcijfers.\n- Gent\n- Genk" in text
    assert not any(markup in text for markup in ("&#x27;", "&amp;", "&#39;", "<"))


def test_calendar_feed_is_valid_and_round_trips(client, early_2024):
    make_meeting(title="Werkgroep", year=2024, month=3, day=14)
    response = client.get("/kalender.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal, events = _events(response)
    assert cal["version"] == "2.0" and cal["prodid"]
    assert Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()
    event = events["Werkgroep"]
    assert event.decoded("dtstart").isoformat() == "2024-03-14"
    assert event.decoded("dtend").isoformat() == "2024-03-15"
    assert event["uid"] and event["dtstamp"]


def test_calendar_places_partial_dates_postponed_and_cancelled_meetings(client, early_2024):
    import datetime

    make_meeting(title="Maand", year=2024, month=2, status=Meeting.Status.PLANNED)
    make_meeting(title="Najaar", year=2024, period="autumn", status=Meeting.Status.PLANNED)
    make_meeting(title="Alleen jaar", year=2024)
    make_meeting(title="Uitgesteld", year=2024, month=4, day=2, status=Meeting.Status.POSTPONED,
                 new_date=datetime.date(2024, 6, 11))
    make_meeting(title="Geannuleerd", year=2024, month=5, day=7, status=Meeting.Status.CANCELLED)
    make_meeting(title="Privé", year=2024, month=5, day=8, is_public=False)

    _cal, events = _events(client.get("/kalender.ics"))

    assert set(events) == {"Maand", "Najaar", "Uitgesteld", "Geannuleerd"}
    assert (events["Maand"].decoded("dtstart"), events["Maand"].decoded("dtend")) == (datetime.date(2024, 2, 1), datetime.date(2024, 3, 1))
    assert (events["Najaar"].decoded("dtstart"), events["Najaar"].decoded("dtend")) == (datetime.date(2024, 9, 1), datetime.date(2024, 12, 1))
    assert events["Uitgesteld"].decoded("dtstart") == datetime.date(2024, 6, 11)
    assert "11 juni 2024" in str(events["Uitgesteld"]["description"])
    assert str(events["Geannuleerd"]["status"]) == "CANCELLED"


def test_calendar_gives_a_meeting_with_hours_its_brussels_time_and_keeps_others_all_day(client, early_2024):
    import datetime
    from zoneinfo import ZoneInfo

    brussels = ZoneInfo("Europe/Brussels")
    make_meeting(title="Zomeroverleg", year=2025, month=6, day=3, start_time=datetime.time(14), end_time=datetime.time(16))
    make_meeting(title="Winteroverleg", year=2025, month=1, day=14, start_time=datetime.time(9, 30))
    make_meeting(title="Tweedaagse", year=2025, month=10, day=8, end_day=9, start_time=datetime.time(9), end_time=datetime.time(17))
    make_meeting(title="Hele dag", year=2025, month=6, day=4)

    _cal, events = _events(client.get("/kalender.ics"))

    summer = events["Zomeroverleg"]
    assert summer.decoded("dtstart") == datetime.datetime(2025, 6, 3, 14, tzinfo=brussels)  # 12.00 UTC in summer time
    assert summer.decoded("dtend") == datetime.datetime(2025, 6, 3, 16, tzinfo=brussels)
    assert "3 juni 2025, 14.00–16.00 uur" in str(summer["description"])
    winter = events["Winteroverleg"]
    assert winter.decoded("dtstart") == datetime.datetime(2025, 1, 14, 9, 30, tzinfo=brussels)  # 8.30 UTC
    assert "dtend" not in winter  # the end is not known
    two_days = events["Tweedaagse"]
    assert (two_days.decoded("dtstart"), two_days.decoded("dtend")) == (
        datetime.datetime(2025, 10, 8, 9, tzinfo=brussels), datetime.datetime(2025, 10, 9, 17, tzinfo=brussels))
    assert events["Hele dag"].decoded("dtstart") == datetime.date(2025, 6, 4)


def test_open_data_meetings_carry_their_hours(client):
    import datetime

    make_track_year(year=2025)
    make_meeting(title="Overleg", year=2025, month=6, day=3, start_time=datetime.time(14), end_time=datetime.time(16))

    row = _csv_rows(client.get("/open-data/2025/vergaderingen.csv"))[0]

    assert (row["start_time"], row["end_time"], row["date_text"]) == ("14:00", "16:00", "3 juni 2025, 14.00–16.00 uur")


def test_group_calendar_holds_only_that_groups_meetings_and_hides_private_groups(client, early_2024):
    group, other, private = make_group(), make_group(), make_group(is_public=False)
    make_meeting(title="Eigen", group=group, year=2024, month=1, day=9)
    make_meeting(title="Andere", group=other, year=2024, month=1, day=10)

    _cal, events = _events(client.get(f"/werkgroepen/{group.slug}/kalender.ics"))

    assert set(events) == {"Eigen"}
    assert client.get(f"/werkgroepen/{private.slug}/kalender.ics").status_code == 404


# --- Atom and sitemap -----------------------------------------------------------------------------------

def test_atom_feed_lists_published_editions(client):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    response = client.get("/edities/feed.atom")
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Jaarverslag 2024</title>" in body and outline(edition).get_absolute_url() in body


def test_sitemap_lists_public_pages_only(client):
    make_edition(kind=Edition.Kind.REPORT, year=2024)
    ty = make_track_year(year=2024)
    hidden = make_track_year(year=2024, track=make_track(is_public=False))
    public_group, private_group = make_group(), make_group(is_public=False)

    body = client.get("/sitemap.xml").content.decode()

    for path in ("/jaarverslag/2024/", "/open-data/", ty.track.get_absolute_url(), public_group.get_absolute_url()):
        assert f"http://testserver{path}</loc>" in body
    assert hidden.track.get_absolute_url() not in body and private_group.get_absolute_url() not in body



def test_csv_cells_that_look_like_formulas_are_neutralised_but_json_keeps_them(client):
    make_track_year(year=2019)
    make_meeting(title='=HYPERLINK("http://x","klik")', year=2019, month=2, day=3)
    make_meeting(title="@SUM(A1)", place="+32 2 000 00 00", year=2019, month=2, day=4)

    rows = {r["id"]: r for r in _csv_rows(client.get("/open-data/2019/vergaderingen.csv"))}
    titles = sorted(r["title"] for r in rows.values())
    assert titles == ["'=HYPERLINK(\"http://x\",\"klik\")", "'@SUM(A1)"]
    assert [r["place"] for r in rows.values() if r["place"]] == ["'+32 2 000 00 00"]
    json_titles = sorted(r["title"] for r in json.loads(client.get("/open-data/2019/vergaderingen.json").content)["rows"])
    assert json_titles == ['=HYPERLINK("http://x","klik")', "@SUM(A1)"]


def test_atom_summary_shows_markup_in_a_subtitle_as_text(client):
    from xml.etree import ElementTree

    make_edition(kind=Edition.Kind.REPORT, year=2019, subtitle='<img src=x onerror="alert(1)"> & <b>vet</b>')
    feed = ElementTree.fromstring(client.get("/edities/feed.atom").content)
    summary = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") == "html"
    # What a reader renders as HTML is the escaped text: no element, the characters shown as typed.
    assert summary.text == '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;vet&lt;/b&gt;'


# --- Accessible PDF (PDF/UA-1) --------------------------------------------------------------------------

def _pdf_images(reader):
    """(structure element, image) pairs: every /Figure in the structure tree, and every image XObject."""
    figures, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        if node.get("/S") == "/Figure":
            figures.append(node)
        kids = node.get("/K")
        if kids is not None:
            stack.extend(kids if isinstance(kids, list) else [kids])
    # WeasyPrint shares one resource dictionary between pages: the same image shows up on each of them.
    images = {image.data for page in reader.pages for image in page.images}
    return figures, images


def pdf_tagging(content: bytes, title: str) -> dict[str, bool]:
    """The PDF/UA checks the accessibility statement reports: a structure tree and marked content, the
    document language, a title the reader shows, and alternative text on every figure."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    figures, images = _pdf_images(reader)
    return {
        "structuur": "/StructTreeRoot" in root and "/MarkInfo" in root and root["/MarkInfo"].get("/Marked") == True,  # noqa: E712
        "taal": root.get("/Lang") == "nl-BE",
        "titel": bool(reader.metadata and (reader.metadata.title or "").startswith(title))
                 and root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") == True,  # noqa: E712
        "alternatieve tekst": len(figures) >= len(images) and all(str(f.get("/Alt", "")).strip() for f in figures),
    }


@requires_weasyprint
def test_edition_pdf_is_tagged_in_dutch_with_its_title_and_alt_text_for_every_image(client, settings, tmp_path):
    from pypdf import PdfReader
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from reports.models import EditionImage

    settings.MEDIA_ROOT = tmp_path / "media"
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_track_year(year=2024, number="1.1", report_text="<p>Over de Rechtenverkenner.</p>")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 79, 108)).save(buffer, format="PNG")
    EditionImage.objects.create(
        edition=edition, image=SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png"),
        alt_text="Luchtfoto van een stadsplein", credit="Pieter Voorhout", placement="Coverbeeld",
    )

    reader = PdfReader(io.BytesIO(client.get("/jaarverslag/2024/pdf/").content))
    root = reader.trailer["/Root"]

    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl-BE"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert reader.metadata.title.startswith("Jaarverslag 2024")
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    figures, images = _pdf_images(reader)
    assert images, "the cover image is in the PDF"
    assert len(figures) >= len(images)
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)
    assert any(figure["/Alt"] == "Luchtfoto van een stadsplein" for figure in figures)


# --- The demo jaarverslag 2024 (last: the demo content stays loaded for the rest of the module) ----------

@requires_weasyprint
def test_jaarverslag_2024_pdf_has_cover_toc_with_page_numbers_and_key_facts(client, demo):
    response = client.get("/jaarverslag/2024/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = _pdf_pages(response.content)

    assert 10 <= len(pages) <= 30  # staff and figures are in the jaarplan, not here (issue 8)
    assert "Jaarverslag 2024" in pages[0] and "kenniscentrum vlaamse steden" in pages[0].lower()
    toc = pages[1]
    assert "Inhoud" in toc
    colofon_page = int(re.search(r"Colofon[\s.]*?(\d+)\s*$", toc, re.M).group(1))
    assert colofon_page == len(pages)  # the real page number, and the colophon closes the document
    assert "Colofon" in pages[colofon_page - 1] and "v.u." in pages[colofon_page - 1]
    obmi_page = int(re.search(r"Werkgroep O\(mgeving\) B\(eleid\) M\(anagement\) informatie[\s.]*?(\d+)", toc).group(1))
    assert "OBMi" in pages[obmi_page - 1]
    text = " ".join(pages).replace("\n", " ")
    assert "1.026.647,54 euro" in text
    assert "kwam in 2024 7 keer samen" in text
    assert f"{len(pages)} / {len(pages)}" in pages[-1]  # page footer


@requires_weasyprint
def test_jaarverslag_2024_pdf_has_no_nearly_empty_page_and_no_hyphenation_errors(client, demo):
    pages = _pdf_pages(client.get("/jaarverslag/2024/pdf/").content)

    lines = [len([line for line in page.splitlines() if line.strip()]) for page in pages]
    # Short chapters flow on: no page is broken off early. The cover is the exception, and the last page ends where the text does.
    assert all(count >= 15 for count in lines[1:-1]), lines
    assert len(pages) <= 16  # was 21 when every chapter opened a page
    # No automatic hyphens (WeasyPrint sets U+2010): pyphen's nl_NL patterns gave "projec-topvolging".
    assert "\u2010" not in " ".join(pages)


def test_pdf_that_cannot_be_made_gives_a_dutch_error_page_for_that_download_only(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    edition = make_edition(kind=Edition.Kind.REPORT, year=2031)
    response = client.get(f"/jaarverslag/{edition.year}/pdf/")

    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"  # no cache in front of the site keeps the error
    page = response.content.decode()
    assert "De PDF van Jaarverslag 2031 kan nu niet gemaakt worden" in page
    assert "Intussen kan u het jaarverslag lezen" in page
    assert 'href="/jaarverslag/2031/"' in page and 'href="/jaarverslag/2031/html/"' in page
    assert client.get(f"/jaarverslag/{edition.year}/").status_code == 200
    assert client.get(f"/jaarverslag/{edition.year}/html/").status_code == 200


def test_pdf_that_cannot_be_stored_is_still_served_with_one_warning(client, settings, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(pdf, "render_pdf", lambda html, base_url: b"%PDF-1.7 rendered")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.PDF_CACHE_DIR = blocker / "pdf"  # nothing can be created under a file: like a full or read-only volume
    edition = make_edition(kind=Edition.Kind.REPORT, year=2031)

    with caplog.at_level("WARNING"):
        response = client.get(f"/jaarverslag/{edition.year}/pdf/")

    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 rendered"
    assert [(r.levelname, r.exc_info) for r in caplog.records] == [("WARNING", None)]
    assert "not stored" in caplog.records[0].getMessage()


def test_open_data_links_include_references_under_published_edition_texts(client):
    import csv
    import io

    from reports.models import EditionSection, SectionLink

    edition = make_edition(kind=Edition.Kind.REPORT, year=2032)
    section = EditionSection.objects.create(edition=edition, title="Communicatie", slug="communicatie", body="<p>x</p>")
    SectionLink.objects.create(section=section, title="de oogst van 2032", url="https://example.org/oogst")
    SectionLink.objects.create(section=section, title="intern", url="https://example.org/intern", is_public=False)
    SectionLink.objects.create(section=section, title="het persbericht", url=" # ")
    rows = list(csv.DictReader(io.StringIO(client.get("/open-data/2032/links.csv").content.decode("utf-8-sig"))))
    assert [(r["title"], r["url"]) for r in rows if r["owner_type"] == "editie"] == [  # (the demo's groups may be at work in 2032)
        ("de oogst van 2032", "https://example.org/oogst"), ("het persbericht", ""),
    ]


def test_calendar_feed_folds_long_lines_and_escapes_text_that_round_trips(client, early_2024):
    description = "<p>Wijkgerichte aanpak; stadsvernieuwing, klimaatadaptatie en één gedeelde agenda — " * 4 + "</p>"
    make_meeting(title="Studiedag: wonen, werken; leven", year=2024, month=10, day=3, description=description,
                 place="Stadhuis, Grote Markt")

    body = client.get("/kalender.ics").content

    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    _cal, events = _events(client.get("/kalender.ics"))
    event = events["Studiedag: wonen, werken; leven"]
    assert "één gedeelde agenda" in str(event["description"])
    assert str(event["location"]) == "Stadhuis, Grote Markt"


@requires_weasyprint
def test_every_published_demo_edition_pdf_is_tagged(client, demo):
    """The PDFs the site publishes, as the accessibility statement counts them (PDF/UA-1 tagging)."""
    failed = {}
    for edition in Edition.objects.filter(status=EditorialStatus.PUBLISHED).order_by("year", "kind"):
        url = f"{edition.get_absolute_url()}pdf/"
        checks = pdf_tagging(client.get(url).content, str(edition))
        record("pdf", url, checks=checks)
        failed.update({f"{url} {name}": ok for name, ok in checks.items() if not ok})
    assert Edition.objects.filter(status=EditorialStatus.PUBLISHED).count() >= 4
    assert failed == {}
