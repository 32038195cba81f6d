"""WCAG 1.4.10 Reflow: no public page scrolls sideways at 320 px (nor at 390 and 1280)."""
import pytest

from programmes.models import City, Programme, WorkingGroup, WorkTrack
from tests.accessibility_results import record

WIDTHS = (320, 390, 1280)


def _public_pages() -> list[str]:
    """One page of every public type; detail pages take the object with the most to show."""
    from django.db.models import Count

    programme = Programme.objects.annotate(n=Count("tracks")).order_by("-n", "pk").first()
    track = WorkTrack.objects.public().annotate(n=Count("years")).order_by("-n", "pk").first()
    group = WorkingGroup.objects.public().annotate(n=Count("meetings")).order_by("-n", "pk").first()
    city = City.objects.annotate(n=Count("tracks")).order_by("-n", "pk").first()
    return [
        "/", "/edities/", "/jaarplan/2020/", "/jaarplan/2024/", "/jaarverslag/2024/", "/jaarverslag/2025/",
        "/programmas/", programme.get_absolute_url(), track.get_absolute_url(), "/werkgroepen/",
        group.get_absolute_url(), "/steden/", city.get_absolute_url(), "/steden/vergelijken/", "/kalender/", "/zoeken/?q=klimaat",
        "/open-data/", "/financien/", "/toegankelijkheid/", *SEARCH_AND_LISTS,
    ]


# The search page with results and with a suggestion, and the filtered lists (long option labels with counts).
SEARCH_AND_LISTS = [
    "/werksporen/", "/werksporen/?stad=gent&jaar=2025", "/zoeken/?q=klimaat+gent", "/zoeken/?q=rechtenverkener",
    "/zoeken/?q=gdpr&soort=groups", "/kalender/?jaar=2025&stad=gent",
]


@pytest.mark.django_db(transaction=True)
def test_no_public_page_scrolls_sideways_at_320_390_or_1280_px(demo_site, page_at):
    paths = _public_pages()
    too_wide = []
    for width in WIDTHS:
        page = page_at(width)
        for path in paths:
            response = page.goto(demo_site + path, wait_until="load")
            assert response.status == 200, f"{path}: {response.status}"
            scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            record("reflow", path, width=width, fits=scroll_width <= inner_width)
            if scroll_width > inner_width:
                too_wide.append(f"{path} at {width} px is {scroll_width} px wide")
    assert not too_wide, "\n".join(too_wide)
