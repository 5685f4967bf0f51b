"""nginx in front of the replicas under a slowloris attack, with the project's real
nginx and one replica started as ``make run`` starts them (``python -m monitor serve
--replicas 1``).

* 3000 connections from 127.0.0.1 that send part of their request headers, a little more a
  moment later, and never finish: a visitor from another address (127.0.0.2; all of
  127.0.0.0/8 is loopback on Linux) still gets the page and the health check at once, and
  nginx closes every slow connection after its header timeout (10 s) instead of holding them
  until a client gives up.
* One address with more requests in progress than ``limit_conn`` allows (400) is refused with
  429 beyond it; another address is not.

Bounded in time and count, only to loopback, and it stops by itself: every socket is closed
when the test ends. Not a browser test, but it needs nginx and a replica like those.
"""

from __future__ import annotations

import http.client
import resource
import select
import socket
import time

import pytest

from tests.browser.conftest import start_replicas, stop_server
from tests.faults.faults import copy_datasets

pytestmark = pytest.mark.browser
SLOW = 3000
HEADER_TIMEOUT_S = 10   # client_header_timeout in deploy/nginx/monitor.conf.template
PER_ADDRESS = 400       # limit_conn there
VISITOR = "127.0.0.2"


def _open_files(need: int) -> None:
    """Raise this process's soft limit on open files to ``need`` (a socket is one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            pytest.skip(f"ulimit -Hn is {hard}; deze test opent {need} sockets")
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


def _connect(port: int, source: str = "127.0.0.1") -> socket.socket | None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(2)
    sock.bind((source, 0))
    if sock.connect_ex(("127.0.0.1", port)) != 0:
        sock.close()
        return None
    return sock


def _send(sock: socket.socket, data: bytes) -> bool:
    """Send ``data``; False when the server already refused or reset the connection."""
    try:
        sock.sendall(data)
    except OSError:
        return False
    return True


def _visit(port: int, path: str) -> int:
    """A normal visitor from another address: the status of a GET (within 5 s, or it fails)."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=(VISITOR, 0))
    try:
        con.request("GET", path)
        response = con.getresponse()
        response.read()
        return response.status
    finally:
        con.close()


def _closed_by_peer(sockets: list[socket.socket], until: float) -> int:
    """Wait (at most until ``until``, monotonic) for the server to close every socket; how many it closed."""
    waiting = {sock.fileno(): sock for sock in sockets}
    poller = select.poll()
    for fd in waiting:
        poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    closed = 0
    while waiting and time.monotonic() < until:
        for fd, _event in poller.poll(max(1, int((until - time.monotonic()) * 1000))):
            sock = waiting.pop(fd, None)
            if sock is None:
                continue
            poller.unregister(fd)
            try:
                data = sock.recv(4096)
            except (ConnectionResetError, TimeoutError, OSError):
                data = b""
            closed += 1 if data == b"" or data.startswith(b"HTTP/1.1 408") else 0
    return closed


@pytest.fixture(scope="module")
def port(app_secrets, tmp_path_factory):
    """The proxy's port of one replica behind nginx, shared by this file's two tests: each
    closes every socket it opened, and they load nginx from different addresses."""
    folder = tmp_path_factory.mktemp("slowloris")
    proc, url, _prefix = start_replicas(copy_datasets(folder / "datasets"), app_secrets,
                                        folder / "replicas.log", count=1)
    try:
        yield int(url.rsplit(":", 1)[1])
    finally:
        stop_server(proc)


def test_slow_headers_from_one_address_leave_the_site_answering_others(port):
    _open_files(SLOW + PER_ADDRESS + 512)
    slow: list[socket.socket] = []
    try:
        assert _visit(port, "/_stcore/health") == 200
        started = time.monotonic()
        for _ in range(SLOW):
            sock = _connect(port)
            if sock is None or time.monotonic() - started > HEADER_TIMEOUT_S / 2:
                break
            slow.append(sock)
            if not _send(sock, b"GET / HTTP/1.1\r\nHost: monitor\r\n"):
                break
        # A little more on each, never the end of the headers.
        sent = sum(_send(sock, b"X-Langzaam: ja\r\n") for sock in slow)
        assert len(slow) == sent == SLOW, f"{sent} van {SLOW} trage verbindingen geopend: nginx weigerde de rest"
        # Every one of them still open in nginx, and the site answers another address at once.
        assert _visit(port, "/") == 200
        assert _visit(port, "/_stcore/health") == 200
        # After the header timeout nginx has closed them all (reset_timedout_connection).
        closed = _closed_by_peer(slow, started + HEADER_TIMEOUT_S + 15)
        assert closed == SLOW, f"{SLOW - closed} trage verbindingen nog open na de header-timeout"
        assert _visit(port, "/") == 200
    finally:
        for sock in slow:
            sock.close()


def test_one_address_is_limited_to_its_share_of_connections(port):
    _open_files(PER_ADDRESS + 512)
    held: list[socket.socket] = []
    try:
        # Requests whose headers are complete and whose body never comes: each in progress.
        request = b"POST /traag HTTP/1.1\r\nHost: monitor\r\nContent-Length: 100\r\n\r\n"
        for _ in range(PER_ADDRESS):
            sock = _connect(port, "127.0.0.3")
            assert sock is not None
            sock.sendall(request)
            held.append(sock)
        assert _visit(port, "/_stcore/health") == 200  # nginx has read every request before it
        extra = _connect(port, "127.0.0.3")
        held.append(extra)
        extra.sendall(b"GET / HTTP/1.1\r\nHost: monitor\r\n\r\n")
        assert extra.recv(64).startswith(b"HTTP/1.1 429")
        assert _visit(port, "/") == 200  # another address is not limited by it
    finally:
        for sock in held:
            sock.close()
