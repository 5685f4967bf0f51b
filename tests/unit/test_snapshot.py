"""One state of the datasets per page run (monitor/data/snapshot.py): the folder's
fingerprint is read once inside ``pinned``, every time outside it, and a write in the same run
is seen by what the run reads after it."""

from __future__ import annotations

import threading
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from monitor.data import catalog, db, events, snapshot
from monitor.data.events import User

EDITOR = User("Anna de Redacteur", "redacteur")


@pytest.fixture
def ds(tmp_path: Path) -> Path:
    """The fixture store in a folder of this test's own (no recorded events)."""
    from tests import fixture_store

    return fixture_store.write(tmp_path / "datasets")


def test_remembered_once_inside_every_time_outside():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert snapshot.remembered("k", compute) == 1 and snapshot.remembered("k", compute) == 2
    with snapshot.pinned():
        assert snapshot.is_pinned()
        assert snapshot.remembered("k", compute) == 3
        assert snapshot.remembered("k", compute) == 3
        with snapshot.pinned():  # nested: the outer block's state
            assert snapshot.remembered("k", compute) == 3
        snapshot.forget()
        assert snapshot.remembered("k", compute) == 4
    assert not snapshot.is_pinned()
    assert snapshot.remembered("k", compute) == 5


def test_a_block_ends_on_an_exception_and_threads_have_their_own():
    with pytest.raises(RuntimeError):
        with snapshot.pinned():
            snapshot.remembered("x", lambda: 1)
            raise RuntimeError("st.rerun() raises through the page run")
    assert not snapshot.is_pinned()
    seen = []
    with snapshot.pinned():
        snapshot.remembered("x", lambda: "hoofdthread")
        thread = threading.Thread(target=lambda: seen.append((snapshot.is_pinned(),
                                                              snapshot.remembered("x", lambda: "eigen"))))
        thread.start()
        thread.join()
    assert seen == [(False, "eigen")]


def test_a_writer_forgets_even_when_it_fails():
    @snapshot.forgets
    def failing_writer():
        raise OSError("schijf vol")

    with snapshot.pinned():
        snapshot.remembered("y", lambda: "oud")
        with pytest.raises(OSError):
            failing_writer()
        assert snapshot.remembered("y", lambda: "nieuw") == "nieuw"


def test_the_fingerprint_is_read_once_per_run(ds, monkeypatch):
    reads = []
    original = catalog._fingerprint
    monkeypatch.setattr(catalog, "_fingerprint", lambda d: reads.append(d) or original(d))
    db.query("data_peildatum", dataset_dir=ds)
    db.query("themalijnen", dataset_dir=ds)
    outside = len(reads)
    assert outside >= 2
    with snapshot.pinned():
        for _ in range(5):
            db.query("data_peildatum", dataset_dir=ds)
            db.query("themalijnen", dataset_dir=ds)
            db.version(ds)
    assert len(reads) == outside + 1


def test_a_change_recorded_in_the_run_is_seen_by_the_rest_of_it(ds):
    before = db.query("project_phase_events", dataset_dir=ds, peildatum=date(2026, 1, 1))
    with snapshot.pinned():
        db.query("project_phase_events", dataset_dir=ds, peildatum=date(2026, 1, 1))
        events.record_phase_change(EDITOR, "kinderarmoede", "Ontwerp", date(2025, 6, 1), "in de run",
                                   dataset_dir=ds, now=datetime(2025, 7, 1, tzinfo=timezone.utc))
        after = db.query("project_phase_events", dataset_dir=ds, peildatum=date(2026, 1, 1))
    assert len(after) == len(before) + 1 and (after["note"] == "in de run").sum() == 1


def test_a_change_by_someone_else_shows_in_the_next_run_not_halfway(ds):
    peildatum = date(2026, 1, 1)
    with snapshot.pinned():
        first = db.query("project_phase_events", dataset_dir=ds, peildatum=peildatum)
        # another session (another thread, its own run) records a change meanwhile
        other = threading.Thread(target=lambda: events.record_phase_change(
            EDITOR, "kinderarmoede", "Ontwerp", date(2025, 6, 1), "elders",
            dataset_dir=ds, now=datetime(2025, 7, 1, tzinfo=timezone.utc)))
        other.start()
        other.join()
        same = db.query("project_phase_events", dataset_dir=ds, peildatum=peildatum)
        assert same is first  # one state for the whole run
    with snapshot.pinned():
        later = db.query("project_phase_events", dataset_dir=ds, peildatum=peildatum)
    assert later is not first
