"""The accessibility statement's assessment: what the project's own automated checks found.

The browser tests (axe-core on every public page type and the back-office forms, reflow at 320,
390 and 1280 px, the keyboard focus) and the PDF tagging tests write one JSON line per check to
var/accessibility/<run>/<worker>.jsonl (tests/accessibility_results.py). `manage.py
accessibility_report` sums up the last run of each check into REPORT_FILE, which is committed with
the code; /toegankelijkheid/ reads it. The figures on that page are therefore never typed by hand,
and they change only when someone runs the checks and the command again.

What automated checks cannot judge is declared below (KNOWN_ISSUES, OUT_OF_SCOPE), in words a
reader understands, and decides the conformance status together with the figures.
"""
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

RESULTS_DIR = Path(settings.BASE_DIR) / "var" / "accessibility"
REPORT_FILE = Path(__file__).resolve().parent / "accessibility.json"
IMPACTS = ("critical", "serious", "moderate", "minor")
CHECKS = ("axe", "reflow", "focus", "keyboard", "pdf")


@dataclass(frozen=True)
class Issue:
    criterion: str  # the WCAG 2.1 success criterion, e.g. "3.1.2 Taal van onderdelen (AA)"
    text: str  # what does not work, for whom, and what to do instead


# Known shortcomings the checks cannot see. A line here makes the status "gedeeltelijk conform".
KNOWN_ISSUES = (
    Issue(
        "3.1.2 Taal van onderdelen (AA)",
        "De teksten van de redactie kunnen een passage in een andere taal niet als zodanig markeren. Engelstalige "
        "titels van rapporten en projecten worden door een schermlezer daardoor met een Nederlandse uitspraak "
        "voorgelezen. Namen en gangbare termen (zoals City Deal) vallen niet onder deze eis.",
    ),
)

# Content the law (Bestuursdecreet, art. II.17; Richtlijn 2016/2102, art. 1.4) does not cover.
OUT_OF_SCOPE = (
    "Documenten en websites van derden waarnaar de teksten verwijzen (de links ‘Je vindt hier …’): het "
    "Kenniscentrum maakt of beheert ze niet.",
)


# --- collecting the results of a run ------------------------------------------------------------------


def read_results(results_dir: Path | None = None) -> dict[str, list[dict]]:
    """{check: its records from the most recent run that performed it}.

    A run that only repeated the reflow test leaves the axe results of the run before it standing:
    each check counts from the last time it ran in full, never a mix of two runs of one check.
    """
    runs = sorted((d for d in (results_dir or RESULTS_DIR).glob("*") if d.is_dir()), key=lambda d: d.name, reverse=True)
    found = {}
    for run in runs:
        records = defaultdict(list)
        for part in sorted(run.glob("*.jsonl")):
            for line in part.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    records[record["check"]].append(record)
        for check, rows in records.items():
            found.setdefault(check, rows)
    return found


def _pages(rows) -> int:
    return len({row["page"] for row in rows})


def _widths(rows) -> list[int]:
    return sorted({row["width"] for row in rows if row.get("width")})


def _latest(rows) -> str:
    return max(row["at"] for row in rows)[:10]


def _criteria(tags) -> list[str]:
    """axe's tags 'wcag143', 'wcag2411' → '1.4.3', '2.4.11'."""
    return [f"{t[4]}.{t[5]}.{t[6:]}" for t in tags if re.fullmatch(r"wcag\d{3,4}", t)]


def _axe(rows) -> dict:
    impacts = Counter({impact: 0 for impact in IMPACTS})
    rules = {}
    for row in rows:
        for rule in row["violations"]:
            impacts[rule["impact"]] += rule["nodes"]
            seen = rules.setdefault(rule["id"], {
                "id": rule["id"], "impact": rule["impact"], "criteria": _criteria(rule.get("tags", [])), "nodes": 0, "pages": [],
            })
            seen["nodes"] += rule["nodes"]
            if row["page"] not in seen["pages"]:
                seen["pages"].append(row["page"])
    return {
        "pages": _pages(rows), "checks": len(rows), "widths": _widths(rows), "date": _latest(rows),
        "impacts": dict(impacts), "rules": sorted(rules.values(), key=lambda r: (IMPACTS.index(r["impact"]), r["id"])),
    }


def summarise(results: dict[str, list[dict]]) -> dict:
    """The figures the statement shows, from `read_results()`."""
    report = {}
    axe = results.get("axe", [])
    versions = sorted({row["axe_version"] for row in axe if row.get("axe_version")})
    for area in ("public", "admin"):
        rows = [row for row in axe if row["area"] == area]
        if rows:
            report[f"axe_{area}"] = _axe(rows)
    if versions:
        report["axe_version"] = versions[-1]
    if results.get("reflow"):
        rows = results["reflow"]
        report["reflow"] = {
            "pages": _pages(rows), "checks": len(rows), "widths": _widths(rows), "date": _latest(rows),
            "too_wide": sorted(f"{row['page']} bij {row['width']} px" for row in rows if not row["fits"]),
        }
    for check in ("focus", "keyboard"):
        if results.get(check):
            rows = results[check]
            report[check] = {"pages": _pages(rows), "checks": len(rows), "date": _latest(rows),
                             "failed": sorted(row["page"] for row in rows if not row["passed"])}
    if results.get("pdf"):
        rows = results["pdf"]
        report["pdf"] = {
            "files": _pages(rows), "checks": sorted({name for row in rows for name in row["checks"]}), "date": _latest(rows),
            "failed": sorted(f"{row['page']}: {name}" for row in rows for name, ok in row["checks"].items() if not ok),
        }
    dates = [part["date"] for part in report.values() if isinstance(part, dict) and "date" in part]
    report["date"] = max(dates) if dates else None
    return report


def write_report(report: dict, path: Path | None = None) -> None:
    (path or REPORT_FILE).write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# --- what the statement shows -------------------------------------------------------------------------


def load_report(path: Path | None = None) -> dict:
    """The committed figures (REPORT_FILE), or {} before the checks were ever summed up."""
    try:
        return json.loads((path or REPORT_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def problems_found(report: dict) -> list[str]:
    """What the last run of the checks found wrong, in Dutch; empty when they found nothing."""
    found = []
    for area, label in (("axe_public", "publieke pagina's"), ("axe_admin", "back-office")):
        for rule in report.get(area, {}).get("rules", []):
            criteria = ", ".join(rule["criteria"]) or "beste praktijk"
            found.append(f"WCAG {criteria} ({label}, axe-regel {rule['id']}, {rule['impact']}): {rule['nodes']} "
                         f"element{'en' if rule['nodes'] != 1 else ''} op {len(rule['pages'])} "
                         f"pagina{'’s' if len(rule['pages']) != 1 else ''}")
    for page in report.get("reflow", {}).get("too_wide", []):
        found.append(f"WCAG 1.4.10 Herschikken: {page} scrolt zijwaarts")
    for check, criterion in (("focus", "1.4.11/2.4.7 Zichtbare focus"), ("keyboard", "2.1.1 Toetsenbord")):
        for page in report.get(check, {}).get("failed", []):
            found.append(f"WCAG {criterion}: {page}")
    for failure in report.get("pdf", {}).get("failed", []):
        found.append(f"PDF/UA (tagging): {failure}")
    return found


def conformance(report: dict) -> str:
    """'volledig' only when the checks found nothing and nothing is known to fall short; 'gedeeltelijk'
    otherwise; 'niet beoordeeld' when no check ever ran."""
    if not report.get("date"):
        return "niet beoordeeld"
    return "gedeeltelijk" if problems_found(report) or KNOWN_ISSUES else "volledig"
