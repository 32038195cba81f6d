"""Link forms: 'nog geen adres' is an explicit choice, and the browser script that warns is loaded."""
import re

import pytest
from django.urls import reverse

from programmes.models import Link
from tests.factories import make_link, make_programme
from tests.programmes.test_admin_helpers import admin_submit, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Redacteur"))


def test_no_address_clears_the_url_and_the_checklist_then_counts_the_link(client, editor):
    link = make_link(url="https://example.org/oud")
    url = reverse("admin:programmes_link_change", args=[link.pk])
    assert admin_submit(client, url, {"no_address": "on"}).status_code == 302
    link.refresh_from_db()
    assert link.url == "" and Link.objects.placeholders().filter(pk=link.pk).exists()


def test_a_link_without_address_opens_with_no_address_ticked(client, editor):
    link = make_link(url="#")
    html = client.get(reverse("admin:programmes_link_change", args=[link.pk])).content.decode()
    box = re.search(r'<input[^>]*name="no_address"[^>]*>', html).group(0)
    assert " checked" in box


def test_link_inline_offers_no_address_and_loads_the_warning_script(client, editor):
    programme = make_programme()
    make_link(programme=programme, url="")
    html = client.get(reverse("admin:programmes_programme_change", args=[programme.pk])).content.decode()
    assert re.search(r'name="links-\d+-no_address"', html) and "Nog geen adres" in html
    assert 'data-link-url="1"' in html and "js/links.js" in html


def test_saving_a_placeholder_link_unchanged_keeps_its_stored_hash(client, editor):
    link = make_link(url="#")
    url = reverse("admin:programmes_link_change", args=[link.pk])
    assert admin_submit(client, url, {}).status_code == 302
    link.refresh_from_db()
    assert link.url == "#"
