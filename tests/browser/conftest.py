"""Browser tests: the Debian chromium driven by Playwright's sync API against pytest-django's live_server.

Never `playwright install`: the browser is /usr/bin/chromium (apt: chromium chromium-driver libatomic1).
Without it, or without the playwright package, every test in tests/browser/ is skipped with the reason.
"""
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def _browser_missing_reason() -> str:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: apt-get install chromium chromium-driver libatomic1"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[test]'"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _browser_missing_reason()
    if reason:
        here = Path(__file__).parent
        for item in items:
            if here in Path(item.fspath).parents:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    """One chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM (demo loading, the flush
    # after a transactional test) would refuse to run beside it. The browser tests do not share
    # connections between threads themselves, so the check only stands in the way here.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def page_at(browser):
    """page_at(width) -> a fresh page with that viewport width (800 px high), closed after the test."""
    pages = []

    def open_page(width: int, height: int = 800):
        page = browser.new_page(viewport={"width": width, "height": height}, locale="nl-BE")
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()


@pytest.fixture(scope="session")
def _live_server_plain_http():
    """The live server builds its middleware once, at start: HTTPS redirects must be off before that."""
    from django.test import override_settings

    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture
def demo_site(_live_server_plain_http, live_server, transactional_db):
    """The demo content served by live_server; its base URL. Committed, and flushed after the test."""
    from reports.demo import load_demo

    load_demo()
    return live_server.url
