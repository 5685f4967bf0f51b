"""The address the login throttle counts behind the project's nginx: nginx sets
``X-Real-IP`` from the connection, replacing whatever a client sent, so a guesser cannot pick a
fresh address per attempt. A real nginx with the project's configuration in front of a small
backend that answers with the headers it got."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from monitor.data.throttle import client_address
from monitor.serving import replicas

pytestmark = pytest.mark.skipif(replicas.find_nginx() is None, reason="nginx ontbreekt")


class Echo(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        seen = {key: self.headers.get_all(key) for key in self.headers.keys()}
        body = json.dumps(seen).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def proxied(tmp_path):
    backend = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    port = _free_port()
    tmp_path.chmod(0o755)
    conf = tmp_path / "nginx.conf"
    conf.write_text(replicas.render_nginx_conf([backend.server_address[1]], f"127.0.0.1:{port}", tmp_path,
                                               static_dir=tmp_path), encoding="utf-8")
    nginx = subprocess.Popen([replicas.find_nginx(), "-p", str(tmp_path), "-c", str(conf), "-e",
                              str(tmp_path / "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        backend.shutdown()


@pytest.mark.parametrize("path", ["/_stcore/host-config", "/_stcore/stream"])  # "/" is nginx's own index.html
def test_a_forged_address_header_is_replaced_by_nginx(proxied, path):
    request = urllib.request.Request(proxied + path, headers={"X-Real-IP": "6.6.6.6",
                                                              "X-Forwarded-For": "7.7.7.7"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        seen = json.loads(answer.read())
    assert seen["X-Real-IP"] == ["127.0.0.1"]  # nginx's only: the client's is not passed on
    # Streamlit sees nginx on this machine (st.context.ip_address is None): the header counts.
    assert client_address(None, {key: values[-1] for key, values in seen.items()}) == "127.0.0.1"
