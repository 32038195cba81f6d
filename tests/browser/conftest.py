"""Browser tests: Debian's chromium driven by Playwright (never `playwright install`); skipped without it."""
import fcntl
import os
import subprocess
from pathlib import Path

import pytest

from tests.accessibility_results import record

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
AXE_DIR = Path(__file__).resolve().parents[2] / "var" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "keyboard_task(page): a task done with the keyboard only; whether it succeeded goes into the "
        "accessibility statement's figures (tests/accessibility_results.py)",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A keyboard task is recorded with its outcome, passed or failed, once it has run."""
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("keyboard_task")
    if marker is not None and report.when == "call":
        record("keyboard", marker.args[0], passed=report.passed)


def pytest_collection_modifyitems(items):
    """Browser tests last, so a run shows the quick tests' results first (each test still stands alone:
    tests/conftest.py puts the editorial roles back after the flush that ends a browser test)."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/browser/"))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("/usr/bin/chromium ontbreekt (apt-get install chromium chromium-driver libatomic1)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between page actions are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_js():
    """axe-core from npm, installed once under var/axe (gitignored); one worker installs, the others wait."""
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    with open(AXE_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not AXE_JS.exists():
            try:
                subprocess.run(["npm", "install", "--prefix", str(AXE_DIR), "axe-core"], check=True, capture_output=True, timeout=300)
            except (OSError, subprocess.SubprocessError) as exc:
                pytest.skip(f"axe-core kon niet geïnstalleerd worden: {exc}")
    return str(AXE_JS)


@pytest.fixture
def site(live_server, settings):
    """The live server's URL, serving plain HTTP like the test client.

    The live server is started once per session and its middleware read the HTTPS redirect setting
    then; reload it now that the test settings (tests/conftest.py) turned the redirect off.
    """
    app = live_server.thread.httpd.get_app()
    while hasattr(app, "application"):
        app = app.application
    app.load_middleware()
    return live_server.url


@pytest.fixture
def logged_in_page(browser, site, client, transactional_db):
    """A 1280 px page whose session belongs to `user`: call it with the user to log in."""
    contexts = []

    def open_page(user, *, bypass_csp=False):
        client.force_login(user)
        # A browser clock in UTC, an hour off Brussels, makes Django add its time-zone note to date fields.
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="nl-BE", timezone_id="UTC", bypass_csp=bypass_csp,
        )
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


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
