"""Back-office forms: rich text sanitised on save, publish rights checked, and no lost edits.

Every editable admin form carries a fingerprint of the object as it was when the form was opened
(`loaded_state`). Saving compares it with the object as it is now: if someone else saved in
between, the save is refused with a list of what they changed, so nothing is silently overwritten.
"""
import hashlib
import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from .addresses import is_placeholder_value
from .amounts import AmountField
from .dates import EXAMPLES, parse_meeting_date
from .models import EditorialStatus, Meeting, MeetingKind
from .partialdate import PartialDate
from .richtext import to_safe_html
from .selectors import meeting_lookalike

LOADED_STATE = "loaded_state"
SLUG_LABELS = {
    False: (_("Webadres"), _("Het laatste deel van het adres van de publieke pagina: kleine letters, cijfers en "
                            "koppeltekens. Wordt ingevuld uit de naam; wijzig het liever niet meer na publicatie.")),
    True: (_("Webadres binnen de editie"), _("Het deel na # in het adres, waarnaar de inhoudstafel verwijst: kleine "
                                             "letters, cijfers en koppeltekens. Wordt ingevuld uit de titel.")),
}
NOT_PUBLISHER_MESSAGE = _("Alleen een eindredacteur kan publiceren of een publicatie intrekken.")


def _field_value(instance, name):
    field = instance._meta.get_field(name)
    if field.many_to_many:
        if instance.pk is None:
            return []
        return sorted(getattr(instance, name).values_list("pk", flat=True))
    return field.value_from_object(instance)


def fingerprint(instance, names) -> dict:
    """{field name: short hash of its stored value} for the fields a form edits."""
    result = {}
    for name in names:
        raw = json.dumps(_field_value(instance, name), default=str, sort_keys=True)
        result[name] = hashlib.sha256(raw.encode()).hexdigest()[:16]
    return result


def _display(instance, name) -> str:
    field = instance._meta.get_field(name)
    if field.many_to_many:
        text = ", ".join(str(o) for o in getattr(instance, name).all()) or "—"
    elif field.choices:
        text = str(getattr(instance, f"get_{name}_display")())
    elif field.is_relation:
        text = str(getattr(instance, name) or "—")
    else:
        text = strip_tags(str(field.value_from_object(instance) or "")) or "—"
    return Truncator(" ".join(text.split())).chars(120)


def _last_change(instance) -> str:
    history = getattr(instance, "history", None)
    record = history.select_related("history_user").first() if history is not None else None
    if record is None:
        return ""
    when = formats.date_format(timezone.localtime(record.history_date), "j F Y \\o\\m H:i")
    who = record.history_user.get_username() if record.history_user else _("onbekend")
    return _(" (door %(who)s op %(when)s)") % {"who": who, "when": when}


class EditorialForm(forms.ModelForm):
    """Base form for every editable object in the back-office."""

    loaded_state = forms.CharField(widget=forms.HiddenInput, required=False)

    # Set per request by EditorialAdminMixin.
    richtext_fields: tuple = ()
    status_permissions: dict = {}
    user = None
    reverting = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # The fingerprint is bookkeeping, not an edit: it must never make a form count as changed.
            self.initial[LOADED_STATE] = self.data.get(self.add_prefix(LOADED_STATE), "")
        elif self.instance.pk:
            # When reverting, the instance is an old version: the fingerprint is that of the stored row.
            base = self._stored() if self.reverting else self.instance
            self.initial[LOADED_STATE] = json.dumps(fingerprint(base or self.instance, self._tracked_fields()))

    def _tracked_fields(self):
        names = {f.name for f in self.instance._meta.get_fields() if getattr(f, "concrete", False) or f.many_to_many}
        return sorted(n for n in self.fields if n in names)

    def clean(self):
        cleaned = super().clean()
        for name in self.richtext_fields:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = to_safe_html(cleaned[name])
        self._check_status_permissions(cleaned)
        if self.instance.pk and self.has_changed():
            self._check_not_stale()
        return cleaned

    def _stored(self):
        """The row as it is in the database now (the instance may be an old version being reverted to).

        The row is locked until the admin's save transaction ends, so two saves of the same object
        cannot both pass the staleness check: the second waits, then sees the first one's change.
        (PostgreSQL: SELECT … FOR UPDATE; SQLite: the save transaction is BEGIN IMMEDIATE, which
        serialises writers, see DATABASES in settings.)
        """
        if not hasattr(self, "_stored_instance"):
            model = type(self.instance)
            rows = model._default_manager.filter(pk=self.instance.pk)
            if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
                rows = rows.order_by().select_for_update(of=("self",))
            self._stored_instance = rows.first() if self.instance.pk else None
        return self._stored_instance

    def _check_status_permissions(self, cleaned):
        if not self.status_permissions:
            return
        stored = self._stored()
        for name, perm in self.status_permissions.items():
            if name not in cleaned:
                continue
            before = getattr(stored, name) if stored is not None else EditorialStatus.DRAFT
            touches_publication = before != cleaned[name] and EditorialStatus.PUBLISHED in (before, cleaned[name])
            if touches_publication and not (self.user and self.user.has_perm(perm)):
                self.add_error(name, ValidationError(NOT_PUBLISHER_MESSAGE, code="publish_permission"))

    def _check_not_stale(self):
        current = self._stored()
        if current is None:
            raise ValidationError(
                _("Dit item is intussen verwijderd door iemand anders. Uw wijzigingen zijn niet bewaard."), code="deleted"
            )
        try:
            loaded = json.loads(self.data.get(self.add_prefix(LOADED_STATE)) or "")
        except ValueError:
            loaded = None
        if not isinstance(loaded, dict):
            raise ValidationError(
                _("Dit formulier is verouderd. Herlaad de pagina en breng uw wijziging opnieuw aan."), code="stale"
            )
        now = fingerprint(current, loaded.keys())
        changed = [name for name, value in loaded.items() if now.get(name) != value]
        if not changed:
            return
        # Accept the newer version as the base of the next save: the editor has now seen the changes
        # and saving again is a deliberate choice to keep their own text.
        data = self.data.copy()
        data[self.add_prefix(LOADED_STATE)] = json.dumps(fingerprint(current, self._tracked_fields()))
        self.data = data
        details = "; ".join(
            f"{current._meta.get_field(name).verbose_name}: nu «{_display(current, name)}»" for name in changed
        )
        raise ValidationError(
            _(
                "Iemand anders heeft dit item bewaard nadat u het opende%(who)s. Uw wijzigingen zijn niet bewaard. "
                "Gewijzigd: %(details)s. Herlaad de pagina om met de nieuwe versie verder te werken, "
                "of sla opnieuw op om uw versie bewust over de nieuwe te bewaren."
            ) % {"who": _last_change(current), "details": details},
            code="stale",
        )


class LinkForm(EditorialForm):
    """A link with an explicit 'nog geen adres' choice; the browser warns at once about unusable addresses."""

    no_address = forms.BooleanField(
        label=_("nog geen adres"), required=False,
        help_text=_("Aanvinken als het adres nog niet gekend is: de link wordt dan voor publicatie gemeld."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and is_placeholder_value(self.instance.url):
            self.initial["no_address"] = True
        if "url" in self.fields:
            self.fields["url"].widget.attrs.update({"data-link-url": "1", "inputmode": "url"})
        self.fields["no_address"].widget.attrs["data-link-no-address"] = "1"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_address") and not is_placeholder_value(cleaned.get("url")):
            cleaned["url"] = ""  # the stored placeholder, as before: empty (or '#') means "not known yet"
        return cleaned


def _with_loaded_state(fieldsets):
    names = admin.utils.flatten_fieldsets(fieldsets)
    if LOADED_STATE in names:
        return fieldsets
    fieldsets = list(fieldsets)
    name, options = fieldsets[-1]
    fieldsets[-1] = (name, {**options, "fields": [*options["fields"], LOADED_STATE]})
    return fieldsets


def labelled_formset(formset_class):
    """A formset whose fields carry their label as aria-label.

    Table cells (tabular inlines, editable change lists) show the label once, in the column
    heading; without this a screen reader announces every input in a row as unnamed.
    """

    class LabelledFormSet(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            for field in form.fields.values():
                if field.label and not field.widget.is_hidden:
                    field.widget.attrs.setdefault("aria-label", str(field.label))
                    inner = getattr(field.widget, "widget", None)  # the select inside the admin's related-field wrapper
                    if inner is not None:
                        inner.attrs.setdefault("aria-label", str(field.label))

    LabelledFormSet.__name__ = formset_class.__name__
    return LabelledFormSet


class EditorialAdminMixin:
    """For ModelAdmins and inlines: the EditorialForm wired to the request's user."""

    form = EditorialForm
    richtext_fields: tuple = ()
    status_permissions: dict = {}
    # Every amount is typed the Belgian way in a text input ('354.767,87'), never a number input.
    formfield_overrides = {models.DecimalField: {"form_class": AmountField}}

    def get_fieldsets(self, request, obj=None):
        return _with_loaded_state(super().get_fieldsets(request, obj))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # 'Slug' and 'anker' are jargon; editors know it as (part of) the web address.
        if isinstance(db_field, models.SlugField) and formfield is not None:
            formfield.label, formfield.help_text = SLUG_LABELS[str(db_field.verbose_name) == "anker"]
        return formfield

    def _prepare_form(self, form_class, request):
        form_class.richtext_fields = tuple(self.richtext_fields)
        form_class.status_permissions = dict(self.status_permissions)
        form_class.user = request.user
        form_class.reverting = getattr(request, "_kc_reverting", False)
        for name in self.richtext_fields:
            if name in form_class.base_fields:
                form_class.base_fields[name].widget.attrs["data-richtext"] = "1"
        return form_class

    def get_form(self, request, obj=None, **kwargs):
        return self._prepare_form(super().get_form(request, obj, **kwargs), request)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        self._prepare_form(formset.form, request)
        if isinstance(self, admin.TabularInline):
            formset = labelled_formset(formset)
        return formset

    def get_changelist_formset(self, request, **kwargs):
        return labelled_formset(super().get_changelist_formset(request, **kwargs))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._kc_reverting = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    @property
    def media(self):
        return super().media + forms.Media(js=["js/richtext.js", "js/admin-a11y.js"], css={"all": ["css/admin.css"]})


# '14.00', '14:00', '14u', '14u30', '14 uur': how people write a time; shown back as 14.00.
TIME_INPUT_FORMATS = ["%H.%M", "%H:%M", "%Hu%M", "%Hu", "%H uur", "%H.%M uur", "%H"]


def time_field(model_field):
    """A time of day typed the Flemish way, shown back as '14.00' (label and help from the model field)."""
    return forms.TimeField(
        label=capfirst(model_field.verbose_name), required=False, input_formats=TIME_INPUT_FORMATS,
        help_text=model_field.help_text,
        widget=forms.TimeInput(format="%H.%M", attrs={"size": 6, "autocomplete": "off"}),
        error_messages={"invalid": _("Schrijf een uur als 14.00 of 9.30.")},
    )


DATE_PARTS = PartialDate.parts()


class MeetingForm(EditorialForm):
    """A meeting's date in one field, as people write it ('16 en 17 mei 2018', 'najaar 2024'), parsed
    into the parts the model stores (programmes/dates.py); a look-alike asks for confirmation."""

    date = forms.CharField(
        label=_("Datum"), max_length=60,
        widget=forms.TextInput(attrs={"size": 28, "autocomplete": "off", "data-meeting-date": "1"}),
        help_text=_("Een dag, meerdere dagen, een maand, een seizoen of alleen het jaar: %(examples)s. "
                    "Schrijf alleen wat gekend is.") % {"examples": EXAMPLES},
        error_messages={"required": _("Vul een datum in: %(examples)s.") % {"examples": EXAMPLES}},
    )
    start_time = time_field(Meeting._meta.get_field("start_time"))
    end_time = time_field(Meeting._meta.get_field("end_time"))
    confirm_duplicate = forms.BooleanField(
        label=_("Toch bewaren: het is geen dubbel"), required=False,
        help_text=_("Alleen nodig als er al een gelijkaardige activiteit van dezelfde werkgroep of hetzelfde werkspoor op die "
                    "datum staat."),
    )

    STATUS_BY_DATE = _("vanzelf: gehouden als de datum voorbij is, anders gepland")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.year:
            self.initial["date"] = self.instance.day_display
        if "kind" in self.fields and not self.instance.pk and not self.initial.get("kind"):
            # Most of what staff record is a group's own meeting.
            self.initial["kind"] = MeetingKind.objects.filter(is_group_meeting=True).values_list("pk", flat=True).first()
        status = self.fields.get("status")
        if status is not None and not self.instance.pk:
            # A past year is entered afterwards: what happened then was held, unless the editor says otherwise.
            status.required = False
            status.choices = [("", self.STATUS_BY_DATE), *Meeting.Status.choices]
            status.help_text = _("Zonder keuze wordt een activiteit met een datum in het verleden als ‘gehouden’ bewaard "
                                 "en een activiteit die nog moet komen als ‘gepland’.")
            status.widget.attrs["data-status-by-date"] = "1"
            self.initial["status"] = ""

    def _tracked_fields(self):
        # The date parts are not fields of this form, but someone else changing them is a change to warn about.
        return sorted({*super()._tracked_fields(), *DATE_PARTS})

    def clean_date(self):
        date = parse_meeting_date(self.cleaned_data["date"])
        date.apply_to(self.instance)
        return date

    def _update_errors(self, errors):
        # The model reports a date problem on one of its parts; the editor typed them all in 'Datum'.
        if hasattr(errors, "error_dict"):
            for name in DATE_PARTS:
                if name in errors.error_dict:
                    errors.error_dict.setdefault("date", []).extend(errors.error_dict.pop(name))
        super()._update_errors(errors)

    def clean(self):
        cleaned = super().clean()
        meeting = self._as_meeting(cleaned)
        if meeting is not None and "status" in self.fields and not cleaned.get("status"):
            cleaned["status"] = meeting.status_by_date(timezone.localdate())
        if not cleaned.get("confirm_duplicate") and meeting is not None and (meeting.group_id or meeting.track_id):
            twin = meeting_lookalike(meeting)
            if twin is not None:
                raise ValidationError(
                    _("Er staat al een gelijkaardige activiteit op die datum: “%(twin)s” (%(date)s). Is dit dezelfde? "
                      "Pas ze dan daar aan; zo niet, vink ‘Toch bewaren’ aan.") % {"twin": twin.title, "date": twin.date_display},
                    code="duplicate",
                )
        return cleaned

    def _as_meeting(self, cleaned):
        """The meeting as typed, to reason about its date; None while the date itself is not valid."""
        date = cleaned.get("date")
        if date is None:
            return None
        meeting = Meeting(pk=self.instance.pk, title=cleaned.get("title") or "",
                          **{name: cleaned.get(name) for name in ("group", "track") if name in cleaned})
        date.apply_to(meeting)
        try:
            meeting.span
        except (TypeError, ValueError, KeyError):
            return None
        return meeting
