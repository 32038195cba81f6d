"""Words and snippets: how a query is cut into words and how a matched text is shown.

Shared by the index (the words a row holds) and the query (the words searched, the snippet shown);
nothing here reads the database.
"""
import html
import re
import unicodedata

MAX_WORDS = 8
# Private-use characters mark the matched words in a PostgreSQL headline: the text around them is
# escaped first, then they become <mark>, so neither the content nor the query can inject markup.
MARK_START, MARK_END = "\ue000", "\ue001"
FRAGMENT_DELIMITER = " … "
WORD = re.compile(r"\w+")
TAG = re.compile(r"<[^>]*>")


def query_words(q: str) -> list[str]:
    """The words of a query (letters and digits), lower case, without repeats, at most MAX_WORDS."""
    words = []
    for word in WORD.findall(q.replace(MARK_START, " ").replace(MARK_END, " ").casefold()):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def plain(text: str) -> str:
    """Lower case without accents: "Financiën" → "financien"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def plain_words(text: str) -> list[str]:
    return WORD.findall(plain(text))


def without_tags(values) -> str:
    """Rich texts without their markup; entities stay (&lt;), as the PostgreSQL parser and headline expect."""
    return " ".join(TAG.sub(" ", " ".join(v or "" for v in values)).split())


def word_starts(*texts) -> str:
    """' word word … ' in lower case: a word start is then ' word' anywhere in it."""
    return " " + " ".join(WORD.findall(html.unescape(" ".join(texts)).casefold())) + " "


def starts_a_word(words: list[str], text: str) -> int:
    """How many of `words` start a word of `text`."""
    return sum(1 for w in words if re.search(r"(?<!\w)" + re.escape(w), text, re.IGNORECASE))


def marked(text: str, words: list[str]) -> str:
    """`text` escaped, with every word that starts with one of `words` in <mark>."""
    if not words:
        return html.escape(text)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    out, position = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[position:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        position = m.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def text_snippet(text: str, words: list[str], width: int = 220) -> str:
    """Around the first matched word of a plain text: escaped, matches in <mark>."""
    text = " ".join(text.split())
    if not text:
        return ""
    first = re.search(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + ")", text, re.IGNORECASE) if words else None
    start = max(0, (first.start() if first else 0) - width // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    piece = text[start:end]
    return ("… " if start else "") + marked(piece, words) + (" …" if end < len(text) else "")


def headline_html(headline: str, text: str = "") -> str:
    """A PostgreSQL headline (markers around matches) as escaped HTML with <mark>, with "…" where it
    leaves out the start or the end of `text`, the text it was cut from (as the SQLite snippet does)."""
    piece = " ".join(html.unescape(headline or "").split())
    if text and piece:
        whole = " ".join(html.unescape(text).split())
        fragments = piece.replace(MARK_START, "").replace(MARK_END, "").split(FRAGMENT_DELIMITER)
        first, last = fragments[0], fragments[-1]
        start, end = whole.find(first), whole.rfind(last)
        before, after = whole[:start] if start > 0 else "", whole[end + len(last):] if end >= 0 else ""
        # Only punctuation left out (the closing full stop a headline drops) is given back as it is.
        piece = ("… " if re.search(r"\w", before) else "") + piece + (" …" if re.search(r"\w", after) else after.rstrip())
    return html.escape(piece).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
