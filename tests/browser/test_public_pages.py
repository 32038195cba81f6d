"""The city, comparison, programme and group pages in Chromium: axe-core finds no critical or serious
WCAG 2.1 A/AA violation, and the comparison matrix scrolls inside its own box with its first column
in place on a phone, and prints without a scroll box."""
import pytest

from tests.browser.test_admin_a11y import axe_problems

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/steden/", "/steden/gent/", "/steden/vergelijken/", "/steden/vergelijken/?jaar=2020",
         "/programmas/obmi/", "/programmas/smart-cities/", "/werkgroepen/werkgroep-obmi/"]


def test_public_pages_have_no_critical_or_serious_axe_violations(demo_site, browser, axe_js):
    problems = {}
    for width in (320, 1280):
        # The CSP forbids injected scripts; axe is a test tool, so its context bypasses the policy.
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="nl-BE", bypass_csp=True)
        page = context.new_page()
        for path in PAGES:
            assert page.goto(demo_site + path).status == 200, path
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            found = axe_problems(page, axe_js)
            if found:
                problems[f"{path} at {width} px"] = found
        context.close()
    assert problems == {}


def test_the_matrix_scrolls_in_its_own_box_with_the_first_column_in_place(demo_site, page_at):
    page = page_at(320)
    page.goto(demo_site + "/steden/vergelijken/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.locator("#werkgroepen").locator("xpath=..")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    first_cell, a_city = page.locator("#werkgroepen tbody th").first, page.locator("#werkgroepen tbody td").first
    before, city_before = first_cell.bounding_box()["x"], a_city.bounding_box()["x"]
    box.evaluate("e => e.scrollLeft = 200")
    assert box.evaluate("e => e.scrollLeft") == 200
    assert abs(first_cell.bounding_box()["x"] - before) < 2  # stays put (sub-pixel borders aside)
    assert abs(a_city.bounding_box()["x"] - (city_before - 200)) < 2  # the city columns move under it

    page.emulate_media(media="print")
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "visible"
    assert first_cell.evaluate("e => getComputedStyle(e).position") == "static"
