"""The edition form's outline editor: the lines as a nested list, written in Python.

An outline has dozens of lines (hundreds after years of copied tracks); each line is a handful of
inputs. Rendering them through Django's widget templates cost more than the rest of the form, so
the markup is written here with every value escaped (`esc`), from the stored lines or, when the
form came back with errors, from what the editor sent. The inputs carry no names: outline.js posts
the whole outline as one JSON field (reports/forms.py says why) and adds the buttons,
drag-and-drop and the preview.
"""
import json
from dataclasses import dataclass, field

from django import template
from django.utils.safestring import mark_safe

from programmes.richtext import esc
from reports.forms import MAX_DEPTH, line_values

register = template.Library()


@dataclass
class Line:
    """One line of the outline as the editor sees it."""

    prefix: str  # for element ids only
    values: dict  # as line_values() gives them
    kind: str  # "track", "programme" or "text"; "new" for the markup a new line starts from
    fallback: str  # the heading printed when the editor gives none
    source: str  # what the line places, in words
    errors: list = field(default_factory=list)
    removed: bool = False
    index: int = 0
    children: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.values.get("key") or "")

    @property
    def parent(self) -> str:
        return str(self.values.get("parent") or "")

    @property
    def order(self) -> int:
        return _int(self.values.get("order")) or 0


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _sent_values(form) -> dict:
    """A line as the editor sent it (the formset turned the JSON into per-line form data)."""
    get = lambda name: form.data.get(form.add_prefix(name), "")  # noqa: E731
    values = {name: get(name) for name in ("key", "parent", "order", "number", "title", "programme", "track_year", "text")}
    values["id"] = form.instance.pk
    values["show_activities"] = get("show_activities") == "on"
    return values


def _line(formset, prefix, index, values, *, errors=(), removed=False, stored=None) -> Line:
    text = formset.texts.get(_int(values.get("track_year")))
    if text is None and stored is not None and stored.track_year_id and stored.track_year_id == _int(values.get("track_year")):
        text = stored.track_year  # a text of another year, placed before the outline checked that
    programme = formset.programmes.get(_int(values.get("programme")))
    if text is not None:
        kind, fallback = "track", text.display_title
        source = f"Werkspoor · {text.programme.short_name or text.programme.name}"
    elif programme is not None:
        kind, fallback, source = "programme", programme.name, "Hoofdstuk over een programma"
    else:
        kind, fallback, source = "text", "", "Vrije kop met tekst"
    return Line(prefix=prefix, values=values, kind=kind, fallback=fallback, source=source, errors=list(errors),
                removed=removed, index=index)


def _lines(formset) -> list[Line]:
    """The lines as stored, or as the editor left them when the form came back with errors.

    Unbound, the stored lines are read as they are: building a Django form per line would cost more
    than the rest of the page (see OutlineFormSet.media).
    """
    if not hasattr(formset, "_kc_lines"):
        if formset.is_bound:
            formset._kc_lines = [
                _line(formset, form.prefix, index, _sent_values(form), stored=form.instance,
                      errors=[str(e) for messages in form.errors.values() for e in messages],
                      removed=form.data.get(form.add_prefix("DELETE")) == "on")
                for index, form in enumerate(formset.forms) if form.instance.pk or form.has_changed()
            ]
        else:
            formset._kc_lines = [_line(formset, formset.add_prefix(index), index, line_values(entry), stored=entry)
                                 for index, entry in enumerate(formset.get_queryset())]
    return formset._kc_lines


def render_line(line: Line, *, is_report: bool) -> str:
    p, v = line.prefix, line.values
    activities = ""
    if is_report and line.kind in ("track", "new"):
        activities = (f'<label class="kc-outline__activities"><input type="checkbox" data-field="show_activities"'
                      f'{" checked" if v.get("show_activities") else ""}> activiteiten tonen</label>')
    text = ""
    if line.kind in ("text", "new"):
        text = (f'<details class="kc-outline__text"{" open" if not v.get("text") else ""}><summary>Tekst bij de kop</summary>'
                f'<label class="visually-hidden" for="id_{p}-text">Tekst bij de kop</label>'
                f'<textarea id="id_{p}-text" data-field="text" rows="4" cols="60" data-richtext="1">{esc(v.get("text") or "")}'
                f'</textarea></details>')
    errors = ""
    if line.errors:
        errors = f'<ul class="errorlist" id="{p}-fouten">{"".join(f"<li>{esc(e)}</li>" for e in line.errors)}</ul>'
    described = f"{p}-bron" + (f" {p}-fouten" if line.errors else "")
    children = ""
    if line.children:
        children = ('<ol class="kc-outline__children">'
                    + "".join(render_line(child, is_report=is_report) for child in line.children) + "</ol>")
    data = {"id": v.get("id") or "", "key": line.key, "kind": line.kind, "order": line.order,
            "programme": v.get("programme") or "", "text": v.get("track_year") or "",
            "activities": "1" if v.get("show_activities") else ""}
    attributes = " ".join(f'data-{name}="{esc(value)}"' for name, value in data.items())
    return (
        f'<li class="kc-outline__item kc-outline__item--{line.kind}{" kc-outline__item--error" if line.errors else ""}"'
        f' {attributes}><div class="kc-outline__row">'
        f'<input class="kc-outline__number" data-field="number" value="{esc(v.get("number") or "")}" size="5" maxlength="12"'
        f' autocomplete="off" aria-label="Nummer" aria-describedby="{described}">'
        f'<span class="kc-outline__heading"><input class="kc-outline__title" data-field="title" value="{esc(v.get("title") or "")}"'
        f' placeholder="{esc(line.fallback)}" maxlength="250" autocomplete="off" aria-label="Kop" aria-describedby="{described}">'
        f'<span class="kc-outline__source" id="{p}-bron">{esc(line.source)}</span></span>{activities}</div>'
        f'{errors}{text}{children}</li>'
    )


def outline_lines(formset) -> tuple[list[Line], list[Line]]:
    """(top-level lines with their children, removed lines) in the outline's order."""
    lines = [Line(**{**line.__dict__, "children": []}) for line in _lines(formset)]
    removed = [line for line in lines if line.removed]
    kept = sorted((line for line in lines if not line.removed), key=lambda line: (line.order, line.index))
    by_key = {line.key: line for line in kept}
    top = []
    for line in kept:
        parent = by_key.get(line.parent)
        if parent is None or parent is line or _depth_of(parent, by_key) >= MAX_DEPTH:
            top.append(line)
        else:
            parent.children.append(line)
    return top, removed


def _depth_of(line, by_key) -> int:
    depth, seen = 1, {line.key}
    while line.parent in by_key and line.parent not in seen:
        seen.add(line.parent)
        line = by_key[line.parent]
        depth += 1
    return depth


@register.simple_tag
def outline_tree(formset):
    """The outline's lines as nested list items, and the removed ones (kept in the form, hidden)."""
    top, removed = outline_lines(formset)
    is_report = not formset.instance.is_plan
    return mark_safe(
        f'<ol class="kc-outline__tree" data-outline-tree>{"".join(render_line(line, is_report=is_report) for line in top)}</ol>'
        f'<ol hidden data-outline-removed>{"".join(render_line(line, is_report=is_report) for line in removed)}</ol>'
    )


@register.simple_tag
def outline_data(formset):
    """The outline as the form posts it when nothing in it changes (outline.js writes it anew on submit)."""
    return json.dumps([
        {**{name: line.values.get(name) for name in ("id", "key", "parent", "order", "number", "title", "programme",
                                                      "track_year", "text", "show_activities")},
         **({"removed": True} if line.removed else {})}
        for line in _lines(formset)
    ], ensure_ascii=False, default=str)


@register.simple_tag
def outline_new_line(formset):
    """The markup a new line starts from; the browser gives it its key, kind and what it places,
    and drops the parts its kind does not have (the activity switch, the text)."""
    line = Line(prefix=f"{formset.prefix}-__prefix__", values={"show_activities": True}, kind="new", fallback="", source="")
    return mark_safe(render_line(line, is_report=not formset.instance.is_plan))


@register.simple_tag
def outline_text_options(formset):
    """The year's texts for the track picker: programme abbreviation and track, searchable by both."""
    placed = {str(line.values.get("track_year")) for line in _lines(formset) if line.values.get("track_year") and not line.removed}
    options = []
    for pk, text in formset.texts.items():
        programme = text.programme.short_name or text.programme.name
        words = " ".join(dict.fromkeys((text.display_title, text.track.title, text.programme.name, text.programme.short_name))).lower()
        empty = "" if text.has_part_text else " — nog zonder tekst"
        options.append(
            f'<option value="{pk}" data-search="{esc(words)}" data-source="Werkspoor · {esc(programme)}"'
            f' data-title="{esc(text.display_title)}"{" disabled" if str(pk) in placed else ""}>'
            f'{esc(programme)} · {esc(text.display_title)}{empty}</option>'
        )
    return mark_safe("".join(options))


@register.simple_tag
def outline_programme_options(formset):
    return mark_safe("".join(
        f'<option value="{pk}">{esc(programme.name)}</option>' for pk, programme in formset.programmes.items()
    ))
