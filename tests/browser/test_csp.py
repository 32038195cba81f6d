"""The Content-Security-Policy (no inline scripts) leaves the admin and the rich-text editor working."""
import pytest
from django.urls import reverse

from programmes.models import EditorialStatus
from tests.factories import make_edition, make_track_year
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db(transaction=True)

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _watch(page):
    console = []
    page.on("console", lambda message: console.append(message.text) if "Content Security Policy" in message.text else None)
    page.add_init_script(COLLECT_VIOLATIONS)
    return console


def test_rich_text_editor_works_under_the_policy_and_nothing_is_blocked(logged_in_page, site, django_user_model):
    track_year = make_track_year(year=2030, report_text="", report_status=EditorialStatus.DRAFT)
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    console = _watch(page)
    response = page.goto(site + reverse("admin:programmes_worktrackyear_change", args=[track_year.pk]))
    assert "script-src 'self'" in response.headers["content-security-policy"]

    area = page.locator('.kc-rt__area[aria-label="Tekst jaarverslag"]')
    area.click()
    page.keyboard.type("Belangrijk")
    page.keyboard.press("Control+A")
    page.locator(".kc-rt", has=area).locator('button[title="Vet"]').click()  # the report editor's bold button
    with page.expect_navigation():
        page.locator('input[name="_save"]').click()

    track_year.refresh_from_db()
    assert "<b>Belangrijk</b>" in track_year.report_text or "<strong>Belangrijk</strong>" in track_year.report_text
    assert page.evaluate("window.__cspViolations") == [] and console == []


def test_public_edition_page_runs_without_policy_violations(browser, site):
    make_edition(year=2030)
    page = browser.new_page()
    console = _watch(page)
    response = page.goto(site + "/jaarverslag/2030/")
    assert response.status == 200 and "object-src 'none'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert page.evaluate("window.__cspViolations") == [] and console == []
    page.close()


def test_pages_with_linked_data_run_without_policy_violations(browser, site):
    """JSON-LD is a data block, not a script: the policy (script-src 'self') neither blocks nor reports it."""
    from tests.factories import make_group, make_meeting

    make_edition(year=2030)
    group = make_group()
    make_meeting(group=group, year=2030, month=3, day=4, title="Overleg </script> & co")
    page = browser.new_page()
    console = _watch(page)
    for path in ("/", "/kalender/", group.get_absolute_url(), "/jaarverslag/2030/"):
        page.goto(site + path)
        page.wait_for_load_state("load")
        assert page.locator('script[type="application/ld+json"]').count() == 1, path
        assert page.evaluate("window.__cspViolations") == [], path  # collected anew on every page
    assert console == []
    page.close()
