"""Small make_<model>(**overrides) helpers; each call makes a valid, unique object."""
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from programmes.models import (
    Budget, City, EditorialStatus, ExternalFunding, GroupYear, Link, Meeting, MeetingKind, Organisation, Result, Programme, WorkingGroup, WorkTrack, WorkTrackYear,
)
from reports.models import Edition, EditionEntry
from reports.services import edition_outline_from_texts, edition_round_sync

_seq = itertools.count(1)


def _n():
    return next(_seq)


def make_city(**kw):
    n = _n()
    kw.setdefault("name", f"Stad {n}")
    kw.setdefault("slug", f"stad-{n}")
    return City.objects.create(**kw)


def make_organisation(**kw):
    n = _n()
    kw.setdefault("name", f"Partner {n}")
    kw.setdefault("slug", f"partner-{n}")
    return Organisation.objects.create(**kw)


def make_programme(**kw):
    n = _n()
    kw.setdefault("name", f"Programma {n}")
    kw.setdefault("slug", f"programma-{n}")
    kw.setdefault("order", n)
    return Programme.objects.create(**kw)


def make_track(**kw):
    n = _n()
    kw.setdefault("title", f"Werkspoor {n}")
    kw.setdefault("slug", f"werkspoor-{n}")
    if "programme" not in kw:
        kw["programme"] = make_programme()
    return WorkTrack.objects.create(**kw)


# Numbers belong to an edition's outline; a test may give a track-year the number it has in the
# editions of its year, used by outline() below.
NUMBERS = {}


def make_track_year(**kw):
    number = kw.pop("number", "")
    if "track" not in kw:
        kw["track"] = make_track(**({"programme": kw["programme"]} if "programme" in kw else {}))
    kw.setdefault("programme", kw["track"].programme)
    kw.setdefault("year", 2024)
    kw.setdefault("plan_text", "<p>Wat we plannen.</p>")
    kw.setdefault("report_text", "<p>Wat we deden.</p>")
    kw.setdefault("plan_status", EditorialStatus.PUBLISHED)
    kw.setdefault("report_status", EditorialStatus.PUBLISHED)
    ty = WorkTrackYear.objects.create(**kw)
    if number:
        NUMBERS[ty.pk] = number
    return ty


def outline(*editions):
    """Give editions the default outline of their year's texts (as 'Inhoud opbouwen' does)."""
    for edition in editions:
        edition_outline_from_texts(edition=edition, numbers=NUMBERS)
    return editions[0] if len(editions) == 1 else editions


def make_result(**kw):
    """A result of a track-year; give `target`, `achieved` or both (default: achieved 12)."""
    if "track_year" not in kw:
        kw["track_year"] = make_track_year()
    kw.setdefault("label", f"fiches {_n()}")
    if "target" not in kw:
        kw.setdefault("achieved", "12")
    return Result.objects.create(**kw)


def make_funding(**kw):
    if "track" not in kw:
        kw["track"] = make_track()
    kw.setdefault("source", "Vlaamse subsidie")
    return ExternalFunding.objects.create(**kw)


def make_group(**kw):
    n = _n()
    kw.setdefault("name", f"Werkgroep {n}")
    kw.setdefault("slug", f"werkgroep-{n}")
    return WorkingGroup.objects.create(**kw)


def make_group_year(**kw):
    if "group" not in kw:
        kw["group"] = make_group()
    kw.setdefault("year", 2024)
    kw.setdefault("reported_meetings", 3)
    return GroupYear.objects.create(**kw)


def make_meeting_kind(**kw):
    n = _n()
    kw.setdefault("name", f"soort {n}")
    kw.setdefault("slug", f"soort-{n}")
    return MeetingKind.objects.create(**kw)


def kind_pk(slug: str) -> str:
    """The form value of a meeting kind, as the admin's select posts it."""
    return str(MeetingKind.objects.get(slug=slug).pk)


def make_meeting(**kw):
    """A held meeting; `kind` may be given as the slug of a kind ('workshop'), as the migration made them."""
    n = _n()
    kw.setdefault("title", f"Vergadering {n}")
    kw.setdefault("year", 2024)
    kw.setdefault("status", Meeting.Status.HELD)
    kind = kw.get("kind", "meeting")
    if isinstance(kind, str):
        kw["kind"] = MeetingKind.objects.get(slug=kind)
    return Meeting.objects.create(**kw)


def make_link(**kw):
    n = _n()
    kw.setdefault("title", f"het document {n}")
    kw.setdefault("url", f"https://example.org/doc-{n}")
    if not any(kw.get(k) for k in Link.OWNER_FIELDS):
        kw["programme"] = make_programme()
    return Link.objects.create(**kw)


def make_budget(**kw):
    kw.setdefault("year", 2024)
    kw.setdefault("total", "1000.00")
    return Budget.objects.create(**kw)


def make_edition(**kw):
    kw.setdefault("kind", Edition.Kind.REPORT)
    kw.setdefault("year", 2024)
    kw.setdefault("status", EditorialStatus.PUBLISHED)
    if kw["status"] == EditorialStatus.PUBLISHED:
        kw.setdefault("published_at", timezone.now())
    return Edition.objects.create(**kw)


def make_draft_edition(**kw):
    """A draft edition with what a complete one has besides its texts (a foreword and a colophon)."""
    kw.setdefault("foreword", "<p>Beste lezer.</p>")
    kw.setdefault("responsible_publisher", "Annik Bogaert")
    return make_edition(status=EditorialStatus.DRAFT, **kw)


def make_entry(**kw):
    """A line of an edition's outline (a chapter when no track_year is given)."""
    if "edition" not in kw:
        kw["edition"] = make_edition()
    if not any(kw.get(k) for k in ("title", "programme", "track_year")):
        kw["title"] = f"Hoofdstuk {_n()}"
    kw.setdefault("order", _n())
    return EditionEntry.objects.create(**kw)


def place(edition, *track_years, number=None):
    """Put the texts of these track-years in the edition's outline, each under a chapter for its programme."""
    chapters = {e.programme_id: e for e in edition.entries.filter(programme__isnull=False, parent__isnull=True)}
    entries = []
    for ty in track_years:
        chapter = chapters.get(ty.programme_id)
        if chapter is None:
            chapter = chapters[ty.programme_id] = make_entry(edition=edition, programme=ty.programme)
        entries.append(make_entry(edition=edition, parent=chapter, track_year=ty, number=number or ""))
    return entries


def make_staff(role="Redacteur", **kw):
    """A staff account with an editorial role ('Redacteur' or 'Eindredacteur'), with an e-mail address."""
    n = _n()
    kw.setdefault("username", f"medewerker{n}")
    kw.setdefault("email", f"medewerker{n}@example.org")
    kw.setdefault("first_name", f"Voornaam{n}")
    user = get_user_model().objects.create_user(password="x" * 20, is_staff=True, **kw)
    user.groups.add(Group.objects.get(name=role))
    return user


def make_round(*, year=2031, kind=Edition.Kind.REPORT, texts=3, **edition_kw):
    """An edition in preparation with `texts` track texts in its outline, synced into its round."""
    edition_kw.setdefault("status", EditorialStatus.DRAFT)
    edition = make_edition(kind=kind, year=year, **edition_kw)
    part = "plan" if kind == Edition.Kind.PLAN else "report"
    track_years = [
        make_track_year(year=year, **{f"{part}_text": "", f"{part}_status": EditorialStatus.DRAFT}) for _ in range(texts)
    ]
    place(edition, *track_years)
    edition_round_sync(edition=edition)
    return edition
