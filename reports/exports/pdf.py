"""The PDF of an edition: rendered by WeasyPrint from the edition's HTML and cached on disk under a hash of it."""
import contextlib
import fcntl
import functools
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from pypdf import PdfReader

from kenniscentrum import outages, pagecache

from ..models import Edition
from .edition import edition_export_html, local_file_for_url, static_path

PDF_STYLESHEETS = ("css/site.css", "css/pdf.css")
PDF_VARIANT = "pdf/ua-1"  # tagged PDF: structure tree, /Lang, /MarkInfo, title shown by readers

logger = logging.getLogger(__name__)


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
        CSS(filename=str(static_path(name)), font_config=fonts, url_fetcher=fetcher) for name in PDF_STYLESHEETS
    ]
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=fonts, pdf_variant=PDF_VARIANT)


def pdf_cache_dir() -> Path:
    """PDF_CACHE_DIR setting, else the DJANGO_PDF_CACHE_DIR variable, else var/pdf-cache (gitignored)."""
    configured = getattr(settings, "PDF_CACHE_DIR", None) or os.environ.get("DJANGO_PDF_CACHE_DIR")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "pdf-cache"


def pdf_base_url() -> str:
    """The site's public address (DJANGO_SITE_URL), against which the PDF's relative links resolve.

    The same for every request and for the background render, whatever host a visitor used: one
    file per edition version, rendered once, found by every instance.
    """
    return settings.SITE_URL.rstrip("/") + "/"


def pdf_fingerprint(html: str, *, base_url: str) -> str:
    """Everything the PDF depends on: the HTML, the stylesheets and the base for relative links."""
    digest = hashlib.sha256()
    for part in (html, base_url, *(static_path(name).read_text() for name in PDF_STYLESHEETS)):
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
        except redis.RedisError as error:  # render without the lock: at worst two instances render at once
            outages.shared_cache.failed(error)
            acquired = False
        else:
            outages.shared_cache.recovered()
        try:
            yield
        finally:
            if acquired:
                with contextlib.suppress(redis.RedisError):
                    lock.release()
            client.close()
        return
    try:
        handle = open(directory / f"{stem}.lock", "w")
    except OSError:
        # The directory cannot be written: storing the PDF will fail too, and says so once. Render
        # without the lock rather than refuse the download.
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@dataclass
class CachedPdf:
    path: Path
    fingerprint: str
    rendered: bool  # False when an earlier download had already rendered it
    content: bytes | None = None  # the rendered bytes when they could not be stored at `path`

    def read(self) -> bytes:
        return self.content if self.content is not None else self.path.read_bytes()


class PdfRenderError(Exception):
    """WeasyPrint could not make the PDF (missing system libraries, a bug in the engine, a bad resource)."""


def edition_pdf(*, edition: Edition, html: str, base_url: str) -> CachedPdf:
    """The PDF of this exact HTML, from the cache or rendered once.

    A lock per file makes a burst of downloads right after publication wait for one rendering
    instead of each starting its own. Older PDFs of the same edition are removed. When the PDF
    directory cannot be written (full or read-only volume), the rendered PDF is still returned, with
    one warning: a storage problem costs a render per download, never the download itself. When the
    rendering fails, PdfRenderError.
    """
    fingerprint = pdf_fingerprint(html, base_url=base_url)
    directory = pdf_cache_dir()
    stem = f"{edition.kind}-{edition.year}"
    path = directory / f"{stem}-{fingerprint}.pdf"
    if path.exists():
        return CachedPdf(path, fingerprint, rendered=False)
    with contextlib.suppress(OSError):  # storing below reports an unwritable directory
        directory.mkdir(parents=True, exist_ok=True)
    with render_lock(directory, stem):
        if path.exists():
            return CachedPdf(path, fingerprint, rendered=False)
        try:
            pdf = render_pdf(html, base_url=base_url)
        except Exception as exc:  # whatever fails inside the engine stays a problem of this one download
            raise PdfRenderError(f"PDF of {edition} could not be rendered") from exc
        try:
            _store(pdf, directory=directory, path=path, stem=stem)
        except OSError as exc:
            logger.warning("PDF of %s rendered but not stored in %s (%s); served without caching", edition, directory, exc)
            return CachedPdf(path, fingerprint, rendered=True, content=pdf)
    if edition.is_published:
        # List pages and the home page show a stored PDF's pages and size: they change now.
        transaction.on_commit(pagecache.content_changed_after_commit)
    return CachedPdf(path, fingerprint, rendered=True)


def published_edition_pdf(*, edition: Edition) -> CachedPdf:
    """The PDF an anonymous visitor downloads of this published edition, rendered now if not yet stored."""
    html = edition_export_html(edition=edition, user=AnonymousUser())
    return edition_pdf(edition=edition, html=html, base_url=pdf_base_url())


def _store(pdf: bytes, *, directory: Path, path: Path, stem: str) -> None:
    """Write the PDF under its final name in one step (readers never see half a file); drop older ones."""
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    for old in directory.glob(f"{stem}-*.pdf"):
        if old != path:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    size_bytes: int
    fingerprint: str  # ?v=<fingerprint> names this exact file: browsers and a CDN may keep it for a year

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
    path, fingerprint = _current_pdf(edition=edition, user=user, base_url=base_url)
    try:
        stat = path.stat()
        return PdfFacts(
            pages=_pdf_page_count(str(path), stat.st_mtime_ns), size_bytes=stat.st_size, fingerprint=fingerprint
        )
    except (FileNotFoundError, ValueError, OSError):
        return None


def _current_pdf(*, edition: Edition, user, base_url: str) -> tuple[Path, str]:
    """(cache path, fingerprint) of the PDF this user would download now; the file may not exist yet."""
    fingerprint = pdf_fingerprint(edition_export_html(edition=edition, user=user), base_url=base_url)
    return _pdf_cache_path(edition, fingerprint), fingerprint



MIN_LINES_PER_PAGE = 15


@dataclass(frozen=True)
class ShortPage:
    number: int
    lines: int

    def __str__(self):
        return f"Pagina {self.number}: {self.lines} {'regel' if self.lines == 1 else 'regels'} tekst"


def cached_pdf_path(*, edition: Edition, user, base_url: str) -> Path | None:
    """The PDF this user would download right now, if the cache already holds it (never renders)."""
    path, _fingerprint = _current_pdf(edition=edition, user=user, base_url=base_url)
    return path if path.exists() else None


def nearly_empty_pages(path: Path, *, min_lines: int = MIN_LINES_PER_PAGE) -> list[ShortPage]:
    """Pages with fewer than `min_lines` lines of text that do not end a chapter deliberately.

    Not counted: the cover, the last page, and a page followed by the start of a chapter (a top-level
    bookmark), which is how a chapter ends on its own page. What remains is a heading or a few spilled
    lines alone on a page, or a nearly empty page in the middle of a chapter.
    """
    stat = path.stat()
    return _nearly_empty_pages(str(path), stat.st_mtime_ns, min_lines)


@functools.lru_cache(maxsize=16)
def _nearly_empty_pages(path: str, mtime_ns: int, min_lines: int) -> list[ShortPage]:
    reader = PdfReader(path)
    chapter_starts = set()
    for entry in reader.outline:  # the edition's own title, then its chapters one level down
        for item in (entry if isinstance(entry, list) else [entry]):
            if not isinstance(item, list):
                chapter_starts.add(reader.get_destination_page_number(item) + 1)
    short = []
    last = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        if number in (1, last) or number + 1 in chapter_starts:
            continue
        lines = sum(1 for line in (page.extract_text() or "").splitlines() if line.strip())
        if lines < min_lines:
            short.append(ShortPage(number, lines))
    return short
