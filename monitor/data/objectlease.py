"""Leases on the S3 store: one writer at a time, across machines, each lease's lifetime capped.

A lease is the object ``locks/<name>``: created with ``If-None-Match: *`` (so exactly one of two
replicas gets it), renewed by its holder every :data:`LEASE_S`/3 seconds while it works and
released by a conditional delete. Its body names the holder and the time it expires; a lease
not renewed past that time (its holder died) is taken over with ``If-Match`` on its ETag (again
exactly one).

What a lease claims is not obeyed forever: its lifetime is capped at :data:`LEASE_MAX_S` seconds
counted from when the storage wrote it (its ``Last-Modified`` against the storage's own clock
in the same answer, so a skewed clock on either side does not count), whatever expiry it names
(far in the future, ``Infinity``, ``NaN``). A lease whose body is not what this code writes
(not JSON, no number) is obeyed for that cap too, then taken over. Both are reported in the log.
A holder renews long before the cap, so a working writer never loses its lease to it.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from monitor.data.errors import StorageError
from monitor.data.objecterrors import PreconditionFailed, seconds_setting

LEASE_S = seconds_setting("MONITOR_S3_LEASE_S", 60.0)
LEASE_MAX_S = seconds_setting("MONITOR_S3_LEASE_MAX_S", 300.0)
log = logging.getLogger("monitor.data.objectstore")


class Leases:
    """The lease methods of ``objectstore.S3Store`` (which provides ``put``, ``get_stat``,
    ``delete``, ``url`` and ``_held``)."""

    @contextmanager
    def lease(self, name: str, what: str, wait_s: float) -> Iterator[None]:
        """Hold ``locks/<name>`` (re-entrant within a thread)."""
        held = getattr(self._held, "names", None)
        if held is None:
            held = self._held.names = {}
        if held.get(name):
            held[name] += 1
            try:
                yield
            finally:
                held[name] -= 1
            return
        rel = f"locks/{name}"
        etag = self._acquire(rel, what, wait_s)
        state = {"etag": etag}
        stop = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(rel, state, stop), daemon=True,
                                   name=f"s3-lease-{name}")
        renewer.start()
        held[name] = 1
        try:
            yield
        finally:
            held.pop(name, None)
            stop.set()
            renewer.join()
            try:
                self.delete(rel, if_match=state["etag"])
            except PreconditionFailed:
                log.warning("opslag %s: lease %s was al overgenomen", self.url, rel)

    def _lease_body(self) -> bytes:
        return json.dumps({"holder": f"{os.uname().nodename}:{os.getpid()}:{threading.get_ident()}",
                           "expires": time.time() + LEASE_S}).encode()

    def lease_expired(self, rel: str, body: bytes, age_s: float, etag: str = "") -> bool:
        """Whether the lease ``body``, written ``age_s`` seconds ago, may be taken over."""
        try:
            expires = float(json.loads(body)["expires"])
        except (ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError):
            expires = math.nan
        capped = age_s >= LEASE_MAX_S
        if not math.isfinite(expires):
            if capped:
                self._report(rel, etag, f"de lease {self.object_url(rel)} is onleesbaar of noemt geen "
                                        f"geldig verlooptijdstip ({body[:80]!r}); na {age_s:.0f} s "
                                        f"(maximum {LEASE_MAX_S:g} s) overgenomen")
            return capped
        if expires < time.time():
            return True  # its holder died
        if capped:
            self._report(rel, etag, f"de lease {self.object_url(rel)} claimt tot {expires:.0f} (epoch) maar is "
                                    f"{age_s:.0f} s oud (maximum {LEASE_MAX_S:g} s); overgenomen")
        return capped

    def _report(self, rel: str, etag: str, line: str) -> None:
        reported = self.__dict__.setdefault("_leases_reported", set())
        if (rel, etag) not in reported:
            reported.add((rel, etag))
            log.warning("opslag %s: %s", self.url, line)

    def _acquire(self, rel: str, what: str, wait_s: float) -> str:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                return self.put(rel, self._lease_body(), create=True)
            except PreconditionFailed:
                pass
            got = self.get_stat(rel)
            if got is not None and self.lease_expired(rel, got.body, got.age_s, got.etag):
                try:  # one of us only
                    return self.put(rel, self._lease_body(), if_match=got.etag)
                except PreconditionFailed:
                    pass
            if time.monotonic() >= deadline:
                raise StorageError(f"Er loopt al een import of wijziging in {self.url}; na {wait_s:g} seconden "
                                   f"wachten is {what} niet uitgevoerd. Er is niets gewijzigd. Probeer het "
                                   "opnieuw als de andere klaar is.")
            time.sleep(0.05)

    def _renew(self, rel: str, state: dict, stop: threading.Event) -> None:
        while not stop.wait(LEASE_S / 3):
            try:
                state["etag"] = self.put(rel, self._lease_body(), if_match=state["etag"])
            except Exception:  # noqa: BLE001 - lost: the pointer's If-Match guards the write
                log.warning("opslag %s: lease %s niet verlengd", self.url, rel)
                return
