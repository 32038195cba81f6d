"""Site search: what a visitor may read, grouped by kind of result, ranked, with a snippet.

Every word of the query must match somewhere in the item or in what it belongs to (its programme,
its track, the cities leading or taking part, its partners), so "klimaat gent" finds the climate
tracks and groups Gent takes part in.

A search reads the search index (SearchEntry, one row per item, kept current by index.py from the
declared kinds): one query finds the matching items with what the filters need, a second fetches
the results shown. How the words match, rank and make a snippet depends on the database engine
(backends.py); both engines return the same rows. An empty result offers spelling variants drawn
from the titles the visitor may see.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.urls import reverse

from ..models import SearchEntry
from ..visibility import Audience
from .backends import backend
from .declarations import PAGES, Result, registry
from .index import flush
from .text import query_words

FACETS = ("year", "programme", "city")
DATED_KINDS = ("plan", "report", "meetings")  # the kinds whose years the year filter offers


@dataclass
class Section:
    """One section of the result page: its label, the results shown and how many there are."""

    key: str
    label: str
    results: list = field(default_factory=list)
    total: int = 0


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

    One query finds every item in which all words match (the index keeps, per item, its own texts and
    the names of what it belongs to, as each audience may see them) with its rank and the years,
    programmes and cities it is found under; the filters, the section totals and the option counts
    are worked out from those rows. A second query fetches what the shown results display, with
    their snippets.
    """

    def __init__(self, *, q: str, user, chosen=None, count_sections=None):
        """`chosen`: {'year': 2024, 'programme': …, 'city': …}, the filters picked; `count_sections`:
        the sections the option counts cover (all when None)."""
        flush()  # writes of this transaction that are not in the index yet
        self.backend = backend()
        self.chosen = dict(chosen or {})
        self.audience = Audience.of(user)
        self.words = query_words(q)
        if self.words:
            self.words = self.backend.searchable(self.words)
        self.count_kinds = {k for section, kind_keys in registry.sections()
                            if count_sections is None or section.key in count_sections for k in kind_keys}
        self._matches = None

    @property
    def matches(self) -> list[Match]:
        if self._matches is None:
            self._matches = self._find() if self.words else []
        return self._matches

    def _find(self) -> list[Match]:
        ids = _parser()
        return [Match(entry, kind, rank, ids(years), ids(programmes), ids(cities), sort_key)
                for entry, kind, years, programmes, cities, sort_key, rank in self.backend.find(self.audience, self.words)]

    def sections(self, *, limit: int = 20, kinds=None) -> list[Section]:
        """The sections of results for the chosen filters, in page order: each ranked, at most `limit` shown."""
        found = defaultdict(list)
        for match in self.matches:
            if match.passes(self.chosen):
                found[match.kind].append(match)
        sections, shown = [], {}
        for declared, kind_keys in registry.sections():
            section = Section(declared.key, declared.label)
            if declared is PAGES:
                if self.words and (kinds is None or section.key in kinds):
                    section.results = self.page_results()
                    section.total = len(section.results)
            elif self.words and (kinds is None or section.key in kinds):
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
            if section.key != PAGES.key:
                section.results = [results[m.entry] for m in section.results]
        return sections

    def page_results(self) -> list[Result]:
        """The site's own pages whose name matches; they have no year, programme or city, so a chosen
        filter leaves them out as it does a kind without that path."""
        if self.chosen:
            return []
        return [Result(page.title, reverse(page.url_name), page.meta) for page in registry.pages if page.matches(self.words)]

    def _results(self, shown: dict) -> dict[int, Result]:
        """{entry: Result} for the matches shown, with a snippet around the matched words."""
        if not shown:
            return {}
        return {
            entry: Result(label, url, meta, snippet, rank=shown[entry].rank, external=bool(external), placeholder=bool(placeholder))
            for entry, (label, url, meta, external, placeholder, snippet) in self.backend.shown(list(shown), self.words).items()
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


def section_choices() -> list[tuple[str, str]]:
    """(key, label) of every section of the result page, in order: the choices of the 'soort' filter."""
    return [(section.key, section.label) for section, _kinds in registry.sections()]


def indexed_years(user) -> list[int]:
    """The years of the plan and report texts and the meetings this visitor may find, newest first: the
    same years as those models' `visible_to` give, read from the index's few distinct year lists."""
    flush()
    audience = Audience.of(user).value
    spaced = SearchEntry.objects.filter(**{audience: True}, kind__in=DATED_KINDS).order_by() \
        .values_list(f"years_{audience}", flat=True).distinct()
    return sorted({int(year) for years in spaced for year in years.split()}, reverse=True)


def search(*, q: str, user, limit: int = 20, kinds=None, chosen=None) -> list[Section]:
    """The sections of results for `q` with the `chosen` filters, in page order."""
    return Search(q=q, user=user, chosen=chosen).sections(limit=limit, kinds=kinds)


def _vocabulary(audience):
    """The declared titles and names this audience may see, one column `_t`: the words a suggestion may come from."""
    parts = [queryset(audience).annotate(_t=F(name)).order_by().values_list("_t") for queryset, name in registry.vocabulary]
    return parts[0].union(*parts[1:])


def suggestions(*, q: str, user) -> str:
    """The query with each unknown word replaced by the closest word of the data's vocabulary, or ''."""
    words = query_words(q)
    if not words:
        return ""
    best = backend().closest(words, _vocabulary(Audience.of(user)))
    corrected = [best.get(w) or w for w in words]
    return " ".join(corrected) if corrected != words else ""
