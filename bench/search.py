"""Search benchmark: latency of /zoeken/ over a fixed set of queries at twenty times the demo content.

    .venv/bin/python bench/search.py [--scale 20] [--runs 7]
    DATABASE_URL=postgres://kc:kc@127.0.0.1:54342/kc .venv/bin/python bench/search.py

Builds a throwaway database (a temporary SQLite file, or on PostgreSQL a `test_…` database next to
the one DATABASE_URL names, dropped afterwards), loads the demo and copies its tracks, texts, groups,
meetings, links and partners until there are --scale times as many (same words, new titles and
slugs, the same cities taking part), with bulk inserts followed by one rebuild of the search index
(it prints how long that took). Then it requests each query --runs times through Django's test client with the page cache
off (after one warm-up) and prints the median and p95 wall-clock time per query and over all
requests. The goal is a median under 50 ms on PostgreSQL at 20x. Last, what saving a track, a city
and a meeting costs with the search index update that follows each commit.
"""
import argparse
import statistics
import time

import benchenv  # noqa: E402  (bench/ is on the path when a script runs)

WORKDIR = benchenv.setup("kc-bench-search-", **benchenv.PRODUCTION_LIKE)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from programmes.models import City, Link, Meeting, Organisation, WorkingGroup, WorkTrack, WorkTrackYear  # noqa: E402
from reports.demo import load_demo  # noqa: E402
from scale import scale_up  # noqa: E402

QUERIES = [
    "klimaat gent", "GDPR", "ai", "rechtenverkenner", "Genk", "rechtenverkener", "klimaat", "smart cities",
    "woningkwaliteit", "europa", "obmi leuven", "digitale transitie", "armoede", "werkgroep", "2025",
]
GOAL_MS = 50.0


def measure(client: Client, runs: int) -> dict:
    timings = {}
    for q in QUERIES:
        url = "/zoeken/?" + f"q={q.replace(' ', '+')}"
        if client.get(url).status_code != 200:
            raise SystemExit(f"{url}: HTTP error")
        timings[q] = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url)
            timings[q].append((time.perf_counter() - start) * 1000)
    return timings


def measure_edits(runs: int) -> dict:
    """What an edit costs with the search index kept current: saving a track, a city (whose name many
    rows carry) and a meeting in a transaction of their own, the index update at commit included;
    once unchanged and once renamed (every row that shows the name is written again)."""
    from django.test.utils import CaptureQueriesContext

    samples = {
        "a work track": (WorkTrack.objects.filter(years__isnull=False, groups__isnull=False).order_by("pk").first(), "title"),
        "a city (Gent)": (City.objects.get(slug="gent"), "name"),
        "a meeting": (Meeting.objects.filter(group__isnull=False).order_by("pk").first(), "title"),
    }
    found = {}
    for label, (obj, name_field) in samples.items():
        original = getattr(obj, name_field)
        for change, names in (("unchanged", [original]), ("renamed", [original + " bis", original])):
            values = []
            for i in range(runs):
                setattr(obj, name_field, names[i % len(names)])
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    with transaction.atomic():
                        obj.save()
                    values.append((time.perf_counter() - start) * 1000)
            found[f"{label}, {change}"] = (statistics.median(values), len(queries.captured_queries))
        setattr(obj, name_field, original)
        obj.save()
    return found


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    postgres = connection.vendor == "postgresql"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        started = time.perf_counter()
        load_demo()
        scale_up(args.scale)
        counts = {m.__name__: m.objects.count() for m in (WorkTrack, WorkTrackYear, WorkingGroup, Meeting, Link, Organisation)}
        print(f"{connection.vendor}, {args.scale}x demo ({', '.join(f'{n} {k}' for k, n in counts.items())}), "
              f"built in {time.perf_counter() - started:.0f} s")
        timings = measure(Client(), args.runs)
        edits = measure_edits(args.runs)
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    print("| query | median ms | p95 ms |\n|---|---:|---:|")
    for q, values in timings.items():
        print(f"| `{q}` | {statistics.median(values):.1f} | {p95(values):.1f} |")
    every = [v for values in timings.values() for v in values]
    median = statistics.median(every)
    print(f"| **all {len(every)} requests** | **{median:.1f}** | **{p95(every):.1f}** |")
    print("\n| saving … (search index update at commit included) | median ms | queries |\n|---|---:|---:|")
    for label, (ms, queries) in edits.items():
        print(f"| {label} | {ms:.1f} | {queries} |")
    if postgres:
        print(f"\nGoal on PostgreSQL: median under {GOAL_MS:.0f} ms: {'met' if median < GOAL_MS else 'NOT met'}.")


if __name__ == "__main__":
    main()
