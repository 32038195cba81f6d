"""Editorial workflow of editions: roles, publishing, freezing, errata, preview, next year, checklist."""
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from programmes.models import EditorialStatus, Link, Meeting, WorkTrackYear
from reports.models import Edition
from reports.services import edition_prepare_next_year, edition_publish, edition_republish, edition_unpublish
from reports.checklist import edition_checklist
from tests.factories import (
    make_budget, make_edition, make_entry, make_group, make_group_year, make_link, make_meeting, make_track, make_track_year,
    outline, place,
)
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db


def _draft(**kw):
    kw.setdefault("foreword", "<p>Beste lezer.</p>")
    kw.setdefault("responsible_publisher", "Annik Bogaert")  # a complete edition has a colophon
    return make_edition(status=EditorialStatus.DRAFT, **kw)


def _checklist_url(edition):
    return reverse("admin:reports_edition_checklist", args=[edition.pk])


@pytest.fixture
def redacteur(django_user_model):
    return make_editor(django_user_model, "Redacteur")


@pytest.fixture
def eindredacteur(django_user_model):
    return make_editor(django_user_model, "Eindredacteur")


# --- roles ----------------------------------------------------------------------------------------

def test_migration_creates_the_two_roles_and_only_eindredacteur_may_publish():
    redacteur, eind = Group.objects.get(name="Redacteur"), Group.objects.get(name="Eindredacteur")
    codenames = lambda g: set(g.permissions.values_list("codename", flat=True))  # noqa: E731
    assert {"change_worktrackyear", "change_edition", "add_link"} <= codenames(redacteur)
    assert not {"publish_edition", "publish_worktrackyear"} & codenames(redacteur)
    assert {"publish_edition", "publish_worktrackyear", "change_edition"} <= codenames(eind)


def test_redacteur_crafting_a_publish_post_on_the_checklist_gets_403(client, redacteur):
    edition = _draft()
    client.force_login(redacteur)
    response = client.post(_checklist_url(edition), {"action": "publish", "confirm_warnings": "1"})
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.status == EditorialStatus.DRAFT


def test_redacteur_crafting_the_publish_bulk_action_publishes_nothing(client, redacteur):
    edition = _draft()
    client.force_login(redacteur)
    client.post(reverse("admin:reports_edition_changelist"), {"action": "publish", "_selected_action": [edition.pk]})
    edition.refresh_from_db()
    assert edition.status == EditorialStatus.DRAFT


def test_redacteur_posting_status_published_in_the_change_form_changes_nothing(client, redacteur):
    from tests.programmes.test_admin_helpers import admin_form_data

    edition = _draft()
    client.force_login(redacteur)
    url = reverse("admin:reports_edition_change", args=[edition.pk])
    data = admin_form_data(client.get(url))
    data["status"] = EditorialStatus.PUBLISHED
    client.post(url, data)
    edition.refresh_from_db()
    assert edition.status == EditorialStatus.DRAFT


def test_publish_service_refuses_a_redacteur(redacteur):
    with pytest.raises(PermissionDenied):
        edition_publish(edition=_draft(), by=redacteur)


def test_redacteur_does_not_see_the_publish_actions(client, redacteur):
    _draft()
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
    edition = _draft(year=timezone.localdate().year)
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
    assert _proposed_date(client, _draft(kind=Edition.Kind.REPORT, year=this_year - 1)) == timezone.localdate().isoformat()
    old = _draft(kind=Edition.Kind.REPORT, year=this_year - 4)
    assert _proposed_date(client, old) == ""
    assert f"Deze editie is van {this_year - 4}: vul de datum in waarop ze toen verscheen" in client.get(_checklist_url(old)).content.decode()


def test_an_edition_of_an_earlier_year_published_without_a_date_carries_none(client, eindredacteur):
    edition = _draft(year=timezone.localdate().year - 4)
    client.force_login(eindredacteur)
    client.post(_checklist_url(edition), {"action": "publish", "confirm_warnings": "1", "published_on": ""})
    edition.refresh_from_db()
    assert edition.is_published and edition.published_at is None
    html = client.get(edition.get_absolute_url() + "?voorbeeld").content.decode()
    assert "Gepubliceerd op" not in html
    assert "publicatiedatum niet geregistreerd" in client.get(reverse("admin:reports_edition_changelist")).content.decode()


def test_the_publication_date_the_editor_gives_is_printed_on_the_edition(client, eindredacteur):
    edition = _draft(year=2019)
    client.force_login(eindredacteur)
    client.post(_checklist_url(edition), {"action": "publish", "confirm_warnings": "1", "published_on": "2020-05-12"})
    client.logout()
    assert "Gepubliceerd op 12 mei 2020" in client.get(edition.get_absolute_url()).content.decode()


def test_a_malformed_publication_date_is_refused_and_nothing_is_published(client, eindredacteur):
    edition = _draft(year=2019)
    client.force_login(eindredacteur)
    response = client.post(_checklist_url(edition), {"action": "publish", "confirm_warnings": "1", "published_on": "12/05"},
                           follow=True)
    assert "Geef de publicatiedatum als dag, maand en jaar" in response.content.decode()
    edition.refresh_from_db()
    assert not edition.is_published


def test_publishing_an_old_edition_from_the_list_says_its_date_is_not_recorded(client, eindredacteur):
    edition = _draft(year=timezone.localdate().year - 5)
    client.force_login(eindredacteur)
    response = client.post(reverse("admin:reports_edition_changelist"),
                           {"action": "publish", "_selected_action": [edition.pk]}, follow=True)
    edition.refresh_from_db()
    assert edition.is_published and edition.published_at is None
    assert "publicatiedatum niet geregistreerd" in response.content.decode()


def test_publishing_with_open_warnings_needs_explicit_confirmation(eindredacteur):
    edition = _draft()
    make_track_year(year=edition.year, report_status=EditorialStatus.REVIEW)
    with pytest.raises(ValidationError) as exc:
        edition_publish(edition=outline(edition), by=eindredacteur)
    assert exc.value.code == "checklist"
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    edition.refresh_from_db()
    assert edition.is_published


def test_unpublished_edition_is_404_for_anonymous_visitors_again(client, eindredacteur):
    edition = _draft()
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    assert client.get(outline(edition).get_absolute_url()).status_code == 200
    edition_unpublish(edition=edition, by=eindredacteur)
    assert client.get(outline(edition).get_absolute_url()).status_code == 404


def test_editing_a_track_after_publication_leaves_the_published_page_unchanged_until_republication(client, eindredacteur):
    edition = _draft(year=2024)
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
    edition = _draft()
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    edition.refresh_from_db()
    first_date = edition.published_at
    with pytest.raises(ValidationError):
        edition_republish(edition=edition, by=eindredacteur, erratum_text=" ")
    edition_republish(edition=edition, by=eindredacteur, erratum_text="Tikfout.", confirm_warnings=True)
    edition.refresh_from_db()
    assert edition.published_at == first_date and edition.erratum_date is not None


def test_republish_is_refused_for_a_redacteur(client, redacteur, eindredacteur):
    edition = _draft()
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    client.force_login(redacteur)
    response = client.post(_checklist_url(edition), {"action": "republish", "erratum_text": "x", "confirm_warnings": "1"})
    assert response.status_code == 403


# --- preview --------------------------------------------------------------------------------------

def test_staff_preview_of_a_draft_shows_the_banner_and_anonymous_gets_404(client, redacteur):
    edition = _draft()
    assert client.get(outline(edition).get_absolute_url()).status_code == 404
    client.force_login(redacteur)
    html = client.get(outline(edition).get_absolute_url()).content.decode()
    assert "Voorbeeld — niet gepubliceerd" in html


def test_admin_links_to_the_preview(client, redacteur):
    edition = _draft()
    client.force_login(redacteur)
    html = client.get(reverse("admin:reports_edition_changelist")).content.decode()
    assert f'href="{outline(edition).get_absolute_url()}"' in html
    html = client.get(reverse("admin:reports_edition_change", args=[edition.pk])).content.decode()
    assert "Voorbeeld" in html and _checklist_url(edition) in html


def test_staff_preview_of_a_published_edition_shows_pending_changes_with_banner(client, eindredacteur):
    edition = _draft(year=2024)
    ty = make_track_year(year=2024, track=make_track(title="Oude titel"))
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    ty.track.title = "Nieuwe titel"
    ty.track.save()
    client.force_login(eindredacteur)
    html = client.get(outline(edition).get_absolute_url() + "?voorbeeld").content.decode()
    assert "Nieuwe titel" in html and "Voorbeeld van de gepubliceerde versie met recente wijzigingen" in html
    assert "niet gepubliceerd" not in html  # it is published; the banner says so
    client.logout()
    html = client.get(outline(edition).get_absolute_url() + "?voorbeeld").content.decode()
    assert "Oude titel" in html and "Nieuwe titel" not in html



def test_the_page_and_the_html_download_of_a_published_edition_show_the_same_frozen_copy_to_everyone(client, eindredacteur):
    edition = _draft(year=2024)
    ty = make_track_year(year=2024, track=make_track(title="Oude titel"))
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    ty.track.title = "Nieuwe titel"
    ty.track.save()
    html_url = reverse("reports:plan-html" if edition.kind == Edition.Kind.PLAN else "reports:report-html", args=[2024])
    for viewer in (None, eindredacteur):  # staff too: only ?voorbeeld shows what a republish would
        if viewer:
            client.force_login(viewer)
        for url in (edition.get_absolute_url(), html_url):
            html = client.get(url).content.decode()
            assert "Oude titel" in html and "Nieuwe titel" not in html, (viewer, url)

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

def _codes(edition):
    return {item.code for item in edition_checklist(edition=edition)}


def test_checklist_lists_missing_texts_drafts_placeholder_links_and_groups_without_a_confirmed_count():
    edition = _draft(year=2024)
    open_draft = make_track_year(year=2024, report_status=EditorialStatus.DRAFT)
    place(edition, make_track_year(year=2024, report_text=""), open_draft)
    make_link(track_year=open_draft, url="#")
    group = make_group()
    group.tracks.add(open_draft.track)
    make_meeting(group=group, year=2024)  # one recorded meeting is no confirmed count
    assert {"missing_text", "open_drafts", "placeholder_links", "groups_without_count"} <= _codes(edition)


def test_checklist_flags_numbering_gaps_and_past_meetings_still_planned():
    edition = _draft(year=2024)
    chapter = make_entry(edition=edition, title="Klimaat")
    for number in ("1", "3"):
        make_entry(edition=edition, parent=chapter, track_year=make_track_year(year=2024), number=number)
    make_meeting(year=2024, month=2, day=1, status=Meeting.Status.PLANNED, title="Vergeten bij te werken")
    items = {item.code: item for item in edition_checklist(edition=edition)}
    assert [e.number for e in items["numbering_gaps"].objects] == ["3"]
    assert [m.title for m in items["unconfirmed_meetings"].objects] == ["Vergeten bij te werken"]


def test_checklist_is_clean_for_a_complete_edition():
    edition = _draft(year=2024)
    ty = make_track_year(year=2024)
    group = make_group()
    group.tracks.add(ty.track)
    make_meeting(group=group, year=2024)
    make_group_year(group=group, year=2024, reported_meetings=None, meetings_complete=True)
    make_link(track_year=ty)
    assert _codes(outline(edition)) == set()


def test_checklist_page_shows_the_warnings(client, eindredacteur):
    edition = _draft(year=2024)
    make_link(track_year=make_track_year(year=2024), url="#", title="het ontbrekende verslag")
    outline(edition)
    client.force_login(eindredacteur)
    html = client.get(_checklist_url(edition)).content.decode()
    assert "Links zonder adres" in html and "het ontbrekende verslag" in html and "publiceer toch" in html


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_links_records_working_and_broken_links_and_the_checklist_shows_them(local_server):
    edition = _draft(year=2024)
    ty = make_track_year(year=2024)
    ok = make_link(track_year=ty, url=f"{local_server}/ok")
    missing = make_link(track_year=ty, url=f"{local_server}/weg")
    unreachable = make_link(track_year=ty, url="http://127.0.0.1:9/dicht")
    outline(edition)
    call_command("check_links", "--timeout", "2")
    for link in (ok, missing, unreachable):
        link.refresh_from_db()
    assert ok.check_status == 200 and not ok.is_broken
    assert missing.check_status == 404 and missing.is_broken
    assert unreachable.check_error and unreachable.is_broken
    broken = next(i for i in edition_checklist(edition=edition) if i.code == "broken_links")
    assert set(broken.objects) == {missing, unreachable}


def test_check_links_does_not_write_history(local_server):
    link = make_link(url=f"{local_server}/ok")
    before = link.history.count()
    call_command("check_links", "--timeout", "2")
    assert link.history.count() == before
    assert Link.objects.get(pk=link.pk).checked_at is not None


# --- images ---------------------------------------------------------------------------------------

def _png():
    import base64

    from django.core.files.uploadedfile import SimpleUploadedFile

    pixel = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    return SimpleUploadedFile("foto.png", pixel, content_type="image/png")


def test_image_needs_alt_text_and_credit():
    from reports.models import EditionImage

    image = EditionImage(edition=_draft(), image=_png(), alt_text="", credit="")
    with pytest.raises(ValidationError) as exc:
        image.full_clean()
    assert {"alt_text", "credit"} <= set(exc.value.message_dict)


def test_colophon_credits_come_from_the_images_of_the_edition(client, settings, tmp_path):
    from reports.models import EditionImage

    settings.MEDIA_ROOT = tmp_path
    edition = make_edition(year=2024)
    EditionImage.objects.create(edition=edition, image=_png(), alt_text="Stadhuis van Genk", credit="Jan Peeters", placement="Coverbeeld")
    html = client.get(outline(edition).get_absolute_url()).content.decode()
    assert "Coverbeeld: ©Jan Peeters" in strip_tags(html)


def test_checklist_expects_text_only_from_tracks_that_ran_last_year():
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024, status=EditorialStatus.DRAFT)
    continuing = make_track(title="Liep vorig jaar")
    make_track_year(track=continuing, year=2023)
    long_gone = make_track(title="Studiereis 2020")
    make_track_year(track=long_gone, year=2020)
    missing = next(i for i in edition_checklist(edition=edition) if i.code == "missing_text").objects
    assert continuing in missing and long_gone not in missing


def test_checklist_flags_placeholder_links_under_edition_texts():
    from reports.models import EditionSection, SectionLink

    edition = make_edition(kind=Edition.Kind.REPORT, year=2024, status=EditorialStatus.DRAFT)
    section = EditionSection.objects.create(edition=edition, title="Afrekening", slug="afrekening-tekst", body="<p>x</p>")
    placeholder = SectionLink.objects.create(section=section, title="de afrekening", url="#")
    items = {i.code: i.objects for i in edition_checklist(edition=edition)}
    assert placeholder in items["placeholder_links"]


def test_check_links_also_checks_links_under_edition_texts(local_server):
    from reports.models import EditionSection, SectionLink

    edition = _draft(year=2024)
    section = EditionSection.objects.create(edition=edition, title="Communicatie", slug="communicatie", body="<p>x</p>")
    gone = SectionLink.objects.create(section=section, title="de oude website", url=f"{local_server}/weg")
    call_command("check_links", "--timeout", "2")
    gone.refresh_from_db()
    assert gone.check_status == 404 and gone.is_broken
    broken = next(i for i in edition_checklist(edition=edition) if i.code == "broken_links")
    assert gone in broken.objects


def test_admin_home_shows_editions_in_preparation_and_texts_awaiting_review(client, django_user_model):
    client.force_login(make_editor(django_user_model))
    edition = _draft(year=2026)
    make_track_year(year=2026, plan_text="<p>x</p>", plan_status=EditorialStatus.REVIEW)
    html = client.get(reverse("admin:index")).content.decode()
    overview = html[html.index('id="stand-van-de-redactie"'):]
    assert str(edition) in overview
    assert reverse("admin:reports_edition_checklist", args=[edition.pk]) in overview
    assert "jaar=2026&amp;plan_status__exact=review" in overview
    assert "1 jaarplantekst na te lezen" in overview


def test_checklist_flags_a_settlement_link_without_address():
    edition = make_edition(kind=Edition.Kind.REPORT, year=2026, status=EditorialStatus.REVIEW)
    make_link(budget=make_budget(year=2026), title="de afrekening", url="#")
    items = {item.code: item for item in edition_checklist(edition=edition)}
    assert [link.title for link in items["placeholder_links"].objects] == ["de afrekening"]
