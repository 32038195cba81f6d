"""No draft or private item reaches an anonymous visitor or a staff account without an editorial role.

Draft and private items of every kind carry a unique marker; the test walks every public URL (each
page type, each export format for each year, every feed, the sitemap, search for the markers and
every filter's choice list) and asserts that no marker appears anywhere.
"""
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from programmes.models import City, EditorialStatus, Programme, WorkingGroup, WorkTrack
from reports.exports.opendata import DATASETS
from reports.models import Edition, EditionImage, EditionSection, RoundText, SectionLink
from reports.services import edition_publish, edition_round_sync, review_link_create, round_comment_add
from tests.factories import (
    make_budget, make_city, make_edition, make_funding, make_group, make_group_year, make_link, make_meeting, make_result,
    make_track, make_track_year, outline,
)

pytestmark = pytest.mark.django_db

MARK = "LEKMRK"
YEARS = range(2029, 2036)


def _png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def unpublished_world(settings, tmp_path, django_user_model):
    """Published material to walk through, with draft and private items of every kind among it."""
    settings.MEDIA_ROOT = tmp_path
    settings.PDF_CACHE_DIR = tmp_path / "pdf"
    city = make_city(name="Teststad", slug="teststad")

    # Published: a jaarverslag 2030 with a track, its group and meetings.
    published_ty = make_track_year(year=2030, number="1.1")
    published_ty.track.cities.add(city)
    group = make_group(programme=published_ty.programme)
    group.tracks.add(published_ty.track)
    group.cities.add(city)
    held = make_meeting(group=group, year=2030, month=3, day=4, title="Gewone vergadering")
    make_link(meeting=held, title="het verslag van de gewone vergadering", url="https://x.be/verslag-vergadering")
    make_link(track_year=published_ty, title="het publieke verslag")
    make_link(track_year=published_ty, title=f"{MARK}-private-link", url=f"https://x.be/{MARK}-private-link", is_public=False)
    private_meeting = make_meeting(group=group, year=2030, month=5, title=f"{MARK}-private-meeting", is_public=False)
    # A public link on a private meeting is as private as its meeting.
    make_link(meeting=private_meeting, title=f"{MARK}-link-on-private-meeting", url=f"https://x.be/{MARK}-meeting-link")
    make_meeting(year=2033, month=5, title=f"{MARK}-private-meeting-own-year", is_public=False, host_city=city)

    # A public track whose texts of 2035 are drafts, with a link on that year (the search leak).
    draft_ty = make_track_year(
        track=published_ty.track, year=2035, plan_text=f"<p>{MARK}-draft-plan</p>", report_text=f"<p>{MARK}-draft-report</p>",
        plan_status=EditorialStatus.DRAFT, report_status=EditorialStatus.REVIEW, title=f"{MARK}-draft-year-title",
    )
    make_link(track_year=draft_ty, title=f"{MARK}-link-of-draft-year", url=f"https://x.be/{MARK}-draft-url")

    # A private track with published texts, and a private group with meetings.
    private_track = make_track(title=f"{MARK}-private-track", is_public=False, programme=published_ty.programme)
    private_track.cities.add(city)
    make_track_year(track=private_track, year=2030, report_text=f"<p>{MARK}-text-of-private-track</p>")
    private_group = make_group(name=f"{MARK}-private-group", is_public=False, programme=published_ty.programme)
    private_group.cities.add(city)
    of_private_group = make_meeting(group=private_group, year=2030, month=6, day=1, title=f"{MARK}-meeting-of-private-group")
    make_link(meeting=of_private_group, title=f"{MARK}-link-on-meeting-of-private-group", url="https://x.be/groep-link")
    make_group_year(group=private_group, year=2034, frequency=f"{MARK}-frequency-of-private-group")
    make_meeting(track=private_track, year=2034, title=f"{MARK}-meeting-of-private-track")

    # Results and funding follow their text and track: a target is public with the plan text, an achievement
    # with the report text; nothing of a private track or a draft year.
    make_result(track_year=draft_ty, label=f"{MARK}-result-of-draft-year", target="4", achieved="5", is_key_figure=True)
    make_result(track_year=private_track.years.get(), label=f"{MARK}-result-of-private-track", achieved="6", is_key_figure=True)
    make_funding(track=private_track, source=f"{MARK}-funding-of-private-track", start_year=2030, amount="7")
    half = make_track_year(year=2030, report_status=EditorialStatus.DRAFT, report_text=f"<p>{MARK}-draft-report-2030</p>")
    make_result(track_year=half, label="doel van een half gepubliceerd jaar", target="7", achieved="987654", is_key_figure=True)

    # Editions: the 2030 jaarverslag is published; the 2031 one is a draft with its own texts and budget.
    make_budget(year=2030, total="1000")
    make_budget(year=2031, total="4242424.42")
    make_link(budget=make_budget(year=2032, total="1"), title=f"{MARK}-settlement-of-unpublished-year")
    published = make_edition(kind=Edition.Kind.REPORT, year=2030, status=EditorialStatus.REVIEW)
    chief = django_user_model.objects.create_user(username="chef", password="x" * 20, is_staff=True)
    chief.groups.add(Group.objects.get(name="Eindredacteur"))
    edition_publish(edition=outline(published), by=chief, confirm_warnings=True)
    late = EditionImage.objects.create(
        edition=published, image=_png("laat.png"), alt_text=f"{MARK}-late-image", credit=f"{MARK}-late-credit",
    )
    draft = make_edition(
        kind=Edition.Kind.REPORT, year=2031, status=EditorialStatus.DRAFT,
        subtitle=f"{MARK}-draft-subtitle", foreword=f"<p>{MARK}-draft-foreword</p>",
    )
    outline(draft)
    section = EditionSection.objects.create(edition=draft, title=f"{MARK}-draft-section", slug="profiel", body=f"<p>{MARK}-section-body</p>")
    SectionLink.objects.create(section=section, title=f"{MARK}-section-link", url="https://x.be/sectie")
    draft_image = EditionImage.objects.create(edition=draft, image=_png("concept.png"), alt_text=f"{MARK}-draft-image", credit="x")

    # The round: comments on a published and on a draft text, and a review link; none is ever public.
    for edition in (published, draft):
        edition_round_sync(edition=edition)
        for text in RoundText.objects.filter(edition=edition):
            round_comment_add(text=text, by=chief, body=f"{MARK}-comment-{edition.year}")
    review_link_create(edition=draft, name=f"{MARK}-reviewer", email="nalezer@example.org", organisation=f"{MARK}-org", by=chief)
    return {"media": [late.image.url, draft_image.image.url]}


def _public_urls(media):
    urls = ["/", "/edities/", "/programmas/", "/werkgroepen/", "/steden/", "/kalender/", "/open-data/",
            "/kalender.ics", "/edities/feed.atom", "/sitemap.xml", f"/zoeken/?q={MARK}", f"/zoeken/?q={MARK.lower()}",
            "/open-data/catalogus.jsonld", "/open-data/catalogus.ttl", "/financien/", "/toegankelijkheid/"]
    urls += media
    for year in YEARS:
        for kind in ("jaarplan", "jaarverslag"):
            urls += [f"/{kind}/{year}/", f"/{kind}/{year}/html/", f"/{kind}/{year}/?voorbeeld"]
        urls += [f"/kalender/?jaar={year}", f"/werkgroepen/?jaar={year}", f"/programmas/?jaar={year}",
                 f"/steden/vergelijken/?jaar={year}"]
        for dataset in DATASETS:
            urls += [f"/open-data/{year}/{dataset}.csv", f"/open-data/{year}/{dataset}.json"]
    urls += [p.get_absolute_url() for p in Programme.objects.all()]
    urls += [t.get_absolute_url() for t in WorkTrack.objects.all()]
    for g in WorkingGroup.objects.all():
        urls += [g.get_absolute_url(), g.get_absolute_url() + "kalender.ics"]
    for c in City.objects.all():
        urls += [c.get_absolute_url(), c.get_absolute_url() + "kalender.ics"]
    urls.append("/steden/vergelijken/")
    return urls


def _walk(client, urls):
    seen = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = (response.status_code, body.decode("utf-8", "replace"))
    return seen


@pytest.fixture
def inactive_chief_client(db, django_user_model):
    """An Eindredacteur whose account was switched off while still logged in: from then on, the public's view."""
    user = django_user_model.objects.create_user(username="uitgeschakeld", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Eindredacteur"))
    visitor = Client()
    visitor.force_login(user)
    user.is_active = False
    user.save()
    return visitor


@pytest.mark.parametrize("who", ["anonymous", "staff without a role", "an inactive Eindredacteur"])
def test_no_draft_or_private_item_reaches_the_public(unpublished_world, client, roleless_staff_client, inactive_chief_client, who):
    visitor = {"anonymous": client, "staff without a role": roleless_staff_client}.get(who, inactive_chief_client)
    pages = _walk(visitor, _public_urls(unpublished_world["media"]))
    # Markers are "LEKMRK-<what>"; the bare word is the search query echoed back, which is fine.
    leaks = [(url, re.findall(MARK + r"-[\w-]*", body, re.IGNORECASE)[:3]) for url, (_s, body) in pages.items()
             if f"{MARK}-".lower() in body.lower()]
    assert leaks == []
    everything = "".join(body for _s, body in pages.values())
    assert "4.242.424,42" not in everything
    assert "987654" not in everything and "987.654" not in everything  # achieved, while only the plan text is public
    assert "doel van een half gepubliceerd jaar" in everything  # its target is public: the walk reaches results
    assert "het verslag van de gewone vergadering" in everything  # the walk reaches the links of meetings
    for url in unpublished_world["media"]:
        assert pages[url][0] == 404
    for listing in ("/kalender/", "/werkgroepen/", "/programmas/", "/steden/vergelijken/"):
        offered = set(re.findall(r'<option value="(\d{4})"', pages[listing][1]))
        assert offered and offered <= {"2030"}, (listing, offered)


def test_the_editorial_team_does_see_them_marked(unpublished_world, staff_client):
    """The same walk as a Redacteur finds the markers: the test above is not vacuous."""
    search = staff_client.get(f"/zoeken/?q={MARK}").content.decode()
    for marker in ("private-track", "private-group", "private-meeting", "link-of-draft-year", "link-on-private-meeting",
                   "link-on-meeting-of-private-group"):
        assert f"{MARK}-{marker}" in search
    assert f"{MARK}-draft-foreword" in staff_client.get("/jaarverslag/2031/").content.decode()
    assert staff_client.get(unpublished_world["media"][0]).status_code == 200
    assert '<option value="2033"' in staff_client.get("/kalender/").content.decode()


def test_an_inactive_eindredacteur_is_shown_only_what_the_public_sees_by_every_visibility_rule(unpublished_world, django_user_model):
    """The rule itself, not only the login: code that hands a switched-off account to visible_to() gets the public view."""
    from django.apps import apps
    from django.contrib.auth.models import AnonymousUser

    from programmes.visibility import VisibilityQuerySet

    user = django_user_model.objects.create_user(username="uitgeschakeld", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Eindredacteur"))
    active_sees_more = []
    for model in apps.get_models():
        if not isinstance(model._default_manager.all(), VisibilityQuerySet):
            continue
        public = set(model._default_manager.visible_to(AnonymousUser()).values_list("pk", flat=True))
        user.is_active = True
        active_sees_more.append(set(model._default_manager.visible_to(user).values_list("pk", flat=True)) > public)
        user.is_active = False
        assert set(model._default_manager.visible_to(user).values_list("pk", flat=True)) == public, model.__name__
    assert any(active_sees_more)  # the world holds unpublished items: the check is not vacuous
