"""Where things are, so a maintainer finds them: modules readable in one sitting, and tests beside the code
they test."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 600


def test_no_python_file_of_the_project_is_over_600_lines():
    """Migrations are generated and stay as Django writes them."""
    too_long = {
        path.relative_to(ROOT).as_posix(): lines
        for folder in ("kenniscentrum", "programmes", "reports", "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > LIMIT
    }
    assert too_long == {}


def test_the_reads_writes_and_views_of_each_app_have_a_test_module_of_the_same_name():
    """programmes/selectors.py is tested in tests/programmes/test_selectors.py, and so on: a failing test
    names the module to open. (Tests that cross modules, like the leak walk, sit in tests/ itself.)"""
    missing = [
        f"tests/{app}/test_{module}.py"
        for app in ("programmes", "reports")
        for module in ("selectors", "services", "views")
        if (ROOT / app / f"{module}.py").exists() and not (ROOT / "tests" / app / f"test_{module}.py").exists()
    ]
    assert missing == []
    assert (ROOT / "programmes" / "selectors.py").exists() and (ROOT / "reports" / "services.py").exists()  # not vacuous
