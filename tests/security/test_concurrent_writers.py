"""Two imports at once never lose one; readers see all old or all new tables; a killed build
leaves nothing; recorded changes are ordered by the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pytest

from monitor.data import catalog, events, store
from tests.faults.faults import REPO, copy_datasets

EDITOR = events.User("Anna de Redacteur", "redacteur")


def _template(path: Path, region: str, value: str) -> Path:
    path.write_text("indicator_id;region;period;subgroup;value;ci_low;ci_high;status\n"
                    f"overgewicht;{region};2024;;{value};;;\n", encoding="utf-8")
    return path


def _ingest_process(source: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "monitor", "ingest", str(source), "--dataset-dir", str(folder),
                             "--retrieved", "2025-06-01"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.mark.parametrize("round_", range(3))
def test_two_imports_at_once_both_remain(tmp_path, round_):
    """Before: both exited 0 with "1 rijen geïmporteerd" and in 2 of 3 rounds one's rows were gone,
    while ``sources`` still listed it (so it could not even be imported again)."""
    folder = copy_datasets(tmp_path / "datasets")
    first = _template(tmp_path / "almelo.csv", "Almelo", "51,5")
    second = _template(tmp_path / "borne.csv", "Borne", "48,5")
    procs = [_ingest_process(first, folder), _ingest_process(second, folder)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode in (0, 2, 3), err
    succeeded = [proc.returncode == 0 for proc in procs]
    observations = store.read_frame("observations", folder)
    sources = set(store.read_frame("sources", folder)["source_id"])
    for ok, source, region in zip(succeeded, (first, second), ("GM0141", "GM0147")):
        mine = observations[(observations["indicator_id"] == "overgewicht") & (observations["region_code"] == region)
                            & (observations["period"] == "2024")]
        listed = f"handmatig-{source.stem}" in sources
        if ok:
            assert len(mine) == 1 and listed, f"{source.name}: reported as imported, but lost"
        else:
            assert len(mine) == 0 and not listed  # refused in Dutch, nothing of it written
    assert any(succeeded)


def test_the_second_import_waits_for_the_lock_and_then_reads_the_first_ones_tables(tmp_path):
    folder = copy_datasets(tmp_path / "datasets")
    from monitor.ingest import ingest_file

    first = _template(tmp_path / "almelo.csv", "Almelo", "51,5")
    second = _template(tmp_path / "borne.csv", "Borne", "48,5")
    done = {}
    with store.folder_lock(folder):
        thread = threading.Thread(target=lambda: done.setdefault("r", ingest_file(second, folder)))
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive(), "the second import did not wait for the lock"
        # the first import happens under the lock (re-entrant in this thread)
        ingest_file(first, folder)
    thread.join(60)
    assert done["r"].changed
    sources = set(store.read_frame("sources", folder)["source_id"])
    assert {"handmatig-almelo", "handmatig-borne"} <= sources


def test_a_writer_that_holds_the_lock_too_long_gets_a_dutch_refusal(tmp_path):
    folder = copy_datasets(tmp_path / "datasets")
    before = sorted(p.name for p in folder.iterdir())
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], "
                               "os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX); print('ok', flush=True); "
                               "time.sleep(30)", str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        env = dict(os.environ, MONITOR_LOCK_WAIT_S="1")
        done = subprocess.run([sys.executable, "-m", "monitor", "ingest",
                               str(_template(tmp_path / "almelo.csv", "Almelo", "51,5")), "--dataset-dir",
                               str(folder)], cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode != 0
    assert "Er loopt al een import" in done.stderr and "niets gewijzigd" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == before


def _tables(count: int, regions: pa.Table, population: pa.Table) -> dict:
    return {"regions": regions.slice(0, count), "population": population.slice(0, count)}


def test_readers_see_all_old_or_all_new_tables_during_a_write(tmp_path, monkeypatch):
    """A write's renames are slowed down; every read in between resolves one generation."""
    folder = copy_datasets(tmp_path / "datasets")
    regions, population = store.read_table("regions", folder), store.read_table("population", folder)
    store.write_tables(_tables(5, regions, population), folder)
    real_replace = os.replace

    def slow_replace(src, dst, *args, **kwargs):
        real_replace(src, dst, *args, **kwargs)
        time.sleep(0.02)

    monkeypatch.setattr(os, "replace", slow_replace)
    stop = threading.Event()

    def writer():
        count = 5
        while not stop.is_set():
            count = 5 if count == 15 else 15
            store.write_tables(_tables(count, regions, population), folder)

    thread = threading.Thread(target=writer)
    thread.start()
    seen = set()
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            generation = store.generation_dir(folder)
            pair = (len(store.read_frame("regions", generation)), len(store.read_frame("population", generation)))
            seen.add(pair)
            con = catalog.database(folder)
            cursor = con.cursor()
            try:
                seen.add(cursor.execute("select (select count(*) from regions), "
                                        "(select count(*) from population)").fetchone())
            finally:
                cursor.close()
    finally:
        stop.set()
        thread.join()
    assert seen <= {(5, 5), (15, 15)}, seen
    assert len(seen) == 2


def test_old_top_level_paths_keep_working(tmp_path):
    folder = copy_datasets(tmp_path / "datasets")
    regions = store.read_table("regions", folder)
    store.write_tables({"regions": regions.slice(0, 5)}, folder)
    assert (folder / "current").is_symlink()
    assert (folder / "regions.parquet").is_symlink()
    import pyarrow.parquet as pq

    assert pq.read_table(folder / "regions.parquet").num_rows == 5  # through the pointer
    assert store.read_table("population", folder).num_rows > 0       # linked from before


@pytest.mark.parametrize("kill_at", ["staged", "committed"])
def test_a_killed_build_leaves_no_build_folder(tmp_path, shared_dir, kill_at):
    """Killed in its first write (inside the scratch folder): the scratch stays until the next start."""
    folder = tmp_path / "datasets"
    env = dict(os.environ, MONITOR_KILL_AT=kill_at)
    done = subprocess.run([sys.executable, "-m", "monitor", "build", "--dataset-dir", str(folder), "--shared",
                           str(shared_dir)], cwd=REPO, capture_output=True, env=env, timeout=120)
    assert done.returncode == -signal.SIGKILL
    assert list(folder.glob(".build-*")), "the build was killed before it started"
    store.recover(folder)  # the next start
    assert not list(folder.glob(".build-*"))
    assert not list(tmp_path.glob(".build-*"))  # nor next to the folder, where the old build put it


def test_a_running_build_is_not_removed_by_a_start(tmp_path):
    folder = copy_datasets(tmp_path / "datasets")
    scratch = folder / ".build-bezig"
    scratch.mkdir()
    with store.folder_lock(scratch):
        store.recover(folder)
        assert scratch.exists()
    store.recover(folder)
    assert not scratch.exists()


def test_phase_changes_are_ordered_by_the_lock_not_by_when_they_began(tmp_path):
    """The clock was read before the lock: a change that waited for the lock got an earlier
    ``recorded_at`` than the change that held it, and was ordered before it."""
    folder = copy_datasets(tmp_path / "datasets")
    project = store.read_frame("projects", folder)["project_id"].iloc[0]
    results = {}
    with events.dataset_lock(folder):
        waiting = threading.Thread(target=lambda: results.setdefault("late", events.record_phase_change(
            EDITOR, project, "Borging", date.today(), "later vastgelegd", dataset_dir=folder)))
        waiting.start()
        time.sleep(1.5)
        released = datetime.now(timezone.utc).replace(microsecond=0)
    waiting.join(30)
    late = results["late"]
    assert late["recorded_at"] >= released, "the clock was read before the lock was taken"


def test_superseded_generations_are_kept_for_a_while_then_removed(tmp_path, monkeypatch):
    folder = copy_datasets(tmp_path / "datasets")
    regions = store.read_table("regions", folder)
    store.write_tables({"regions": regions.slice(0, 5)}, folder)
    first = store.generation_name(folder)
    store.write_tables({"regions": regions.slice(0, 6)}, folder)
    second = store.generation_name(folder)
    assert first != second and (folder / first).is_dir()  # a query that began on it can finish
    monkeypatch.setattr(store, "KEEP_SUPERSEDED_S", 0.0)
    store.recover(folder)
    assert not (folder / first).exists() and (folder / second).is_dir()
    assert store.read_table("regions", folder).num_rows == 6
    assert store.read_table("observations", folder).num_rows > 0  # hard links survive the old folder
