"""Atom feed of the published editions."""
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import Edition


class EditionFeed(Feed):
    feed_type = Atom1Feed
    title = "Kenniscentrum Vlaamse Steden: jaarplannen en jaarverslagen"
    subtitle = "Nieuw gepubliceerde jaarplannen en jaarverslagen van het Kenniscentrum Vlaamse Steden."
    author_name = "Kenniscentrum Vlaamse Steden"

    def link(self):
        return reverse("reports:edition-list")

    def items(self):
        return Edition.objects.visible_to(AnonymousUser()).order_by("-published_at", "-year")[:50]

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        # Atom sends the summary as type="html": the plain-text subtitle is escaped so a reader shows
        # "<b>" as text instead of interpreting editor input as markup.
        return escape(item.subtitle or f"{item} van het Kenniscentrum Vlaamse Steden.")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_enclosures(self, item):
        return []
