"""A whole new year entered through the back-office forms only, as a new staff member would."""
import json
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
    """A past year (2019) entered afterwards from its jaarverslag, with a kind of activity the list lacked,
    results against the plan's targets, activities saved without a status and the publication date of then."""
    client.force_login(make_editor(django_user_model, "Eindredacteur"))
    _add(client, "programmeperiod", {"name": "Samenwerkingsovereenkomst 2017-2021", "slug": "2017-2021",
                                     "start_year": "2017", "end_year": "2021"})
    _add(client, "programme", {"name": "Wonen", "slug": "wonen", "order": "3",
                               "periods": [str(ProgrammePeriod.objects.get(slug="2017-2021").pk)]})
    wonen = Programme.objects.get(slug="wonen")
    _add(client, "worktrack", {"title": "Renovatiebegeleiding", "slug": "renovatiebegeleiding", "kind": "work_track",
                               "programme": str(wonen.pk), "start_year": "2019"})
    track = WorkTrack.objects.get(slug="renovatiebegeleiding")
    _add(client, "worktrackyear", {
        "track": str(track.pk), "year": "2019", "programme": str(wonen.pk),
        "plan_text": "Twaalf fiches over renovatiebegeleiding.", "plan_status": "published",
        "report_text": "Een jaar van <b>renovatiebegeleiding</b> in de steden.", "report_status": "published",
        "results-TOTAL_FORMS": "2",
        "results-0-label": "fiches", "results-0-target": "12", "results-0-achieved": "9", "results-0-order": "0",
        "results-1-label": "begeleide projecten", "results-1-achieved": "1.250,0", "results-1-is_key_figure": "on",
        "results-1-order": "1",
    })
    _add(client, "workinggroup", {
        "name": "Werkgroep Renovatie", "slug": "werkgroep-renovatie", "kind": "working_group", "programme": str(wonen.pk),
        "start_year": "2019", "tracks": [str(track.pk)], "is_public": "on",
        "year_figures-TOTAL_FORMS": "1", "year_figures-0-year": "2019", "year_figures-0-meetings_complete": "on",
        "year_figures-0-frequency": "maandelijks",
    })
    group = WorkingGroup.objects.get(slug="werkgroep-renovatie")
    # The report speaks of an excursion: a kind the list lacks, added on the spot.
    _add(client, "meetingkind", {"name": "excursie", "slug": "excursie", "order": "130"})
    # What happened in 2019 is entered without choosing a status: a past date makes it 'gehouden'.
    _add(client, "meeting", {"title": "Eerste werkgroep", "kind": kind_pk("meeting"), "group": str(group.pk),
                             "date": "2 maart 2019", "status": "", "is_public": "on"})
    _add(client, "meeting", {"title": "Tweede werkgroep", "kind": kind_pk("meeting"), "group": str(group.pk),
                             "date": "8 juni 2019", "status": "", "is_public": "on"})
    _add(client, "meeting", {"title": "Excursie naar Rotterdam", "kind": kind_pk("excursie"), "track": str(track.pk),
                             "date": "16 en 17 mei 2019", "status": "", "is_public": "on"})
    # A group set up later must not appear in the 2019 report.
    _add(client, "workinggroup", {"name": "Werkgroep van later", "slug": "later", "kind": "working_group",
                                  "start_year": "2021", "tracks": [str(track.pk)], "is_public": "on"})

    _add(client, "edition", {"kind": "report", "year": "2019"}, app="reports")
    edition = Edition.objects.get(kind="report", year=2019)
    ty = WorkTrackYear.objects.get(track=track, year=2019)
    _change(client, edition, {"inhoud": json.dumps([{"key": "n1", "order": 10, "programme": wonen.pk,
                                                     "title": "Wonen en renovatie"}])}, app="reports")
    chapter = EditionEntry.objects.get(edition=edition)
    _change(client, edition, {"inhoud": json.dumps([{"id": chapter.pk}, {"key": "n1", "order": 20, "parent": f"e{chapter.pk}",
                                                                        "track_year": ty.pk, "show_activities": True}])},
            app="reports")

    checklist = client.get(reverse("admin:reports_edition_checklist", args=[edition.pk])).content.decode()
    assert 'name="published_on" aria-describedby="id_published_on_help">' in checklist  # no date of today proposed
    response = client.post(reverse("admin:reports_edition_checklist", args=[edition.pk]),
                           {"action": "publish", "confirm_warnings": "1", "published_on": "2020-04-20"})
    assert response.status_code == 302
    client.logout()

    html = client.get("/jaarverslag/2019/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Wonen en renovatie" in html and "Een jaar van <b>renovatiebegeleiding</b> in de steden." in html
    assert "Gepubliceerd op 20 april 2020" in html
    assert "16 en 17 mei 2019" in html and "Excursie naar Rotterdam (excursie)" in html
    assert "De werkgroep kwam in 2019 2 keer samen." in html
    assert "2 maart 2019" in html and "Eerste werkgroep" in html
    assert "Werkgroep van later" not in html
    assert "fiches 12 9" in text and "begeleide projecten — 1.250" in text
    assert "1.250 begeleide projecten" in text  # a key figure in 'Het jaar in cijfers'
    assert "Resultaten in 2019: doel (jaarplan) en gerealiseerd" in html
    assert set(Meeting.objects.values_list("status", flat=True)) == {Meeting.Status.HELD}
    assert GroupYear.objects.get(group=group, year=2019).frequency == "maandelijks"
    assert Meeting.objects.get(title="Excursie naar Rotterdam").date_display == "16 en 17 mei 2019"
    assert "excursie (1)" in client.get("/kalender/?jaar=2019").content.decode()
