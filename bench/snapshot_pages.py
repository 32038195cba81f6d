"""Write the HTML of the public pages to a directory, as a visitor and as an editor, to compare
two versions of the code byte for byte (a speed-up or a move of markup must not change what a page shows).

Besides the demo it adds a few rows the demo lacks (add_edge_cases), so that every branch of the meeting
items, cards, timeline and city periods is written, each with markup characters in its texts.

    .venv/bin/python bench/snapshot_pages.py DIR
    diff -r BEFORE_DIR AFTER_DIR
"""
import datetime
import sys
from pathlib import Path
from urllib.parse import quote

import benchenv  # noqa: E402  (bench/ is on the path when a script runs)

WORKDIR = benchenv.setup("kc-bench-snapshot-", **benchenv.PRODUCTION_LIKE)

from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from programmes import views  # noqa: E402
from programmes.models import City, Organisation, Programme, WorkingGroup, WorkTrack  # noqa: E402
from programmes.models import EditorialStatus, Meeting, Outcome  # noqa: E402
from reports.demo import load_demo  # noqa: E402
from tests.factories import make_group, make_meeting, make_meeting_kind, make_track, make_track_year  # noqa: E402

MARKUP = '<b>R&D</b> "x"'


def add_edge_cases():
    """A sub-track with a renamed, postponed year; a group without programme; a private meeting with hours
    and a new date, a cancelled one, one without group or track; a kind of activity: all named with markup."""
    gent, antwerpen = City.objects.get(slug="gent"), City.objects.get(slug="antwerpen")
    programme = Programme.objects.order_by("order").first()
    parent = WorkTrack.objects.filter(programme=programme, parent=None).order_by("slug").first()
    track = make_track(title=f"Spoor {MARKUP}", slug="spoor-rand", programme=programme, parent=parent, end_year=2025)
    track.lead_cities.add(gent)
    track.cities.add(antwerpen, gent)
    make_track_year(track=track, year=2024, title=f"Vroeger {MARKUP}", outcome=Outcome.POSTPONED, postponed_to=2025,
                    report_status=EditorialStatus.DRAFT)
    group = make_group(name=f"Groep {MARKUP}", slug="groep-rand", frequency=f"maandelijks {MARKUP}", start_year=2024)
    group.cities.add(gent)
    kind = make_meeting_kind(name=f"soort {MARKUP}")
    make_meeting(title=f"Uitgesteld {MARKUP}", track=track, kind=kind, year=2025, month=5, day=3,
                 start_time=datetime.time(14), end_time=datetime.time(16), status=Meeting.Status.POSTPONED,
                 new_date=datetime.date(2025, 6, 1), place=f"Zaal {MARKUP}", host_city=gent, is_public=False)
    make_meeting(title=f"Geannuleerd {MARKUP}", group=group, year=2025, month=6, status=Meeting.Status.CANCELLED,
                 host_city=antwerpen)
    make_meeting(title=f"Gepland {MARKUP}", year=2027, period="autumn", status=Meeting.Status.PLANNED, place="Gent",
                 host_city=gent)


def urls() -> list[str]:
    programme = Programme.objects.order_by("order").first().slug
    partner = Organisation.objects.order_by("slug").first().slug
    calendar = [
        "", "?jaar=2025", "?jaar=2025&stad=gent", "?jaar=2024&status=held", "?soort=workshop", f"?programma={programme}",
        f"?partner={partner}", "?stad=antwerpen&soort=meeting", "?jaar=1999", "?stad=nergens", "?page=2", "?page=1",
        "?page=last", "?jaar=2026&status=planned",
    ]
    lists = ["", "?page=2", "?jaar=2024", "?stad=gent", "?status=ended", "?page=1&stad=gent", "?page=9", "?jaar=1999"]
    return (
        ["/"]
        + [f"/kalender/{query}" for query in calendar]
        + [f"/steden/{slug}/" for slug in City.objects.order_by("slug").values_list("slug", flat=True)]
        + [f"/werksporen/{query}" for query in lists]
        + [f"/werkgroepen/{query}" for query in lists]
        + ["/programmas/", "/programmas/?jaar=2024", "/programmas/?jaar=1999", "/zoeken/?q=klimaat", "/zoeken/?q=klimaat&jaar=1999",
           f"/zoeken/?q=werk&jaar=2024&programma={programme}&stad=gent"]
        + [track.get_absolute_url() for track in WorkTrack.objects.order_by("slug")[:5]]
        + [group.get_absolute_url() for group in WorkingGroup.objects.order_by("slug")[:5]]
        + [programme.get_absolute_url() for programme in Programme.objects.order_by("order")]
        + ["/werksporen/spoor-rand/", "/werkgroepen/groep-rand/", "/kalender/?jaar=2027"]
        + ["/steden/", "/steden/vergelijken/", "/edities/", "/jaarplan/2024/", "/jaarverslag/2024/", "/jaarverslag/2025/"]
    )


def main():
    out = Path(sys.argv[1])
    call_command("migrate", verbosity=0)
    load_demo()
    add_edge_cases()
    editor = get_user_model().objects.create_user(username="redacteur", password="x" * 20, is_staff=True)
    editor.groups.add(Group.objects.get(name="Redacteur"))
    clients = {"visitor": Client(), "editor": Client()}
    clients["editor"].force_login(editor)
    # Once with the pages as they are, once with short pages so that the demo data spans several.
    for suffix, per_page in [("", None), ("-short-pages", 20)]:
        for view in (views.CalendarView, views.WorkTrackListView, views.WorkingGroupListView):
            view.paginate_by = per_page or view.paginate_by
        for who, client in clients.items():
            (out / f"{who}{suffix}").mkdir(parents=True, exist_ok=True)
            for url in urls():
                response = client.get(url)
                (out / f"{who}{suffix}" / quote(url, safe="")).write_bytes(f"{response.status_code}\n".encode() + response.content)
    print(f"{len(urls())} addresses × 4 written to {out}")


if __name__ == "__main__":
    main()
