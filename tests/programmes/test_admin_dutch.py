"""Every back-office page an editor can reach from the admin home speaks Dutch, for each role."""
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from programmes.models import Budget
from tests.factories import make_track
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

# Django's and django-simple-history's strings that stay English (or read wrongly) when not translated.
ENGLISH = [
    "Choose a date", "Choose all", "Choose", "Remove all", "Comment", "Changed by", "Change reason", "Changes",
    "Created", "Changed", "Deleted", "None", "Object", "Date/time", "History", "Revert", "View on site", "Home",
    "Close", "entries", "entry", "successfully", "You may", "Add another", "Today", "Now", "Clear", "Search",
    "Show all", "Save", "Delete", "Slug", "Anker", "— ?", "De budget", "De werkspoor",
    "Let op: u ligt", "This object", "doesn't",
]
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])")
CAPITAL_IN_SENTENCE = re.compile(r"Nog een [A-Z]")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-inline-formset"}


class _ShownText(HTMLParser):
    """What a reader sees or hears: text outside script/style, some attributes, button values."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        a = dict(attrs)
        for name in SHOWN_ATTRIBUTES & a.keys():
            self.parts.append(a[name] or "")
        if tag == "input" and a.get("type") in ("submit", "button"):
            self.parts.append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_on(html: str) -> list[str]:
    parser = _ShownText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    return sorted(set(ENGLISH_RE.findall(text)) | set(CAPITAL_IN_SENTENCE.findall(text)))


def _admin_pages(client):
    """Every admin page reachable from the home: lists, add forms, a change form per model and its history."""
    home = client.get(reverse("admin:index")).content.decode()
    pages = {reverse("admin:index"), reverse("admin:reports_audit")}
    for changelist in sorted(set(re.findall(r'href="(/admin/\w+/\w+/)"', home))):
        listing = client.get(changelist).content.decode()
        pages.add(changelist)
        if "verwijderd/" in listing:  # content lists link to their deleted items (logs have none)
            pages.add(changelist + "verwijderd/")
        for extra in re.findall(r'href="(' + re.escape(changelist) + r'(?:add/|verwijderd/|\d+/change/))"', listing)[:3]:
            pages.add(extra)
        change = re.search(r'href="(' + re.escape(changelist) + r'(\d+)/change/)"', listing)
        if change:
            history = f"{changelist}{change.group(2)}/history/"
            history_page = client.get(history).content.decode()
            pages.add(history)
            if "vergelijk/" in history_page:  # content with versions; logs (review links, sent mail) have none
                pages.add(history + "vergelijk/")
            version = re.search(r'href="(' + re.escape(history) + r'\d+/)"', history_page)
            if version:
                pages.add(version.group(1))
            if changelist.endswith("/edition/"):
                pages.update({f"{changelist}{change.group(2)}/controle/", f"{changelist}{change.group(2)}/volgend-jaar/"})
    return sorted(pages)


@pytest.fixture(params=["Redacteur", "Eindredacteur"])
def role_client(request, demo, django_user_model):
    user = make_editor(django_user_model, request.param, username=f"walk-{request.param.lower()}")
    client = Client()
    client.force_login(user)
    return client


def test_every_admin_page_reachable_from_the_home_is_in_dutch(role_client):
    pages = _admin_pages(role_client)
    assert len(pages) > 60, pages  # lists, forms, history, compare and restore of every model
    found = {}
    for url in pages:
        response = role_client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        words = english_on(response.content.decode())
        if words:
            found[url] = words
    assert found == {}, "\n".join(f"{url}: {words}" for url, words in found.items())


def test_english_detector_catches_the_known_leftovers():
    html = '<p>Choose a date from the list below</p><th>CHANGED BY</th><td>None</td><div data-inline-formset=\'{"addText": "Nog een Werkspoor per jaar toevoegen"}\'></div><script>var x = "None";</script>'
    assert english_on(html) == ["Choose a date", "Nog een W", "None"]


@pytest.mark.django_db
def test_saved_message_names_the_item_without_an_article(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Redacteur"))
    budget = Budget.objects.create(year=2031, total=10)
    url = reverse("admin:programmes_budget_change", args=[budget.pk])
    data = admin_form_data(client.get(url))
    response = client.post(url, data, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert f"“{budget}” is bewaard." in text and "De budget" not in text


@pytest.mark.django_db
def test_add_another_text_of_an_inline_keeps_the_name_lower_case(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Redacteur"))
    track = make_track()
    html = client.get(reverse("admin:programmes_worktrack_change", args=[track.pk])).content.decode()
    assert "Nog een werkspoor per jaar toevoegen" in html


@pytest.mark.django_db
def test_slug_fields_are_labelled_as_web_address(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Redacteur"))
    html = client.get(reverse("admin:programmes_worktrack_add")).content.decode()
    assert '<label class="required" for="id_slug">Webadres:</label>' in html
