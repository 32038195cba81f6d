"""Public pages benchmark: the time to render every public page, export and feed, without the page cache.

    .venv/bin/python bench/pages.py [--runs 15] [--profile /kalender/] [URL ...]

Builds a throwaway SQLite database with the demo content, switches the page cache off (every request
renders from the database, as the first visitor after an edit sees it) and times each URL through
Django's test client in-process with DEBUG off: median wall-clock and CPU time of --runs requests
after one warm-up request, in interleaved rounds (every page once per round), plus the number of
database queries. The PDF is rendered once in the warm-up, so its
figure is the cached file (assembling the HTML and hashing it). --profile prints a cProfile of one URL.
"""
import argparse
import statistics
import time

import benchenv  # noqa: E402  (bench/ is on the path when a script runs)

WORKDIR = benchenv.setup("kc-bench-pages-", **benchenv.PRODUCTION_LIKE)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from programmes.models import City, Programme, WorkingGroup, WorkTrack  # noqa: E402
from reports.demo import load_demo  # noqa: E402

GOAL_MS = 15.0


def public_urls() -> list[str]:
    track = WorkTrack.objects.public().filter(years__year=2024).order_by("slug").first()
    group = WorkingGroup.objects.public().filter(meetings__isnull=False).order_by("slug").first()
    city = City.objects.order_by("slug").first()
    programme = Programme.objects.order_by("order").first()
    return [
        "/", "/edities/", "/jaarplan/2024/", "/jaarverslag/2024/", "/jaarverslag/2025/",
        "/programmas/", f"/programmas/{programme.slug}/", f"/werksporen/{track.slug}/",
        "/werkgroepen/", f"/werkgroepen/{group.slug}/", "/steden/", f"/steden/{city.slug}/",
        "/werksporen/", "/steden/gent/", "/steden/vergelijken/", "/financien/",
        "/kalender/", "/zoeken/?q=klimaat",
        "/open-data/", "/toegankelijkheid/", "/favicon.ico", "/open-data/catalogus.jsonld", "/open-data/catalogus.ttl",
        "/open-data/2024/teksten.csv", "/open-data/2024/werksporen.csv", "/open-data/2024/werkgroepen.csv",
        "/open-data/2024/vergaderingen.csv", "/open-data/2024/links.csv", "/open-data/2024/vergaderingen.json",
        "/open-data/2024/resultaten.csv",
        "/kalender.ics", f"/werkgroepen/{group.slug}/kalender.ics", "/steden/gent/kalender.ics", "/edities/feed.atom", "/sitemap.xml",
        "/jaarverslag/2024/html/", "/jaarverslag/2024/pdf/",
    ]


def warm_up(client: Client, url: str) -> int:
    """One request before timing (template loading, the PDF's one rendering); returns its size."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return len(response.content)


def timed(client: Client, url: str) -> tuple[float, float]:
    """Wall-clock and CPU time of one request, in ms.

    CPU time of this process (SQLite runs in it too) is the steadier figure on a shared machine:
    it leaves out the time other processes hold the cores.
    """
    start, start_cpu = time.perf_counter(), time.process_time()
    client.get(url)
    return (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000


def query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", metavar="URL", help="print a cProfile of this URL instead")
    parser.add_argument("urls", nargs="*", metavar="URL", help="time only these pages (default: every public page)")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    load_demo()
    client = Client()

    if args.profile:
        import cProfile
        import pstats

        client.get(args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(args.profile)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return

    urls = args.urls or public_urls()
    sizes = {url: warm_up(client, url) for url in urls}
    # Interleaved rounds: every page once per round, so a burst of work elsewhere on the machine
    # slows all pages a little instead of one page a lot.
    wall, cpu = {url: [] for url in urls}, {url: [] for url in urls}
    for _ in range(args.runs):
        for url in urls:
            w, c = timed(client, url)
            wall[url].append(w)
            cpu[url].append(c)
    print("| page | wall ms (median) | CPU ms (median) | CPU ms (best) | queries | KB |\n|---|---:|---:|---:|---:|---:|")
    over = []
    for url in urls:
        median = statistics.median(cpu[url])
        flag = " (over goal)" if median > GOAL_MS else ""
        print(f"| `{url}` | {statistics.median(wall[url]):.1f} | {median:.1f}{flag} | {min(cpu[url]):.1f} "
              f"| {query_count(client, url)} | {sizes[url] / 1024:.0f} |")
        if median > GOAL_MS:
            over.append(url)
    print(f"\n{len(over)} page(s) over {GOAL_MS:.0f} ms CPU (median of {args.runs}): {', '.join(over) or 'none'}")


if __name__ == "__main__":
    main()
