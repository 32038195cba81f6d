"""Reminder e-mails of the round: which mail, to whom, once, as one digest a day, never when switched off."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from programmes.models import EditorialStatus
from reports.models import Reminder, RoundText, SentMail
from reports.services import (
    reminder_preference_set, reminders_send, review_comment_add, review_link_create, round_assign, round_comment_add,
    round_text_set_status,
)
from tests.factories import make_round, make_staff

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _days(n):
    return _today() + datetime.timedelta(days=n)


def _round(author, reviewer, *, due_in, texts=1):
    chief = make_staff("Eindredacteur", email="")  # no address: never a recipient in these tests unless given one
    edition = make_round(texts=texts, texts_due=_days(due_in))
    tracks = list(RoundText.objects.filter(edition=edition, kind="track").select_related("track_year").order_by("id"))
    round_assign(edition=edition, by=chief, changes={t.pk: {"author": author, "reviewer": reviewer} for t in tracks})
    return edition, tracks


def _mail_to(outbox, user):
    return [m for m in outbox if m.to == [user.email]]


@pytest.mark.parametrize("due_in, words", [(7, "over 7 dagen"), (5, "over 5 dagen"), (1, "morgen binnen"), (0, "vandaag binnen"),
                                          (-1, "is te laat")])
def test_the_author_hears_a_week_before_the_day_before_and_after_the_due_date(mailoutbox, due_in, words):
    author, reviewer = make_staff(), make_staff()
    _round(author, reviewer, due_in=due_in)
    reminders_send()
    mails = _mail_to(mailoutbox, author)
    assert len(mails) == 1 and words in mails[0].body
    assert _mail_to(mailoutbox, reviewer) == []


def test_nothing_is_sent_further_than_a_week_ahead(mailoutbox):
    author = make_staff()
    _round(author, make_staff(), due_in=8)
    reminders_send()
    assert mailoutbox == []


def test_the_same_reminder_is_never_sent_twice(mailoutbox):
    author = make_staff()
    _round(author, make_staff(), due_in=3)
    reminders_send()
    SentMail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=1))  # as if yesterday
    reminders_send()
    assert len(_mail_to(mailoutbox, author)) == 1


def test_one_digest_per_person_per_day_holds_everything_for_them(mailoutbox):
    author = make_staff()
    _round(author, make_staff(), due_in=1, texts=3)
    reminders_send()
    mails = _mail_to(mailoutbox, author)
    assert len(mails) == 1 and mails[0].body.count("morgen binnen") == 3
    assert Reminder.objects.filter(user=author).count() == 3


def test_a_second_run_the_same_day_waits_until_tomorrow(mailoutbox):
    author, reviewer = make_staff(), make_staff()
    edition, (text,) = _round(author, reviewer, due_in=3)
    reminders_send()
    text.track_year.report_text = "<p>Klaar</p>"
    text.track_year.save()
    round_text_set_status(text=text, status=EditorialStatus.REVIEW, by=author)
    text.refresh_from_db()
    round_text_set_status(text=text, status=EditorialStatus.DRAFT, by=reviewer, note="Graag aanvullen.")
    reminders_send()
    assert len(_mail_to(mailoutbox, author)) == 1  # the request for changes waits for tomorrow's digest
    SentMail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=1))
    reminders_send()
    later = _mail_to(mailoutbox, author)
    assert len(later) == 2 and "vraagt de nalezer wijzigingen" in later[1].body


def test_a_remark_by_someone_else_reaches_the_author_and_the_reviewer_once_with_its_passage(mailoutbox):
    author, reviewer = make_staff(), make_staff()
    edition, (text,) = _round(author, reviewer, due_in=30)
    text.track_year.report_text = "<p>De steden deelden hun data.</p>"
    text.track_year.save()
    link, _token = review_link_create(edition=edition, name="Els Nalezer", email="els@example.org",
                                      by=make_staff("Eindredacteur"))
    review_comment_add(link=link, text_id=text.pk, body="Welke data?", approve=False, quote="deelden hun data")
    round_comment_add(text=text, body="Ik kijk het na.", by=reviewer)
    reminders_send()
    to_author, to_reviewer = _mail_to(mailoutbox, author), _mail_to(mailoutbox, reviewer)
    assert len(to_author) == 1 and len(to_reviewer) == 1
    assert "Nieuwe opmerking van Els Nalezer over «deelden hun data» bij" in to_author[0].body
    assert f"Nieuwe opmerking van {reviewer.get_full_name() or reviewer.get_username()}" in to_author[0].body
    assert "Els Nalezer" in to_reviewer[0].body and "Ik kijk het na." not in to_reviewer[0].body  # not one's own remark
    SentMail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=1))
    reminders_send()
    assert len(_mail_to(mailoutbox, author)) == 1  # never twice


@pytest.mark.parametrize("status", [EditorialStatus.APPROVED, EditorialStatus.PUBLISHED])
def test_no_deadline_reminder_for_finished_texts(mailoutbox, status):
    author, reviewer = make_staff(), make_staff()
    edition, (text,) = _round(author, reviewer, due_in=-2)
    text.track_year.report_text, text.track_year.report_status = "<p>Klaar</p>", status
    text.track_year.save()
    reminders_send()
    bodies = " ".join(m.body for m in _mail_to(mailoutbox, author))
    assert "te laat" not in bodies and "binnen" not in bodies


def test_the_reviewer_hears_when_a_text_is_ready_for_review(mailoutbox):
    author, reviewer = make_staff(), make_staff()
    edition, (text,) = _round(author, reviewer, due_in=30)
    text.track_year.report_text = "<p>Klaar</p>"
    text.track_year.save()
    round_text_set_status(text=text, status=EditorialStatus.REVIEW, by=author)
    reminders_send()
    mails = _mail_to(mailoutbox, reviewer)
    assert len(mails) == 1 and "klaar voor nalezing" in mails[0].body
    assert f"/admin/programmes/worktrackyear/{text.track_year_id}/change/" in mails[0].body


def test_the_author_hears_when_the_text_is_approved(mailoutbox):
    author, reviewer = make_staff(), make_staff()
    edition, (text,) = _round(author, reviewer, due_in=30)
    text.track_year.report_text, text.track_year.report_status = "<p>Klaar</p>", EditorialStatus.REVIEW
    text.track_year.save()
    round_text_set_status(text=text, status=EditorialStatus.APPROVED, by=reviewer)
    reminders_send()
    mails = _mail_to(mailoutbox, author)
    assert len(mails) == 1 and "is goedgekeurd" in mails[0].body


def test_late_texts_go_to_the_eindredacteurs_after_the_author_was_told(mailoutbox):
    author, chief = make_staff(), make_staff("Eindredacteur")
    edition, (text,) = _round(author, make_staff(), due_in=-5)
    reminders_send()
    assert len(_mail_to(mailoutbox, author)) == 1
    assert _mail_to(mailoutbox, chief) == []  # first the author
    reminders_send()
    escalations = _mail_to(mailoutbox, chief)
    assert len(escalations) == 1 and "is te laat" in escalations[0].body and author.first_name in escalations[0].body
    reminders_send()
    assert len(_mail_to(mailoutbox, chief)) == 1


def test_a_person_who_switched_reminders_off_gets_none(mailoutbox):
    author = make_staff()
    reminder_preference_set(user=author, send_reminders=False)
    _round(author, make_staff(), due_in=1)
    reminders_send()
    assert mailoutbox == []


def test_the_preference_page_switches_reminders_off(client):
    author = make_staff()
    client.force_login(author)
    assert client.get("/admin/reports/sentmail/mijn-herinneringen/").status_code == 200
    client.post("/admin/reports/sentmail/mijn-herinneringen/", {"send_reminders": "0"})
    _round(author, make_staff(), due_in=1)
    assert reminders_send() == []


def test_a_new_due_date_gives_new_reminders(mailoutbox):
    author = make_staff()
    edition, _texts = _round(author, make_staff(), due_in=1)
    reminders_send()
    edition.texts_due = _days(2)
    edition.save()
    SentMail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=1))
    reminders_send()
    assert len(_mail_to(mailoutbox, author)) == 2


def test_dry_run_prints_and_sends_or_records_nothing(mailoutbox, capsys):
    author = make_staff()
    _round(author, make_staff(), due_in=1)
    call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert "Zou sturen aan " + author.email in out and "morgen binnen" in out
    assert mailoutbox == [] and not SentMail.objects.exists() and not Reminder.objects.exists()


def test_the_log_of_sent_mail_is_for_eindredacteurs(client):
    author, chief = make_staff(), make_staff("Eindredacteur")
    _round(author, make_staff(), due_in=1)
    reminders_send()
    client.force_login(chief)
    log = client.get("/admin/reports/sentmail/")
    assert log.status_code == 200 and author.email in log.content.decode()
    client.force_login(author)
    assert client.get("/admin/reports/sentmail/").status_code == 403
