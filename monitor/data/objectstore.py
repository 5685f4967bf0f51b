"""The datasets on S3-compatible object storage (past one machine).

Local disk stays the default. One setting moves the dataset folder to a bucket::

    MONITOR_DATA_URL=s3://bucket/prefix
    MONITOR_S3_ENDPOINT=http://minio:9000   # or AWS_ENDPOINT_URL; omit for AWS itself

Credentials come from the usual AWS chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
a profile, an instance role). Layout under the prefix, the local design in objects::

    current                                   the pointer: JSON naming the generation and,
                                              per table, the object that holds it
    gen-<time>-<id>/<table>.parquet           the tables a write changed (never changed again)
    events/<table>/<time>-<uuid>.parquet      one object per recorded change (never changed)
    locks/dataset  locks/events               leases: one writer at a time, across machines

* **An import is a new generation made visible by one pointer update.** The tables it
  changes are written under a new ``gen-…/``; the tables it leaves alone stay where the old
  pointer named them (no copy); then ``current`` is replaced in one PUT with ``If-Match`` on
  the ETag it was read with (``If-None-Match: *`` for the first one). That PUT is the commit
  point: a reader reads the pointer once and then only objects it names, so it sees all old
  or all new tables. A write that fails before it leaves objects nothing points to (removed
  by a later write); the pointer is unchanged.
* **One writer at a time**, as ``store.folder_lock`` on disk: a lease object
  (:mod:`monitor.data.objectlease`: created with ``If-None-Match: *``, renewed while its holder
  works, taken over with ``If-Match`` when it expired, its lifetime capped whatever it claims).
  The importer's
  whole read-validate-write runs under it, so two imports from two replicas are serialised
  and neither is lost. Should a lease be lost anyway (a holder paused past its expiry), the
  pointer's ``If-Match`` refuses the stale write: nothing changes, the user is told to retry.
* **Events are new objects created with ``If-None-Match: *``**: two replicas can never
  overwrite each other's change, even without the lease (which serialises the validation).
* **A replaced generation stays for :data:`KEEP_SUPERSEDED_S` after it was replaced**: each
  pointer records, under ``released``, when every object it no longer names was dropped (kept
  from the pointer before it while still due), and only an object released longer ago than that
  is deleted; one it has no time for (an orphan of a failed write, or dropped by a pointer from
  before these times were kept) counts from the later of its creation and the pointer's own
  ``Last-Modified``. So a reader that read the old pointer just before an import finishes on the
  old objects. The current generation is never deleted, nor a newer one while a writer holds
  the dataset lease.
* **Failures are Dutch messages naming the object** (:mod:`monitor.data.objecterrors`): an
  unreachable endpoint (bounded by the client's timeouts), access denied, a pointer that is not
  what a writer wrote.

What it needs from the storage: strong read-after-write consistency and conditional PUT
(``If-None-Match``, ``If-Match``; AWS S3 since 2024, MinIO, R2, moto) and, for release,
conditional DELETE (falls back to a plain delete where it is not supported).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import pyarrow as pa
import pyarrow.parquet as pq

from monitor import settings
from monitor.data import objectcache
from monitor.data.contract import EVENT_NAME, SCHEMAS
from monitor.data.errors import DatasetUnreadable, MonitorError, StorageError, unreadable_reason
from monitor.data.objecterrors import (  # noqa: F401  (PreconditionFailed is the store's answer)
    ATTEMPTS, CONNECT_TIMEOUT_S, READ_TIMEOUT_S, RETRY_AFTER_S, PreconditionFailed, StorageUnreachable,
    failure, message, passed_on, seconds_setting, unreachable_reason,
)
from monitor.data.objecterrors import code as _code
from monitor.data.objectlease import LEASE_S, Leases  # noqa: F401
from monitor.data.objectpointer import GEN_PREFIX, Pointer, Stat, generation_time, parse_pointer, released_since

DATA_URL_ENV = "MONITOR_DATA_URL"
ENDPOINT_ENV = "MONITOR_S3_ENDPOINT"
POINTER = "current"
EVENTS = "events"
# How long a reader trusts what it last saw of the pointer and the events (one GET and a LIST
# per event table otherwise run for every query); a change made in this process is seen at once.
POLL_S = settings.number("MONITOR_S3_POLL_S", 2.0)
# How long a replaced generation's objects stay after the pointer stopped naming them.
KEEP_SUPERSEDED_S = seconds_setting("MONITOR_S3_KEEP_S", 600.0)
# How many objects a cold start fetches at once (the GETs of one attach, bounded).
FETCH_WORKERS = settings.integer("MONITOR_S3_FETCH_WORKERS", 8)
log = logging.getLogger(__name__)


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith("s3://")


def configured_url() -> str | None:
    """``$MONITOR_DATA_URL`` when it names a bucket, else None (local disk)."""
    value = settings.text(DATA_URL_ENV).strip()
    if not value:
        return None
    if not is_url(value):
        raise ValueError(f"{DATA_URL_ENV}={value!r}: verwacht s3://bucket/prefix (of laat leeg voor de lokale map)")
    return value.rstrip("/")


def endpoint() -> str | None:
    return settings.raw(ENDPOINT_ENV) or os.environ.get("AWS_ENDPOINT_URL") or None


_stores: dict[str, S3Store] = {}
_stores_lock = threading.Lock()


def open_store(url: str) -> S3Store:
    """The process's store for a URL (one client and one file system per URL and endpoint)."""
    url = url.rstrip("/")
    key = f"{url}|{endpoint()}"
    with _stores_lock:
        found = _stores.get(key)
        if found is None:
            found = _stores[key] = S3Store(url)
        return found


def parallel(calls: list[Callable[[], object]], workers: int | None = None) -> list:
    """Run ``calls`` on at most ``workers`` threads (:data:`FETCH_WORKERS`); their results in
    the order given. When some fail, all are waited for and the first failure in that order is
    raised (the same error a one-after-the-other fetch would have raised first)."""
    workers = max(1, min(workers or FETCH_WORKERS, len(calls)))
    if workers == 1:
        return [call() for call in calls]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="s3-fetch") as pool:
        futures = [pool.submit(call) for call in calls]
        errors = [future.exception() for future in futures]
    for error in errors:
        if error is not None:
            raise error
    return [future.result() for future in futures]


class S3Store(Leases):
    def __init__(self, url: str) -> None:
        import boto3  # imported here: local disk never needs them
        import botocore.config

        self.url = url.rstrip("/")
        rest = self.url[len("s3://"):]
        self.bucket, _, self.prefix = rest.partition("/")
        self.prefix = self.prefix.strip("/")
        self.client = boto3.client("s3", endpoint_url=endpoint(), config=botocore.config.Config(
            connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
            retries={"total_max_attempts": ATTEMPTS, "mode": "standard"}, max_pool_connections=32))
        self.clock = time.time  # replaced by tests
        self._down: tuple[float, str, str] | None = None  # (until, message, url): endpoint unreachable
        self._fs = None
        self._seen: tuple[float, tuple] | None = None
        self._current = Pointer(None, {}, None, {})
        self._held = threading.local()

    # ------------------------------------------------------------------ objects

    def key(self, rel: str) -> str:
        return f"{self.prefix}/{rel}" if self.prefix else rel

    def object_url(self, rel: str) -> str:
        return f"s3://{self.bucket}/{self.key(rel)}"

    @property
    def fs(self):
        """An ``s3fs.S3FileSystem`` on the same endpoint (for DuckDB's ``register_filesystem``)."""
        if self._fs is None:
            import s3fs

            fs = s3fs.S3FileSystem(endpoint_url=endpoint(), config_kwargs={
                "connect_timeout": CONNECT_TIMEOUT_S, "read_timeout": READ_TIMEOUT_S,
                "retries": {"total_max_attempts": ATTEMPTS, "mode": "standard"}})
            fs.retries = ATTEMPTS  # s3fs's own retries around botocore's (5 by default)
            self._fs = fs
        return self._fs

    def call(self, rel: str, doing: str, request: Callable[[], object]) -> object:
        """``request()`` (a client call on object ``rel``); a failure other than an answer the
        caller handles (a missing object, a lost condition) becomes a ``StorageUnreachable``
        naming the object. After an unreachable endpoint, calls fail at once for
        :data:`RETRY_AFTER_S` seconds with the same message."""
        down = self._down
        if down is not None and time.monotonic() < down[0]:
            raise StorageUnreachable(down[1], down[2], unreachable=True)
        try:
            return request()
        except MonitorError:
            raise
        except Exception as exc:  # noqa: BLE001 - botocore's network, credential and access errors
            if passed_on(exc):
                raise
            error = failure(exc, self.object_url(rel), doing, endpoint())
            if error.unreachable:
                self._down = (time.monotonic() + RETRY_AFTER_S, str(error), error.url)
            raise error from exc

    def get(self, rel: str) -> tuple[bytes, str] | None:
        got = self.get_stat(rel)
        return None if got is None else (got.body, got.etag)

    def get_stat(self, rel: str) -> Stat | None:
        """An object's bytes, ETag and age by the storage's clock; None if it does not exist."""
        def request():
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(rel))
            return answer, answer["Body"].read()

        try:
            answer, body = self.call(rel, "gelezen", request)
        except MonitorError:
            raise
        except Exception as exc:  # noqa: BLE001 - the answers call() passes on
            if _code(exc) in ("NoSuchKey", "404"):
                return None
            raise failure(exc, self.object_url(rel), "gelezen", endpoint()) from exc
        modified = answer["LastModified"].timestamp()
        try:
            server_now = parsedate_to_datetime(answer["ResponseMetadata"]["HTTPHeaders"]["date"]).timestamp()
        except (KeyError, TypeError, ValueError):
            server_now = time.time()
        return Stat(body, answer["ETag"], modified, max(0.0, server_now - modified))

    def put(self, rel: str, body: bytes, *, create: bool = False, if_match: str | None = None) -> str:
        """PUT an object; ``create``: only if it does not exist; ``if_match``: only if unchanged."""
        extra = {}
        if create:
            extra["IfNoneMatch"] = "*"
        if if_match is not None:
            extra["IfMatch"] = if_match
        try:
            return self.call(rel, "geschreven", lambda: self.client.put_object(
                Bucket=self.bucket, Key=self.key(rel), Body=body, **extra))["ETag"]
        except MonitorError:
            raise
        except Exception as exc:  # noqa: BLE001 - the answers call() passes on
            if _code(exc) in ("PreconditionFailed", "ConditionalRequestConflict", "NoSuchKey", "412", "409"):
                raise PreconditionFailed(rel) from exc
            raise failure(exc, self.object_url(rel), "geschreven", endpoint()) from exc

    def delete(self, rel: str, if_match: str | None = None) -> None:
        extra = {"IfMatch": if_match} if if_match else {}
        try:
            self.call(rel, "verwijderd", lambda: self.client.delete_object(Bucket=self.bucket, Key=self.key(rel),
                                                                           **extra))
        except MonitorError:
            raise
        except Exception as exc:  # noqa: BLE001 - the answers call() passes on
            if _code(exc) in ("PreconditionFailed", "412"):
                raise PreconditionFailed(rel) from exc
            if _code(exc) == "NotImplemented" and if_match:
                self.call(rel, "verwijderd", lambda: self.client.delete_object(Bucket=self.bucket, Key=self.key(rel)))
                return
            if _code(exc) in ("NoSuchKey", "404"):
                return
            raise failure(exc, self.object_url(rel), "verwijderd", endpoint()) from exc

    def list(self, rel_prefix: str) -> list[tuple[str, str, int]]:
        """(relative key, ETag, size) of every object under a prefix, in key order."""
        start = self.key(rel_prefix)
        cut = len(self.key(""))

        def request():
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
            return [(item["Key"][cut:], item["ETag"], item["Size"]) for page in pages
                    for item in page.get("Contents", [])]

        try:
            return sorted(self.call(rel_prefix, "opgesomd", request))
        except MonitorError:
            raise
        except Exception as exc:  # noqa: BLE001 - nothing to pass on for a listing
            raise failure(exc, self.object_url(rel_prefix), "opgesomd", endpoint()) from exc

    # ------------------------------------------------------------------ generations

    def pointer(self) -> Pointer:
        """The pointer object as written; ``DatasetUnreadable`` naming it when it is not what a
        writer of this store writes (not JSON, fields of the wrong kind, a table outside a
        generation)."""
        got = self.get_stat(POINTER)
        if got is None:
            return Pointer(None, {}, None, {}, {}, {})
        try:
            return parse_pointer(got)
        except (ValueError, TypeError, AttributeError) as exc:
            reason = "het is geen JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
            log.warning("opslag: de pointer %s is onleesbaar: %s (%r)", self.object_url(POINTER), exc,
                        got.body[:200])
            raise DatasetUnreadable(self.object_url(POINTER), f"de pointer naar de huidige generatie is "
                                    f"beschadigd ({reason}), dus geen enkele tabel kan worden gevonden. "
                                    "De beheerder zet een eerdere versie van dit object terug, of verwijdert "
                                    "het en uploadt de datasets opnieuw (python -m monitor.data.objectstore "
                                    "upload)") from exc

    def read_table(self, name: str, pointer: Pointer | None = None) -> pa.Table | None:
        """A table of the current generation (or of ``pointer``, read before), None if absent."""
        pointer = pointer or self.pointer()
        rel = pointer.tables.get(name)
        if rel is None:
            return None
        etag, size = (pointer.etags or {}).get(name), (pointer.sizes or {}).get(name)
        got = self.fetch(rel, etag, size)
        if got is None:
            log.warning("opslag: de pointer noemt %s voor tabel %s, maar dat object ontbreekt", self.object_url(rel),
                        name)
            raise DatasetUnreadable(self.object_url(rel), f"de pointer ({POINTER}) noemt dit object voor tabel "
                                    f"{name}, maar het ontbreekt in de opslag")
        return self.decode(name, rel, got)

    def decode(self, name: str, rel: str, got: bytes | str) -> pa.Table:
        """A fetched object (its bytes, or the path of its local copy) as table ``name``."""
        try:
            source = pa.BufferReader(got) if isinstance(got, bytes) else got
            return pq.read_table(source, schema=SCHEMAS[name])
        except (pa.ArrowException, OSError, ValueError) as exc:
            log.warning("opslag: %s (tabel %s) is onleesbaar: %s", self.object_url(rel), name, exc)
            raise DatasetUnreadable(self.object_url(rel), unreadable_reason(exc)) from exc

    def fetch(self, rel: str, etag: str | None = None, size: int | None = None) -> bytes | str | None:
        """An immutable object (a generation's table, an event): the path of its copy in the local
        cache (:mod:`monitor.data.objectcache`, filled from this GET on a miss) or, with the cache
        off or failing, its bytes. None if it does not exist."""
        cache = objectcache.configured()
        url = self.object_url(rel)
        if cache is not None:
            hit = cache.get(url, etag, size)
            if hit is not None:
                return str(hit)
        got = self.get(rel)
        if got is None:
            return None
        if cache is not None:
            try:
                cache.put(url, etag, size, lambda out: out.write(got[0]))
            except OSError:
                log.warning("cache %s: %s niet bewaard", cache.root, url, exc_info=True)
        return got[0]

    def scan_problem(self, exc: Exception) -> MonitorError | None:
        """The object behind a DuckDB error on a view of one of this store's objects (a large
        table scanned through s3fs), when the error names one: missing, unreachable or damaged."""
        text = str(exc)
        found = re.search(re.escape(self.url) + r"/[^\s'\"]+", text)
        if found is None:
            return None
        url = found.group(0)
        log.warning("opslag: %s kon niet worden gelezen: %s", url, text)
        if "No files found" in text or "NoSuchKey" in text or "Not Found" in text:
            return DatasetUnreadable(url, f"de pointer ({POINTER}) noemt dit object, maar het ontbreekt in de opslag")
        if any(word in text for word in ("connect", "Connect", "timed out", "Timeout")):
            return message(url, "gelezen", unreachable_reason(endpoint()), unreachable=True)
        return DatasetUnreadable(url, unreadable_reason(exc))

    def local_copy(self, rel: str, etag: str | None, size: int | None) -> str | None:
        """The path of a large object's copy in the local cache (downloaded into it on a miss,
        in ranges on several connections), None when the cache is off or cannot hold it."""
        cache = objectcache.configured()
        if cache is None:
            return None
        url = self.object_url(rel)
        hit = cache.get(url, etag, size)
        if hit is not None:
            return str(hit)
        def download(out) -> None:
            try:
                self.call(rel, "gelezen", lambda: self.client.download_fileobj(self.bucket, self.key(rel), out))
            except MonitorError:
                raise
            except Exception as exc:  # noqa: BLE001 - the answers call() passes on: a missing object
                if _code(exc) in ("404", "NoSuchKey"):
                    raise DatasetUnreadable(url, f"de pointer ({POINTER}) noemt dit object, maar het ontbreekt "
                                                 "in de opslag") from exc
                raise failure(exc, url, "gelezen", endpoint()) from exc

        try:
            return str(cache.put(url, etag, size, download))
        except OSError:
            log.warning("cache %s: %s niet bewaard; gelezen uit de opslag", cache.root, url, exc_info=True)
            return None

    def write_generation(self, tables: dict[str, bytes], what: str) -> str:
        """Write changed tables as a new generation and flip the pointer (one conditional PUT).

        ``tables`` maps a table to its Parquet bytes. Raises ``StorageError`` (pointer unchanged)
        when the pointer changed since it was read here: a writer without the lease."""
        base = self.pointer()
        name = f"{GEN_PREFIX}{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        new_tables = {**base.tables, **{t: f"{name}/{t}.parquet" for t in tables}}
        written, etags = [], {}
        try:
            for table, body in tables.items():
                rel = f"{name}/{table}.parquet"
                etags[table] = self.put(rel, body, create=True)
                written.append(rel)
            manifest = {"generation": name, "tables": new_tables,
                        "sizes": {**base.sizes, **{t: len(body) for t, body in tables.items()}},
                        "etags": {**{t: e for t, e in (base.etags or {}).items() if t not in tables}, **etags},
                        "released": released_since(base, new_tables, self.clock(), KEEP_SUPERSEDED_S),
                        "written_at": datetime.now(timezone.utc).isoformat()}
            body = json.dumps(manifest, sort_keys=True).encode()
            if base.etag is None:
                self.put(POINTER, body, create=True)
            else:
                self.put(POINTER, body, if_match=base.etag)
        except PreconditionFailed as exc:
            self._remove(written)
            raise StorageError(f"Tijdens {what} is de dataset in {self.url} door een andere schrijver gewijzigd; "
                               "er is niets gewijzigd. Probeer het opnieuw.") from exc
        except BaseException:
            self._remove(written)
            raise
        self.changed()
        try:
            self.remove_superseded()
        except Exception:  # noqa: BLE001 - after the commit point; a later write retries
            log.exception("opslag %s: oude generaties niet opgeruimd", self.url)
        return name

    def _remove(self, rels: list[str]) -> None:
        for rel in rels:
            try:
                self.delete(rel)
            except Exception:  # noqa: BLE001 - an orphan nothing points to; removed later
                log.warning("opslag %s: %s niet verwijderd", self.url, rel)

    def remove_superseded(self, now: float | None = None) -> list[str]:
        """Remove generation objects the pointer no longer names, once replaced more than
        :data:`KEEP_SUPERSEDED_S` ago (queries that began before a flip finish on them; see the
        module docstring for an object without a recorded time). Never one the pointer names,
        nor one newer than the current generation while a writer holds the dataset lease."""
        pointer = self.pointer()
        if pointer.etag is None:
            return []
        named = set(pointer.tables.values())
        released = pointer.released or {}
        now = self.clock() if now is None else now
        removed, writing = [], None
        for rel, _etag, _size in self.list(GEN_PREFIX):
            if rel in named or not rel.startswith(GEN_PREFIX):
                continue
            since = released.get(rel)
            if since is None:
                born = generation_time(rel)
                if born is None:
                    continue  # not a name this store gives: left alone
                if pointer.generation and rel.split("/", 1)[0] > pointer.generation:
                    writing = self._writer_busy() if writing is None else writing
                    if writing:
                        continue  # a write in progress may be about to name it
                since = max(born, pointer.modified or now)
            if now - since >= KEEP_SUPERSEDED_S:
                self.delete(rel)
                removed.append(f"verwijderd: {rel}")
        return removed

    def _writer_busy(self) -> bool:
        """Whether another writer holds the dataset lease now."""
        if getattr(self._held, "names", {}).get("dataset"):
            return False  # this thread is the writer
        got = self.get_stat("locks/dataset")
        return got is not None and not self.lease_expired("locks/dataset", got.body, got.age_s, got.etag)

    # ------------------------------------------------------------------ events

    def event_keys(self, table: str) -> list[tuple[str, str, int]]:
        """The event objects that count: named as the writer names them (``event_reader``)."""
        prefix = f"{EVENTS}/{table}/"
        return [item for item in self.list(prefix) if EVENT_NAME.match(item[0][len(prefix):])]

    def put_event(self, table: str, name: str, body: bytes) -> str:
        """Create ``events/<table>/<name>.parquet``; never overwrites (``If-None-Match: *``)."""
        rel = f"{EVENTS}/{table}/{name}.parquet"
        self.put(rel, body, create=True)
        self.changed()
        return rel

    # ------------------------------------------------------------------ what readers poll

    def state(self, tables: tuple[str, ...]) -> tuple:
        """The pointer's ETag and each event table's listing: when any changes, readers reload.
        Trusted for :data:`POLL_S` seconds, so a query does not cost a round trip."""
        seen = self._seen
        if seen is not None and time.monotonic() - seen[0] < POLL_S:
            return seen[1]
        pointer = self.pointer()
        self._current = pointer
        parts = [("pointer", pointer.etag)]
        for table in tables:
            keys = self.event_keys(table)
            parts.append((table, len(keys), keys[-1][0] if keys else None))
        value = tuple(parts)
        self._seen = (time.monotonic(), value)
        return value

    def current(self) -> Pointer:
        """The pointer as :meth:`state` last read it (read again after :data:`POLL_S`)."""
        self.state(())
        return self._current

    def changed(self) -> None:
        """Forget the polled state: this process wrote, its next query must see it."""
        self._seen = None


def parquet_bytes(table: pa.Table, row_group_rows: int) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", write_statistics=True, row_group_size=row_group_rows)
    return sink.getvalue()
