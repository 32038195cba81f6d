"""Imports point one way: no module of the project imports, directly or through others, a module that imports it.

Read from the source with `ast`, every import counted, also one inside a function (a function-level
import is how a cycle hides); a package's own __init__ is not an edge of its submodules.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("kenniscentrum", "programmes", "reports")


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict) -> set[str]:
    """The project modules `name` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` the module mod.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in modules and target != name}
    return found


def _cycle(graph: dict) -> list[str]:
    """One import cycle of `graph`, or []."""
    state, stack = {}, []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for other in sorted(graph[module]):
            if state.get(other) == "open":
                return stack[stack.index(other):] + [other]
            if other not in state and (cycle := visit(other)):
                return cycle
        state[module] = "done"
        stack.pop()
        return []

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return []


def _graph() -> dict:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_no_module_of_the_project_imports_itself_through_others():
    assert _cycle(_graph()) == []


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    """So that the rule above cannot pass because the walk sees nothing."""
    graph = _graph()
    assert "programmes.search.index" in graph["programmes.search.query"]
    graph["programmes.search.index"] = graph["programmes.search.index"] | {"programmes.search.query"}
    assert _cycle(graph)[0] in ("programmes.search.index", "programmes.search.query")


def test_programmes_does_not_import_reports():
    """The house rule: reports depends on programmes, never the reverse (reports registers its own
    searchable kinds with the search of programmes)."""
    graph = _graph()
    assert not {(name, other) for name, others in graph.items() if name.startswith("programmes")
                for other in others if other.startswith("reports")}


def test_programmes_names_the_reports_app_in_one_place_only_whether_a_year_s_jaarverslag_is_out():
    """The single exception to 'programmes knows nothing of reports' (docs/architecture.md, "Where new
    code goes"): a budget is public once the jaarverslag of its year is published, so BudgetQuerySet.public
    asks for the Edition model by name. Besides that, the city and group pages link to the calendar feeds
    that reports' exports serve, by URL name only."""
    import re

    named = [
        (path, line)
        for path in sorted((ROOT / "programmes").rglob("*.py")) if "migrations" not in path.parts
        for line in path.read_text().splitlines()
        if re.search(r"""["']reports[."']""", line)
    ]
    assert [(path.relative_to(ROOT).as_posix(), line.strip()) for path, line in named] == [
        ("programmes/models/budgets.py", 'Edition = apps.get_model("reports", "Edition")'),
    ]
    linked = {
        name
        for path in (ROOT / "templates" / "programmes").rglob("*.html")
        for name in re.findall(r"""url ['"](reports:[\w-]+)""", path.read_text())
    }
    assert linked <= {"reports:city-ics", "reports:workinggroup-ics", "reports:calendar-ics"}, linked
