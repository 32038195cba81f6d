"""The city page and the city's calendar feed list the same meetings (one rule, two ways to ask)."""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from programmes.models import City
from programmes.selectors import city_involvement, city_meetings

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


def test_the_city_page_and_the_city_feed_take_the_same_meetings(demo, django_user_model):
    """The city page passes the tracks and groups it lists to city_meetings; the feed asks the database.
    Both give the same meetings, for a visitor and for the editorial team, in every demo city."""
    editor = django_user_model.objects.create_user(username="redacteur", password="x" * 20)
    editor.groups.add(Group.objects.get(name="Redacteur"))
    for user in (AnonymousUser(), editor):
        for city in City.objects.all():
            involvement = city_involvement(city, user=user, today=TODAY)
            asked = set(city_meetings(city, user=user).values_list("pk", flat=True))
            assert set(city_meetings(city, user=user, involvement=involvement).values_list("pk", flat=True)) == asked
            assert asked or city.slug not in {"gent", "antwerpen"}  # the comparison is not between empty sets
