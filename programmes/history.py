"""Reading and using the change history (django-simple-history) of content models."""
import difflib
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

HISTORY_TYPES = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}
CONTENT_APPS = ("programmes", "reports")


def history_models():
    """(model, historical model) for every content model that keeps history."""
    pairs = []
    for label in CONTENT_APPS:
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


@dataclass
class DiffRow:
    label: str
    old: str
    new: str
    html: str


def _as_text(record, field) -> str:
    value = getattr(record, field.attname, None)
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    elif field.is_relation and value is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        value = str(related) if related is not None else f"#{value} (verwijderd)"
    text = strip_tags(str(value if value is not None else ""))
    return " ".join(text.split())


def _inline_diff(old: str, new: str) -> str:
    """Word-level diff as <del>/<ins>, escaped."""
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("span", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("ins", " ".join(b[j1:j2])))
    return format_html_join(" ", "<{0}>{1}</{0}>", parts) or mark_safe("")


def compare_versions(older, newer) -> list[DiffRow]:
    """The fields that differ between two history records, with a readable word diff."""
    if older is None or newer is None:
        return []
    rows = []
    for field in newer.instance_type._meta.fields:
        if not hasattr(newer, field.attname) or not field.editable:
            continue
        old, new = _as_text(older, field), _as_text(newer, field)
        if old != new:
            rows.append(DiffRow(label=str(field.verbose_name), old=old, new=new, html=_inline_diff(old, new)))
    for field in newer.instance_type._meta.many_to_many:
        if not hasattr(newer, field.name) or not hasattr(older, field.name):
            continue  # this relation is not recorded in history
        old, new = _m2m_as_text(older, field), _m2m_as_text(newer, field)
        if old != new:
            rows.append(DiffRow(label=str(field.verbose_name), old=old, new=new, html=_inline_diff(old, new)))
    return rows


def _m2m_as_text(record, field) -> str:
    """The names linked in a history record's many-to-many snapshot, sorted, comma-separated."""
    target = field.related_model
    ids = [getattr(row, f"{target._meta.model_name}_id") for row in getattr(record, field.name).all()]
    names = sorted(str(obj) for obj in target._default_manager.filter(pk__in=ids))
    return ", ".join(names)


def recent_changes(*, user_id=None, model_label=None, limit=200) -> list:
    """Recent history records across all content models, newest first."""
    records = []
    for model, historical in history_models():
        if model_label and model._meta.label_lower != model_label:
            continue
        qs = historical.objects.select_related("history_user").order_by("-history_date")
        if user_id:
            qs = qs.filter(history_user_id=user_id)
        for record in qs[:limit]:
            record.model_name = model._meta.verbose_name
            record.action = HISTORY_TYPES.get(record.history_type, record.history_type)
            record.admin_model = model
            records.append(record)
    records.sort(key=lambda r: r.history_date, reverse=True)
    return records[:limit]
