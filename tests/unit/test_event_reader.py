"""The one event reader (monitor.data.event_reader): foreign files and bad rows in
datasets/events are left out and reported by name; the valid events count exactly once; the
DuckDB view and the Python reader see the same rows; reading never writes.

On the fixture store (tests/fixture_store.py): kinderarmoede starts in Definitie and has no
registration, schuldhulp-trajecten counts (unit aantal)."""

from __future__ import annotations

import logging
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from monitor.data import catalog, db, event_reader, events
from monitor.data.contract import EVENT_TABLES
from tests import fixture_store
from tests import helpers_events
from tests.helpers_events import BAD_ROWS, EDITOR, FOREIGN, NOW, folder

PROJECT, KPI = "kinderarmoede", "schuldhulp-trajecten"
assert fixture_store.PROJECTS[PROJECT][2] == "Definitie" and fixture_store.PROJECTS[PROJECT][4] is None


@pytest.fixture
def ds(tmp_path: Path) -> Path:
    return fixture_store.write(tmp_path / "datasets")


def record_valid(ds: Path) -> dict[str, dict]:
    return helpers_events.record_valid(ds, PROJECT, KPI)


def _view_ids(ds: Path, table: str) -> list[str]:
    cursor = catalog.database(ds).cursor()
    try:
        return sorted(row[0] for row in cursor.execute(f"select event_id from {table}").fetchall())
    finally:
        cursor.close()


def assert_consistent(ds: Path, valid: dict[str, dict]) -> None:
    """Each valid recorded event counts exactly once, no id twice, and DuckDB's view has exactly
    the rows the Python reader returns."""
    for table in EVENT_TABLES:
        frame = events.load_events(table, ds)
        ids = list(frame["event_id"])
        assert len(ids) == len(set(ids)), table
        assert ids.count(valid[table]["event_id"]) == 1, table
        assert _view_ids(ds, table) == sorted(ids), table


def _reported(ds: Path) -> set[str]:
    return set(event_reader.skipped_report(ds)["Bestand"])


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_a_foreign_file_is_left_out_and_named(ds, kind):
    valid = record_valid(ds)
    built = len(events.load_events("phase_events", ds))
    catalog.database(ds)  # a process that read the folder before the foreign file appeared
    name = FOREIGN[kind](ds)
    assert_consistent(ds, valid)
    frame = events.load_events("phase_events", ds)
    if name is None:  # columns in another order, an old file without the identity columns
        assert len(frame) == built + 1
        assert _reported(ds) == set()
    else:
        assert name in _reported(ds), event_reader.skipped_report(ds)
        counts = kind == "extra-kolom"  # an extra column is ignored; the event itself counts
        assert len(frame) == built + counts
    # The writer validates against the same rows: the next change goes through.
    events.record_phase_change(EDITOR, PROJECT, "Realisatie", date(2025, 6, 20), None, dataset_dir=ds, now=NOW)
    assert events.current_phase(PROJECT, dataset_dir=ds) == "Realisatie"


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_a_bad_row_is_set_aside_and_named_with_row_and_column(ds, kind):
    valid = record_valid(ds)
    table, name = BAD_ROWS[kind](ds)
    assert_consistent(ds, valid)
    report = event_reader.skipped_report(ds)
    mine = report[report["Bestand"] == name]
    assert len(mine) == 1, report
    assert mine.iloc[0]["Rij"] >= 1 and mine.iloc[0]["Kolom"], report
    assert mine.iloc[0]["Tabel"] == table


def test_the_reasons_are_dutch_and_name_the_value(ds):
    record_valid(ds)
    _table, lower = BAD_ROWS["fase-kleine-letters"](ds)
    _table, nonsense = BAD_ROWS["periode-onzin"](ds)
    report = event_reader.skipped_report(ds).set_index("Bestand")
    assert report.loc[lower, "Kolom"] == "phase"
    assert "'voorbereiding' is geen fase" in report.loc[lower, "Reden"]
    assert report.loc[nonsense, "Kolom"] == "period" and "'onzin'" in report.loc[nonsense, "Reden"]


def test_a_lower_case_phase_is_refused_not_fixed(ds):
    record_valid(ds)
    BAD_ROWS["fase-kleine-letters"](ds)
    frame = events.load_events("phase_events", ds)
    assert set(frame["phase"]) <= {"Initiatie", "Definitie", "Ontwerp", "Voorbereiding", "Realisatie", "Borging"}
    assert events.current_phase(PROJECT, dataset_dir=ds) == "Ontwerp"


def test_everything_at_once(ds):
    valid = record_valid(ds)
    names = {kind: make(ds) for kind, make in FOREIGN.items()}
    names |= {kind: make(ds)[1] for kind, make in BAD_ROWS.items()}
    assert_consistent(ds, valid)
    expected = {name for name in names.values() if name is not None}
    assert _reported(ds) == expected


def test_an_undo_of_a_set_aside_event_does_not_count(ds):
    """An undo naming an event whose file was set aside names no event that counts."""
    valid = record_valid(ds)
    undo = events.undo_event(EDITOR, "phase_events", valid["phase_events"]["event_id"], "fout",
                             dataset_dir=ds, now=NOW)
    target = folder(ds) / f"{valid['phase_events']['event_id']}.parquet"
    target.write_bytes(target.read_bytes()[:40])
    report = event_reader.skipped_report(ds).set_index("Bestand")
    assert {target.name, f"{undo['event_id']}.parquet"} <= set(report.index)
    assert events.current_phase(PROJECT, dataset_dir=ds) == "Definitie"


def test_the_identity_is_in_every_recorded_event(ds):
    valid = record_valid(ds)
    undo = events.undo_event(EDITOR, "kpi_realisations", valid["kpi_realisations"]["event_id"], "fout",
                             dataset_dir=ds, now=NOW)
    for table, row in [("phase_events", valid["phase_events"]), ("kpi_realisations", valid["kpi_realisations"]),
                       ("kpi_realisations", undo)]:
        frame = events.load_events(table, ds).set_index("event_id")
        assert frame.loc[row["event_id"], "recorded_by"] == "Anna de Redacteur"
        assert frame.loc[row["event_id"], "recorded_by_email"] == "anna@example.nl"
        assert frame.loc[row["event_id"], "recorded_by_sub"] == "sub-anna-123"
    history = db.query("project_history", ds, project_id=PROJECT)
    assert "anna@example.nl" in set(history["recorded_by_email"])
    built = events.load_events("phase_events", ds)
    assert built.loc[built["source_id"] != "tk-registratie", "recorded_by_email"].isna().all()


def test_what_is_left_out_is_logged_once_per_state(ds, caplog):
    record_valid(ds)
    FOREIGN["kopie (1)"](ds)
    with caplog.at_level(logging.WARNING, logger="monitor.data.event_reader"):
        for _ in range(3):
            events.load_events("phase_events", ds)
            catalog.database(ds)
        first = [r.getMessage() for r in caplog.records]
        FOREIGN["verborgen"](ds)
        events.load_events("phase_events", ds)
    messages = [r.getMessage() for r in caplog.records]
    assert len(first) == 1 and "(1).parquet" in first[0] and "overgeslagen" in first[0]
    assert len(messages) == 2 and messages[1].count(".parquet") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder regardless")
def test_a_read_only_folder_with_a_leftover_tmp_file_is_read_without_writing(ds):
    valid = record_valid(ds)
    leftover = folder(ds) / f".{events._new_name()}.parquet.tmp"
    leftover.write_bytes(b"PAR1")
    os.chmod(folder(ds), stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert_consistent(ds, valid)
        assert event_reader.skipped_report(ds).empty  # the partial file is expected, not reported
    finally:
        os.chmod(folder(ds), 0o755)
    assert leftover.exists()


def test_reading_never_writes_even_when_a_write_would_fail(ds, monkeypatch):
    """The hidden .tmp of a killed recording stays until the next recording; reading (the
    catalog, the writer's own load) neither removes it nor takes the lock."""
    valid = record_valid(ds)
    leftover = folder(ds) / f".{events._new_name()}.parquet.tmp"
    leftover.write_bytes(b"PAR1")

    def refuse(*_args, **_kwargs):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(os, "unlink", refuse)
    monkeypatch.setattr(Path, "unlink", refuse)
    monkeypatch.setattr(os, "open", lambda path, flags, *a, **k: refuse() if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
                        else _real_open(path, flags, *a, **k))
    assert_consistent(ds, valid)
    assert leftover.exists()


_real_open = os.open


def test_a_recording_tolerates_a_leftover_it_cannot_remove(ds, monkeypatch):
    record_valid(ds)
    leftover = folder(ds) / f".{events._new_name()}.parquet.tmp"
    leftover.write_bytes(b"PAR1")
    real_unlink = Path.unlink

    def refuse_leftover(self, *args, **kwargs):
        if self == leftover:
            raise PermissionError(13, "Permission denied")
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", refuse_leftover)
    events.record_phase_change(EDITOR, PROJECT, "Realisatie", date(2025, 6, 20), None, dataset_dir=ds, now=NOW)
    assert leftover.exists() and events.current_phase(PROJECT, dataset_dir=ds) == "Realisatie"


@pytest.mark.parametrize("name,counts", [
    ("20250601T120000123456-0123456789abcdef0123456789abcdef.parquet", True),
    ("20250601T120000123456-0123456789abcdef0123456789abcdef (1).parquet", False),
    ("20250601T120000123456-0123456789ABCDEF0123456789ABCDEF.parquet", False),
    ("20250601T120000-0123456789abcdef0123456789abcdef.parquet", False),
    ("._20250601T120000123456-0123456789abcdef0123456789abcdef.parquet", False),
    ("x.parquet", False),
])
def test_the_name_rule(name, counts):
    assert (event_reader.classify(name) is None) is counts
