"""The site search as a package: what is searchable, the index that holds it, the query that reads it.

    declarations.py  the vocabulary of a searchable kind (fields, weights, paths, result line) and the registry
    documents.py     the kinds, sections and pages of programmes (reports declares its own in reports/search.py)
    text.py          query words, snippets and marks
    backends.py      matching, ranking and snippets per database engine (PostgreSQL, SQLite)
    index.py         the SearchEntry rows built from the declarations, kept in step with every write
    query.py         a search of one visitor: sections, filters, option counts, spelling variants

Imports point one way: text ← declarations ← documents; declarations, backends ← index ← query.
This module registers the programmes kinds when `declarations.autodiscover()` imports it.
"""
from . import documents  # noqa: F401  (registers the kinds of programmes)
