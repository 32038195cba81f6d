"""The yearly round in the back-office: who writes and reviews what, by when, what is late, comments."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programmes.models import EditorialStatus
from reports.models import Edition, RoundComment, RoundStatus, RoundText
from reports.round import round_table
from reports.services import (
    edition_prepare_next_year, edition_publish, edition_round_sync, round_assign, round_comment_add, round_text_set_status,
)
from tests.factories import make_edition, make_round, make_staff, make_track_year, place
from tests.programmes.test_admin_helpers import admin_submit

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2031, 2, 10)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _texts(edition):
    return list(RoundText.objects.filter(edition=edition, kind=RoundText.Kind.TRACK).select_related("track_year").order_by("id"))


def test_every_text_of_an_edition_joins_its_round_once():
    edition = make_round(texts=3)
    assert edition_round_sync(edition=edition) == 0  # idempotent
    kinds = sorted(RoundText.objects.filter(edition=edition).values_list("kind", flat=True))
    assert kinds == ["foreword", "track", "track", "track"]


def test_a_text_is_late_in_words_only_after_its_due_day_and_while_the_author_still_has_it():
    edition = make_round(texts=3, texts_due=TODAY - datetime.timedelta(days=1))
    empty, draft, ready = _texts(edition)
    draft.track_year.report_text = "<p>Begonnen.</p>"
    draft.track_year.save()
    ready.track_year.report_text, ready.track_year.report_status = "<p>Klaar.</p>", EditorialStatus.REVIEW
    ready.track_year.save()
    table = round_table(edition=edition, today=TODAY)
    by_text = {row.text.pk: row for row in table.rows}
    assert by_text[empty.pk].status == RoundStatus.NOT_STARTED and by_text[empty.pk].late
    assert by_text[draft.pk].status == RoundStatus.DRAFT and by_text[draft.pk].late
    assert by_text[ready.pk].status == RoundStatus.REVIEW and not by_text[ready.pk].late
    assert not round_table(edition=edition, today=TODAY - datetime.timedelta(days=1)).late  # on the due day: not yet


def test_an_own_deadline_moves_one_text_only():
    edition = make_round(texts=2, texts_due=TODAY + datetime.timedelta(days=5))
    early, later = _texts(edition)
    early.due_date = TODAY - datetime.timedelta(days=2)
    early.save()
    rows = {row.text.pk: row for row in round_table(edition=edition, today=TODAY).rows}
    assert rows[early.pk].late and not rows[later.pk].late


def test_the_filters_show_my_texts_what_waits_for_me_and_what_is_late():
    me, other = make_staff(), make_staff()
    edition = make_round(texts=3, texts_due=TODAY - datetime.timedelta(days=1))
    mine_to_write, mine_to_review, not_mine = _texts(edition)
    round_assign(edition=edition, by=me, changes={
        mine_to_write.pk: {"author": me, "reviewer": other},
        mine_to_review.pk: {"author": other, "reviewer": me},
        not_mine.pk: {"author": other, "reviewer": other},
    })
    table = round_table(edition=edition, today=TODAY)
    titles = lambda rows: {row.text.pk for row in rows}  # noqa: E731
    assert titles(table.filtered("mijn", me)) == {mine_to_write.pk, mine_to_review.pk}
    assert titles(table.filtered("wacht", me)) == {mine_to_write.pk}  # the other one is not ready for review yet
    mine_to_review.track_year.report_text, mine_to_review.track_year.report_status = "<p>x</p>", EditorialStatus.REVIEW
    mine_to_review.track_year.save()
    table = round_table(edition=edition, today=TODAY)
    assert titles(table.filtered("wacht", me)) == {mine_to_write.pk, mine_to_review.pk}
    assert mine_to_write.pk in titles(table.filtered("laat", me)) and mine_to_review.pk not in titles(table.filtered("laat", me))


def test_round_page_shows_status_late_in_words_and_open_comments(client):
    chief = make_staff("Eindredacteur")
    edition = make_round(texts=2, texts_due=timezone.localdate() - datetime.timedelta(days=2))
    first, _second = _texts(edition)
    round_comment_add(text=first, by=chief, body="Graag de cijfers nakijken.")
    page = _client(chief).get(f"/admin/reports/edition/{edition.pk}/ronde/").content.decode()
    assert "te laat" in page and "niet begonnen" in page
    assert "1 open opmerking" in page


def test_the_round_downloads_as_a_workbook_with_dates_as_dates_for_the_editorial_team_only(django_user_model):
    import io

    from openpyxl import load_workbook

    chief, author = make_staff("Eindredacteur"), make_staff(first_name="Annik", last_name="Bogaert")
    due = timezone.localdate() - datetime.timedelta(days=2)
    edition = make_round(texts=2, texts_due=due)
    first, second = _texts(edition)
    round_assign(edition=edition, by=chief, changes={first.pk: {"author": author}})
    round_comment_add(text=first, by=chief, body="Graag de cijfers nakijken.")
    url = f"/admin/reports/edition/{edition.pk}/ronde/ronde.xlsx"
    assert url in _client(chief).get(f"/admin/reports/edition/{edition.pk}/ronde/").content.decode()

    response = _client(chief).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert [c.value for c in sheet[1]][:6] == ["Programma", "Tekst", "Auteur", "Nalezer", "Deadline", "Status"]
    row = rows[first.title]
    assert (row[2], row[4].date(), row[5], row[6], row[8]) == ("Annik Bogaert", due, "niet begonnen", "ja", 1)
    assert set(rows) == {first.title, second.title, "Voorwoord"} and sheet.freeze_panes == "A2"

    roleless = django_user_model.objects.create_user(username="zonder-rol", password="x" * 20, is_staff=True)
    assert _client(roleless).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page


def test_admin_home_lists_each_edition_in_preparation_with_its_round_and_filters(client):
    me = make_staff()
    edition = make_round(texts=2)
    texts = _texts(edition)
    round_assign(edition=edition, by=me, changes={texts[0].pk: {"author": me}})
    staff = _client(me)
    home = staff.get("/admin/").content.decode()
    assert str(edition) in home and "Wacht op mij" in home and texts[1].track_year.display_title in home
    waiting = staff.get("/admin/?ronde=wacht").content.decode()
    assert texts[0].track_year.display_title in waiting and texts[1].track_year.display_title not in waiting


@pytest.mark.parametrize("page", ["round", "home"])
def test_round_pages_read_a_fixed_number_of_queries_whatever_the_number_of_texts(page):
    chief = make_staff("Eindredacteur")
    counts = []
    for year, size in ((2031, 3), (2032, 12)):
        edition = make_round(year=year, texts=size)
        people = [make_staff() for _ in range(3)]
        round_assign(edition=edition, by=chief, changes={
            t.pk: {"author": people[i % 3], "reviewer": people[(i + 1) % 3]} for i, t in enumerate(_texts(edition))
        })
        for text in _texts(edition):
            round_comment_add(text=text, by=chief, body="Opmerking")
        url = {"round": f"/admin/reports/edition/{edition.pk}/ronde/", "home": "/admin/"}[page]
        staff = _client(chief)
        staff.get(url)  # warm up sessions and permission caches
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(url).status_code == 200
        counts.append(len(queries))
        if page == "home":
            Edition.objects.filter(pk=edition.pk).update(status=EditorialStatus.PUBLISHED)  # one edition at a time
    assert counts[0] == counts[1], counts


def test_assigning_in_bulk_from_the_round_page_saves_every_row_in_one_request():
    chief, writer, reader = make_staff("Eindredacteur"), make_staff(), make_staff()
    edition = make_round(texts=2)
    data = {}
    for text in RoundText.objects.filter(edition=edition):
        data.update({f"author-{text.pk}": writer.pk, f"reviewer-{text.pk}": reader.pk, f"due-{text.pk}": "2031-03-01"})
    response = _client(chief).post(f"/admin/reports/edition/{edition.pk}/ronde/", data)
    assert response.status_code == 302
    assert set(RoundText.objects.filter(edition=edition).values_list("author", "reviewer", "due_date")) == {
        (writer.pk, reader.pk, datetime.date(2031, 3, 1)),
    }


def test_a_filtered_round_page_leaves_the_hidden_rows_alone():
    chief, writer = make_staff("Eindredacteur"), make_staff()
    edition = make_round(texts=2)
    first, second = _texts(edition)
    round_assign(edition=edition, by=chief, changes={second.pk: {"author": chief}})
    _client(chief).post(f"/admin/reports/edition/{edition.pk}/ronde/?ronde=mijn",
                        {f"author-{second.pk}": writer.pk, f"reviewer-{second.pk}": "", f"due-{second.pk}": ""})
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.author == writer and first.author is None


def test_a_stranger_or_a_bad_date_on_the_round_page_saves_nothing_and_says_why():
    chief = make_staff("Eindredacteur")
    edition = make_round(texts=1)
    text = _texts(edition)[0]
    response = _client(chief).post(
        f"/admin/reports/edition/{edition.pk}/ronde/",
        {f"author-{text.pk}": "999999", f"reviewer-{text.pk}": "", f"due-{text.pk}": "31-02-2031"}, follow=True,
    )
    assert "Niet bewaard" in response.content.decode()
    text.refresh_from_db()
    assert text.author is None and text.due_date is None


def test_a_whole_programme_gets_its_author_with_one_button():
    chief, writer = make_staff("Eindredacteur"), make_staff()
    edition = make_round(texts=1)
    ty = make_track_year(year=edition.year, report_text="", report_status=EditorialStatus.DRAFT,
                         programme=_texts(edition)[0].track_year.programme)
    place(edition, ty)
    edition_round_sync(edition=edition)
    programme = ty.programme
    _client(chief).post(f"/admin/reports/edition/{edition.pk}/ronde/", {
        "programma": "1", "programma-naam": programme.short_name or programme.name, "programma-author": writer.pk,
        "programma-reviewer": "",
    })
    assert set(RoundText.objects.filter(edition=edition, kind="track").values_list("author", flat=True)) == {writer.pk}
    assert RoundText.objects.get(edition=edition, kind="foreword").author is None


def test_last_years_author_is_proposed_and_taken_over_on_request():
    chief, writer = make_staff("Eindredacteur"), make_staff()
    last = make_round(year=2030, texts=1)
    round_assign(edition=last, by=chief, changes={_texts(last)[0].pk: {"author": writer, "reviewer": chief}})
    this = make_edition(kind=last.kind, year=2031, status=EditorialStatus.DRAFT)
    ty = make_track_year(track=_texts(last)[0].track_year.track, year=2031, report_text="", report_status=EditorialStatus.DRAFT)
    place(this, ty)
    edition_round_sync(edition=this)
    staff = _client(chief)
    page = staff.get(f"/admin/reports/edition/{this.pk}/ronde/").content.decode()
    assert "Vorig jaar:" in page
    staff.post(f"/admin/reports/edition/{this.pk}/ronde/", {"voorstellen": "1"})
    taken = RoundText.objects.get(edition=this, track_year=ty)
    assert (taken.author, taken.reviewer) == (writer, chief)


def test_preparing_next_year_carries_authors_and_reviewers_over():
    chief, writer, reader = make_staff("Eindredacteur"), make_staff(), make_staff()
    edition = make_round(year=2030, texts=2)
    changes = {t.pk: {"author": writer, "reviewer": reader} for t in RoundText.objects.filter(edition=edition)}
    round_assign(edition=edition, by=chief, changes=changes)
    new, _created = edition_prepare_next_year(edition=edition, by=chief)
    carried = RoundText.objects.filter(edition=new)
    assert carried.count() == 3
    assert set(carried.values_list("author", "reviewer")) == {(writer.pk, reader.pk)}


def test_only_the_reviewer_or_an_eindredacteur_approves_a_text():
    writer, reviewer, colleague, chief = make_staff(), make_staff(), make_staff(), make_staff("Eindredacteur")
    edition = make_round(texts=1)
    text = _texts(edition)[0]
    round_assign(edition=edition, by=chief, changes={text.pk: {"author": writer, "reviewer": reviewer}})
    text.track_year.report_text = "<p>Klaar.</p>"
    text.track_year.save()
    round_text_set_status(text=text, status=EditorialStatus.REVIEW, by=writer)
    with pytest.raises(PermissionDenied):
        round_text_set_status(text=text, status=EditorialStatus.APPROVED, by=colleague)
    round_text_set_status(text=text, status=EditorialStatus.APPROVED, by=reviewer)
    text.refresh_from_db()
    assert text.round_status == RoundStatus.APPROVED


def test_the_text_form_refuses_goedgekeurd_from_someone_who_is_not_the_reviewer():
    writer, reviewer = make_staff(), make_staff()
    edition = make_round(texts=1)
    text = _texts(edition)[0]
    round_assign(edition=edition, by=writer, changes={text.pk: {"author": writer, "reviewer": reviewer}})
    ty = text.track_year
    url = f"/admin/programmes/worktrackyear/{ty.pk}/change/"
    response = admin_submit(_client(writer), url, {"report_text": "<p>Af.</p>", "report_status": EditorialStatus.APPROVED})
    assert response.status_code == 200  # the form again, with the message
    assert "Alleen de nalezer van deze tekst of een eindredacteur kan goedkeuren." in response.content.decode()
    ty.refresh_from_db()
    assert ty.report_status == EditorialStatus.DRAFT
    response = admin_submit(_client(reviewer), url, {"report_text": "<p>Af.</p>", "report_status": EditorialStatus.APPROVED})
    assert response.status_code == 302
    ty.refresh_from_db()
    assert ty.report_status == EditorialStatus.APPROVED


def test_sending_back_a_text_needs_a_note_that_lands_in_its_thread():
    writer, reviewer = make_staff(), make_staff()
    edition = make_round(texts=1)
    text = _texts(edition)[0]
    round_assign(edition=edition, by=reviewer, changes={text.pk: {"author": writer, "reviewer": reviewer}})
    text.track_year.report_text, text.track_year.report_status = "<p>x</p>", EditorialStatus.REVIEW
    text.track_year.save()
    with pytest.raises(ValidationError):
        round_text_set_status(text=text, status=EditorialStatus.DRAFT, by=reviewer)
    round_text_set_status(text=text, status=EditorialStatus.DRAFT, by=reviewer, note="Graag een alinea over de steden.")
    assert text.comments.get().body == "Graag een alinea over de steden."


def test_comments_on_the_texts_form_are_added_and_resolved_through_the_inline():
    writer = make_staff()
    edition = make_round(texts=1)
    text = _texts(edition)[0]
    earlier = round_comment_add(text=text, by=writer, body="Eerste opmerking")
    url = f"/admin/programmes/worktrackyear/{text.track_year_id}/change/"
    staff = _client(writer)
    assert "Eerste opmerking" in staff.get(url).content.decode()
    response = admin_submit(staff, url, {"round_texts-0-new_comment": "Tweede opmerking", "round_texts-0-resolve": [str(earlier.pk)]})
    assert response.status_code == 302
    resolved = dict(RoundComment.objects.filter(text=text).values_list("body", "resolved_at"))
    assert resolved["Eerste opmerking"] is not None and resolved["Tweede opmerking"] is None
    assert RoundComment.objects.get(body="Tweede opmerking").author == writer


def test_a_redacteur_without_the_round_permission_is_refused_assignments():
    outsider = make_staff()
    outsider.groups.clear()
    edition = make_round(texts=1)
    with pytest.raises(PermissionDenied):
        round_assign(edition=edition, by=outsider, changes={_texts(edition)[0].pk: {"author": outsider}})


def test_texts_of_another_edition_cannot_be_assigned_through_this_one():
    chief = make_staff("Eindredacteur")
    this, other = make_round(year=2031, texts=1), make_round(year=2032, texts=1)
    with pytest.raises(ValidationError):
        round_assign(edition=this, by=chief, changes={_texts(other)[0].pk: {"author": chief}})


def test_publishing_the_edition_publishes_its_approved_texts_and_no_others(client):
    chief = make_staff("Eindredacteur")
    edition = make_round(texts=2)
    approved, draft = _texts(edition)
    approved.track_year.report_text, approved.track_year.report_status = "<p>Goedgekeurde tekst.</p>", EditorialStatus.APPROVED
    approved.track_year.save()
    draft.track_year.report_text = "<p>Nog een concepttekst.</p>"
    draft.track_year.save()
    edition_publish(edition=edition, by=chief, confirm_warnings=True)
    approved.track_year.refresh_from_db()
    draft.track_year.refresh_from_db()
    assert approved.track_year.report_status == EditorialStatus.PUBLISHED
    assert draft.track_year.report_status == EditorialStatus.DRAFT
    page = client.get(edition.get_absolute_url()).content.decode()
    assert "Goedgekeurde tekst." in page and "Nog een concepttekst." not in page
    assert approved.track_year.history.first().history_user == chief


def test_the_edition_form_shows_the_round_while_it_runs_and_links_to_it_once_the_edition_is_published():
    edition = make_round(texts=2)
    track_year = _texts(edition)[0].track_year
    client = _client(make_staff("Eindredacteur"))
    url = f"/admin/reports/edition/{edition.pk}/change/"
    running = client.get(url).content.decode()
    assert str(track_year.track) in running and "Auteurs en nalezers toewijzen" in running
    edition.status = EditorialStatus.PUBLISHED
    edition.save()
    closed = client.get(url).content.decode()
    assert "haar ronde is afgerond" in closed and f"/admin/reports/edition/{edition.pk}/ronde/" in closed
    assert "Auteurs en nalezers toewijzen" not in closed
