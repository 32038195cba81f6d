"""Exports of the public data, one module per format: the edition as PDF (`pdf`) and as one HTML file
(`html`), both from the edition's HTML (`edition`); open data as CSV/JSON (`opendata`); iCalendar
feeds (`ical`). The views that answer with them are in reports.views.

Everything here reads through the same visibility rules as the web pages: an anonymous visitor
gets published editions and public items only; staff may also export a draft edition, which is
then marked "concept".
"""
from .edition import ORGANISATION, edition_export_html, edition_for_user, export_filename
from .html import inline_css, standalone_html
from .ical import meetings_calendar
from .opendata import DATASETS, dataset_rows, open_data_years, rows_to_csv
from .pdf import (
    CachedPdf, PdfRenderError, cached_pdf_facts, edition_pdf, pdf_base_url, pdf_cache_dir, published_edition_pdf,
)

__all__ = [
    "DATASETS", "ORGANISATION", "CachedPdf", "PdfRenderError", "cached_pdf_facts", "dataset_rows", "edition_export_html", "edition_for_user",
    "edition_pdf", "export_filename", "pdf_base_url", "published_edition_pdf", "inline_css", "meetings_calendar", "open_data_years", "pdf_cache_dir",
    "rows_to_csv", "standalone_html",
]
