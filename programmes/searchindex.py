"""The search index: one SearchEntry row per item a search can find, kept in step with every write.

A row holds what the search reads (programmes.search): the item's own texts and the names of
what it belongs to (as a visitor may see them and as the editorial team does), whether a visitor
may see it, the years, programmes and cities it is found under, and the result it shows. A row is
built from the same definitions the pages use: the kinds of programmes.search (fields, relations,
`visible_to`) and its filter paths.

Keeping it current. Every save, delete and many-to-many change of a model the index reads from is
noted (signals, per thread); once the transaction commits, the rows of the items that depend on
what changed are built again. Which items depend on a change follows from the kinds' own relation
paths: a renamed city rebuilds the tracks, groups, meetings and links that reach it through
`cities`, `group__cities`, …; a track made private rebuilds its texts, meetings and links. A
delete is traced before it happens, while its relations still exist. A search first builds what
is still pending, so a search in the same transaction as the writes (a test, a script) sees them.
Writes that bypass signals (bulk_create, update()) call `rebuild()`, as does
`manage.py rebuild_search_index`; `migrate` fills an index that is still empty.
"""
import hashlib
import html
import logging
import threading
from collections import defaultdict

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_delete

from kenniscentrum import pagecache

from .models import GroupYear, Meeting, SearchEntry, WorkTrackYear
from .search import CITY_PATHS, CONFIG, KINDS, PROGRAMME_PATHS, TAG, WORD, _result, uses_full_text

logger = logging.getLogger(__name__)

# More changed objects than this in one transaction (loading the demo, an import): build it all again.
FULL_REBUILD_AT = 400


class _Editor:
    """Any member of the editorial team: sees drafts and private items (visibility.can_see_unpublished)."""

    is_active = is_authenticated = True

    def has_perm(self, perm, obj=None):
        return True


VISITOR, EDITOR = AnonymousUser(), _Editor()
AUDIENCES = (("public", VISITOR), ("staff", EDITOR))


# ---------------------------------------------------------------- what a kind depends on

# Relations read for an item beyond its related names and filter paths: what decides whether it is
# visible, the years it is found under, and what its result line shows.
DEPENDS = {
    "programmes": ("track_years__track",),
    "tracks": ("years",),
    "plan": ("track",),
    "report": ("track",),
    "groups": ("meetings__track", "year_figures", "tracks__cities", "tracks__lead_cities"),
    "meetings": ("track__cities", "track__lead_cities"),
    "links": ("track_year__track", "meeting__group", "meeting__track", "budget"),
    "partners": ("tracks", "groups"),
}


def _paths(kind) -> set[str]:
    paths = {rel.path for rel in kind.related} | set(kind.select_related) | set(DEPENDS.get(kind.key, ()))
    paths |= set(PROGRAMME_PATHS.get(kind.key, ())) | set(CITY_PATHS.get(kind.key, ()))
    return paths - {"pk"}


def _prefixes(kind) -> set[tuple[str, type]]:
    """(path, model at its end) for every relation path of `kind` and each of its beginnings."""
    found = set()
    for path in _paths(kind):
        model, parts = kind.model, []
        for name in path.split("__"):
            field = model._meta.get_field(name)
            if not field.is_relation:
                break
            parts.append(name)
            model = field.related_model
            found.add(("__".join(parts), model))
    return found


PREFIXES = {kind.key: _prefixes(kind) for kind in KINDS}
WATCHED = {model for prefixes in PREFIXES.values() for _path, model in prefixes} | {kind.model for kind in KINDS}


def dependents(changed: dict) -> dict[str, set]:
    """{kind key: item ids} whose rows may differ after a change to `changed` ({model: pks})."""
    found = defaultdict(set)
    for kind in KINDS:
        found[kind.key] |= changed.get(kind.model, set())
        for path, model in PREFIXES[kind.key]:
            if changed.get(model):
                found[kind.key].update(kind.model._default_manager.filter(**{f"{path}__in": changed[model]})
                                       .order_by().values_list("pk", flat=True).distinct())
    return found


# ---------------------------------------------------------------- building rows


def _spaced(values) -> str:
    """' 3 7 ' (sorted, without repeats): a list the search reads back with split()."""
    values = sorted({v for v in values if v is not None})
    return f" {' '.join(str(v) for v in values)} " if values else ""


def _without_tags(values) -> str:
    """Rich texts without their markup; entities stay (&lt;), as the PostgreSQL parser and headline expect."""
    return " ".join(TAG.sub(" ", " ".join(v or "" for v in values)).split())


def _words(*texts) -> str:
    """' word word … ' in lower case: on SQLite a word start is LIKE '% word%'."""
    return " " + " ".join(WORD.findall(html.unescape(" ".join(texts)).casefold())) + " "


def _sort_key(kind, obj) -> str:
    """The kind's own order (programmes.search.Kind.order) as text that sorts the same way."""
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

    def __call__(self, source, who):
        key = (source, who)
        if key not in self.cache:
            self.cache[key] = set(source(who).order_by().values_list("pk", flat=True))
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


def _years(kind, items, who) -> dict[int, set]:
    """{item id: years} under which the year filter finds the item, for this audience."""
    years = defaultdict(set)
    ids = items.values("pk")
    if kind.key in ("plan", "report", "meetings", "budgets"):
        rows = items.values_list("pk", "year")
    elif kind.key == "links":
        rows = list(items.values_list("pk", "track_year__year")) + list(items.values_list("pk", "meeting__year"))
    elif kind.key == "tracks":
        rows = WorkTrackYear.objects.visible_to(who).filter(track__in=ids).order_by().values_list("track_id", "year")
    elif kind.key == "programmes":
        rows = WorkTrackYear.objects.visible_to(who).filter(programme__in=ids).order_by().values_list("programme_id", "year")
    elif kind.key == "groups":
        rows = list(Meeting.objects.visible_to(who).filter(group__in=ids).order_by().values_list("group_id", "year"))
        rows += list(GroupYear.objects.filter(group__in=ids).order_by().values_list("group_id", "year"))
    else:
        rows = []
    for pk, year in rows:
        if year is not None:
            years[pk].add(year)
    return years


def _facet(kind, items, paths) -> dict[int, set]:
    found = defaultdict(set)
    for path in paths.get(kind.key, ()):
        if path == "pk":
            for pk in items.values_list("pk", flat=True):
                found[pk].add(pk)
        else:
            for pk, value in items.values_list("pk", path):
                if value is not None:
                    found[pk].add(value)
    return found


def build_rows(kind, ids=None, visible=None) -> list[SearchEntry]:
    """The rows of the items of `kind` (all, or those with these ids) that anyone may find."""
    visible = visible or _Visible()
    manager = kind.model._default_manager
    items = (manager.all() if ids is None else manager.filter(pk__in=ids)).order_by()
    found = kind.queryset(EDITOR).filter(pk__in=items.values("pk")).order_by().annotate(
        _public=Exists(kind.queryset(VISITOR).filter(pk=OuterRef("pk")))).values_list("pk", "_public")
    audience = {"staff": set(), "public": set()}
    for pk, public in found:
        audience["staff"].add(pk)
        if public:
            audience["public"].add(pk)
    if not audience["staff"]:
        return []
    items = manager.filter(pk__in=audience["staff"]).order_by() if ids is not None else items
    names = {name: defaultdict(list) for name, _who in AUDIENCES}
    for rel in kind.related:
        rows = _pairs(items, f"{rel.path}__pk", *(f"{rel.path}__{f}" for f in rel.fields))
        for name, who in AUDIENCES:
            seen = visible(rel.queryset, who)
            for pk, related in rows.items():
                names[name][pk] += [" ".join(filter(None, parts)) for related_pk, *parts in related if related_pk in seen]
    years = {name: _years(kind, items, who) for name, who in AUDIENCES}
    programmes, cities = _facet(kind, items, PROGRAMME_PATHS), _facet(kind, items, CITY_PATHS)
    objects = items.select_related(*kind.select_related) if kind.select_related else items
    objects = objects.defer(*(f.name for f in kind.model._meta.concrete_fields if isinstance(f, SearchVectorField)))
    full_text = uses_full_text()
    rows = []
    for obj in objects:
        if obj.pk not in audience["staff"]:
            continue
        title = " ".join(str(getattr(obj, f) or "") for f in kind.title)
        summary, text = (_without_tags(getattr(obj, f) for f in fields) for fields in (kind.summary, kind.text))
        result = _result(kind, obj, "")
        row = SearchEntry(
            kind=kind.key, item_id=obj.pk, public=obj.pk in audience["public"], staff=True,
            title=title, summary=summary, text=text,
            years_public=_spaced(years["public"][obj.pk]), years_staff=_spaced(years["staff"][obj.pk]),
            programmes=_spaced(programmes[obj.pk]), cities=_spaced(cities[obj.pk]), sort_key=_sort_key(kind, obj),
            label=result.title, url=result.url, meta=result.meta, external=result.external, placeholder=result.placeholder,
        )
        for name, _who in AUDIENCES:
            setattr(row, f"names_{name}", " ".join(names[name][obj.pk]))
            if not full_text:  # PostgreSQL matches the vectors instead
                setattr(row, f"words_{name}", _words(title, summary, text, *names[name][obj.pk]))
        row.digest = hashlib.sha1(repr([getattr(row, f) for f in _DIGESTED]).encode()).hexdigest()
        rows.append(row)
    return rows


_UPDATE_FIELDS = [f.name for f in SearchEntry._meta.concrete_fields if f.name not in ("id", "kind", "item_id")
                  and not isinstance(f, SearchVectorField)]
_DIGESTED = [name for name in _UPDATE_FIELDS if name != "digest"]


def _vectors(kind_key: str, ids=None) -> None:
    """Fill the vectors of these rows from their texts (PostgreSQL): title A, summary B, text C; the
    names of what the item belongs to join the match vectors as D (they match, they do not rank)."""
    if not uses_full_text():
        return
    table = SearchEntry._meta.db_table
    where, params = "kind = %s", [kind_key]
    if ids is not None:
        where += " AND item_id = ANY(%s)"
        params.append(list(ids))

    def vector(column, weight):
        return f"setweight(to_tsvector('{CONFIG}'::regconfig, {column}), '{weight}')"

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET own_vector = v.own, match_public = v.own || {vector(f'{table}.names_public', 'D')}, "
            f"match_staff = v.own || {vector(f'{table}.names_staff', 'D')} "
            f"FROM (SELECT id, {vector('title', 'A')} || {vector('summary', 'B')} || {vector('text', 'C')} AS own "
            f"FROM {table} WHERE {where}) AS v WHERE {table}.id = v.id",
            params,
        )


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
                                        unique_fields=["kind", "item_id"], update_fields=_UPDATE_FIELDS)
        if rows:
            _vectors(kind.key, [row.item_id for row in rows])


def rebuild(force=True) -> None:
    """Build every row again (after writes that send no signals); `force`: write even unchanged rows."""
    _pending().clear()
    visible = _Visible()
    with transaction.atomic():
        for kind in KINDS:
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


_state = _Pending()


def _pending() -> _Pending:
    return _state


def forget_pending() -> None:
    """Drop the notes of writes not yet in the index (their transaction was rolled back)."""
    _pending().clear()


def flush() -> bool:
    """Build the rows that the writes noted so far may have changed; whether there were any."""
    pending = _pending()
    if not len(pending):
        return False
    if len(pending) > FULL_REBUILD_AT:
        rebuild(force=False)
        return True
    changed, items = dict(pending.changed), {k: set(v) for k, v in pending.items.items()}
    pending.clear()
    for key, ids in dependents(changed).items():
        items.setdefault(key, set()).update(ids)
    visible = _Visible()
    with transaction.atomic():
        for kind in KINDS:
            if items.get(kind.key):
                index(kind, items[kind.key], visible)
    return True


def _note(model, pks, using) -> None:
    _pending().changed[model].update(pks)
    transaction.on_commit(_flush_after_commit, using=using)


def _flush_after_commit():
    try:
        flushed = flush()
    except Exception:  # the content is saved by now; an error page would not undo it
        _pending().clear()
        logger.exception("Search index update failed; run manage.py rebuild_search_index.")
        return
    if flushed:
        # The page cache's new content version may already be out (its on_commit ran first): a search
        # page rendered in between read the old index under it. A version after the index expires it.
        pagecache.content_changed_after_commit()


def _budgets_changed(using):
    """An edition being published or withdrawn decides whether that year's budget (and its links) is public."""
    Budget = apps.get_model("programmes", "Budget")
    _note(Budget, set(Budget.objects.using(using).values_list("pk", flat=True)), using)


def _saved(sender, instance, using=None, **kwargs):
    if sender in WATCHED:
        _note(sender, {instance.pk}, using)
    elif sender._meta.label == "reports.Edition":
        _budgets_changed(using)


def _deleting(sender, instance, using=None, **kwargs):
    """Before a delete: trace the items that reach the object now, while their relations exist."""
    if sender in WATCHED:
        for key, ids in dependents({sender: {instance.pk}}).items():
            _pending().items[key].update(ids)
        _note(sender, set(), using)
    elif sender._meta.label == "reports.Edition":
        _budgets_changed(using)


def _linked(sender, instance, action, model, pk_set, using=None, **kwargs):
    if type(instance) not in WATCHED and model not in WATCHED:
        return
    if action == "pre_clear":  # the other side is about to be forgotten: trace what reaches it now
        for key, ids in dependents({type(instance): {instance.pk}}).items():
            _pending().items[key].update(ids)
    elif action.startswith("post_"):
        _note(type(instance), {instance.pk}, using)
        if pk_set:
            _note(model, set(pk_set), using)


def _refresh_index(sender, using="default", **kwargs):
    """After migrate: every row built again and written where it differs (by its digest). The first
    migrate with the index fills it; a deploy whose code changes what a row holds (a result line, a
    weight) brings the stored rows in line at once, and one that changes nothing writes nothing."""
    if sender.name == "programmes" and using == connection.alias \
            and any(kind.model._default_manager.exists() for kind in KINDS):
        rebuild(force=False)


def connect_signals() -> None:
    post_save.connect(_saved, dispatch_uid="searchindex-save")
    pre_delete.connect(_deleting, dispatch_uid="searchindex-delete")
    m2m_changed.connect(_linked, dispatch_uid="searchindex-m2m")
    post_migrate.connect(_refresh_index, dispatch_uid="searchindex-migrate")
