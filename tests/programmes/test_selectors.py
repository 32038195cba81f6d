"""programmes.selectors: the reads behind the public pages, each asked directly.

The pages that show them are tested in test_views.py; here each read is pinned on its own, so a
failing page says whether the read or the template changed.
"""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from programmes.models import City, EditorialStatus, Meeting, WorkingGroup, WorkTrackYear
from programmes.selectors import (
    city_involvement, city_meetings, matching_every_word, meeting_count_sentence, meeting_lookalike, readable_years,
    year_ranges, years_with_data,
)
from tests.factories import make_city, make_group, make_meeting, make_programme, make_track, make_track_year

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


# The demo stays loaded for the rest of a module once a test asked for it (tests/conftest.py), so the
# tests below read only what they made.


def _editor(django_user_model):
    editor = django_user_model.objects.create_user(username="redacteur", password="x" * 20)
    editor.groups.add(Group.objects.get(name="Redacteur"))
    return editor


def test_the_city_page_and_the_city_feed_take_the_same_meetings(demo, django_user_model):
    """The city page passes the tracks and groups it lists to city_meetings; the feed asks the database.
    Both give the same meetings, for a visitor and for the editorial team, in every demo city."""
    for user in (AnonymousUser(), _editor(django_user_model)):
        for city in City.objects.all():
            involvement = city_involvement(city, user=user, today=TODAY)
            asked = set(city_meetings(city, user=user).values_list("pk", flat=True))
            assert set(city_meetings(city, user=user, involvement=involvement).values_list("pk", flat=True)) == asked
            assert asked or city.slug not in {"gent", "antwerpen"}  # the comparison is not between empty sets


def test_a_citys_involvement_leaves_out_a_private_group_for_a_visitor_but_not_for_the_editorial_team(django_user_model):
    city = make_city(name="Proefstad")
    shown = make_group(name="Werkgroep Wonen", start_year=2024, lead_city=city)
    hidden = make_group(name="Interne stuurgroep", start_year=2024, is_public=False)
    hidden.cities.add(city)

    def items(user):
        return {i.item.name: i.leads for block in city_involvement(city, user=user, today=TODAY)
                for _programme, group in block.programmes for i in group}

    assert items(AnonymousUser()) == {shown.name: True}
    assert items(_editor(django_user_model)) == {shown.name: True, hidden.name: False}


def test_year_ranges_shorten_consecutive_years_and_keep_gaps():
    assert year_ranges([2022, 2017, 2020, 2021, 2017]) == "2017, 2020–2022"
    assert year_ranges([]) == ""


def test_every_word_must_start_a_word_of_the_item_or_of_what_it_belongs_to():
    klimaat = make_programme(name="Klimaatbeleid")
    ai = make_group(name="Werkgroep AI")
    portraits = make_group(name="Smart Portraits")
    gent = make_group(name="Werkgroep AI Gent", programme=klimaat)
    groups = WorkingGroup.objects.filter(pk__in=[ai.pk, portraits.pk, gent.pk])
    fields = ["name", "programme__name"]
    assert set(matching_every_word(groups, ["ai"], fields)) == {ai, gent}
    assert set(matching_every_word(groups, ["ai", "klimaat"], fields)) == {gent}
    assert set(matching_every_word(groups, ["ai", "gen"], fields)) == {gent}
    assert not matching_every_word(groups, [], fields).exists()


def test_a_visitor_reads_only_the_published_text_of_a_year_and_the_editorial_team_both(django_user_model):
    ty = make_track_year(year=2025, plan_status=EditorialStatus.PUBLISHED, report_status=EditorialStatus.DRAFT)
    unwritten = make_track_year(year=2025, plan_status=EditorialStatus.DRAFT, report_status=EditorialStatus.DRAFT)
    queryset = WorkTrackYear.objects.filter(pk__in=[ty.pk, unwritten.pk])

    seen = {row.pk: (row.show_plan, row.show_report) for row in readable_years(queryset, user=AnonymousUser())}
    assert seen == {ty.pk: (True, False)}
    seen = {row.pk: (row.show_plan, row.show_report) for row in readable_years(queryset, user=_editor(django_user_model))}
    assert seen == {ty.pk: (True, True), unwritten.pk: (True, True)}


def test_the_years_with_data_come_newest_first_once_each():
    texts = [make_track_year(year=2022).pk, make_track_year(year=2024).pk]
    meetings = [make_meeting(year=2024).pk, make_meeting(year=2019).pk]
    assert years_with_data(WorkTrackYear.objects.filter(pk__in=texts), Meeting.objects.filter(pk__in=meetings)) == [2024, 2022, 2019]


def test_a_meeting_on_the_same_day_of_the_same_group_is_a_lookalike_and_of_another_group_not():
    group = make_group()
    recorded = make_meeting(group=group, year=2025, month=3, day=12, title="Stuurgroep maart")
    assert meeting_lookalike(Meeting(group=group, year=2025, month=3, day=12, title="Overleg met de steden")) == recorded
    assert meeting_lookalike(Meeting(group=make_group(), year=2025, month=3, day=12, title="Stuurgroep maart")) is None
    assert meeting_lookalike(Meeting(track=make_track(), year=2025, month=3, day=12, title="Stuurgroep maart")) is None


def test_the_meeting_count_reads_as_a_dutch_sentence_with_the_right_article_and_says_nothing_without_a_count():
    network = make_group(name="Lerend netwerk circulaire economie", kind=WorkingGroup.Kind.LEARNING_NETWORK)
    group = make_group(name="Werkgroep wonen")
    assert meeting_count_sentence(network, 2024, 1) == "Het lerend netwerk kwam in 2024 1 keer samen."
    assert meeting_count_sentence(group, 2024, 6) == "De werkgroep kwam in 2024 6 keer samen."
    assert meeting_count_sentence(group, 2024, None) == ""
