"""The nginx configuration of docs/deployment.md (deploy/nginx.conf), run for real in front of two tiny
stand-in app servers. Skipped where nginx is not installed (`.ci/run` installs it)."""
import shutil
import socket
import subprocess
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
    """An app server whose PDF download fails with 503 (as when its PDF cannot be made) and whose pages work."""

    def do_GET(self):
        status = 503 if self.path.endswith("/pdf/") else 200
        body = f"{status} from {self.server.name}".encode()
        self.send_response(status)
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
def cluster(tmp_path):
    """nginx from deploy/nginx.conf balancing two running instances; yields its base URL."""
    servers = []
    for name in ("a", "b"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Instance)
        server.name = name
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    port = _free_port()
    (tmp_path / "tmp").mkdir()
    (tmp_path / "tmp").chmod(0o777)
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
        yield base, servers
    finally:
        subprocess.run(command + ["-s", "quit"], capture_output=True)
        for server in servers:
            server.shutdown()
            server.server_close()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


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
