"""Which reminders of the round are due today, and for whom: reads only (sending is in services).

To the author: 7 days and 1 day before the text is due, and the day after; then, if still nothing
happened, to the Eindredacteurs. To the reviewer when a text becomes ready for review; to the author
when the reviewer asks for changes or approves. To the author and the reviewer when someone else
leaves a remark on the text (a colleague, or a reader through a review link). A reminder has a key that includes what it is about
(the text, the due date, the status change), so it is never sent twice, and a new due date gives new
reminders. Finished texts (approved, published) get none.

The command may run every hour: windows, not exact days, decide what is due, so a missed run
catches up, and the newest window wins (a first run the day before the due date sends "morgen",
not also "over een week").
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from programmes.models import EditorialStatus, WorkTrackYear, date_nl

from .models import AUTHOR_OPEN, FINISHED, Reminder, ReminderPreference, RoundComment, RoundStatus, RoundText, SentMail
from .round import editions_in_round, in_round

@dataclass(frozen=True)
class ReminderItem:
    """One line of a digest: what it is about and the key that keeps it from being sent twice."""

    key: str
    text: RoundText
    sentence: str


def _deadline_item(text: RoundText, today: datetime.date) -> ReminderItem | None:
    """The author's reminder the due date calls for today, if any (the newest window only)."""
    due = text.due
    if due is None:
        return None
    days = (due - today).days
    what = f"«{text.title}» voor {text.edition}"
    if 2 <= days <= 7:
        return ReminderItem(f"due7:{text.pk}:{due}", text, f"{what} moet binnen zijn op {date_nl(due)} (over {days} dagen).")
    if 0 <= days <= 1:
        when = "vandaag" if days == 0 else "morgen"
        return ReminderItem(f"due1:{text.pk}:{due}", text, f"{what} moet {when} binnen zijn ({date_nl(due)}).")
    if days < 0:
        return ReminderItem(f"late:{text.pk}:{due}", text, f"{what} is te laat: het moest binnen zijn op {date_nl(due)}.")
    return None


def _escalation_item(text: RoundText, today: datetime.date) -> ReminderItem | None:
    due = text.due
    if due is None or (today - due).days < settings.ROUND_ESCALATE_AFTER_DAYS:
        return None
    who = text.author.get_full_name() or text.author.get_username()
    return ReminderItem(
        f"escalate:{text.pk}:{due}", text,
        f"«{text.title}» voor {text.edition} is te laat (deadline {date_nl(due)}); auteur: {who}. De auteur kreeg daarover al een herinnering.",
    )


def _status_changes(texts: list[RoundText], since: datetime.datetime) -> dict:
    """{text_id: (new status, history row id, who)} of the latest status change of each text since `since`.

    Read from the history, so a change made anywhere (the form, an action, the round page) counts.
    """
    track_texts = {(t.track_year_id, t.edition.text_part): t for t in texts if t.kind == RoundText.Kind.TRACK}
    own_texts = {t.pk: t for t in texts if t.kind != RoundText.Kind.TRACK}
    changes = {}

    def walk(rows, status_of, text_of):
        previous = {}
        for row in rows:
            for key, text in text_of(row):
                status = status_of(row, key)
                if key in previous and previous[key] != status and row.history_date >= since:
                    changes[text.pk] = (status, row.history_id, row.history_user_id)
                previous[key] = status

    track_history = (
        WorkTrackYear.history.model.objects.filter(id__in={pk for pk, _part in track_texts})
        .order_by("history_date", "history_id").only("id", "plan_status", "report_status", "history_date", "history_user_id")
    )
    walk(
        track_history,
        lambda row, key: getattr(row, f"{key[1]}_status"),
        lambda row: [((row.id, part), track_texts[(row.id, part)]) for part in ("plan", "report") if (row.id, part) in track_texts],
    )
    own_history = (
        RoundText.history.model.objects.filter(id__in=list(own_texts))
        .order_by("history_date", "history_id").only("id", "status", "history_date", "history_user_id")
    )
    walk(own_history, lambda row, key: row.status, lambda row: [(row.id, own_texts[row.id])])
    return changes


def _event_items(text: RoundText, change) -> list[tuple[int, ReminderItem]]:
    """(recipient id, item) for the status change of a text, when it still holds."""
    if change is None:
        return []
    status, history_id, who = change
    current = text.round_status
    what = f"«{text.title}» voor {text.edition}"
    items = []
    if status == EditorialStatus.REVIEW and current == RoundStatus.REVIEW and text.reviewer_id and who != text.reviewer_id:
        due = f" Graag nagelezen tegen {date_nl(text.edition.review_due)}." if text.edition.review_due else ""
        items.append((text.reviewer_id, ReminderItem(f"review:{text.pk}:{history_id}", text, f"{what} is klaar voor nalezing.{due}")))
    if status == EditorialStatus.DRAFT and current in AUTHOR_OPEN and text.author_id and who != text.author_id:
        items.append((text.author_id, ReminderItem(
            f"changes:{text.pk}:{history_id}", text, f"Voor {what} vraagt de nalezer wijzigingen: zie de opmerkingen.",
        )))
    if status == EditorialStatus.APPROVED and current in FINISHED and text.author_id and who != text.author_id:
        items.append((text.author_id, ReminderItem(f"approved:{text.pk}:{history_id}", text, f"{what} is goedgekeurd.")))
    return items


def _comment_items(texts: list[RoundText], since: datetime.datetime) -> list[tuple[int, ReminderItem]]:
    """(recipient id, item) for each remark of the last days: to the text's author and reviewer, not to
    whoever wrote it. One query for all texts."""
    by_id = {text.pk: text for text in texts}
    comments = RoundComment.objects.filter(text__in=list(by_id), created_at__gte=since).order_by("created_at", "pk")
    items = []
    for comment in comments:
        text = by_id[comment.text_id]
        what = f"«{text.title}» voor {text.edition}"
        about = f" over «{comment.quote}»" if comment.quote else ""
        if comment.is_approval and not comment.body:
            sentence = f"{comment.author_name} gaf akkoord voor {what}."
        else:
            sentence = f"Nieuwe opmerking van {comment.author_name}{about} bij {what}."
        item = ReminderItem(f"comment:{comment.pk}", text, sentence)
        for user_id in {text.author_id, text.reviewer_id} - {None, comment.author_id}:
            items.append((user_id, item))
    return items


def reminders_due(*, today: datetime.date | None = None) -> dict:
    """{user: [ReminderItem]} of what each person should be told today and was not told yet.

    People who switched reminders off, inactive accounts and accounts without an e-mail address
    get nothing; each person at most one mail a day (whoever got one today waits until tomorrow).
    """
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=settings.ROUND_EVENT_DAYS)
    texts = list(
        in_round(RoundText.objects.filter(edition__in=editions_in_round()))
        .select_related("edition", "track_year__track", "section", "author", "reviewer")
    )
    changes = _status_changes(texts, since)
    eindredacteurs = list(
        get_user_model().objects.filter(is_active=True).exclude(email="")
        .filter(Q(is_superuser=True) | Q(groups__permissions__codename="publish_edition")).distinct()
    )
    wanted = defaultdict(list)
    late = []
    for text in texts:
        status = text.round_status
        if status in AUTHOR_OPEN and text.author_id:
            item = _deadline_item(text, today)
            if item:
                wanted[text.author_id].append(item)
                if item.key.startswith("late:"):
                    late.append((text, item))
        for user_id, item in _event_items(text, changes.get(text.pk)):
            wanted[user_id].append(item)
    for user_id, item in _comment_items(texts, since):
        wanted[user_id].append(item)
    # Then the Eindredacteurs: only once the author was told the text is late, and nothing came of it.
    told = set(Reminder.objects.filter(key__in=[item.key for _text, item in late]).values_list("user_id", "key"))
    for text, item in late:
        escalation = _escalation_item(text, today) if (text.author_id, item.key) in told else None
        if escalation:
            for user in eindredacteurs:
                wanted[user.pk].append(escalation)
    if not wanted:
        return {}
    users = {
        user.pk: user for user in get_user_model().objects.filter(pk__in=list(wanted), is_active=True).exclude(email="")
    }
    switched_off = set(ReminderPreference.objects.filter(send_reminders=False).values_list("user_id", flat=True))
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    mailed_today = set(SentMail.objects.filter(sent_at__gte=start_of_day).values_list("recipient_id", flat=True))
    sent = set(Reminder.objects.filter(user_id__in=list(users)).values_list("user_id", "key"))
    due = {}
    for user_id, items in wanted.items():
        user = users.get(user_id)
        if user is None or user_id in switched_off or user_id in mailed_today:
            continue
        fresh, seen = [], set()
        for item in items:
            if (user_id, item.key) not in sent and item.key not in seen:
                seen.add(item.key)
                fresh.append(item)
        if fresh:
            due[user] = fresh
    return due
