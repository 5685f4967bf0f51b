"""Worker processes for the SQL page: started ahead, killed when a query runs away, replaced.

The dashboard never parses or runs an analyst's query itself (:mod:`monitor.data.sql_worker` does,
in its own process). This module keeps a small pool of those processes:

* ``MONITOR_SQL_WORKERS`` (default 2) workers, started on first use; each answers one query
  at a time, with a fresh DuckDB instance per query;
* a query gets a worker within ``wait_s`` or a Dutch "bezet" refusal;
* the caller waits for the answer at most ``timeout_s`` plus :data:`KILL_GRACE_S`; then the
  worker is killed (``SIGKILL``) — whatever it was doing, a parser, a function that never
  looks at the interrupt, an allocation — and the answer is *tijdslimiet*;
* a worker that dies (out of memory, ``SIGXCPU`` from its CPU limit, a crash) gives the
  Dutch *geheugen* or *tijdslimiet* message; a replacement is started in the background, so
  the next query finds a warm worker;
* a worker is retired after :data:`MAX_QUERIES` queries or when it has grown past
  :data:`MAX_RSS_MB`, and replaced the same way.

Waiting happens in ``select`` on a pipe, which holds no lock of the dashboard's: every other
session keeps answering while a query runs away.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from monitor import settings
from monitor.data.sql_worker import ADDRESS_SPACE_MB, HEADER, MAX_MESSAGE

WORKER_SCRIPT = Path(__file__).with_name("sql_worker.py")
KILL_GRACE_S = 1.0
MAX_QUERIES = 200
MAX_RSS_MB = 700
START_TIMEOUT_S = 30.0
log = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker did not answer: ``reason`` is ``timeout``, ``cpu``, ``memory`` or ``crash``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


class PoolBusy(Exception):
    """No worker became free in time."""


@dataclass
class Reply:
    header: dict
    payload: bytes


class Worker:
    def __init__(self) -> None:
        env = dict(os.environ)
        env.setdefault("MALLOC_ARENA_MAX", "2")
        self.proc = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT),
             str(settings.integer("MONITOR_SQL_WORKER_MB", ADDRESS_SPACE_MB))], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=env, close_fds=True, start_new_session=True, bufsize=0)
        self.queries = 0
        self.killed = False

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def request(self, message: dict, deadline: float) -> Reply:
        body = json.dumps(message).encode("utf-8")
        try:
            self.proc.stdin.write(HEADER.pack(len(body)) + body)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._lost() from None
        self.queries += 1
        head = self._read(HEADER.size, deadline)
        (size,) = HEADER.unpack(head)
        if size > MAX_MESSAGE:
            self.kill()
            raise WorkerLost("crash", "antwoord te groot")
        header = json.loads(self._read(size, deadline))
        payload = self._read(int(header["ipc"]), deadline) if header.get("ipc") else b""
        return Reply(header, payload)

    def _read(self, size: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()
        chunks, left = [], size
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise WorkerLost("timeout")
            readable, _, _ = select.select([fd], [], [], remaining)
            if not readable:
                continue
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise self._lost()
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _lost(self) -> WorkerLost:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        if self.killed:
            return WorkerLost("timeout")
        if code == -signal.SIGXCPU:
            return WorkerLost("cpu")
        return WorkerLost("memory" if code in (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV,
                                               -signal.SIGBUS, 1) else "crash", f"exit {code}")

    def rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except (OSError, ValueError):
            pass
        return 0.0

    def kill(self) -> None:
        self.killed = True
        try:
            self.proc.kill()
        except OSError:
            pass
        threading.Thread(target=self._reap, daemon=True).start()

    def _reap(self) -> None:
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.error("SQL-rekenproces %s stopt niet", self.pid)
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def close(self) -> None:
        """Stop an idle worker: closing its stdin ends its loop."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()


class Pool:
    def __init__(self, size: int | None = None) -> None:
        self.size = max(1, size or settings.integer("MONITOR_SQL_WORKERS", 2))
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._live = 0
        self.started = 0     # workers started (for tests and the benchmark)
        self.replaced = 0    # workers killed or lost and replaced

    def start(self) -> None:
        """Fill the pool (in the background); a query made meanwhile waits for the first."""
        with self._lock:
            missing = self.size - self._live
            self._live += missing
        for _ in range(missing):
            threading.Thread(target=self._add, daemon=True).start()

    def _add(self) -> None:
        try:
            worker = Worker()
        except OSError:
            log.exception("SQL-rekenproces kon niet worden gestart")
            with self._lock:
                self._live -= 1
            return
        with self._lock:
            self.started += 1
        self._idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        if worker.alive():
            worker.kill()
        with self._lock:
            self._live -= 1
            self.replaced += 1
        self.start()

    def run(self, message: dict, *, timeout_s: float, wait_s: float) -> Reply:
        self.start()
        try:
            worker = self._idle.get(timeout=max(wait_s, START_TIMEOUT_S if self.started == 0 else wait_s))
        except queue.Empty:
            raise PoolBusy() from None
        if not worker.alive():
            self._replace(worker)
            return self.run(message, timeout_s=timeout_s, wait_s=wait_s)
        deadline = time.monotonic() + timeout_s + KILL_GRACE_S
        try:
            reply = worker.request(message, deadline)
        except WorkerLost:
            self._replace(worker)
            raise
        except BaseException:
            self._replace(worker)
            raise
        if (worker.queries >= MAX_QUERIES or worker.rss_mb() > MAX_RSS_MB
                or reply.header.get("kind") == "geheugen"):  # a worker that ran out starts afresh
            self._replace(worker)
        else:
            self._idle.put(worker)
        return reply

    def pids(self) -> list[int]:
        """The idle workers' process ids (for tests)."""
        return [w.pid for w in list(self._idle.queue)]

    def shutdown(self) -> None:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            worker.close()
            with self._lock:
                self._live -= 1


_pool: Pool | None = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool()
        return _pool


__all__ = ["ADDRESS_SPACE_MB", "KILL_GRACE_S", "Pool", "PoolBusy", "WorkerLost", "pool"]
