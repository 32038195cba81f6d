"""The meeting form's date: one field, a preview that follows the typing, and the public page agrees."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes.dates import parse_meeting_date
from programmes.models import Meeting
from tests.factories import make_group
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db(transaction=True)

# What editors type; the preview must read each exactly as the server stores it (or refuse it likewise).
TYPED = [
    "3 juni 2025", "16 en 17 mei 2018", "13-15 november 2018", "13 tot 15 mrt 2024", "30 mei – 2 juni 2025",
    "30 mei - 2 juni 2025", "februari 2026", "sept. 2024", "najaar 2024", "lente 2023", "begin 2025", "2024",
    "3/6/2025", "2025-06-03", "Donderdag 12 juni 2025", "31 februari 2025", "15-13 mei 2024", "mei",
    "30 december 2024 – 2 januari 2025", "13/15", "1999",
]


def _server(text):
    try:
        date = parse_meeting_date(text)
    except ValidationError:
        return None
    meeting = Meeting(title="x")
    date.apply_to(meeting)
    return meeting.day_display


def test_the_date_preview_follows_the_typing_and_matches_the_public_page(logged_in_page, browser, site, django_user_model):
    group = make_group(name="Werkgroep OBMi")
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:programmes_meeting_add") + f"?group={group.pk}")
    preview = page.locator("[data-date-preview]")
    assert preview.get_attribute("aria-live") == "polite"

    page.fill("#id_title", "Netwerkdag OBMi")
    page.fill("#id_date", "16-17 mei 2018")
    assert preview.inner_text() == "16 en 17 mei 2018"
    page.fill("#id_start_time", "14.00")
    page.fill("#id_end_time", "16.00")
    assert preview.inner_text() == "16 en 17 mei 2018, 14.00–16.00 uur"
    page.fill("#id_date", "mei 2018")
    assert preview.inner_text() == "mei 2018"  # hours only go with a day
    page.fill("#id_date", "16 en 17 mei 2018")
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


def test_the_preview_reads_every_date_as_the_server_stores_it(logged_in_page, site, django_user_model):
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:programmes_meeting_add"))
    in_browser = page.evaluate(
        "texts => texts.map(t => { const d = window.kcMeetingDate.parse(t); return d ? window.kcMeetingDate.dayText(d) : null; })",
        TYPED,
    )
    assert dict(zip(TYPED, in_browser)) == {text: _server(text) for text in TYPED}


def test_the_status_choice_says_which_status_a_new_meeting_gets_as_the_date_is_typed(logged_in_page, site, django_user_model):
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:programmes_meeting_add"))
    automatic = page.locator('#id_status option[value=""]')
    assert automatic.inner_text() == "vanzelf: gehouden als de datum voorbij is, anders gepland"
    page.fill("#id_title", "Werkgroep van toen")
    page.fill("#id_date", "maart 2019")
    assert automatic.inner_text() == "vanzelf: gehouden (de datum is voorbij)"
    page.fill("#id_date", "najaar 2099")
    assert automatic.inner_text() == "vanzelf: gepland (de datum moet nog komen)"
    page.fill("#id_date", "najaar 2019")
    with page.expect_navigation():
        page.click('input[name="_save"]')
    assert Meeting.objects.get(title="Werkgroep van toen").status == Meeting.Status.HELD
