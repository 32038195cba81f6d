"""The yearly round's back-office pages at the demo size and at --scale times the demo.

    .venv/bin/python bench/round.py [--scale 20] [--runs 9]

Loads the demo (which has the jaarverslag 2026 in preparation), then copies the demo's content until
there are --scale times as many tracks and texts (bench/search.py's scale_up), places every 2026 text
in the edition's outline, gives each an author, a reviewer and a comment, and times in-process, as
an Eindredacteur: the round page, the admin home (which shows the round), a track text's form with
its thread, and `send_reminders --dry-run`. Goal: every page at most 150 ms at 20x; query counts
equal at both sizes (pinned by tests/reports/test_round.py).
"""
import argparse
import statistics
import time

import benchenv

benchenv.setup("kc-bench-round-", **benchenv.PRODUCTION_LIKE)

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from programmes.models import WorkTrackYear  # noqa: E402
from reports.demo import load_demo  # noqa: E402
from reports.demo_round import demo_colleagues  # noqa: E402
from reports.models import Edition, EditionEntry, RoundComment, RoundText  # noqa: E402
from reports.services import edition_round_sync, reminders_send  # noqa: E402
from search import scale_up  # noqa: E402
from tests.factories import make_staff  # noqa: E402

GOAL_MS = 150.0


def grow_round(edition: Edition) -> None:
    """Every text of the edition's year in its outline, each with an author, a reviewer and a comment."""
    placed = set(edition.entries.values_list("track_year_id", flat=True))
    order = edition.entries.count() * 10
    new = []
    for ty in WorkTrackYear.objects.filter(year=edition.year).exclude(pk__in=placed).order_by("pk"):
        order += 10
        new.append(EditionEntry(edition=edition, track_year=ty, order=order))
    EditionEntry.objects.bulk_create(new)
    edition_round_sync(edition=edition)
    people = list(demo_colleagues().values())
    texts = list(RoundText.objects.filter(edition=edition).order_by("pk"))
    for i, text in enumerate(texts):
        text.author, text.reviewer = people[1 + i % 3], people[1 + (i + 1) % 3]
    RoundText.objects.bulk_update(texts, ["author", "reviewer"])
    RoundComment.objects.bulk_create([
        RoundComment(text=text, author=people[0], author_name="Eva Eindredactie", body="Graag nog een alinea.")
        for text in texts
    ])


def measure(client: Client, urls: dict, runs: int) -> dict:
    results = {}
    for label, url in urls.items():
        assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[label] = (statistics.median(timings), max(timings), len(queries))
    started = time.perf_counter()
    reminders_send(dry_run=True)
    results["send_reminders --dry-run"] = ((time.perf_counter() - started) * 1000, None, None)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_demo()
    edition = Edition.objects.exclude(status="published").get()
    chief = make_staff("Eindredacteur", username="bench-chief")
    client = Client()
    client.force_login(chief)
    text = RoundText.objects.filter(edition=edition, kind="track").first()
    urls = {
        "round page": f"/admin/reports/edition/{edition.pk}/ronde/",
        "admin home": "/admin/",
        "track text form (thread)": f"/admin/programmes/worktrackyear/{text.track_year_id}/change/",
    }
    sizes = {}
    for scale in (1, args.scale):
        if scale > 1:
            scale_up(scale)
        grow_round(edition)
        n = RoundText.objects.filter(edition=edition).count()
        sizes[scale] = (n, measure(client, urls, args.runs))
        reset_queries()
    print(f"| page | demo ({sizes[1][0]} texts) ms | queries | {args.scale}x ({sizes[args.scale][0]} texts) ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for label in sizes[1][1]:
        small, big = sizes[1][1][label], sizes[args.scale][1][label]
        print(f"| {label} | {small[0]:.1f} | {small[2] if small[2] is not None else '—'} | {big[0]:.1f} | "
              f"{big[2] if big[2] is not None else '—'} |")
    worst = max(v[0] for label, v in sizes[args.scale][1].items() if v[2] is not None)
    print(f"\nGoal: every page at most {GOAL_MS:.0f} ms at {args.scale}x: {'met' if worst <= GOAL_MS else 'NOT met'} (slowest {worst:.1f} ms).")


if __name__ == "__main__":
    main()
