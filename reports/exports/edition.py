"""The edition as one HTML document, the source of the PDF and of the single-file download.

Exports never fetch over the network; the files an edition references (stylesheets, fonts, images)
are found on disk here.
"""
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from kenniscentrum import site

from ..assembly import edition_body
from ..models import Edition

ORGANISATION = site.NAME


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
    context.update(edition_body(edition=edition, user=user))  # the downloads show what the page shows
    return render_to_string("reports/pdf/edition.html", context)


def static_path(name: str) -> Path:
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

def export_filename(edition: Edition, extension: str) -> str:
    draft = "" if edition.is_published else "-concept"
    return f"{edition.get_kind_display()}-{edition.year}{draft}.{extension}"

