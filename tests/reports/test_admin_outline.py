"""A whole new year entered through the back-office forms only, as a new staff member would."""
import re

import pytest
from django.urls import reverse

from programmes.models import GroupYear, Meeting, Programme, ProgrammePeriod, WorkingGroup, WorkTrack, WorkTrackYear
from reports.models import Edition, EditionEntry
from tests.factories import kind_pk
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db


def _add(client, model, data, app="programmes"):
    """POST an add form with every field and inline as rendered, overridden by `data`."""
    url = reverse(f"admin:{app}_{model}_add")
    form = {k: v for k, v in admin_form_data(client.get(url)).items() if v != []}
    form.update(data)
    response = client.post(url, form)
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())[:5]
    return response


def _change(client, obj, data, app):
    url = reverse(f"admin:{app}_{obj._meta.model_name}_change", args=[obj.pk])
    form = {k: v for k, v in admin_form_data(client.get(url)).items() if v != []}
    form.update(data)
    response = client.post(url, form)
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())[:5]
    return response


def test_a_new_year_entered_through_the_admin_forms_reaches_the_published_report(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Eindredacteur"))
    _add(client, "programmeperiod", {"name": "Samenwerkingsovereenkomst 2027-2031", "slug": "2027-2031",
                                     "start_year": "2027", "end_year": "2031"})
    _add(client, "programme", {"name": "Wonen", "slug": "wonen", "order": "3",
                               "periods": [str(ProgrammePeriod.objects.get(slug="2027-2031").pk)]})
    wonen = Programme.objects.get(slug="wonen")
    _add(client, "worktrack", {"title": "Renovatiebegeleiding", "slug": "renovatiebegeleiding", "kind": "work_track",
                               "programme": str(wonen.pk), "start_year": "2027"})
    track = WorkTrack.objects.get(slug="renovatiebegeleiding")
    _add(client, "worktrackyear", {"track": str(track.pk), "year": "2027", "programme": str(wonen.pk),
                                   "report_text": "Een jaar van <b>renovatiebegeleiding</b> in de steden.",
                                   "report_status": "published", "plan_text": ""})
    _add(client, "workinggroup", {
        "name": "Werkgroep Renovatie", "slug": "werkgroep-renovatie", "kind": "working_group", "programme": str(wonen.pk),
        "start_year": "2027", "tracks": [str(track.pk)], "is_public": "on",
        "year_figures-TOTAL_FORMS": "1", "year_figures-0-year": "2027", "year_figures-0-meetings_complete": "on",
        "year_figures-0-frequency": "maandelijks",
    })
    group = WorkingGroup.objects.get(slug="werkgroep-renovatie")
    _add(client, "meeting", {"title": "Eerste werkgroep", "kind": kind_pk("meeting"), "group": str(group.pk), "year": "2027",
                             "month": "3", "day": "2", "status": "held", "is_public": "on"})
    _add(client, "meeting", {"title": "Tweede werkgroep", "kind": kind_pk("meeting"), "group": str(group.pk), "year": "2027",
                             "month": "6", "day": "8", "status": "held", "is_public": "on"})
    _add(client, "meeting", {"title": "Studiereis naar Rotterdam", "kind": kind_pk("study_trip"), "track": str(track.pk),
                             "year": "2027", "month": "5", "day": "16", "end_day": "17", "status": "held", "is_public": "on"})
    # A group set up later must not appear in the 2027 report.
    _add(client, "workinggroup", {"name": "Werkgroep van later", "slug": "later", "kind": "working_group",
                                  "start_year": "2029", "tracks": [str(track.pk)], "is_public": "on"})

    _add(client, "edition", {"kind": "report", "year": "2027"}, app="reports")
    edition = Edition.objects.get(kind="report", year=2027)
    ty = WorkTrackYear.objects.get(track=track, year=2027)
    _change(client, edition, {"inhoud-TOTAL_FORMS": "1", "inhoud-0-order": "10", "inhoud-0-programme": str(wonen.pk),
                              "inhoud-0-title": "Wonen en renovatie", "inhoud-0-edition": str(edition.pk)}, app="reports")
    chapter = EditionEntry.objects.get(edition=edition)
    _change(client, edition, {"inhoud-TOTAL_FORMS": "2", "inhoud-1-order": "20", "inhoud-1-parent": str(chapter.pk),
                              "inhoud-1-track_year": str(ty.pk), "inhoud-1-show_activities": "on",
                              "inhoud-1-edition": str(edition.pk)}, app="reports")

    response = client.post(reverse("admin:reports_edition_checklist", args=[edition.pk]),
                           {"action": "publish", "confirm_warnings": "1", "published_on": "2028-04-20"})
    assert response.status_code == 302
    client.logout()

    html = client.get("/jaarverslag/2027/").content.decode()
    assert "Wonen en renovatie" in html and "Een jaar van <b>renovatiebegeleiding</b> in de steden." in html
    assert "Gepubliceerd op 20 april 2028" in html
    assert "16 en 17 mei 2027" in html and "Studiereis naar Rotterdam" in html
    assert "De werkgroep kwam in 2027 2 keer samen." in html
    assert "2 maart 2027" in html and "Eerste werkgroep" in html
    assert "Werkgroep van later" not in html
    assert GroupYear.objects.get(group=group, year=2027).frequency == "maandelijks"
    assert Meeting.objects.get(title="Studiereis naar Rotterdam").date_display == "16 en 17 mei 2027"
