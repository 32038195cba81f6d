import pytest
from django.urls import reverse

from programmes.models import City
from tests.factories import make_city, make_group, make_track
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db


def test_deleting_a_city_that_takes_part_in_a_group_is_refused(client, django_user_model):
    client.force_login(make_editor(django_user_model, role="Eindredacteur"))
    gent = make_city(name="Gent")
    make_group(name="Werkgroep GDPR").cities.add(gent)
    url = reverse("admin:programmes_city_delete", args=[gent.pk])

    page = client.get(url).content.decode()
    assert "Werkgroep GDPR" in page
    client.post(url, {"post": "yes"})
    assert City.objects.filter(pk=gent.pk).exists()


def test_bulk_delete_of_cities_in_use_is_refused(client, django_user_model):
    client.force_login(make_editor(django_user_model, role="Eindredacteur"))
    used, unused = make_city(name="Genk"), make_city(name="Nergensdorp")
    make_track().lead_cities.add(used)
    client.post(reverse("admin:programmes_city_changelist"),
                {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"})
    assert City.objects.filter(pk=used.pk).exists()


def test_unused_city_can_be_deleted(client, django_user_model):
    client.force_login(make_editor(django_user_model, role="Eindredacteur"))
    city = make_city(name="Tijdelijk")
    client.post(reverse("admin:programmes_city_delete", args=[city.pk]), {"post": "yes"})
    assert not City.objects.filter(pk=city.pk).exists()
