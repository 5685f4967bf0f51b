"""Recording changes: validation, permission, undo, append-only files, concurrency, killed writer.

Every test works on the fixture store (tests/fixture_store.py) in a temporary folder.
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
import types
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from monitor.data import catalog, events, store
from monitor.data.contract import SCHEMAS
from monitor.data.events import ChangeRefused, PermissionDenied, User
from tests import fixture_store
from tests.fixture_store import BUILT_PHASE_EVENTS
from tests.helpers import snapshot

NOW = datetime(2025, 7, 1, 10, 0, 0, tzinfo=timezone.utc)
EDITOR = User("Anna de Redacteur", "redacteur", "anna@example.nl")
OTHER_EDITOR = User("Bert Bijwerker", "redacteur")
NAME = re.compile(r"^\d{8}T\d{12}-[0-9a-f]{32}$")

DEFINITIE_PROJECT = "kinderarmoede"     # start phase Definitie (plan), nothing registered
REALISATIE_PROJECT = "valpreventie"      # start phase Realisatie
PCT_KPI = "leefstijl-bereik"             # unit %
COUNT_KPI = "schuldhulp-trajecten"       # unit aantal


@pytest.fixture
def ds(tmp_path: Path) -> Path:
    """The fixture store's tables in a folder of this test's own (no recorded events)."""
    return fixture_store.write(tmp_path / "datasets")


def phase(user=EDITOR, project=DEFINITIE_PROJECT, new="Ontwerp", day=date(2025, 6, 1), note=None,
          ds=None, now=NOW):
    return events.record_phase_change(user, project, new, day, note, dataset_dir=ds, now=now)


def kpi(user=EDITOR, kpi_id=COUNT_KPI, period="2025Q2", value=1, note=None, ds=None, now=NOW):
    return events.record_kpi_realisation(user, kpi_id, period, value, note, dataset_dir=ds, now=now)


def recorded_files(ds: Path, table: str) -> list[Path]:
    return sorted((ds / "events" / table).glob("*.parquet"))


def assert_contract_file(path: Path, table: str) -> pa.Table:
    """One row, the contract's columns and types, stored exactly like the built table."""
    built = path.parents[2] / f"{table}.parquet"  # <folder>/events/<table>/<event>.parquet
    assert pq.read_schema(path).equals(pq.read_schema(built))
    data = pq.read_table(path, schema=SCHEMAS[table])
    assert data.schema == SCHEMAS[table] and data.num_rows == 1
    return data


def view_rows(ds: Path, sql: str) -> list[tuple]:
    cursor = catalog.database(ds).cursor()
    try:
        return cursor.execute(sql).fetchall()
    finally:
        cursor.close()


# ------------------------------------------------------------------------ recording

def test_phase_change_is_one_new_event_file_with_the_contract_schema(ds):
    row = phase(ds=ds, note="Definitie afgerond")
    files = recorded_files(ds, "phase_events")
    assert [f.stem for f in files] == [row["event_id"]]
    assert NAME.match(row["event_id"])
    stored = assert_contract_file(files[0], "phase_events")
    assert stored.to_pylist() == [{**row, "recorded_at": NOW}]
    assert row["recorded_by"] == EDITOR.name
    assert row["recorded_at"] == NOW and row["undoes"] is None
    # Derived state and the query layer both see it at once.
    assert events.current_phase(DEFINITIE_PROJECT, dataset_dir=ds) == "Ontwerp"
    assert events.current_phase(DEFINITIE_PROJECT, on=date(2025, 5, 31), dataset_dir=ds) == "Definitie"
    assert view_rows(ds, f"select phase, recorded_by from phase_events where event_id = '{row['event_id']}'") \
        == [("Ontwerp", EDITOR.name)]
    assert view_rows(ds, "select count(*) from phase_events") == [(BUILT_PHASE_EVENTS + 1,)]


def test_recorded_by_comes_from_the_user_object_not_from_a_parameter(ds):
    for fn in (events.record_phase_change, events.record_kpi_realisation, events.undo_event):
        assert "recorded_by" not in inspect.signature(fn).parameters
    first = phase(ds=ds, user=EDITOR)
    second = phase(ds=ds, user=OTHER_EDITOR, new="Voorbereiding", day=date(2025, 6, 2))
    assert (first["recorded_by"], second["recorded_by"]) == (EDITOR.name, OTHER_EDITOR.name)
    frame = events.load_events("phase_events", ds).set_index("event_id")
    assert frame.loc[second["event_id"], "recorded_by"] == "Bert Bijwerker"


def test_kpi_realisation_is_normalised_and_marked_as_a_registration(ds):
    row = kpi(ds=ds, period="2025KW02", value="3", note="drie pilots")
    assert row["period"] == "2025Q2" and row["value"] == 3.0
    assert row["is_sample"] is False and row["source_id"] == "tk-registratie"
    stored = assert_contract_file(recorded_files(ds, "kpi_realisations")[0], "kpi_realisations")
    assert stored.to_pylist()[0]["recorded_by"] == EDITOR.name
    # The current quarter may be recorded (partly realised); a Dutch decimal comma is read.
    assert kpi(ds=ds, kpi_id=PCT_KPI, period="2025Q3", value="12,5")["value"] == 12.5


def test_registration_source_fits_the_sources_contract():
    table = store.to_table("sources", pd.DataFrame([events.registration_source()]))
    row = table.to_pylist()[0]
    assert row["source_id"] == "tk-registratie" and row["is_sample"] is False
    assert row["publisher"] == "Twentse Koers (programmabureau)" and row["licence"] == "intern"


# ------------------------------------------------------------------------ permission

@pytest.mark.parametrize("user", [
    User("Vera Bezoeker", None), User("Lex Lezer", "lezer"), User("Ria", "Redacteur "), None,
    {"name": "x", "role": "redacteur"}, User("", "redacteur"),
], ids=["geen-rol", "lezer", "rol-met-spatie", "niet-ingelogd", "geen-User", "lege-naam"])
def test_only_a_redacteur_may_write_checked_before_anything_else(ds, user):
    before = snapshot(ds)
    # Unknown project / kpi / event: the permission refusal still comes first.
    with pytest.raises(PermissionDenied, match="redacteur"):
        events.record_phase_change(user, "bestaat-niet", "Fase?", "gisteren", None, dataset_dir=ds)
    with pytest.raises(PermissionDenied):
        events.record_kpi_realisation(user, "bestaat-niet", "ooit", "veel", None, dataset_dir=ds)
    with pytest.raises(PermissionDenied):
        events.undo_event(user, "phase_events", "bestaat-niet", None, dataset_dir=ds)
    assert snapshot(ds) == before


# ------------------------------------------------------------------------ phase validation

@pytest.mark.parametrize("kwargs, field, message", [
    ({"project": "bestaat-niet"}, "project", "Onbekend project 'bestaat-niet'"),
    ({"new": "Uitvoering"}, "fase", "'Uitvoering' is geen fase"),
    ({"new": "ontwerp"}, "fase", "is geen fase"),
    ({"day": date(2025, 7, 2)}, "datum", "ligt in de toekomst"),
    ({"day": "1 juni"}, "datum", "geen geldige datum"),
    ({"day": date(2024, 12, 31)}, "datum", "vóór de vorige wijziging van dit project (01-01-2025"),
    ({"new": "Definitie"}, "fase", "Het project is al in fase Definitie"),
    ({"new": "Initiatie"}, "toelichting", "stap terug (van Definitie naar Initiatie)"),
    ({"new": "Initiatie", "note": "   "}, "toelichting", "vraagt om een toelichting"),
    ({"note": "x" * 2001}, "toelichting", "te lang"),
])
def test_refused_phase_change_names_the_field_and_writes_nothing(ds, kwargs, field, message):
    before = snapshot(ds)
    with pytest.raises(ChangeRefused) as caught:
        phase(ds=ds, **kwargs)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert snapshot(ds) == before
    assert not (ds / "events" / "phase_events").exists() or not recorded_files(ds, "phase_events")


def test_step_back_with_a_note_is_accepted(ds):
    row = phase(ds=ds, project=REALISATIE_PROJECT, new="Ontwerp", note="Pilot opnieuw ontworpen")
    assert row["note"] == "Pilot opnieuw ontworpen"
    assert events.current_phase(REALISATIE_PROJECT, dataset_dir=ds) == "Ontwerp"


def test_effective_date_not_before_the_latest_change_same_day_is_fine(ds):
    phase(ds=ds, new="Ontwerp", day=date(2025, 3, 1))
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match="vóór de vorige wijziging van dit project \\(01-03-2025, fase Ontwerp\\)"):
        phase(ds=ds, new="Voorbereiding", day=date(2025, 2, 28))
    assert snapshot(ds) == before
    phase(ds=ds, new="Voorbereiding", day=date(2025, 3, 1))
    assert events.current_phase(DEFINITIE_PROJECT, dataset_dir=ds) == "Voorbereiding"
    # Other projects are not affected by this project's dates.
    phase(ds=ds, project=REALISATIE_PROJECT, new="Borging", day=date(2025, 2, 1))


def test_today_is_the_date_in_twente_not_in_utc(ds):
    # 23:30 UTC on 1 July is 01:30 on 2 July in Twente: 2 July is today, not the future.
    late = datetime(2025, 7, 1, 23, 30, tzinfo=timezone.utc)
    assert phase(ds=ds, day=date(2025, 7, 2), now=late)["effective_date"] == date(2025, 7, 2)
    with pytest.raises(ChangeRefused, match="toekomst"):
        phase(ds=ds, new="Voorbereiding", day=date(2025, 7, 3), now=late)


# ------------------------------------------------------------------------ KPI validation

@pytest.mark.parametrize("kwargs, field, message", [
    ({"kpi_id": "bestaat-niet"}, "kpi", "Onbekende KPI 'bestaat-niet'"),
    ({"period": "Q3 2025"}, "periode", "onbekende periodecode"),
    ({"period": "2025KW05"}, "periode", "onbekende periodecode"),
    ({"period": "2025Q4"}, "periode", "2025Q4 is nog niet begonnen"),
    ({"period": "2026"}, "periode", "nog niet begonnen"),
    ({"value": "veel"}, "waarde", "'veel' is geen getal"),
    ({"value": None}, "waarde", "geen getal"),
    ({"value": True}, "waarde", "moet een getal zijn"),
    ({"value": float("nan")}, "waarde", "eindig getal"),
    ({"value": float("inf")}, "waarde", "eindig getal"),
    ({"value": -1}, "waarde", "aantal kan niet negatief"),
    ({"value": 2.5}, "waarde", "aantal is een heel getal"),
    ({"kpi_id": PCT_KPI, "value": 100.5}, "waarde", "percentage ligt tussen 0 en 100"),
    ({"kpi_id": PCT_KPI, "value": -0.1}, "waarde", "percentage ligt tussen 0 en 100"),
])
def test_refused_kpi_realisation_names_the_field_and_writes_nothing(ds, kwargs, field, message):
    before = snapshot(ds)
    with pytest.raises(ChangeRefused) as caught:
        kpi(ds=ds, **kwargs)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert snapshot(ds) == before


def test_kpi_bounds_are_inclusive(ds):
    assert kpi(ds=ds, kpi_id=PCT_KPI, period="2025Q1", value=0)["value"] == 0.0
    assert kpi(ds=ds, kpi_id=PCT_KPI, period="2025Q2", value=100)["value"] == 100.0
    assert kpi(ds=ds, period="2025Q1", value=0)["value"] == 0.0


def test_correction_of_a_realisation_is_a_new_event_the_same_value_again_is_refused(ds):
    first = kpi(ds=ds, period="2024", value=4)
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match="Voor 2024 is al 4 vastgelegd") as caught:
        kpi(ds=ds, period="2024", value=4.0)
    assert caught.value.field == "waarde" and snapshot(ds) == before
    second = kpi(ds=ds, period="2024", value=5)
    assert first["event_id"] != second["event_id"]
    assert len(recorded_files(ds, "kpi_realisations")) == 2


# ------------------------------------------------------------------------ undo

def test_undo_is_a_new_event_and_the_derived_state_excludes_both(ds):
    change = phase(ds=ds, new="Ontwerp", note="te vroeg")
    first_file = snapshot(ds / "events")
    undo = events.undo_event(OTHER_EDITOR, "phase_events", change["event_id"], "Verkeerd project",
                             dataset_dir=ds, now=NOW)
    # The undone event's file is untouched; the undo is a new file copying its content.
    assert {k: v for k, v in snapshot(ds / "events").items() if k in first_file} == first_file
    assert len(recorded_files(ds, "phase_events")) == 2
    assert undo["undoes"] == change["event_id"] and undo["recorded_by"] == OTHER_EDITOR.name
    assert (undo["project_id"], undo["phase"], undo["effective_date"]) == \
        (DEFINITIE_PROJECT, "Ontwerp", date(2025, 6, 1))
    frame = events.load_events("phase_events", ds)
    assert len(frame) == BUILT_PHASE_EVENTS + 2
    effective = events.effective_events(frame)
    assert len(effective) == BUILT_PHASE_EVENTS
    assert change["event_id"] not in set(effective["event_id"])
    assert undo["event_id"] not in set(effective["event_id"])
    assert events.current_phase(DEFINITIE_PROJECT, dataset_dir=ds) == "Definitie"
    # The undone change no longer bounds the date, nor blocks the same phase.
    phase(ds=ds, new="Ontwerp", day=date(2025, 5, 1), note="nu wel")
    assert events.current_phase(DEFINITIE_PROJECT, dataset_dir=ds) == "Ontwerp"


def test_undo_refusals_write_nothing(ds):
    change = phase(ds=ds)
    undo = events.undo_event(EDITOR, "phase_events", change["event_id"], "fout", dataset_dir=ds, now=NOW)
    sample_kpi = events.load_events("kpi_realisations", ds).iloc[0]["event_id"]
    before = snapshot(ds)
    cases = [
        ("phase_events", undo["event_id"], "zelf ongedaan"),
        ("phase_events", change["event_id"], "al ongedaan gemaakt"),
        ("phase_events", "bestaat-niet", "Onbekende registratie"),
        ("phase_events", f"{DEFINITIE_PROJECT}-start-2025", "startfase uit het jaarplan kan niet ongedaan"),
        ("kpi_realisations", sample_kpi, "ingebouwde gegevens"),
        ("kpi_realisations", change["event_id"], "Onbekende registratie"),
        ("projects", change["event_id"], "geen tabel met registraties"),
    ]
    for table, event_id, message in cases:
        with pytest.raises(ChangeRefused, match=message):
            events.undo_event(EDITOR, table, event_id, "toelichting", dataset_dir=ds, now=NOW)
    other = phase(ds=ds, new="Ontwerp", day=date(2025, 6, 2))
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match="toelichting") as caught:
        events.undo_event(EDITOR, "phase_events", other["event_id"], "  ", dataset_dir=ds, now=NOW)
    assert caught.value.field == "toelichting"
    assert snapshot(ds) == before


def test_undo_of_a_kpi_realisation_restores_the_previous_value(ds):
    first = kpi(ds=ds, period="2024", value=1)
    second = kpi(ds=ds, period="2024", value=7)
    undo = events.undo_event(EDITOR, "kpi_realisations", second["event_id"], "tikfout", dataset_dir=ds, now=NOW)
    assert (undo["kpi_id"], undo["period"], undo["value"], undo["undoes"]) == (COUNT_KPI, "2024", 7.0,
                                                                             second["event_id"])
    effective = events.effective_events(events.load_events("kpi_realisations", ds))
    mine = effective[(effective["kpi_id"] == COUNT_KPI) & (effective["period"] == "2024")]
    assert mine["event_id"].tolist() == [first["event_id"]]
    assert view_rows(ds, f"select count(*) from kpi_realisations where kpi_id = '{COUNT_KPI}' and period = '2024'") \
        == [(3,)]


# ------------------------------------------------------------------------ concurrency

@pytest.fixture
def spawn(monkeypatch):
    """A spawn context whose children do not re-run the parent's ``__main__``.

    Streamlit's AppTest (run earlier in the same session by page tests) installs its
    script as ``sys.modules["__main__"]``; a spawned child would execute that script again.
    """
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    return multiprocessing.get_context("spawn")


def _collect(results, n: int, procs, timeout: float = 240) -> list:
    """n results from the queue; fails at once when a child died without reporting."""
    out, deadline = [], time.monotonic() + timeout
    while len(out) < n:
        try:
            out.append(results.get(timeout=0.5))
        except Exception:
            dead = [p.exitcode for p in procs if not p.is_alive() and p.exitcode != 0]
            assert not dead, f"a writer process died: exit codes {dead}"
            assert time.monotonic() < deadline, f"only {len(out)} of {n} results in {timeout}s"
    return out

N_PROCESSES = 4
N_THREADS = 8
PER_PROCESS = 25   # 4 × 25 from processes + 100 from threads = 200



def _periods(n: int) -> list[str]:
    return [f"{2005 + i // 12}M{i % 12 + 1:02d}" for i in range(n)]


def _write_kpis(ds: str, jobs: list[tuple[str, int]], start) -> list[str]:
    """Wait for the start signal, then record a realisation per (period, value)."""
    start.wait(60)
    ids = []
    for period, value in jobs:
        ids.append(events.record_kpi_realisation(EDITOR, COUNT_KPI, period, value, f"job {value}",
                                                 dataset_dir=ds, now=NOW)["event_id"])
    return ids


def _process_writer(ds: str, jobs, start, results) -> None:
    try:
        results.put(("ok", _write_kpis(ds, jobs, start)))
    except BaseException as exc:  # report, so the parent fails with the reason
        results.put(("error", repr(exc)))


def test_200_changes_from_8_threads_and_4_processes_all_arrive(ds, spawn):
    periods = _periods(200)
    jobs = [(p, i) for i, p in enumerate(periods)]
    process_jobs = [jobs[k * PER_PROCESS:(k + 1) * PER_PROCESS] for k in range(N_PROCESSES)]
    thread_pool = jobs[N_PROCESSES * PER_PROCESS:]
    thread_jobs = [thread_pool[k::N_THREADS] for k in range(N_THREADS)]
    assert sum(map(len, process_jobs)) + sum(map(len, thread_jobs)) == 200

    ctx = spawn
    start = ctx.Event()
    results = ctx.Queue()
    procs = [ctx.Process(target=_process_writer, args=(str(ds), js, start, results)) for js in process_jobs]
    for proc in procs:
        proc.start()
    thread_ids: list[list[str]] = [[] for _ in range(N_THREADS)]
    errors: list[BaseException] = []

    def run(k):
        try:
            thread_ids[k] = _write_kpis(str(ds), thread_jobs[k], start)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(N_THREADS)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # let the children import; they all block on the start signal
    start.set()
    outcomes = _collect(results, len(procs), procs)
    for thread in threads:
        thread.join(240)
    for proc in procs:
        proc.join(60)
    assert not errors, errors
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert all(proc.exitcode == 0 for proc in procs)

    ids = [i for _, batch in outcomes for i in batch] + [i for batch in thread_ids for i in batch]
    assert len(ids) == len(set(ids)) == 200
    files = recorded_files(ds, "kpi_realisations")
    assert {f.stem for f in files} == set(ids)
    rows = []
    for path in files:  # every file complete and readable, one row, the contract's schema
        table = assert_contract_file(path, "kpi_realisations")
        rows.append(table.to_pylist()[0])
    assert sorted((r["period"], int(r["value"])) for r in rows) == sorted(jobs)
    assert not list((ds / "events" / "kpi_realisations").glob("*.tmp"))
    built = store.read_table("kpi_realisations", ds).num_rows
    assert len(events.load_events("kpi_realisations", ds)) == built + 200
    assert view_rows(ds, "select count(*) from kpi_realisations") == [(built + 200,)]


def _race_process(ds: str, start, results) -> None:
    start.wait(60)
    try:
        events.record_phase_change(EDITOR, DEFINITIE_PROJECT, "Ontwerp", date(2025, 6, 1), None,
                                   dataset_dir=ds, now=NOW)
        results.put("ok")
    except ChangeRefused as exc:
        results.put(f"refused:{exc.field}")
    except BaseException as exc:
        results.put(f"error:{exc!r}")


def test_concurrent_writers_validate_against_each_others_events(ds, spawn):
    """12 writers (8 threads, 4 processes) record the same change at once: exactly one
    succeeds; the others see its event and are refused ("al in fase Ontwerp")."""
    ctx = spawn
    start = ctx.Event()
    results = ctx.Queue()
    procs = [ctx.Process(target=_race_process, args=(str(ds), start, results)) for _ in range(4)]
    for proc in procs:
        proc.start()
    threads = [threading.Thread(target=_race_process, args=(str(ds), start, results)) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    start.set()
    outcomes = sorted(_collect(results, 12, procs, timeout=120))
    for thread in threads:
        thread.join(60)
    for proc in procs:
        proc.join(60)
    assert outcomes == ["ok"] + ["refused:fase"] * 11
    assert len(recorded_files(ds, "phase_events")) == 1


# ------------------------------------------------------------------------ killed writer

def _killed_writer(ds: str, stage: str, ready) -> None:
    """Record a change but stop forever in the middle (the parent kills this process)."""
    if stage == "during-write":
        def partial(handle, table):
            handle.write(b"PAR1" + b"\0" * 100)  # the start of a Parquet file, nothing more
            handle.flush()
            ready.set()
            time.sleep(600)
        events._write_parquet = partial
    else:
        def stuck(tmp, final):
            ready.set()
            time.sleep(600)
        events._publish = stuck
    events.record_phase_change(EDITOR, DEFINITIE_PROJECT, "Ontwerp", date(2025, 6, 1), None,
                               dataset_dir=ds, now=NOW)


@pytest.mark.parametrize("stage", ["during-write", "before-rename"])
def test_writer_killed_in_the_middle_leaves_nothing_a_reader_sees(ds, stage, spawn):
    ctx = spawn
    ready = ctx.Event()
    proc = ctx.Process(target=_killed_writer, args=(str(ds), stage, ready))
    proc.start()
    try:
        deadline = time.monotonic() + 120
        while not ready.wait(0.5):
            assert proc.is_alive(), f"the writer died on its own (exit code {proc.exitcode})"
            assert time.monotonic() < deadline, "the writer never reached the point where it is killed"
        folder = ds / "events" / "phase_events"
        tmp_files = list(folder.glob(".*.parquet.tmp"))
        assert len(tmp_files) == 1 and tmp_files[0].stat().st_size > 0
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
    assert proc.exitcode == -signal.SIGKILL
    # Only a hidden temporary file remains; no *.parquet a reader would pick up.
    assert recorded_files(ds, "phase_events") == []
    assert len(list(folder.glob(".*.parquet.tmp"))) == 1
    if stage == "during-write":
        with pytest.raises(Exception):
            pq.read_table(tmp_files[0])  # it really is partial
    assert len(events.load_events("phase_events", ds)) == BUILT_PHASE_EVENTS
    assert events.current_phase(DEFINITIE_PROJECT, dataset_dir=ds) == "Definitie"
    # The killed writer's lock died with it: the next change goes through, and readers
    # (pandas and the DuckDB views over events/*.parquet) still read fine.
    row = phase(ds=ds, new="Ontwerp", note="na de onderbreking")
    assert len(events.load_events("phase_events", ds)) == BUILT_PHASE_EVENTS + 1
    assert view_rows(ds, "select count(*) from phase_events") == [(BUILT_PHASE_EVENTS + 1,)]
    assert view_rows(ds, f"select phase from phase_events where event_id = '{row['event_id']}'") == [("Ontwerp",)]


def test_event_files_are_never_rewritten(ds):
    built = {name: (ds / f"{name}.parquet").read_bytes() for name in ("phase_events", "kpi_realisations", "sources")}
    phase(ds=ds, new="Ontwerp", day=date(2025, 3, 1))
    kpi(ds=ds, period="2025Q1", value=1)
    earlier = snapshot(ds / "events")
    change = phase(ds=ds, new="Voorbereiding", day=date(2025, 4, 1))
    events.undo_event(EDITOR, "phase_events", change["event_id"], "fout", dataset_dir=ds, now=NOW)
    kpi(ds=ds, period="2025Q1", value=2)
    later = snapshot(ds / "events")
    assert {k: later[k] for k in earlier} == earlier
    assert len(later) == len(earlier) + 3
    # The built tables are untouched by recording.
    assert {name: (ds / f"{name}.parquet").read_bytes() for name in built} == built
