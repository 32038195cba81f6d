"""Back-office forms of editions: the outline as one tree, saved in the edition's own save request.

The outline editor (`templates/admin/reports/edition/outline.html`, `static/js/outline.js`) posts
the whole outline as one JSON field, `inhoud`: a list of lines, each with its place in the tree as
a *key*, `e<id>` for a line that exists and `n<number>` for one added in the browser, so a new line
can sit under a new chapter before either has an id. One field, because an outline of a few hundred
lines posted as form fields would pass Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000), which stays
as it is. The formset turns the list into the usual per-line form data, so every line is still
checked by its own form; then it checks the tree as a whole (every parent present, no loops, at
most three levels, a text placed once, no stored line left out) and saves parents before children.
"""
import hashlib
import json
import re
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.forms.models import BaseInlineFormSet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme, WorkTrackYear
from programmes.richtext import to_safe_html

from .models import EditionEntry

MAX_DEPTH = 3  # chapter, entry, sub-entry: what the table of contents shows
NEW_KEY = re.compile(r"n\d{1,5}")
KEY = re.compile(r"[en]\d{1,9}")
STATE_FIELDS = ("parent_id", "order", "number", "title", "programme_id", "track_year_id", "text", "show_activities")
# What a posted line may say; anything else in the JSON is ignored.
LINE_FIELDS = ("key", "parent", "order", "number", "title", "programme", "track_year", "text", "show_activities", "removed")


def line_values(entry) -> dict:
    """A stored line as the outline editor posts it."""
    return {
        "id": entry.pk, "key": f"e{entry.pk}", "parent": f"e{entry.parent_id}" if entry.parent_id else "",
        "order": entry.order, "number": entry.number, "title": entry.title, "programme": entry.programme_id,
        "track_year": entry.track_year_id, "text": entry.text, "show_activities": entry.show_activities,
    }


class KnownObjectField(forms.Field):
    """A hidden id of an object the formset read beforehand: validating a line costs no query."""

    widget = forms.HiddenInput
    default_error_messages = {"unknown": _("Dit item bestaat niet (meer) of hoort niet bij deze editie.")}

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.objects = {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["unknown"], code="unknown") from None

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        try:
            return self.objects[pk]
        except KeyError:
            raise ValidationError(self.error_messages["unknown"], code="unknown") from None


class OutlineEntryForm(forms.ModelForm):
    """One line of the outline; its place in the tree is `parent` (a key) and `order`."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    programme = KnownObjectField()
    track_year = KnownObjectField()

    class Meta:
        model = EditionEntry
        fields = ["order", "number", "title", "programme", "track_year", "text", "show_activities"]

    def __init__(self, *args, programmes=None, texts=None, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].objects = programmes if programmes is not None else {}
        self.fields["track_year"].objects = texts if texts is not None else {}
        if year:
            self.fields["track_year"].error_messages["unknown"] = _(
                "Kies een tekst van %(year)s, het jaar van deze editie."
            ) % {"year": year}
        if self.instance.pk:
            self.initial["key"] = f"e{self.instance.pk}"
            self.initial["parent"] = f"e{self.instance.parent_id}" if self.instance.parent_id else ""
            # A line may place a text of another year (older data): it stays valid as it is.
            if self.instance.track_year_id and self.instance.track_year_id not in self.fields["track_year"].objects:
                self.fields["track_year"].objects = {**self.fields["track_year"].objects,
                                                     self.instance.track_year_id: self.instance.track_year}

    def clean_key(self):
        if self.instance.pk:
            return f"e{self.instance.pk}"  # an existing line is known by its id, whatever was posted
        key = self.cleaned_data["key"]
        if not NEW_KEY.fullmatch(key):
            raise ValidationError(_("Deze nieuwe regel is onvolledig verstuurd. Herlaad de pagina."), code="bad_key")
        return key

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if parent and not KEY.fullmatch(parent):
            raise ValidationError(_("Deze regel staat onder een onbekend onderdeel. Herlaad de pagina."), code="bad_parent")
        return parent

    def clean_text(self):
        return to_safe_html(self.cleaned_data.get("text") or "")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("programme") and cleaned.get("track_year"):
            raise ValidationError(_("Een regel is een hoofdstuk over een programma of een werkspoor, niet allebei."),
                                  code="programme_and_track")
        return cleaned

    def _get_validation_exclusions(self):
        # Programme and text are checked above; the model's check constraint would ask the database per line.
        return super()._get_validation_exclusions() | {"programme", "track_year"}


def outline_state(rows) -> str:
    """A short fingerprint of an outline: (id, parent, order, number, title, …) of every line."""
    data = sorted([row[0], *row[1:]] for row in rows)
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()[:24]


class OutlineFormSet(BaseInlineFormSet):
    """The whole outline of one edition; saved in the edition form's own request.

    Programmes and the texts of the edition's year are read once (two queries) for every line,
    the picker and the validation. A save is refused, with who changed it, when someone else
    changed the outline after this form was opened.
    """

    state_name = "STATE"

    @classmethod
    def get_default_prefix(cls):
        return "inhoud"  # the form field names are part of what an editor's screen reader can meet

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.posting_problem = None
        if self.is_bound:
            self.data = self._as_form_data(self.data)
        year = self.instance.year if self.instance.pk else None
        self.programmes = {p.pk: p for p in Programme.objects.order_by("order", "name").only("name", "short_name", "order")}
        self.texts = {ty.pk: ty for ty in self._texts_of(year)} if year else {}
        if self.is_bound:
            self.loaded_state = self.data.get(f"{self.prefix}-{self.state_name}", "")
        else:
            self.loaded_state = outline_state(
                [obj.pk, *(getattr(obj, name) for name in STATE_FIELDS)] for obj in self.get_queryset()
            )

    def _as_form_data(self, posted) -> dict:
        """The posted JSON list of lines as the data of one form per line (stored lines first, as Django expects).

        A stored line the list leaves out keeps its stored values and the save is refused: a line is
        removed only when the editor said so ("removed"), never because the browser did not send it.
        """
        stored = list(self.get_queryset()) if self.instance.pk else []
        sent = self.prefix in posted  # a form without the outline (none yet, or not shown) changes none of it
        try:
            lines = json.loads(posted.get(self.prefix) or "[]")
            if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
                raise ValueError
        except ValueError:
            lines, self.posting_problem = [], "unreadable"
        by_id, new = {}, []
        for line in lines:
            line_id = str(line.get("id") or "")
            if line_id.isdigit():
                by_id[int(line_id)] = line
            else:
                new.append(line)
        known = {entry.pk for entry in stored}
        if set(by_id) - known:
            self.posting_problem = "unknown"
        elif known - set(by_id) and sent:
            self.posting_problem = "incomplete"
        data = {
            f"{self.prefix}-TOTAL_FORMS": str(len(stored) + len(new)), f"{self.prefix}-INITIAL_FORMS": str(len(stored)),
            f"{self.prefix}-{self.state_name}": posted.get(f"{self.prefix}-{self.state_name}", ""),
        }
        for index, (base, line) in enumerate(
            [(line_values(entry), by_id.get(entry.pk, {})) for entry in stored] + [({}, line) for line in new]
        ):
            values = {**base, **{name: line[name] for name in LINE_FIELDS if name in line}}
            for name, value in values.items():
                if name in ("show_activities", "removed"):
                    if value:
                        data[f"{self.prefix}-{index}-{'DELETE' if name == 'removed' else name}"] = "on"
                elif value is not None:
                    data[f"{self.prefix}-{index}-{name}"] = str(value)
        return data

    def _texts_of(self, year):
        """The year's texts with what a line and the picker show; the texts themselves stay in the database."""
        part = "plan_text" if self.instance.is_plan else "report_text"
        return (
            WorkTrackYear.objects.filter(year=year).select_related("track", "programme")
            .only("year", "title", "track__title", "programme__name", "programme__short_name", "programme__order")
            .annotate(has_part_text=ExpressionWrapper(~Q(**{part: ""}), output_field=BooleanField()))
            .order_by("programme__order", "programme__name", "track__title")
        )

    # Django asks the first form for these, building every line's form to do so; all lines are alike.
    @property
    def media(self):
        return self.empty_form.media

    def is_multipart(self):
        return self.empty_form.is_multipart()

    def __getitem__(self, index):
        # A template's {{ formset.prefix }} tries formset["prefix"] first, which would build every form.
        if not isinstance(index, int):
            raise KeyError(index)
        return super().__getitem__(index)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "programmes": self.programmes, "texts": self.texts,
                "year": self.instance.year if self.instance.pk else None}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Edition and parent cached, so the line's own checks (EditionEntry.clean) ask no query.
        form.instance.edition = self.instance
        parent = self._existing_objects().get(form.instance.parent_id)
        if parent is not None:
            form.instance.parent = parent
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The line's id is checked against the lines read with the formset, not with a query per line.
        known = KnownObjectField()
        known.objects = self._existing_objects()
        known.initial = form.fields[self._pk_field.name].initial
        form.fields[self._pk_field.name] = known

    def _existing_objects(self) -> dict:
        if not hasattr(self, "_existing"):
            self._existing = {obj.pk: obj for obj in self.get_queryset()} if self.instance.pk else {}
        return self._existing

    # --- the tree as a whole -----------------------------------------------------------------

    def kept_forms(self) -> list:
        """The lines that stay after saving, as (form, depth) in the tree's reading order: parents before children.

        `order` sorts the lines under one parent (the demo and older outlines number each level from
        10); lines that no path from the top reaches (a loop) are left out, which clean() refuses.
        """
        kept = [
            (form.cleaned_data.get("order") or 0, index, form) for index, form in enumerate(self.forms)
            if hasattr(form, "cleaned_data") and not self._should_delete_form(form)
            and (form.instance.pk or form.has_changed())
        ]
        keys = {form.cleaned_data["key"] for _order, _index, form in kept}
        children = defaultdict(list)
        for row in sorted(kept, key=lambda row: row[:2]):
            parent = row[2].cleaned_data["parent"]
            children[parent if parent in keys else ""].append(row[2])
        ordered = []

        def walk(parent_key, depth):
            for form in children.pop(parent_key, []):
                ordered.append((form, depth))
                walk(form.cleaned_data["key"], depth + 1)

        walk("", 1)
        return ordered

    def clean(self):
        super().clean()
        if self.posting_problem:
            raise ValidationError(
                _("De inhoud kwam onvolledig of onleesbaar aan; er is niets aan veranderd. Herlaad de pagina en "
                  "probeer opnieuw."), code=self.posting_problem,
            )
        if any(self.errors):
            return
        keys = [form.cleaned_data["key"] for form in self.forms if hasattr(form, "cleaned_data") and form.cleaned_data.get("key")
                and not self._should_delete_form(form)]
        if len(keys) != len(set(keys)):
            raise ValidationError(_("Twee regels dragen dezelfde sleutel. Herlaad de pagina."), code="duplicate_key")
        kept = self.kept_forms()
        if len(kept) != len(keys):
            raise ValidationError(_("Een regel staat (onrechtstreeks) onder zichzelf. Herlaad de pagina."), code="loop")
        present = {form.cleaned_data["key"] for form, _depth in kept}
        placed = set()
        for form, depth in kept:
            parent = form.cleaned_data["parent"]
            if parent and parent not in present:
                form.add_error(None, ValidationError(
                    _("Het onderdeel waaronder deze regel stond, wordt verwijderd: zet de regel eerst elders."),
                    code="parent_removed",
                ))
            if depth > MAX_DEPTH:
                form.add_error(None, ValidationError(
                    _("De inhoud heeft hoogstens %(n)d niveaus; zet deze regel minder diep.") % {"n": MAX_DEPTH},
                    code="too_deep",
                ))
            text = form.cleaned_data.get("track_year")
            if text is not None:
                if text.pk in placed:
                    form.add_error(None, ValidationError(
                        _("De tekst van ‘%(text)s’ staat al elders in de inhoud.") % {"text": text.display_title},
                        code="text_twice",
                    ))
                placed.add(text.pk)
        if self.has_changed():
            self._check_not_stale()

    def _check_not_stale(self):
        """Refuse the save when the stored outline is not the one this form was opened with.

        The lines are locked until the save commits (PostgreSQL: FOR UPDATE; SQLite serialises
        writers), so two saves of one outline cannot both pass.
        """
        rows = EditionEntry.objects.filter(edition=self.instance)
        if transaction.get_connection(router.db_for_write(EditionEntry)).in_atomic_block:
            rows = rows.select_for_update()
        current = outline_state(rows.order_by().values_list("pk", *STATE_FIELDS))
        if current == self.loaded_state:
            return
        self.loaded_state = current  # saving again is a deliberate choice to keep this version
        last = (EditionEntry.history.filter(edition_id=self.instance.pk)
                .select_related("history_user").order_by("-history_date").first())
        who = ""
        if last is not None:
            who = _(" (door %(who)s op %(when)s)") % {
                "who": last.history_user.get_username() if last.history_user else _("onbekend"),
                "when": formats.date_format(timezone.localtime(last.history_date), "j F Y \\o\\m H:i"),
            }
        raise ValidationError(
            _("Iemand anders heeft de inhoud van deze editie gewijzigd nadat u ze opende%(who)s. Uw wijzigingen aan "
              "de inhoud zijn niet bewaard. Herlaad de pagina om met de nieuwe inhoud verder te werken, of bewaar "
              "opnieuw om uw versie bewust over de nieuwe te zetten.") % {"who": who},
            code="stale",
        )

    # --- saving ------------------------------------------------------------------------------

    def _stored_depth(self, entry) -> int:
        depth, stored, seen = 0, self._existing_objects(), set()
        while entry is not None and entry.pk not in seen:
            seen.add(entry.pk)
            entry, depth = stored.get(entry.parent_id), depth + 1
        return depth

    def save(self, commit=True):
        """New and changed lines, parents before children; then the removed lines.

        A removed chapter's lines were moved elsewhere in the same request (the editor keeps them),
        so deleting it last never takes them along.
        """
        if not commit:
            raise ValueError("The outline is saved as a whole.")
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        by_key = {}
        for form, _depth in self.kept_forms():
            instance = form.instance
            parent_key = form.cleaned_data["parent"]
            parent = by_key[parent_key] if parent_key else None
            moved = instance.parent_id != (parent.pk if parent else None)
            instance.parent = parent
            instance.edition = self.instance
            if instance.pk is None:
                instance.save()
                self.new_objects.append(instance)
            elif moved or form.has_changed():
                instance.save()
                self.changed_objects.append((instance, [*form.changed_data, *(["parent"] if moved else [])]))
            by_key[form.cleaned_data["key"]] = instance
        # Deepest first: a removed chapter would otherwise take its removed lines along before their turn.
        for form in sorted(self.deleted_forms, key=lambda form: -self._stored_depth(form.instance)):
            if form.instance.pk is not None:
                self.deleted_objects.append(form.instance)
                self.delete_existing(form.instance)
        return self.new_objects + [obj for obj, _changed in self.changed_objects]
