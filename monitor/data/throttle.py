"""Login throttling for local accounts: growing delays and a lock-out, per account name and per
client address, shared by every session and every replica process.

Counted under two keys for every attempt: the account name as typed (stripped, lower case; an
unknown name is counted exactly like a known one, so the answers tell nothing about which
names exist) and the client address. For each key:

* the first :attr:`Policy.free` failures cost nothing;
* after that, the next attempt is accepted only :attr:`Policy.base_delay_s` × 2^(k−free−1)
  seconds after the k-th failure (1, 2, 4, 8 … s, at most :attr:`Policy.max_delay_s`); an
  attempt before then is refused at once, without checking the password;
* at :attr:`Policy.lockout_after` failures the key is locked for :attr:`Policy.lockout_s`;
  every attempt is refused, the correct password included;
* failures older than :attr:`Policy.forget_after_s` are forgotten; so is a lock-out once it
  has run out.

Every attempt counts as a failure *before* the password is checked (:meth:`Throttle.begin`, one
transaction), and a success takes it back (:meth:`Throttle.succeeded`): parallel attempts
cannot slip between the check and the count. A success clears the account's failures, not the
address's (one valid account must not wipe the counter of an address that guesses others).

The state is one small JSON file (:data:`FILE_NAME` in :func:`state_dir`), read and rewritten
under an ``flock`` of its ``.lock`` file and replaced atomically (temporary file, fsync, rename),
so reruns, sessions and the replica processes of one machine see the same counts; a file that is
not this module's (damaged, foreign) is named in the log and login is refused, never opened.

No waiting happens here: a refusal says how long to wait (:class:`Verdict`) and the page shows
it at once. Pure (no Streamlit); the clock is injectable for the tests.
"""

from __future__ import annotations

import fcntl
import json
import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from monitor import settings
from monitor.data.errors import MonitorError

log = logging.getLogger(__name__)
STATE_DIR_ENV = "MONITOR_STATE_DIR"
FILE_NAME = "login-throttle.json"
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Policy:
    free: int
    base_delay_s: float
    max_delay_s: float
    lockout_after: int
    lockout_s: float
    forget_after_s: float

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th failure (0 while it is free)."""
        if failures <= self.free:
            return 0.0
        return min(self.max_delay_s, self.base_delay_s * 2 ** (failures - self.free - 1))


# Per account: 3 free tries, then 1, 2, 4 … s; locked for 15 minutes at the 10th failure.
ACCOUNT = Policy(free=3, base_delay_s=1.0, max_delay_s=60.0, lockout_after=10, lockout_s=15 * 60.0,
                 forget_after_s=15 * 60.0)
# Per address (an office may share one): 10 free tries, then 1, 2, 4 … s; locked at 30.
ADDRESS = Policy(free=10, base_delay_s=1.0, max_delay_s=60.0, lockout_after=30, lockout_s=15 * 60.0,
                 forget_after_s=15 * 60.0)


class ThrottleUnavailable(MonitorError):
    """The attempts cannot be counted (the state folder cannot be written): login refused."""


@dataclass(frozen=True)
class Verdict:
    """The answer to an attempt: allowed, or refused for ``wait_s`` more seconds."""
    allowed: bool
    wait_s: float = 0.0
    locked: bool = False

    def message(self) -> str:
        if self.locked or self.wait_s >= 60:
            minutes = max(1, math.ceil(self.wait_s / 60))
            unit = "minuut" if minutes == 1 else "minuten"
            return f"Te veel mislukte pogingen. Probeer het over {minutes} {unit} opnieuw."
        seconds = max(1, math.ceil(self.wait_s))
        unit = "seconde" if seconds == 1 else "seconden"
        return f"Te veel mislukte pogingen. Probeer het over {seconds} {unit} opnieuw."


def account_key(name: str | None) -> str:
    return (name or "").strip().lower()[:MAX_KEY_LENGTH]


def state_dir(dataset_dir: str | Path | None = None) -> Path:
    """``$MONITOR_STATE_DIR``, else ``<datasets>/.state`` (beside ``events/`` and ``.cache/``, not
    data), else (datasets on S3) a folder beside the local object cache."""
    env = settings.raw(STATE_DIR_ENV)
    if env:
        return Path(env)
    from monitor.data import objectcache, store

    folder = store.dataset_dir(dataset_dir)
    if isinstance(folder, Path):
        return folder / ".state"
    return objectcache.default_dir().parent / "state"


class Throttle:
    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time,
                 account: Policy = ACCOUNT, address: Policy = ADDRESS) -> None:
        self.path = Path(path)
        self.clock = clock
        self.policies = {"account": account, "address": address}

    # ------------------------------------------------------------------ storage

    def _unavailable(self, path: Path, exc: BaseException) -> ThrottleUnavailable:
        log.error("inlogpogingen kunnen niet worden bijgehouden in %s: %s", path, exc)
        return ThrottleUnavailable("Inloggen lukt nu niet: de monitor kan de inlogpogingen niet bijhouden. "
                                   "Neem contact op met de beheerder.")

    def _load(self) -> dict:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {"account": {}, "address": {}}
        except OSError as exc:
            raise self._unavailable(self.path, exc) from exc
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("geen JSON-object")
            for kind in self.policies:
                table = data.setdefault(kind, {})
                if not isinstance(table, dict) or not all(
                        isinstance(v, list) and len(v) == 3 and all(isinstance(x, (int, float)) for x in v)
                        for v in table.values()):
                    raise ValueError(f"'{kind}' heeft niet de vorm van deze monitor")
        except (UnicodeDecodeError, ValueError) as exc:  # a foreign or damaged file: refuse, name it
            raise self._unavailable(self.path, exc) from exc
        return data

    def _save(self, data: dict) -> None:
        tmp = self.path.parent / f".{self.path.name}.{os.getpid()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            raise self._unavailable(self.path, exc) from exc

    def _transaction(self, work):
        """``work(data, now)`` under an exclusive lock of ``<file>.lock`` (every thread and process
        of this machine); the changed state is written atomically (temporary file, rename)."""
        lock = self.path.parent / f"{self.path.name}.lock"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise self._unavailable(lock, exc) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            data = self._load()
            before = json.dumps(data, sort_keys=True)
            result = work(data, self.clock())
            if json.dumps(data, sort_keys=True) != before:
                self._save(data)
            return result
        finally:
            os.close(fd)  # releases the lock

    def _row(self, data: dict, kind: str, key: str, now: float) -> tuple[int, float, float]:
        found = data[kind].get(key)
        if found is None:
            return 0, 0.0, 0.0
        count, last, locked_until = int(found[0]), float(found[1]), float(found[2])
        if locked_until and now >= locked_until:
            return 0, 0.0, 0.0  # a lock-out that ran out: a fresh start
        if not locked_until and now - last >= self.policies[kind].forget_after_s:
            return 0, 0.0, 0.0
        return count, last, locked_until

    def _verdict(self, kind: str, row: tuple[int, float, float], now: float) -> Verdict:
        count, last, locked_until = row
        if locked_until and now < locked_until:
            return Verdict(False, locked_until - now, locked=True)
        ready = last + self.policies[kind].delay_after(count)
        if now < ready:
            return Verdict(False, ready - now)
        return Verdict(True)

    def _worst(self, keys: dict, rows: dict, now: float) -> Verdict:
        refused = [v for v in (self._verdict(kind, rows[kind], now) for kind in keys) if not v.allowed]
        return max(refused, key=lambda v: (v.locked, v.wait_s)) if refused else Verdict(True)

    def _prune(self, data: dict, now: float) -> None:
        for kind, table in data.items():
            if kind in self.policies:
                for key in [k for k, v in table.items() if self._row(data, kind, k, now)[0] == 0]:
                    del table[key]

    # ------------------------------------------------------------------ the calls

    def begin(self, name: str | None, address: str) -> Verdict:
        """Before a password is checked: refused (and not counted) while either key must wait or
        is locked; else counted as a failure until :meth:`succeeded` takes it back."""
        keys = _keys(name, address)

        def work(data: dict, now: float) -> Verdict:
            rows = {kind: self._row(data, kind, key, now) for kind, key in keys.items()}
            verdict = self._worst(keys, rows, now)
            if not verdict.allowed:
                return verdict
            self._prune(data, now)
            for kind, key in keys.items():
                count = rows[kind][0] + 1
                policy = self.policies[kind]
                locked_until = now + policy.lockout_s if count >= policy.lockout_after else 0.0
                data[kind][key] = [count, now, locked_until]
            return verdict

        verdict = self._transaction(work)
        if not verdict.allowed:
            log.warning("inlogpoging geweigerd (%s): account %r, adres %s, nog %.0f s",
                        "geblokkeerd" if verdict.locked else "te snel na mislukte pogingen", keys["account"],
                        keys["address"], verdict.wait_s)
        return verdict

    def failed(self, name: str | None, address: str) -> Verdict:
        """After a wrong password (already counted by :meth:`begin`): logged with both counts;
        returns the verdict for the next attempt."""
        keys = _keys(name, address)

        def work(data: dict, now: float):
            # The wait runs from the wrong answer, not from the attempt's start: checking the
            # password may take longer than the first wait on a busy server.
            rows = {}
            for kind, key in keys.items():
                count, _last, locked_until = self._row(data, kind, key, now)
                if count:
                    data[kind][key] = [count, now, locked_until]
                rows[kind] = (count, now if count else 0.0, locked_until)
            return rows, self._worst(keys, rows, now)

        rows, verdict = self._transaction(work)
        locked = [kind for kind in keys if rows[kind][2]]
        log.warning("mislukte inlogpoging: account %r (%d keer), adres %s (%d keer)%s", keys["account"],
                    rows["account"][0], keys["address"], rows["address"][0],
                    f"; geblokkeerd voor {self.policies[locked[0]].lockout_s / 60:.0f} minuten: "
                    f"{' en '.join(locked)}" if locked else "")
        return verdict

    def succeeded(self, name: str | None, address: str) -> None:
        """The password was right: the account's failures are cleared, the address's attempt
        taken back."""
        keys = _keys(name, address)

        def work(data: dict, now: float) -> None:
            data["account"].pop(keys["account"], None)
            count, last, locked_until = self._row(data, "address", keys["address"], now)
            if count > 0 and not locked_until:
                data["address"][keys["address"]] = [count - 1, last, 0.0]

        self._transaction(work)

    def failures(self, kind: str, key: str) -> int:
        """The failures that count now for a key (for the tests and the beheerder)."""
        key = account_key(key) if kind == "account" else key
        return self._transaction(lambda data, now: self._row(data, kind, key, now)[0])


def _keys(name: str | None, address: str | None) -> dict[str, str]:
    return {"account": account_key(name), "address": (address or "onbekend")[:MAX_KEY_LENGTH]}


def client_address(peer: str | None, headers: dict | None) -> str:
    """The address to count an attempt under.

    ``peer`` is the address of the connection as Streamlit saw it (``st.context.ip_address``:
    None for a connection from this machine). A connection from elsewhere is counted under its
    own address and every header is ignored (a client can send any). Only a connection from this
    machine, which is what the project's nginx makes (``deploy/nginx/monitor.conf.template``
    sets ``X-Real-IP`` to ``$remote_addr``, replacing anything the client sent), is counted
    under ``X-Real-IP`` (else the last ``X-Forwarded-For`` entry, the one nginx added);
    without either header it is ``lokaal``.
    """
    if peer:
        return peer
    lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    real = lowered.get("x-real-ip", "").strip()
    if real:
        return real
    forwarded = [part.strip() for part in lowered.get("x-forwarded-for", "").split(",") if part.strip()]
    if forwarded:
        return forwarded[-1]
    return "lokaal"
