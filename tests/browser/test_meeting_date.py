"""The meeting form's date row: the preview follows what the editor types, and the public page agrees."""
import pytest
from django.urls import reverse

from programmes.models import Meeting
from tests.factories import make_group
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_date_preview_follows_the_typing_and_matches_the_public_page(logged_in_page, browser, site, django_user_model):
    group = make_group(name="Werkgroep OBMi")
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:programmes_meeting_add") + f"?group={group.pk}")
    preview = page.locator("[data-date-preview]")
    assert preview.get_attribute("aria-live") == "polite"

    page.fill("#id_title", "Netwerkdag OBMi")
    page.fill("#id_day", "16 en 17")
    page.select_option("#id_month", label="mei")
    page.fill("#id_year", "2018")
    assert preview.inner_text() == "16 en 17 mei 2018"
    page.fill("#id_start_time", "14.00")
    page.fill("#id_end_time", "16.00")
    assert preview.inner_text() == "16 en 17 mei 2018, 14.00–16.00 uur"
    page.fill("#id_start_time", "")
    page.fill("#id_end_time", "")
    page.select_option("#id_status", "held")
    with page.expect_navigation():
        page.click('input[name="_save"]')

    meeting = Meeting.objects.get(title="Netwerkdag OBMi")
    assert (meeting.day, meeting.end_day, meeting.month, meeting.year) == (16, 17, 5, 2018)
    public = browser.new_page()
    try:
        public.goto(site + group.get_absolute_url())
        assert "16 en 17 mei 2018" in public.inner_text(f"#activiteit-{meeting.pk}")
    finally:
        public.close()


def test_the_status_choice_says_which_status_a_new_meeting_gets_as_the_date_is_typed(logged_in_page, site, django_user_model):
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:programmes_meeting_add"))
    automatic = page.locator('#id_status option[value=""]')
    assert automatic.inner_text() == "vanzelf: gehouden als de datum voorbij is, anders gepland"
    page.fill("#id_title", "Werkgroep van toen")
    page.fill("#id_year", "2019")
    page.select_option("#id_month", label="maart")
    assert automatic.inner_text() == "vanzelf: gehouden (de datum is voorbij)"
    page.fill("#id_year", "2099")
    assert automatic.inner_text() == "vanzelf: gepland (de datum moet nog komen)"
    page.fill("#id_year", "2019")
    with page.expect_navigation():
        page.click('input[name="_save"]')
    assert Meeting.objects.get(title="Werkgroep van toen").status == Meeting.Status.HELD
