"""A module a maintainer can read in one sitting: no Python file of the project over 600 lines (migrations
are generated and stay as Django writes them)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 600


def test_no_python_file_of_the_project_is_over_600_lines():
    too_long = {
        path.relative_to(ROOT).as_posix(): lines
        for folder in ("kenniscentrum", "programmes", "reports", "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > LIMIT
    }
    assert too_long == {}
