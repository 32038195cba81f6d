"""Screenshots for review: every public page type at 320, 390 and 1280 px, and every PDF page.

    .venv/bin/python bench/screens.py [--out screens] [--port 55531] [--only pages|pdf]

Builds a throwaway SQLite database with the demo content, serves it on 127.0.0.1:<port> from a
thread of this process, saves full-page PNGs taken with the Debian chromium (Playwright, never
`playwright install`) as <out>/<width>/<page>.png, and renders the PDF of every demo edition
(jaarverslag 2024 and 2025, jaarplan 2024 and 2020) to <out>/pdf/<edition>-<page>.png with `pdftoppm -png -r 60`. A page wider than the window is
reported, since that is a reflow failure (WCAG 1.4.10). /screens/ is gitignored.
"""
import argparse
import shutil
import subprocess
import threading
import urllib.request
from pathlib import Path

import benchenv  # noqa: E402  (bench/ is on the path when a script runs)

WORKDIR = benchenv.setup("kc-screens-", DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS="127.0.0.1")
ROOT = benchenv.ROOT

from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db.models import Count  # noqa: E402

from programmes.models import City, Programme, WorkingGroup, WorkTrack  # noqa: E402
from reports.demo import load_demo  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WIDTHS = (320, 390, 1280)
PDFS = (
    ("jaarverslag-2024", "/jaarverslag/2024/pdf/"), ("jaarverslag-2025", "/jaarverslag/2025/pdf/"),
    ("jaarplan-2024", "/jaarplan/2024/pdf/"), ("jaarplan-2020", "/jaarplan/2020/pdf/"),
)


def public_pages() -> list[tuple[str, str]]:
    """(name, path) of one page of every public type; detail pages take the object with the most to show."""
    def fullest(queryset, related):
        obj = queryset.annotate(n=Count(related)).order_by("-n", "pk").first()
        return obj.get_absolute_url() if obj else None

    pages = [
        ("home", "/"), ("edities", "/edities/"), ("jaarplan-2020", "/jaarplan/2020/"), ("jaarplan-2024", "/jaarplan/2024/"),
        ("jaarverslag-2024", "/jaarverslag/2024/"), ("jaarverslag-2025", "/jaarverslag/2025/"),
        ("programmas", "/programmas/"), ("programma", fullest(Programme.objects.all(), "tracks")),
        ("werkspoor", fullest(WorkTrack.objects.public(), "years")), ("werkgroepen", "/werkgroepen/"),
        ("werkgroep", fullest(WorkingGroup.objects.public(), "meetings")), ("steden", "/steden/"),
        ("stad", fullest(City.objects.all(), "tracks")), ("steden-vergelijken", "/steden/vergelijken/"),
        ("kalender", "/kalender/"), ("zoeken", "/zoeken/?q=klimaat"), ("open-data", "/open-data/"),
        ("financien", "/financien/"),
    ]
    return [(name, path) for name, path in pages if path]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve(port: int) -> ThreadedWSGIServer:
    server = ThreadedWSGIServer(("127.0.0.1", port), QuietHandler)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def shoot_pages(origin: str, out: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    pages = public_pages()  # before Playwright: its event loop makes the ORM refuse to run
    too_wide = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in WIDTHS:
            (out / str(width)).mkdir(parents=True, exist_ok=True)
            page = browser.new_page(viewport={"width": width, "height": 800}, locale="nl-BE")
            for name, path in pages:
                page.goto(origin + path, wait_until="load")
                scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if scroll > inner:
                    too_wide.append(f"{path} at {width}px: {scroll}px wide")
                page.screenshot(path=str(out / str(width) / f"{name}.png"), full_page=True)
            page.close()
        browser.close()
    return too_wide


def shoot_pdfs(origin: str, out: Path) -> None:
    pdf_dir = out / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    for name, path in PDFS:
        target = pdf_dir / f"{name}.pdf"
        with urllib.request.urlopen(origin + path) as response:  # noqa: S310 (our own loopback server)
            target.write_bytes(response.read())
        for old in pdf_dir.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(target), str(pdf_dir / name)], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screens"), help="directory for the PNGs (default: screens/)")
    parser.add_argument("--port", type=int, default=55531, help="loopback port, 55500-55599 on shared machines")
    parser.add_argument("--only", choices=("pages", "pdf"), help="only the web pages or only the PDFs")
    args = parser.parse_args()
    out = Path(args.out)
    call_command("migrate", verbosity=0)
    load_demo()
    server = serve(args.port)
    origin = f"http://127.0.0.1:{args.port}"
    try:
        if args.only != "pages":  # first, so the edition list and home page can state the PDFs' pages and size
            shoot_pdfs(origin, out)
        if args.only != "pdf":
            too_wide = shoot_pages(origin, out)
            print("\n".join(too_wide) if too_wide else "No page scrolls sideways.")
        print(f"PNGs in {out}")
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
