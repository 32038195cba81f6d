"""What of the programmes app can be searched: one declaration per kind, with how its result reads.

Each kind names the fields a search matches (title A, summary B, text C), the names of what it
belongs to, its filter paths and what its visibility reads; the index derives from these which
changes reindex which items (see declarations.Kind). The reports app declares its own kinds in
reports/search.py.
"""
from django.db.models import Q
from django.urls import reverse

from ..models import City, Link, Meeting, Organisation, Programme, WorkingGroup, WorkTrack, WorkTrackYear
from ..visibility import can_see_unpublished
from .declarations import Kind, Page, Related, Result, Section, Years, registry


def _cities(audience):
    return City.objects.all()


def _programmes(audience):
    return Programme.objects.all()


def _partners(audience):
    return Organisation.objects.all()


def _tracks(audience):
    return WorkTrack.objects.visible_to(audience)


def _track_years(audience):
    return WorkTrackYear.objects.visible_to(audience)


def _groups(audience):
    return WorkingGroup.objects.visible_to(audience)


def _meetings(audience):
    return Meeting.objects.visible_to(audience)


def _plan_texts(audience):
    return WorkTrackYear.objects.part_visible_to(audience, "plan")


def _report_texts(audience):
    return WorkTrackYear.objects.part_visible_to(audience, "report")


def _links(audience):
    links = Link.objects.visible_to(audience)
    return links if can_see_unpublished(audience) else links.with_address()


def _visible_partners(audience):
    """Partners of a track or group this audience may see."""
    return Organisation.objects.filter(
        Q(pk__in=WorkTrack.objects.visible_to(audience).values("partners"))
        | Q(pk__in=WorkingGroup.objects.visible_to(audience).values("partners"))
    )


# ---------------------------------------------------------------- result lines


def _programme_result(programme) -> Result:
    return Result(programme.name, programme.get_absolute_url(), "Programma" + (f" · {programme.short_name}" if programme.short_name else ""))


def _city_result(city) -> Result:
    return Result(city.name, city.get_absolute_url(), city.get_kind_display().capitalize())


def _track_result(track) -> Result:
    return Result(track.title, track.get_absolute_url(), f"{track.get_kind_display().capitalize()} · {track.programme.name}")


def _text_result(edition: str):
    def present(track_year) -> Result:
        return Result(track_year.display_title, track_year.get_absolute_url(), f"{edition} {track_year.year} · {track_year.programme.name}")

    return present


def _group_result(group) -> Result:
    meta = group.get_kind_display().capitalize() + (f" · {group.programme.name}" if group.programme else "")
    return Result(group.name, group.get_absolute_url(), meta)


def _meeting_result(meeting) -> Result:
    owner = meeting.group or meeting.track
    return Result(meeting.title, meeting.get_absolute_url(), meeting.date_display + (f" · {owner}" if owner else "") + f" · {meeting.kind.name}")


def _link_result(link) -> Result:
    owner_name = getattr(link.owner, "display_title", None) or str(link.owner or "")
    return Result(link.title, link.href, f"{link.get_kind_display().capitalize()} · bij {owner_name}",
                  external=True, placeholder=not link.href)


def _partner_result(partner) -> Result:
    url = reverse("programmes:worktrack-list") + f"?partner={partner.slug}"
    return Result(str(partner), url, f"Partner · {partner.get_kind_display()} · de werksporen met deze partner")


# ---------------------------------------------------------------- kinds

PROGRAMME = Related("programme", _programmes, ("name", "short_name"))
CITIES, LEAD_CITIES = Related("cities", _cities, ("name",)), Related("lead_cities", _cities, ("name",))
PARTNERS = Related("partners", _partners, ("name", "short_name"))

PROGRAMMES, CITY_SECTION = Section("programmes", "Programma's", 10), Section("cities", "Steden", 20)
TRACKS, TEXTS = Section("tracks", "Werksporen", 30), Section("texts", "In jaarplannen en jaarverslagen", 40)
GROUPS, MEETINGS = Section("groups", "Werkgroepen", 60), Section("meetings", "Activiteiten", 70)
LINKS, PARTNER_SECTION = Section("links", "Documenten en links", 80), Section("partners", "Partners", 90)


def _text_kind(key: str, field: str, edition: str) -> Kind:
    """The plan or the report text of a track's year: one kind each, sharing a section."""
    return Kind(
        key, WorkTrackYear, TEXTS, _plan_texts if key == "plan" else _report_texts, _text_result(edition),
        title=("title",), text=(field,),
        related=(Related("track", _tracks, ("title",)), PROGRAMME,
                 Related("track__cities", _cities, ("name",)), Related("track__lead_cities", _cities, ("name",)),
                 Related("track__partners", _partners, ("name", "short_name"))),
        programmes=("programme",), cities=("track__cities", "track__lead_cities"), years=(Years("year"),),
        visible_through=("track",), select_related=("track", "programme"), order=("-year", "track__title"),
    )


KINDS = (
    Kind("programmes", Programme, PROGRAMMES, _programmes, _programme_result,
         title=("name", "short_name"), summary=("description",),
         programmes=("pk",), years=(Years("track_years", _track_years, back="programme"),),
         visible_through=("track_years__track",), order=("order", "name")),
    Kind("cities", City, CITY_SECTION, _cities, _city_result, title=("name",), cities=("pk",), order=("name",)),
    Kind("tracks", WorkTrack, TRACKS, _tracks, _track_result, title=("title",), summary=("summary",),
         related=(PROGRAMME, Related("parent", _tracks, ("title",)), CITIES, LEAD_CITIES, PARTNERS),
         programmes=("programme",), cities=("cities", "lead_cities"),
         years=(Years("years", _track_years, back="track"),),
         select_related=("programme",), order=("title",)),
    _text_kind("plan", "plan_text", "Jaarplan"),
    _text_kind("report", "report_text", "Jaarverslag"),
    Kind("groups", WorkingGroup, GROUPS, _groups, _group_result, title=("name",), summary=("purpose",), text=("frequency",),
         related=(PROGRAMME, CITIES, Related("lead_city", _cities, ("name",)), PARTNERS, Related("tracks", _tracks, ("title",))),
         programmes=("programme",), cities=("cities", "lead_city", "tracks__cities", "tracks__lead_cities"),
         years=(Years("meetings", _meetings, back="group"), Years("year_figures__year")),
         visible_through=("meetings__track",), select_related=("programme",), order=("name",)),
    Kind("meetings", Meeting, MEETINGS, _meetings, _meeting_result, title=("title",), summary=("description",), text=("place",),
         related=(Related("group", _groups, ("name",)), Related("track", _tracks, ("title",)),
                  Related("host_city", _cities, ("name",)), Related("group__cities", _cities, ("name",)),
                  Related("group__lead_city", _cities, ("name",)), Related("group__programme", _programmes, ("name", "short_name")),
                  Related("track__programme", _programmes, ("name", "short_name"))),
         programmes=("group__programme", "track__programme"),
         cities=("host_city", "group__cities", "group__lead_city", "track__cities", "track__lead_cities"),
         years=(Years("year"),), visible_through=("group", "track"),
         select_related=("kind", "group", "track", "host_city"), order=("-sort_date", "title")),
    Kind("links", Link, LINKS, _links, _link_result, title=("title",),
         related=(Related("track_year__track", _tracks, ("title",)), Related("group", _groups, ("name",)),
                  Related("meeting", _meetings, ("title",)), Related("programme", _programmes, ("name", "short_name"))),
         programmes=("track_year__programme", "group__programme", "meeting__group__programme", "meeting__track__programme", "programme"),
         cities=("track_year__track__cities", "track_year__track__lead_cities", "group__cities", "group__lead_city"),
         years=(Years("track_year__year"), Years("meeting__year")),
         visible_through=("track_year__track", "group", "meeting__group", "meeting__track", "budget"),
         select_related=("track_year__track", "group", "meeting", "programme", "budget"), order=("title",)),
    Kind("partners", Organisation, PARTNER_SECTION, _visible_partners, _partner_result, title=("name", "short_name"),
         visible_through=("tracks", "groups"), order=("name",)),
)

PAGES = (
    Page("Kalender", "programmes:calendar", "Vergaderingen en activiteiten; abonneren in je agenda",
         "agenda activiteiten vergaderingen bijeenkomsten abonneren ical outlook google apple", position=50),
    Page("Steden vergelijken", "programmes:city-compare", "Welke stad trekt of neemt deel aan welke werkgroep en welk werkspoor",
         "steden stad vergelijking matrix deelname", position=60),
)

# The names a suggestion ("Bedoelde u: …") may offer a word of.
VOCABULARY = ((_programmes, "name"), (_cities, "name"), (_tracks, "title"), (_groups, "name"), (_visible_partners, "name"))

registry.register(*KINDS, pages=PAGES, vocabulary=VOCABULARY)
