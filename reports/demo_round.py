"""The demo's yearly round: the edition after the newest one, in preparation, so `make demo` shows
the round at work (authors and reviewers, deadlines relative to today, drafts, comments, a late text
and a reviewer's remark through a review link).

The accounts are fictional demo colleagues (e-mail at example.org, no password: nobody can log in
with them). The draft texts say only that they are drafts; no fact about the year is invented.
Loaded once: when the edition in preparation exists, nothing is touched again.
"""
import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from programmes.models import EditorialStatus

from .models import Edition, RoundText
from .services import (
    edition_prepare_next_year, edition_round_sync, review_comment_add, review_link_create, round_assign,
    round_comment_add,
)

# (username, first name, last name, role): fictional colleagues for the demo only.
DEMO_COLLEAGUES = [
    ("demo-eindredactie", "Eva", "Eindredactie", "Eindredacteur"),
    ("demo-redacteur-a", "Arne", "Auteur", "Redacteur"),
    ("demo-redacteur-b", "Bo", "Beleidsmedewerker", "Redacteur"),
    ("demo-redacteur-c", "Cas", "Collega", "Redacteur"),
]
DRAFT_TEXT = (
    "<p>Eerste versie, nog aan te vullen: wat dit werkspoor dit jaar deed, met de activiteiten uit de kalender "
    "en de resultaten.</p>"
)


def demo_colleagues() -> dict:
    """The demo accounts by username, made when missing (without a usable password)."""
    User = get_user_model()
    accounts = {}
    for username, first, last, role in DEMO_COLLEAGUES:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, email=f"{username}@example.org", is_staff=True)
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
        accounts[username] = user
    return accounts


def load_demo_round(stats) -> Edition | None:
    """The edition after the newest published jaarverslag, prepared as an editor would, with a round under way."""
    source = Edition.objects.filter(kind=Edition.Kind.REPORT, status=EditorialStatus.PUBLISHED).order_by("-year").first()
    if source is None or Edition.objects.filter(kind=source.kind, year=source.year + 1).exists():
        return None
    with transaction.atomic():
        people = demo_colleagues()
        chief = people["demo-eindredactie"]
        writers = [people["demo-redacteur-a"], people["demo-redacteur-b"], people["demo-redacteur-c"]]
        # Last year's round had authors too: "Volgend jaar voorbereiden" carries them over.
        edition_round_sync(edition=source)
        source_texts = list(RoundText.objects.filter(edition=source).select_related("track_year__programme").order_by("id"))
        programmes = sorted({t.track_year.programme.order for t in source_texts if t.track_year_id})
        changes = {}
        for text in source_texts:
            if text.kind == RoundText.Kind.TRACK:
                index = programmes.index(text.track_year.programme.order)
                changes[text.pk] = {"author": writers[index % 3], "reviewer": writers[(index + 1) % 3]}
            else:
                changes[text.pk] = {"author": chief, "reviewer": writers[0]}
        round_assign(edition=source, changes=changes, by=chief)

        edition, _created = edition_prepare_next_year(edition=source, by=chief)
        today = timezone.localdate()
        edition.texts_due = today + datetime.timedelta(days=10)
        edition.review_due = today + datetime.timedelta(days=24)
        edition.planned_publication = today + datetime.timedelta(days=45)
        edition.full_clean()
        edition.save()

        texts = list(RoundText.objects.filter(edition=edition, kind=RoundText.Kind.TRACK).select_related("track_year").order_by("id"))
        drafts, ready, late = texts[:3], texts[3:4], texts[4:5]
        for text in drafts + ready + late:
            text.track_year.report_text = DRAFT_TEXT
            text.track_year.save(update_fields=["report_text"])
        for text in ready:
            text.track_year.report_status = EditorialStatus.REVIEW
            text.track_year.save(update_fields=["report_status"])
        for text in late:
            text.due_date = today - datetime.timedelta(days=3)
            text.save(update_fields=["due_date"])
        if drafts:
            round_comment_add(
                text=drafts[0], by=chief,
                body="Kun je de activiteiten van het najaar nog toevoegen? De kalender is intussen bijgewerkt.",
            )
        if late:
            round_comment_add(text=late[0], by=chief, body="Deze tekst is over de deadline; lukt het deze week nog?")
        link, _token = review_link_create(
            edition=edition, name="Demo-nalezer", email="nalezer@example.org", organisation="dagelijks bestuur",
            texts=ready, by=chief,
        )
        for text in ready:
            review_comment_add(
                link=link, text_id=text.pk, approve=False,
                body="Helder. Misschien in de eerste alinea zeggen welke steden meededen?",
            )
        stats.created += 1
        return edition

