# Reads the committed datasets/: the S3 object cache is filled from a mirror of the real folder, every table at full size.
"""A cold start on S3: the objects fetched concurrently, and the local object cache.

Against moto's server (``tests/s3server.py``). The cache is keyed by the object's URL (which
names its generation), ETag and size, written atomically and bounded; these tests check that a
restart reads from it, a new generation downloads only what changed and is seen at once, a
half-written or truncated file is never read, and two processes filling it at once agree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("moto.server")
pytest.importorskip("boto3")

from monitor.data import catalog, db, objectcache, objectstore, store  # noqa: E402
from monitor.data.contract import PRIVATE_TABLES, TABLES  # noqa: E402
from monitor.data.errors import DatasetUnreadable  # noqa: E402
from tests import s3server  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
QUERIES = ["monitor_summary", "sources_overview", "themalijnen", "indicator_list", "vt_status"]


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3server.threaded_server() as url:
        yield url


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(objectcache.CACHE_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def bucket_url(s3_endpoint) -> str:
    """A fresh prefix holding the committed datasets as one generation."""
    return s3server.committed_datasets_prefix()


def _local(tmp_path: Path) -> Path:
    local = tmp_path / "datasets"
    if not local.exists():
        store.write_tables({name: store.read_table(name, REPO / "datasets") for name in TABLES}, local)
    return local


def _same_as_local(url: str, local: Path) -> None:
    for name in QUERIES:
        pd.testing.assert_frame_equal(db.query(name, url), db.query(name, local), check_dtype=False)


class _Gets(list):
    peak = staticmethod(lambda: 0)


def _counting_gets(monkeypatch) -> _Gets:
    """Record every GET of the S3 store (by relative key), each of a table slowed down a little
    (as a real bucket's round trip), and the most GETs in flight at once (``peak()``)."""
    seen = _Gets()
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()
    real = objectstore.S3Store.get

    def get(self, rel):
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
            seen.append(rel)
        try:
            if rel.startswith(objectstore.GEN_PREFIX):
                time.sleep(0.02)
            return real(self, rel)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(objectstore.S3Store, "get", get)
    seen.peak = lambda: state["peak"]
    return seen


# ------------------------------------------------------------------ concurrent fetch

def test_parallel_keeps_the_order_and_raises_the_first_failure_in_that_order():
    running, peak, lock = [0], [0], threading.Lock()

    def call(i: int, fail: bool = False):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.01 * (10 - i))
        with lock:
            running[0] -= 1
        if fail:
            raise ValueError(f"fout {i}")
        return i

    assert objectstore.parallel([lambda i=i: call(i) for i in range(10)], workers=4) == list(range(10))
    assert 1 < peak[0] <= 4
    with pytest.raises(ValueError, match="fout 3"):
        objectstore.parallel([lambda i=i: call(i, fail=i in (3, 7)) for i in range(10)], workers=4)


def test_a_cold_attach_fetches_concurrently_with_the_same_figures(bucket_url, tmp_path, monkeypatch):
    monkeypatch.setenv(objectcache.CACHE_DIR_ENV, "uit")
    gets = _counting_gets(monkeypatch)
    _same_as_local(bucket_url, _local(tmp_path))
    tables = [rel for rel in gets if rel.startswith(objectstore.GEN_PREFIX)]
    assert len(tables) >= 10
    assert 1 < gets.peak() <= objectstore.FETCH_WORKERS


def test_a_missing_object_is_named_in_dutch(bucket_url, cache_dir):
    bucket = store.remote(bucket_url)
    rel = bucket.pointer().tables["themalijnen"]
    bucket.delete(rel)
    with pytest.raises(DatasetUnreadable) as error:
        catalog.attach_remote(catalog.duckdb.connect(), bucket)
    folder, name = bucket.object_url(rel).rsplit("/", 1)
    assert f"Het bestand {name} (map {folder})" in str(error.value) and "ontbreekt" in str(error.value)


# ------------------------------------------------------------------ the cache

def _cold_start(url: str, large_bytes: str) -> None:
    """A replica's start in this process: prints the generation objects it GETs and the figures."""
    from monitor.data import catalog as cat, db as database

    cat.IN_MEMORY_BYTES = int(large_bytes)
    seen = []
    real = objectstore.S3Store.get
    objectstore.S3Store.get = lambda self, rel: (seen.append(rel), real(self, rel))[1]
    figures = {name: database.query(name, url).to_json() for name in QUERIES}
    copied = bool(catalog._in_use.get(url.rstrip("/")))
    print(json.dumps({"gets": [r for r in seen if not r.startswith(("current", "locks/"))], "figures": figures,
                      "local_view": copied}))


def _replica(url: str, large_bytes: int = 16 * 1024 * 1024) -> dict:
    code = "import sys; from tests.unit.test_s3_cache import _cold_start; _cold_start(*sys.argv[1:])"
    done = subprocess.run([sys.executable, "-c", code, url, str(large_bytes)], cwd=REPO, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def pointer_rel(url: str, name: str) -> str:
    return store.remote(url).pointer().tables[name]


def test_a_restart_reads_the_tables_from_the_cache(bucket_url, cache_dir):
    first = _replica(bucket_url)
    assert [rel for rel in first["gets"] if rel.startswith(objectstore.GEN_PREFIX)]
    assert any(cache_dir.iterdir())
    again = _replica(bucket_url)
    # Every table and event object from local disk; the raw Veilig Thuis counts (a private
    # table) are never written to the cache: they stay in the bucket and in memory.
    assert again["gets"] == [pointer_rel(bucket_url, name) for name in sorted(PRIVATE_TABLES)]
    assert again["figures"] == first["figures"]


def test_a_new_generation_downloads_only_what_it_changed_and_is_seen(bucket_url, cache_dir, monkeypatch):
    monkeypatch.setattr(objectstore, "POLL_S", 0.0)
    first = _replica(bucket_url)
    before = db.query("themalijnen", bucket_url)
    frame = store.read_frame("themalijnen", bucket_url)
    extra = frame.iloc[[0]].copy()
    extra[frame.columns[0]] = "extra-cache"
    store.write_tables({"themalijnen": store.merge("themalijnen", store.read_table("themalijnen", bucket_url),
                                                  store.to_table("themalijnen", extra))}, bucket_url)
    generation = store.remote(bucket_url).pointer().generation
    again = _replica(bucket_url)
    assert again["gets"] == [f"{generation}/themalijnen.parquet"] + [pointer_rel(bucket_url, name)
                                                                     for name in sorted(PRIVATE_TABLES)]
    assert again["figures"]["themalijnen"] != first["figures"]["themalijnen"]
    after = db.query("themalijnen", bucket_url)      # this process, attached before: sees it too
    assert len(after) == len(before) + 1 and "extra-cache" in set(after[after.columns[0]])


def test_a_truncated_or_half_written_file_is_never_read(bucket_url, cache_dir, tmp_path):
    _replica(bucket_url)
    bucket = store.remote(bucket_url)
    pointer = bucket.pointer()
    cache = objectcache.configured()
    path = cache.path_for(bucket.object_url(pointer.tables["themalijnen"]), pointer.etags["themalijnen"],
                          pointer.sizes["themalijnen"])
    assert path.exists()
    path.write_bytes(path.read_bytes()[:100])          # a disk that lost the tail
    (cache_dir / f"{objectcache.TMP}dead-{path.name}").write_bytes(b"PAR1")  # a writer killed midway
    again = _replica(bucket_url)
    assert again["gets"] == [pointer.tables["themalijnen"]] + [pointer.tables[name] for name in sorted(PRIVATE_TABLES)]
    assert path.stat().st_size == pointer.sizes["themalijnen"]
    _same_as_local(bucket_url, _local(tmp_path))


def test_two_processes_fill_one_cache_at_once(bucket_url, cache_dir, tmp_path):
    """Both replicas miss, download the large table (a view on the local copy) and the small
    ones at the same time into one folder: both give the figures of local disk, no half file."""
    code = "import sys; from tests.unit.test_s3_cache import _cold_start; _cold_start(*sys.argv[1:])"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    procs = [subprocess.Popen([sys.executable, "-c", code, bucket_url, "4096"], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _out, err in outputs]
    results = [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]
    assert results[0]["figures"] == results[1]["figures"]
    assert all(result["local_view"] for result in results)
    assert not [p for p in cache_dir.iterdir() if p.name.startswith(objectcache.TMP)]
    assert results[0]["figures"] == _replica(bucket_url)["figures"]   # the in-memory start: the same


def test_without_the_cache_large_tables_are_scanned_from_the_bucket(bucket_url, tmp_path, monkeypatch):
    monkeypatch.setenv(objectcache.CACHE_DIR_ENV, "uit")
    monkeypatch.setattr(catalog, "IN_MEMORY_BYTES", 4096)
    _same_as_local(bucket_url, _local(tmp_path))
    assert catalog._in_use[bucket_url] == []


def test_eviction_removes_the_least_recently_used_but_never_one_in_use(tmp_path):
    cache = objectcache.ObjectCache(tmp_path, max_bytes=10_000)
    now = time.time()
    paths = []
    for i, age in enumerate((5000, 4000, 3000, 10)):       # seconds since last use
        path = cache.put(f"s3://b/gen-{i}/t.parquet", f'"{i}"', 100, lambda out: out.write(b"x" * 100))
        os.utime(path, (now - age, now - age))
        paths.append(path)
    stale_tmp = tmp_path / f"{objectcache.TMP}abc-x"
    stale_tmp.write_bytes(b"half")
    os.utime(stale_tmp, (now - 7200, now - 7200))
    cache.max_bytes = 250
    removed = cache.evict(now)
    assert removed == [paths[0].name, paths[1].name]       # oldest first, down to 200 bytes
    assert not stale_tmp.exists() and paths[2].exists() and paths[3].exists()
    for path in paths[2:]:
        os.utime(path, (now, now))                          # both in use now
    cache.max_bytes = 0
    assert cache.evict(now) == []                           # over the bound, but nothing to spare
    assert cache.get("s3://b/gen-3/t.parquet", '"3"', 100) == paths[3]
    assert cache.get("s3://b/gen-3/t.parquet", '"3"', 101) is None   # another size: another key


def test_the_cache_setting(monkeypatch, tmp_path):
    monkeypatch.setenv(objectcache.CACHE_DIR_ENV, "uit")
    assert objectcache.configured() is None
    monkeypatch.setenv(objectcache.CACHE_DIR_ENV, str(tmp_path))
    monkeypatch.setenv(objectcache.CACHE_MAX_ENV, "10")
    assert objectcache.configured().root == tmp_path and objectcache.configured().max_bytes == 10 * 1024 * 1024
    monkeypatch.setenv(objectcache.CACHE_MAX_ENV, "veel")
    with pytest.raises(ValueError, match="MONITOR_CACHE_MAX_MB"):
        objectcache.configured()
    monkeypatch.delenv(objectcache.CACHE_DIR_ENV)
    monkeypatch.delenv(objectcache.CACHE_MAX_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert objectcache.configured().root == tmp_path / "xdg" / "twentse-koers-monitor" / "s3"
