"""What a reviewer checks first in a PDF: pages, nearly empty pages, tagging, suspicious hyphenation.

    .venv/bin/python bench/pdf_pages.py FILE.pdf [FILE.pdf ...] [--min-lines 15]

For each file: the page count, the pages holding fewer than --min-lines lines of text
(`pdftotext -layout` per page, blank lines not counted), whether the PDF is tagged (a /StructTreeRoot
and /MarkInfo /Marked true in the catalogue), its /Lang, and the words broken over a line with a
hyphen, typed or automatic ("projec‐" + "topvolging"), so a wrong Dutch break shows up without
paging through.
Needs poppler-utils (pdftotext) and pypdf.
"""
import argparse
import re
import subprocess
import sys

from pypdf import PdfReader

# A hyphen at a line end: "-" typed in the text, or U+2010 that WeasyPrint sets when it hyphenates itself.
BROKEN_WORD = re.compile(r"(\w+)([-\u2010])[ \t]*\n\s*(\w+)")


def page_texts(path: str, pages: int) -> list[str]:
    return [
        subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), path, "-"],
                       capture_output=True, text=True, check=True).stdout
        for n in range(1, pages + 1)
    ]


def pdf_report(path: str, min_lines: int = 15) -> dict:
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    mark_info = root.get("/MarkInfo")
    texts = page_texts(path, len(reader.pages))
    lines = [sum(1 for line in text.splitlines() if line.strip()) for text in texts]
    broken = [
        f"p{n}: {a}{h}{b}" + ("" if h == "-" else " (automatic)")
        for n, text in enumerate(texts, 1) for a, h, b in BROKEN_WORD.findall(text)
    ]
    return {
        "pages": len(reader.pages),
        "short_pages": [(n, count) for n, count in enumerate(lines, 1) if count < min_lines],
        "tagged": "/StructTreeRoot" in root and bool(mark_info and mark_info.get("/Marked")),
        "lang": str(root.get("/Lang", "")),
        "hyphen_breaks": broken,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--min-lines", type=int, default=15)
    args = parser.parse_args()
    for path in args.files:
        r = pdf_report(path, args.min_lines)
        short = ", ".join(f"p{n} ({c})" for n, c in r["short_pages"]) or "none"
        print(f"{path}\n  pages: {r['pages']}\n  pages under {args.min_lines} lines: {len(r['short_pages'])}: {short}")
        print(f"  tagged: {'yes' if r['tagged'] else 'no'}   lang: {r['lang'] or '-'}")
        print(f"  words hyphenated over a line: {len(r['hyphen_breaks'])}" + "".join(f"\n    {b}" for b in r["hyphen_breaks"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
