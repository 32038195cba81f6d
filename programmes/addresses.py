"""Web addresses typed by editors: only http(s) (and mailto for references) ever reach a page.

One rule, used twice: `validate_link_url` refuses anything else when a form or `full_clean()` saves
it, and `safe_href` decides on output, so an address stored before the rule (or written around the
forms) is shown as "no address" instead of becoming a javascript: or data: link.
"""
import html
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# What editors store for "address not known yet"; the one definition (also as a query: placeholder_q).
PLACEHOLDERS = ("", "#")
WEB_SCHEMES = {"http", "https"}
# Browsers ignore ASCII control characters and whitespace inside a scheme ("java\tscript:"),
# and decode entities in attributes ("javascript&#58;"): judge the address the way a browser reads it.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\ufeff]")


def _as_browser_reads(value: str) -> str:
    previous = None
    value = value or ""
    while previous != value:  # "&amp;#58;" decodes twice in some contexts
        previous, value = value, html.unescape(value)
    return _INVISIBLE.sub("", value)


def _scheme_and_host(value: str) -> tuple[str, str, str]:
    try:
        parts = urlsplit(value)
        return parts.scheme.lower(), parts.hostname or "", parts.path
    except ValueError:
        return "", "", ""


def safe_href(value: str, *, allow_mailto: bool = True) -> str:
    """The address when it is a complete http(s) (or mailto) address, else ''.

    Both the address as stored and as a browser would read it (entities decoded, control
    characters dropped) must pass, so no spelling of "javascript:" or "data:" slips through.
    """
    raw = (value or "").strip()
    if raw in PLACEHOLDERS:
        return ""
    for candidate in (raw, _as_browser_reads(raw)):
        scheme, host, path = _scheme_and_host(candidate)
        if scheme in WEB_SCHEMES and host and not _INVISIBLE.search(raw):
            continue
        if allow_mailto and scheme == "mailto" and "@" in path:
            continue
        return ""
    return raw


def validate_link_url(value: str) -> None:
    """An empty address or '#' (not known yet) or a complete http(s)/mailto address."""
    if is_placeholder_value(value):
        return
    if not safe_href(value):
        raise ValidationError(
            _("Geef een volledig webadres dat begint met https:// of http:// (of mailto: voor een e-mailadres), "
              "of laat het veld leeg als het adres nog niet gekend is."),
            code="unsafe_url",
        )


def validate_web_url(value: str) -> None:
    """A complete http(s) address (a website, a settlement document): no mailto, no placeholder."""
    if value and not safe_href(value, allow_mailto=False):
        raise ValidationError(
            _("Geef een volledig webadres dat begint met https:// of http://."), code="unsafe_url"
        )


def is_placeholder_value(value) -> bool:
    """Whether a typed address means 'not known yet' (empty or '#', surrounding spaces ignored)."""
    return (value or "").strip() in PLACEHOLDERS


def placeholder_q(field: str = "url") -> Q:
    """The rows whose `field` (a path such as 'links__url' works too) holds a placeholder address."""
    return Q(**{f"{field}__in": PLACEHOLDERS})
