"""axe-core (WCAG 2.1 A/AA) in Chromium on the back-office: no critical or serious violations.

The admin home, every change list and a change form of every model (with its inlines, on the demo
content), for each editorial role.
"""
import re

import pytest

from django.db.models import Count
from django.urls import reverse

from programmes.models import ExternalFunding, Result, WorkingGroup, WorkTrack
from reports.demo import load_demo
from reports.models import Edition
from tests.accessibility_results import path_of, record
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"


def axe_problems(page, axe_js) -> list[str]:
    """'rule (impact): selector' for every critical or serious violation on the page.

    Every violation, of any impact, is also recorded for the accessibility statement
    (tests/accessibility_results.py, manage.py accessibility_report).
    """
    page.add_script_tag(path=axe_js)
    version, violations = page.evaluate(
        f"async () => [axe.version, (await axe.run(document, {AXE_OPTIONS})).violations"
        ".map(v => [v.id, v.impact, v.tags, v.nodes.map(n => n.target.join(' '))])]"
    )
    path = path_of(page.url)
    record(
        "axe", path, area="admin" if path.startswith("/admin/") else "public", width=page.viewport_size["width"],
        axe_version=version,
        violations=[{"id": rule, "impact": impact, "tags": tags, "nodes": len(targets)} for rule, impact, tags, targets in violations],
    )
    return [
        f"{rule} ({impact}): {target}"
        for rule, impact, _tags, targets in violations if impact in ("critical", "serious") for target in targets
    ]


def admin_pages(page, base) -> list[str]:
    """The home, each change list linked from it, and the first object's change form of each."""
    page.goto(base + "/admin/")
    lists = sorted(set(re.findall(r'href="(/admin/\w+/\w+/)"', page.content())))
    urls = ["/admin/"]
    for changelist in lists:
        urls.append(changelist)
        page.goto(base + changelist)
        first = page.query_selector("#result_list tbody th a, #result_list tbody td a")
        if first is not None:
            urls.append(first.get_attribute("href"))
    return urls


@pytest.mark.parametrize("role", ["Redacteur", "Eindredacteur"])
def test_admin_pages_have_no_critical_or_serious_axe_violations(role, logged_in_page, site, axe_js, django_user_model):
    load_demo()
    page = logged_in_page(make_editor(django_user_model, role), bypass_csp=True)
    urls = admin_pages(page, site)
    assert len(urls) > 30, urls
    # The group with the most meetings: the form that used to carry a 12-column meetings table.
    busiest = WorkingGroup.objects.annotate(n=Count("meetings")).order_by("-n").first()
    urls.append(reverse("admin:programmes_workinggroup_change", args=[busiest.pk]))
    # Pages reached from a form rather than the home: the checklist, the history, an empty add form.
    edition, track = Edition.objects.order_by("-year").first(), WorkTrack.objects.first()
    urls += [
        reverse("admin:reports_edition_checklist", args=[edition.pk]),
        reverse("admin:programmes_worktrack_history", args=[track.pk]),
        reverse("admin:programmes_meeting_add"),
        # The track-year form with its results, the track form with its external funding (demo content has both).
        reverse("admin:programmes_worktrackyear_change", args=[Result.objects.first().track_year_id]),
        reverse("admin:programmes_worktrack_change", args=[ExternalFunding.objects.first().track_id]),
    ]
    problems = {}
    for url in urls:
        page.goto(site + url)
        found = axe_problems(page, axe_js)
        if found:
            problems[url] = found
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_the_screens_of_outline_history_and_confirmation_pass_axe_and_fit_1280_px(logged_in_page, site, axe_js, django_user_model):
    """The edition form with its outline (panels open), a text's history with folded diffs, the compare and
    revert pages, a delete confirmation and the meeting form's one date field."""
    from programmes.models import WorkTrackYear

    load_demo()
    text = WorkTrackYear.objects.filter(year=2025).exclude(report_text="").order_by("pk").first()
    first = text.history.order_by("history_date", "history_id").first()
    text.report_text = text.report_text.replace("</p>", " Daarna&nbsp;kwam er een tweede ronde.</p>", 1)
    text.save()
    edition = Edition.objects.get(kind=Edition.Kind.REPORT, year=2025)
    page = logged_in_page(make_editor(django_user_model, "Eindredacteur"), bypass_csp=True)
    urls = [
        reverse("admin:reports_edition_change", args=[edition.pk]),
        reverse("admin:programmes_worktrackyear_history", args=[text.pk]),
        reverse("admin:programmes_worktrackyear_compare", args=[text.pk]),
        reverse("admin:programmes_worktrackyear_simple_history", args=[text.pk, first.history_id]),
        reverse("admin:programmes_worktrackyear_delete", args=[text.pk]),
        reverse("admin:reports_edition_checklist", args=[edition.pk]),
        reverse("admin:reports_edition_prepare_next_year", args=[edition.pk]),
        reverse("admin:programmes_meeting_add"),
    ]
    problems = {}
    for url in urls:
        page.goto(site + url)
        if url == urls[0]:
            page.click("[data-outline-open=werkspoor]")
        found = axe_problems(page, axe_js)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            found.append(f"scrolls sideways: {page.evaluate('document.documentElement.scrollWidth')} px")
        if found:
            problems[url] = found
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_the_track_year_form_with_its_results_fits_a_1280_px_screen(logged_in_page, site, django_user_model):
    load_demo()
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    track_year = Result.objects.first().track_year_id
    page.goto(site + reverse("admin:programmes_worktrackyear_change", args=[track_year]))
    assert page.locator("#results-group input[name$='-target']").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
