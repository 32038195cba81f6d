"""Review without an account: a signed, expiring, revocable link to one draft edition (or some of its texts)."""
import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from programmes.models import EditorialStatus
from reports.models import ReviewLink, RoundComment, RoundText
from reports.services import edition_round_sync, review_link_create, review_link_revoke
from tests.factories import make_edition, make_round, make_staff, make_track_year, place

pytestmark = pytest.mark.django_db

MARK = "NALEESMRK"


@pytest.fixture
def drafts():
    """A draft jaarverslag with two written texts, and another draft edition with a text of its own."""
    chief = make_staff("Eindredacteur")
    edition = make_round(year=2031, texts=2)
    first, second = RoundText.objects.filter(edition=edition, kind="track").select_related("track_year").order_by("id")
    for text, word in ((first, "eerste"), (second, "tweede")):
        text.track_year.report_text = f"<p>{MARK}-{word}-tekst</p>"
        text.track_year.save()
    other = make_edition(year=2032, status=EditorialStatus.DRAFT, foreword=f"<p>{MARK}-andere-editie</p>")
    other_ty = make_track_year(year=2032, report_text=f"<p>{MARK}-andere-tekst</p>", report_status=EditorialStatus.DRAFT)
    place(other, other_ty)
    edition_round_sync(edition=other)
    return {"chief": chief, "edition": edition, "first": first, "second": second}


def _link(drafts, **kw):
    link, token = review_link_create(edition=drafts["edition"], name="Els Nalezer", email="els@example.org",
                                     organisation="Stad Gent", by=drafts["chief"], **kw)
    return link, f"/nalezen/{token}/"


def test_the_link_shows_the_draft_as_it_will_be_published_with_a_box_per_text(client, drafts):
    _link_obj, url = _link(drafts)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{MARK}-eerste-tekst" in page and f"{MARK}-tweede-tekst" in page
    assert page.count('class="review-box"') == 2
    assert "Downloaden" not in page and 'class="site-search"' not in page and "/admin/" not in page


def test_a_link_for_some_texts_shows_only_those(client, drafts):
    _link_obj, url = _link(drafts, texts=[drafts["first"]])
    page = client.get(url).content.decode()
    assert f"{MARK}-eerste-tekst" in page and f"{MARK}-tweede-tekst" not in page


def test_nothing_of_another_draft_reaches_a_reviewer(client, drafts):
    _link_obj, url = _link(drafts)
    page = client.get(url).content.decode()
    assert f"{MARK}-andere" not in page


def test_a_comment_and_an_akkoord_land_in_the_texts_thread_marked_as_the_reviewer(client, drafts):
    link, url = _link(drafts)
    client.get(url)
    response = client.post(url, {"text": drafts["first"].pk, "body": "Mooi, maar noem de steden.", "approve": "on"})
    assert response.status_code == 302
    comment = RoundComment.objects.get(text=drafts["first"])
    assert (comment.review_link, comment.author, comment.is_approval) == (link, None, True)
    assert comment.author_name == "Els Nalezer (Stad Gent)"
    assert "Mooi, maar noem de steden." in client.get(response["Location"]).content.decode()


def test_a_remark_can_name_the_passage_it_is_about_which_must_stand_in_that_text(client, drafts):
    first = drafts["first"]
    first.track_year.report_text = "<p>De steden <strong>deelden</strong> hun data.</p><p>Gent trok het netwerk.</p>"
    first.track_year.save()
    _link_obj, url = _link(drafts)
    # As selected on the page: over two paragraphs, with a line break between them.
    response = client.post(url, {"text": first.pk, "quote": "deelden hun data.\n\nGent trok", "body": "Welke data?"})
    assert response.status_code == 302
    assert RoundComment.objects.get(text=first).quote == "deelden hun data. Gent trok"
    page = client.get(response["Location"]).content.decode()
    assert 'over <q class="review-box__quote">deelden hun data. Gent trok</q>: Welke data?' in page

    response = client.post(url, {"text": first.pk, "quote": "Antwerpen trok het netwerk", "body": "Klopt dit?"})
    assert response.status_code == 400
    assert "Deze passage staat niet (meer) zo in de tekst" in response.content.decode()
    assert RoundComment.objects.filter(text=first).count() == 1  # nothing saved, the remark stays in the box
    assert "Klopt dit?" in response.content.decode()


def test_the_editorial_team_quotes_a_passage_in_the_texts_thread_too(drafts):
    from django.urls import reverse

    from tests.programmes.test_admin_helpers import admin_form_data

    first = drafts["first"]
    client = Client()
    client.force_login(drafts["chief"])
    url = reverse("admin:programmes_worktrackyear_change", args=[first.track_year_id])
    data = admin_form_data(client.get(url))
    prefix = next(k[: -len("-new_comment")] for k in data if k.endswith("-new_comment") and data.get(k.replace("new_comment", "id")) == str(first.pk))
    data.update({f"{prefix}-new_quote": "eerste-tekst", f"{prefix}-new_comment": "Graag een voorbeeld."})
    assert client.post(url, data).status_code == 302
    assert RoundComment.objects.get(text=first).quote == "eerste-tekst"
    assert '<blockquote class="kc-thread__quote">eerste-tekst</blockquote>' in client.get(url).content.decode()

    data = admin_form_data(client.get(url))
    data.update({f"{prefix}-new_quote": "een zin die er niet staat", f"{prefix}-new_comment": "?"})
    response = client.post(url, data)
    assert response.status_code == 200 and "Deze passage staat niet (meer) zo in de tekst" in response.content.decode()
    assert RoundComment.objects.filter(text=first).count() == 1


def test_a_reviewer_cannot_comment_on_a_text_outside_the_link(client, drafts):
    other_text = RoundText.objects.get(edition__year=2032, kind="track")
    _link_obj, url = _link(drafts, texts=[drafts["first"]])
    response = client.post(url, {"text": other_text.pk, "body": "ingebroken"})
    assert response.status_code == 400
    assert not RoundComment.objects.exists()


def test_an_empty_comment_gets_a_clear_dutch_message(client, drafts):
    _link_obj, url = _link(drafts)
    response = client.post(url, {"text": drafts["first"].pk, "body": "  "})
    assert response.status_code == 400
    assert "Schrijf een opmerking of vink" in response.content.decode()


def test_the_comment_form_is_csrf_protected(drafts):
    _link_obj, url = _link(drafts)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url, {"text": drafts["first"].pk, "body": "zonder token"}).status_code == 403
    assert not RoundComment.objects.exists()


def test_an_expired_link_says_so_with_410(client, drafts):
    link, url = _link(drafts)
    past = timezone.now() - datetime.timedelta(days=20)
    ReviewLink.objects.filter(pk=link.pk).update(created_at=past, expires_at=past + datetime.timedelta(days=14))
    response = client.get(url)
    assert response.status_code == 410 and "verlopen" in response.content.decode()
    assert MARK not in response.content.decode()


def test_a_revoked_link_stops_at_once(client, drafts):
    link, url = _link(drafts)
    assert client.get(url).status_code == 200
    review_link_revoke(link=link, by=drafts["chief"])
    response = client.get(url)
    assert response.status_code == 410 and "ingetrokken" in response.content.decode()
    assert client.post(url, {"text": drafts["first"].pk, "body": "te laat"}).status_code == 410
    assert not RoundComment.objects.exists()


def test_a_forged_or_altered_token_is_not_found(client, drafts):
    link, url = _link(drafts)
    token = url.split("/")[2]
    assert client.get(f"/nalezen/{token[:-2]}xx/").status_code == 404
    assert client.get("/nalezen/WzEsImFiYyJd:abc/").status_code == 404


def test_the_page_is_never_cached_or_indexed_and_keeps_its_address_to_itself(client, drafts, settings):
    _link_obj, url = _link(drafts)
    response = client.get(url)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "Disallow: /nalezen/" in client.get("/robots.txt").content.decode()
    assert "nalezen" not in client.get("/sitemap.xml").content.decode()


def test_a_review_page_is_never_shared_nor_answered_304(client, drafts, settings):
    settings.PAGE_CACHE_ENABLED = True
    link, url = _link(drafts)
    first = client.get(url)
    second = client.get(url, HTTP_IF_NONE_MATCH=first.get("ETag", '"*"'))
    assert first.status_code == second.status_code == 200
    assert not first.has_header("X-Accel-Expires") and not first.has_header("ETag")
    review_link_revoke(link=link, by=drafts["chief"])
    assert client.get(url).status_code == 410  # never answered from a stored copy


def test_too_many_requests_from_one_address_are_held_back(client, drafts, settings):
    settings.REVIEW_LINK_REQUESTS_PER_MINUTE = 3
    cache.clear()
    _link_obj, url = _link(drafts)
    statuses = [client.get(url).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    cache.clear()


def test_too_many_comments_through_one_link_are_held_back(client, drafts, settings):
    settings.REVIEW_LINK_COMMENTS_PER_HOUR = 2
    cache.clear()
    _link_obj, url = _link(drafts)
    statuses = [client.post(url, {"text": drafts["first"].pk, "body": f"opmerking {i}"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert RoundComment.objects.count() == 2
    cache.clear()


def test_a_logged_in_editor_opening_the_link_sees_what_the_link_shows(drafts):
    _link_obj, url = _link(drafts, texts=[drafts["first"]])
    editor = Client()
    editor.force_login(drafts["chief"])
    page = editor.get(url).content.decode()
    assert f"{MARK}-tweede-tekst" not in page and "Bewerken" not in page


def test_an_eindredacteur_makes_a_link_in_the_admin_and_sees_its_address_once(drafts):
    staff = Client()
    staff.force_login(drafts["chief"])
    edition = drafts["edition"]
    form = staff.get(f"/admin/reports/reviewlink/add/?editie={edition.pk}")
    assert form.status_code == 200
    response = staff.post(f"/admin/reports/reviewlink/add/?editie={edition.pk}", {
        "edition": edition.pk, "name": "Jan Schepen", "email": "jan@example.org", "organisation": "Stad Aalst",
        "texts": [drafts["second"].pk], "valid_days": "7", "send": "on",
    }, follow=True)
    page = response.content.decode()
    assert "Nalezingslink voor Jan Schepen gemaakt en verstuurd" in page
    link = ReviewLink.objects.get(name="Jan Schepen")
    assert list(link.texts.all()) == [drafts["second"]]
    assert (link.expires_at - link.created_at).days == 7


def test_a_redacteur_cannot_make_review_links(drafts):
    staff = Client()
    staff.force_login(make_staff())
    assert staff.get(f"/admin/reports/reviewlink/add/?editie={drafts['edition'].pk}").status_code == 403


def test_review_links_are_only_for_editions_in_preparation(drafts):
    from django.core.exceptions import ValidationError

    edition = drafts["edition"]
    edition.status = EditorialStatus.PUBLISHED
    edition.save()
    with pytest.raises(ValidationError):
        review_link_create(edition=edition, name="x", email="x@example.org", by=drafts["chief"])
