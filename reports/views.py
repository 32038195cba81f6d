"""Public pages of the editions (home, edition list, the assembled jaarplan/jaarverslag) and the downloads:
PDF, single-file HTML, open data and iCalendar feeds, whose content is built in reports.exports."""
import datetime
import json
import logging
import mimetypes

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from kenniscentrum import accessibility, site
from programmes.models import City, Meeting, Programme, ProgrammePeriod, WorkingGroup
from programmes.selectors import city_meetings
from programmes.visibility import can_see_unpublished

from .assembly import edition_body
from .exports import (
    DATASETS, ORGANISATION, CachedPdf, PdfRenderError, cached_pdf_facts, dataset_rows, edition_export_html, edition_for_user, edition_pdf,
    export_filename, inline_css, meetings_calendar, open_data_years, pdf_base_url, rows_to_csv, standalone_html,
)
from .exports.dcat import catalogue_jsonld, catalogue_turtle
from .exports.edition import static_path
from .exports.opendata import licence as opendata_licence
from .figures import budget_chart, budget_years
from .linkeddata import edition_linked_data, home_linked_data
from .models import Edition, EditionImage

logger = logging.getLogger(__name__)


def with_pdf_facts(request, editions):
    """Each edition with .pdf_facts: pages and size of its PDF when the cache holds it, else None."""
    base_url = pdf_base_url()
    for edition in editions:
        if edition is not None:
            edition.pdf_facts = cached_pdf_facts(edition=edition, user=request.user, base_url=base_url)
    return editions


class HomeView(TemplateView):
    template_name = "reports/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        published = Edition.objects.visible_to(AnonymousUser())  # the home page shows what is out, also to staff
        ctx["latest_plan"] = published.filter(kind=Edition.Kind.PLAN).order_by("-year").first()
        ctx["latest_report"] = published.filter(kind=Edition.Kind.REPORT).order_by("-year").first()
        with_pdf_facts(self.request, [ctx["latest_plan"], ctx["latest_report"]])
        today = timezone.localdate()
        meetings = Meeting.objects.visible_to(self.request.user)
        # pk breaks ties: meetings on one date (or with only a year) otherwise come in whatever order the
        # database engine picks, and the page would differ between SQLite and PostgreSQL.
        ctx["upcoming"] = meetings.upcoming(today).for_list().order_by("sort_date", "pk")[:6]
        ctx["recent"] = (
            meetings.filter(sort_date__lt=today, status=Meeting.Status.HELD)
            .for_list().order_by("-sort_date", "-pk")[:6]
        )
        period = ProgrammePeriod.objects.current(today.year)
        ctx["period"] = period
        ctx["programmes"] = period.programmes.all() if period else Programme.objects.all()
        ctx["hide_site_search"] = True  # the page has its own search box, in the first screen on a phone
        ctx["linked_data"] = home_linked_data(site.origin(self.request))
        return ctx


class EditionListView(ListView):
    template_name = "reports/edition_list.html"

    def get_queryset(self):
        return Edition.objects.visible_to(self.request.user).order_by("-year", "kind")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_list"] = with_pdf_facts(self.request, list(ctx["object_list"]))
        return ctx


class FinancesView(TemplateView):
    """/financien/: the budget of every year the reader may see, as a chart and a table, each linking to its jaarverslag."""

    template_name = "reports/finances.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["years"] = budget_years(self.request.user)
        ctx["has_line_totals"] = any(row.planned is not None or row.actual is not None for row in ctx["years"])
        ctx["chart"] = budget_chart([row.budget for row in reversed(ctx["years"])], chart_id="financien-grafiek")
        return ctx


class AccessibilityView(TemplateView):
    """/toegankelijkheid/: the accessibility statement, its assessment read from the last run of the checks
    (kenniscentrum/accessibility.json, made by manage.py accessibility_report)."""

    template_name = "reports/accessibility.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = accessibility.load_report()
        ctx.update(
            report=report, status=accessibility.conformance(report), problems=accessibility.problems_found(report),
            known_issues=accessibility.KNOWN_ISSUES, out_of_scope=accessibility.OUT_OF_SCOPE,
            contact=site.contact(), site_address=site.origin(self.request).split("://", 1)[-1],
            assessed_on=datetime.date.fromisoformat(report["date"]) if report.get("date") else None,
        )
        return ctx


class EditionDetailView(DetailView):
    """/jaarplan/<jaar>/ and /jaarverslag/<jaar>/: the whole edition, assembled from the data."""

    kind = Edition.Kind.PLAN
    template_name = "reports/edition_detail.html"
    context_object_name = "edition"

    def get_object(self, queryset=None):
        editions = Edition.objects.visible_to(self.request.user)
        return get_object_or_404(editions, kind=self.kind, year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        edition = self.object
        # The editorial team may look at the live version of a published edition (?voorbeeld): what a
        # republish would show, that is what the public would see.
        live_preview = can_see_unpublished(self.request.user) and edition.is_published and "voorbeeld" in self.request.GET
        ctx["is_preview"] = not edition.is_published or live_preview
        ctx["preview_of_published"] = live_preview
        # The shared-link image follows the same rule as the page: never a photo the public may not see yet.
        images = EditionImage.objects.visible_to(self.request.user).filter(edition=edition)
        ctx["cover_image"] = next((image for image in images if image.is_cover), None)
        ctx["linked_data"] = edition_linked_data(edition, site.origin(self.request))
        ctx.update(edition_body(edition=edition, user=self.request.user, live=live_preview))
        return ctx


def edition_image_view(request, path):
    """An uploaded edition image, served only to those who may see its edition (drafts stay private)."""
    image = EditionImage.objects.visible_to(request.user).select_related("edition").filter(image=path).first()
    if image is None:
        raise Http404
    try:
        handle = image.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(image.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600" if image.edition.is_published else "private, no-store"
    return response


def _no_public_cache(response, edition: Edition):
    if not edition.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


def edition_pdf_view(request, year: int, kind: str):
    """/jaarplan/<jaar>/pdf/ and /jaarverslag/<jaar>/pdf/."""
    edition = edition_for_user(user=request.user, kind=kind, year=year)
    html = edition_export_html(edition=edition, user=request.user)
    try:
        # Normally rendered ahead by reports.tasks when the edition was published; else now, as asked.
        pdf = edition_pdf(edition=edition, html=html, base_url=pdf_base_url())
    except PdfRenderError:
        # This download only: the web page and the HTML file of the edition still work. `no-store`, so
        # that no cache in front of the site keeps the error in place of the PDF.
        logger.exception("PDF of %s could not be rendered", edition)
        response = render(request, "reports/pdf_unavailable.html", {"edition": edition}, status=503)
        response["Cache-Control"] = "no-store"
        response._has_been_logged = True  # logged just above; Django's request log need not add a line
        return response
    etag = f'"{pdf.fingerprint}"'
    if request.headers.get("If-None-Match") == etag:
        return _pdf_cache_control(request, HttpResponse(status=304, headers={"ETag": etag}), edition, pdf)
    response = HttpResponse(pdf.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{export_filename(edition, "pdf")}"'
    response["ETag"] = etag
    response["X-PDF-Cache"] = "miss" if pdf.rendered else "hit"
    return _pdf_cache_control(request, response, edition, pdf)


def _pdf_cache_control(request, response, edition: Edition, pdf: CachedPdf):
    """Drafts: never stored. The address with ?v=<fingerprint> names one exact file, so a CDN or browser
    may keep it for a year; the plain address gets the page cache's short max-age."""
    if edition.is_published and request.GET.get("v") == pdf.fingerprint:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return _no_public_cache(response, edition)


def edition_html_view(request, year: int, kind: str):
    """/jaarplan/<jaar>/html/: one file with styles inline and images embedded, readable offline."""
    edition = edition_for_user(user=request.user, kind=kind, year=year)
    html = edition_export_html(edition=edition, user=request.user, inline_css=inline_css("css/site.css"))
    response = HttpResponse(
        standalone_html(html, origin=request.build_absolute_uri("/").rstrip("/")), content_type="text/html; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(edition, "html")}"'
    return _no_public_cache(response, edition)


def open_data_view(request):
    """/open-data/: what the datasets hold, their columns, the downloads per year, the catalogue and the licence."""
    return render(request, "reports/open_data.html", {
        "datasets": DATASETS.values(), "years": open_data_years(), "licence": opendata_licence(),
    })


def open_data_catalogue_view(request, fmt: str):
    """/open-data/catalogus.jsonld and .ttl: the catalogue in DCAT-AP Vlaanderen (reports.exports.dcat)."""
    origin = site.origin(request)
    if fmt == "ttl":
        return HttpResponse(catalogue_turtle(origin), content_type="text/turtle; charset=utf-8")
    return HttpResponse(catalogue_jsonld(origin), content_type="application/ld+json; charset=utf-8")


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


def _ics_response(body: bytes, filename: str):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_ics_view(request):
    """/kalender.ics: the public meetings and events still to come and of the last twelve months (`in_feed`)."""
    meetings = Meeting.objects.visible_to(AnonymousUser()).in_feed(timezone.localdate()).with_related().order_by("sort_date", "pk")
    origin = request.build_absolute_uri("/").rstrip("/")
    body = meetings_calendar(meetings, name=f"{ORGANISATION}: kalender", url=origin, host=request.get_host().split(":")[0])
    return _ics_response(body, "kenniscentrum-kalender.ics")


def group_ics_view(request, slug: str):
    """/werkgroepen/<slug>/kalender.ics: the public meetings of one public working group."""
    group = get_object_or_404(WorkingGroup.objects.visible_to(AnonymousUser()), slug=slug)
    meetings = (
        Meeting.objects.visible_to(AnonymousUser()).filter(group=group).in_feed(timezone.localdate())
        .with_related().order_by("sort_date", "pk")
    )
    origin = request.build_absolute_uri("/").rstrip("/")
    body = meetings_calendar(meetings, name=f"{group.name} ({ORGANISATION})", url=origin, host=request.get_host().split(":")[0])
    return _ics_response(body, f"{group.slug}.ics")


def city_ics_view(request, slug: str):
    """/steden/<slug>/kalender.ics: the public meetings of the tracks and groups a city leads or takes
    part in, and those it hosts (the same selection as the city page, `selectors.city_meetings`)."""
    city = get_object_or_404(City, slug=slug)
    meetings = city_meetings(city, user=AnonymousUser()).in_feed(timezone.localdate()).with_related().order_by("sort_date", "pk")
    origin = request.build_absolute_uri("/").rstrip("/")
    body = meetings_calendar(meetings, name=f"{city.name} ({ORGANISATION})", url=origin, host=request.get_host().split(":")[0])
    return _ics_response(body, f"{city.slug}.ics")



def favicon_view(request):
    """/favicon.ico: browsers and feed readers ask for it whatever the page says (static/favicon.ico,
    drawn from static/favicon.svg at 16, 32, 48 and 64 px)."""
    response = HttpResponse(static_path("favicon.ico").read_bytes(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
