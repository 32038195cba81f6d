"""Public pages of the editions: home, edition list and the assembled jaarplan/jaarverslag."""
import mimetypes

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView, TemplateView

from programmes.models import Meeting, Programme, ProgrammePeriod
from programmes.visibility import can_see_unpublished

from .assembly import edition_assemble
from .exports import cached_pdf_facts
from .figures import budget_chart, budget_years
from .models import Edition, EditionImage


def with_pdf_facts(request, editions):
    """Each edition with .pdf_facts: pages and size of its PDF when the cache holds it, else None."""
    base_url = request.build_absolute_uri("/")
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
        ctx["upcoming"] = meetings.upcoming(today).with_related().order_by("sort_date")[:6]
        ctx["recent"] = (
            meetings.filter(sort_date__lt=today, status=Meeting.Status.HELD)
            .with_related().order_by("-sort_date")[:6]
        )
        period = ProgrammePeriod.objects.filter(start_year__lte=today.year, end_year__gte=today.year).first()
        ctx["period"] = period
        ctx["programmes"] = period.programmes.all() if period else Programme.objects.all()
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
        if edition.is_published and edition.snapshot_html and not live_preview:
            ctx["frozen_html"] = mark_safe(edition.snapshot_html)  # rendered from sanitised data at publication
        else:
            viewer = AnonymousUser() if edition.is_published else self.request.user
            ctx["content"] = edition_assemble(edition=edition, user=viewer)
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
