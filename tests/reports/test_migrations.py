"""The move to edition outlines keeps every text, number, heading, order and link (data migration)."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("programmes", "0005_link_owner_budget_settlement_view_unpublished"), ("reports", "0008_section_link_url_validator")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_outline_migration_keeps_numbers_headings_order_texts_and_links(transactional_db):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    Programme, WorkTrack = old.get_model("programmes", "Programme"), old.get_model("programmes", "WorkTrack")
    WorkTrackYear, Link = old.get_model("programmes", "WorkTrackYear"), old.get_model("programmes", "Link")
    Edition = old.get_model("reports", "Edition")
    smart = Programme.objects.create(name="Smart Cities", slug="smart-cities", order=2)
    obmi = Programme.objects.create(name="OBMi", slug="obmi", order=1)
    rows = [(smart, "1.10", "Flankerend overleg"), (smart, "1.9", "Smart Flanders"), (smart, "1.2", ""), (obmi, "1", "")]
    for index, (programme, number, title) in enumerate(rows):
        track = WorkTrack.objects.create(title=f"Werkspoor {index}", slug=f"werkspoor-{index}", programme=programme)
        ty = WorkTrackYear.objects.create(track=track, year=2024, programme=programme, number=number, title=title,
                                          plan_text=f"<p>Plan {index}</p>", report_text=f"<p>Verslag {index}</p>",
                                          plan_status="published", report_status="published", sort_key=number)
        Link.objects.create(track_year=ty, title=f"document {index}", url=f"https://x.be/{index}")
    for kind in ("plan", "report"):
        Edition.objects.create(kind=kind, year=2024, status="draft")

    try:
        new = _migrate(latest)
        Entry = new.get_model("reports", "EditionEntry")
        plan = Entry.objects.filter(edition__kind="plan")
        chapters = list(plan.filter(parent=None).order_by("order").values_list("programme__slug", flat=True))
        assert chapters == ["obmi", "smart-cities"]
        smart_lines = list(
            plan.filter(parent__programme__slug="smart-cities").order_by("order").values_list("number", "title", "track_year__plan_text")
        )
        assert smart_lines == [("1.2", "", "<p>Plan 2</p>"), ("1.9", "Smart Flanders", "<p>Plan 1</p>"),
                               ("1.10", "Flankerend overleg", "<p>Plan 0</p>")]
        assert Entry.objects.filter(edition__kind="report", track_year__isnull=False).count() == 4
        assert new.get_model("programmes", "Link").objects.count() == 4
        assert new.get_model("programmes", "WorkTrackYear").objects.filter(report_text__startswith="<p>Verslag").count() == 4
    finally:
        _migrate(latest)
