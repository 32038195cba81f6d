"""How each database engine matches, ranks and cuts snippets: one interface, one class per engine.

PostgreSQL: full-text search in the `kc_dutch` configuration (Dutch stemming, accents ignored;
migration 0010) with each word as a prefix ("rechtenverk" finds "Rechtenverkenner") over GIN-indexed
vectors (titles A, summaries B, texts C, the names of what the item belongs to D); ts_rank orders by
the item's own texts and ts_headline cuts the snippet; spelling variants by pg_trgm similarity.
SQLite: every word must start a word of the same texts and names (a `words_*` column the index
fills), ranking and snippets are made in Python, spelling variants by difflib. Both give the same
rows to the query, so the rest of the search does not know which engine answers.
"""
import difflib
import html

from django.db import connection
from django.db.models import Q

from ..models import SearchEntry
from ..visibility import Audience
from .text import MARK_END, MARK_START, FRAGMENT_DELIMITER, WORD, headline_html, starts_a_word, text_snippet, word_starts

CONFIG = "kc_dutch"  # 'dutch' with unaccent (migration 0010): "financiele" finds "financiële"
TABLE = SearchEntry._meta.db_table
FOUND_COLUMNS = ("id", "kind", "years_{audience}", "programmes", "cities", "sort_key")
SHOWN_COLUMNS = ("id", "label", "url", "meta", "external", "placeholder")


class Backend:
    """What the index and the query ask of the database engine."""

    def searchable(self, words: list[str]) -> list[str]:
        """The words of a query the engine can search."""
        return words

    def find(self, audience: Audience, words: list[str]) -> list[tuple]:
        """(entry id, kind, years, programmes, cities, sort key, rank) of every row this audience may
        find in which every word matches."""
        raise NotImplementedError

    def shown(self, entries, words: list[str]) -> dict[int, tuple]:
        """{entry id: (label, url, meta, external, placeholder, snippet)} of these rows."""
        raise NotImplementedError

    def closest(self, words: list[str], vocabulary) -> dict[str, str]:
        """{word: the closest word of `vocabulary` (a values_list of titles)} for the words that have one."""
        raise NotImplementedError

    def fill_row(self, row: SearchEntry, own: str, names: dict[str, list[str]]) -> None:
        """Before a row is written: what the engine matches that the index does not fill itself."""

    def after_write(self, kind_key: str, ids) -> None:
        """After rows are written: what the engine derives from them in the database."""


class SQLiteBackend(Backend):
    def find(self, audience, words):
        rows = SearchEntry.objects.filter(Q(**{audience.value: True}), *(
            Q(**{f"words_{audience.value}__contains": " " + word}) for word in words
        )).values_list(*(c.format(audience=audience.value) for c in FOUND_COLUMNS), "title", "summary", "text")
        return [(*found, float(3 * starts_a_word(words, title) + starts_a_word(words, html.unescape(f"{summary} {text}"))))
                for *found, title, summary, text in rows]

    def shown(self, entries, words):
        rows = SearchEntry.objects.filter(id__in=entries).values_list(*SHOWN_COLUMNS, "summary", "text")
        return {entry: (*line, text_snippet(html.unescape(f"{summary} {text}"), words))
                for entry, *line, summary, text in rows}

    def closest(self, words, vocabulary):
        known = {w for (title,) in vocabulary for w in WORD.findall((title or "").casefold()) if len(w) > 1}
        found = {w: (w if w in known else next(iter(difflib.get_close_matches(w, known, n=1, cutoff=0.75)), None)) for w in words}
        return {w: best for w, best in found.items() if best}

    def fill_row(self, row, own, names):
        for audience, found in names.items():
            setattr(row, f"words_{audience}", word_starts(own, *found))


# A word as a prefix, stemmed ('klimaat' → 'klimat', which 'klimaat' and 'klimaten' index as) or as
# typed ('klimaat' starts 'klimaatplan'), with the word + ':*' twice as parameters.
TERM_SQL = f"(to_tsquery('{CONFIG}'::regconfig, %s) || to_tsquery('simple'::regconfig, %s))"
# ShortWord=0: keep a short first word ("De", "Het"); PostgreSQL drops words of up to 3 letters at the edges.
HEADLINE_OPTIONS = (("StartSel", MARK_START), ("StopSel", MARK_END), ("MaxWords", 35), ("MinWords", 15),
                    ("ShortWord", 0), ("MaxFragments", 2), ("FragmentDelimiter", FRAGMENT_DELIMITER))


def _terms(words: list[str], joined_by: str) -> tuple[str, list[str]]:
    return f" {joined_by} ".join([TERM_SQL] * len(words)), [f"{w}:*" for w in words for _ in (1, 2)]


class PostgreSQLBackend(Backend):
    def searchable(self, words):
        """A Dutch stop word ('de', 'van') gives an empty query and is left out."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT w FROM unnest(%s::text[]) AS w WHERE numnode(to_tsquery(%s::regconfig, w || ':*')) > 0",
                           [words, CONFIG])
            found = {row[0] for row in cursor.fetchall()}
        return [w for w in words if w in found]

    def find(self, audience, words):
        any_word, any_params = _terms(words, "||")
        every_word, every_params = _terms(words, "&&")
        columns = ", ".join(c.format(audience=audience.value) for c in FOUND_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns}, ts_rank(own_vector, {any_word}) FROM {TABLE} "
                           f"WHERE {audience.value} AND match_{audience.value} @@ ({every_word})", any_params + every_params)
            return cursor.fetchall()

    def shown(self, entries, words):
        any_word, params = _terms(words, "||")
        options = ", ".join(connection.ops.compose_sql(f"{name}=%s", [value]) for name, value in HEADLINE_OPTIONS)
        placeholders = ", ".join(["%s"] * len(entries))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(SHOWN_COLUMNS)}, summary || ' ' || text, "
                           f"ts_headline('{CONFIG}'::regconfig, summary || ' ' || text, {any_word}, %s) "
                           f"FROM {TABLE} WHERE id IN ({placeholders})", [*params, options, *entries])
            rows = cursor.fetchall()
        return {entry: (*line, headline_html(cut, body)) for entry, *line, body, cut in rows}

    def closest(self, words, vocabulary):
        sql, params = vocabulary.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT q.w, (SELECT v.word FROM (SELECT DISTINCT lower(unnest(regexp_split_to_array(t._t, '\\W+'))) AS word
                                                  FROM ({sql}) AS t) AS v
                                 WHERE length(v.word) > 1 AND v.word %% q.w
                                 ORDER BY v.word = q.w DESC, similarity(v.word, q.w) DESC, v.word LIMIT 1)
                    FROM unnest(%s::text[]) AS q(w)""",
                [*params, words],
            )
            return {w: best for w, best in cursor.fetchall() if best}

    def after_write(self, kind_key, ids):
        """The vectors of these rows from their texts: title A, summary B, text C; the names of what the
        item belongs to join the match vectors as D (they match, they do not rank)."""

        def vector(column, weight):
            return f"setweight(to_tsvector('{CONFIG}'::regconfig, {column}), '{weight}')"

        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET own_vector = v.own, match_public = v.own || {vector(f'{TABLE}.names_public', 'D')}, "
                f"match_staff = v.own || {vector(f'{TABLE}.names_staff', 'D')} "
                f"FROM (SELECT id, {vector('title', 'A')} || {vector('summary', 'B')} || {vector('text', 'C')} AS own "
                f"FROM {TABLE} WHERE kind = %s AND item_id = ANY(%s)) AS v WHERE {TABLE}.id = v.id",
                [kind_key, list(ids)],
            )


BACKENDS = {"postgresql": PostgreSQLBackend(), "sqlite": SQLiteBackend()}


def backend() -> Backend:
    """The backend of the database in use."""
    return BACKENDS[connection.vendor]
