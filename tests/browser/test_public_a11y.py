"""axe-core (WCAG 2.1 A/AA) in Chromium on the search page and the filtered lists: no critical or serious violations."""
import pytest

from tests.browser.test_admin_a11y import axe_problems
from tests.browser.test_reflow import SEARCH_AND_LISTS

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_and_list_pages_have_no_critical_or_serious_axe_violations(demo_site, browser, axe_js):
    # The site's CSP allows no injected script; axe itself is the only one let in here.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE", bypass_csp=True)
    page = context.new_page()
    problems = []
    try:
        for path in SEARCH_AND_LISTS:
            assert page.goto(demo_site + path, wait_until="load").status == 200, path
            problems += [f"{path}: {problem}" for problem in axe_problems(page, axe_js)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)
