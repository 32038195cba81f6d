"""The nginx configuration of docs/deployment.md (deploy/nginx.conf), run for real in front of two tiny
stand-in app servers that answer as the site does (kenniscentrum/pagecache.py: an ETag, X-Accel-Expires
until the end of the second, 304 to a matching If-None-Match). Skipped where nginx is not installed
(`.ci/run` installs it). A few tests wait for nginx's copy to expire (one to two seconds)."""
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


class _Instance(BaseHTTPRequestHandler):
    """An app server whose PDF download fails with 503 (as when its PDF cannot be made), whose pages are
    shareable as the site marks them, and whose answers a test may change (`server.answer`)."""

    def do_GET(self):
        self.server.requests.append((self.path, dict(self.headers)))
        if self.path.endswith("/pdf/"):
            return self._send(503, {}, b"503 from " + self.server.name.encode())
        status, headers = self.server.answer.get(self.path, (200, {}))
        shared = {"ETag": '"v1"', "Cache-Control": "public, max-age=1", "X-Accel-Expires": f"@{int(time.time())}"}
        if status == "shareable":
            status, headers = 200, shared
        if status == "kept":  # for tests of what is kept, not of expiry: a copy that outlives the test
            status, headers = 200, {**shared, "X-Accel-Expires": "60"}
        if status == 404:  # after a change of content: another ETag
            headers = {**shared, "ETag": '"v2"'}
        if headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
            return self._send(304, headers, b"")
        encoding = f" ({self.headers.get('Accept-Encoding')})" if self.headers.get("Accept-Encoding") else ""
        self._send(status, headers, f"{status} from {self.server.name}{encoding}".encode())

    def _send(self, status, headers, body):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def cluster():
    """nginx from deploy/nginx.conf balancing two running instances; yields its base URL."""
    servers = []
    for name in ("a", "b"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Instance)
        server.name, server.requests, server.answer = name, [], {}
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    port = _free_port()
    # nginx's workers run as an unprivileged user: they must reach the cache and temporary directories
    # (pytest's tmp_path is private to root).
    tmp_path = Path(tempfile.mkdtemp(prefix="kc-nginx-"))
    tmp_path.chmod(0o711)
    for name in ("tmp", "cache"):
        (tmp_path / name).mkdir()
        (tmp_path / name).chmod(0o777)
    conf = TEMPLATE.read_text()
    for placeholder, value in {
        "@RUN_DIR@": str(tmp_path), "@LISTEN@": f"127.0.0.1:{port}",
        "@INSTANCE_A@": f"127.0.0.1:{servers[0].server_port}", "@INSTANCE_B@": f"127.0.0.1:{servers[1].server_port}",
    }.items():
        conf = conf.replace(placeholder, value)
    (tmp_path / "nginx.conf").write_text(conf)
    command = [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    subprocess.run(command, check=True, capture_output=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        for server in servers:
            server.requests.clear()
        yield base, servers
    finally:
        subprocess.run(command + ["-s", "quit"], capture_output=True)
        for server in servers:
            server.shutdown()
            server.server_close()
        shutil.rmtree(tmp_path, ignore_errors=True)


def _status(url: str) -> int:
    return _get(url)[0]


def _get(url: str, **headers) -> tuple[int, str, str]:
    """(status, body, X-Cache-Status)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode(), response.headers.get("X-Cache-Status", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers.get("X-Cache-Status", "")


def _answer(servers, path, status, headers=None):
    for server in servers:
        server.answer[path] = (status, headers or {})


def _asked(servers, path) -> list[dict]:
    return [headers for server in servers for asked, headers in server.requests if asked == path]


def _after_expiry(base, path, want, **headers):
    """Ask until nginx's copy has expired and been refreshed (a few seconds at most); the last answer."""
    deadline = time.monotonic() + 6
    while True:
        answer = _get(base + path, **headers)
        if want(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


def test_an_application_error_on_every_instance_never_takes_the_site_down(cluster):
    base, _servers = cluster
    pdf_statuses = [_status(base + "/jaarverslag/2024/pdf/") for _ in range(6)]
    page_statuses = [_status(base + "/") for _ in range(20)]

    assert set(pdf_statuses) == {503}  # the visitor of the PDF gets the site's own answer, not nginx's 502
    assert set(page_statuses) == {200}


def test_requests_go_to_the_other_instance_when_one_is_dead(cluster):
    base, servers = cluster
    servers[0].shutdown()
    servers[0].server_close()

    assert {_status(base + "/") for _ in range(20)} == {200}


def test_a_shareable_page_is_served_by_nginx_without_asking_an_instance_again(cluster):
    base, servers = cluster
    _answer(servers, "/werksporen/", "kept")

    answers = [_get(base + "/werksporen/") for _ in range(5)]

    assert [status for status, _body, _cache in answers] == [200] * 5
    assert len(_asked(servers, "/werksporen/")) == 1
    assert answers[-1][2] == "HIT"


def test_an_expired_copy_is_revalidated_with_its_etag_and_a_304_keeps_it(cluster):
    base, servers = cluster
    _answer(servers, "/kalender/", "shareable")
    _get(base + "/kalender/")

    _after_expiry(base, "/kalender/", lambda answer: any("If-None-Match" in h for h in _asked(servers, "/kalender/")))

    assert {h["If-None-Match"] for h in _asked(servers, "/kalender/") if "If-None-Match" in h} == {'"v1"'}
    status, body, _cache_status = _get(base + "/kalender/")
    assert status == 200 and body.startswith("200 from")  # the copy, renewed by the 304


def test_a_page_that_became_404_takes_the_place_of_the_copy(cluster):
    """nginx serves an expired copy while it revalidates: the 404 of an unpublished edition must replace it."""
    base, servers = cluster
    _answer(servers, "/jaarverslag/2024/", "shareable")
    _after_expiry(base, "/jaarverslag/2024/", lambda answer: answer[2] == "HIT")

    _answer(servers, "/jaarverslag/2024/", 404)

    assert _after_expiry(base, "/jaarverslag/2024/", lambda answer: answer[0] == 404)[0] == 404


@pytest.mark.parametrize("headers", [{"Cookie": "sessionid=abc"}, {"Authorization": "Basic eDp5"}])
def test_a_signed_in_request_always_reaches_an_instance_and_is_never_kept(cluster, headers):
    base, servers = cluster
    _answer(servers, "/programmas/", "kept")

    for _ in range(3):
        assert _get(base + "/programmas/", **headers)[2] == "BYPASS"
    assert len(_asked(servers, "/programmas/")) == 3
    assert _get(base + "/programmas/")[2] == "MISS"  # the signed-in answers left nothing behind


@pytest.mark.parametrize("path", ["/nalezen/abc/", "/admin/", "/jaarverslag/2024/?voorbeeld", "/jaarplan/2024/?a=1&voorbeeld=1"])
def test_review_links_the_admin_and_previews_are_never_kept_whatever_they_answer(cluster, path):
    base, servers = cluster
    _answer(servers, path, "kept")

    for _ in range(3):
        _get(base + path)

    assert len(_asked(servers, path)) == 3


@pytest.mark.parametrize("headers", [
    {"Set-Cookie": "csrftoken=abc", "X-Accel-Expires": "@9999999999", "Cache-Control": "public, max-age=60"},
    {"Cache-Control": "private, no-store", "ETag": '"v1"'},
    {"Cache-Control": "no-cache", "ETag": '"v1"'},
    {"ETag": '"v1"'},
])
def test_responses_the_site_does_not_mark_shareable_are_never_kept(cluster, headers):
    base, servers = cluster
    _answer(servers, "/steden/", 200, headers)

    for _ in range(3):
        _get(base + "/steden/")

    assert len(_asked(servers, "/steden/")) == 3


def test_gzip_and_plain_copies_are_kept_apart_and_browsers_share_the_gzip_one(cluster):
    base, servers = cluster
    _answer(servers, "/", "kept")

    plain = _get(base + "/")[1]
    gzip_copy = _get(base + "/", **{"Accept-Encoding": "gzip"})[1]
    other_browser = _get(base + "/", **{"Accept-Encoding": "gzip, deflate, br"})

    assert "(gzip)" in gzip_copy and "(" not in plain
    assert other_browser[1] == gzip_copy
    assert {h.get("Accept-Encoding") for h in _asked(servers, "/")} == {None, "gzip"}  # never the browser's spelling


def test_the_last_good_copy_is_served_when_every_instance_fails(cluster):
    base, servers = cluster
    _answer(servers, "/werkgroepen/", "shareable")
    _after_expiry(base, "/werkgroepen/", lambda answer: answer[2] == "HIT")
    asked_before = len(_asked(servers, "/werkgroepen/"))  # nginx may already have revalidated the good copy
    _answer(servers, "/werkgroepen/", 503, {"Cache-Control": "no-store"})

    _after_expiry(base, "/werkgroepen/", lambda answer: len(_asked(servers, "/werkgroepen/")) > asked_before)

    status, body, cache_status = _get(base + "/werkgroepen/")
    assert status == 200 and body.startswith("200 from") and cache_status in {"STALE", "UPDATING"}
