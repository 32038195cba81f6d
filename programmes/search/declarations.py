"""What can be searched: the vocabulary each app uses to declare its searchable kinds, and the registry.

An app declares its kinds, result sections and site pages in its own `search` module
(`programmes.search.documents`, `reports.search`), which `autodiscover()` imports once the apps are
ready, as the admin does with `admin` modules. The index (`index.py`) builds its rows from these
declarations and derives from them which changes reindex which items; the query (`query.py`) reads
the sections and pages. A new searchable field is one line in a kind's `title`, `summary` or `text`.
"""
from dataclasses import dataclass, field
from typing import Callable

from django.utils.module_loading import autodiscover_modules

from .text import plain, plain_words


@dataclass(frozen=True)
class Related:
    """Something an item belongs to, whose name may match a word: `path` from the item to it."""

    path: str
    queryset: Callable  # audience -> the related items it may see
    fields: tuple  # their names


@dataclass(frozen=True)
class Years:
    """Where the year filter finds an item: at `path`, a year of the item or of what it belongs to; or,
    with `queryset`, the years of the related rows at `path` (reverse relation) that the audience may
    see, linked back to the item by their field `back`."""

    path: str
    queryset: Callable = None  # audience -> the related rows whose year counts
    back: str = ""


@dataclass(frozen=True)
class ChangedWith:
    """Items whose row depends on a model the kind cannot reach by a relation path: when `model`
    changes, the index treats `changed(pks of model)` (items of the kind) as changed too."""

    model: type
    changed: Callable  # model pks -> QuerySet of the kind's model


@dataclass
class Result:
    """One result line: what the index stores for an item, and its snippet at query time."""

    title: str
    url: str
    meta: str = ""
    snippet: str = ""  # safe HTML: escaped text with <mark>ed words
    rank: float = 0.0
    external: bool = False
    placeholder: bool = False


@dataclass(frozen=True)
class Section:
    """A section of the result page; `position` orders the sections of all apps."""

    key: str
    label: str
    position: int


@dataclass(frozen=True)
class Kind:
    """One kind of result: where it is searched, how it is weighted, how it is filtered and shown.

    Everything the index reads for an item is named here, so what a change reindexes follows from
    it: the relation paths of `related`, `programmes`, `cities`, `years`, `select_related` (what the
    result line shows) and `visible_through` (what its `visible_to` reads), and `changed_with`.
    """

    key: str
    model: type
    section: Section
    queryset: Callable  # audience -> what it may find (a `visible_to`)
    present: Callable  # item -> Result without a snippet (select_related loaded)
    title: tuple  # weight A
    summary: tuple = ()  # weight B, markup stripped
    text: tuple = ()  # weight C, markup stripped
    related: tuple = ()  # Related
    programmes: tuple = ()  # paths to the programmes the programme filter finds it under ("pk": itself)
    cities: tuple = ()  # paths to the cities the city filter finds it under
    years: tuple = ()  # Years
    visible_through: tuple = ()  # relation paths its visibility depends on
    changed_with: tuple = ()  # ChangedWith
    select_related: tuple = ()
    order: tuple = ("pk",)  # after the rank

    def paths(self) -> set[str]:
        """Every relation path the row of an item reads (and possibly fields at their ends)."""
        paths = {rel.path for rel in self.related} | {years.path for years in self.years}
        paths |= set(self.programmes) | set(self.cities) | set(self.select_related) | set(self.visible_through)
        return paths - {"pk"}


@dataclass(frozen=True)
class Page:
    """A page of the site itself, found by its name or a word people use for what it holds.

    Matched in Python against this short list (no index row, no query): every word of a search must
    start its title or one of its words, accents ignored ("financien" finds Financiën). `position`
    orders the pages of all apps.
    """

    title: str
    url_name: str
    meta: str
    words: str = ""
    position: int = 0

    def matches(self, words: list[str]) -> bool:
        own = plain_words(f"{self.title} {self.words}")
        return bool(words) and all(any(w.startswith(plain(word)) for w in own) for word in words)


PAGES = Section("pages", "Op deze site", 0)  # the site's own pages: not in the index


@dataclass
class Registry:
    """The searchable kinds and pages of every app, in the order the result page shows them."""

    kinds: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    vocabulary: list = field(default_factory=list)  # (audience -> QuerySet, name field): where spelling variants come from

    def register(self, *kinds: Kind, pages=(), vocabulary=()) -> None:
        known = {kind.key for kind in self.kinds}
        for kind in kinds:
            if kind.key in known:
                raise ValueError(f"Search kind {kind.key!r} is declared twice.")
            known.add(kind.key)
        self.kinds = sorted([*self.kinds, *kinds], key=lambda kind: kind.section.position)
        self.pages = sorted([*self.pages, *pages], key=lambda page: page.position)
        self.vocabulary += vocabulary

    def kind(self, key: str) -> Kind:
        return next(kind for kind in self.kinds if kind.key == key)

    def sections(self) -> list[tuple[Section, tuple[str, ...]]]:
        """(section, keys of its kinds) in page order, the site's pages first."""
        found = {}
        for kind in self.kinds:
            found.setdefault(kind.section, []).append(kind.key)
        return [(PAGES, ())] + [(section, tuple(keys)) for section, keys in found.items()]


registry = Registry()


def autodiscover() -> None:
    """Import every app's `search` module, which registers its kinds (called from AppConfig.ready)."""
    autodiscover_modules("search")
