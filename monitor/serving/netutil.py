"""Local ports and servers: the one copy of the helpers that the replicas (``replicas``), the
tests (a Streamlit server for the browser tests, the moto S3 server) and the bench share.

* ``free_port`` / ``free_ports``: a port on 127.0.0.1 the system has just handed out free.
* ``answers`` / ``healthy``: whether a URL answers 200 (a server's ``/_stcore/health``).
* ``wait_until_answers``: poll a URL until it answers, the process behind it stops, or time is up.
* ``stop_process``: terminate (or kill) a child process and wait for it, killing it after a timeout.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Collection

HEALTH_PATH = "/_stcore/health"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count: int, avoid: Collection[int] = ()) -> list[int]:
    """``count`` different free ports, none of ``avoid``."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in avoid and port not in ports:
            ports.append(port)
    return ports


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether ``url`` answers with status 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def healthy(port: int) -> bool:
    """Whether the Streamlit server (or nginx before it) on local ``port`` reports healthy."""
    return answers(f"http://127.0.0.1:{port}{HEALTH_PATH}")


def wait_until_answers(url: str, proc: subprocess.Popen, timeout_s: float, interval_s: float = 0.2,
                       request_timeout_s: float = 2.0) -> bool:
    """Poll ``url`` until it answers 200 (True), or ``proc`` ended or ``timeout_s`` passed (False)."""
    deadline = time.monotonic() + timeout_s
    while True:
        if answers(url, request_timeout_s):
            return True
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(interval_s)


def stop_process(proc: subprocess.Popen, kill: bool = False, timeout_s: float = 10.0) -> None:
    """Stop ``proc``: politely (SIGTERM), or with ``kill`` as ``kill -9`` does; a process that
    has not ended after ``timeout_s`` seconds is killed."""
    if kill:
        proc.kill()
    else:
        proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
