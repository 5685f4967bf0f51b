"""``kill -9`` during recorded changes: every change confirmed to the user is there after a
start, and everything reads.

A writer process records phase changes and KPI realisations in a loop and prints
``confirmed <table> <event_id>`` the moment a call returns (when the page would show the
confirmation). It is killed with SIGKILL at a random moment, several rounds in a row on the
same folder; each round is a new start.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

from monitor.data import catalog, db, events
from tests.faults.faults import REPO, assert_folder_reads

WRITER = r"""
import sys
from datetime import date
from monitor.data import events
ds, start = sys.argv[1], int(sys.argv[2])
user = events.User("Anna de Redacteur", "redacteur")
project, kpi = "alcoholontmoediging", "ai-use-cases"
for i in range(start, start + 10_000):
    if i % 2:
        now = events.current_phase(project, dataset_dir=ds)
        new = "Ontwerp" if now != "Ontwerp" else "Definitie"
        row = events.record_phase_change(user, project, new, date(2025, 6, 1), f"ronde {i}", dataset_dir=ds)
        print("confirmed phase_events", row["event_id"], flush=True)
    else:
        row = events.record_kpi_realisation(user, kpi, "2025Q1", i, f"ronde {i}", dataset_dir=ds)
        print("confirmed kpi_realisations", row["event_id"], flush=True)
"""

ROUNDS = 6


def _run_and_kill(ds, start: int, rng: random.Random) -> list[tuple[str, str]]:
    """One writer, killed at a random moment after its first confirmation; what it confirmed."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(ds), str(start)], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    confirmed: list[tuple[str, str]] = []
    first = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            if line.startswith("confirmed "):
                _, table, event_id = line.split()
                confirmed.append((table, event_id))
                first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert first.wait(60), f"the writer confirmed nothing: {proc.stderr.read() if proc.poll() is not None else ''}"
    time.sleep(rng.uniform(0.0, 0.8))
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    reader.join(30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    return confirmed


def _view_ids(ds, table: str) -> set[str]:
    cursor = catalog.database(ds).cursor()
    try:
        return {row[0] for row in cursor.execute(f"select event_id from {table}").fetchall()}
    finally:
        cursor.close()


def test_every_confirmed_change_survives_kill_9(ds):
    rng = random.Random(8)
    confirmed: list[tuple[str, str]] = []
    for round_ in range(ROUNDS):
        confirmed += _run_and_kill(ds, 1 + round_ * 10_000, rng)
    assert len(confirmed) > ROUNDS  # each round confirmed something before it was killed

    db.clear_cache()
    catalog.database(ds)  # the start: leftovers of a killed writer are removed
    assert_folder_reads(ds)
    for table in ("phase_events", "kpi_realisations"):
        mine = {event_id for t, event_id in confirmed if t == table}
        assert mine, table
        assert mine <= set(events.load_events(table, ds)["event_id"]), table
        assert mine <= _view_ids(ds, table), table
    # Recorded and not confirmed (killed after the rename, before the print) may be there
    # as well, complete; nothing else.
    files = {p.stem for t in ("phase_events", "kpi_realisations") for p in events.event_files(t, ds)}
    assert len(files) - len(confirmed) <= ROUNDS
    # The state is consistent: the next change after the kills goes through.
    row = events.record_kpi_realisation(events.User("Bert", "redacteur"), "ai-use-cases", "2025Q1", 1,
                                        "na de kills", dataset_dir=ds)
    assert row["event_id"] in _view_ids(ds, "kpi_realisations")


def test_the_next_recording_removes_the_hidden_file_of_a_killed_writer(ds):
    """Reading never writes (a read-only folder must stay readable): the hidden ``.tmp`` file a
    killed recording left is ignored by readers and removed by the next recording, under the lock."""
    folder = events.events_dir("phase_events", ds)
    folder.mkdir(parents=True)
    leftover = folder / ".20250601T000000000000-dead.parquet.tmp"
    leftover.write_bytes(b"PAR1" + b"\0" * 100)
    catalog.database(ds)
    assert leftover.exists()
    events.record_kpi_realisation(events.User("Bert", "redacteur"), "ai-use-cases", "2025Q1", 2, None,
                                  dataset_dir=ds)
    assert not leftover.exists()
    assert_folder_reads(ds)


def test_a_clean_folder_stays_untouched(ds):
    """The start looks before it locks: no events folder or lock file appears by reading."""
    before = sorted(p.name for p in ds.rglob("*"))
    catalog.database(ds)
    assert sorted(p.name for p in ds.rglob("*")) == before
