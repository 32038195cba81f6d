"""sitemap.xml: every public page, nothing a visitor would get a 404 for."""
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programmes.models import City, Programme, WorkingGroup, WorkTrack, WorkTrackYear

from .models import Edition


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "reports:home", "reports:edition-list", "reports:open-data", "programmes:programme-list",
            "programmes:workinggroup-list", "programmes:city-list", "programmes:calendar",
        ]

    def location(self, item):
        return reverse(item)


class EditionSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return Edition.objects.published().order_by("-year", "kind")

    def lastmod(self, item):
        return item.published_at


class ModelPagesSitemap(Sitemap):
    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset


SITEMAPS = {
    "pages": StaticPagesSitemap(),
    "edities": EditionSitemap(),
    "programmas": ModelPagesSitemap(Programme.objects.order_by("order", "name")),
    "werksporen": ModelPagesSitemap(
        WorkTrack.objects.public().filter(
            pk__in=(
                WorkTrackYear.objects.plan_published().in_plan() | WorkTrackYear.objects.report_published().in_report()
            ).values("track_id")
        ).order_by("slug")
    ),
    "werkgroepen": ModelPagesSitemap(WorkingGroup.objects.public().order_by("slug")),
    "steden": ModelPagesSitemap(City.objects.order_by("slug")),
}
