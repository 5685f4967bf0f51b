"""The datasets on S3-compatible object storage (issue 17: past one machine).

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
* **One writer at a time**, as ``store.folder_lock`` on disk: a lease object created with
  ``If-None-Match: *`` (so exactly one of two replicas gets it), renewed by its holder while it
  works and released by a conditional delete; a lease not renewed for :data:`LEASE_S` (its
  holder died) is taken over with ``If-Match`` on its ETag (again exactly one). The importer's
  whole read-validate-write runs under it, so two imports from two replicas are serialised
  and neither is lost. Should a lease be lost anyway (a holder paused past its expiry), the
  pointer's ``If-Match`` refuses the stale write: nothing changes, the user is told to retry.
* **Events are new objects created with ``If-None-Match: *``**: two replicas can never
  overwrite each other's change, even without the lease (which serialises the validation).

What it needs from the storage: strong read-after-write consistency and conditional PUT
(``If-None-Match``, ``If-Match``; AWS S3 since 2024, MinIO, R2, moto) and, for release,
conditional DELETE (falls back to a plain delete where it is not supported).
"""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq

from monitor.data import objectcache
from monitor.data.contract import SCHEMAS
from monitor.data.errors import DatasetUnreadable, StorageError

DATA_URL_ENV = "MONITOR_DATA_URL"
ENDPOINT_ENV = "MONITOR_S3_ENDPOINT"
POINTER = "current"
GEN_PREFIX = "gen-"
EVENTS = "events"
LEASE_S = float(os.environ.get("MONITOR_S3_LEASE_S", "60"))
# How long a reader trusts what it last saw of the pointer and the events (one GET and a LIST
# per event table otherwise run for every query); a change made in this process is seen at once.
POLL_S = float(os.environ.get("MONITOR_S3_POLL_S", "2"))
KEEP_SUPERSEDED_S = 600.0
# How many objects a cold start fetches at once (the GETs of one attach, bounded).
FETCH_WORKERS = int(os.environ.get("MONITOR_S3_FETCH_WORKERS", "8"))
log = logging.getLogger(__name__)


class PreconditionFailed(Exception):
    """A conditional PUT or DELETE lost: the object exists, or changed since it was read."""


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith("s3://")


def configured_url() -> str | None:
    """``$MONITOR_DATA_URL`` when it names a bucket, else None (local disk)."""
    value = os.environ.get(DATA_URL_ENV, "").strip()
    if not value:
        return None
    if not is_url(value):
        raise ValueError(f"{DATA_URL_ENV}={value!r}: verwacht s3://bucket/prefix (of laat leeg voor de lokale map)")
    return value.rstrip("/")


def endpoint() -> str | None:
    return os.environ.get(ENDPOINT_ENV) or os.environ.get("AWS_ENDPOINT_URL") or None


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


@dataclass(frozen=True)
class Pointer:
    generation: str | None
    tables: dict            # table -> object key relative to the prefix
    etag: str | None        # None: there is no pointer yet
    sizes: dict = None      # table -> bytes of its object
    etags: dict = None      # table -> ETag of its object (pointers written since the cache)


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


class S3Store:
    def __init__(self, url: str) -> None:
        import boto3  # imported here: local disk never needs them
        import botocore.config

        self.url = url.rstrip("/")
        rest = self.url[len("s3://"):]
        self.bucket, _, self.prefix = rest.partition("/")
        self.prefix = self.prefix.strip("/")
        self.client = boto3.client("s3", endpoint_url=endpoint(),
                                   config=botocore.config.Config(retries={"max_attempts": 3, "mode": "standard"},
                                                                 max_pool_connections=32))
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

            self._fs = s3fs.S3FileSystem(endpoint_url=endpoint())
        return self._fs

    def get(self, rel: str) -> tuple[bytes, str] | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(rel))
        except self.client.exceptions.NoSuchKey:
            return None
        return answer["Body"].read(), answer["ETag"]

    def put(self, rel: str, body: bytes, *, create: bool = False, if_match: str | None = None) -> str:
        """PUT an object; ``create``: only if it does not exist; ``if_match``: only if unchanged."""
        extra = {}
        if create:
            extra["IfNoneMatch"] = "*"
        if if_match is not None:
            extra["IfMatch"] = if_match
        try:
            return self.client.put_object(Bucket=self.bucket, Key=self.key(rel), Body=body, **extra)["ETag"]
        except self.client.exceptions.ClientError as exc:
            if _code(exc) in ("PreconditionFailed", "ConditionalRequestConflict", "NoSuchKey", "412", "409"):
                raise PreconditionFailed(rel) from exc
            raise

    def delete(self, rel: str, if_match: str | None = None) -> None:
        try:
            extra = {"IfMatch": if_match} if if_match else {}
            self.client.delete_object(Bucket=self.bucket, Key=self.key(rel), **extra)
        except self.client.exceptions.ClientError as exc:
            if _code(exc) in ("PreconditionFailed", "412"):
                raise PreconditionFailed(rel) from exc
            if _code(exc) == "NotImplemented" and if_match:
                self.client.delete_object(Bucket=self.bucket, Key=self.key(rel))
                return
            raise

    def list(self, rel_prefix: str) -> list[tuple[str, str, int]]:
        """(relative key, ETag, size) of every object under a prefix, in key order."""
        found = []
        start = self.key(rel_prefix)
        cut = len(self.key(""))
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", []):
                found.append((item["Key"][cut:], item["ETag"], item["Size"]))
        return sorted(found)

    # ------------------------------------------------------------------ generations

    def pointer(self) -> Pointer:
        got = self.get(POINTER)
        if got is None:
            return Pointer(None, {}, None, {}, {})
        body, etag = got
        data = json.loads(body)
        return Pointer(data.get("generation"), dict(data.get("tables", {})), etag, dict(data.get("sizes", {})),
                       dict(data.get("etags", {})))

    def read_table(self, name: str, pointer: Pointer | None = None) -> pa.Table | None:
        """A table of the current generation (or of ``pointer``, read before), None if absent."""
        pointer = pointer or self.pointer()
        rel = pointer.tables.get(name)
        if rel is None:
            return None
        etag, size = (pointer.etags or {}).get(name), (pointer.sizes or {}).get(name)
        got = self.fetch(rel, etag, size)
        if got is None:
            raise DatasetUnreadable(self.object_url(rel), "het object ontbreekt in de opslag")
        return self.decode(name, rel, got)

    def decode(self, name: str, rel: str, got: bytes | str) -> pa.Table:
        """A fetched object (its bytes, or the path of its local copy) as table ``name``."""
        try:
            source = pa.BufferReader(got) if isinstance(got, bytes) else got
            return pq.read_table(source, schema=SCHEMAS[name])
        except (pa.ArrowException, OSError, ValueError) as exc:
            from monitor.data.store import unreadable_reason

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
        try:
            got = self.get(rel)
        except Exception as exc:  # noqa: BLE001 - botocore's network and access errors
            raise StorageError(f"Het object {url} kon niet uit de opslag worden gelezen: {exc}") from exc
        if got is None:
            return None
        if cache is not None:
            try:
                cache.put(url, etag, size, lambda out: out.write(got[0]))
            except OSError:
                log.warning("cache %s: %s niet bewaard", cache.root, url, exc_info=True)
        return got[0]

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
        try:
            return str(cache.put(url, etag, size,
                                 lambda out: self.client.download_fileobj(self.bucket, self.key(rel), out)))
        except OSError:
            log.warning("cache %s: %s niet bewaard; gelezen uit de opslag", cache.root, url, exc_info=True)
            return None
        except Exception as exc:  # noqa: BLE001 - botocore's errors, a missing object among them
            if _code(exc) in ("404", "NoSuchKey"):
                raise DatasetUnreadable(url, "het object ontbreekt in de opslag") from exc
            raise StorageError(f"Het object {url} kon niet uit de opslag worden gelezen: {exc}") from exc

    def write_generation(self, tables: dict[str, bytes], what: str) -> str:
        """Write changed tables as a new generation and flip the pointer (one conditional PUT).

        ``tables`` maps a table to its Parquet bytes. Raises ``StorageError`` (pointer unchanged)
        when the pointer changed since it was read here: a writer without the lease."""
        base = self.pointer()
        name = f"{GEN_PREFIX}{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        written, etags = [], {}
        try:
            for table, body in tables.items():
                rel = f"{name}/{table}.parquet"
                etags[table] = self.put(rel, body, create=True)
                written.append(rel)
            manifest = {"generation": name, "tables": {**base.tables, **{t: f"{name}/{t}.parquet" for t in tables}},
                        "sizes": {**base.sizes, **{t: len(body) for t, body in tables.items()}},
                        "etags": {**{t: e for t, e in (base.etags or {}).items() if t not in tables}, **etags},
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
        """Remove generation objects the pointer no longer names, once older than
        :data:`KEEP_SUPERSEDED_S` (queries that began before a flip finish on them)."""
        pointer = self.pointer()
        if pointer.etag is None:
            return []
        named = set(pointer.tables.values())
        now = time.time() if now is None else now
        removed = []
        for rel, _etag, _size in self.list(GEN_PREFIX):
            if rel in named or not rel.startswith(GEN_PREFIX):
                continue
            stamp = rel.split("/", 1)[0][len(GEN_PREFIX):].split("-", 1)[0]
            try:
                born = datetime.strptime(stamp, "%Y%m%dT%H%M%S%f").replace(tzinfo=timezone.utc).timestamp()
            except ValueError:
                continue
            if now - born >= KEEP_SUPERSEDED_S:
                self.delete(rel)
                removed.append(f"verwijderd: {rel}")
        return removed

    # ------------------------------------------------------------------ events

    def event_keys(self, table: str) -> list[tuple[str, str, int]]:
        """The event objects that count: named as the writer names them (``event_reader``)."""
        from monitor.data.event_reader import EVENT_NAME

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

    # ------------------------------------------------------------------ leases

    @contextmanager
    def lease(self, name: str, what: str, wait_s: float) -> Iterator[None]:
        """Hold ``locks/<name>`` (re-entrant within a thread); see the module docstring."""
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

    def _acquire(self, rel: str, what: str, wait_s: float) -> str:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                return self.put(rel, self._lease_body(), create=True)
            except PreconditionFailed:
                pass
            got = self.get(rel)
            if got is not None:
                try:
                    expires = float(json.loads(got[0]).get("expires", 0))
                except (ValueError, AttributeError):
                    expires = 0.0
                if expires < time.time():  # its holder died: take it over, one of us only
                    try:
                        return self.put(rel, self._lease_body(), if_match=got[1])
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


def parquet_bytes(table: pa.Table, row_group_rows: int) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", write_statistics=True, row_group_size=row_group_rows)
    return sink.getvalue()


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", {}) or {}
    error = response.get("Error", {}) or {}
    return str(error.get("Code") or response.get("ResponseMetadata", {}).get("HTTPStatusCode") or "")


def upload(folder: str, url: str | None = None) -> str:
    """Copy a local dataset folder's tables to the bucket as one new generation (recorded
    event files too, each as its own object). Returns the generation's name."""
    from monitor.data import store
    from monitor.data.contract import EVENT_TABLES, TABLES
    from monitor.data.event_reader import event_files

    target = url or configured_url()
    if not target:
        raise SystemExit(f"Geef een s3://-adres of zet {DATA_URL_ENV}.")
    store.write_tables({name: store.read_table(name, folder) for name in TABLES}, target)
    bucket = open_store(target)
    for table in EVENT_TABLES:
        for path in event_files(table, folder):
            try:
                bucket.put_event(table, path.stem, path.read_bytes())
            except PreconditionFailed:
                pass  # uploaded before: an event object never changes
    return bucket.pointer().generation


if __name__ == "__main__":  # python -m monitor.data.objectstore upload datasets/ [s3://bucket/prefix]
    import sys

    if len(sys.argv) < 3 or sys.argv[1] != "upload":
        raise SystemExit("gebruik: python -m monitor.data.objectstore upload <map> [s3://bucket/prefix]")
    print(upload(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
