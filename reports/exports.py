"""Exports of the public data: edition PDF and single-file HTML, open data (CSV/JSON) and iCalendar feeds.

Everything here reads through the same visibility rules as the web pages: an anonymous visitor
gets published editions and public items only; staff may also export a draft edition, which is
then marked "concept".
"""
import base64
import logging
import contextlib
import csv
import datetime
import fcntl
import functools
import hashlib
import io
import json
import mimetypes
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from pypdf import PdfReader

from programmes.models import (
    MONTHS_NL, Budget, EditorialStatus, Link, Meeting, WorkingGroup, WorkTrack, WorkTrackYear,
)
from programmes.selectors import meeting_counts

from .assembly import edition_assemble
from .models import Edition, EditionEntry, SectionLink

ORGANISATION = "Kenniscentrum Vlaamse Steden"
PDF_STYLESHEETS = ("css/site.css", "css/pdf.css")
PDF_VARIANT = "pdf/ua-1"  # tagged PDF: structure tree, /Lang, /MarkInfo, title shown by readers

logger = logging.getLogger(__name__)


# --- Editions: the HTML that feeds the PDF and the single-file download --------------------------------

def edition_for_user(*, user, kind: str, year: int) -> Edition:
    """The edition a user may export; drafts are a 404 for anyone but staff, in every format."""
    return get_object_or_404(Edition.objects.visible_to(user), kind=kind, year=year)


def edition_export_html(*, edition: Edition, user, inline_css: str = "") -> str:
    """The edition as one HTML document, rendered from the same templates as the web page.

    Nothing in it depends on the request or the clock, so equal HTML means an equal PDF: that is
    what makes the HTML hash an honest cache key.
    """
    context = {"edition": edition, "is_preview": not edition.is_published, "inline_css": inline_css,
               "organisation": ORGANISATION}
    # A published edition is frozen at publication (snapshot_html): the downloads show what the page shows.
    frozen = getattr(edition, "snapshot_html", "") if edition.is_published else ""
    if frozen:
        context["frozen_html"] = mark_safe(frozen)
    else:
        # A published edition without a frozen copy shows what the public sees, never drafts.
        viewer = AnonymousUser() if edition.is_published else user
        context["content"] = edition_assemble(edition=edition, user=viewer)
    return render_to_string("reports/pdf/edition.html", context)



def _static_path(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(found)


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def local_file_for_url(url: str, *, base_url: str = "") -> Path | None:
    """The file on disk behind a /static/ or /media/ URL (absolute or site-relative), else None.

    Exports never fetch over the network: that would call back into this very server (and let an
    editor's URL make the server fetch arbitrary addresses).
    """
    if base_url and url.startswith(base_url):
        url = "/" + url[len(base_url):].lstrip("/")
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(unquote(parts.path)).resolve()
        allowed = _static_roots() + [Path(settings.MEDIA_ROOT).resolve()]
        return path if any(path.is_relative_to(root) for root in allowed) and path.is_file() else None
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL):])
        return Path(found) if found else None
    if path.startswith(settings.MEDIA_URL):
        media_root = Path(settings.MEDIA_ROOT).resolve()
        candidate = (media_root / path[len(settings.MEDIA_URL):]).resolve()
        return candidate if candidate.is_relative_to(media_root) and candidate.is_file() else None
    return None


def render_pdf(html: str, *, base_url: str) -> bytes:
    """WeasyPrint: the expensive step, only run when the cache has no PDF for this HTML.

    Written as PDF/UA-1, i.e. tagged: a structure tree (headings, lists, tables, figures with their alt
    text, link annotations), the document language from <html lang> and the title from <title>,
    shown by readers instead of the file name. A screen reader can navigate it like the web page.
    """
    # Imported here, not at the top: WeasyPrint needs Pango from the system, and a machine without it
    # must still serve every page (the PDF view then answers 503 in Dutch).
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = local_file_for_url(url, base_url=base_url)
            if path is None:
                raise ValueError(f"Exports laden alleen lokale bestanden: {url}")
            return super().fetch(path.as_uri(), headers)

    fetcher = LocalFetcher()
    fonts = FontConfiguration()
    stylesheets = [
        CSS(filename=str(_static_path(name)), font_config=fonts, url_fetcher=fetcher) for name in PDF_STYLESHEETS
    ]
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=fonts, pdf_variant=PDF_VARIANT)


def pdf_cache_dir() -> Path:
    """PDF_CACHE_DIR setting, else the DJANGO_PDF_CACHE_DIR variable, else var/pdf-cache (gitignored)."""
    configured = getattr(settings, "PDF_CACHE_DIR", None) or os.environ.get("DJANGO_PDF_CACHE_DIR")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "pdf-cache"


def pdf_fingerprint(html: str, *, base_url: str) -> str:
    """Everything the PDF depends on: the HTML, the stylesheets and the base for relative links."""
    digest = hashlib.sha256()
    for part in (html, base_url, *(_static_path(name).read_text() for name in PDF_STYLESHEETS)):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


RENDER_LOCK_TIMEOUT = 600  # longer than the largest render (≈ 20 s for a 100-page edition) by far


@contextlib.contextmanager
def render_lock(directory: Path, stem: str):
    """One rendering per edition at a time, across every instance that shares the PDF directory.

    With REDIS_URL the lock lives in Redis (a file lock on a network volume is not to be trusted);
    otherwise a file lock in the PDF directory, which covers the processes of one machine. A holder
    that dies frees the Redis lock after RENDER_LOCK_TIMEOUT; a waiter that gives up renders anyway.
    """
    if getattr(settings, "REDIS_URL", ""):
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1)
        lock = client.lock(f"kc:pdf-render:{stem}", timeout=RENDER_LOCK_TIMEOUT, blocking_timeout=RENDER_LOCK_TIMEOUT)
        try:
            acquired = lock.acquire()
        except redis.RedisError:
            logger.warning("PDF render lock in Redis unavailable; rendering without it", exc_info=True)
            acquired = False
        try:
            yield
        finally:
            if acquired:
                with contextlib.suppress(redis.RedisError):
                    lock.release()
            client.close()
        return
    with open(directory / f"{stem}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@dataclass
class CachedPdf:
    path: Path
    fingerprint: str
    rendered: bool  # False when an earlier download had already rendered it


def edition_pdf(*, edition: Edition, html: str, base_url: str) -> CachedPdf:
    """The PDF of this exact HTML, from the cache or rendered once.

    A lock per file makes a burst of downloads right after publication wait for one rendering
    instead of each starting its own. Older PDFs of the same edition are removed.
    """
    fingerprint = pdf_fingerprint(html, base_url=base_url)
    directory = pdf_cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{edition.kind}-{edition.year}"
    path = directory / f"{stem}-{fingerprint}.pdf"
    if path.exists():
        return CachedPdf(path, fingerprint, rendered=False)
    with render_lock(directory, stem):
        if path.exists():
            return CachedPdf(path, fingerprint, rendered=False)
        pdf = render_pdf(html, base_url=base_url)
        with tempfile.NamedTemporaryFile(dir=directory, suffix=".tmp", delete=False) as tmp:
            tmp.write(pdf)
        os.replace(tmp.name, path)
        for old in directory.glob(f"{stem}-*.pdf"):
            if old != path:
                with contextlib.suppress(FileNotFoundError):
                    old.unlink()
    return CachedPdf(path, fingerprint, rendered=True)


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    size_bytes: int

    @property
    def size_mb(self) -> float:
        return self.size_bytes / 1_000_000


def _pdf_cache_path(edition: Edition, fingerprint: str) -> Path:
    return pdf_cache_dir() / f"{edition.kind}-{edition.year}-{fingerprint}.pdf"


@functools.lru_cache(maxsize=64)
def _pdf_page_count(path: str, mtime_ns: int) -> int:
    return len(PdfReader(path).pages)


def cached_pdf_facts(*, edition: Edition, user, base_url: str) -> PdfFacts | None:
    """Pages and size of a published edition's PDF if the cache already holds this very version.

    Never renders: list pages call this for every edition they show. None when the PDF is not
    (yet) in the cache; the page then offers just "PDF".
    """
    if not edition.is_published:
        return None
    html = edition_export_html(edition=edition, user=user)
    path = _pdf_cache_path(edition, pdf_fingerprint(html, base_url=base_url))
    try:
        stat = path.stat()
        return PdfFacts(pages=_pdf_page_count(str(path), stat.st_mtime_ns), size_bytes=stat.st_size)
    except (FileNotFoundError, ValueError, OSError):
        return None


def _export_filename(edition: Edition, extension: str) -> str:
    draft = "" if edition.is_published else "-concept"
    return f"{edition.get_kind_display()}-{edition.year}{draft}.{extension}"


def _no_public_cache(response, edition: Edition):
    if not edition.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


def edition_pdf_view(request, year: int, kind: str):
    """/jaarplan/<jaar>/pdf/ and /jaarverslag/<jaar>/pdf/."""
    edition = edition_for_user(user=request.user, kind=kind, year=year)
    html = edition_export_html(edition=edition, user=request.user)
    try:
        pdf = edition_pdf(edition=edition, html=html, base_url=request.build_absolute_uri("/"))
    except (ImportError, OSError):
        # WeasyPrint needs Pango & co. from the system; without them say so instead of failing with a 500.
        logger.exception("PDF of %s could not be rendered", edition)
        return HttpResponse(
            "De PDF kan op dit moment niet gemaakt worden. Probeer het later opnieuw of lees de webversie.",
            status=503, content_type="text/plain; charset=utf-8", headers={"Retry-After": "3600"},
        )
    etag = f'"{pdf.fingerprint}"'
    if request.headers.get("If-None-Match") == etag:
        return _pdf_cache_control(request, HttpResponse(status=304, headers={"ETag": etag}), edition, pdf)
    response = HttpResponse(pdf.path.read_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_export_filename(edition, "pdf")}"'
    response["ETag"] = etag
    response["X-PDF-Cache"] = "miss" if pdf.rendered else "hit"
    return _pdf_cache_control(request, response, edition, pdf)


def _pdf_cache_control(request, response, edition: Edition, pdf: CachedPdf):
    """Drafts: never stored. The address with ?v=<fingerprint> names one exact file, so a CDN or browser
    may keep it for a year; the plain address gets the page cache's short max-age."""
    if edition.is_published and request.GET.get("v") == pdf.fingerprint:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return _no_public_cache(response, edition)


_EXPORT_OMIT_RE = re.compile(r'<(?P<tag>p|div)[^>]*\bdata-export="omit"[^>]*>.*?</(?P=tag)>', re.S)
_ASSET_RE = re.compile(r'(?P<attr>src|href)="(?P<url>[^"#][^"]*)"')
_CSS_URL_RE = re.compile(r"url\((['\"]?)(?P<url>[^'\")]+)\1\)")


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def standalone_html(html: str, *, origin: str) -> str:
    """Images become data: URIs; other site-relative links get the site's address so they work from disk."""
    html = _EXPORT_OMIT_RE.sub("", html)  # the download buttons: this file is the download

    def replace(match):
        url = match["url"]
        if match["attr"] == "src" and (path := local_file_for_url(url)) is not None:
            return f'src="{_data_uri(path)}"'
        if url.startswith("/") and not url.startswith("//"):
            return f'{match["attr"]}="{origin}{url}"'
        return match.group(0)

    return _ASSET_RE.sub(replace, html)


def _inline_css(name: str) -> str:
    """A stylesheet with its url() references (fonts, images) embedded, ready for a <style> element."""
    path = _static_path(name)

    def embed(match):
        target = (path.parent / match["url"]).resolve()
        return f"url({_data_uri(target)})" if target.is_file() else match.group(0)

    return _CSS_URL_RE.sub(embed, path.read_text())


def edition_html_view(request, year: int, kind: str):
    """/jaarplan/<jaar>/html/: one file with styles inline and images embedded, readable offline."""
    edition = edition_for_user(user=request.user, kind=kind, year=year)
    html = edition_export_html(edition=edition, user=request.user, inline_css=_inline_css("css/site.css"))
    response = HttpResponse(
        standalone_html(html, origin=request.build_absolute_uri("/").rstrip("/")), content_type="text/html; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_filename(edition, "html")}"'
    return _no_public_cache(response, edition)


# --- Open data ------------------------------------------------------------------------------------------

def _city_names(relation, owner_ids) -> dict[int, str]:
    """{owner id: "Aalst; Gent"} for a many-to-many relation to City, from plain values in one query.

    The open-data rows list the cities of every track or group; building a City instance for each of
    those hundreds of pairs took most of the CSV's time.
    """
    field = relation.field
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    names = defaultdict(list)
    rows = relation.through.objects.filter(**{f"{owner}_id__in": owner_ids}).values_list(f"{owner}_id", f"{target}__name")
    for owner_id, name in rows:
        names[owner_id].append(name)
    return {owner_id: "; ".join(sorted(values)) for owner_id, values in names.items()}


def _names(objects) -> str:
    return "; ".join(sorted(str(o) for o in objects))


def _amount(value) -> str:
    return "" if value is None else f"{Decimal(value):.2f}"


# Open data is the public record: it is built for an anonymous visitor, whoever downloads it.
PUBLIC = AnonymousUser()


def _published_track_years(year: int):
    return (
        WorkTrackYear.objects.visible_to(PUBLIC).for_year(year)
        .order_by("programme__order", "programme__name", "track__title")
    )


def _track_rows(year):
    in_plan = set(WorkTrackYear.objects.for_year(year).part_visible_to(PUBLIC, "plan").values_list("pk", flat=True))
    in_report = set(WorkTrackYear.objects.for_year(year).part_visible_to(PUBLIC, "report").values_list("pk", flat=True))
    # The number a track has in that year's published jaarplan, else jaarverslag (numbering belongs to an edition).
    numbers = dict(
        EditionEntry.objects.filter(edition__in=Edition.objects.visible_to(PUBLIC), edition__year=year, track_year__isnull=False)
        .order_by("-edition__kind").values_list("track_year_id", "number")
    )
    # Only the relations the rows use: with_related() also fetches the links, which this dataset does not show.
    track_years = list(_published_track_years(year).select_related("track", "programme").prefetch_related("track__partners"))
    track_ids = [ty.track_id for ty in track_years]
    lead_cities, cities = _city_names(WorkTrack.lead_cities, track_ids), _city_names(WorkTrack.cities, track_ids)
    for ty in track_years:
        track = ty.track
        yield {
            "year": year,
            "programme": ty.programme.name,
            "number": numbers.get(ty.pk, ""),
            "title": ty.display_title,
            "kind": track.get_kind_display(),
            "lead_cities": lead_cities.get(track.pk, ""),
            "cities": cities.get(track.pk, ""),
            "partners": _names(track.partners.all()),
            "in_plan": ty.pk in in_plan,
            "in_report": ty.pk in in_report,
            "status": "afgerond" if track.end_year and track.end_year <= year else "lopend",
            "url": track.get_absolute_url(),
        }


def _groups_in_year(year):
    """Public groups that served a published track that year, or met or reported meetings in it."""
    groups = WorkingGroup.objects.visible_to(PUBLIC)
    track_ids = _published_track_years(year).values("track_id")
    in_year = (
        groups.filter(tracks__in=track_ids) | groups.filter(meetings__year=year) | groups.filter(year_figures__year=year)
    )
    return in_year.distinct()


def _groups_for_year(year):
    groups = _groups_in_year(year).select_related("lead_city", "programme").prefetch_related("partners")
    groups = list(groups.order_by("name"))
    return groups, meeting_counts(group_ids=[g.pk for g in groups], years=[year])


def _group_rows(year):
    groups, counts = _groups_for_year(year)
    cities = _city_names(WorkingGroup.cities, [g.pk for g in groups])
    for g in groups:
        yield {
            "year": year,
            "name": g.name,
            "kind": g.get_kind_display(),
            "programme": g.programme.name if g.programme else "",
            "lead_city": g.lead_city.name if g.lead_city else "",
            "cities": cities.get(g.pk, ""),
            "partners": _names(g.partners.all()),
            "frequency": g.frequency,
            "meeting_count": counts.get((g.pk, year), ""),
            "url": g.get_absolute_url(),
        }


def meeting_iso_date(meeting: Meeting) -> str:
    """As much of the date as is known: 2024-03-01, 2024-03 or 2024."""
    if meeting.day:
        return f"{meeting.year:04d}-{meeting.month:02d}-{meeting.day:02d}"
    if meeting.month:
        return f"{meeting.year:04d}-{meeting.month:02d}"
    return f"{meeting.year:04d}"


def _meeting_rows(year):
    for m in Meeting.objects.visible_to(PUBLIC).for_year(year).with_related().order_by("sort_date", "title", "pk"):
        yield {
            "id": m.pk,
            "year": year,
            "date": meeting_iso_date(m),
            "end_date": m.end_date.isoformat() if m.end_date else "",
            "date_precision": m.precision,
            "period": m.get_period_display() if m.period else "",
            "date_text": m.date_display,
            "title": m.title,
            "kind": m.get_kind_display(),
            "status": m.get_status_display(),
            "new_date": m.new_date.isoformat() if m.new_date else "",
            "group": m.group.name if m.group else "",
            "track": m.track.title if m.track else "",
            "host_city": m.host_city.name if m.host_city else "",
            "place": m.place,
        }


def _budget_for_year(year):
    """The budget is part of the jaarverslag: open only once that jaarverslag is published."""
    return Budget.objects.visible_to(PUBLIC).filter(year=year).prefetch_related("lines__programme", "funding_sources").first()


def _budget_rows(year):
    budget = _budget_for_year(year)
    if budget is None:
        return
    yield {"year": year, "type": "totaal", "label": "Totaal budget", "programme": "", "planned": "",
           "actual": _amount(budget.total)}
    for line in budget.lines.all():
        yield {"year": year, "type": "post", "label": line.label,
               "programme": line.programme.name if line.programme else "",
               "planned": _amount(line.planned), "actual": _amount(line.actual)}
    for source in budget.funding_sources.all():
        yield {"year": year, "type": "financiering", "label": str(source), "programme": "", "planned": "",
               "actual": _amount(source.amount)}


def _link_rows(year):
    groups = _groups_in_year(year).values("pk")
    links = (
        Link.objects.visible_to(PUBLIC).with_address()
        .filter(Q(track_year__year=year) | Q(meeting__year=year) | Q(group__in=groups) | Q(budget__year=year))
        .select_related("track_year__track", "group", "meeting", "budget").order_by("pk")
    )
    for link in links:
        if link.track_year_id:
            owner_type, owner = "werkspoor", link.track_year.track.title
        elif link.group_id:
            owner_type, owner = "werkgroep", link.group.name
        elif link.budget_id:
            owner_type, owner = "budget", f"Budget {link.budget.year}"
        else:
            owner_type, owner = "activiteit", link.meeting.title
        yield {"year": year, "title": link.title, "url": link.url, "kind": link.get_kind_display(),
               "owner_type": owner_type, "owner": owner}
    # References under the texts of that year's published editions (e.g. Communicatie).
    section_links = (
        SectionLink.objects.visible_to(PUBLIC).with_address().filter(section__edition__year=year)
        .select_related("section__edition").order_by("pk")
    )
    for link in section_links:
        yield {"year": year, "title": link.title, "url": link.url, "kind": link.get_kind_display(),
               "owner_type": "editie", "owner": f"{link.section.edition} — {link.section.title}"}


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple  # (name, meaning)
    rows: object  # callable(year) -> iterable of dicts


DATASETS = {
    d.slug: d for d in (
        Dataset("werksporen", "Werksporen",
                "De werksporen met een gepubliceerde tekst in het jaarplan of het jaarverslag van dat jaar.",
                (("year", "jaar"), ("programme", "programma waaronder het werkspoor dat jaar stond"),
                 ("number", "nummer in het jaarplan, bv. 1.3 (kan leeg zijn)"), ("title", "titel in dat jaar"),
                 ("kind", "soort: werkspoor, speerpunt, City Deal, project …"),
                 ("lead_cities", "trekkende steden, gescheiden door '; '"), ("cities", "deelnemende steden, gescheiden door '; '"),
                 ("partners", "partners, gescheiden door '; '"),
                 ("in_plan", "true als het werkspoor in het gepubliceerde jaarplan staat"),
                 ("in_report", "true als het werkspoor in het gepubliceerde jaarverslag staat"),
                 ("status", "lopend of afgerond (afgerond in of voor dat jaar)"), ("url", "pagina op deze site")),
                _track_rows),
        Dataset("werkgroepen", "Werkgroepen",
                "Publieke werkgroepen die dat jaar een werkspoor ondersteunden of samenkwamen, met het aantal bijeenkomsten.",
                (("year", "jaar"), ("name", "naam"), ("kind", "soort: werkgroep, stuurgroep, taskforce …"),
                 ("programme", "programma"), ("lead_city", "trekkende stad"),
                 ("cities", "deelnemende steden, gescheiden door '; '"), ("partners", "partners, gescheiden door '; '"),
                 ("frequency", "vergaderritme"),
                 ("meeting_count", "aantal bijeenkomsten dat jaar: het gerapporteerde aantal, anders de geregistreerde gehouden vergaderingen"),
                 ("url", "pagina op deze site")),
                _group_rows),
        Dataset("vergaderingen", "Vergaderingen en activiteiten",
                "Publieke vergaderingen en activiteiten van dat jaar, ook geplande, uitgestelde en geannuleerde.",
                (("id", "vaste sleutel van de activiteit"), ("year", "jaar"),
                 ("date", "datum zover gekend: JJJJ-MM-DD, JJJJ-MM of JJJJ"),
                 ("end_date", "laatste dag van een activiteit over meer dagen (JJJJ-MM-DD), anders leeg"),
                 ("date_precision", "nauwkeurigheid van de datum: day, month, period of year"),
                 ("period", "periode als de maand niet gekend is: begin, voorjaar, zomer, midden, najaar, eind"),
                 ("date_text", "datum zoals geschreven, bv. 'najaar 2024'"), ("title", "titel"),
                 ("kind", "soort: vergadering, workshop, studiedag …"), ("status", "gepland, gehouden, uitgesteld of geannuleerd"),
                 ("new_date", "nieuwe datum van een uitgestelde activiteit (JJJJ-MM-DD), als die gekend is"),
                 ("group", "werkgroep"), ("track", "werkspoor"), ("host_city", "gaststad"), ("place", "plaats")),
                _meeting_rows),
        Dataset("budget", "Budget en afrekening",
                "Het totale budget, de posten (begroot en gerealiseerd) en de financieringsbronnen, zodra het jaarverslag gepubliceerd is.",
                (("year", "jaar"), ("type", "totaal, post of financiering"), ("label", "omschrijving"),
                 ("programme", "programma van de post (kan leeg zijn)"),
                 ("planned", "begroot bedrag in euro, punt als decimaalteken"),
                 ("actual", "gerealiseerd bedrag (bij financiering: het bedrag) in euro, punt als decimaalteken")),
                _budget_rows),
        Dataset("links", "Links",
                "Publieke verwijzingen naar rapporten, presentaties en websites bij de werksporen, werkgroepen en activiteiten van dat jaar. Links zonder adres zijn weggelaten.",
                (("year", "jaar"), ("title", "wat je er vindt"), ("url", "adres"),
                 ("kind", "soort: rapport, presentatie, nota, website …"),
                 ("owner_type", "waar de link bij hoort: werkspoor, werkgroep, activiteit, budget of editie (een tekst van het jaarplan of jaarverslag)"), ("owner", "naam daarvan")),
                _link_rows),
    )
}


def open_data_years() -> list[int]:
    """Years with published material, newest first."""
    years = set(Edition.objects.visible_to(PUBLIC).values_list("year", flat=True))
    years |= set(WorkTrackYear.objects.visible_to(PUBLIC).values_list("year", flat=True))
    return sorted(years, reverse=True)


def dataset_rows(slug: str, year: int) -> list[dict]:
    return list(DATASETS[slug].rows(year))


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a spreadsheet may safely open it.

    Text that starts like a formula ('=HYPERLINK(…)', '+', '-', '@', tab, carriage return) gets a
    leading apostrophe, as OWASP advises, so Excel and LibreOffice show it as text instead of running
    it. Numbers are written as they are; JSON keeps the original text.
    """
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def rows_to_csv(dataset: Dataset, rows) -> str:
    """UTF-8 with BOM so Excel shows é and ë; booleans as true/false like in the JSON."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(
        out, fieldnames=[name for name, _meaning in dataset.columns], lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL,
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()


def open_data_view(request):
    """/open-data/: what the datasets hold, their columns, and the downloads per year."""
    return render(request, "reports/open_data.html", {"datasets": DATASETS.values(), "years": open_data_years()})


def open_data_download_view(request, year: int, dataset: str, fmt: str):
    """/open-data/<jaar>/<dataset>.<csv|json>: published material only, whoever asks."""
    if dataset not in DATASETS or fmt not in {"csv", "json"} or year not in open_data_years():
        raise Http404
    spec, rows = DATASETS[dataset], dataset_rows(dataset, year)
    if fmt == "csv":
        response = HttpResponse(rows_to_csv(spec, rows), content_type="text/csv; charset=utf-8")
    else:
        payload = {"dataset": spec.slug, "year": year, "columns": [name for name, _meaning in spec.columns], "rows": rows}
        response = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kenniscentrum-{spec.slug}-{year}.{fmt}"'
    return response


# --- Calendar (iCalendar) -------------------------------------------------------------------------------

ICAL_STATUS = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_span(meeting: Meeting) -> tuple[datetime.date, datetime.date] | None:
    """All-day [start, end) of a meeting in a calendar; a postponed one on its new date.

    A date known only to the year is no calendar event (it would cover the whole year).
    """
    if meeting.status == Meeting.Status.POSTPONED and meeting.new_date:
        return meeting.new_date, meeting.new_date + datetime.timedelta(days=1)
    if meeting.precision == "year":
        return None
    return meeting.span


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
    """A VCALENDAR with one all-day VEVENT per meeting that has a placeable date.

    Written directly rather than through the icalendar package, whose character-by-character line
    folding took most of the feed's time; the tests read the result back with icalendar.
    """
    stamp = timezone.now().astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{ics_text(f'-//{ORGANISATION}//Kalender//NL')}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{ics_text(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for meeting in meetings:
        span = meeting_span(meeting)
        if span is None:
            continue
        notes = [f"Datum: {meeting.date_display}"]
        if meeting.status == Meeting.Status.POSTPONED:
            notes.append(f"Uitgesteld; nieuwe datum: {_date_nl(meeting.new_date)}." if meeting.new_date else "Uitgesteld; nieuwe datum nog niet gekend.")
        elif meeting.status == Meeting.Status.CANCELLED:
            notes.append("Geannuleerd.")
        if meeting.group:
            notes.append(f"Werkgroep: {meeting.group.name}")
        if meeting.description:
            notes.append(re.sub(r"<[^>]+>", "", meeting.description))
        location = ", ".join(p for p in (meeting.place, meeting.host_city.name if meeting.host_city else "") if p)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ics_text(f'activiteit-{meeting.pk}@{host}')}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{span[0]:%Y%m%d}",
            f"DTEND;VALUE=DATE:{span[1]:%Y%m%d}",
            f"SUMMARY:{ics_text(meeting.title)}",
            f"STATUS:{ICAL_STATUS[meeting.status]}",
            f"CATEGORIES:{ics_text(meeting.get_kind_display())}",
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


def _date_nl(day: datetime.date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def _ics_response(body: bytes, filename: str):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_ics_view(request):
    """/kalender.ics: all public meetings and events."""
    meetings = Meeting.objects.visible_to(PUBLIC).with_related().order_by("sort_date", "pk")
    origin = request.build_absolute_uri("/").rstrip("/")
    body = meetings_calendar(meetings, name=f"{ORGANISATION}: kalender", url=origin, host=request.get_host().split(":")[0])
    return _ics_response(body, "kenniscentrum-kalender.ics")


def group_ics_view(request, slug: str):
    """/werkgroepen/<slug>/kalender.ics: the public meetings of one public working group."""
    group = get_object_or_404(WorkingGroup.objects.visible_to(PUBLIC), slug=slug)
    meetings = Meeting.objects.visible_to(PUBLIC).filter(group=group).with_related().order_by("sort_date", "pk")
    origin = request.build_absolute_uri("/").rstrip("/")
    body = meetings_calendar(meetings, name=f"{group.name} ({ORGANISATION})", url=origin, host=request.get_host().split(":")[0])
    return _ics_response(body, f"{group.slug}.ics")

