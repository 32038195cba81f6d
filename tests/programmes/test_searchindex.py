"""The search index follows every write: whatever staff change, it equals an index built from scratch.

The search reads only the index (programmes.search.index), so an index that missed a change would
show a renamed city under its old name, or still offer a track that was just made private.
"""
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.search import index as searchindex
from programmes.models import City, EditorialStatus, SearchEntry
from tests.factories import (
    make_budget, make_city, make_edition, make_group, make_group_year, make_link, make_meeting, make_organisation,
    make_programme, make_track, make_track_year,
)

pytestmark = pytest.mark.django_db
FIELDS = [f.name for f in SearchEntry._meta.concrete_fields if f.name != "id"]


def _index():
    """{(kind, item id): every column as text}, after the pending writes reached the index."""
    searchindex.flush()
    return {(row["kind"], row["item_id"]): {k: str(v) for k, v in row.items()} for row in SearchEntry.objects.values(*FIELDS)}


def _assert_current():
    kept = _index()
    searchindex.rebuild()
    rebuilt = _index()
    assert kept.keys() == rebuilt.keys()
    for key in kept:
        assert kept[key] == rebuilt[key], key


def _world():
    programme = make_programme(name="Klimaat", slug="klimaat")
    gent, genk = make_city(name="Gent", slug="gent"), make_city(name="Genk", slug="genk")
    partner = make_organisation(name="Vlaams Energieagentschap", short_name="VEA", slug="vea")
    track = make_track(title="Klimaatplannen", programme=programme)
    track.cities.add(gent)
    track.lead_cities.add(genk)
    track.partners.add(partner)
    child = make_track(title="Klimaatdata", programme=programme, parent=track)
    plan = make_track_year(track=track, year=2024, plan_text="<p>Plannen &amp; klimaat.</p>", report_text="<p>Gedaan.</p>")
    make_track_year(track=child, year=2025, plan_text="<p>Data.</p>", report_text="")
    group = make_group(name="Lerend netwerk klimaat", programme=programme, lead_city=gent)
    group.cities.add(gent, genk)
    group.tracks.add(track)
    group.partners.add(partner)
    make_group_year(group=group, year=2023)
    meeting = make_meeting(group=group, track=track, title="Klimaatdag", year=2025, month=5, host_city=genk)
    budget = make_budget(year=2024, total="1000")
    edition = make_edition(kind="report", year=2024, status=EditorialStatus.DRAFT)
    links = [make_link(track_year=plan, title="Plan klimaat", url="https://example.org/plan"),
             make_link(group=group, title="Verslag netwerk", url="https://example.org/verslag"),
             make_link(meeting=meeting, title="Presentatie klimaatdag", url="https://example.org/dag"),
             make_link(budget=budget, title="Afrekening 2024", url="https://example.org/afrekening")]
    return programme, gent, genk, partner, track, child, plan, group, meeting, edition, links


def test_the_index_follows_saves_renames_relations_visibility_and_deletes():
    programme, gent, genk, partner, track, child, plan, group, meeting, edition, links = _world()
    _assert_current()

    gent.name = "Gent-Stad"
    gent.save()
    programme.name = "Klimaat en energie"
    programme.save()
    _assert_current()

    track.is_public = False  # its texts, meetings and links are no longer public
    track.save()
    _assert_current()

    track.cities.remove(gent)
    group.partners.clear()
    genk.groups.remove(group)  # the reverse side of a relation
    other = make_track(title="Renovatie", programme=programme)
    group.tracks.add(other)
    _assert_current()

    kind = meeting.kind  # a kind of activity renamed: the meeting's result line says it
    kind.name = "bijeenkomst"
    kind.save()
    _assert_current()

    edition.status = EditorialStatus.PUBLISHED  # the 2024 budget and its link become public
    edition.save()
    plan.report_status = EditorialStatus.DRAFT
    plan.save()
    _assert_current()

    meeting.group = None
    meeting.save()
    links[1].delete()
    child.delete()  # with its texts
    genk.delete()  # host city and lead city are set to empty, its relations go
    partner.delete()
    _assert_current()


def test_a_write_reaches_the_index_when_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        track = make_track(title="Rechtenverkenner")
    assert SearchEntry.objects.filter(kind="tracks", item_id=track.pk, title="Rechtenverkenner").exists()
    with django_capture_on_commit_callbacks(execute=True):
        track.is_public = False
        track.save()
    assert not SearchEntry.objects.get(kind="tracks", item_id=track.pk).public


def _total(client, q, **params):
    return client.get(reverse("programmes:search"), {"q": q, **params}).context["total"]


def test_a_track_made_private_leaves_the_search_with_everything_found_through_it(client):
    gent = make_city(name="Gent", slug="gent")
    track = make_track(title="Klimaatplannen")
    track.cities.add(gent)
    make_track_year(track=track, year=2024, plan_text="<p>Klimaat in de steden.</p>", report_text="")
    make_meeting(track=track, title="Klimaatdag", year=2025, month=5)
    assert _total(client, "klimaat") == 3 and _total(client, "klimaat", stad="gent") == 3
    track.is_public = False
    track.save()
    assert _total(client, "klimaat") == 0 and _total(client, "klimaat", stad="gent") == 0


def test_a_renamed_city_is_found_under_its_new_name(client):
    make_track(title="Klimaatplannen").cities.add(city := make_city(name="Gent", slug="gent"))
    city.name = "Gent-Stad"
    city.save()
    assert _total(client, "klimaat stad") == 1


def test_the_index_can_be_rebuilt_by_hand(client):
    make_track(title="Rechtenverkenner")
    searchindex.flush()
    SearchEntry.objects.all()._raw_delete(SearchEntry.objects.db)  # as after a restore of the content alone
    assert _total(client, "rechtenverkenner") == 0
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert _total(client, "rechtenverkenner") == 1


def test_migrate_brings_rows_built_by_older_code_in_line(client):
    """A deploy can change what a row holds (its result line, its words): migrate rewrites the rows
    that differ, without anyone having to remember rebuild_search_index."""
    make_track(title="Rechtenverkenner")
    searchindex.flush()
    SearchEntry.objects.filter(kind="tracks").update(label="Oude titel", digest="oud")
    call_command("migrate", verbosity=0)
    sections = client.get(reverse("programmes:search"), {"q": "rechtenverkenner"}).context["sections"]
    assert [r.title for r in sections[0].results] == ["Rechtenverkenner"]


def test_saving_without_a_change_writes_no_index_row():
    """A city carried by every row that names it: saved unchanged, none of those rows is written again."""
    _world()
    searchindex.flush()
    gent = City.objects.get(slug="gent")
    with CaptureQueriesContext(connection) as queries:
        gent.save()
        searchindex.flush()
    writes = [q["sql"] for q in queries.captured_queries if "searchentry" in q["sql"].lower()
              and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    gent.name = "Gent-Stad"
    with CaptureQueriesContext(connection) as queries:
        gent.save()
        searchindex.flush()
    assert any("searchentry" in q["sql"].lower() and q["sql"].lstrip().upper().startswith("INSERT")
               for q in queries.captured_queries)
