"""Turning editor text into safe HTML: one function, used on save and again on output.

`to_safe_html` accepts what editors produce: markup from the toolbar editor, a pasted fragment
without paragraphs ("Zie <a href=…>de nota</a>."), or plain text with blank lines and "- " lists.
Markup goes through an allow-list of tags and attributes (nh3), so hostile or pasted markup can
never carry scripts, styles or javascript: links; loose inline text is wrapped in a paragraph.
"""
import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
BLOCK_TAGS = ("p", "ul", "ol", "h3", "h4", "blockquote")
_MARKUP = re.compile(r"<\s*[a-zA-Z!/]")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def esc(value) -> str:
    """Plain text for an HTML element or attribute, quotes escaped too: what Django's autoescape and
    `escape` give, for the little markup written in Python (programmes.filters.PlainSelect)."""
    return html.escape(str(value), quote=True)


def sanitize_html(value: str) -> str:
    """Markup through the allow-list; nothing else is touched."""
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


def _wrap_loose_inline(markup: str) -> str:
    """Inline text and tags outside any block element become paragraphs; blocks stay as they are."""
    parts, loose, depth, position = [], [], 0, 0
    for match in _TAG.finditer(markup + "<p>"):  # a sentinel block start flushes the last loose run
        text_before = markup[position:match.start()] if match.start() <= len(markup) else markup[position:]
        closing, name = match.group(1), match.group(2).lower()
        is_block = name in BLOCK_TAGS
        if depth == 0 and is_block and not closing:
            run = "".join(loose) + text_before
            if run.strip():
                parts.append(f"<p>{run.strip()}</p>")
            loose = []
        elif depth == 0:
            loose.append(text_before)
        else:
            parts.append(text_before)
        if match.start() >= len(markup):
            break
        tag = match.group(0)
        if is_block:
            depth += -1 if closing else 1
            depth = max(depth, 0)
        (parts if depth > 0 or is_block else loose).append(tag)
        position = match.end()
    return "".join(parts)


def plain_to_html(text: str) -> str:
    """Paragraphs separated by blank lines; lines starting with '- ' become a list."""
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", (text or "").strip()) if b.strip()]
    parts = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        items = "".join(f"<li>{html.escape(line[2:].strip())}</li>" for line in lines if line.startswith("- "))
        intro = " ".join(line for line in lines if not line.startswith("- "))
        if intro:
            parts.append(f"<p>{html.escape(intro)}</p>")
        if items:
            parts.append(f"<ul>{items}</ul>")
    return "".join(parts)


def to_safe_html(value: str) -> str:
    """Editor input (markup or plain text) as safe HTML with every piece of text inside a block."""
    value = (value or "").strip()
    if not value:
        return ""
    if _MARKUP.search(value):
        return _wrap_loose_inline(sanitize_html(value).strip())
    return plain_to_html(value)


_BREAK = re.compile(r"<br\s*/?>|</(?:p|h3|h4|blockquote|li|ul|ol)>", re.IGNORECASE)
_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """Editor HTML as plain text (a calendar description): one line per paragraph, heading or list item
    ("- " before an item), tags dropped and entities decoded, so "&#x27;" is an apostrophe again."""
    text = _ITEM.sub("\n- ", _BREAK.sub("\n", value or ""))
    text = html.unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
