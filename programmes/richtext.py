"""Turning editor text into safe HTML.

Everything that ends up in a page passes through `sanitize_html`: an allow-list of tags and
attributes (nh3), so pasted or hostile markup can never carry scripts or styles.
"""
import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(value: str) -> str:
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_to_html(text: str) -> str:
    """Paragraphs separated by blank lines; lines starting with '- ' become a list."""
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", (text or "").strip()) if b.strip()]
    parts = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{html.escape(line[2:].strip())}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        elif lines and lines[0].startswith("- ") is False and any(line.startswith("- ") for line in lines):
            intro = [line for line in lines if not line.startswith("- ")]
            items = "".join(f"<li>{html.escape(line[2:].strip())}</li>" for line in lines if line.startswith("- "))
            parts.append(f"<p>{html.escape(' '.join(intro))}</p><ul>{items}</ul>")
        else:
            parts.append(f"<p>{html.escape(' '.join(lines))}</p>")
    return sanitize_html("".join(parts))


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(p|ul|ol|h3|h4|br|strong|em)\b", text or "", re.IGNORECASE))
