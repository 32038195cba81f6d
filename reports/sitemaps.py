"""sitemap.xml: every public page, nothing a visitor would get a 404 for."""
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programmes.models import City, Programme, WorkingGroup, WorkTrack, WorkTrackYear

from .models import Edition


# The sitemap lists what anyone may visit, whoever asks for it.
PUBLIC = AnonymousUser()


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "reports:home", "reports:edition-list", "reports:open-data", "reports:finances", "reports:accessibility",
            "programmes:programme-list",
            "programmes:workinggroup-list", "programmes:city-list", "programmes:city-compare", "programmes:calendar",
        ]

    def location(self, item):
        return reverse(item)


class EditionSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return Edition.objects.visible_to(PUBLIC).order_by("-year", "kind")

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
        WorkTrack.objects.visible_to(PUBLIC).filter(
            pk__in=WorkTrackYear.objects.visible_to(PUBLIC).values("track_id")
        ).order_by("slug")
    ),
    "werkgroepen": ModelPagesSitemap(WorkingGroup.objects.visible_to(PUBLIC).order_by("slug")),
    "steden": ModelPagesSitemap(City.objects.order_by("slug")),
}
