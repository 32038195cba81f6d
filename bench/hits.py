"""What nginx's revalidation of an unchanged page costs the app (a 304 from the content version), next to
a static file served by WhiteNoise.

Loads the demo into a throwaway database, asks each address once for its ETag, then calls the WSGI
application directly (no server, no network) N times per address with `If-None-Match: <that ETag>`, as
nginx does once a second per page, and prints CPU and wall time per request. With --redis the content
version is read from that Redis (as on several app servers), otherwise from the file cache.

    .venv/bin/python bench/hits.py                                   # file cache
    .venv/bin/python bench/hits.py --redis redis://127.0.0.1:6379/9  # Redis (the database is flushed)
"""
import argparse
import io
import statistics
import sys
import time

import benchenv

parser = argparse.ArgumentParser()
parser.add_argument("--redis", default="", help="redis:// URL of a Redis this script may flush")
parser.add_argument("--requests", type=int, default=2000)
parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip, as browsers do")
parser.add_argument("paths", nargs="*", default=["/static/css/site.css", "/", "/jaarverslag/2024/", "/jaarplan/2024/", "/kalender/"])
args = parser.parse_args()

benchenv.setup("kc-bench-hits-", redis_url=args.redis, **{**benchenv.PRODUCTION_LIKE, "DJANGO_PAGE_CACHE": "1",
               "DJANGO_ALLOWED_HOSTS": "127.0.0.1"})

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0, stdout=io.StringIO())
cache.clear()
application = get_wsgi_application()


ETAGS = {}


def environ(path: str) -> dict:
    etag = ETAGS.get(path)
    path, _, query = path.partition("?")
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
           "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
           "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}
    if args.gzip:
        env["HTTP_ACCEPT_ENCODING"] = "gzip, deflate, br"
    if etag:
        env["HTTP_IF_NONE_MATCH"] = etag
    return env


def start_response(status, headers, exc_info=None):
    start_response.status = status
    start_response.headers = dict(headers)


def request(path: str) -> None:
    result = application(environ(path), start_response)
    b"".join(result)
    result.close()


print(f"cache: {'Redis ' + args.redis if args.redis else 'files'}; {args.requests} requests per address"
      f"{'; Accept-Encoding: gzip' if args.gzip else ''}")
print("| address | status | CPU µs per request | wall µs per request |")
print("|---|---|---:|---:|")
for path in args.paths:
    request(path)
    if "ETag" in start_response.headers:
        ETAGS[path] = start_response.headers["ETag"]
    for _ in range(3):
        request(path)
    cpu, wall = [], []
    for _ in range(5):  # five batches; the median batch is reported
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(args.requests // 5):
            request(path)
        cpu.append((time.process_time() - c0) / (args.requests // 5))
        wall.append((time.perf_counter() - w0) / (args.requests // 5))
    print(f"| `{path}` | {start_response.status[:3]} | {1e6 * statistics.median(cpu):.0f} | {1e6 * statistics.median(wall):.0f} |")
