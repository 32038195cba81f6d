"""Loading the demo content from the YAML files in demo/ (see docs/demo-data.md).

Every record is matched on its natural key and only written when something differs,
so loading twice changes nothing.
"""
import datetime
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from programmes.models import (
    Budget, BudgetLine, City, CommunicationFigure, EditorialStatus, ExternalFunding, FundingSource, GoverningBody, GroupYear,
    Link, Meeting, MeetingKind, Organisation, Result, Person, Position, Programme, ProgrammePeriod, ProgrammeYear, WorkingGroup, WorkTrack, WorkTrackYear,
)
from programmes.richtext import plain_to_html
from reports.assembly import edition_render_snapshot
from reports.services import edition_outline_from_texts
from reports.demo_round import load_demo_round
from reports.models import Edition, EditionEntry, EditionSection, PhotoCredit, SectionLink

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
TEXT_FIELDS = {"text", "plan_text", "report_text", "purpose", "summary", "description", "foreword", "body", "copyright_note", "note"}


class DemoDataError(Exception):
    pass


class Stats:
    def __init__(self):
        self.created = 0
        self.updated = 0

    def __str__(self):
        return f"{self.created} aangemaakt, {self.updated} bijgewerkt"


def _text(key, value):
    if key in TEXT_FIELDS and isinstance(value, str):
        return plain_to_html(value)
    return "" if value is None and key not in {"start_year", "end_year", "new_date", "as_of", "planned", "actual", "month", "day"} else value


def _upsert(stats, model, lookup, values):
    """update_or_create that writes only when a value differs, so a second load is a no-op."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        stats.created += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.full_clean()
        obj.save()
        stats.updated += 1
    return obj


def _set_m2m(stats, manager, objs):
    wanted = {o.pk for o in objs}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(objs)
        stats.updated += 1


def _by_slug(model, slugs, what):
    objs = list(model.objects.filter(slug__in=slugs or []))
    missing = set(slugs or []) - {o.slug for o in objs}
    if missing:
        raise DemoDataError(f"Onbekende {what}: {', '.join(sorted(missing))}")
    return objs


def _get(model, slug, what):
    if not slug:
        return None
    try:
        return model.objects.get(slug=slug)
    except model.DoesNotExist:
        raise DemoDataError(f"Onbekende {what}: {slug}") from None


def _fields(entry, names):
    return {n: _text(n, entry.get(n)) for n in names if n in entry}


def read_documents(only=None):
    files = sorted(DEMO_DIR.glob("*.yaml"))
    if not files:
        raise DemoDataError(f"Geen demobestanden gevonden in {DEMO_DIR}")
    docs = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise DemoDataError(f"{path.name}: verwacht een mapping bovenaan")
        docs.append((path.name, data, only is None or path.name in only or path.name.startswith("00-")))
    return docs


def _merged(datas, key):
    """Entries with the same slug merged across files: later scalar values win, lists are unioned.

    Merging first and writing once keeps a second load a no-op even when two files describe
    the same track or group.
    """
    merged = {}
    for data in datas:
        for entry in data.get(key) or []:
            current = merged.setdefault(entry["slug"], {})
            for field, value in entry.items():
                if isinstance(value, list):
                    seen = {repr(v) for v in current.get(field) or []}
                    current[field] = (current.get(field) or []) + [v for v in value if repr(v) not in seen]
                elif value is not None:
                    current[field] = value
    return merged


@transaction.atomic
def load_demo(only=None) -> Stats:
    stats = Stats()
    docs = read_documents(only)
    selected = [data for _name, data, sel in docs if sel]

    # Reference data (and track definitions, below) come from every file, so --only still resolves slugs.
    for _name, data, _sel in docs:
        for e in data.get("periods") or []:
            _upsert(stats, ProgrammePeriod, {"slug": e["slug"]}, _fields(e, ["name", "start_year", "end_year", "description"]))
        for e in data.get("cities") or []:
            _upsert(stats, City, {"slug": e["slug"]}, _fields(e, ["name", "kind", "province"]))
        for e in data.get("organisations") or []:
            _upsert(stats, Organisation, {"slug": e["slug"]}, _fields(e, ["name", "short_name", "kind", "website"]))
        for e in data.get("programmes") or []:
            p = _upsert(stats, Programme, {"slug": e["slug"]}, _fields(e, ["name", "short_name", "order", "description"]))
            if "periods" in e:
                _set_m2m(stats, p.periods, _by_slug(ProgrammePeriod, e["periods"], "programmaperiode"))
        for e in data.get("bodies") or []:
            _upsert(stats, GoverningBody, {"slug": e["slug"]}, _fields(e, ["name", "description", "order"]))
        for e in data.get("meeting_kinds") or []:
            _upsert(stats, MeetingKind, {"slug": e["slug"]}, _fields(e, ["name", "order", "is_group_meeting"]))

    _load_tracks(stats, _merged([data for _name, data, _sel in docs], "tracks"))
    _load_groups(stats, list(_merged(selected, "groups").values()))
    placements = {}
    for data in selected:
        _load_track_years(stats, data.get("track_years") or [], placements)
        for e in data.get("programme_years") or []:
            _upsert(
                stats, ProgrammeYear, {"programme": _get(Programme, e["programme"], "programma"), "year": e["year"]},
                {"plan_intro": plain_to_html(e.get("plan_intro") or ""), "report_intro": plain_to_html(e.get("report_intro") or "")},
            )
        _load_meetings(stats, data.get("meetings") or [])
        _load_budgets(stats, data.get("budgets") or [])
        for e in data.get("positions") or []:
            person = _upsert(stats, Person, {"name": e["person"]}, {})
            body = _get(GoverningBody, e["body"], "orgaan")
            _upsert(stats, Position, {"person": person, "body": body, "year": e["year"], "role": e["role"]}, {"order": e.get("order", 0)})
        for e in data.get("communication_figures") or []:
            _upsert(
                stats, CommunicationFigure,
                {"year": e["year"], "channel": e.get("channel", ""), "label": e["label"]},
                {"value": e["value"], "as_of": _date(e.get("as_of")), "order": e.get("order", 0)},
            )
        _load_editions(stats, data.get("editions") or [])
    _build_outlines(stats, placements)
    _freeze_published(stats)
    if only is None:
        load_demo_round(stats)
    return stats


def _build_outlines(stats, placements):
    """An edition without an outline gets one from the track texts of its year (numbered as in the
    YAML), and that year's staff and figures (in the jaarplan of the year, where the sources print
    them, else in the jaarverslag)."""
    numbers = {pk: p["number"] for pk, p in placements.items()}
    for edition in Edition.objects.filter(entries__isnull=True):
        stats.created += edition_outline_from_texts(edition=edition, numbers=numbers)
    for edition in Edition.objects.filter(positions__isnull=True, figures__isnull=True).order_by("year", "kind"):
        if Edition.objects.filter(year=edition.year, kind__lt=edition.kind).exists():
            continue  # the jaarplan of that year holds them
        edition.positions.add(*Position.objects.filter(year=edition.year))
        edition.figures.add(*CommunicationFigure.objects.filter(year=edition.year))


def _freeze_published(stats):
    """Published demo editions are frozen like any published edition, once all data is in; when a load
    changed something, their frozen copies are rendered again so they show the data as loaded."""
    changed = bool(stats.created or stats.updated)
    for edition in Edition.objects.filter(status=EditorialStatus.PUBLISHED):
        if edition.snapshot_html and not changed:
            continue
        html = edition_render_snapshot(edition=edition)
        if html != edition.snapshot_html:
            edition.snapshot_html = html
            edition.save(update_fields=["snapshot_html"])
            stats.updated += 1


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _load_tracks(stats, merged):
    done = set()

    def create(slug, trail=()):
        if slug in done:
            return
        if slug in trail:
            raise DemoDataError(f"Kringverwijzing in werksporen: {slug}")
        if slug not in merged:
            if WorkTrack.objects.filter(slug=slug).exists():
                done.add(slug)
                return
            raise DemoDataError(f"Onbekend werkspoor: {slug}")
        e = merged[slug]
        if e.get("parent"):
            create(e["parent"], trail + (slug,))
        existing = WorkTrack.objects.filter(slug=slug).first()
        if existing is None and not (e.get("title") and e.get("programme")):
            raise DemoDataError(f"Werkspoor {slug} heeft een titel en een programma nodig")
        values = _fields(e, ["title", "kind", "summary", "start_year", "end_year", "is_public"])
        if e.get("programme"):
            values["programme"] = _get(Programme, e["programme"], "programma")
        if "parent" in e:
            values["parent"] = WorkTrack.objects.get(slug=e["parent"]) if e["parent"] else None
        track = _upsert(stats, WorkTrack, {"slug": slug}, values)
        for field, model, what in (("lead_cities", City, "stad"), ("cities", City, "stad"), ("partners", Organisation, "partner")):
            if field in e:
                _set_m2m(stats, getattr(track, field), _by_slug(model, e[field], what))
        for index, f in enumerate(e.get("fundings") or []):
            _upsert(
                stats, ExternalFunding,
                {"track": track, "organisation": _get(Organisation, f.get("organisation"), "partner"), "source": f.get("source") or ""},
                {"amount": _money(f.get("amount")), "start_year": f.get("start_year"), "end_year": f.get("end_year"),
                 "note": f.get("note") or "", "order": index},
            )
        done.add(slug)

    for slug in merged:
        create(slug)


def _status_for(entry, text_key, status_key):
    if status_key in entry:
        return entry[status_key]
    return EditorialStatus.PUBLISHED if entry.get(text_key) else EditorialStatus.DRAFT


def _load_links(stats, owner_field, owner, links, model=Link):
    for index, link in enumerate(links or []):
        _upsert(
            stats, model, {owner_field: owner, "title": link["title"]},
            {"url": link.get("url") or "", "kind": link.get("kind", Link.Kind.DOCUMENT), "order": index,
             "is_public": link.get("is_public", True), **({"part": link.get("part") or ""} if model is Link else {})},
        )


def _load_track_years(stats, entries, placements):
    """Texts per track and year; their number and order in the editions are kept in `placements`."""
    for e in entries:
        track = _get(WorkTrack, e["track"], "werkspoor")
        programme = _get(Programme, e["programme"], "programma") if e.get("programme") else track.programme
        values = _fields(e, ["title", "plan_text", "report_text"])
        values["programme"] = programme
        values["plan_status"] = _status_for(e, "plan_text", "plan_status")
        values["report_status"] = _status_for(e, "report_text", "report_status")
        ty = _upsert(stats, WorkTrackYear, {"track": track, "year": e["year"]}, values)
        placements[ty.pk] = {"number": str(e.get("number") or ""), "order": e.get("order", 0)}
        _load_links(stats, "track_year", ty, e.get("links"))
        for index, r in enumerate(e.get("results") or []):
            _upsert(stats, Result, {"track_year": ty, "label": r["label"]}, {
                "unit": r.get("unit") or "", "target": _money(r.get("target")), "achieved": _money(r.get("achieved")),
                "date": _date(r.get("date")), "note": r.get("note") or "", "is_key_figure": bool(r.get("key_figure")),
                "order": index,
            })


def _load_groups(stats, entries):
    for e in entries:
        values = _fields(e, ["name", "kind", "purpose", "frequency", "start_year", "end_year", "is_public"])
        if "programme" in e:
            values["programme"] = _get(Programme, e["programme"], "programma")
        if "lead_city" in e:
            values["lead_city"] = _get(City, e["lead_city"], "stad")
        group = _upsert(stats, WorkingGroup, {"slug": e["slug"]}, values)
        if "tracks" in e:
            _set_m2m(stats, group.tracks, _by_slug(WorkTrack, e["tracks"], "werkspoor"))
        if "cities" in e:
            _set_m2m(stats, group.cities, _by_slug(City, e["cities"], "stad"))
        if "partners" in e:
            _set_m2m(stats, group.partners, _by_slug(Organisation, e["partners"], "partner"))
        for y in e.get("years") or []:
            _upsert(stats, GroupYear, {"group": group, "year": y["year"]}, {
                "reported_meetings": y.get("reported_meetings"), "frequency": y.get("frequency") or "",
                "meetings_complete": bool(y.get("meetings_complete")), "note": y.get("note") or "",
            })
        _load_links(stats, "group", group, e.get("links"))


def _load_meetings(stats, entries):
    for e in entries:
        lookup = {"title": e["title"], "year": e["year"], "month": e.get("month"), "day": e.get("day")}
        values = _fields(e, ["period", "status", "place", "description", "is_public", "in_report"])
        values["kind"] = _get(MeetingKind, e.get("kind") or "meeting", "soort activiteit")
        values["end_month"], values["end_day"] = e.get("end_month"), e.get("end_day")
        values["period"] = e.get("period") or ""
        values["new_date"] = _date(e.get("new_date"))
        values["group"] = _get(WorkingGroup, e.get("group"), "werkgroep")
        values["track"] = _get(WorkTrack, e.get("track"), "werkspoor")
        values["host_city"] = _get(City, e.get("host_city"), "stad")
        meeting = _upsert(stats, Meeting, lookup, values)
        _load_links(stats, "meeting", meeting, e.get("links"))
    # A postponed activity points at the one on its new date, which may come later in the file.
    for e in entries:
        if moved := e.get("rescheduled_as"):
            meeting = Meeting.objects.get(title=e["title"], year=e["year"], month=e.get("month"), day=e.get("day"))
            target = {"title": moved.get("title", e["title"]), "year": moved["year"], "month": moved.get("month"), "day": moved.get("day")}
            found = _get_meeting(target)
            if meeting.rescheduled_as_id != found.pk:  # loading twice changes nothing
                meeting.rescheduled_as = found
                meeting.full_clean()
                meeting.save(update_fields=["rescheduled_as"])
                stats.updated += 1


def _get_meeting(lookup):
    try:
        return Meeting.objects.get(**lookup)
    except Meeting.DoesNotExist:
        raise DemoDataError(f"Onbekende activiteit bij 'rescheduled_as': {lookup}") from None


def _money(value):
    return None if value in (None, "") else Decimal(str(value))


def _load_budgets(stats, entries):
    for e in entries:
        budget = _upsert(
            stats, Budget, {"year": e["year"]},
            {"total": _money(e["total"]), "note": _text("note", e.get("note") or "")},
        )
        _load_links(stats, "budget", budget, e.get("links"))
        for index, line in enumerate(e.get("lines") or []):
            _upsert(
                stats, BudgetLine, {"budget": budget, "label": line["label"]},
                {"programme": _get(Programme, line.get("programme"), "programma"), "planned": _money(line.get("planned")),
                 "actual": _money(line.get("actual")), "order": index},
            )
        for source in e.get("funding_sources") or []:
            _upsert(stats, FundingSource, {"budget": budget, "kind": source["kind"], "label": source.get("label") or ""},
                    {"amount": _money(source["amount"])})


def _load_editions(stats, entries):
    for e in entries:
        edition = Edition.objects.filter(kind=e["kind"], year=e["year"]).first()
        values = _fields(e, [
            "subtitle", "status", "foreword_title", "foreword", "foreword_signatory", "foreword_signatory_role", "budget_title",
            "editorial_credit", "design_credit", "responsible_publisher", "publisher_address", "copyright_note",
            "show_participants", "show_earlier_years", "show_plan_to_report",
        ])
        # A publication date only when the source gives one: never the day the demo was loaded.
        if e.get("published_at"):
            values["published_at"] = timezone.make_aware(datetime.datetime.combine(_date(e["published_at"]), datetime.time(12)))
        edition = _upsert(stats, Edition, {"kind": e["kind"], "year": e["year"]}, values)
        for index, s in enumerate(e.get("sections") or []):
            section = _upsert(
                stats, EditionSection, {"edition": edition, "slug": s["slug"]},
                {"title": s["title"], "placement": s.get("placement", "profile"), "body": _text("body", s.get("body") or ""),
                 "order": s.get("order", index)},
            )
            _load_links(stats, "section", section, s.get("links"), model=SectionLink)
        for index, c in enumerate(e.get("photo_credits") or []):
            _upsert(stats, PhotoCredit, {"edition": edition, "placement": c["placement"]}, {"credit": c["credit"], "order": index})
        if "outline" in e:
            _load_outline(stats, edition, e["outline"] or [])


def _load_outline(stats, edition, items):
    """The edition's own outline as the YAML lists it: chapters and track texts, nested by `children`.

    Entries are matched on their natural key (a track text once per edition; a chapter by its parent
    and its programme or title), written only when something differs; entries the YAML no longer
    lists are removed, so loading twice changes nothing.
    """
    kept = set()
    known = {"track", "programme", "title", "number", "text", "children", "show_activities"}

    def place(items, parent):
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict) or set(item) - known:
                raise DemoDataError(f"{edition}: onbekend veld in de inhoud: {item}")
            values = {
                "parent": parent, "order": index * 10, "number": str(item.get("number") or ""),
                "title": item.get("title") or "", "text": _text("text", item.get("text") or ""),
                "show_activities": item.get("show_activities", True),
            }
            if item.get("track"):
                track = _get(WorkTrack, item["track"], "werkspoor")
                track_year = WorkTrackYear.objects.filter(track=track, year=edition.year).first()
                if track_year is None:
                    raise DemoDataError(f"{edition}: geen tekst van {item['track']} voor {edition.year}")
                lookup = {"edition": edition, "track_year": track_year}
            elif item.get("programme"):
                lookup = {"edition": edition, "parent": parent, "programme": _get(Programme, item["programme"], "programma"),
                          "track_year": None}
            elif item.get("title"):
                lookup = {"edition": edition, "parent": parent, "programme": None, "track_year": None, "title": item["title"]}
            else:
                raise DemoDataError(f"{edition}: een onderdeel van de inhoud heeft een werkspoor, programma of titel nodig")
            values = {k: v for k, v in values.items() if k not in lookup}
            if lookup in seen:
                raise DemoDataError(f"{edition}: dubbel onderdeel in de inhoud: {item}")
            seen.append(lookup)
            entry = _upsert(stats, EditionEntry, lookup, values)
            kept.add(entry.pk)
            place(item.get("children") or [], entry)

    seen = []
    place(items, None)
    stale = edition.entries.exclude(pk__in=kept)
    if stale.exists():
        stats.updated += stale.count()
        stale.delete()
