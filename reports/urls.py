from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter
from django.views.generic import TemplateView

from . import review, views
from .feeds import EditionFeed
from .sitemaps import SITEMAPS


class YearConverter:
    """Four digits only: /jaarplan/abc/ or /jaarplan/99999999/ is a 404, never a database error."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(YearConverter, "year")

app_name = "reports"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("nalezen/<str:token>/", review.review_view, name="review"),
    path("jaarplan/<year:year>/", views.EditionDetailView.as_view(kind="plan"), name="plan-detail"),
    path("jaarverslag/<year:year>/", views.EditionDetailView.as_view(kind="report"), name="report-detail"),
    path("edities/", views.EditionListView.as_view(), name="edition-list"),
    path("financien/", views.FinancesView.as_view(), name="finances"),
    path("toegankelijkheid/", views.AccessibilityView.as_view(), name="accessibility"),
    # Uploaded edition images (MEDIA_URL is /media/): checked against the edition's visibility.
    path("media/<path:path>", views.edition_image_view, name="edition-image"),
    path("jaarplan/<year:year>/pdf/", views.edition_pdf_view, {"kind": "plan"}, name="plan-pdf"),
    path("jaarverslag/<year:year>/pdf/", views.edition_pdf_view, {"kind": "report"}, name="report-pdf"),
    path("jaarplan/<year:year>/html/", views.edition_html_view, {"kind": "plan"}, name="plan-html"),
    path("jaarverslag/<year:year>/html/", views.edition_html_view, {"kind": "report"}, name="report-html"),
    path("open-data/", views.open_data_view, name="open-data"),
    path("open-data/catalogus.jsonld", views.open_data_catalogue_view, {"fmt": "jsonld"}, name="open-data-catalogue-jsonld"),
    path("open-data/catalogus.ttl", views.open_data_catalogue_view, {"fmt": "ttl"}, name="open-data-catalogue-ttl"),
    path(
        "open-data/<year:year>/<slug:dataset>.<str:fmt>", views.open_data_download_view, name="open-data-download"
    ),
    path("kalender.ics", views.calendar_ics_view, name="calendar-ics"),
    path("werkgroepen/<slug:slug>/kalender.ics", views.group_ics_view, name="workinggroup-ics"),
    path("steden/<slug:slug>/kalender.ics", views.city_ics_view, name="city-ics"),
    path("edities/feed.atom", EditionFeed(), name="edition-feed"),
    path("favicon.ico", views.favicon_view, name="favicon"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"), name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS, "template_name": "reports/sitemap.xml"}, name="sitemap"),
]
