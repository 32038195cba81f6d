"""Site search: what a visitor may read, grouped by kind of result, ranked, with a snippet.

Every word of the query must match somewhere in the item or in what it belongs to (its programme,
its track, the cities leading or taking part, its partners), so "klimaat gent" finds the climate
tracks and groups Gent takes part in.

A search reads the search index (SearchEntry, one row per item, kept current by
programmes.searchindex from the kinds defined here): one query finds the matching items with what
the filters need, a second fetches the results shown. On PostgreSQL it is full-text search in the
`kc_dutch` configuration (Dutch stemming, accents ignored; migration 0010) with each word as a
prefix ("rechtenverk" finds "Rechtenverkenner") over GIN-indexed vectors (titles A, summaries B,
texts C, the names of what the item belongs to D, markup stripped); ts_rank orders by the item's
own texts and ts_headline cuts the snippet. On SQLite every word must start a word of the same texts
and names, and ranking and snippets are made in Python. Both return the same `Result`s; an empty
result offers spelling variants drawn from the titles the visitor may see (pg_trgm similarity, or
difflib).
"""
import difflib
import html
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from django.db import connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils.safestring import mark_safe

from .amounts import format_euro
from .models import Budget, City, Link, Meeting, Organisation, Programme, SearchEntry, WorkingGroup, WorkTrack, WorkTrackYear
from .visibility import can_see_unpublished

CONFIG = "kc_dutch"  # 'dutch' with unaccent (migration 0010): "financiele" finds "financiële"
MAX_WORDS = 8
# Private-use characters mark the matched words in a PostgreSQL headline: the text around them is
# escaped first, then they become <mark>, so neither the content nor the query can inject markup.
MARK_START, MARK_END = "\ue000", "\ue001"
WORD = re.compile(r"\w+")
TAG = re.compile(r"<[^>]*>")


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def query_words(q: str) -> list[str]:
    """The words of a query (letters and digits), lower case, without repeats, at most MAX_WORDS."""
    words = []
    for word in WORD.findall(q.replace(MARK_START, " ").replace(MARK_END, " ").casefold()):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


@dataclass(frozen=True)
class Related:
    """Something an item belongs to, whose name may match a word: `path` from the item to it."""

    path: str
    queryset: Callable  # user -> the related items this visitor may see
    fields: tuple  # their names


def _cities(user):
    return City.objects.all()


def _programmes(user):
    return Programme.objects.all()


def _partners(user):
    return Organisation.objects.all()


def _tracks(user):
    return WorkTrack.objects.visible_to(user)


def _groups(user):
    return WorkingGroup.objects.visible_to(user)


def _meetings(user):
    return Meeting.objects.visible_to(user)


PROGRAMME = Related("programme", _programmes, ("name", "short_name"))
CITIES, LEAD_CITIES = Related("cities", _cities, ("name",)), Related("lead_cities", _cities, ("name",))
PARTNERS = Related("partners", _partners, ("name", "short_name"))


@dataclass(frozen=True)
class Kind:
    """One kind of result: where it is searched, how it is weighted and how it is shown."""

    key: str
    model: type
    queryset: Callable  # user -> what this visitor may find
    title: tuple  # weight A
    summary: tuple = ()  # weight B, markup stripped
    text: tuple = ()  # weight C, markup stripped
    related: tuple = ()
    select_related: tuple = ()
    order: tuple = ("pk",)  # after the rank


def _plan_texts(user):
    return WorkTrackYear.objects.part_visible_to(user, "plan")


def _report_texts(user):
    return WorkTrackYear.objects.part_visible_to(user, "report")


def _links(user):
    links = Link.objects.visible_to(user)
    return links if can_see_unpublished(user) else links.with_address()


def _budgets(user):
    return Budget.objects.visible_to(user)


def _visible_partners(user):
    """Partners of a track or group this visitor may see."""
    return Organisation.objects.filter(
        Q(pk__in=WorkTrack.objects.visible_to(user).values("partners")) | Q(pk__in=WorkingGroup.objects.visible_to(user).values("partners"))
    )


TRACK_YEAR_RELATED = (
    Related("track", _tracks, ("title",)), PROGRAMME,
    Related("track__cities", _cities, ("name",)), Related("track__lead_cities", _cities, ("name",)),
    Related("track__partners", _partners, ("name", "short_name")),
)

KINDS = (
    Kind("programmes", Programme, _programmes, ("name", "short_name"), summary=("description",),
         order=("order", "name")),
    Kind("cities", City, _cities, ("name",), order=("name",)),
    Kind("tracks", WorkTrack, _tracks, ("title",), summary=("summary",),
         related=(PROGRAMME, Related("parent", _tracks, ("title",)), CITIES, LEAD_CITIES, PARTNERS),
         select_related=("programme",), order=("title",)),
    Kind("plan", WorkTrackYear, _plan_texts, ("title",), text=("plan_text",),
         related=TRACK_YEAR_RELATED, select_related=("track", "programme"), order=("-year", "track__title")),
    Kind("report", WorkTrackYear, _report_texts, ("title",), text=("report_text",),
         related=TRACK_YEAR_RELATED, select_related=("track", "programme"), order=("-year", "track__title")),
    Kind("groups", WorkingGroup, _groups, ("name",), summary=("purpose",), text=("frequency",),
         related=(PROGRAMME, CITIES, Related("lead_city", _cities, ("name",)), PARTNERS,
                  Related("tracks", _tracks, ("title",))),
         select_related=("programme",), order=("name",)),
    Kind("meetings", Meeting, _meetings, ("title",), summary=("description",), text=("place",),
         related=(Related("group", _groups, ("name",)), Related("track", _tracks, ("title",)),
                  Related("host_city", _cities, ("name",)), Related("group__cities", _cities, ("name",)),
                  Related("group__lead_city", _cities, ("name",)), Related("group__programme", _programmes, ("name", "short_name")),
                  Related("track__programme", _programmes, ("name", "short_name"))),
         select_related=("kind", "group", "track", "host_city"), order=("-sort_date", "title")),
    Kind("links", Link, _links, ("title",),
         related=(Related("track_year__track", _tracks, ("title",)), Related("group", _groups, ("name",)),
                  Related("meeting", _meetings, ("title",)), Related("programme", _programmes, ("name", "short_name"))),
         select_related=("track_year__track", "group", "meeting", "programme", "budget"), order=("title",)),
    Kind("partners", Organisation, _visible_partners, ("name", "short_name"), order=("name",)),
    # The afrekening of a year, as its jaarverslag shows it (a budget is public once that is published).
    Kind("budgets", Budget, _budgets, ("settlement_title",), summary=("note",), order=("-year",)),
)


@dataclass(frozen=True)
class Page:
    """A page of the site itself, found by its name or a word people use for what it holds.

    Matched in Python against this short list (no index row, no query): every word of a search
    must start its title or one of its words, accents ignored ("financien" finds Financiën).
    """

    title: str
    url_name: str
    meta: str
    words: str = ""

    def matches(self, words: list[str]) -> bool:
        own = _plain_words(f"{self.title} {self.words}")
        return bool(words) and all(any(w.startswith(_plain(word)) for w in own) for word in words)


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _plain_words(text: str) -> list[str]:
    return WORD.findall(_plain(text))


PAGES = (
    Page("Financiën", "reports:finances", "Budget en afrekening van elk jaar, met grafiek en tabel",
         "budget begroting afrekening uitgaven inkomsten kosten geld bedragen euro middelen financiering"),
    Page("Jaarplannen en jaarverslagen", "reports:edition-list", "Alle edities als webpagina, PDF en HTML-bestand",
         "edities jaarplan jaarverslag verslag plan pdf downloaden archief"),
    Page("Open data", "reports:open-data", "De gegevens per jaar als CSV en JSON, en de DCAT-catalogus",
         "opendata data gegevens csv json downloaden datasets dcat catalogus hergebruik licentie"),
    Page("Toegankelijkheidsverklaring", "reports:accessibility", "Hoe toegankelijk de site en haar PDF's zijn, en waar je een probleem meldt",
         "toegankelijkheid toegankelijk wcag schermlezer drempel klacht ombudsdienst"),
    Page("Kalender", "programmes:calendar", "Vergaderingen en activiteiten; abonneren in je agenda",
         "agenda activiteiten vergaderingen bijeenkomsten abonneren ical outlook google apple"),
    Page("Steden vergelijken", "programmes:city-compare", "Welke stad trekt of neemt deel aan welke werkgroep en welk werkspoor",
         "steden stad vergelijking matrix deelname"),
)
# Sections of the result page, in this order; the plan and report texts of a year share one.
SECTIONS = (
    ("pages", "Op deze site", ()),  # PAGES, not the index
    ("programmes", "Programma's", ("programmes",)),
    ("cities", "Steden", ("cities",)),
    ("tracks", "Werksporen", ("tracks",)),
    ("texts", "In jaarplannen en jaarverslagen", ("plan", "report")),
    ("budgets", "Budget en afrekening", ("budgets",)),
    ("groups", "Werkgroepen", ("groups",)),
    ("meetings", "Activiteiten", ("meetings",)),
    ("links", "Documenten en links", ("links",)),
    ("partners", "Partners", ("partners",)),
)


@dataclass
class Result:
    title: str
    url: str
    meta: str = ""
    snippet: str = ""  # safe HTML: escaped text with <mark>ed words
    rank: float = 0.0
    external: bool = False
    placeholder: bool = False


@dataclass
class Section:
    key: str
    label: str
    results: list = field(default_factory=list)
    total: int = 0



# ---------------------------------------------------------------- matching


# A word as a prefix, stemmed ('klimaat' → 'klimat', which 'klimaat' and 'klimaten' index as) or as
# typed ('klimaat' starts 'klimaatplan'), with the word + ':*' twice as parameters.
_PG_TERM_SQL = f"(to_tsquery('{CONFIG}'::regconfig, %s) || to_tsquery('simple'::regconfig, %s))"


def _pg_words(words: list[str]) -> list[str]:
    """The words PostgreSQL can search: a Dutch stop word ('de', 'van') gives an empty query and is left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) AS w WHERE numnode(to_tsquery(%s::regconfig, w || ':*')) > 0", [words, CONFIG]
        )
        found = {row[0] for row in cursor.fetchall()}
    return [w for w in words if w in found]



def _like(word: str) -> str:
    """On SQLite: `word` at a word start in a SearchEntry.words_* column (' word word … ')."""
    return "% " + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _score(title: str, body: str, words: list[str]) -> float:
    """On SQLite: 3 for each word that starts a word of the title, 1 for each in the text."""
    patterns = [re.compile(r"(?<!\w)" + re.escape(w), re.IGNORECASE) for w in words]
    return float(sum(3 for p in patterns if p.search(title)) + sum(1 for p in patterns if p.search(body)))


# ---------------------------------------------------------------- snippets


def marked(text: str, words: list[str]) -> str:
    """`text` escaped, with every word that starts with one of `words` in <mark>."""
    if not words:
        return html.escape(text)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    out, position = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[position:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        position = m.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def text_snippet(text: str, words: list[str], width: int = 220) -> str:
    """Around the first matched word of a plain text: escaped, matches in <mark>."""
    text = " ".join(text.split())
    if not text:
        return ""
    first = re.search(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + ")", text, re.IGNORECASE) if words else None
    start = max(0, (first.start() if first else 0) - width // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    piece = text[start:end]
    return ("… " if start else "") + marked(piece, words) + (" …" if end < len(text) else "")


def headline_html(headline: str, text: str = "") -> str:
    """A PostgreSQL headline (markers around matches) as escaped HTML with <mark>, with "…" where it
    leaves out the start or the end of `text`, the text it was cut from (as the SQLite snippet does)."""
    piece = " ".join(html.unescape(headline or "").split())
    if text and piece:
        whole = " ".join(html.unescape(text).split())
        plain = piece.replace(MARK_START, "").replace(MARK_END, "")
        fragments = plain.split(FRAGMENT_DELIMITER)
        first, last = fragments[0], fragments[-1]
        start, end = whole.find(first), whole.rfind(last)
        before, after = whole[:start] if start > 0 else "", whole[end + len(last):] if end >= 0 else ""
        # Only punctuation left out (the closing full stop a headline drops) is given back as it is.
        piece = ("… " if re.search(r"\w", before) else "") + piece + (" …" if re.search(r"\w", after) else after.rstrip())
    return html.escape(piece).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


FRAGMENT_DELIMITER = " … "
# ShortWord=0: keep a short first word ("De", "Het"); PostgreSQL drops words of up to 3 letters at the edges.
HEADLINE_OPTIONS = (("StartSel", MARK_START), ("StopSel", MARK_END), ("MaxWords", 35), ("MinWords", 15),
                    ("ShortWord", 0), ("MaxFragments", 2), ("FragmentDelimiter", FRAGMENT_DELIMITER))


# ---------------------------------------------------------------- presentation


def _result(kind: Kind, obj, snippet: str) -> Result:
    if kind.key in ("plan", "report"):
        edition = "jaarplan" if kind.key == "plan" else "jaarverslag"
        return Result(f"{obj.display_title}", obj.get_absolute_url(), f"{edition.capitalize()} {obj.year} · {obj.programme.name}", snippet)
    if kind.key == "tracks":
        return Result(obj.title, obj.get_absolute_url(), f"{obj.get_kind_display().capitalize()} · {obj.programme.name}", snippet)
    if kind.key == "groups":
        meta = obj.get_kind_display().capitalize() + (f" · {obj.programme.name}" if obj.programme else "")
        return Result(obj.name, obj.get_absolute_url(), meta, snippet)
    if kind.key == "meetings":
        owner = obj.group or obj.track
        meta = obj.date_display + (f" · {owner}" if owner else "") + f" · {obj.kind.name}"
        return Result(obj.title, obj.get_absolute_url(), meta, snippet)
    if kind.key == "links":
        owner = obj.owner
        owner_name = getattr(owner, "display_title", None) or str(owner or "")
        return Result(obj.title, obj.href, f"{obj.get_kind_display().capitalize()} · bij {owner_name}", snippet,
                      external=True, placeholder=not obj.href)
    if kind.key == "partners":
        url = reverse("programmes:worktrack-list") + f"?partner={obj.slug}"
        return Result(str(obj), url, f"Partner · {obj.get_kind_display()} · de werksporen met deze partner", snippet)
    if kind.key == "programmes":
        return Result(obj.name, obj.get_absolute_url(), "Programma" + (f" · {obj.short_name}" if obj.short_name else ""), snippet)
    if kind.key == "cities":
        return Result(obj.name, obj.get_absolute_url(), obj.get_kind_display().capitalize(), snippet)
    if kind.key == "budgets":
        url = reverse("reports:report-detail", kwargs={"year": obj.year}) + "#afrekening"
        return Result(obj.settlement_title, url, f"Jaarverslag {obj.year} · totaal {format_euro(obj.total)}", snippet)
    return Result(str(obj), obj.get_absolute_url(), "", snippet)



# How the search filters reach each kind: the paths to a programme and to a city taking part
# (leading, taking part, hosting; through the track or the group). A kind without a path has no
# results once that filter is chosen.
PROGRAMME_PATHS = {
    "programmes": ("pk",), "tracks": ("programme",), "plan": ("programme",), "report": ("programme",),
    "groups": ("programme",), "meetings": ("group__programme", "track__programme"),
    "links": ("track_year__programme", "group__programme", "meeting__group__programme", "meeting__track__programme", "programme"),
    "budgets": ("lines__programme",),
}
CITY_PATHS = {
    "cities": ("pk",), "tracks": ("cities", "lead_cities"), "plan": ("track__cities", "track__lead_cities"),
    "report": ("track__cities", "track__lead_cities"), "groups": ("cities", "lead_city", "tracks__cities", "tracks__lead_cities"),
    "meetings": ("host_city", "group__cities", "group__lead_city", "track__cities", "track__lead_cities"),
    "links": ("track_year__track__cities", "track_year__track__lead_cities", "group__cities", "group__lead_city"),
}


FACETS = ("year", "programme", "city")


class Match:
    """One item that matches: its row in the index and what the filters and the ranking read."""

    __slots__ = ("entry", "kind", "rank", "years", "programmes", "cities", "sort_key")
    FACETS = {"year": "years", "programme": "programmes", "city": "cities"}

    def __init__(self, entry, kind, rank, years, programmes, cities, sort_key):
        self.entry, self.kind, self.rank, self.sort_key = entry, kind, rank, sort_key
        self.years, self.programmes, self.cities = years, programmes, cities

    def values(self, facet: str) -> frozenset:
        return getattr(self, self.FACETS[facet])

    def passes(self, chosen: dict) -> bool:
        """Found under every chosen filter: the year (an int), the programme and the city (model instances)."""
        return all((value if facet == "year" else value.pk) in getattr(self, self.FACETS[facet]) for facet, value in chosen.items())


def _parser():
    """' 3 7 ' → frozenset({3, 7}); the same few lists recur in thousands of rows, so each is parsed once."""
    parsed = {}

    def ids(spaced: str) -> frozenset:
        found = parsed.get(spaced)
        if found is None:
            found = parsed[spaced] = frozenset(int(v) for v in spaced.split())
        return found

    return ids


class Search:
    """One query of one visitor with the page's filters, answered from the search index.

    One query finds every item in which all words match (programmes.searchindex keeps, per item,
    its own texts and the names of what it belongs to, as this visitor may see them) with its rank
    and the years, programmes and cities it is found under; the filters, the section totals and the
    option counts are worked out from those rows. A second query fetches what the shown results
    display, with their snippets.
    """

    def __init__(self, *, q: str, user, chosen=None, count_sections=None):
        """`chosen`: {'year': 2024, 'programme': …, 'city': …}, the filters picked; `count_sections`:
        the sections the option counts cover (all when None)."""
        from .searchindex import flush

        flush()  # writes of this transaction that are not in the index yet
        self.user = user
        self.chosen = dict(chosen or {})
        self.audience = "staff" if can_see_unpublished(user) else "public"
        self.words = query_words(q)
        if self.words and uses_full_text():
            self.words = _pg_words(self.words)
        self.count_kinds = {k for key, _label, kind_keys in SECTIONS if count_sections is None or key in count_sections
                            for k in kind_keys}
        self._matches = None

    @property
    def matches(self) -> list[Match]:
        if self._matches is None:
            self._matches = self._find() if self.words else []
        return self._matches

    def _any_word(self) -> tuple[str, list]:
        return " || ".join([_PG_TERM_SQL] * len(self.words)), [f"{w}:*" for w in self.words for _ in (1, 2)]

    def _find(self) -> list[Match]:
        table, audience = SearchEntry._meta.db_table, self.audience
        columns = f"id, kind, years_{audience}, programmes, cities, sort_key"
        if uses_full_text():
            any_word, any_params = self._any_word()
            every_word = " && ".join([_PG_TERM_SQL] * len(self.words))
            sql = (f"SELECT {columns}, ts_rank(own_vector, {any_word}) FROM {table} "
                   f"WHERE {audience} AND match_{audience} @@ ({every_word})")
            params = any_params + any_params
        else:
            sql = (f"SELECT {columns}, title, summary, text FROM {table} WHERE {audience} AND "
                   + " AND ".join([f"words_{audience} LIKE %s ESCAPE '\\'"] * len(self.words)))
            params = [_like(w) for w in self.words]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        ids = _parser()
        if uses_full_text():
            return [Match(entry, kind, rank, ids(years), ids(programmes), ids(cities), sort_key)
                    for entry, kind, years, programmes, cities, sort_key, rank in rows]
        return [Match(entry, kind, _score(title, html.unescape(f"{summary} {text}"), self.words), ids(years), ids(programmes),
                      ids(cities), sort_key)
                for entry, kind, years, programmes, cities, sort_key, title, summary, text in rows]

    def sections(self, *, limit: int = 20, kinds=None) -> list[Section]:
        """The sections of results for the chosen filters, in page order: each ranked, at most `limit` shown."""
        found = defaultdict(list)
        for match in self.matches:
            if match.passes(self.chosen):
                found[match.kind].append(match)
        sections, shown = [], {}
        for key, label, kind_keys in SECTIONS:
            section = Section(key, label)
            if key == "pages":
                if self.words and (kinds is None or key in kinds):
                    section.results = self.page_results()
                    section.total = len(section.results)
            elif self.words and (kinds is None or key in kinds):
                best = []
                for kind_key in kind_keys:
                    section.total += len(found[kind_key])
                    best += sorted(found[kind_key], key=lambda m: (-m.rank, m.sort_key))[:limit]
                if len(kind_keys) > 1:  # a text's plan and report results, by rank
                    best = sorted(best, key=lambda m: -m.rank)[:limit]
                section.results = best
                shown.update((m.entry, m) for m in best)
            sections.append(section)
        results = self._results(shown)
        for section in sections:
            if section.key != "pages":
                section.results = [results[m.entry] for m in section.results]
        return sections

    def page_results(self) -> list[Result]:
        """The site's own pages whose name matches; they have no year, programme or city, so a chosen
        filter leaves them out as it does a kind without that path."""
        if self.chosen:
            return []
        return [Result(page.title, reverse(page.url_name), page.meta) for page in PAGES if page.matches(self.words)]

    def _results(self, shown: dict) -> dict[int, Result]:
        """{entry: Result} for the matches shown, with a snippet around the matched words."""
        if not shown:
            return {}
        table = SearchEntry._meta.db_table
        full_text = uses_full_text()
        if full_text:
            any_word, params = self._any_word()
            options = ", ".join(connection.ops.compose_sql(f"{name}=%s", [value]) for name, value in HEADLINE_OPTIONS)
            headline = f"ts_headline('{CONFIG}'::regconfig, summary || ' ' || text, {any_word}, %s)"
            params = params + [options]
        else:
            headline, params = "NULL", []
        placeholders = ", ".join(["%s"] * len(shown))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, label, url, meta, external, placeholder, summary || ' ' || text, {headline} "
                           f"FROM {table} WHERE id IN ({placeholders})", params + list(shown))
            rows = cursor.fetchall()
        return {
            entry: Result(label, url, meta,
                          headline_html(cut, body) if full_text else text_snippet(html.unescape(body or ""), self.words),
                          rank=shown[entry].rank, external=bool(external), placeholder=bool(placeholder))
            for entry, label, url, meta, external, placeholder, body, cut in rows
        }

    def option_counts(self) -> dict[str, dict[str, int]]:
        """{facet: {option: number of results}} for the facets 'year', 'programme' and 'city' (options: a year, an id).

        An option's count is the number of results the page would show with that option chosen and
        the other chosen filters kept, over the kinds of `count_sections`; a text counts once as a
        plan and once as a report, as the section totals do. Counted from the same rows and sets the
        filters use, so a count cannot disagree with the page.
        """
        if not self.words:
            return {}
        counted = [m for m in self.matches if m.kind in self.count_kinds]
        counts = {}
        for facet in FACETS:
            others = {name: value for name, value in self.chosen.items() if name != facet}
            found = defaultdict(int)
            for match in counted if not others else (m for m in counted if m.passes(others)):
                for option in match.values(facet):
                    found[option] += 1
            counts[facet] = {str(option): n for option, n in found.items()}
        return counts


def indexed_years(user) -> list[int]:
    """The years of the plan and report texts and the meetings this visitor may find, newest first: the
    same years as those models' `visible_to` give, read from the index's few distinct year lists."""
    from .searchindex import flush

    flush()
    audience = "staff" if can_see_unpublished(user) else "public"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT years_{audience} FROM {SearchEntry._meta.db_table} "
                       f"WHERE {audience} AND kind IN ('plan', 'report', 'meetings')")
        years = {int(year) for (spaced,) in cursor.fetchall() for year in spaced.split()}
    return sorted(years, reverse=True)


def search(*, q: str, user, limit: int = 20, kinds=None, chosen=None) -> list[Section]:
    """The sections of results for `q` with the `chosen` filters, in page order."""
    return Search(q=q, user=user, chosen=chosen).sections(limit=limit, kinds=kinds)

# ---------------------------------------------------------------- spelling variants


def _vocabulary_queryset(user):
    """Titles and names this visitor may see, one column `_t`: the words a suggestion may come from."""
    parts = [
        Programme.objects.annotate(_t=F("name")), City.objects.annotate(_t=F("name")),
        WorkTrack.objects.visible_to(user).annotate(_t=F("title")),
        WorkingGroup.objects.visible_to(user).annotate(_t=F("name")),
        _visible_partners(user).annotate(_t=F("name")),
    ]
    parts = [qs.order_by().values_list("_t") for qs in parts]
    return parts[0].union(*parts[1:])


def suggestions(*, q: str, user) -> str:
    """The query with each unknown word replaced by the closest word of the data's vocabulary, or ''."""
    words = query_words(q)
    if not words:
        return ""
    if uses_full_text():
        sql, params = _vocabulary_queryset(user).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT q.w, (SELECT v.word FROM (SELECT DISTINCT lower(unnest(regexp_split_to_array(t._t, '\\W+'))) AS word
                                                  FROM ({sql}) AS t) AS v
                                 WHERE length(v.word) > 1 AND v.word %% q.w
                                 ORDER BY v.word = q.w DESC, similarity(v.word, q.w) DESC, v.word LIMIT 1)
                    FROM unnest(%s::text[]) AS q(w)""",
                [*params, words],
            )
            best = dict(cursor.fetchall())
    else:
        vocabulary = {w for (title,) in _vocabulary_queryset(user) for w in WORD.findall((title or "").casefold()) if len(w) > 1}
        best = {w: (w if w in vocabulary else next(iter(difflib.get_close_matches(w, vocabulary, n=1, cutoff=0.75)), None))
                for w in words}
    corrected = [best.get(w) or w for w in words]
    return " ".join(corrected) if corrected != words else ""


def mark_words(text: str, q: str) -> str:
    return mark_safe(marked(text, query_words(q)))
