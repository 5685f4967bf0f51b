# Reads the committed datasets/: the S3 failure cases run on a mirror of the real folder, as a deployment has it.
"""The S3 store against what goes wrong, on moto's real S3 API started here: a
replaced generation stays for the promised time after it was replaced (a reader that holds the
old pointer still reads), a lease with an absurd or malformed expiry is not obeyed forever, and
an endpoint that does not answer fails within the client's bounds with a Dutch message."""

from __future__ import annotations

import json
import logging
import socket
import time
from datetime import datetime, timedelta, timezone

import pytest

pytest.importorskip("moto.server")

from monitor.data import objectlease, objectstore, store  # noqa: E402
from monitor.data.errors import DatasetUnreadable, StorageError  # noqa: E402
from tests import s3server  # noqa: E402
from tests.unit.test_s3_store import s3_endpoint  # noqa: E402,F401  (moto's server, per module)

TABLE = "themalijnen"


@pytest.fixture
def bucket_url(s3_endpoint, monkeypatch) -> str:  # noqa: F811
    """A fresh prefix with the committed datasets; the local object cache off (a read must come
    from the bucket, or the test proves nothing)."""
    monkeypatch.setenv(objectstore.objectcache.CACHE_DIR_ENV, "uit")
    return s3server.committed_datasets_prefix()


def _old_generation(bucket: objectstore.S3Store, hours: float) -> objectstore.Pointer:
    """Make the current pointer name ``TABLE`` in a generation created ``hours`` ago (as a
    pointer written before release times were kept: no ``released`` field); returns it."""
    base = bucket.pointer()
    born = datetime.now(timezone.utc) - timedelta(hours=hours)
    rel = f"{objectstore.GEN_PREFIX}{born:%Y%m%dT%H%M%S%f}-0ld0000/{TABLE}.parquet"
    body, _etag = bucket.get(base.tables[TABLE])
    etag = bucket.put(rel, body, create=True)
    manifest = {"generation": rel.split("/")[0], "tables": {**base.tables, TABLE: rel},
                "sizes": {**base.sizes, TABLE: len(body)}, "etags": {**base.etags, TABLE: etag}}
    bucket.put(objectstore.POINTER, json.dumps(manifest).encode(), if_match=base.etag)
    return bucket.pointer()


def test_a_reader_holding_the_old_pointer_reads_after_an_import_until_the_grace_ends(bucket_url):
    bucket = store.remote(bucket_url)
    held = _old_generation(bucket, hours=1)  # created long before it is replaced
    old = held.tables[TABLE]
    expected = bucket.read_table(TABLE, held)

    store.write_tables({TABLE: store.read_table(TABLE, bucket_url)}, bucket_url)  # a new import
    current = bucket.pointer()
    assert current.tables[TABLE] != old
    assert old in current.released  # when it was replaced, recorded in the new pointer
    # The reader that read the pointer before the import still reads its generation.
    assert bucket.read_table(TABLE, held).equals(expected)
    # Within the grace (counted from the replacement, by the injectable clock) nothing goes.
    bucket.clock = lambda: current.released[old] + objectstore.KEEP_SUPERSEDED_S - 1
    assert bucket.remove_superseded() == []
    assert bucket.read_table(TABLE, held).equals(expected)
    # After it, the replaced object is removed; what the pointer names never is.
    bucket.clock = lambda: current.released[old] + objectstore.KEEP_SUPERSEDED_S + 1
    assert f"verwijderd: {old}" in bucket.remove_superseded()
    with pytest.raises(DatasetUnreadable, match="ontbreekt"):
        bucket.read_table(TABLE, held)
    for name in current.tables:
        assert bucket.read_table(name, current) is not None
    bucket.clock = lambda: time.time() + 10 * objectstore.KEEP_SUPERSEDED_S
    bucket.remove_superseded()
    assert {rel for rel, _e, _s in bucket.list(objectstore.GEN_PREFIX)} == set(current.tables.values())


def test_release_times_are_carried_over_while_due(bucket_url):
    bucket = store.remote(bucket_url)
    first = bucket.pointer()
    store.write_tables({TABLE: store.read_table(TABLE, bucket_url)}, bucket_url)
    second = bucket.pointer()
    store.write_tables({"projects": store.read_table("projects", bucket_url)}, bucket_url)
    third = bucket.pointer()
    # The first import's replaced object keeps its own time; the second adds its own.
    assert third.released[first.tables[TABLE]] == second.released[first.tables[TABLE]]
    assert first.tables["projects"] in third.released


def _lease(bucket_url: str, body: bytes) -> str:
    bucket = store.remote(bucket_url)
    bucket.put("locks/dataset", body)
    try:
        with store.folder_lock(bucket_url, "de import", wait_s=0.3):
            return "gekregen"
    except StorageError as exc:
        return str(exc)


ABSURD = {
    "far future": json.dumps({"holder": "x", "expires": 1e300}).encode(),
    "infinity": b'{"holder": "x", "expires": Infinity}',
    "nan": b'{"holder": "x", "expires": NaN}',
    "text": json.dumps({"holder": "x", "expires": "morgen"}).encode(),
    "no expiry": json.dumps({"holder": "x"}).encode(),
    "a list": b"[1, 2]",
    "not json": b"\x00\xffgarbage",
}


@pytest.mark.parametrize("body", list(ABSURD.values()), ids=list(ABSURD))
def test_an_absurd_or_malformed_lease_is_obeyed_only_up_to_the_cap(bucket_url, body, monkeypatch, caplog):
    # Just written: within the cap it holds (a foreign writer may be at work) ...
    assert "Er loopt al een import" in _lease(bucket_url, body)
    # ... but not past the cap, counted from when the storage wrote it.
    monkeypatch.setattr(objectlease, "LEASE_MAX_S", 0.0)
    with caplog.at_level(logging.WARNING, logger="monitor.data.objectstore"):
        assert _lease(bucket_url, body) == "gekregen"
    assert "locks/dataset" in caplog.text and "overgenomen" in caplog.text
    assert store.remote(bucket_url).get("locks/dataset") is None


def test_an_expired_or_negative_lease_is_taken_over_at_once(bucket_url):
    assert _lease(bucket_url, json.dumps({"holder": "x", "expires": -5}).encode()) == "gekregen"
    assert _lease(bucket_url, json.dumps({"holder": "x", "expires": time.time() - 1}).encode()) == "gekregen"


def test_a_held_lease_is_not_capped_while_its_holder_renews(bucket_url):
    """A working writer keeps its lease: it is renewed long before the cap."""
    assert objectlease.LEASE_MAX_S > objectlease.LEASE_S
    bucket = store.remote(bucket_url)
    with store.folder_lock(bucket_url, "de eerste import"):
        got = bucket.get_stat("locks/dataset")
        assert not bucket.lease_expired("locks/dataset", got.body, got.age_s)


def test_an_endpoint_that_does_not_answer_fails_within_the_clients_bounds(monkeypatch):
    """A server that accepts connections and never answers (a hung proxy): the read fails after
    the bounded timeouts, not after botocore's default of four 60-second attempts."""
    monkeypatch.setattr(objectstore, "READ_TIMEOUT_S", 1.0)
    monkeypatch.setattr(objectstore, "ATTEMPTS", 2)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    monkeypatch.setenv(objectstore.ENDPOINT_ENV, f"http://127.0.0.1:{silent.getsockname()[1]}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    try:
        bucket = objectstore.S3Store("s3://stil/prefix")
        assert bucket.client.meta.config.connect_timeout == objectstore.CONNECT_TIMEOUT_S <= 5
        started = time.monotonic()
        with pytest.raises(objectstore.StorageUnreachable, match="niet bereikbaar") as caught:
            bucket.pointer()
        assert time.monotonic() - started < 30
        assert "s3://stil/prefix/current" in str(caught.value)
        # Meanwhile every call answers at once with the same message (no wait per query).
        started = time.monotonic()
        with pytest.raises(objectstore.StorageUnreachable, match="s3://stil/prefix/current"):
            bucket.pointer()
        assert time.monotonic() - started < 0.5
    finally:
        silent.close()
