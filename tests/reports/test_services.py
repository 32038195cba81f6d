"""reports.services on editions: who may publish, publishing and freezing, errata, unpublishing, next year."""
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes.models import EditorialStatus, WorkTrackYear
from reports.models import Edition
from reports.services import edition_prepare_next_year, edition_publish, edition_republish, edition_unpublish
from tests.factories import (
    make_draft_edition, make_edition, make_entry, make_track, make_track_year,
    outline,
)

pytestmark = pytest.mark.django_db


def _checklist_url(edition):
    return reverse("admin:reports_edition_checklist", args=[edition.pk])


# --- roles ----------------------------------------------------------------------------------------

def test_migration_creates_the_two_roles_and_only_eindredacteur_may_publish():
    redacteur, eind = Group.objects.get(name="Redacteur"), Group.objects.get(name="Eindredacteur")
    codenames = lambda g: set(g.permissions.values_list("codename", flat=True))  # noqa: E731
    assert {"change_worktrackyear", "change_edition", "add_link"} <= codenames(redacteur)
    assert not {"publish_edition", "publish_worktrackyear"} & codenames(redacteur)
    assert {"publish_edition", "publish_worktrackyear", "change_edition"} <= codenames(eind)


def test_redacteur_crafting_a_publish_post_on_the_checklist_gets_403(client, redacteur):
    edition = make_draft_edition()
    client.force_login(redacteur)
    response = client.post(_checklist_url(edition), {"action": "publish", "confirm_warnings": "1"})
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.status == EditorialStatus.DRAFT


def test_redacteur_crafting_the_publish_bulk_action_publishes_nothing(client, redacteur):
    edition = make_draft_edition()
    client.force_login(redacteur)
    client.post(reverse("admin:reports_edition_changelist"), {"action": "publish", "_selected_action": [edition.pk]})
    edition.refresh_from_db()
    assert edition.status == EditorialStatus.DRAFT


def test_redacteur_posting_status_published_in_the_change_form_changes_nothing(client, redacteur):
    from tests.programmes.test_admin_helpers import admin_form_data

    edition = make_draft_edition()
    client.force_login(redacteur)
    url = reverse("admin:reports_edition_change", args=[edition.pk])
    data = admin_form_data(client.get(url))
    data["status"] = EditorialStatus.PUBLISHED
    client.post(url, data)
    edition.refresh_from_db()
    assert edition.status == EditorialStatus.DRAFT


def test_publish_service_refuses_a_redacteur(redacteur):
    with pytest.raises(PermissionDenied):
        edition_publish(edition=make_draft_edition(), by=redacteur)


def test_redacteur_does_not_see_the_publish_actions(client, redacteur):
    make_draft_edition()
    client.force_login(redacteur)
    html = client.get(reverse("admin:reports_edition_changelist")).content.decode()
    assert 'value="to_review"' in html and 'value="publish"' not in html


# --- publishing -----------------------------------------------------------------------------------

def _proposed_date(client, edition):
    """The publication date the checklist's form proposes (its date input's value), '' when none."""
    match = re.search(r'name="published_on"[^>]*?(?:value="([^"]*)")?>', client.get(_checklist_url(edition)).content.decode())
    assert match, "the publish form asks for the publication date"
    return match.group(1) or ""


def test_eindredacteur_publishes_from_the_checklist_and_who_and_when_are_recorded(client, eindredacteur):
    edition = make_draft_edition(year=timezone.localdate().year)
    make_track_year(year=edition.year)
    client.force_login(eindredacteur)
    client.post(_checklist_url(edition), {"action": "publish", "published_on": _proposed_date(client, edition)})
    edition.refresh_from_db()
    assert edition.status == EditorialStatus.PUBLISHED
    assert edition.published_by == eindredacteur
    assert timezone.localtime(edition.published_at).date() == timezone.localdate()


def test_the_publish_form_proposes_today_only_for_an_edition_of_this_year_or_last(client, eindredacteur):
    this_year = timezone.localdate().year
    client.force_login(eindredacteur)
    assert _proposed_date(client, make_draft_edition(kind=Edition.Kind.REPORT, year=this_year - 1)) == timezone.localdate().isoformat()
    old = make_draft_edition(kind=Edition.Kind.REPORT, year=this_year - 4)
    assert _proposed_date(client, old) == ""
    assert f"Deze editie is van {this_year - 4}: vul de datum in waarop ze toen verscheen" in client.get(_checklist_url(old)).content.decode()


def test_an_edition_of_an_earlier_year_published_without_a_date_carries_none(client, eindredacteur):
    edition = make_draft_edition(year=timezone.localdate().year - 4)
    client.force_login(eindredacteur)
    client.post(_checklist_url(edition), {"action": "publish", "confirm_warnings": "1", "published_on": ""})
    edition.refresh_from_db()
    assert edition.is_published and edition.published_at is None
    html = client.get(edition.get_absolute_url() + "?voorbeeld").content.decode()
    assert "Gepubliceerd op" not in html
    assert "publicatiedatum niet geregistreerd" in client.get(reverse("admin:reports_edition_changelist")).content.decode()


def test_the_publication_date_the_editor_gives_is_printed_on_the_edition(client, eindredacteur):
    edition = make_draft_edition(year=2019)
    client.force_login(eindredacteur)
    client.post(_checklist_url(edition), {"action": "publish", "confirm_warnings": "1", "published_on": "2020-05-12"})
    client.logout()
    assert "Gepubliceerd op 12 mei 2020" in client.get(edition.get_absolute_url()).content.decode()


def test_a_malformed_publication_date_is_refused_and_nothing_is_published(client, eindredacteur):
    edition = make_draft_edition(year=2019)
    client.force_login(eindredacteur)
    response = client.post(_checklist_url(edition), {"action": "publish", "confirm_warnings": "1", "published_on": "12/05"},
                           follow=True)
    assert "Geef de publicatiedatum als dag, maand en jaar" in response.content.decode()
    edition.refresh_from_db()
    assert not edition.is_published


def test_publishing_an_old_edition_from_the_list_says_its_date_is_not_recorded(client, eindredacteur):
    edition = make_draft_edition(year=timezone.localdate().year - 5)
    client.force_login(eindredacteur)
    response = client.post(reverse("admin:reports_edition_changelist"),
                           {"action": "publish", "_selected_action": [edition.pk]}, follow=True)
    edition.refresh_from_db()
    assert edition.is_published and edition.published_at is None
    assert "publicatiedatum niet geregistreerd" in response.content.decode()


def test_publishing_with_open_warnings_needs_explicit_confirmation(eindredacteur):
    edition = make_draft_edition()
    make_track_year(year=edition.year, report_status=EditorialStatus.REVIEW)
    with pytest.raises(ValidationError) as exc:
        edition_publish(edition=outline(edition), by=eindredacteur)
    assert exc.value.code == "checklist"
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    edition.refresh_from_db()
    assert edition.is_published


def test_unpublished_edition_is_404_for_anonymous_visitors_again(client, eindredacteur):
    edition = make_draft_edition()
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    assert client.get(outline(edition).get_absolute_url()).status_code == 200
    edition_unpublish(edition=edition, by=eindredacteur)
    assert client.get(outline(edition).get_absolute_url()).status_code == 404


def test_editing_a_track_after_publication_leaves_the_published_page_unchanged_until_republication(client, eindredacteur):
    edition = make_draft_edition(year=2024)
    ty = make_track_year(year=2024, report_text="<p>Wat we deden.</p>", track=make_track(title="Rechtenverkenner"))
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    url = outline(edition).get_absolute_url()

    ty.track.title = "Rechtenverkenner 2.0"
    ty.track.save()
    ty.report_text = "<p>Later herschreven.</p>"
    ty.save()
    make_track_year(year=2024, track=make_track(title="Nieuw werkspoor"))
    html = client.get(url).content.decode()
    assert "Rechtenverkenner" in html and "Rechtenverkenner 2.0" not in html
    assert "Wat we deden." in html and "Later herschreven." not in html and "Nieuw werkspoor" not in html

    edition_republish(edition=edition, by=eindredacteur, erratum_text="Titel van werkspoor 1 verbeterd.", confirm_warnings=True)
    html = client.get(url).content.decode()
    assert "Rechtenverkenner 2.0" in html and "Later herschreven." in html
    assert "Erratum" in html and "Titel van werkspoor 1 verbeterd." in html


def test_republishing_needs_an_erratum_and_keeps_the_publication_date(eindredacteur):
    edition = make_draft_edition()
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    edition.refresh_from_db()
    first_date = edition.published_at
    with pytest.raises(ValidationError):
        edition_republish(edition=edition, by=eindredacteur, erratum_text=" ")
    edition_republish(edition=edition, by=eindredacteur, erratum_text="Tikfout.", confirm_warnings=True)
    edition.refresh_from_db()
    assert edition.published_at == first_date and edition.erratum_date is not None


def test_republish_is_refused_for_a_redacteur(client, redacteur, eindredacteur):
    edition = make_draft_edition()
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    client.force_login(redacteur)
    response = client.post(_checklist_url(edition), {"action": "republish", "erratum_text": "x", "confirm_warnings": "1"})
    assert response.status_code == 403


# --- preview --------------------------------------------------------------------------------------


# --- next year ------------------------------------------------------------------------------------

def test_prepare_next_year_creates_draft_edition_and_empty_texts_for_running_tracks(redacteur):
    edition = make_edition(kind=Edition.Kind.PLAN, year=2025)
    running = make_track_year(year=2025, number="1.3", title="Andere titel", plan_text="<p>Plan 2025.</p>")
    ended = make_track_year(year=2025, track=make_track(end_year=2025))
    outline(edition)
    free = make_entry(edition=edition, title="Communicatie", order=999)

    new, created = edition_prepare_next_year(edition=edition, by=redacteur)

    assert (new.kind, new.year, new.status) == (Edition.Kind.PLAN, 2026, EditorialStatus.DRAFT)
    assert created == 1
    nxt = WorkTrackYear.objects.get(track=running.track, year=2026)
    assert (nxt.title, nxt.programme) == ("Andere titel", running.programme)
    assert nxt.plan_text == "" and nxt.report_text == "" and nxt.plan_status == EditorialStatus.DRAFT
    assert not WorkTrackYear.objects.filter(track=ended.track, year=2026).exists()
    # The outline carries over: chapters, numbers, nesting; the ended track is left out.
    entry = new.entries.get(track_year=nxt)
    assert entry.number == "1.3" and entry.parent.programme == running.programme
    assert new.entries.filter(title=free.title, parent=None).exists()
    assert not new.entries.filter(track_year__track=ended.track).exists()


def test_prepare_next_year_is_idempotent(redacteur):
    edition = make_edition(kind=Edition.Kind.PLAN, year=2025)
    make_track_year(year=2025)
    edition_prepare_next_year(edition=edition, by=redacteur)
    again, created = edition_prepare_next_year(edition=edition, by=redacteur)
    assert created == 0
    assert Edition.objects.filter(year=2026).count() == 1 and WorkTrackYear.objects.filter(year=2026).count() == 1


def test_prepare_next_year_admin_action(client, redacteur):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_track_year(year=2024)
    client.force_login(redacteur)
    client.post(reverse("admin:reports_edition_changelist"), {"action": "prepare_next_year", "_selected_action": [edition.pk]})
    assert Edition.objects.filter(kind=Edition.Kind.REPORT, year=2025, status=EditorialStatus.DRAFT).exists()


def test_prepared_drafts_do_not_appear_in_the_published_next_report(client, redacteur, eindredacteur):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_track_year(year=2024, report_text="<p>Tekst 2024.</p>")
    new, _ = edition_prepare_next_year(edition=edition, by=redacteur)
    edition_publish(edition=outline(new), by=eindredacteur, confirm_warnings=True)
    assert "Tekst 2024." not in client.get(new.get_absolute_url()).content.decode()


# --- checklist and link checking ------------------------------------------------------------------


# --- images ---------------------------------------------------------------------------------------


