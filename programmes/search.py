"""Site search: what a visitor may read, grouped by kind of result, ranked, with a snippet.

Every word of the query must match somewhere in the item or in what it belongs to (its programme,
its track, the cities leading or taking part, its partners), so "klimaat gent" finds the climate
tracks and groups Gent takes part in.

On PostgreSQL this is full-text search in the `kc_dutch` configuration (Dutch stemming, accents
ignored; created by migration 0010) with each word as a prefix ("rechtenverk" finds
"Rechtenverkenner"), over the stored, GIN-indexed, weighted vectors of programmes.documents
(titles A, summaries B, texts C, markup stripped); a related item's name matches through the A part
of its vector. SearchRank orders, SearchHeadline cuts the snippet. On SQLite every word must start a word (regular expression, markup left out) and the snippet is
made in Python. Both return the same `Result`s; an empty result offers spelling variants drawn from
the titles the visitor may see (pg_trgm similarity, or difflib).
"""
import difflib
import html
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from typing import Callable

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, CharField, F, Func, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.safestring import mark_safe

from .documents import CONFIG, refresh_search_vectors, stripped
from .models import City, GroupYear, Link, Meeting, Organisation, Programme, WorkingGroup, WorkTrack, WorkTrackYear
from .visibility import can_see_unpublished

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
    fields: tuple  # their names: weight A of their stored vector, or parsed on the fly (cities)
    stored: bool = True


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
CITIES, LEAD_CITIES = Related("cities", _cities, ("name",), stored=False), Related("lead_cities", _cities, ("name",), stored=False)
PARTNERS = Related("partners", _partners, ("name", "short_name"))


@dataclass(frozen=True)
class Kind:
    """One kind of result: where it is searched, how it is weighted and how it is shown."""

    key: str
    label: str
    model: type
    queryset: Callable  # user -> what this visitor may find
    title: tuple  # weight A
    summary: tuple = ()  # weight B, markup stripped
    text: tuple = ()  # weight C, markup stripped
    related: tuple = ()
    select_related: tuple = ()
    order: tuple = ("pk",)
    column: str = ""  # the stored vector (programmes.documents); none for cities, parsed on the fly

    def body(self):
        """What the snippet is cut from (PostgreSQL)."""
        fields = self.summary + self.text
        if not fields:
            return None
        parts = [stripped(f) for f in fields]
        return parts[0] if len(parts) == 1 else Func(Value(" "), *parts, function="concat_ws", output_field=TextField())

    def body_text(self, obj) -> str:
        return " ".join(getattr(obj, f) or "" for f in self.summary + self.text)


def _plan_texts(user):
    return WorkTrackYear.objects.part_visible_to(user, "plan")


def _report_texts(user):
    return WorkTrackYear.objects.part_visible_to(user, "report")


def _links(user):
    links = Link.objects.visible_to(user)
    return links if can_see_unpublished(user) else links.with_address()


def _visible_partners(user):
    """Partners of a track or group this visitor may see."""
    return Organisation.objects.filter(
        Q(pk__in=WorkTrack.objects.visible_to(user).values("partners")) | Q(pk__in=WorkingGroup.objects.visible_to(user).values("partners"))
    )


TRACK_YEAR_RELATED = (
    Related("track", _tracks, ("title",)), PROGRAMME,
    Related("track__cities", _cities, ("name",), stored=False), Related("track__lead_cities", _cities, ("name",), stored=False),
    Related("track__partners", _partners, ("name", "short_name")),
)

KINDS = (
    Kind("programmes", "Programma's", Programme, _programmes, ("name", "short_name"), summary=("description",),
         order=("order", "name"), column="search_vector"),
    Kind("cities", "Steden", City, _cities, ("name",), order=("name",)),
    Kind("tracks", "Werksporen", WorkTrack, _tracks, ("title",), summary=("summary",),
         related=(PROGRAMME, Related("parent", _tracks, ("title",)), CITIES, LEAD_CITIES, PARTNERS),
         select_related=("programme",), order=("title",), column="search_vector"),
    Kind("plan", "In jaarplannen en jaarverslagen", WorkTrackYear, _plan_texts, ("title",), text=("plan_text",),
         related=TRACK_YEAR_RELATED, select_related=("track", "programme"), order=("-year", "track__title"), column="plan_vector"),
    Kind("report", "In jaarplannen en jaarverslagen", WorkTrackYear, _report_texts, ("title",), text=("report_text",),
         related=TRACK_YEAR_RELATED, select_related=("track", "programme"), order=("-year", "track__title"), column="report_vector"),
    Kind("groups", "Werkgroepen", WorkingGroup, _groups, ("name",), summary=("purpose",), text=("frequency",),
         related=(PROGRAMME, CITIES, Related("lead_city", _cities, ("name",), stored=False), PARTNERS,
                  Related("tracks", _tracks, ("title",))),
         select_related=("programme",), order=("name",), column="search_vector"),
    Kind("meetings", "Activiteiten", Meeting, _meetings, ("title",), summary=("description",), text=("place",),
         related=(Related("group", _groups, ("name",)), Related("track", _tracks, ("title",)),
                  Related("host_city", _cities, ("name",), stored=False), Related("group__cities", _cities, ("name",), stored=False),
                  Related("group__lead_city", _cities, ("name",), stored=False), Related("group__programme", _programmes, ("name", "short_name")),
                  Related("track__programme", _programmes, ("name", "short_name"))),
         select_related=("group", "track", "host_city"), order=("-sort_date", "title"), column="search_vector"),
    Kind("links", "Documenten en links", Link, _links, ("title",),
         related=(Related("track_year__track", _tracks, ("title",)), Related("group", _groups, ("name",)),
                  Related("meeting", _meetings, ("title",)), Related("programme", _programmes, ("name", "short_name"))),
         select_related=("track_year__track", "group", "meeting", "programme", "budget"), order=("title",), column="search_vector"),
    Kind("partners", "Partners", Organisation, _visible_partners, ("name", "short_name"), order=("name",), column="search_vector"),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
# Sections of the result page, in this order; the plan and report texts of a year share one.
SECTIONS = (
    ("programmes", "Programma's", ("programmes",)),
    ("cities", "Steden", ("cities",)),
    ("tracks", "Werksporen", ("tracks",)),
    ("texts", "In jaarplannen en jaarverslagen", ("plan", "report")),
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


def _pg_term(word: str) -> SearchQuery:
    """The word as a prefix, stemmed ('klimaat' → 'klimat', which 'klimaat' and 'klimaten' index as) or
    as typed ('klimaat' starts 'klimaatplan'); `word` holds only letters and digits (query_words)."""
    return (SearchQuery(f"{word}:*", search_type="raw", config=CONFIG)
            | SearchQuery(f"{word}:*", search_type="raw", config="simple"))


def _pg_words(words: list[str]) -> list[str]:
    """The words PostgreSQL can search: a Dutch stop word ('de', 'van') gives an empty query and is left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) AS w WHERE numnode(to_tsquery(%s::regconfig, w || ':*')) > 0", [words, CONFIG]
        )
        found = {row[0] for row in cursor.fetchall()}
    return [w for w in words if w in found]


def _own_vector(kind: Kind):
    return F(kind.column) if kind.column else SearchVector(*kind.title, config=CONFIG, weight="A")


def _word_start(word: str, rich: bool = False) -> str:
    """A regular expression: `word` at the start of a word; in rich text not inside a tag."""
    pattern = r"(^|[^\w<])" + re.escape(word)
    return pattern + r"(?![^<>]*>)" if rich else pattern


def _own_match(kind: Kind, word: str) -> Q:
    """The item's own fields: its stored vector on PostgreSQL, word starts on SQLite.

    On PostgreSQL the match is a subquery of its own (`pk IN (…)`): the planner answers it once
    from the GIN index instead of testing the vector of every row that the other conditions leave.
    """
    if uses_full_text():
        table, pk = _table(kind.model), _quoted(kind.model._meta.pk.column)
        if kind.column:
            vector = f"{table}.{_quoted(kind.column)}"
        else:
            vector = f"to_tsvector('{CONFIG}'::regconfig, " + " || ' ' || ".join(
                f"COALESCE({table}.{_quoted(kind.model._meta.get_field(f).column)}, '')" for f in kind.title) + ")"
        sql = f"SELECT {table}.{pk} FROM {table} WHERE {vector} @@ {_PG_TERM_SQL}"
        return Q(pk__in=RawSQL(sql, [f"{word}:*", f"{word}:*"]))
    conditions = [Q(**{f"{f}__iregex": _word_start(word)}) for f in kind.title]
    conditions += [Q(**{f"{f}__iregex": _word_start(word, rich=True)}) for f in kind.summary + kind.text]
    return reduce(or_, conditions)


# A word as a prefix, stemmed or as typed (the SQL of _pg_term), with the word + ':*' twice as parameters.
_PG_TERM_SQL = f"(to_tsquery('{CONFIG}'::regconfig, %s) || to_tsquery('simple'::regconfig, %s))"


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _quoted(model._meta.db_table)


def _ids_of(model, name: str) -> str:
    """SQL selecting the ids of `model` whose relation `name` (a foreign key or a many-to-many of
    its own) points at one of the ids filled in for `{ids}`."""
    field = model._meta.get_field(name)
    if field.many_to_many:
        through = field.remote_field.through._meta
        return (f"SELECT {_quoted(field.m2m_column_name())} FROM {_quoted(through.db_table)} "
                f"WHERE {_quoted(field.m2m_reverse_name())} IN ({{ids}})")
    return f"SELECT {_quoted(model._meta.pk.column)} FROM {_table(model)} WHERE {_quoted(field.column)} IN ({{ids}})"


def _linked_to(model, path: str, ids) -> Q:
    """Items whose `path` leads to one of `ids`, as a semi-join that never multiplies rows.

    An own foreign key is a plain IN; 'track__cities' becomes track IN (tracks with one of those
    cities); a many-to-many of the item itself a pk IN over its link table. The subqueries are
    written out (self-contained SQL, no outer references) rather than built as querysets: building
    a dozen querysets per kind was a third of a search's time.
    """
    head, _, tail = path.partition("__")
    field = model._meta.get_field(head)
    if field.many_to_one and not tail:
        return Q(**{f"{head}__in": ids})
    placeholders = ", ".join(["%s"] * len(ids))
    if field.many_to_one:
        return Q(**{f"{head}__in": RawSQL(_ids_of(field.related_model, tail).format(ids=placeholders), list(ids))})
    return Q(pk__in=RawSQL(_ids_of(model, head).format(ids=placeholders), list(ids)))


def _name_match_sql(model, rel: Related, word: str) -> tuple[str, list]:
    """A condition on `model`'s table: its name (rel.fields) matches the word."""
    table = _table(model)
    if not uses_full_text():
        match = " OR ".join(f"{table}.{_quoted(model._meta.get_field(f).column)} REGEXP '(?i)' || %s" for f in rel.fields)
        return f"({match})", [_word_start(word)] * len(rel.fields)
    if rel.stored:
        return f"{table}.{_quoted('search_vector')} @@ {_PG_TERM_SQL}", [f"{word}:*A", f"{word}:*A"]
    columns = " || ' ' || ".join(f"COALESCE({table}.{_quoted(model._meta.get_field(f).column)}, '')" for f in rel.fields)
    return f"to_tsvector('{CONFIG}'::regconfig, {columns}) @@ {_PG_TERM_SQL}", [f"{word}:*", f"{word}:*"]


def matching(kind: Kind, user, words: list[str], related_ids=None):
    """The items of `kind` this visitor may see in which every word matches (unordered).

    A word matches the item itself or something it belongs to. The related items whose name
    matches (cities called 'Gent', tracks titled '…klimaat…') are looked up once per search and
    word into `related_ids` and shared by every kind, so a kind's query is its own match plus
    'linked to one of these ids', never a join of every relation.
    """
    if not words:
        return kind.queryset(user).none()
    related_ids = related_names_matching(user, words) if related_ids is None else related_ids
    qs = kind.queryset(user)
    for word in words:
        condition = _own_match(kind, word)
        for rel in kind.related:
            ids = related_ids.get((rel.queryset, rel.fields, word))
            if ids:
                condition |= _linked_to(kind.model, rel.path, ids)
        qs = qs.filter(condition)
    return qs


def related_names_matching(user, words) -> dict:
    """{(related source, fields, word): [ids]} for every relation of every kind, in one query."""
    sources = list({(rel.queryset, rel.fields): rel for kind in KINDS for rel in kind.related}.values())
    parts, params = [], []
    for i, rel in enumerate(sources):
        visible = rel.queryset(user).order_by()
        for word in words:
            match = RawSQL(*_name_match_sql(visible.model, rel, word), output_field=BooleanField())
            sql, part_params = visible.filter(match).values("pk").query.sql_with_params()
            parts.append(f"SELECT {i}, %s, ids.* FROM ({sql}) AS ids")
            params += [word, *part_params]
    found = {}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for i, word, pk in cursor.fetchall():
                rel = sources[i]
                found.setdefault((rel.queryset, rel.fields, word), []).append(pk)
    return found


# ---------------------------------------------------------------- snippets


def plain_text(value: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", value or "")).split())


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


def python_snippet(value: str, words: list[str], width: int = 220) -> str:
    """Around the first matched word of the text: tags stripped, escaped, matches in <mark>."""
    text = plain_text(value)
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


def headline_html(headline: str) -> str:
    """A PostgreSQL headline (markers around matches) as escaped HTML with <mark>."""
    text = " ".join(html.unescape(headline or "").split())
    return html.escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


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
        meta = obj.date_display + (f" · {owner}" if owner else "") + f" · {obj.get_kind_display()}"
        return Result(obj.title, obj.get_absolute_url(), meta, snippet)
    if kind.key == "links":
        owner = obj.owner
        owner_name = getattr(owner, "display_title", None) or str(owner or "")
        return Result(obj.title, obj.href, f"{obj.get_kind_display().capitalize()} · bij {owner_name}", snippet,
                      external=True, placeholder=not obj.href)
    if kind.key == "partners":
        url = reverse("programmes:worktrack-list") + f"?partner={obj.slug}"
        return Result(str(obj), url, f"Partner · {obj.get_kind_display()} · de werksporen met deze partner", snippet)
    if kind.key == "cities":
        return Result(obj.name, obj.get_absolute_url(), obj.get_kind_display().capitalize(), snippet)
    return Result(str(obj), obj.get_absolute_url(), "", snippet)


def _unread_columns(kind: Kind) -> list[str]:
    """Columns of the item and its joined rows that a result never reads: the stored vectors, and on
    PostgreSQL (where the database cuts the snippet) the long texts. Not fetching them halves the
    time of the text queries at 20x."""
    heavy = (SearchVectorField, TextField) if uses_full_text() else (SearchVectorField,)
    paths = [("", kind.model)]
    for path in kind.select_related:
        model = kind.model
        for part in path.split("__"):
            model = model._meta.get_field(part).related_model
        paths.append((path + "__", model))
    return [prefix + f.name for prefix, model in paths for f in model._meta.concrete_fields if isinstance(f, heavy)]


def _ranked(kind: Kind, qs, words: list[str], limit: int) -> list[Result]:
    """The best `limit` results of `qs`."""
    qs = qs.select_related(*kind.select_related) if kind.select_related else qs
    qs = qs.defer(*_unread_columns(kind))
    if uses_full_text():
        any_word = reduce(or_, (_pg_term(w) for w in words))
        qs = qs.annotate(rank=SearchRank(_own_vector(kind), any_word))
        body = kind.body()
        if body is not None:
            qs = qs.annotate(headline=SearchHeadline(
                body, any_word, config=CONFIG, start_sel=MARK_START, stop_sel=MARK_END,
                max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … ",
            ))
        rows = list(qs.order_by("-rank", *kind.order)[:limit])
        return [_result(kind, obj, headline_html(getattr(obj, "headline", ""))) for obj in rows]
    # SQLite: rank by the words found in the title, then by the kind's own order.
    rows = list(qs.order_by(*kind.order)[: limit * 4])
    patterns = [re.compile(r"(?<!\w)" + re.escape(w), re.IGNORECASE) for w in words]

    def score(obj):
        title = " ".join(str(getattr(obj, f) or "") for f in kind.title)
        body = plain_text(kind.body_text(obj))
        return sum(3 for p in patterns if p.search(title)) + sum(1 for p in patterns if p.search(body))

    rows.sort(key=score, reverse=True)
    return [_result(kind, obj, python_snippet(kind.body_text(obj), words)) for obj in rows[:limit]]


# How the search filters reach each kind: the paths to a programme and to a city taking part
# (leading, taking part, hosting; through the track or the group). A kind without a path has no
# results once that filter is chosen.
PROGRAMME_PATHS = {
    "programmes": ("pk",), "tracks": ("programme",), "plan": ("programme",), "report": ("programme",),
    "groups": ("programme",), "meetings": ("group__programme", "track__programme"),
    "links": ("track_year__programme", "group__programme", "meeting__group__programme", "meeting__track__programme", "programme"),
}
CITY_PATHS = {
    "cities": ("pk",), "tracks": ("cities", "lead_cities"), "plan": ("track__cities", "track__lead_cities"),
    "report": ("track__cities", "track__lead_cities"), "groups": ("cities", "lead_city", "tracks__cities", "tracks__lead_cities"),
    "meetings": ("host_city", "group__cities", "group__lead_city", "track__cities", "track__lead_cities"),
    "links": ("track_year__track__cities", "track_year__track__lead_cities", "group__cities", "group__lead_city"),
}


YEAR_KINDS = ("programmes", "tracks", "plan", "report", "groups", "meetings", "links")  # the kinds narrowed() can limit to a year
FACETS = ("year", "programme", "city")
FACET_KINDS = {"year": YEAR_KINDS, "programme": PROGRAMME_PATHS, "city": CITY_PATHS}


def narrowed(kind: Kind, qs, *, user, year=None, programme=None, city=None):
    """`qs` (items of `kind`) limited to a year, a programme and a participating city."""
    if year is not None:
        texts = WorkTrackYear.objects.visible_to(user).filter(year=year)
        by_kind = {
            "plan": Q(year=year), "report": Q(year=year), "meetings": Q(year=year),
            "tracks": Q(pk__in=texts.values("track_id")), "programmes": Q(pk__in=texts.values("programme_id")),
            "groups": Q(pk__in=Meeting.objects.visible_to(user).filter(year=year).values("group_id"))
            | Q(pk__in=GroupYear.objects.filter(year=year).values("group_id")),
            "links": Q(track_year__year=year) | Q(meeting__year=year),
        }
        qs = qs.filter(by_kind[kind.key]) if kind.key in by_kind else qs.none()
    for value, paths in ((programme, PROGRAMME_PATHS), (city, CITY_PATHS)):
        if value is None:
            continue
        if kind.key not in paths:
            return qs.none()
        condition = reduce(or_, (Q(**{path: value.pk if path == "pk" else value}) for path in paths[kind.key]))
        qs = qs.filter(pk__in=kind.model.objects.filter(condition).values("pk"))
    return qs


class Search:
    """One query of one visitor with the page's filters.

    The words, and the related items their names match, are looked up once. Then one query finds
    the ids of every kind's matching items: narrowed by the chosen filters (the page's result) and,
    for the option counts, by each set of all-but-one of them. The ranked queries and the count
    query start from those ids, so the matching (the costly part: full-text conditions, or regular
    expressions over long texts on SQLite) runs once per kind and set of filters.
    """

    def __init__(self, *, q: str, user, chosen=None, count_sections=None):
        """`chosen`: {'year': 2024, 'programme': …, 'city': …}, the filters picked; `count_sections`:
        the sections the option counts cover (all when None)."""
        self.user = user
        self.chosen = dict(chosen or {})
        self.words = query_words(q)
        if self.words and uses_full_text():
            self.words = _pg_words(self.words)
        self.related_ids = related_names_matching(user, self.words) if self.words else {}
        self.count_kinds = [KINDS_BY_KEY[k] for key, _label, kind_keys in SECTIONS
                            if count_sections is None or key in count_sections for k in kind_keys]
        self._ids = None

    def matching(self, kind: Kind):
        return matching(kind, self.user, self.words, self.related_ids)

    def ids(self, kind: Kind, others: dict) -> list:
        """The ids of the items of `kind` that match, narrowed by `others`."""
        if self._ids is None:
            self._ids = self._find_ids()
        return self._ids.get((kind.key, tuple(sorted(others))), [])

    def _find_ids(self) -> dict:
        if not self.words:
            return {}
        variants = [(kind, self.chosen) for kind in KINDS]
        variants += [(kind, {n: v for n, v in self.chosen.items() if n != facet})
                     for facet in self.chosen for kind in self.count_kinds if kind.key in FACET_KINDS[facet]]
        parts, params, keys = [], [], []
        for kind, others in variants:
            key = (kind.key, tuple(sorted(others)))
            if key in keys:
                continue
            qs = narrowed(kind, self.matching(kind), user=self.user, **others)
            try:
                sql, part_params = qs.order_by().values_list("pk").query.sql_with_params()
            except EmptyResultSet:  # narrowed to nothing
                continue
            parts.append(f"SELECT {len(keys)} AS v, found.* FROM ({sql}) AS found")
            params += part_params
            keys.append(key)
        found = {}
        if parts:
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                for v, pk in cursor.fetchall():
                    found.setdefault(keys[v], []).append(pk)
        return found

    def sections(self, *, limit: int = 20, kinds=None) -> list[Section]:
        """The sections of results for the chosen filters, in page order."""
        sections = []
        for key, label, kind_keys in SECTIONS:
            section = Section(key, label)
            if self.words and (kinds is None or key in kinds):
                for kind_key in kind_keys:
                    kind = KINDS_BY_KEY[kind_key]
                    ids = self.ids(kind, self.chosen)
                    if ids:
                        results = _ranked(kind, kind.model._default_manager.filter(pk__in=ids), self.words, limit)
                        section.total += len(ids)
                        section.results += results
                if len(kind_keys) > 1:
                    section.results.sort(key=lambda r: -r.rank)
                    section.results = section.results[:limit]
            sections.append(section)
        return sections

    def option_counts(self) -> dict[str, dict[str, int]]:
        """{facet: {option: number of results}} for the facets 'year', 'programme' and 'city' (options: a year, an id).

        An option's count is the number of results the page would show with that option chosen and
        the other chosen filters kept, over the kinds of `count_sections`; a text counts once as a
        plan and once as a report, as the section totals do. One query: each kind's items (by id)
        with the other filters are a CTE carrying the item's own keys, joined to their options by
        the same paths that `narrowed` filters on, so the counts and the filtered results agree.
        """
        if not self.words:
            return {}
        ctes, cte_params, parts, params, names = [], [], [], [], {}
        for f, facet in enumerate(FACETS):
            others = {name: value for name, value in self.chosen.items() if name != facet}
            for k, kind in enumerate(self.count_kinds):
                ids = self.ids(kind, others) if kind.key in FACET_KINDS[facet] else []
                if not ids:
                    continue
                variant = (kind.key, tuple(sorted(others)))
                if variant not in names:
                    names[variant] = f"m{len(ctes)}"
                    columns = _own_columns(kind)
                    sql, sql_params = kind.model._default_manager.filter(pk__in=ids).order_by().values_list(
                        "pk", *columns).query.sql_with_params()
                    ctes.append(f"{names[variant]}({', '.join(['id', *columns])}) AS ({sql})")
                    cte_params += sql_params
                for sql, part_params in _option_pairs(kind, names[variant], facet, self.user):
                    parts.append(f"SELECT {f} AS _f, {k} AS _k, _fi, _fk FROM ({sql}) AS p{len(parts)}")
                    params += part_params
        if not parts:
            return {}
        counts = {facet: {} for facet in FACETS}
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH {', '.join(ctes)} SELECT _f, _fk, COUNT(*) FROM (SELECT DISTINCT _f, _k, _fi, _fk FROM "
                f"({' UNION ALL '.join(parts)}) AS pairs WHERE _fk IS NOT NULL) AS found GROUP BY _f, _fk",
                cte_params + params,
            )
            for f, option, n in cursor.fetchall():
                counts[FACETS[f]][str(option)] = n
        return counts


def _pairs(queryset, item: str, option: str) -> tuple[str, list]:
    """SQL of (item id `_fi`, option `_fk` as text) rows of `queryset`."""
    qs = queryset.order_by().annotate(_fi=F(item), _fk=Cast(option, output_field=CharField())).values_list("_fi", "_fk")
    return qs.query.sql_with_params()


def _own_columns(kind: Kind) -> list[str]:
    """The item's own columns (foreign keys, year) that the option paths of `kind` start from."""
    names = {path.split("__")[0] for paths in (PROGRAMME_PATHS, CITY_PATHS) for path in paths.get(kind.key, ())}
    names |= {"year"} if kind.key in ("plan", "report", "meetings") else set()
    names |= {"track_year", "meeting"} if kind.key == "links" else set()
    fields = [kind.model._meta.get_field(name) for name in sorted(names - {"pk"})]
    return [f.column for f in fields if f.concrete and not f.many_to_many]


def _path_pairs(model, cte: str, path: str) -> tuple[str, list]:
    """SQL of (item id `_fi`, value `_fk`) for the items in `cte`: the id of the programme or city at
    the end of `path` ('track__cities'; 'pk': the item itself), or the column it ends in
    ('track_year__year'). Written from the models' metadata: the item's own columns come with the
    CTE (_own_columns), and a table is joined only where a column of its row is read; built as
    querysets, these joins cost more than the search itself."""
    joins = []
    held, row = f"{cte}.id", cte  # the id of a `model` row we are at, and that row's alias once joined

    def column(field):
        nonlocal row
        if row is None:
            row = f"t{len(joins)}"
            joins.append(f"JOIN {_table(model)} AS {row} ON {row}.{_quoted(model._meta.pk.column)} = {held}")
        return f"{row}.{_quoted(field.column)}"

    for name in path.split("__"):
        if name == "pk":
            break
        field = model._meta.get_field(name)
        if not field.is_relation:
            held = column(field)
            break
        if field.many_to_many:
            link = f"j{len(joins)}"
            joins.append(f"JOIN {_quoted(field.remote_field.through._meta.db_table)} AS {link} "
                         f"ON {link}.{_quoted(field.m2m_column_name())} = {held}")
            held = f"{link}.{_quoted(field.m2m_reverse_name())}"
        else:
            held = column(field)
        model, row = field.related_model, None
    return f"SELECT {cte}.id AS _fi, CAST({held} AS varchar) AS _fk FROM {cte} " + " ".join(joins), []


def _option_pairs(kind: Kind, cte: str, facet: str, user) -> list[tuple[str, list]]:
    """SQL of (item, option) rows for the items of `kind` in `cte`: the years, programme ids or city
    ids that `narrowed` would find each item under."""
    if facet != "year":
        paths = (PROGRAMME_PATHS if facet == "programme" else CITY_PATHS).get(kind.key, ())
        return [_path_pairs(kind.model, cte, path) for path in paths]
    if kind.key in ("plan", "report", "meetings"):
        return [_path_pairs(kind.model, cte, "year")]
    if kind.key == "links":
        return [_path_pairs(kind.model, cte, "track_year__year"), _path_pairs(kind.model, cte, "meeting__year")]
    ids, texts = RawSQL(f"SELECT id FROM {cte}", []), WorkTrackYear.objects.visible_to(user)
    if kind.key == "tracks":
        return [_pairs(texts.filter(track__in=ids), "track_id", "year")]
    if kind.key == "programmes":
        return [_pairs(texts.filter(programme__in=ids), "programme_id", "year")]
    if kind.key == "groups":
        return [_pairs(Meeting.objects.visible_to(user).filter(group__in=ids), "group_id", "year"),
                _pairs(GroupYear.objects.filter(group__in=ids), "group_id", "year")]
    return []


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


def refresh_all_search_vectors() -> None:
    """Recompute every stored vector: after writes that bypass save() (bulk_create, update())."""
    for model in (Programme, Organisation, WorkTrack, WorkTrackYear, WorkingGroup, Meeting, Link):
        refresh_search_vectors(model.objects.all())


def mark_words(text: str, q: str) -> str:
    return mark_safe(marked(text, query_words(q)))
