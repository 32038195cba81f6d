"""axe-core (WCAG 2.1 A/AA) in Chromium on one page of every public type: no critical or serious violations."""
import pytest

from tests.browser.test_admin_a11y import axe_problems
from tests.browser.test_reflow import _public_pages


@pytest.mark.django_db(transaction=True)
def test_public_pages_have_no_critical_or_serious_axe_violations(demo_site, browser, axe_js):
    paths = _public_pages()
    # The CSP allows no inline script; axe is injected as one, so this context alone bypasses it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE", bypass_csp=True)
    page = context.new_page()
    problems = {}
    for path in paths:
        page.goto(demo_site + path, wait_until="load")
        found = axe_problems(page, axe_js)
        if found:
            problems[path] = found
    context.close()
    assert not problems, problems
