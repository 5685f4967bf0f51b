"""A full disk (and other write failures): the import or change is refused with a Dutch
message naming what was not saved, the CLI exits non-zero, and the dataset folder is byte
for byte as it was, without temporary files.

The failure is put at the lowest write points the monitor uses: ``pyarrow.parquet.write_table``
(which first writes part of the file, as a disk that fills up halfway does) and ``os.fsync``.
"""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from monitor.data import events, store
from monitor.__main__ import EXIT_DATASETS
from monitor.__main__ import main as cli
from monitor.data.auth import SESSION_KEY, hash_password
from monitor.data.errors import StorageError
from monitor.ingest import ingest_file
from tests.faults.faults import REPO
from tests.helpers import snapshot

SOURCE = REPO / "tests" / "data" / "cbs" / "85012NED_mini.csv"  # writes indicators, observations, sources
EDITOR = events.User("Anna de Redacteur", "redacteur")
FULL = "De schijf is vol:"
NOTHING = "er is niets veranderd"

FAILURES = {
    "vol": (errno.ENOSPC, "De schijf is vol:"),
    "geen-rechten": (errno.EACCES, "Geen schrijfrechten:"),
    "alleen-lezen": (errno.EROFS, "De schijf is alleen-lezen:"),
    "io-fout": (errno.EIO, "Schrijven is mislukt (Input/output error):"),
}


def failing_writes(monkeypatch, code: int = errno.ENOSPC, after: int = 0) -> list:
    """``pq.write_table`` succeeds ``after`` times, then writes a partial file and fails."""
    real = pq.write_table
    calls = []

    def write(table, where, **kwargs):
        calls.append(where)
        if len(calls) <= after:
            return real(table, where, **kwargs)
        partial = b"PAR1" + b"\0" * 64
        if isinstance(where, (str, os.PathLike)):
            Path(where).write_bytes(partial)
        else:
            where.write(partial)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(pq, "write_table", write)
    return calls


def failing_fsync(monkeypatch, after: int, code: int = errno.ENOSPC) -> list:
    """``os.fsync`` of a file (not a folder) succeeds ``after`` times, then fails."""
    real = os.fsync
    calls = []

    def fsync(fd):
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            return real(fd)
        calls.append(fd)
        if len(calls) > after:
            raise OSError(code, os.strerror(code))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


# ------------------------------------------------------------------------------ imports

@pytest.mark.parametrize("after", [0, 2], ids=["eerste-tabel", "laatste-tabel"])
def test_cli_import_on_a_full_disk_is_refused_and_changes_nothing(ds, monkeypatch, capsys, after):
    before = snapshot(ds)
    calls = failing_writes(monkeypatch, after=after)
    code = cli(["ingest", str(SOURCE), "--dataset-dir", str(ds), "--retrieved", "2025-06-01"])
    err = capsys.readouterr().err
    assert len(calls) == after + 1  # the failure really came at that table
    assert code == EXIT_DATASETS != 0
    assert FULL in err and NOTHING in err
    assert "observations.parquet" in err and "sources.parquet" in err and str(ds) in err
    assert "Traceback" not in err
    assert snapshot(ds) == before  # byte for byte, and no temporary file left


@pytest.mark.parametrize("after", [0, 2], ids=["eerste-tabel", "laatste-tabel"])
def test_import_failing_to_flush_is_refused_and_changes_nothing(ds, monkeypatch, after):
    """A disk that fills up at the flush (delayed allocation): the first or the last table's
    fsync, before the new generation is made current."""
    before = snapshot(ds)
    calls = failing_fsync(monkeypatch, after=after)
    with pytest.raises(StorageError, match=f"{FULL}.*{NOTHING}"):
        ingest_file(SOURCE, ds, retrieved=date(2025, 6, 1))
    assert len(calls) == after + 1
    assert snapshot(ds) == before


@pytest.mark.parametrize("failure", list(FAILURES))
def test_other_write_failures_get_their_own_clear_message(ds, monkeypatch, failure):
    code, words = FAILURES[failure]
    before = snapshot(ds)
    failing_writes(monkeypatch, code=code)
    with pytest.raises(StorageError) as caught:
        ingest_file(SOURCE, ds, retrieved=date(2025, 6, 1))
    assert str(caught.value).startswith(words)
    assert "observations.parquet" in str(caught.value) and NOTHING in str(caught.value)
    assert caught.value.errno == code
    assert snapshot(ds) == before


def test_import_into_a_folder_that_cannot_be_opened_is_refused(ds, monkeypatch):
    before = snapshot(ds)
    real_open = os.open

    def deny(path, flags, *args, **kwargs):
        if Path(path) == ds:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(StorageError, match="Geen schrijfrechten"):
        store.write_tables({"regions": store.read_table("regions", ds)}, ds)
    assert snapshot(ds) == before


# ------------------------------------------------------------------------------ recorded changes

def _record(kind: str, ds: Path) -> dict:
    if kind == "fase":
        return events.record_phase_change(EDITOR, "alcoholontmoediging", "Ontwerp", date(2025, 6, 1), "plan",
                                          dataset_dir=ds)
    return events.record_kpi_realisation(EDITOR, "ai-use-cases", "2025Q1", 7, None, dataset_dir=ds)


@pytest.fixture
def recorded_before(ds):
    """A folder in use: one change recorded earlier (the events folder and its lock exist)."""
    events.record_kpi_realisation(EDITOR, "ai-use-cases", "2025Q1", 3, "eerder", dataset_dir=ds)
    return ds


@pytest.mark.parametrize("point", ["schrijven", "flush"])
@pytest.mark.parametrize("kind, what", [("fase", "de faseovergang"), ("kpi", "de KPI-realisatie")])
def test_recorded_change_on_a_full_disk_is_refused_and_changes_nothing(recorded_before, monkeypatch,
                                                                        kind, what, point):
    ds = recorded_before
    before = snapshot(ds)
    if point == "schrijven":
        failing_writes(monkeypatch)
    else:
        failing_fsync(monkeypatch, after=0)
    with pytest.raises(events.ChangeRefused) as caught:
        _record(kind, ds)
    message = str(caught.value)
    assert message.startswith(f"{FULL} {what} is niet opgeslagen")
    assert NOTHING in message and str(ds / "events") in message
    assert isinstance(caught.value, StorageError)
    assert snapshot(ds) == before
    monkeypatch.undo()
    assert _record(kind, ds)["event_id"]  # with space again, the same change goes through


def test_undo_on_a_read_only_disk_names_the_undo(recorded_before, monkeypatch):
    ds = recorded_before
    event_id = events.event_files("kpi_realisations", ds)[0].stem
    before = snapshot(ds)
    failing_writes(monkeypatch, code=errno.EROFS)
    with pytest.raises(events.ChangeNotSaved, match="alleen-lezen: de ongedaanmaking is niet opgeslagen"):
        events.undo_event(EDITOR, "kpi_realisations", event_id, "fout", dataset_dir=ds)
    assert snapshot(ds) == before


def test_change_in_a_folder_without_write_permission(ds, monkeypatch):
    """The very first change: not even the events folder can be made."""
    real_mkdir = Path.mkdir

    def deny(self, *args, **kwargs):
        if self.name == "events" or self.parent.name == "events":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    before = snapshot(ds)
    monkeypatch.setattr(Path, "mkdir", deny)
    with pytest.raises(events.ChangeNotSaved, match="Geen schrijfrechten.*er is niets veranderd"):
        _record("fase", ds)
    assert snapshot(ds) == before and not (ds / "events").exists()


# ------------------------------------------------------------------------------ the page

def test_projecten_form_shows_the_full_disk_message(app_ds, monkeypatch):
    events.record_kpi_realisation(EDITOR, "ai-use-cases", "2025Q1", 3, "eerder", dataset_dir=app_ds)
    before = snapshot(app_ds)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.secrets.update({"users": {"redacteur-test": {"password_hash": hash_password("correct-horse-battery"),
                                                    "role": "redacteur"}}})
    at.session_state[SESSION_KEY] = events.User("redacteur-test", "redacteur")
    at.run()
    at.switch_page("pages/projecten.py")
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key="fw-lijst-project").select("kinderarmoede").run()
    at.selectbox(key="fw-lijst-kinderarmoede-fase").select("Ontwerp")
    at.date_input(key="fw-lijst-kinderarmoede-datum").set_value(date(2025, 3, 1))
    at.text_area(key="fw-lijst-kinderarmoede-toelichting").input("Projectplan vastgesteld")
    failing_writes(monkeypatch)
    next(b for b in at.button if b.label == "Faseovergang vastleggen voor Kinderarmoede").click()
    at.run()
    assert not at.exception, at.exception
    messages = [e.value for e in at.main.error]
    assert any(m.startswith(f"{FULL} de faseovergang is niet opgeslagen") and NOTHING in m for m in messages), messages
    assert not any("Faseovergang vastgelegd" in s.value for s in at.success)
    assert snapshot(app_ds) == before
