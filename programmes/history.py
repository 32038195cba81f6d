"""Reading and using the change history (django-simple-history) of content models."""
import difflib
import html
import re
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .richtext import esc

HISTORY_TYPES = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}


def history_models():
    """(model, historical model) for every content model that keeps history."""
    pairs = []
    for label in settings.CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            manager = getattr(model, "history", None)
            if manager is not None and hasattr(manager, "model"):
                pairs.append((model, manager.model))
    return pairs


def deleted_records(model) -> list:
    """The last history record of each deleted object of `model` that has not come back since."""
    historical = model.history.model
    existing = set(model._default_manager.values_list("pk", flat=True))
    seen, result = set(), []
    for record in historical.objects.filter(history_type="-").select_related("history_user").order_by("-history_date"):
        pk = getattr(record, model._meta.pk.attname)
        if pk in existing or pk in seen:
            continue
        seen.add(pk)
        result.append(record)
    return result


def restore_deleted(*, model, history_id, by):
    """Bring a deleted object back as it was just before deletion (same id, so old links work again)."""
    if not by.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}"):
        raise PermissionDenied
    record = model.history.model.objects.filter(history_id=history_id or 0, history_type="-").first()
    if record is None:
        raise ValidationError(_("Deze versie bestaat niet (meer)."), code="missing")
    obj = record.instance
    if model._default_manager.filter(pk=obj.pk).exists():
        raise ValidationError(_("Dit item bestaat al opnieuw."), code="exists")
    with transaction.atomic():
        try:
            obj.full_clean(validate_unique=True)
        except ValidationError as exc:
            raise ValidationError(
                _("Terugzetten lukt niet: %(why)s") % {"why": " ".join(exc.messages)}, code="invalid"
            ) from exc
        obj._change_reason = _("teruggezet na verwijdering")
        obj.save()
    return obj


# Around a change this many unchanged words stay visible; a longer unchanged stretch folds into <details>.
CONTEXT_WORDS = 8
FOLD_WORDS = 2 * CONTEXT_WORDS + 6
# A field whose changed words exceed this opens folded in the list of versions (a text written anew).
LONG_CHANGE_WORDS = 60
PARAGRAPH = "\n"
_BLOCK_END = re.compile(r"<\s*(?:br|/p|/li|/h[1-6]|/div|/blockquote|/ul|/ol)\b[^>]*>", re.IGNORECASE)


@dataclass
class DiffRow:
    """One field that differs between two versions: its words, and the difference marked."""

    label: str
    old: str
    new: str
    html: str
    removed_words: int = 0
    added_words: int = 0

    @property
    def is_long(self) -> bool:
        return self.removed_words + self.added_words > LONG_CHANGE_WORDS

    @property
    def summary(self) -> str:
        parts = []
        if self.removed_words:
            parts.append(ngettext("%(n)d woord weg", "%(n)d woorden weg", self.removed_words) % {"n": self.removed_words})
        if self.added_words:
            parts.append(ngettext("%(n)d woord nieuw", "%(n)d woorden nieuw", self.added_words) % {"n": self.added_words})
        return ", ".join(parts)


def readable_text(value) -> str:
    """What a reader sees of a stored value: tags out, entities decoded (&nbsp; is a space), one line per paragraph."""
    text = html.unescape(strip_tags(_BLOCK_END.sub(PARAGRAPH, str(value if value is not None else ""))))
    lines = (" ".join(line.split()) for line in text.split(PARAGRAPH))
    return PARAGRAPH.join(line for line in lines if line)


def _tokens(text: str) -> list[str]:
    """Words, with the paragraph breaks as tokens of their own."""
    tokens = []
    for i, line in enumerate(text.split(PARAGRAPH)):
        if i:
            tokens.append(PARAGRAPH)
        tokens.extend(line.split())
    return tokens


def _words(tokens) -> int:
    return sum(1 for token in tokens if token != PARAGRAPH)


def _plain(tokens) -> str:
    return " ".join("<br>" if token == PARAGRAPH else esc(token) for token in tokens).replace(" <br> ", "<br>")


def _marked(tag, tokens) -> str:
    return f"<{tag}>{' '.join('¶' if token == PARAGRAPH else esc(token) for token in tokens)}</{tag}>"


def _unchanged(tokens, *, first: bool, last: bool) -> str:
    """An unchanged stretch: kept whole when short, else its ends around a folded middle (never cut off)."""
    if _words(tokens) <= FOLD_WORDS or len(tokens) <= FOLD_WORDS:
        return _plain(tokens)
    head = [] if first else tokens[:CONTEXT_WORDS]
    tail = [] if last else tokens[-CONTEXT_WORDS:]
    middle = tokens[len(head):len(tokens) - len(tail)]
    n = _words(middle)
    summary = ngettext("%(n)d woord ongewijzigd", "%(n)d woorden ongewijzigd", n) % {"n": n}
    folded = f'<details class="kc-fold"><summary>… {esc(summary)}</summary>{_plain(middle)}</details>'
    return " ".join(part for part in (_plain(head), folded, _plain(tail)) if part)


def word_diff(old: str, new: str) -> tuple[str, int, int]:
    """(HTML, words removed, words added): the new text with <del>/<ins> around the words that changed,
    long unchanged stretches folded. Every word is escaped."""
    a, b = _tokens(old), _tokens(new)
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    parts, removed, added = [], 0, 0
    for i, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            parts.append(_unchanged(a[i1:i2], first=i == 0, last=i == len(opcodes) - 1))
            continue
        if i2 > i1:
            parts.append(_marked("del", a[i1:i2]))
            removed += _words(a[i1:i2])
        if j2 > j1:
            parts.append(_marked("ins", b[j1:j2]))
            added += _words(b[j1:j2])
    return " ".join(part for part in parts if part), removed, added


class _Labels:
    """The names of related objects for all versions being compared: one query per related model."""

    def __init__(self):
        self.wanted, self.names = defaultdict(set), {}

    def want(self, model, pk):
        if pk is not None:
            self.wanted[model].add(pk)

    def load(self):
        for model, pks in self.wanted.items():
            related = [f.name for f in model._meta.fields if f.is_relation]
            # Names often follow one more relation (a text is named after its track).
            deeper = [f"{f.name}__{g.name}" for f in model._meta.fields if f.is_relation
                      for g in f.related_model._meta.fields if g.is_relation and not g.null]
            for obj in model._default_manager.filter(pk__in=pks).select_related(*related, *deeper):
                self.names[(model, obj.pk)] = str(obj)
        self.wanted.clear()

    def name(self, model, pk) -> str:
        return self.names.get((model, pk), _("#%(pk)s (verwijderd)") % {"pk": pk})


def _field_text(record, field, labels) -> str:
    value = getattr(record, field.attname, None)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return labels.name(field.related_model, value)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return readable_text(value)


def version_changes(pairs) -> list[list[DiffRow]]:
    """For each (older, newer) pair of history records of one model: the fields that differ, as words.

    Related names and many-to-many snapshots are read once for all pairs, so a page of versions costs
    the same few queries however long the history is.
    """
    pairs = [(older, newer) for older, newer in pairs if older is not None and newer is not None]
    if not pairs:
        return []
    model = pairs[0][1].instance_type
    fields = [f for f in model._meta.fields if f.editable and hasattr(pairs[0][1], f.attname)]
    labels = _Labels()
    for older, newer in pairs:
        for field in fields:
            if field.is_relation:
                for record in (older, newer):
                    labels.want(field.related_model, getattr(record, field.attname, None))
    snapshots = _m2m_snapshots(model, [record for pair in pairs for record in pair], labels)
    labels.load()
    result = []
    for older, newer in pairs:
        rows = []
        for field in fields:
            old, new = _field_text(older, field, labels), _field_text(newer, field, labels)
            if old != new:
                rows.append(_row(field, old, new))
        for field, by_record in snapshots.items():
            old, new = (", ".join(sorted(labels.name(field.related_model, pk) for pk in by_record.get(r.history_id, ())))
                        for r in (older, newer))
            if old != new:
                rows.append(_row(field, old, new))
        result.append(rows)
    return result


def _row(field, old, new) -> DiffRow:
    html_diff, removed, added = word_diff(old, new)
    return DiffRow(label=str(field.verbose_name), old=old, new=new, html=mark_safe(html_diff),
                   removed_words=removed, added_words=added)


def _m2m_snapshots(model, records, labels) -> dict:
    """{m2m field: {history id: [related ids]}} for the many-to-many fields the history records."""
    found = {}
    for field in model._meta.many_to_many:
        if not all(hasattr(record, field.name) for record in records):
            continue  # this relation is not recorded in history
        through = getattr(records[0], field.name).model
        target = f"{field.related_model._meta.model_name}_id"
        by_record = defaultdict(list)
        for history_id, pk in through.objects.filter(history__in=[r.history_id for r in records]).values_list("history", target):
            by_record[history_id].append(pk)
            labels.want(field.related_model, pk)
        found[field] = by_record
    return found


def compare_versions(older, newer) -> list[DiffRow]:
    """The fields that differ between two history records, with a readable word diff."""
    changes = version_changes([(older, newer)])
    return changes[0] if changes else []


def related_paths(model) -> list[str]:
    """The foreign keys of a model and the required ones of what they point to: what names are made of."""
    paths = []
    for field in model._meta.fields:
        if field.many_to_one:
            paths.append(field.name)
            paths += [f"{field.name}__{g.name}" for g in field.related_model._meta.fields if g.many_to_one and not g.null]
    return paths


def record_label(record, model) -> str:
    """The object's name as it was in this version, its relations taken from the record's own joins.

    A history record keeps its foreign keys as (unconstrained) foreign keys, so the related names come
    with the query instead of one query per record.
    """
    obj = record.history_object  # (record.instance would read the fields history leaves out, a query per record)
    for field in model._meta.fields:
        if field.many_to_one:
            recorded = type(record)._meta.get_field(field.name)
            if recorded.is_cached(record) and recorded.get_cached_value(record) is not None:
                field.set_cached_value(obj, recorded.get_cached_value(record))
    return str(obj)


def recent_changes(*, user_id=None, model_label=None, limit=200) -> list:
    """Recent history records across all content models, newest first, each with the name of what changed.

    Two passes, a fixed number of queries whatever the size of the history: first the dates of each
    model's `limit` newest records (dates only), which give the date of the `limit`-th newest overall; then
    only the records from that date on are read with their related names (about `limit` records built,
    instead of `limit` per model: 5,500 at twenty times the demo).
    """
    sources = []
    for model, historical in history_models():
        if model_label and model._meta.label_lower != model_label:
            continue
        qs = historical.objects.order_by("-history_date")
        if user_id:
            qs = qs.filter(history_user_id=user_id)
        sources.append((model, qs))
    dates = sorted((date for _model, qs in sources for date in qs.values_list("history_date", flat=True)[:limit]), reverse=True)
    records = []
    for model, qs in sources:
        if len(dates) >= limit:
            qs = qs.filter(history_date__gte=dates[limit - 1])
        for record in qs.select_related("history_user", *related_paths(model))[:limit]:
            record.model_name = model._meta.verbose_name
            record.action = HISTORY_TYPES.get(record.history_type, record.history_type)
            record.admin_model = model
            record.label = record_label(record, model)
            records.append(record)
    records.sort(key=lambda r: r.history_date, reverse=True)
    return records[:limit]
