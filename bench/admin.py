"""Back-office benchmark: every admin page at the demo's size and at twenty times the demo.

    .venv/bin/python bench/admin.py [--scale 20] [--runs 7] [--profile URL] [--only TEXT]

Builds a throwaway SQLite database with the demo content, measures, then copies the content until
there is --scale times as much (tracks, texts, groups, meetings, links and partners as bench/search.py
does; besides that every edition's outline gets the copied texts of its year, the editions themselves
are copied into later years, and every object gets the history record a save would have made) and
measures again. Pages, as an Eindredacteur sees them: the home, every change list, every change
form with its inlines, every other page an admin offers (checklist, "volgend jaar voorbereiden",
recent changes, deleted items, and whatever else a ModelAdmin adds to its URLs, such as the round's
overview), and the history, revert and compare pages of the edition and of a text.

Per page: the median wall-clock and CPU time of --runs requests through Django's test client with
DEBUG off (interleaved rounds, after a warm-up), the number of queries and the size of the HTML.
Goals: every page at most 150 ms and the edition form at most 200 ms at 20x, the edition form's HTML
at most 150 KB at the demo's size, and the same number of queries at both sizes.
"""
import argparse
import json
import statistics
import sys
import time

import benchenv  # noqa: E402  (bench/ is on the path when a script runs)

WORKDIR = benchenv.setup("kc-bench-admin-", **benchenv.PRODUCTION_LIKE)

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from programmes.history import history_models  # noqa: E402
from programmes.models import WorkTrackYear  # noqa: E402
from reports.demo import load_demo  # noqa: E402
from reports.models import Edition, EditionEntry  # noqa: E402
from admin_edit import FormParser  # noqa: E402
from scale import copy_of, scale_up  # noqa: E402

GOAL_MS, EDITION_FORM_GOAL_MS, EDITION_FORM_GOAL_KB = 150.0, 200.0, 150.0
# The pages Django's admin itself provides per model; everything else a ModelAdmin adds is measured too.
STANDARD_VIEWS = {"changelist", "add", "change", "delete", "history", "simple_history", "autocomplete"}


@transaction.atomic
def scale_editions(times: int, year_maps: list[dict]) -> None:
    """Each edition's outline also places the copied texts of its year; the editions recur in later years."""
    editions = list(Edition.objects.order_by("pk"))
    outlines = {edition.pk: list(edition.entries.order_by("order", "pk")) for edition in editions}
    for copy_number, year_map in enumerate(year_maps, start=2):
        for edition in editions:
            entries = outlines[edition.pk]
            copies = {}
            for entry in entries:  # parents come first in the outline's order
                copies[entry.pk] = copy_of(
                    entry, parent=copies.get(entry.parent_id), order=entry.order + 1000 * copy_number,
                    track_year=year_map.get(entry.track_year_id) if entry.track_year_id else None,
                )
                copies[entry.pk].save()
    Edition.objects.bulk_create([
        copy_of(edition, year=edition.year + 10 * (copy_number - 1))
        for copy_number in range(2, times + 1) for edition in editions
    ])


def give_every_object_a_history() -> None:
    """bulk_create makes no history records; a save through the admin would have made one."""
    for model, historical in history_models():
        recorded = set(historical.objects.values_list(model._meta.pk.attname, flat=True).distinct())
        missing = [obj for obj in model._default_manager.all() if obj.pk not in recorded]
        if missing:
            model.history.bulk_history_create(missing, batch_size=500)


def editor():
    user = get_user_model().objects.create_user(username="bench-eindredacteur", is_staff=True)
    user.groups.add(Group.objects.get(name="Eindredacteur"))
    client = Client()
    client.force_login(user)
    return user, client


def sample(model):
    """The object whose change form has the most to show: for an edition the jaarverslag 2025."""
    if model is Edition:
        return Edition.objects.get(kind=Edition.Kind.REPORT, year=2025)
    return model._default_manager.order_by("pk").first()


def admin_urls(user) -> list[tuple[str, str]]:
    """(label, url) of every page the user may open, found from the admin's registry."""
    urls = [("home", reverse("admin:index"))]
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label):
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        obj = sample(model)
        urls.append((f"{model._meta.verbose_name_plural}: list", reverse(f"admin:{info}_changelist")))
        if obj is not None:
            urls.append((f"{model._meta.verbose_name}: form", reverse(f"admin:{info}_change", args=[obj.pk])))
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None) or ""
            if not name or name.removeprefix(info + "_") in STANDARD_VIEWS:
                continue
            try:
                url = reverse(f"admin:{name}")
            except NoReverseMatch:
                if obj is None:
                    continue
                try:
                    url = reverse(f"admin:{name}", args=[obj.pk])
                except NoReverseMatch:
                    continue
            urls.append((f"{model._meta.verbose_name}: {name.removeprefix(info + '_')}", url))
    edition = sample(Edition)
    text = WorkTrackYear.objects.filter(track__slug="obmi", year=2025).first()
    for label, obj in (("edition", edition), ("text", text)):
        info = f"{obj._meta.app_label}_{obj._meta.model_name}"
        oldest = obj.history.order_by("history_date", "history_id").first()
        urls += [
            (f"{label}: history", reverse(f"admin:{info}_history", args=[obj.pk])),
            (f"{label}: revert page", reverse(f"admin:{info}_simple_history", args=[obj.pk, oldest.history_id])),
        ]
    return urls


def give_history_to_compare() -> None:
    """The text and the edition as an editor leaves them after a season's work: several saved versions."""
    text = WorkTrackYear.objects.get(track__slug="obmi", year=2025)
    original = text.report_text
    for i in range(3):
        text.report_text = original.replace("</p>", f" Aanvulling {i}.</p>", 1)
        text.save()
    text.report_text = original
    text.save()
    edition = sample(Edition)
    edition.subtitle = "Werkversie"
    edition.save()
    edition.subtitle = ""
    edition.save()
    EditionEntry.objects.filter(edition=edition).first().save()


def measure(client: Client, urls: list[tuple[str, str]], runs: int) -> dict:
    """{label: (wall ms median, CPU ms median, queries, KB)}."""
    sizes = {}
    for label, url in urls:
        started = time.perf_counter()
        response = client.get(url)
        if time.perf_counter() - started > 2:
            print(f"slow: {label} {url} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        if response.status_code != 200:
            raise SystemExit(f"{label} {url}: HTTP {response.status_code}")
        sizes[label] = len(response.content) / 1024
    wall, cpu = {label: [] for label, _ in urls}, {label: [] for label, _ in urls}
    for _ in range(runs):
        for label, url in urls:
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            wall[label].append((time.perf_counter() - start) * 1000)
            cpu[label].append((time.process_time() - start_cpu) * 1000)
    found = {}
    for label, url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        found[label] = (statistics.median(wall[label]), statistics.median(cpu[label]), len(queries), sizes[label])
    return found


def measure_saves(client: Client, runs: int) -> dict:
    """What saving the jaarverslag 2025's form costs: unchanged, and with one line moved to the end and back.

    {label: (wall ms median, CPU ms median, queries of the last save)}; each save must redirect."""
    url = reverse("admin:reports_edition_change", args=[sample(Edition).pk])
    found = {}
    for label, move in (("unchanged", False), ("one line moved", True)):
        wall, cpu = [], []
        for i in range(runs + 1):
            parser = FormParser()
            parser.feed(client.get(url).content.decode())
            data = {name: values for name, values in parser.data.items() if values and "__prefix__" not in name}
            if move:  # the first top-level line without lines under it goes to the end (the outline is one JSON field)
                lines = json.loads(data["inhoud"][0])
                parents = {line["parent"] for line in lines}
                top = [line for line in lines if not line["parent"]]
                movable = min((line for line in top if line["key"] not in parents), key=lambda line: line["order"])
                movable["order"] = max(line["order"] for line in top) + 10
                data["inhoud"] = [json.dumps(lines)]
            data["_continue"] = ["Bewaren"]
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.post(url, data)
                elapsed, elapsed_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
            if response.status_code != 302:
                raise SystemExit(f"saving the edition form ({label}): HTTP {response.status_code}")
            if i:  # the first save is a warm-up
                wall.append(elapsed)
                cpu.append(elapsed_cpu)
        found[f"edition form: save, {label}"] = (statistics.median(wall), statistics.median(cpu), len(queries))
    return found


def profile(client: Client, url: str, runs: int) -> None:
    import cProfile
    import pstats

    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", metavar="URL", help="after scaling up, print a cProfile of this URL instead")
    parser.add_argument("--only", metavar="TEXT", help="measure only the pages whose address contains TEXT")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    load_demo()
    give_history_to_compare()
    user, client = editor()
    urls = [(label, url) for label, url in admin_urls(user) if not args.only or args.only in url]
    small = {} if args.profile else measure(client, urls, args.runs)
    small_saves = {} if args.profile else measure_saves(client, args.runs)

    started = time.perf_counter()
    year_maps = scale_up(args.scale)
    scale_editions(args.scale, year_maps)
    give_every_object_a_history()
    print(f"{args.scale}x demo built in {time.perf_counter() - started:.0f} s: "
          f"{Edition.objects.count()} editions, {EditionEntry.objects.filter(edition=sample(Edition)).count()} lines "
          f"in the jaarverslag 2025, {WorkTrackYear.objects.count()} texts")
    if args.profile:
        profile(client, args.profile, args.runs)
        return
    large = measure(client, urls, args.runs)
    large_saves = measure_saves(client, args.runs)

    print(f"\n| page | demo ms (CPU) | demo queries | {args.scale}x ms (wall) | {args.scale}x ms (CPU) "
          f"| {args.scale}x queries | demo KB | {args.scale}x KB |\n|---|---:|---:|---:|---:|---:|---:|---:|")
    problems = []
    edition_form = f"{Edition._meta.verbose_name}: form"
    for label, url in urls:
        s_wall, s_cpu, s_queries, s_kb = small[label]
        l_wall, l_cpu, l_queries, l_kb = large[label]
        goal = EDITION_FORM_GOAL_MS if label == edition_form else GOAL_MS
        print(f"| {label} (`{url}`) | {s_cpu:.0f} | {s_queries} | {l_wall:.0f} | {l_cpu:.0f} | {l_queries} "
              f"| {s_kb:.0f} | {l_kb:.0f} |")
        if l_cpu > goal:
            problems.append(f"{label}: {l_cpu:.0f} ms CPU at {args.scale}x (goal {goal:.0f})")
        if l_queries != s_queries:
            problems.append(f"{label}: {s_queries} queries at the demo's size, {l_queries} at {args.scale}x")
        if label == edition_form and s_kb > EDITION_FORM_GOAL_KB:
            problems.append(f"{label}: {s_kb:.0f} KB of HTML at the demo's size (goal {EDITION_FORM_GOAL_KB:.0f})")
    print(f"\n| saving | demo ms (CPU) | demo queries | {args.scale}x ms (wall) | {args.scale}x ms (CPU) | {args.scale}x queries |"
          "\n|---|---:|---:|---:|---:|---:|")
    for label, (s_wall, s_cpu, s_queries) in small_saves.items():
        l_wall, l_cpu, l_queries = large_saves[label]
        print(f"| {label} | {s_cpu:.0f} | {s_queries} | {l_wall:.0f} | {l_cpu:.0f} | {l_queries} |")
    print("\nGoals " + ("met." if not problems else "not met:\n- " + "\n- ".join(problems)))


if __name__ == "__main__":
    main()
