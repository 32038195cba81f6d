"""PDF export benchmark: render time of an edition, cold and from the cache.

    .venv/bin/python bench/exports.py [--runs 3]

Builds a throwaway SQLite database with the demo content, then times GET /jaarverslag/<jaar>/pdf/
through Django's test client for the jaarverslag 2024 and for a synthetic jaarverslag ten times its
size (every 2024 track, with its text, groups and links, copied ten times). "cold" empties the PDF
cache first; "cached" is the next download of the same, unchanged edition.
"""
import argparse
import shutil
import statistics
import time

import benchenv  # noqa: E402  (bench/ is on the path when a script runs)

WORKDIR = benchenv.setup("kc-bench-", DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS="testserver")

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from programmes.models import Budget, EditorialStatus, WorkTrack, WorkTrackYear  # noqa: E402
from reports.exports import pdf_cache_dir  # noqa: E402
from reports.demo import load_demo  # noqa: E402
from reports.models import Edition, EditionSection  # noqa: E402
from reports.services import edition_outline_from_texts  # noqa: E402

SYNTHETIC_YEAR = 2090


@transaction.atomic
def build_synthetic_edition(factor: int = 10) -> Edition:
    source = Edition.objects.get(kind=Edition.Kind.REPORT, year=2024)
    edition = Edition.objects.create(
        kind=Edition.Kind.REPORT, year=SYNTHETIC_YEAR, status=EditorialStatus.PUBLISHED, published_at=timezone.now(),
        foreword=source.foreword, foreword_signatory=source.foreword_signatory,
        responsible_publisher=source.responsible_publisher, publisher_address=source.publisher_address,
    )
    for section in source.sections.all():
        EditionSection.objects.create(edition=edition, title=section.title, slug=section.slug,
                                      placement=section.placement, body=section.body, order=section.order)
    budget = Budget.objects.filter(year=2024).first()
    if budget:
        Budget.objects.create(year=SYNTHETIC_YEAR, total=budget.total, note=budget.note)
    placed = source.entries.filter(track_year__isnull=False).values("track_year")
    years = WorkTrackYear.objects.filter(pk__in=placed).part_visible_to(AnonymousUser(), "report").select_related("track")
    numbers = {}
    for ty in years.prefetch_related("links", "track__groups"):
        for copy in range(1, factor + 1):
            track = WorkTrack.objects.create(
                title=f"{ty.display_title} ({copy})", slug=f"{ty.track.slug}-bench-{copy}", kind=ty.track.kind,
                programme=ty.programme,
            )
            track.groups.set(ty.track.groups.all())
            new = WorkTrackYear.objects.create(
                track=track, year=SYNTHETIC_YEAR, programme=ty.programme,
                report_text=ty.report_text, report_status=EditorialStatus.PUBLISHED,
            )
            numbers[new.pk] = f"{copy}"
            for link in ty.links.all():
                link.pk, link.track_year = None, new
                link.save()
    edition_outline_from_texts(edition=edition, numbers=numbers)
    return edition


def timed_download(client, url):
    cache.clear()  # the anonymous page cache would answer instead of the PDF code
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - start, response


def bench(client, edition, runs):
    url = edition.get_absolute_url() + "pdf/"
    cold, cached = [], []
    for _ in range(runs):
        shutil.rmtree(pdf_cache_dir(), ignore_errors=True)
        seconds, response = timed_download(client, url)
        assert response["X-PDF-Cache"] == "miss"
        cold.append(seconds)
        seconds, response = timed_download(client, url)
        assert response["X-PDF-Cache"] == "hit"
        cached.append(seconds)
    pages = len(PdfReader(pdf_cache_dir().glob("*.pdf").__next__()).pages)
    tracks = edition.entries.filter(track_year__isnull=False).count()
    print(f"{str(edition):<22} {tracks:>6} {pages:>6} {statistics.median(cold):>10.2f} {statistics.median(cached) * 1000:>12.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measurements per figure (the median is reported)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_demo()
    synthetic = build_synthetic_edition()
    client = Client()
    print(f"{'edition':<22} {'tracks':>6} {'pages':>6} {'cold (s)':>10} {'cached (ms)':>12}   median of {args.runs}")
    bench(client, Edition.objects.get(kind=Edition.Kind.REPORT, year=2024), args.runs)
    bench(client, synthetic, args.runs)
    shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
