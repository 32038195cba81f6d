"""The search index: one SearchEntry row per item a search can find, kept in step with every write.

A row holds what the query reads: the item's own texts and the names of what it belongs to (as the
public may see them and as the editorial team does: `visibility.Audience`), whether the public may
see it, the years, programmes and cities it is found under, and its result line. A row is built from
the declared kinds (declarations.registry) and nothing else.

Keeping it current. Every save, delete and many-to-many change of a model the index reads from is
noted (signals, per thread); once the transaction commits, the rows of the items that depend on
what changed are built again (and of what a changed relation pointed at before). Which items depend on a change follows from the relation paths each
kind declares (Kind.paths): a renamed city rebuilds the tracks, groups, meetings and links that
reach it through `cities`, `group__cities`, …; a track made private rebuilds its texts, meetings
and links; a kind's `changed_with` names what no path reaches (an edition published makes its
year's budget public). A delete is traced before it happens, while its relations still exist. A
search first builds what is still pending, so a search in the same transaction as the writes (a
test, a script) sees them. Writes that bypass signals (bulk_create, update()) call `rebuild()`, as
does `manage.py rebuild_search_index`; `migrate` brings the rows in line with the code.
"""
import hashlib
import logging
import threading
from collections import defaultdict
from functools import cache

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_delete, pre_save

from kenniscentrum import pagecache

from ..models import SearchEntry
from ..visibility import Audience
from .backends import backend
from .declarations import registry
from .text import without_tags

logger = logging.getLogger(__name__)

# More changed objects than this in one transaction (loading the demo, an import): build it all again.
FULL_REBUILD_AT = 400
AUDIENCES = tuple(Audience)


# ---------------------------------------------------------------- what depends on what


def _prefixes(kind) -> set[tuple[str, type]]:
    """(path, model at its end) for every relation path of `kind` and each of its beginnings."""
    found = set()
    for path in kind.paths():
        model, parts = kind.model, []
        for name in path.split("__"):
            field = model._meta.get_field(name)
            if not field.is_relation:
                break
            parts.append(name)
            model = field.related_model
            found.add(("__".join(parts), model))
    return found


@cache
def _dependencies():
    """({kind key: its (path, model) prefixes}, every model whose change may change a row), from the
    declarations; worked out once, after every app registered its kinds."""
    prefixes = {kind.key: _prefixes(kind) for kind in registry.kinds}
    watched = {model for found in prefixes.values() for _path, model in found} | {kind.model for kind in registry.kinds}
    return prefixes, frozenset(watched)


def watched_models() -> frozenset:
    """The models whose changes the index follows (by relation path or by a kind's model)."""
    return _dependencies()[1]


def dependents(changed: dict) -> dict[str, set]:
    """{kind key: item ids} whose rows may differ after a change to `changed` ({model: pks})."""
    prefixes = _dependencies()[0]
    found = defaultdict(set)
    for kind in registry.kinds:
        found[kind.key] |= changed.get(kind.model, set())
        for path, model in prefixes[kind.key]:
            if changed.get(model):
                found[kind.key].update(kind.model._default_manager.filter(**{f"{path}__in": changed[model]})
                                       .order_by().values_list("pk", flat=True).distinct())
    return found


# ---------------------------------------------------------------- building rows


def _spaced(values) -> str:
    """' 3 7 ' (sorted, without repeats): a list the search reads back with split()."""
    values = sorted({v for v in values if v is not None})
    return f" {' '.join(str(v) for v in values)} " if values else ""


def _sort_key(kind, obj) -> str:
    """The kind's own order (Kind.order) as text that sorts the same way."""
    parts = []
    for name in kind.order:
        value = obj
        for attr in name.lstrip("-").split("__"):
            value = getattr(value, attr, None)
        descending = name.startswith("-")
        if value is None:
            part = ""
        elif isinstance(value, int):
            part = f"{(10**9 - value) if descending else value:010d}"
        elif hasattr(value, "toordinal"):
            part = f"{(10**7 - value.toordinal()) if descending else value.toordinal():08d}"
        else:
            part = str(value).casefold()
        parts.append(part)
    return "\t".join(parts)


class _Visible:
    """Ids of the related items each audience may see, looked up once per build."""

    def __init__(self):
        self.cache = {}

    def __call__(self, source, audience):
        key = (source, audience)
        if key not in self.cache:
            self.cache[key] = set(source(audience).order_by().values_list("pk", flat=True))
        return self.cache[key]


def _pairs(queryset, *values):
    """{item id: [rows of the other values]} (a relation followed from each item), in the order of the
    first value (the related id), so that a row is built the same whatever order the database returns."""
    found = defaultdict(list)
    for pk, *rest in queryset.values_list("pk", *values):
        found[pk].append(rest)
    for rows in found.values():
        rows.sort(key=lambda row: (row[0] is None, row[0] or 0))
    return found


def _years(kind, items, audience) -> dict[int, set]:
    """{item id: years} under which the year filter finds the item, for this audience."""
    found = defaultdict(set)
    for source in kind.years:
        if source.queryset is None:
            rows = items.values_list("pk", source.path)
        else:
            rows = source.queryset(audience).filter(**{f"{source.back}__in": items.values("pk")}).order_by() \
                .values_list(source.back, "year")
        for pk, year in rows:
            if year is not None:
                found[pk].add(year)
    return found


def _facet(items, paths) -> dict[int, set]:
    found = defaultdict(set)
    for path in paths:
        if path == "pk":
            for pk in items.values_list("pk", flat=True):
                found[pk].add(pk)
        else:
            for pk, value in items.values_list("pk", path):
                if value is not None:
                    found[pk].add(value)
    return found


def _audiences(kind, items) -> dict[Audience, set]:
    """{audience: ids of these items it may find}, in one query (the public's as an Exists)."""
    found = kind.queryset(Audience.EDITORIAL_TEAM).filter(pk__in=items.values("pk")).order_by().annotate(
        _public=Exists(kind.queryset(Audience.PUBLIC).filter(pk=OuterRef("pk")))).values_list("pk", "_public")
    audiences = {audience: set() for audience in AUDIENCES}
    for pk, public in found:
        audiences[Audience.EDITORIAL_TEAM].add(pk)
        if public:
            audiences[Audience.PUBLIC].add(pk)
    return audiences


def build_rows(kind, ids=None, visible=None) -> list[SearchEntry]:
    """The rows of the items of `kind` (all, or those with these ids) that anyone may find."""
    visible = visible or _Visible()
    manager = kind.model._default_manager
    items = (manager.all() if ids is None else manager.filter(pk__in=ids)).order_by()
    audiences = _audiences(kind, items)
    staff, public = audiences[Audience.EDITORIAL_TEAM], audiences[Audience.PUBLIC]
    if not staff:
        return []
    items = manager.filter(pk__in=staff).order_by() if ids is not None else items
    names = {audience.value: defaultdict(list) for audience in AUDIENCES}
    for rel in kind.related:
        rows = _pairs(items, f"{rel.path}__pk", *(f"{rel.path}__{f}" for f in rel.fields))
        for audience in AUDIENCES:
            seen = visible(rel.queryset, audience)
            for pk, related in rows.items():
                names[audience.value][pk] += [" ".join(filter(None, parts)) for related_pk, *parts in related if related_pk in seen]
    years = {audience.value: _years(kind, items, audience) for audience in AUDIENCES}
    programmes, cities = _facet(items, kind.programmes), _facet(items, kind.cities)
    objects = items.select_related(*kind.select_related) if kind.select_related else items
    objects = objects.defer(*(f.name for f in kind.model._meta.concrete_fields if isinstance(f, SearchVectorField)))
    engine = backend()
    rows = []
    for obj in objects:
        if obj.pk not in staff:
            continue
        title = " ".join(str(getattr(obj, f) or "") for f in kind.title)
        summary, text = (without_tags(getattr(obj, f) for f in fields) for fields in (kind.summary, kind.text))
        result = kind.present(obj)
        row = SearchEntry(
            kind=kind.key, item_id=obj.pk, public=obj.pk in public, staff=True,
            title=title, summary=summary, text=text,
            names_public=" ".join(names["public"][obj.pk]), names_staff=" ".join(names["staff"][obj.pk]),
            years_public=_spaced(years["public"][obj.pk]), years_staff=_spaced(years["staff"][obj.pk]),
            programmes=_spaced(programmes[obj.pk]), cities=_spaced(cities[obj.pk]), sort_key=_sort_key(kind, obj),
            label=result.title, url=result.url, meta=result.meta, external=result.external, placeholder=result.placeholder,
        )
        engine.fill_row(row, f"{title} {summary} {text}", {audience: found[obj.pk] for audience, found in names.items()})
        row.digest = hashlib.sha1(repr([getattr(row, f) for f in DIGESTED]).encode()).hexdigest()
        rows.append(row)
    return rows


UPDATE_FIELDS = [f.name for f in SearchEntry._meta.concrete_fields if f.name not in ("id", "kind", "item_id")
                 and not isinstance(f, SearchVectorField)]
DIGESTED = [name for name in UPDATE_FIELDS if name != "digest"]


def _delete(kind_key: str, ids=None) -> None:
    rows = SearchEntry.objects.filter(kind=kind_key)
    rows = rows if ids is None else rows.filter(item_id__in=ids)
    rows._raw_delete(rows.db)  # no delete signals: the index is not content


def index(kind, ids=None, visible=None, force=False) -> None:
    """Build the rows of these items of `kind` again (all of them when `ids` is None).

    Only rows that differ from the stored ones are written (a saved city whose name did not change
    touches no row of the thousands that carry it), unless `force`: then every row is written anew.
    """
    rows = build_rows(kind, ids, visible)
    stored = SearchEntry.objects.filter(kind=kind.key)
    stored = dict((stored if ids is None else stored.filter(item_id__in=ids)).values_list("item_id", "digest"))
    gone = set(stored) - {row.item_id for row in rows}
    if not force:
        rows = [row for row in rows if stored.get(row.item_id) != row.digest]
    with transaction.atomic():
        if force and ids is None:
            _delete(kind.key)
        elif gone:
            _delete(kind.key, gone)
        SearchEntry.objects.bulk_create(rows, batch_size=500, update_conflicts=True,
                                        unique_fields=["kind", "item_id"], update_fields=UPDATE_FIELDS)
        if rows:
            backend().after_write(kind.key, [row.item_id for row in rows])


def rebuild(force=True) -> None:
    """Build every row again (after writes that send no signals); `force`: write even unchanged rows."""
    _pending.clear()
    visible = _Visible()
    with transaction.atomic():
        for kind in registry.kinds:
            index(kind, None, visible, force=force)


# ---------------------------------------------------------------- noting writes


class _Pending(threading.local):
    def __init__(self):
        self.changed = defaultdict(set)  # model -> pks saved or linked
        self.items = defaultdict(set)  # kind key -> item ids traced before a delete

    def clear(self):
        self.changed.clear()
        self.items.clear()

    def __len__(self):
        return sum(map(len, self.changed.values())) + sum(map(len, self.items.values()))


_pending = _Pending()


def forget_pending() -> None:
    """Drop the notes of writes not yet in the index (their transaction was rolled back)."""
    _pending.clear()


def flush() -> bool:
    """Build the rows that the writes noted so far may have changed; whether there were any."""
    if not len(_pending):
        return False
    if len(_pending) > FULL_REBUILD_AT:
        rebuild(force=False)
        return True
    changed, items = dict(_pending.changed), {k: set(v) for k, v in _pending.items.items()}
    _pending.clear()
    for key, ids in dependents(changed).items():
        items.setdefault(key, set()).update(ids)
    visible = _Visible()
    with transaction.atomic():
        for kind in registry.kinds:
            if items.get(kind.key):
                index(kind, items[kind.key], visible)
    return True


def _note(model, pks, using) -> None:
    _pending.changed[model].update(pks)
    transaction.on_commit(_flush_after_commit, using=using)


def _flush_after_commit():
    try:
        flushed = flush()
    except Exception:  # the content is saved by now; an error page would not undo it
        _pending.clear()
        logger.exception("Search index update failed; run manage.py rebuild_search_index.")
        return
    if flushed:
        # The page cache's new content version may already be out (its on_commit ran first): a search
        # page rendered in between read the old index under it. A version after the index expires it.
        pagecache.content_changed_after_commit()


def _note_changed_with(sender, pks, using) -> None:
    """A model no relation path reaches changed: note the items the kinds declare depend on it."""
    for kind in registry.kinds:
        for rule in kind.changed_with:
            if rule.model is sender:
                _note(kind.model, set(rule.changed(pks).using(using).values_list("pk", flat=True)), using)


def _saved(sender, instance, using=None, **kwargs):
    if sender in watched_models():
        _note(sender, {instance.pk}, using)
    _note_changed_with(sender, {instance.pk}, using)


def _saving(sender, instance, using=None, **kwargs):
    """Before a save: where the object's relations pointed until now. What reached it through them no
    longer does once it is saved (a meeting moved to another group leaves the first group's years),
    so the objects it leaves count as changed too."""
    watched = watched_models()
    if sender not in watched or instance._state.adding or instance.pk is None:
        return
    keys = [f for f in sender._meta.concrete_fields if f.is_relation and f.related_model in watched]
    old = sender._default_manager.using(using).filter(pk=instance.pk).values(*(f.attname for f in keys)).first() if keys else None
    for field in keys if old else ():
        if old[field.attname] is not None and old[field.attname] != getattr(instance, field.attname):
            _note(field.related_model, {old[field.attname]}, using)


def _deleting(sender, instance, using=None, **kwargs):
    """Before a delete: trace the items that reach the object now, while their relations exist."""
    if sender in watched_models():
        for key, ids in dependents({sender: {instance.pk}}).items():
            _pending.items[key].update(ids)
        _note(sender, set(), using)
    _note_changed_with(sender, {instance.pk}, using)


def _linked(sender, instance, action, model, pk_set, using=None, **kwargs):
    watched = watched_models()
    if type(instance) not in watched and model not in watched:
        return
    if action == "pre_clear":  # the other side is about to be forgotten: trace what reaches it now
        for key, ids in dependents({type(instance): {instance.pk}}).items():
            _pending.items[key].update(ids)
    elif action.startswith("post_"):
        _note(type(instance), {instance.pk}, using)
        if pk_set:
            _note(model, set(pk_set), using)


def _refresh_index(sender, using="default", **kwargs):
    """After migrate: every row built again and written where it differs (by its digest). The first
    migrate with the index fills it; a deploy whose code changes what a row holds (a result line, a
    weight) brings the stored rows in line at once, and one that changes nothing writes nothing."""
    if sender.name == "programmes" and using == connection.alias \
            and any(kind.model._default_manager.exists() for kind in registry.kinds):
        rebuild(force=False)


def connect_signals() -> None:
    pre_save.connect(_saving, dispatch_uid="searchindex-presave")
    post_save.connect(_saved, dispatch_uid="searchindex-save")
    pre_delete.connect(_deleting, dispatch_uid="searchindex-delete")
    m2m_changed.connect(_linked, dispatch_uid="searchindex-m2m")
    post_migrate.connect(_refresh_index, dispatch_uid="searchindex-migrate")
