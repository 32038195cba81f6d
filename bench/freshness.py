"""How long after an editor's save nginx serves the change, and an editor saving steadily (publication day).

    python bench/freshness.py probe  http://A http://NGINX <username> <track-slug> [--edits 20]
    python bench/freshness.py editor http://A <username> <track-slug> --every 2 --seconds 30

`probe` saves a new title through instance A's admin (a real login and POST, bench/admin_edit.py), then
asks nginx for the track page every 10 ms until the new title is in it; the time from the save's answer
(the commit is done by then) to the first page with the title is that edit's freshness. The edits are
spread over the second at random (nginx's copies expire on whole seconds), with a pause of 0.3 to 1.3 s
between them. Prints one line per edit and `FRESH max_seconds=<max> median_seconds=<median> edits=<n>`.

`editor` saves the title every `--every` seconds for `--seconds` seconds and prints `SAVES <n>`.
The password comes from DJANGO_STAFF_PASSWORD. Loopback only; bounded in count and time.
"""
import argparse
import http.client
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from admin_edit import Editor  # noqa: E402

POLL_SECONDS = 0.01
GIVE_UP_SECONDS = 10


def _loopback(url: str) -> str:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"{url}: loopback addresses only")
    return url


def page_text(base_url: str, path: str) -> str:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
    connection.request("GET", path)
    body = connection.getresponse().read().decode("utf-8", "replace")
    connection.close()
    return body


def probe(args) -> None:
    editor = Editor(_loopback(args.instance), args.username)
    change_url = editor.track_change_url(args.slug)
    path = f"/werksporen/{args.slug}/"
    seconds = []
    for number in range(1, args.edits + 1):
        time.sleep(random.uniform(0.3, 1.3))
        title = f"Atrium centrumsteden (versheid {number}, {time.time():.3f})"
        editor.save_title(change_url, title)
        saved = time.monotonic()
        while title not in page_text(args.nginx, path):
            if time.monotonic() - saved > GIVE_UP_SECONDS:
                raise SystemExit(f"edit {number}: not served by nginx after {GIVE_UP_SECONDS} s")
            time.sleep(POLL_SECONDS)
        seconds.append(time.monotonic() - saved)
        print(f"   edit {number:2d}: served by nginx after {seconds[-1]:.3f} s", flush=True)
    print(f"FRESH max_seconds={max(seconds):.3f} median_seconds={statistics.median(seconds):.3f} edits={len(seconds)}")


def editor(args) -> None:
    editor = Editor(_loopback(args.instance), args.username)
    change_url = editor.track_change_url(args.slug)
    start, saves = time.monotonic(), 0
    while time.monotonic() - start < args.seconds:
        due = start + saves * args.every
        time.sleep(max(0.0, due - time.monotonic()))
        editor.save_title(change_url, f"Atrium centrumsteden (publicatiedag {saves + 1})")
        saves += 1
    print(f"SAVES {saves}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("probe")
    p.add_argument("instance")
    p.add_argument("nginx")
    p.add_argument("username")
    p.add_argument("slug")
    p.add_argument("--edits", type=int, default=20)
    e = commands.add_parser("editor")
    e.add_argument("instance")
    e.add_argument("username")
    e.add_argument("slug")
    e.add_argument("--every", type=float, default=2.0)
    e.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    probe(args) if args.command == "probe" else editor(args)


if __name__ == "__main__":
    main()
