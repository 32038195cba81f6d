"""What full-text search indexes of each model, kept in stored tsvector columns (PostgreSQL).

One `SearchVectorField` per searchable text of a row (`search_vector`; a track-year has one for
its plan text and one for its report text, since a visitor may read one and not the other). Its
parts are weighted: titles A, summaries B, other texts C, with markup stripped. The column is
derived from the row's own fields only: `save()` refreshes it (one UPDATE), and paths that write
without save() (load_demo, data migrations) call `refresh_search_vectors`. A GIN index on each
column (migration 0010) keeps matching fast; ranking reads the stored vector instead of parsing
the texts again (parsing them at query time cost ~100 ms a pass at twenty times the demo).
On SQLite the columns stay empty and search falls back to word starts (programmes.search).

This module imports no models, so models.py can use it.
"""
from django.contrib.postgres.search import SearchVector
from django.db import connections
from django.db.models import F, Func, TextField, Value

CONFIG = "kc_dutch"  # 'dutch' with unaccent, created by migration 0010

# model name -> {column: (title fields (A), summary fields (B), text fields (C))}
DOCUMENTS = {
    "Programme": {"search_vector": (("name", "short_name"), ("description",), ())},
    "Organisation": {"search_vector": (("name", "short_name"), (), ())},
    "WorkTrack": {"search_vector": (("title",), ("summary",), ())},
    "WorkTrackYear": {
        "plan_vector": (("title",), (), ("plan_text",)),
        "report_vector": (("title",), (), ("report_text",)),
    },
    "WorkingGroup": {"search_vector": (("name",), ("purpose",), ("frequency",))},
    "Meeting": {"search_vector": (("title",), ("description",), ("place",))},
    "Link": {"search_vector": (("title",), (), ())},
}


def stripped(field_name: str):
    """A rich-text column without its tags."""
    return Func(F(field_name), Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace", output_field=TextField())


def vector(title=(), summary=(), text=()):
    parts = [SearchVector(*title, config=CONFIG, weight="A")]
    if summary:
        parts.append(SearchVector(*(stripped(f) for f in summary), config=CONFIG, weight="B"))
    if text:
        parts.append(SearchVector(*(stripped(f) for f in text), config=CONFIG, weight="C"))
    result = parts[0]
    for part in parts[1:]:
        result = result + part
    return result


def vectors_for(model) -> dict:
    return {column: vector(*parts) for column, parts in DOCUMENTS.get(model.__name__, {}).items()}


def refresh_search_vectors(queryset) -> None:
    """Recompute the stored vectors of these rows (PostgreSQL; nothing to do on SQLite)."""
    values = vectors_for(queryset.model)
    if values and connections[queryset.db].vendor == "postgresql":
        queryset.update(**values)


class SearchDocumentMixin:
    """Keeps a model's stored search vectors in step with its own fields on every save()."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        refresh_search_vectors(type(self)._default_manager.filter(pk=self.pk))
