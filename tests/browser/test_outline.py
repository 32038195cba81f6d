"""The edition's outline in the back-office, in Chromium: buttons, keyboard, drag-and-drop, and what the public then reads."""
import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from programmes.models import EditorialStatus
from reports.models import Edition
from reports.services import edition_publish
from tests.browser.test_admin_a11y import axe_problems
from tests.browser.test_admin_keyboard import tab_to
from tests.browser.test_focus import FOCUS_CONTRAST_JS
from tests.factories import make_edition, make_entry, make_programme, make_track, make_track_year
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wonen():
    """A draft jaarverslag 2030: chapter Wonen with 1.1 Renovatie, 1.2 Isolatie, 1.3 Warmte; Zonne-energie not placed yet."""
    edition = make_edition(kind=Edition.Kind.REPORT, year=2030, status=EditorialStatus.DRAFT)
    programme = make_programme(name="Wonen", short_name="WON")
    chapter = make_entry(edition=edition, programme=programme, order=10)
    lines = {}
    for order, (number, title) in enumerate([("1.1", "Renovatie"), ("1.2", "Isolatie"), ("1.3", "Warmte")], start=1):
        text = make_track_year(year=2030, track=make_track(title=title, programme=programme), report_text=f"<p>Over {title}.</p>")
        lines[title] = make_entry(edition=edition, parent=chapter, track_year=text, number=number, order=order * 10)
    make_track_year(year=2030, track=make_track(title="Zonne-energie", programme=programme))
    make_track_year(year=2029, track=make_track(title="Zonne-energie vorig jaar", programme=programme))
    return edition, lines


def _line(page, entry, action=None):
    selector = f'li[data-key="e{entry.pk}"] > .kc-outline__row'
    return page.locator(selector + (f' [data-action="{action}"]' if action else ""))


def _status(page):
    """What the status line (role=status) announced last; it is emptied first so a repeat is read out too."""
    for _ in range(50):
        text = page.inner_text("[data-outline-status]")
        if text:
            return text
        page.wait_for_timeout(20)
    return ""


def _save(page):
    with page.expect_navigation():
        page.click('input[name="_save"]')
    assert not page.locator(".errornote").count(), page.locator(".errorlist").all_inner_texts()


def _reading_order(edition):
    children = {}
    for entry in edition.entries.order_by("order", "id"):
        children.setdefault(entry.parent_id, []).append(entry)

    def walk(parent_id, depth):
        for entry in children.get(parent_id, []):
            yield depth, str(entry)
            yield from walk(entry.pk, depth + 1)

    return list(walk(None, 1))


def test_reordering_and_indenting_with_the_buttons_reaches_the_public_contents_and_the_pdf(
    logged_in_page, site, django_user_model, wonen,
):
    edition, lines = wonen
    editor = make_editor(django_user_model, "Eindredacteur")
    page = logged_in_page(editor)
    page.goto(site + reverse("admin:reports_edition_change", args=[edition.pk]))

    _line(page, lines["Warmte"], "up").click()
    assert _status(page) == "‘Warmte’ staat nu op plaats 2 van 3 onder ‘Wonen’."
    _line(page, lines["Isolatie"], "indent").click()
    assert "‘Isolatie’ staat nu op plaats 1 van 1 onder ‘Warmte’." in _status(page)
    page.click("[data-outline-renumber]")
    _line(page, lines["Isolatie"]).locator("[data-field=number]").fill("1.2.1")
    preview = page.inner_text("[data-outline-preview-list]")
    assert preview.split("\n") == ["Wonen", "1.1 Renovatie", "1.2 Warmte", "1.2.1 Isolatie"]  # as it will print
    _save(page)

    assert _reading_order(edition) == [(1, "Wonen"), (2, "1.1 Renovatie"), (2, "1.2 Warmte"), (3, "1.2.1 Isolatie")]
    edition_publish(edition=edition, by=editor, confirm_warnings=True)
    public = Client()
    html = public.get("/jaarverslag/2030/").content.decode()
    toc = re.findall(r'<li class="toc__item toc__item--(\d)"><a href="#[^"]+">([^<]+)</a>', html)
    assert [(level, title) for level, title in toc if title != "Colofon"][-4:] == [
        ("1", "Wonen"), ("2", "1.1 Renovatie"), ("2", "1.2 Warmte"), ("3", "1.2.1 Isolatie"),
    ]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext ontbreekt (apt-get install poppler-utils)")
    pdf = public.get("/jaarverslag/2030/pdf/")
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=b"".join(pdf.streaming_content) if pdf.streaming else pdf.content,
                          capture_output=True, check=True).stdout.decode()
    body = text[text.rindex("1.1 Renovatie"):].lower()  # after the table of contents (the PDF sets some headings in capitals)
    assert body.index("1.1 renovatie") < body.index("1.2 warmte") < body.index("over warmte.") < body.index("1.2.1 isolatie")


def test_a_line_dragged_onto_another_goes_before_it(logged_in_page, site, django_user_model, wonen):
    edition, lines = wonen
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:reports_edition_change", args=[edition.pk]))

    page.drag_and_drop(f'li[data-key="e{lines["Warmte"].pk}"] > .kc-outline__row .kc-outline__handle',
                       f'li[data-key="e{lines["Renovatie"].pk}"] > .kc-outline__row', target_position={"x": 200, "y": 2})
    assert _status(page) == "‘Warmte’ staat nu op plaats 1 van 3 onder ‘Wonen’."
    _save(page)

    assert _reading_order(edition) == [(1, "Wonen"), (2, "1.3 Warmte"), (2, "1.1 Renovatie"), (2, "1.2 Isolatie")]


def test_the_outline_is_shaped_with_the_keyboard_only(logged_in_page, site, django_user_model, wonen):
    edition, lines = wonen
    page = logged_in_page(make_editor(django_user_model, "Redacteur"))
    page.goto(site + reverse("admin:reports_edition_change", args=[edition.pk]))

    # A line's toolbar is one tab stop; the arrow keys go from button to button.
    tab_to(page, f'li[data-key="e{lines["Isolatie"].pk}"] > .kc-outline__row [data-action="up"]')
    focus = page.evaluate(FOCUS_CONTRAST_JS)
    assert focus["outline"] != "none" and focus["ratio"] >= 3, focus
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # down
    assert _status(page) == "‘Isolatie’ staat nu op plaats 3 van 3 onder ‘Wonen’."
    assert page.evaluate("document.activeElement.dataset.action") == "down"  # the focus moved along with the line
    assert page.evaluate("document.activeElement.getAttribute('aria-disabled')") == "true"  # it is last now

    # Adding a text: the picker offers this year's texts only, found by a word of the track.
    page.keyboard.press("Shift+Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.matches('[data-outline-open=werkspoor]')"):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert "Komt na ‘Isolatie’, onder ‘Wonen’." in page.inner_text("#inhoud-werkspoor [data-outline-where]")
    page.keyboard.type("won")  # the programme's abbreviation: its three texts here are placed, the fourth is not
    assert page.inner_text("[data-outline-count]") == "1 tekst gevonden; 3 andere staan al in de inhoud."
    page.keyboard.type(" zonne")
    page.keyboard.press("Enter")
    assert "‘Zonne-energie’ is toegevoegd" in _status(page)
    page.keyboard.type("1.4")  # the focus is in the new line's number
    tab_to(page, 'input[name="_save"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert _reading_order(edition) == [
        (1, "Wonen"), (2, "1.1 Renovatie"), (2, "1.3 Warmte"), (2, "1.2 Isolatie"), (2, "1.4 Zonne-energie"),
    ]


def test_the_outline_editor_passes_axe_and_fits_1280_px(logged_in_page, site, axe_js, django_user_model, wonen):
    edition, lines = wonen
    page = logged_in_page(make_editor(django_user_model, "Redacteur"), bypass_csp=True)
    page.goto(site + reverse("admin:reports_edition_change", args=[edition.pk]))
    page.click("[data-outline-open=werkspoor]")
    page.click("[data-outline-add-text]")
    assert axe_problems(page, axe_js) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
