"""A local on-disk cache of the S3 store's immutable objects.

Why a layer of its own (measured, bench/RESULTS.md "Concurrent cold start and the local object
cache"): the query cache lives in one process and is gone at a restart; with this cache filled,
a replica on a national-size store starts in 3,0 s instead of 5,5 s and GETs only the pointer,
the listings and the private Veilig Thuis table, and the big table is read from local disk
instead of through ranged S3 reads per query.

A generation's objects (``gen-…/<table>.parquet``) and the event objects are created once with
``If-None-Match: *`` and never changed, so a copy on local disk is valid for as long as it
exists: a replica that restarts, or a new generation that still names an object of the old one,
reads it from disk instead of the bucket. Which generation is current is still read from the
pointer (``S3Store.state``), never from the cache, so the cache cannot make a reader stale.

* **Key**: the object's full ``s3://`` URL (which names its generation), its ETag and its size:
  one file per key, named ``<hash>-<object name>``.
* **Written atomically**: downloaded to a ``.tmp-…`` file in the same folder, its size checked,
  ``fsync``-ed, then renamed (``os.replace``) into place, so two processes sharing the folder
  never read half a file (each may download it once; the last rename wins, with the same bytes).
  A hit whose size is not the expected one is removed and downloaded again.
* **Bounded**: at most ``MONITOR_CACHE_MAX_MB`` (default 2048). After each write the least
  recently used files go first (a hit touches its file), except those used in the last
  :data:`GRACE_S` seconds: a replica's DuckDB views read the large tables' files in place, and
  a replica touches the files it uses while it runs (``touch``), so another process's eviction
  never pulls a file from under a query. The cache may exceed its bound while that many bytes
  are in use.

``MONITOR_CACHE_DIR`` sets the folder (default ``$XDG_CACHE_HOME/twentse-koers-monitor/s3``, else
``~/.cache/…``, else under the system's temporary folder); ``MONITOR_CACHE_DIR=uit`` (or ``off``,
``0``) turns the cache off: small tables are then fetched into memory at every start and the
large ones scanned through s3fs per query, as before the cache.

Not ``fsspec``'s ``simplecache``/``filecache``: they download straight into the final file
name (a second process can open a half-written file), keep no size bound, and ``filecache``
shares one JSON metadata file between processes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from monitor import settings

CACHE_DIR_ENV = "MONITOR_CACHE_DIR"
CACHE_MAX_ENV = "MONITOR_CACHE_MAX_MB"
DEFAULT_MAX_MB = 2048
OFF = ("uit", "off", "0", "false", "no", "nee")
GRACE_S = 900.0            # a file used this recently is never evicted
TOUCH_EVERY_S = GRACE_S / 3
TMP = ".tmp-"
log = logging.getLogger(__name__)


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not base:
        home = Path.home() if os.environ.get("HOME") else None
        base = str(home / ".cache") if home is not None else ""
    if base and _writable(Path(base)):
        return Path(base) / "twentse-koers-monitor" / "s3"
    return Path(tempfile.gettempdir()) / f"twentse-koers-monitor-cache-{os.getuid()}"


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK)


class ObjectCache:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._touched: dict[Path, float] = {}

    def path_for(self, url: str, etag: str | None, size: int | None) -> Path:
        digest = hashlib.sha256(f"{url}\n{etag or ''}\n{size if size is not None else ''}".encode()).hexdigest()
        tail = url.rstrip("/").rsplit("/", 2)[-2:]
        return self.root / f"{digest[:24]}-{'-'.join(tail)}"

    def get(self, url: str, etag: str | None, size: int | None) -> Path | None:
        """The local copy, touched (most recently used), or None."""
        path = self.path_for(url, etag, size)
        try:
            found = path.stat().st_size
        except OSError:
            return None
        if size is not None and found != size:
            log.warning("cache %s: %s heeft %d bytes, verwacht %d; opnieuw opgehaald", self.root, path.name,
                        found, size)
            _unlink(path)
            return None
        self.touch([path], force=True)
        return path

    def put(self, url: str, etag: str | None, size: int | None, write: Callable[[BinaryIO], None]) -> Path:
        """Fill the entry with ``write(file)`` (temporary file, size check, fsync, rename)."""
        path = self.path_for(url, etag, size)
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.root / f"{TMP}{uuid.uuid4().hex[:12]}-{path.name}"
        try:
            with open(tmp, "wb") as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
            got = tmp.stat().st_size
            if size is not None and got != size:
                raise OSError(f"{url}: {got} bytes ontvangen, {size} verwacht")
            os.replace(tmp, path)
        except BaseException:
            _unlink(tmp)
            raise
        self._touched[path] = time.monotonic()
        try:
            self.evict()
        except OSError:
            log.warning("cache %s: opruimen mislukt", self.root, exc_info=True)
        return path

    def touch(self, paths: Iterable[Path], force: bool = False) -> None:
        """Mark files as used now (their mtime), at most every :data:`TOUCH_EVERY_S` per file."""
        now = time.monotonic()
        for path in paths:
            if not force and now - self._touched.get(path, -TOUCH_EVERY_S) < TOUCH_EVERY_S:
                continue
            try:
                os.utime(path)
            except OSError:
                continue
            self._touched[path] = now

    def evict(self, now: float | None = None) -> list[str]:
        """Remove least recently used files until within the bound (never one used within
        :data:`GRACE_S`), and temporary files a killed writer left (older than an hour)."""
        now = time.time() if now is None else now
        entries = []
        removed = []
        with self._lock:
            for entry in os.scandir(self.root):
                try:
                    info = entry.stat()
                except OSError:
                    continue
                if entry.name.startswith(TMP):
                    if now - info.st_mtime > 3600:
                        _unlink(Path(entry.path))
                    continue
                entries.append((info.st_mtime, info.st_size, entry.path))
            total = sum(size for _, size, _ in entries)
            for mtime, size, path in sorted(entries):
                if total <= self.max_bytes:
                    break
                if now - mtime < GRACE_S:
                    continue
                _unlink(Path(path))
                total -= size
                removed.append(Path(path).name)
        return removed


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


_caches: dict[tuple, ObjectCache] = {}


def configured() -> ObjectCache | None:
    """The cache ``$MONITOR_CACHE_DIR``/``$MONITOR_CACHE_MAX_MB`` describe, None when off."""
    value = settings.text(CACHE_DIR_ENV).strip()
    if value.lower() in OFF:
        return None
    try:
        max_mb = float(settings.text(CACHE_MAX_ENV) or DEFAULT_MAX_MB)
    except ValueError:
        raise ValueError(f"{CACHE_MAX_ENV}={settings.raw(CACHE_MAX_ENV)!r}: verwacht een aantal MB") from None
    key = (value, max_mb)
    found = _caches.get(key)
    if found is None:
        found = _caches[key] = ObjectCache(Path(value) if value else default_dir(), int(max_mb * 1024 * 1024))
    return found
