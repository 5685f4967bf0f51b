# Reads the committed datasets/: the S3 store mirrors the real folder: its queries must give the committed figures.
"""The datasets on S3: against a real S3 API, moto's server, started here.

The committed datasets are written to a bucket as one generation; the monitor's queries must
give the same figures as from local disk; a recorded change is seen by another process; two
writers at once (events and imports) lose nothing; a failed import leaves the pointer as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

from monitor.data import catalog, db, events, objectstore, store, upload  # noqa: E402
from monitor.data.contract import TABLES  # noqa: E402
from monitor.data.errors import StorageError  # noqa: E402
from monitor.data.events import User  # noqa: E402
from tests import s3server  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
EDITOR = User("Anna de Redacteur", "redacteur", "anna@example.nl")
QUERIES = ["monitor_summary", "sources_overview", "themalijnen", "indicator_list", "vt_status"]
PROJECT = "alcoholontmoediging"
KPI = "ai-use-cases"


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3server.threaded_server() as url:
        yield url


@pytest.fixture
def bucket_url(s3_endpoint) -> str:
    """A fresh prefix holding the committed datasets as one generation."""
    return s3server.committed_datasets_prefix()


def test_queries_give_the_same_figures_as_local_disk(bucket_url, tmp_path):
    local = tmp_path / "datasets"
    store.write_tables({name: store.read_table(name, REPO / "datasets") for name in TABLES}, local)
    for name in QUERIES:
        pd.testing.assert_frame_equal(db.query(name, bucket_url), db.query(name, local), check_dtype=False)
    assert store.generation_name(bucket_url).startswith("gen-")
    assert store.read_table("projects", bucket_url).equals(store.read_table("projects", local))


def test_pointer_names_one_generation_per_write(bucket_url):
    bucket = store.remote(bucket_url)
    first = bucket.pointer()
    assert set(first.tables) == set(TABLES)
    store.write_tables({"themalijnen": store.read_table("themalijnen", bucket_url)}, bucket_url)
    second = bucket.pointer()
    assert second.generation != first.generation
    assert second.tables["themalijnen"].startswith(second.generation + "/")
    # The tables it left alone are named where they were: no copy.
    assert second.tables["projects"] == first.tables["projects"]


def test_a_failed_import_leaves_the_pointer_unchanged(bucket_url, monkeypatch):
    bucket = store.remote(bucket_url)
    before = bucket.pointer()
    real_put = bucket.put

    def failing_put(rel, body, **kwargs):
        if rel == objectstore.POINTER:
            raise OSError(28, "No space left on device")
        return real_put(rel, body, **kwargs)

    monkeypatch.setattr(bucket, "put", failing_put)
    with pytest.raises(StorageError, match="niets gewijzigd"):
        store.write_tables({"themalijnen": store.read_table("themalijnen", bucket_url)}, bucket_url)
    monkeypatch.undo()
    assert bucket.pointer() == before
    # No orphan of the failed generation is left behind either.
    assert not [rel for rel, _e, _s in bucket.list(objectstore.GEN_PREFIX) if rel.split("/")[0] not in
                {v.split("/")[0] for v in before.tables.values()}]


def test_a_stale_writer_is_refused_by_the_pointer_etag(bucket_url):
    """A writer that lost its lease (paused past its expiry) cannot flip the pointer."""
    bucket = store.remote(bucket_url)
    pointer = bucket.pointer()
    bucket.put(objectstore.POINTER, json.dumps({"generation": pointer.generation, "tables": pointer.tables,
                                                "sizes": pointer.sizes, "other": 1}).encode())
    real_pointer = bucket.pointer
    bucket.pointer = lambda: pointer  # what it read before the other writer's flip
    try:
        with pytest.raises(StorageError, match="andere schrijver"):
            bucket.write_generation({"themalijnen": b"x"}, "de import")
    finally:
        bucket.pointer = real_pointer
    assert bucket.pointer().tables == pointer.tables


def test_event_objects_are_created_never_overwritten(bucket_url):
    bucket = store.remote(bucket_url)
    bucket.put_event("phase_events", "20250101T000000000000-x", b"first")
    with pytest.raises(objectstore.PreconditionFailed):
        bucket.put_event("phase_events", "20250101T000000000000-x", b"second")
    assert bucket.get("events/phase_events/20250101T000000000000-x.parquet")[0] == b"first"


def _record_in_child(url: str, endpoint: str, project: str) -> str:
    env = {**os.environ, objectstore.ENDPOINT_ENV: endpoint, objectstore.DATA_URL_ENV: url}
    code = ("from datetime import date\nfrom monitor.data import events\nfrom monitor.data.events import User\n"
            f"row = events.record_phase_change(User('Bert', 'redacteur'), {project!r}, 'Realisatie', "
            "date(2025, 6, 1), 'via replica B')\nprint(row['event_id'])")
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_change_recorded_by_another_process_is_seen(bucket_url, s3_endpoint, monkeypatch):
    monkeypatch.setattr(objectstore, "POLL_S", 0.0)
    before = db.query("project_phase_events", bucket_url, peildatum=date(2026, 1, 1))
    event_id = _record_in_child(bucket_url, s3_endpoint, PROJECT)
    after = db.query("project_phase_events", bucket_url, peildatum=date(2026, 1, 1))
    assert len(after) == len(before) + 1
    assert event_id in set(events.load_events("phase_events", bucket_url)["event_id"])
    assert events.current_phase(PROJECT, dataset_dir=bucket_url) == "Realisatie"


def test_two_writers_of_events_lose_nothing(bucket_url):
    errors = []

    def writer(period: str) -> None:
        try:
            for month in range(1, 4):
                events.record_kpi_realisation(EDITOR, KPI, f"{period}M0{month}", month + int(period) % 7,
                                              f"schrijver {period}", dataset_dir=bucket_url,
                                              now=datetime(2026, 6, 1, tzinfo=timezone.utc))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(year,)) for year in ("2024", "2025")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    recorded = events.load_events("kpi_realisations", bucket_url)
    mine = recorded[recorded["note"].fillna("").str.startswith("schrijver")]
    assert len(mine) == 6
    assert len(store.remote(bucket_url).event_keys("kpi_realisations")) == 6


def _import_row(url: str, endpoint: str, tag: str) -> None:
    os.environ[objectstore.ENDPOINT_ENV] = endpoint
    with store.folder_lock(url, f"import {tag}"):
        current = store.read_frame("themalijnen", url)
        extra = current.iloc[[0]].copy()
        extra[current.columns[0]] = f"extra-{tag}"
        merged = store.merge("themalijnen", store.read_table("themalijnen", url), store.to_table("themalijnen", extra))
        store.write_tables({"themalijnen": merged}, url)


def test_two_importers_in_two_processes_lose_nothing(bucket_url, s3_endpoint):
    before = len(store.read_frame("themalijnen", bucket_url))
    # Separate interpreters (not multiprocessing's spawn: after an AppTest in the same pytest
    # run, __main__ is the dashboard script, which spawn would run again in each child).
    code = "import sys; from tests.unit.test_s3_store import _import_row; _import_row(*sys.argv[1:])"
    workers = [subprocess.Popen([sys.executable, "-c", code, bucket_url, s3_endpoint, tag], cwd=REPO,
                                env=dict(os.environ, PYTHONPATH=str(REPO))) for tag in ("a", "b", "c")]
    assert [w.wait(120) for w in workers] == [0, 0, 0]
    after = store.read_frame("themalijnen", bucket_url)
    assert len(after) == before + 3
    assert {"extra-a", "extra-b", "extra-c"} <= set(after[after.columns[0]])
    assert not store.remote(bucket_url).list("locks/")


def test_a_held_lease_refuses_a_second_writer_in_dutch(bucket_url):
    with store.folder_lock(bucket_url, "de eerste import"):
        result = []
        thread = threading.Thread(target=lambda: result.append(_try_lock(bucket_url)))
        thread.start()
        thread.join()
    assert "Er loopt al een import" in result[0]


def _try_lock(url: str) -> str:
    try:
        with store.folder_lock(url, "de tweede import", wait_s=0.3):
            return "gekregen"
    except StorageError as exc:
        return str(exc)


def test_an_expired_lease_is_taken_over(bucket_url):
    bucket = store.remote(bucket_url)
    bucket.put("locks/dataset", json.dumps({"holder": "dood", "expires": 0}).encode())
    with store.folder_lock(bucket_url, "de import", wait_s=2):
        assert json.loads(bucket.get("locks/dataset")[0])["holder"] != "dood"
    assert bucket.get("locks/dataset") is None


def test_local_disk_stays_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv(objectstore.DATA_URL_ENV, raising=False)
    monkeypatch.setenv("MONITOR_DATASETS", str(tmp_path))
    assert store.dataset_dir() == tmp_path and store.remote() is None
    monkeypatch.setenv(objectstore.DATA_URL_ENV, "s3://monitor-test/x/")
    assert store.dataset_dir() == "s3://monitor-test/x"
    assert catalog.folder_key(None) == "s3://monitor-test/x"
    monkeypatch.setenv(objectstore.DATA_URL_ENV, "/var/data")
    with pytest.raises(ValueError, match="s3://"):
        store.dataset_dir()
    assert date.today()  # the module's imports stay used


def test_upload_copies_a_local_folder_with_its_events(s3_endpoint, tmp_path):
    local = tmp_path / "datasets"
    store.write_tables({name: store.read_table(name, REPO / "datasets") for name in TABLES}, local)
    row = events.record_phase_change(EDITOR, PROJECT, "Realisatie", date(2025, 6, 1), "lokaal",
                                     dataset_dir=local, now=datetime(2025, 7, 1, tzinfo=timezone.utc))
    url = f"s3://monitor-test/upload-{uuid.uuid4().hex[:8]}"
    assert upload.upload(str(local), url).startswith("gen-")
    assert upload.upload(str(local), url).startswith("gen-")  # again: the events are not doubled
    recorded = events.load_events("phase_events", url)
    assert (recorded["event_id"] == row["event_id"]).sum() == 1
    assert store.read_table("projects", url).equals(store.read_table("projects", local))


def test_an_import_into_the_bucket(bucket_url):
    """``python -m monitor.ingest`` with MONITOR_DATA_URL: a template file imported into the
    bucket as a new generation (no local folder is made or read), seen by the queries."""
    from monitor.ingest import ingest_file

    before = store.generation_name(bucket_url)
    report = ingest_file(REPO / "tests" / "data" / "template" / "goed-sjabloon.csv", bucket_url,
                         retrieved=date(2026, 11, 22))
    assert report.changed and report.source_id == "handmatig-goed-sjabloon"
    assert store.generation_name(bucket_url) != before
    observations = store.read_frame("observations", bucket_url)
    assert (observations["source_id"] == "handmatig-goed-sjabloon").sum() == 5
    assert "handmatig-goed-sjabloon" in set(db.query("sources_overview", bucket_url)["source_id"])
    assert not Path(bucket_url).exists()


def test_foreign_event_objects_are_left_out_and_named(bucket_url, monkeypatch):
    """The one event reader on object storage: the writer's name rule for keys, bad objects and
    bad rows set aside and named, the valid event counted once by DuckDB and Python alike."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from monitor.data import event_reader
    from monitor.data.contract import SCHEMAS

    monkeypatch.setattr(objectstore, "POLL_S", 0.0)
    valid = events.record_phase_change(EDITOR, PROJECT, "Ontwerp", date(2025, 6, 1), None, dataset_dir=bucket_url,
                                       now=datetime(2025, 7, 1, tzinfo=timezone.utc))
    bucket = store.remote(bucket_url)
    prefix = f"{objectstore.EVENTS}/phase_events/"
    body = bucket.get(f"{prefix}{valid['event_id']}.parquet")[0]  # (bytes, ETag)
    bad = {**valid, "event_id": events._new_name(), "phase": "Gehackt"}
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist([bad], schema=SCHEMAS["phase_events"]), sink)
    garbage = events._new_name()
    foreign = {f"{valid['event_id']} (1).parquet": body, f"._{valid['event_id']}.parquet": b"Mac OS X" * 10,
               f"{valid['event_id']}.parquet.tmp": body, f"{garbage}.parquet": b"geen parquet",
               f"{events._new_name()}.parquet/binnen.parquet": body,
               f"{bad['event_id']}.parquet": sink.getvalue().to_pybytes()}
    for name, data in foreign.items():
        bucket.put(prefix + name, data)
    recorded = events.load_events("phase_events", bucket_url)
    assert list(recorded["event_id"]).count(valid["event_id"]) == 1
    assert recorded["event_id"].is_unique and set(recorded["phase"]) <= set(events.PHASES)
    cursor = catalog.database(bucket_url).cursor()
    try:
        view = sorted(row[0] for row in cursor.execute("select event_id from phase_events").fetchall())
    finally:
        cursor.close()
    assert view == sorted(recorded["event_id"])
    assert set(event_reader.skipped_report(bucket_url)["Bestand"]) == set(foreign)
    assert [rel for rel, _e, _s in bucket.event_keys("phase_events")] == [
        prefix + name for name in sorted([f"{valid['event_id']}.parquet", f"{garbage}.parquet",
                                          f"{bad['event_id']}.parquet"])]
