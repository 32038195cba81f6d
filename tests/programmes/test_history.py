"""Change history: who changed what, readable diffs, revert, recovery of deleted objects, site-wide audit."""
import re

import pytest
from django.urls import reverse

from programmes.models import EditorialStatus, WorkTrack, WorkTrackYear
from reports.models import Edition
from tests.factories import make_edition, make_programme, make_track, make_track_year
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db


def _url(obj, view, *args):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk, *args])


@pytest.fixture
def editor(client, django_user_model):
    user = make_editor(django_user_model, "Redacteur", username="els")
    client.force_login(user)
    return user


def _edit_title(client, track, title):
    data = admin_form_data(client.get(_url(track, "change")))
    data["title"] = title
    assert client.post(_url(track, "change"), data).status_code == 302


def test_admin_edit_is_recorded_with_who_and_what(client, editor):
    track = make_track(title="Oude titel")
    _edit_title(client, track, "Nieuwe titel")
    record = track.history.first()
    assert record.history_user == editor and record.title == "Nieuwe titel" and record.history_type == "~"
    html = client.get(_url(track, "history")).content.decode()
    assert "els" in html and "Nieuwe titel" in html


def test_compare_view_shows_a_readable_diff_between_two_versions(client, editor):
    track = make_track(title="Warmte in de stad")
    _edit_title(client, track, "Koelte in de stad")
    older, newer = track.history.order_by("history_date")[:2]
    html = client.get(_url(track, "compare") + f"?van={older.history_id}&tot={newer.history_id}").content.decode()
    assert "<del>Warmte</del>" in html and "<ins>Koelte</ins>" in html


def test_revert_to_an_earlier_version(client, editor):
    track = make_track(title="Eerste versie")
    _edit_title(client, track, "Tweede versie")
    first = track.history.order_by("history_date").first()
    data = admin_form_data(client.get(_url(track, "simple_history", first.history_id)))
    assert data["title"] == "Eerste versie"
    assert client.post(_url(track, "simple_history", first.history_id), data).status_code == 302
    track.refresh_from_db()
    assert track.title == "Eerste versie"


def test_reverting_a_track_text_to_a_published_version_needs_publish_rights(client, editor):
    ty = make_track_year(report_status=EditorialStatus.PUBLISHED)
    ty.report_status = EditorialStatus.DRAFT
    ty.save()
    published_version = ty.history.order_by("history_date").first()
    data = admin_form_data(client.get(_url(ty, "simple_history", published_version.history_id)))
    client.post(_url(ty, "simple_history", published_version.history_id), data)
    ty.refresh_from_db()
    assert ty.report_status == EditorialStatus.DRAFT


def test_reverting_an_edition_never_changes_its_publication_state(client, editor):
    edition = make_edition(status=EditorialStatus.DRAFT, subtitle="Eerst")
    edition.subtitle = "Daarna"
    edition.save()
    Edition.objects.filter(pk=edition.pk).update(status=EditorialStatus.REVIEW)
    first = edition.history.order_by("history_date").first()
    data = admin_form_data(client.get(_url(edition, "simple_history", first.history_id)))
    client.post(_url(edition, "simple_history", first.history_id), data)
    edition.refresh_from_db()
    assert edition.subtitle == "Eerst" and edition.status == EditorialStatus.REVIEW


def test_deleted_object_can_be_recovered(client, editor):
    programme = make_programme()
    track = make_track(title="Per ongeluk gewist", programme=programme)
    pk = track.pk
    client.post(_url(track, "delete"), {"post": "yes"})
    assert not WorkTrack.objects.filter(pk=pk).exists()

    deleted_url = reverse("admin:programmes_worktrack_deleted")
    html = client.get(deleted_url).content.decode()
    assert "Per ongeluk gewist" in html
    record = WorkTrack.history.filter(id=pk, history_type="-").get()
    client.post(deleted_url, {"history_id": record.history_id})
    restored = WorkTrack.objects.get(pk=pk)
    assert restored.title == "Per ongeluk gewist"
    assert "Per ongeluk gewist" not in client.get(deleted_url).content.decode()


def test_audit_page_lists_recent_changes_filterable_by_user_and_model(client, django_user_model, editor):
    track = make_track(title="Spoor van Els")
    _edit_title(client, track, "Spoor van Els, herwerkt")
    other = make_editor(django_user_model, "Redacteur", username="omar")
    client.force_login(other)
    ty = make_track_year()
    data = admin_form_data(client.get(_url(ty, "change")))
    data["title"] = "Jaartekst van Omar"
    client.post(_url(ty, "change"), data)

    url = reverse("admin:reports_audit")
    html = client.get(url).content.decode()
    assert "Spoor van Els, herwerkt" in html and "Jaartekst van Omar" in html
    html = client.get(url, {"gebruiker": editor.pk}).content.decode()
    assert "Spoor van Els, herwerkt" in html and "Jaartekst van Omar" not in html
    html = client.get(url, {"model": "programmes.worktrackyear"}).content.decode()
    assert "Jaartekst van Omar" in html and "Spoor van Els, herwerkt" not in html


def test_recent_changes_are_the_newest_across_all_kinds_of_content_whatever_each_kind_holds():
    """One kind of content with many old changes, another with a few new ones, a third in between:
    the newest `limit` across them all, newest first, none left out and none older let in."""
    import datetime

    from django.utils import timezone

    from programmes.history import history_models, recent_changes
    from programmes.models import WorkingGroup
    from tests.factories import make_group

    start = timezone.now() - datetime.timedelta(days=30)
    made = [make_track(title=f"Oud spoor {i}") for i in range(6)] + [make_group(name=f"Groep {i}") for i in range(3)]
    made += [make_programme(name=f"Programma {i}") for i in range(2)]
    # Dates: tracks on days 0-5, groups on days 10, 2.5 and 4.5, programmes on days 1.5 and 20.
    days = [0, 1, 2, 3, 4, 5, 10, 2.5, 4.5, 1.5, 20]
    for _model, historical in history_models():  # what the factories made along the way: older than all
        historical.objects.update(history_date=start - datetime.timedelta(days=1))
    for obj, day in zip(made, days):
        obj.history.update(history_date=start + datetime.timedelta(days=day))
    by_date = sorted(zip(days, made), key=lambda pair: pair[0], reverse=True)
    for limit in (1, 3, 5, 8):
        labels = [r.label for r in recent_changes(limit=limit) if r.history_date >= start]
        assert labels == [str(obj) for _day, obj in by_date[:limit]], limit
    assert [r.label for r in recent_changes(model_label="programmes.workinggroup", limit=2)] == ["Groep 0", "Groep 2"]
    assert WorkingGroup.objects.count() >= 3


def test_audit_page_is_not_for_anonymous_visitors(client):
    client.logout()
    response = client.get(reverse("admin:reports_audit"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_history_is_kept_for_track_years_too():
    ty = make_track_year()
    ty.report_text = "<p>Nieuw.</p>"
    ty.save()
    assert WorkTrackYear.history.filter(id=ty.pk).count() == 2


@pytest.fixture
def group_joined_by_genk():
    """A group with Gent, then Gent and Genk: (gent, genk, latest version, earlier version)."""
    from tests.factories import make_city, make_group

    gent, genk = make_city(name="Gent"), make_city(name="Genk")
    group = make_group()
    group.cities.set([gent])
    group.cities.set([gent, genk])
    latest, earlier = group.history.order_by("-history_date", "-history_id")[:2]
    return gent, genk, latest, earlier


@pytest.mark.django_db
def test_changing_the_cities_of_a_group_is_recorded_in_its_history(group_joined_by_genk):
    gent, genk, latest, earlier = group_joined_by_genk
    assert {c.city_id for c in latest.cities.all()} == {gent.pk, genk.pk}
    delta = latest.diff_against(earlier)
    assert "cities" in delta.changed_fields


@pytest.mark.django_db
def test_version_comparison_lists_added_cities_by_name(group_joined_by_genk):
    from programmes.history import compare_versions

    _gent, _genk, latest, earlier = group_joined_by_genk
    rows = {row.label: row for row in compare_versions(earlier, latest)}
    assert rows["deelnemende steden"].old == "Gent"
    assert rows["deelnemende steden"].new == "Genk, Gent"


# --- what changed in a text: words, not markup ------------------------------------------------------

LONG_TEXT = "<p>" + " ".join(f"woord{i}" for i in range(120)) + "</p>"


def _text_with_two_versions(before, after):
    ty = make_track_year(report_text=before)
    ty.report_text = after
    ty.save()
    return ty


def test_history_shows_the_words_that_changed_in_a_rich_text_not_its_markup(client, editor):
    ty = _text_with_two_versions("<p>De werkgroep&nbsp;kwam <b>vier</b> keer samen.</p>", "<p>De werkgroep kwam zes keer samen.</p>")
    html = client.get(_url(ty, "history")).content.decode()
    assert "<del>vier</del> <ins>zes</ins>" in html
    assert "&amp;nbsp;" not in html and "&lt;p&gt;" not in html and "&lt;b&gt;" not in html


def test_a_long_unchanged_text_is_folded_with_all_its_words_not_cut_short(client, editor):
    ty = _text_with_two_versions(LONG_TEXT, LONG_TEXT.replace("woord60 ", "anders60 "))
    html = client.get(_url(ty, "history")).content.decode()
    assert "<del>woord60</del> <ins>anders60</ins>" in html
    assert '<details class="kc-fold"><summary>… 52 woorden ongewijzigd</summary>' in html
    assert all(re.search(rf"\bwoord{i}\b", html) for i in range(120) if i != 60)  # folded, every word still there
    assert "chars]" not in html


def test_a_text_written_anew_is_folded_in_the_list_of_versions(client, editor):
    ty = _text_with_two_versions("", LONG_TEXT)
    html = client.get(_url(ty, "history")).content.decode()
    assert "<details><summary>120 woorden nieuw: tonen</summary><ins>woord0" in html


def test_the_compare_page_marks_paragraphs_and_decodes_entities(client, editor):
    ty = _text_with_two_versions("<p>Eerste&nbsp;alinea.</p><p>Tweede &amp; laatste.</p>", "<p>Eerste alinea.</p><p>Tweede &amp; allerlaatste.</p>")
    older, newer = ty.history.order_by("history_date", "history_id")
    html = client.get(_url(ty, "compare") + f"?van={older.history_id}&tot={newer.history_id}").content.decode()
    assert "Eerste alinea.<br>Tweede &amp; <del>laatste.</del> <ins>allerlaatste.</ins>" in html


def test_the_revert_page_first_says_what_reverting_changes_then_offers_it(client, editor):
    ty = _text_with_two_versions("<p>Zeven keer samen.</p>", "<p>Acht keer samen.</p>")
    first = ty.history.order_by("history_date", "history_id").first()
    html = client.get(_url(ty, "simple_history", first.history_id)).content.decode()
    changes = html.index("Wat terugzetten verandert")
    assert changes < html.index("<del>Acht</del> <ins>Zeven</ins>") < html.index('value="Deze versie terugzetten"')


@pytest.mark.parametrize("view", ["history", "compare"])
def test_history_is_never_shown_to_the_public_or_to_staff_without_a_role(client, roleless_staff_client, view):
    ty = _text_with_two_versions("<p>Intern.</p>", "<p>Nog intern.</p>")
    url = _url(ty, view)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert roleless_staff_client.get(url).status_code == 403
    version = ty.history.first()
    assert client.get(_url(ty, "simple_history", version.history_id)).status_code == 302
    assert roleless_staff_client.get(_url(ty, "simple_history", version.history_id)).status_code == 403


def test_the_list_of_versions_costs_the_same_queries_however_many_versions_there_are(client, editor, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(ty):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(ty, "history")).status_code == 200
        return len(captured)

    few, many = make_track_year(), make_track_year()
    for ty, versions in ((few, 2), (many, 12)):
        for i in range(versions):
            ty.report_text = f"<p>Versie {i}.</p>"
            ty.programme = make_programme()  # a relation that changes, named in the diff
            ty.save()
    assert queries(many) == queries(few)
