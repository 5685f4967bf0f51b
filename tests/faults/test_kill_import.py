"""``kill -9`` during an import (``python -m monitor ingest``), then a start: every dataset
reads, no partial file is left, and the tables are all old or all new.

The import of ``85012NED_mini.csv`` writes three tables (indicators, observations, sources).
``MONITOR_KILL_AT`` (see ``monitor/data/store.py``) makes the importer kill itself with SIGKILL at
each step of the write: after the new generation is complete but not current (``staged``),
right after the pointer flip (``committed``, the top-level names not yet linked to the new
generation) and after the links (``linked``). A few kills at moments in time add the points in
between.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor.data import catalog, store
from tests.faults.faults import REPO, assert_folder_reads, copy_datasets, run_monitor

SOURCE = REPO / "tests" / "data" / "cbs" / "85012NED_mini.csv"
VT_SOURCE = REPO / "tests" / "data" / "veilig-thuis" / "84851NED_TypedDataSet_twente.csv"
ARGS = ("--retrieved", "2025-06-01")


def _hashes(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.glob("*.parquet"))}


def _ingest(source: Path, directory: Path, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = {"MONITOR_KILL_AT": kill_at} if kill_at else {}
    return run_monitor("ingest", str(source), "--dataset-dir", str(directory), *ARGS, env=env)


@pytest.fixture(scope="module")
def states(tmp_path_factory) -> dict[Path, tuple[dict, dict]]:
    """Per source file: the hashes before and after a complete import."""
    out = {}
    for source in (SOURCE, VT_SOURCE):
        folder = copy_datasets(tmp_path_factory.mktemp("reference") / "datasets")
        old = _hashes(folder)
        done = _ingest(source, folder)
        assert done.returncode == 0, done.stderr
        new = _hashes(folder)
        assert old != new
        out[source] = (old, new)
    return out


def _start(directory: Path) -> None:
    """What a start does with the folder: the first query of a process (the dashboard)."""
    catalog.database(directory)


def _assert_all_old_or_all_new(directory: Path, old: dict, new: dict) -> str:
    now = _hashes(directory)
    assert set(now) == set(old), "a table appeared or disappeared"
    if now == old:
        return "old"
    changed = sorted(name for name in old if old[name] != new[name])
    mixed = {name: ("new" if now[name] == new[name] else "old" if now[name] == old[name] else "other")
             for name in changed}
    assert now == new, f"tables neither all old nor all new: {mixed}"
    return "new"


@pytest.mark.parametrize("kill_at, outcome", [("staged", "old"), ("committed", "new"), ("linked", "new")])
def test_import_killed_at_each_step_is_all_old_or_all_new_after_a_start(tmp_path, states, kill_at, outcome):
    old, new = states[SOURCE]
    folder = copy_datasets(tmp_path / "datasets")
    killed = _ingest(SOURCE, folder, kill_at)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if kill_at == "staged":
        assert any(p.name.startswith(".tmp-gen-") for p in folder.iterdir()), "the kill point was not reached"
        assert store.generation_name(folder) is None  # nothing points to it
    if kill_at == "committed":
        # The pointer names the new generation; the old top-level files are not linked yet.
        assert store.generation_name(folder) is not None
        assert _hashes(folder) == old
    # Whatever a reader resolves through the pointer is all old or all new, even before a start.
    gen = store.generation_dir(folder)
    resolved = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(gen.glob("*.parquet"))}
    assert resolved in (old, new)

    _start(folder)
    assert_folder_reads(folder)
    assert _assert_all_old_or_all_new(folder, old, new) == outcome

    if outcome == "old":  # nothing of it counted: importing again does it all
        again = _ingest(SOURCE, folder)
        assert again.returncode == 0, again.stderr
        assert _hashes(folder) == new


def test_the_cli_itself_recovers_before_it_reads(tmp_path, states):
    """A start can be the next import instead of the dashboard: it completes the killed one
    first and then sees it was already imported (nothing is imported twice or lost)."""
    old, new = states[SOURCE]
    folder = copy_datasets(tmp_path / "datasets")
    assert _ingest(SOURCE, folder, "committed").returncode == -signal.SIGKILL
    again = _ingest(SOURCE, folder)
    assert again.returncode == 0, again.stderr
    assert "Datasetmap hersteld" in again.stderr and "al geïmporteerd" in again.stdout
    assert _hashes(folder) == new
    assert_folder_reads(folder)


def test_veilig_thuis_import_killed_after_the_pointer_flip(tmp_path, states):
    """The VT import removes the voorbeelddata and its source row in the same write."""
    old, new = states[VT_SOURCE]
    folder = copy_datasets(tmp_path / "datasets")
    assert _ingest(VT_SOURCE, folder, "committed").returncode == -signal.SIGKILL
    _start(folder)
    assert_folder_reads(folder)
    assert _assert_all_old_or_all_new(folder, old, new) == "new"


@pytest.mark.parametrize("delay", [1.0, 2.5, 3.5])
def test_import_killed_at_a_moment_in_time(tmp_path, states, delay):
    old, new = states[SOURCE]
    folder = copy_datasets(tmp_path / "datasets")
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "ingest", str(SOURCE), "--dataset-dir", str(folder),
                             *ARGS], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    _start(folder)
    assert_folder_reads(folder)
    _assert_all_old_or_all_new(folder, old, new)


def test_a_clean_folder_is_not_touched_by_a_start(tmp_path):
    folder = copy_datasets(tmp_path / "datasets")
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    folder.chmod(0o555)  # a read-only deployment: the start must not need to write
    try:
        assert store.recover(folder) == []
        _start(folder)
    finally:
        folder.chmod(0o755)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
