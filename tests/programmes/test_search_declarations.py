"""Every declared searchable kind is found by what it declares, and every change reaches the search.

The search reads only its index, and what a change reindexes is derived from the declarations
(programmes.search.declarations). These tests walk the registry, so a kind or field declared later is
covered without a new test: each searchable field and each related name finds the item, and any change
to any object of the content (a field of a budget, a status of an edition, a track made private)
leaves the index as a rebuild from scratch would make it.
"""
import dataclasses
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from programmes.models import BudgetLine, EditorialStatus, SearchEntry
from programmes.search import index
from programmes.search.declarations import registry
from programmes.visibility import Audience
from tests.factories import (
    make_budget, make_city, make_edition, make_group, make_group_year, make_link, make_meeting, make_organisation,
    make_programme, make_track, make_track_year,
)

pytestmark = pytest.mark.django_db
INDEX_FIELDS = [f.name for f in SearchEntry._meta.concrete_fields if f.name != "id"]
MARKERS = ("zoekmerk" + "".join(letters) for letters in itertools.product("bdfgkmpqvwxz", repeat=3)
           if len(set(letters)) == 3)  # letters only, none a prefix of another, nothing a stemmer cuts


def _world():
    """One public item of every kind, with something at the end of every relation a kind declares."""
    programme = make_programme(name="Klimaat", short_name="KLI", description="Steden en klimaat.")
    gent, genk = make_city(name="Gent", slug="gent"), make_city(name="Genk", slug="genk")
    partner = make_organisation(name="Vlaams Energieagentschap", short_name="VEA", slug="vea")
    track = make_track(title="Klimaatplannen", programme=programme, summary="Samen plannen.")
    track.cities.add(gent)
    track.lead_cities.add(genk)
    track.partners.add(partner)
    make_track(title="Klimaatdata", programme=programme, parent=track)
    plan = make_track_year(track=track, year=2024, title="Plannen 2024", plan_text="<p>Plannen.</p>", report_text="<p>Gedaan.</p>")
    group = make_group(name="Lerend netwerk", programme=programme, lead_city=gent, purpose="Leren.", frequency="maandelijks")
    group.cities.add(gent, genk)
    group.tracks.add(track)
    group.partners.add(partner)
    make_group_year(group=group, year=2023)
    meeting = make_meeting(group=group, track=track, title="Klimaatdag", year=2025, month=5, host_city=genk,
                           description="Een dag.", place="Genk")
    budget = make_budget(year=2024, total="1000", note="Toelichting.")
    BudgetLine.objects.create(budget=budget, programme=programme, label="Klimaat", planned="500")
    make_edition(kind="report", year=2024, status=EditorialStatus.PUBLISHED)
    make_link(track_year=plan, title="Plan", url="https://example.org/plan")
    make_link(group=group, title="Verslag", url="https://example.org/verslag")
    make_link(meeting=meeting, title="Presentatie", url="https://example.org/dag")
    make_link(programme=programme, title="Programma", url="https://example.org/programma")
    make_link(budget=budget, title="Afrekening", url="https://example.org/afrekening")
    index.flush()


def _public_item(kind, path=None):
    """An item of `kind` the public finds (with something at `path`, if given)."""
    items = kind.queryset(Audience.PUBLIC).order_by("pk")
    if path:
        items = items.filter(**{f"{path}__isnull": False})
    item = items.select_related(*kind.select_related).first()
    assert item is not None, f"the world has no public {kind.key} with a {path or 'row'}"
    return item


def _found(client, q, kind):
    """The result lines of `kind`'s section for `q`, as the page shows them to a visitor."""
    sections = client.get(reverse("programmes:search"), {"q": q}).context.get("sections", [])
    return [(r.title, r.url) for s in sections if s.key == kind.section.key for r in s.results]


def _text_fields(kind):
    """The declared own fields an editor types (a property such as a budget's settlement title is not one)."""
    for name in kind.title + kind.summary + kind.text:
        field = next((f for f in kind.model._meta.concrete_fields if f.name == name), None)
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            yield name


@pytest.mark.parametrize("kind", registry.kinds, ids=lambda kind: kind.key)
def test_every_searchable_field_of_every_kind_finds_its_item(client, kind):
    _world()
    fields = list(_text_fields(kind))
    assert fields or kind.key == "budgets"  # a budget's title is its year, which the change walk below covers
    for name, marker in zip(fields, MARKERS):
        item = _public_item(kind)
        setattr(item, name, f"{marker} {getattr(item, name)}"[: kind.model._meta.get_field(name).max_length or None])
        item.save()
        assert (kind.present(item).title, kind.present(item).url) in _found(client, marker, kind), name


@pytest.mark.parametrize("kind", [k for k in registry.kinds if k.related], ids=lambda kind: kind.key)
def test_every_name_a_kind_belongs_to_finds_it(client, kind):
    """'klimaat gent' finds what Gent takes part in: the names at the end of each declared relation."""
    _world()
    for rel, marker in zip(kind.related, MARKERS):
        item = _public_item(kind, rel.path)
        related_pks = kind.model._default_manager.filter(pk=item.pk).values_list(f"{rel.path}__pk", flat=True)
        related = rel.queryset(Audience.PUBLIC).filter(pk__in=related_pks).order_by("pk").first()
        assert related is not None, f"the world has no public {rel.path} of a {kind.key}"
        setattr(related, rel.fields[0], marker)
        related.save()
        assert (kind.present(item).title, kind.present(item).url) in _found(client, marker, kind), rel.path


def _index_rows():
    index.flush()
    return {(row["kind"], row["item_id"]): row for row in SearchEntry.objects.values(*INDEX_FIELDS)}


def _changes(obj):
    """Each change an editor could make to one field of `obj`: another choice, a flag turned over,
    another year or text, an optional relation emptied."""
    for field in obj._meta.concrete_fields:
        if field.primary_key or not field.editable:
            continue
        value = getattr(obj, field.attname)
        if field.choices:
            other = next((choice for choice, _label in field.flatchoices if choice != value), None)
            if other is not None:
                yield field.attname, other
        elif isinstance(field, models.BooleanField):
            yield field.attname, not value
        elif field.is_relation:
            if field.null and value is not None:
                yield field.attname, None
        elif isinstance(field, models.PositiveSmallIntegerField) and field.name.endswith("year") and value:
            yield field.attname, value + 1
        elif isinstance(field, (models.CharField, models.TextField)) and not isinstance(field, models.SlugField):
            yield field.attname, (f"Nieuw {value}" if value else "Nieuw")[: field.max_length or None]


def _content_objects():
    for model in (m for app in ("programmes", "reports") for m in apps.get_app_config(app).get_models()):
        if model is not SearchEntry and not model.__name__.startswith("Historical"):
            yield from model._default_manager.order_by("pk")


def _changes_the_index_missed() -> list[str]:
    """Make every change of `_changes` to every object of the world, one at a time (each undone
    after), and name those after which the index differs from one built from scratch."""
    missed = []
    for obj in list(_content_objects()):
        for attname, value in _changes(obj):
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        fresh = type(obj)._default_manager.get(pk=obj.pk)
                        setattr(fresh, attname, value)
                        fresh.save()
                except (IntegrityError, ValidationError, ValueError):
                    index.forget_pending()
                    continue  # a change the database or the model refuses
                kept = _index_rows()
                index.rebuild()
                if kept != _index_rows():
                    missed.append(f"{type(obj).__name__}.{attname}")
                transaction.set_rollback(True)
            index.forget_pending()
    return missed


def test_any_change_to_any_content_reaches_the_search_index():
    _world()
    assert _changes_the_index_missed() == []


def test_the_change_walk_notices_a_kind_that_forgets_what_it_depends_on(monkeypatch):
    """A link on a budget is public once its jaarverslag is out: with `budget` dropped from what links
    depend on (the gap a hand-kept table once had), publishing or withdrawing that edition leaves the
    link's row behind, and the walk above says so."""
    _world()
    links = registry.kind("links")
    forgetful = dataclasses.replace(
        links, visible_through=tuple(p for p in links.visible_through if p != "budget"),
        select_related=tuple(p for p in links.select_related if p != "budget"),
    )
    monkeypatch.setattr(registry, "kinds", [forgetful if kind is links else kind for kind in registry.kinds])
    index._dependencies.cache_clear()
    try:
        missed = _changes_the_index_missed()
    finally:
        index._dependencies.cache_clear()
    assert "Edition.status" in missed and "Budget.year" in missed


@pytest.mark.parametrize("kind", registry.kinds, ids=lambda kind: kind.key)
def test_the_index_sees_each_kind_as_a_visitor_and_as_a_redacteur_do(kind, django_user_model):
    """The two audiences the index is built for are no stand-ins: the public finds what an anonymous
    visitor may see, the editorial team what a real Redacteur may see, drafts and private items included."""
    _world()
    for obj in _content_objects():  # a draft or private copy of everything
        if hasattr(obj, "is_public"):
            type(obj)._default_manager.filter(pk=obj.pk).update(is_public=False)
    redacteur = django_user_model.objects.create_user(username="redacteur", password="x" * 20, is_staff=True)
    redacteur.groups.add(Group.objects.get(name="Redacteur"))

    def ids(who):
        return set(kind.queryset(who).values_list("pk", flat=True))

    public, editorial = ids(Audience.PUBLIC), ids(Audience.EDITORIAL_TEAM)
    assert public == ids(AnonymousUser()) and editorial == ids(redacteur)
    assert editorial and (public < editorial or kind.key in ("programmes", "cities", "budgets"))  # those have no private state


def test_the_public_and_the_editorial_team_are_the_two_audiences_of_the_index(client):
    """No stand-in user: a visitor searches the public rows, an anonymous user is the public."""
    _world()
    track = registry.kind("tracks").queryset(Audience.PUBLIC).first()
    track.is_public = False
    track.save()
    index.flush()
    row = SearchEntry.objects.get(kind="tracks", item_id=track.pk)
    assert row.staff and not row.public
    assert Audience.of(AnonymousUser()) is Audience.PUBLIC
    assert _found(client, track.title, registry.kind("tracks")) == []
