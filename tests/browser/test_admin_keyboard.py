"""Keyboard only: write a report text and add a meeting to a group without touching the mouse."""
import pytest
from django.urls import reverse

from programmes.models import EditorialStatus, Meeting
from tests.factories import make_group, make_track_year
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector: str, limit: int = 250):
    """Press Tab until the element matching `selector` has the focus (fails after `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


@pytest.mark.keyboard_task("/admin/programmes/worktrackyear/<id>/change/")
def test_an_editor_writes_a_report_text_with_the_keyboard_only(logged_in_page, site, django_user_model):
    track_year = make_track_year(year=2030, report_text="", report_status=EditorialStatus.DRAFT)
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:programmes_worktrackyear_change", args=[track_year.pk]))
    tab_to(page, '.kc-rt__area[aria-label="Tekst jaarverslag"]')
    page.keyboard.type("De werkgroep kwam vier keer samen.")
    tab_to(page, 'input[name="_save"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    track_year.refresh_from_db()
    assert "De werkgroep kwam vier keer samen." in track_year.report_text


@pytest.mark.keyboard_task("/admin/programmes/workinggroup/<id>/change/")
def test_an_editor_adds_a_meeting_to_a_group_with_the_keyboard_only(logged_in_page, site, django_user_model):
    group = make_group(name="Werkgroep OBMi")
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:programmes_workinggroup_change", args=[group.pk]))
    tab_to(page, "a.kc-add-meeting")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Django's note about the browser's time zone is hidden: everyone works in Brussels time.
    notes = page.locator(".timezonewarning").all()
    assert notes and not any(note.is_visible() for note in notes)
    tab_to(page, "#id_title")
    page.keyboard.type("Overleg datamaturiteit")
    tab_to(page, "#id_date")
    page.keyboard.type("2026")
    tab_to(page, 'input[name="_save"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    meeting = Meeting.objects.get(title="Overleg datamaturiteit")
    assert meeting.group == group and meeting.year == 2026


def test_link_form_warns_at_once_about_an_address_that_cannot_be_published(logged_in_page, site, django_user_model):
    group = make_group()
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:programmes_link_add") + f"?group={group.pk}")
    page.fill("#id_url", "#")
    assert "Nog geen adres" in page.inner_text("#id_url_waarschuwing")
    page.fill("#id_url", "www.example.org")
    assert "begin met https://" in page.inner_text("#id_url_waarschuwing")
    page.fill("#id_url", "https://www.example.org/nota.pdf")
    assert not page.is_visible("#id_url_waarschuwing")
    page.fill("#id_url", "")
    page.check("#id_no_address")
    assert not page.is_visible("#id_url_waarschuwing")


def test_from_the_skip_link_the_first_button_reached_on_a_revert_page_is_reverting(logged_in_page, site, django_user_model):
    from tests.factories import make_track

    track = make_track(title="Eerste")
    track.title = "Tweede"
    track.save()
    first = track.history.order_by("history_date", "history_id").first()
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:programmes_worktrack_simple_history", args=[track.pk, first.history_id]))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar hoofdinhoud"  # before "Afmelden"
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('button, input[type=submit]')"):
            break
    assert page.evaluate("document.activeElement.value || document.activeElement.textContent") == "Deze versie terugzetten"
