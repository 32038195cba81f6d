"""Context shared by every page."""
import functools

from django.urls import get_script_prefix, get_urlconf, reverse

# The addresses in the header and footer of every page.
SITE_LINKS = {
    "home": "reports:home",
    "editions": "reports:edition-list",
    "programmes": "programmes:programme-list",
    "tracks": "programmes:worktrack-list",
    "groups": "programmes:workinggroup-list",
    "cities": "programmes:city-list",
    "calendar": "programmes:calendar",
    "search": "programmes:search",
    "finances": "reports:finances",
    "open_data": "reports:open-data",
    "calendar_ics": "reports:calendar-ics",
    "edition_feed": "reports:edition-feed",
    "accessibility": "reports:accessibility",
}


def site_links(request):
    """`site_links.calendar` and the like: reversed once per URL configuration and script prefix
    (they depend on the code only), not thirteen times on every page."""
    return {"site_links": _site_links(get_urlconf(), get_script_prefix())}


@functools.lru_cache(maxsize=16)
def _site_links(urlconf, prefix: str) -> dict:
    return {key: reverse(name, urlconf=urlconf) for key, name in SITE_LINKS.items()}
