"""The back-office home built around the work, 'Volgend jaar voorbereiden' as a button, 'Bewerken' on public pages."""
import pytest
from django.test import Client
from django.urls import reverse

from programmes.models import EditorialStatus, WorkTrackYear
from reports.models import Edition
from reports.selectors import texts_last_edited_by
from tests.factories import make_city, make_draft_edition, make_edition, make_group, make_programme, make_track, make_track_year, place
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, PUBLISHED = EditorialStatus.DRAFT, EditorialStatus.REVIEW, EditorialStatus.PUBLISHED


@pytest.fixture
def editor(client, django_user_model):
    user = make_editor(django_user_model, "Redacteur", username="els")
    client.force_login(user)
    return user


def test_home_shows_editions_in_preparation_with_progress_bars(client, editor):
    edition = make_edition(kind=Edition.Kind.PLAN, year=2030, status=DRAFT)
    place(edition, make_track_year(year=2030, plan_text="<p>tekst</p>", plan_status=DRAFT),
          make_track_year(year=2030, plan_text="", plan_status=DRAFT))
    html = client.get(reverse("admin:index")).content.decode()
    assert str(edition) in html
    assert '<progress id="geschreven-%d" max="2" value="1">' % edition.pk in html
    assert reverse("admin:reports_edition_checklist", args=[edition.pk]) in html


def test_home_asks_the_same_number_of_queries_however_many_editions_are_in_preparation(client, editor):
    """The four newest are shown with progress, checklist and round; older ones are named with a link."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        client.get(reverse("admin:index"))  # what a process keeps after its first request is not counted
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("admin:index")).status_code == 200
        return len(captured)

    editions = [make_edition(kind=kind, year=year, status=DRAFT) for year in (2030, 2031) for kind in Edition.Kind]
    few = queries()
    editions += [make_edition(kind=kind, year=year, status=DRAFT) for year in (2027, 2028, 2029) for kind in Edition.Kind]
    assert queries() == few
    html = client.get(reverse("admin:index")).content.decode()
    shown_in_detail = [e for e in editions if reverse("admin:reports_edition_checklist", args=[e.pk]) in html]
    assert sorted(e.year for e in shown_in_detail) == [2030, 2030, 2031, 2031]
    assert all(reverse("admin:reports_edition_change", args=[e.pk]) in html for e in editions)

def test_home_lists_the_daily_lists_before_the_reference_data(client, editor):
    html = client.get(reverse("admin:index")).content.decode()
    order = [html.index(text) for text in ("home-meeting", "home-workinggroup", "Teksten per jaar", "Referentiegegevens", "home-city")]
    assert order == sorted(order)


def test_my_texts_are_those_this_editor_changed_last_and_not_yet_published(client, editor, django_user_model):
    mine = make_track_year(year=2030, report_status=DRAFT)
    someone_else_after_me = make_track_year(year=2030, report_status=DRAFT)
    done = make_track_year(year=2030)  # both texts published
    for ty in (mine, someone_else_after_me, done):
        url = reverse("admin:programmes_worktrackyear_change", args=[ty.pk])
        assert client.post(url, {**admin_form_data(client.get(url)), "title": "Door Els"}).status_code == 302
    other = Client()
    other.force_login(make_editor(django_user_model, "Redacteur", username="piet"))
    url = reverse("admin:programmes_worktrackyear_change", args=[someone_else_after_me.pk])
    assert other.post(url, {**admin_form_data(other.get(url)), "title": "Door Piet"}).status_code == 302

    assert texts_last_edited_by(user=editor) == [mine]
    html = client.get(reverse("admin:index")).content.decode()
    assert "Mijn teksten" in html and reverse("admin:programmes_worktrackyear_change", args=[mine.pk]) in html


def test_texts_created_by_preparing_next_year_are_not_my_texts_until_edited(client, editor):
    edition = make_edition(kind=Edition.Kind.PLAN, year=2030)
    make_track_year(year=2030)
    assert client.post(reverse("admin:reports_edition_prepare_next_year", args=[edition.pk])).status_code == 302
    assert WorkTrackYear.objects.filter(year=2031).count() == 1
    assert texts_last_edited_by(user=editor) == []


def test_edition_form_has_a_prepare_next_year_button(client, editor):
    edition = make_edition(year=2030)
    html = client.get(reverse("admin:reports_edition_change", args=[edition.pk])).content.decode()
    assert reverse("admin:reports_edition_prepare_next_year", args=[edition.pk]) in html
    assert "Volgend jaar voorbereiden" in html


def test_prepare_next_year_says_what_it_will_create_before_creating_it(client, editor):
    edition = make_edition(kind=Edition.Kind.PLAN, year=2030)
    make_track_year(year=2030, track=make_track(title="Loopt door"))
    make_track_year(year=2030, track=make_track(title="Stopt", end_year=2030))
    url = reverse("admin:reports_edition_prepare_next_year", args=[edition.pk])
    html = client.get(url).content.decode()
    assert "Een nieuwe editie <strong>jaarplan 2031</strong> als concept" in html
    assert "<strong>1</strong> lege tekst per werkspoor voor 2031" in html and "Loopt door" in html
    assert not Edition.objects.filter(year=2031).exists()

    response = client.post(url)
    new = Edition.objects.get(kind=Edition.Kind.PLAN, year=2031)
    assert response.status_code == 302 and response.url == reverse("admin:reports_edition_change", args=[new.pk])
    assert list(WorkTrackYear.objects.filter(year=2031).values_list("track__title", flat=True)) == ["Loopt door"]


@pytest.mark.parametrize("who, shown", [("editor", True), ("roleless", False), ("anonymous", False)])
def test_public_track_page_has_an_edit_link_for_the_editorial_team_only(who, shown, client, roleless_staff_client, django_user_model):
    track = make_track_year(year=2024).track
    if who == "editor":
        client.force_login(make_editor(django_user_model, "Eindredacteur"))
    viewer = roleless_staff_client if who == "roleless" else client
    html = viewer.get(track.get_absolute_url()).content.decode()
    assert (reverse("admin:programmes_worktrack_change", args=[track.pk]) in html) is shown


@pytest.mark.parametrize("make", [
    lambda: make_group(is_public=True), make_programme, make_city, lambda: make_edition(year=2024),
], ids=["group", "programme", "city", "edition"])
def test_public_detail_pages_link_an_editor_to_the_right_admin_form(make, client, django_user_model):
    obj = make()
    client.force_login(make_editor(django_user_model, "Redacteur"))
    html = client.get(obj.get_absolute_url()).content.decode()
    admin_url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    assert f'<a href="{admin_url}">Bewerken' in html


def test_admin_home_shows_editions_in_preparation_and_texts_awaiting_review(client, django_user_model):
    client.force_login(make_editor(django_user_model))
    edition = make_draft_edition(year=2026)
    make_track_year(year=2026, plan_text="<p>x</p>", plan_status=EditorialStatus.REVIEW)
    html = client.get(reverse("admin:index")).content.decode()
    overview = html[html.index('id="stand-van-de-redactie"'):]
    assert str(edition) in overview
    assert reverse("admin:reports_edition_checklist", args=[edition.pk]) in overview
    assert "jaar=2026&amp;plan_status__exact=review" in overview
    assert "1 jaarplantekst na te lezen" in overview
