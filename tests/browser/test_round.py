"""A whole round in Chromium: assign, write, mark ready, a review link's comment, resolve, approve, publish."""
import re

import pytest
from django.urls import reverse

from programmes.models import EditorialStatus
from reports.models import RoundComment, RoundText
from tests.browser.test_admin_a11y import axe_problems
from tests.factories import make_round, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_whole_round_from_assignment_to_publication(logged_in_page, site, browser, axe_js):
    chief, writer, reader = make_staff("Eindredacteur"), make_staff(), make_staff()
    edition = make_round(year=2031, texts=1)
    text = RoundText.objects.get(edition=edition, kind="track")
    title = text.track_year.display_title

    # The Eindredacteur assigns the author and the reviewer on the round page.
    page = logged_in_page(chief, bypass_csp=True)
    page.goto(site + reverse("admin:reports_edition_round", args=[edition.pk]))
    assert axe_problems(page, axe_js) == []
    page.select_option(f"#author-{text.pk}", str(writer.pk))
    page.select_option(f"#reviewer-{text.pk}", str(reader.pk))
    with page.expect_navigation():
        page.click('input[value="Toewijzingen bewaren"]')
    assert "toegewezen" in page.content()
    text.refresh_from_db()
    assert (text.author, text.reviewer) == (writer, reader)

    # The author writes the text and marks it ready for review.
    page = logged_in_page(writer)
    page.goto(site + reverse("admin:programmes_worktrackyear_change", args=[text.track_year_id]))
    page.locator('.kc-rt__area[aria-label="Tekst jaarverslag"]').click()
    page.keyboard.type("De werkgroep kwam vier keer samen en maakte een leidraad.")
    page.select_option("#id_report_status", EditorialStatus.REVIEW)
    with page.expect_navigation():
        page.click('input[name="_save"]')
    text.refresh_from_db()
    assert text.round_status == EditorialStatus.REVIEW

    # The Eindredacteur makes a review link for a board member; the address is shown once.
    page = logged_in_page(chief, bypass_csp=True)
    page.goto(site + reverse("admin:reports_reviewlink_add") + f"?editie={edition.pk}")
    assert axe_problems(page, axe_js) == []
    page.fill("#id_name", "Els Bestuurslid")
    page.fill("#id_email", "els@example.org")
    page.fill("#id_organisation", "dagelijks bestuur")
    with page.expect_navigation():
        page.click('input[value="Link maken"]')
    address = re.search(r"(/nalezen/[^\"<\s]+/)", page.content()).group(1)

    # The board member, without an account, comments under the text.
    outsider = browser.new_context(viewport={"width": 390, "height": 800}, locale="nl-BE", bypass_csp=True)
    review = outsider.new_page()
    review.goto(site + address)
    assert "De werkgroep kwam vier keer samen" in review.content()
    assert axe_problems(review, axe_js) == []
    assert review.evaluate("document.documentElement.scrollWidth") <= 390
    # The remark is about one passage: selected in the text, taken over with a button.
    review.evaluate("""() => {
        const node = [...document.querySelectorAll("p")].find(p => p.textContent.includes("vier keer samen")).firstChild;
        const start = node.textContent.indexOf("vier keer samen"), range = document.createRange();
        range.setStart(node, start); range.setEnd(node, start + "vier keer samen".length);
        getSelection().removeAllRanges(); getSelection().addRange(range);
    }""")
    review.click(f'#nalezing-{text.pk} [data-quote-take]')
    assert review.input_value(f"#id_quote_{text.pk}") == "vier keer samen"
    review.fill(f"#id_body_{text.pk}", "Noem ook de steden die meededen.")
    with review.expect_navigation():
        review.click(f"#nalezing-{text.pk} button[type=submit]")
    assert "uw reactie is bewaard" in review.content()
    assert axe_problems(review, axe_js) == []
    outsider.close()

    # The reviewer reads the remark on the text's form, marks it resolved and approves the text.
    page = logged_in_page(reader)
    page.goto(site + reverse("admin:programmes_worktrackyear_change", args=[text.track_year_id]))
    assert "Noem ook de steden die meededen." in page.content() and "via nalezingslink" in page.content()
    comment = RoundComment.objects.get(text=text)
    assert comment.quote == "vier keer samen" and page.locator(".kc-thread__quote").inner_text() == "vier keer samen"
    page.check(f'input[name$="-resolve"][value="{comment.pk}"]')
    page.select_option("#id_report_status", EditorialStatus.APPROVED)
    with page.expect_navigation():
        page.click('input[name="_save"]')
    comment.refresh_from_db()
    text.refresh_from_db()
    assert comment.resolved_at is not None and text.round_status == EditorialStatus.APPROVED

    # The round shows the text approved; the Eindredacteur publishes and the public page has the text.
    page = logged_in_page(chief)
    page.goto(site + reverse("admin:reports_edition_round", args=[edition.pk]))
    assert "1 van 2 teksten goedgekeurd of gepubliceerd" in page.content()
    page.goto(site + reverse("admin:reports_edition_checklist", args=[edition.pk]))
    if page.locator('input[name="confirm_warnings"]').count():
        page.locator('input[name="confirm_warnings"]').first.check()
    with page.expect_navigation():
        page.click('button[value="publish"]')
    public = browser.new_page()
    public.goto(site + edition.get_absolute_url())
    assert title in public.content() and "leidraad" in public.content()
    assert "Noem ook de steden" not in public.content()
    public.close()
