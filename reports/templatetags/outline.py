"""The edition form's outline editor: the lines as a nested list, written in Python.

An outline has dozens of lines (hundreds after years of copied tracks); each line is a handful of
inputs. Rendering them through Django's widget templates cost more than the rest of the form, so
the markup is written here with every value escaped (`esc`), from the formset's bound data or the
stored lines. `static/js/outline.js` adds the buttons, drag-and-drop and the preview.
"""
from dataclasses import dataclass, field

from django import template
from django.utils.safestring import mark_safe

from programmes.richtext import esc
from reports.forms import MAX_DEPTH

register = template.Library()


@dataclass
class Line:
    """One form of the outline formset as the editor sees it."""

    prefix: str
    key: str
    parent: str
    order: int
    index: int
    values: dict
    kind: str  # "track", "programme" or "text"; "new" for the markup a new line starts from
    fallback: str  # the heading printed when the editor gives none
    source: str  # what the line places, in words
    errors: list
    deleted: bool
    children: list = field(default_factory=list)


VALUE_NAMES = ("id", "key", "parent", "order", "number", "title", "programme", "track_year", "text", "show_activities", "DELETE")


def _bound_values(form) -> dict:
    return {name: form.data.get(form.add_prefix(name), "") for name in VALUE_NAMES}


def _stored_values(entry) -> dict:
    return {
        "id": entry.pk, "key": f"e{entry.pk}", "parent": f"e{entry.parent_id}" if entry.parent_id else "",
        "order": entry.order, "number": entry.number, "title": entry.title, "programme": entry.programme_id or "",
        "track_year": entry.track_year_id or "", "text": entry.text, "show_activities": "on" if entry.show_activities else "",
        "DELETE": "",
    }


def _line(formset, prefix, index, values, errors=(), stored=None) -> Line:
    text = formset.texts.get(_int(values["track_year"]))
    if text is None and stored is not None and stored.track_year_id and str(stored.track_year_id) == str(values["track_year"]):
        text = stored.track_year  # a text of another year, placed before the outline checked that
    programme = formset.programmes.get(_int(values["programme"]))
    if text is not None:
        kind, fallback = "track", text.display_title
        source = f"Werkspoor · {text.programme.short_name or text.programme.name}"
    elif programme is not None:
        kind, fallback, source = "programme", programme.name, "Hoofdstuk over een programma"
    else:
        kind, fallback, source = "text", "", "Vrije kop met tekst"
    return Line(
        prefix=prefix, key=str(values["key"]), parent=str(values["parent"] or ""), order=_int(values["order"]) or 0,
        index=index, values=values, kind=kind, fallback=fallback, source=source, errors=list(errors),
        deleted=str(values["DELETE"]).lower() in ("on", "true", "1"),
    )


def _lines(formset) -> list[Line]:
    """The lines as the editor left them: the posted data of a form that came back with errors, or as stored.

    Unbound, the stored lines are read as they are: building a Django form per line would cost more
    than the rest of the page (see OutlineFormSet.media).
    """
    if hasattr(formset, "_kc_lines"):
        return formset._kc_lines
    if formset.is_bound:
        formset._kc_lines = [
            _line(formset, form.prefix, index, _bound_values(form), (str(e) for m in form.errors.values() for e in m), form.instance)
            for index, form in enumerate(formset.forms) if form.instance.pk or form.has_changed()
        ]
    else:
        formset._kc_lines = [_line(formset, formset.add_prefix(index), index, _stored_values(entry), stored=entry)
                             for index, entry in enumerate(formset.get_queryset())]
    return formset._kc_lines


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _hidden(prefix, name, value) -> str:
    return f'<input type="hidden" name="{prefix}-{name}" value="{esc(value)}">'


def render_line(line: Line, *, is_report: bool, depth: int = 1) -> str:
    p, v = line.prefix, line.values
    checked = str(v["show_activities"]).lower() in ("on", "true", "1")
    hidden = "".join(_hidden(p, name, v[name]) for name in ("id", "key", "parent", "order", "programme", "track_year"))
    hidden += _hidden(p, "DELETE", "on" if line.deleted else "")
    if is_report and line.kind in ("track", "new"):
        activities = (f'<label class="kc-outline__activities"><input type="checkbox" name="{p}-show_activities"'
                      f'{" checked" if checked else ""}> activiteiten tonen</label>')
    else:
        activities = _hidden(p, "show_activities", "on") if checked else ""
    text = ""
    if line.kind in ("text", "new"):
        text = (f'<details class="kc-outline__text"{" open" if not v["text"] else ""}><summary>Tekst bij de kop</summary>'
                f'<label class="visually-hidden" for="id_{p}-text">Tekst bij de kop</label>'
                f'<textarea id="id_{p}-text" name="{p}-text" rows="4" cols="60" data-richtext="1">{esc(v["text"])}</textarea>'
                f'</details>')
    else:
        text = _hidden(p, "text", v["text"]) if v["text"] else ""
    errors = ""
    if line.errors:
        errors = f'<ul class="errorlist" id="{p}-fouten">{"".join(f"<li>{esc(e)}</li>" for e in line.errors)}</ul>'
    described = f"{p}-bron" + (f" {p}-fouten" if line.errors else "")
    children = ""
    if line.children:
        children = ('<ol class="kc-outline__children">'
                    + "".join(render_line(child, is_report=is_report, depth=depth + 1) for child in line.children) + "</ol>")
    return (
        f'<li class="kc-outline__item kc-outline__item--{line.kind}{" kc-outline__item--error" if line.errors else ""}"'
        f' data-key="{esc(line.key)}" data-kind="{line.kind}" data-text="{esc(v["track_year"])}">'
        f'<div class="kc-outline__row">{hidden}'
        f'<input class="kc-outline__number" name="{p}-number" value="{esc(v["number"])}" size="5" maxlength="12"'
        f' autocomplete="off" aria-label="Nummer" aria-describedby="{described}">'
        f'<input class="kc-outline__title" name="{p}-title" value="{esc(v["title"])}" placeholder="{esc(line.fallback)}"'
        f' maxlength="250" autocomplete="off" aria-label="Kop" aria-describedby="{described}">'
        f'<span class="kc-outline__source" id="{p}-bron">{esc(line.source)}</span>{activities}</div>'
        f'{errors}{text}{children}</li>'
    )


def outline_lines(formset) -> tuple[list[Line], list[Line]]:
    """(top-level lines with their children, removed lines) in the outline's order."""
    lines = _lines(formset)
    removed = [line for line in lines if line.deleted]
    kept = sorted((line for line in lines if not line.deleted), key=lambda line: (line.order, line.index))
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
def outline_new_line(formset):
    """The markup a new line starts from; the browser fills in its index, kind and what it places,
    and drops the parts its kind does not have (the activity switch, the text)."""
    form = formset.empty_form
    values = {name: "" for name in ("id", "key", "parent", "order", "number", "title", "programme", "track_year", "text", "DELETE")}
    line = Line(prefix=form.prefix, key="", parent="", order=0, index=0, values={**values, "show_activities": "on"},
                kind="new", fallback="", source="", errors=[], deleted=False)
    return mark_safe(render_line(line, is_report=not formset.instance.is_plan))


@register.simple_tag
def outline_text_options(formset):
    """The year's texts for the track picker: programme abbreviation and track, searchable by both."""
    placed = {str(line.values["track_year"]) for line in _lines(formset) if line.values["track_year"] and not line.deleted}
    options = []
    for pk, text in formset.texts.items():
        programme = text.programme.short_name or text.programme.name
        words = " ".join({text.display_title, text.track.title, text.programme.name, text.programme.short_name}).lower()
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
