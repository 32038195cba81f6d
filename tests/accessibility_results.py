"""What the accessibility checks of a test run find, kept for `manage.py accessibility_report`.

Each check (axe-core on a page, the reflow of a page at a width, the tagging of a PDF, keyboard
focus) adds one JSON line to var/accessibility/<run>/<worker>.jsonl. The run is the pytest
invocation (its id comes from tests/workers.py and is shared by all its workers), so the command
can tell the last run of each check from earlier ones. A record says what was checked and what was
found, whether or not the test that made it passes.
"""
import datetime
import json
import os
from urllib.parse import urlsplit

from kenniscentrum.accessibility import RESULTS_DIR


def record(check: str, page: str, **facts) -> None:
    run = RESULTS_DIR / os.environ.get("KC_TEST_RUN", "los")
    run.mkdir(parents=True, exist_ok=True)
    line = {"check": check, "page": page, "at": datetime.datetime.now(datetime.timezone.utc).isoformat(), **facts}
    with open(run / f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


def path_of(url: str) -> str:
    """'/werkgroepen/obmi/?jaar=2024' from a full address: the page, whatever server the test ran."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
