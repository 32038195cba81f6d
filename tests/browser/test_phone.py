"""What a city official does on a 390 px phone: the search box and the latest jaarverslag with its PDF in the
first screen; any chapter of an edition two taps away and its contents one; a calendar to subscribe to. The
new controls pass axe-core, fit at 320 px, work with the keyboard and stay out of print."""
import pytest

from tests.browser.test_admin_a11y import axe_problems
from tests.browser.test_admin_keyboard import tab_to

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = (390, 844)


def _in_view(locator, height=PHONE[1]) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def _starts_in_view(locator, height=PHONE[1]) -> bool:
    """A chapter the page jumped to: its top edge is on the screen."""
    box = locator.bounding_box()
    return box is not None and -2 <= box["y"] < height / 2


def test_the_home_page_shows_the_search_box_and_the_latest_jaarverslag_with_its_pdf_in_the_first_screen(demo_site, page_at):
    page = page_at(*PHONE)
    page.goto(demo_site + "/")
    assert _in_view(page.get_by_label("Zoek een stad, thema, werkgroep of pagina"))
    report = page.locator(".card--report")
    assert report.locator(".card__title").inner_text() == "Jaarverslag 2025"
    assert _in_view(report.locator(".card__pdf"))

    page.locator(".quick-links").get_by_role("link", name="Financiën: budget en afrekening per jaar").click()
    assert page.url.endswith("/financien/")
    page.goto(demo_site + "/")
    page.get_by_label("Zoek een stad, thema, werkgroep of pagina").fill("uitgaven")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken/?q=*")
    page.locator(".search-results").get_by_role("link", name="Financiën", exact=True).click()
    assert page.url.endswith("/financien/")


def test_any_chapter_of_an_edition_is_two_taps_away_and_its_contents_one(demo_site, page_at):
    page = page_at(*PHONE)
    page.goto(demo_site + "/jaarplan/2024/")
    chapters = page.locator(".toc__item--1 > a").evaluate_all("links => links.map(a => [a.getAttribute('href'), a.textContent])")
    assert len(chapters) >= 8
    control = page.get_by_role("button", name="Inhoud")
    for href, title in chapters:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight * 0.6)")  # somewhere deep in the text
        assert _in_view(control)
        control.click()  # tap 1: the chapters
        assert control.get_attribute("aria-expanded") == "true"
        page.locator("#hoofdstukken").get_by_role("link", name=title, exact=True).click()  # tap 2
        assert page.locator("#hoofdstukken").is_hidden()
        assert _starts_in_view(page.locator(href)), title

    control.click()  # one tap back to the contents: the chapters, and from there the whole table of contents
    page.locator("#hoofdstukken").get_by_role("link", name="Volledige inhoudstafel").click()
    assert page.locator(".toc__fold").evaluate("details => details.open")
    assert _in_view(page.locator("#inhoud-titel"))


def test_a_chapters_way_back_to_the_contents_opens_the_folded_table_of_contents(demo_site, page_at):
    page = page_at(*PHONE)
    page.goto(demo_site + "/jaarverslag/2024/")
    assert not page.locator(".toc__fold").evaluate("details => details.open")  # folded on a phone, the text first
    page.locator(".back-to-toc a").first.click()
    assert page.locator(".toc__fold").evaluate("details => details.open")
    assert _in_view(page.locator("#inhoud-titel"))


@pytest.mark.keyboard_task("/jaarplan/2024/ (inhoud op een telefoon)")
def test_the_chapters_open_and_close_with_the_keyboard(demo_site, page_at):
    page = page_at(*PHONE)
    page.goto(demo_site + "/jaarplan/2024/")
    tab_to(page, ".edition-jump__toggle", limit=2000)
    page.keyboard.press("Enter")
    assert page.locator("#hoofdstukken").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("#hoofdstukken").is_hidden()
    assert page.evaluate("document.activeElement.matches('.edition-jump__toggle')")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    assert _starts_in_view(page.locator(target))


def test_the_floating_contents_never_prints_and_is_not_there_on_a_wide_screen(demo_site, page_at):
    page = page_at(1280)
    page.goto(demo_site + "/jaarplan/2024/")
    assert page.locator(".edition-jump").is_hidden()  # the contents stay beside the text there
    phone = page_at(*PHONE)
    phone.goto(demo_site + "/jaarplan/2024/")
    phone.emulate_media(media="print")
    assert phone.locator(".edition-jump").is_hidden()


@pytest.mark.parametrize("path, opens", [
    ("/jaarplan/2024/", "document.querySelector('.edition-jump__toggle').click()"),
    ("/werkgroepen/werkgroep-obmi/", "document.querySelector('.subscribe__help').open = true"),
    ("/kalender/", "document.querySelector('.subscribe__help').open = true"),
    ("/steden/gent/", "document.querySelector('.subscribe__help').open = true"),
    ("/zoeken/?q=afrekening", "document.querySelector('.filters__more').open = true"),
])
def test_the_new_controls_opened_pass_axe_and_fit_at_320_px(demo_site, browser, axe_js, path, opens):
    context = browser.new_context(viewport={"width": 320, "height": 700}, locale="nl-BE", bypass_csp=True)
    page = context.new_page()
    page.goto(demo_site + path)
    page.evaluate(opens)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_problems(page, axe_js) == []
    context.close()


def test_a_group_page_says_when_it_meets_next_and_offers_a_webcal_subscription(demo_site, page_at):
    page = page_at(*PHONE)
    page.goto(demo_site + "/werkgroepen/werkgroep-obmi/")
    assert _in_view(page.locator(".next-meeting"))
    subscribe = page.get_by_role("link", name="Abonneren", exact=True)
    assert _in_view(subscribe)
    assert subscribe.get_attribute("href") == demo_site.replace("http://", "webcal://") + "/werkgroepen/werkgroep-obmi/kalender.ics"
