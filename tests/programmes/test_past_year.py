"""Entering a past year: honest defaults, look-alikes with partial dates, and forms that save what belongs together."""
import datetime

import pytest
from django.urls import reverse

from programmes.models import Budget, Link, Meeting
from tests.factories import kind_pk, make_group, make_meeting, make_programme, make_track
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db


def _post_add(client, model, data):
    url = reverse(f"admin:programmes_{model}_add")
    form = {k: v for k, v in admin_form_data(client.get(url)).items() if v != []}
    form.update(data)
    return client.post(url, form)


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(make_editor(django_user_model))
    return client


def _meeting(editor, **data):
    return _post_add(editor, "meeting", {"title": "Werkgroep", "kind": kind_pk("meeting"), "is_public": "on", **data})


def test_a_meeting_dated_in_the_past_is_saved_as_held_when_the_editor_chooses_no_status(editor):
    assert _meeting(editor, title="Vergadering van toen", date="5 maart 2019", status="").status_code == 302
    assert Meeting.objects.get(title="Vergadering van toen").status == Meeting.Status.HELD


def test_a_meeting_whose_date_is_still_to_come_is_saved_as_planned(editor):
    next_year = str(datetime.date.today().year + 1)
    assert _meeting(editor, title="Volgende vergadering", date=f"maart {next_year}", status="").status_code == 302
    assert Meeting.objects.get(title="Volgende vergadering").status == Meeting.Status.PLANNED


def test_a_meeting_of_this_year_known_only_to_the_year_stays_planned_until_the_year_is_over(editor):
    this_year = str(datetime.date.today().year)
    assert _meeting(editor, title="Ergens dit jaar", date=this_year, status="").status_code == 302
    assert Meeting.objects.get(title="Ergens dit jaar").status == Meeting.Status.PLANNED


def test_the_editor_s_own_choice_of_status_is_kept_for_a_past_date(editor):
    assert _meeting(editor, title="Afgelast", date="maart 2019", status="cancelled").status_code == 302
    assert Meeting.objects.get(title="Afgelast").status == Meeting.Status.CANCELLED


def test_the_meeting_form_says_which_status_a_meeting_without_one_gets(editor):
    html = editor.get(reverse("admin:programmes_meeting_add")).content.decode()
    assert "met een datum in het verleden als ‘gehouden’ bewaard" in html
    assert admin_form_data(editor.get(reverse("admin:programmes_meeting_add")))["status"] == ""


def test_a_dated_meeting_that_looks_like_an_end_of_year_one_of_the_same_group_is_questioned(editor):
    group = make_group()
    make_meeting(group=group, title="Slotvergadering werkgroep", year=2027, period="end", status=Meeting.Status.PLANNED)
    response = _meeting(editor, title="Slotvergadering van de werkgroep", group=str(group.pk), date="9 december 2027",
                        status="held")
    assert response.status_code == 200
    assert "Slotvergadering werkgroep" in response.content.decode() and "Toch bewaren" in response.content.decode()
    assert _meeting(editor, title="Slotvergadering van de werkgroep", group=str(group.pk), date="9 december 2027",
                    status="held", confirm_duplicate="on").status_code == 302


def test_a_different_activity_of_the_same_group_in_the_same_season_is_not_questioned(editor):
    group = make_group()
    make_meeting(group=group, title="Workshop datageletterdheid", year=2027, period="end")
    assert _meeting(editor, title="Startvergadering NIS2", group=str(group.pk), date="9 december 2027",
                    status="held").status_code == 302


def test_a_look_alike_in_another_part_of_the_year_is_not_questioned(editor):
    track = make_track()
    make_meeting(track=track, title="Netwerkdag", year=2027, month=3)
    assert _meeting(editor, title="Netwerkdag", track=str(track.pk), date="2 oktober 2027",
                    status="held").status_code == 302


def test_a_budget_and_its_settlement_link_are_saved_in_one_form(editor):
    response = _post_add(editor, "budget", {
        "year": "2027", "total": "536.718,78", "links-TOTAL_FORMS": "1", "links-0-title": "de afrekening",
        "links-0-url": "https://example.org/afrekening-2027.pdf", "links-0-kind": "report", "links-0-order": "0",
        "links-0-is_public": "on",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    budget = Budget.objects.get(year=2027)
    assert str(budget.total) == "536718.78"
    assert list(Link.objects.filter(budget=budget).values_list("title", flat=True)) == ["de afrekening"]


def test_the_programme_picker_finds_and_shows_a_programme_by_its_abbreviation(editor):
    make_programme(name="O(mgeving) B(eleid) M(anagement) informatie", short_name="OBMi")
    response = editor.get("/admin/autocomplete/", {"app_label": "programmes", "model_name": "worktrack",
                                                   "field_name": "programme", "term": "obmi"})
    assert [r["text"] for r in response.json()["results"]] == ["O(mgeving) B(eleid) M(anagement) informatie (OBMi)"]
