"""What was sent: an append-only ledger of mails, one small JSON file per mail that went.

``<state dir>/mail/<kind>/<yyyy-mm-dd>-<hash of the address>.json`` (the state dir of
``MONITOR_STATE_DIR``, else ``<datasets>/.state``), written to a hidden temporary file,
fsynced and renamed, so a run killed halfway leaves no half record. A mail is recorded only
after the mail server accepted it: one that failed has no record and goes again on the next
run; one that went is never sent again for the same day (and, for reminders, within the
reminder interval). A run holds ``mail/.lock`` so two runs at once cannot both send.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from monitor.data.errors import MonitorError


class LedgerBusy(MonitorError):
    """Another run holds the ledger's lock."""


def address_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Ledger:
    folder: Path

    @classmethod
    def under(cls, state_dir: Path) -> Ledger:
        return cls(Path(state_dir) / "mail")

    def _path(self, kind: str, email: str, day: date) -> Path:
        return self.folder / kind / f"{day.isoformat()}-{address_key(email)}.json"

    def sent_on(self, kind: str, email: str, day: date) -> bool:
        return self._path(kind, email, day).is_file()

    def last_sent(self, kind: str, email: str) -> date | None:
        """The last day a mail of ``kind`` went to ``email`` (None: never)."""
        suffix = f"-{address_key(email)}.json"
        folder = self.folder / kind
        days = []
        if folder.is_dir():
            for entry in os.scandir(folder):
                if entry.name.endswith(suffix) and not entry.name.startswith("."):
                    try:
                        days.append(date.fromisoformat(entry.name[:10]))
                    except ValueError:
                        continue
        return max(days, default=None)

    def record(self, kind: str, email: str, day: date, detail: dict) -> Path:
        """Record that the mail went (atomically; an existing record is left as it is)."""
        path = self._path(kind, email, day)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {"kind": kind, "email": email, "day": day.isoformat(),
                "sent_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), **detail}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(body, handle, ensure_ascii=False, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # never replaces a record that is there
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return path

    def records(self, kind: str) -> list[dict]:
        folder = self.folder / kind
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.glob("[0-9]*.json")):
            found.append(json.loads(path.read_text(encoding="utf-8")))
        return found

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the ledger for one run; a second run at the same time is refused at once."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise LedgerBusy(f"Er loopt al een andere verzendronde ({self.folder / '.lock'}); "
                                 "deze ronde verstuurt niets.") from None
            yield
        finally:
            os.close(fd)
