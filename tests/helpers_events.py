"""Foreign files and bad rows for the recorded-events folder.

Each ``FOREIGN`` / ``BAD_ROWS`` entry puts one thing a sync client, a second tool, a crash or an
attacker could leave into ``datasets/events/<table>/`` next to valid recorded events, and
returns the name by which the reader must report it (``None``: it must count and not be
reported, such as columns in another order).
"""

from __future__ import annotations

import math
import os
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from monitor.data import events
from monitor.data.contract import SCHEMAS
from monitor.data.event_reader import EVENT_NAME

EDITOR = events.User("Anna de Redacteur", "redacteur", "anna@example.nl", "sub-anna-123")
PROJECT = "alcoholontmoediging"   # start phase Definitie (committed data: the page tests)
KPI = "ai-use-cases"              # unit aantal
NOW = datetime(2025, 7, 1, 10, 0, 0, tzinfo=timezone.utc)


def record_valid(ds: Path, project: str = PROJECT, kpi_id: str = KPI) -> dict[str, dict]:
    """One recorded phase change and one KPI realisation: what must keep counting exactly once.
    ``project`` starts in Definitie; ``kpi_id`` counts (unit aantal)."""
    phase = events.record_phase_change(EDITOR, project, "Ontwerp", date(2025, 6, 1), "klaar", dataset_dir=ds,
                                       now=NOW)
    kpi = events.record_kpi_realisation(EDITOR, kpi_id, "2025Q2", 4, None, dataset_dir=ds, now=NOW)
    return {"phase_events": phase, "kpi_realisations": kpi}


def folder(ds: Path, table: str = "phase_events") -> Path:
    return ds / "events" / table


def valid_file(ds: Path, table: str = "phase_events") -> Path:
    """The first event file the writer made (never a foreign file a case added before)."""
    return next(p for p in sorted(folder(ds, table).iterdir())
                if EVENT_NAME.match(p.name) and p.is_file() and not p.is_symlink())


def fresh_name() -> str:
    return events._new_name()


def _row(ds: Path, table: str, **changes) -> dict:
    row = pq.read_table(valid_file(ds, table)).to_pylist()[0]
    name = changes.pop("event_id", None) or fresh_name()
    row.update(event_id=name, **changes)
    return row


def write_rows(ds: Path, table: str, rows: list[dict], name: str | None = None,
               schema: pa.Schema | None = None) -> str:
    """Rows as an event file (by default with the contract's schema) named after the first row."""
    name = name or rows[0]["event_id"]
    data = pa.Table.from_pylist(rows, schema=schema or SCHEMAS[table])
    pq.write_table(data, folder(ds, table) / f"{name}.parquet")
    return f"{name}.parquet"


def write_table(ds: Path, table: str, data: pa.Table, name: str | None = None) -> str:
    name = name or fresh_name()
    pq.write_table(data, folder(ds, table) / f"{name}.parquet")
    return f"{name}.parquet"


# ---------------------------------------------------------------------------- foreign files

def _copy_as(ds: Path, name: str) -> str:
    source = valid_file(ds)
    (folder(ds) / name.format(stem=source.stem)).write_bytes(source.read_bytes())
    return name.format(stem=source.stem)


def _symlink_inside(ds: Path) -> str:
    name = f"{fresh_name()}.parquet"
    os.symlink(valid_file(ds), folder(ds) / name)
    return name


def _symlink_outside(ds: Path) -> str:
    outside = ds.parent / "elders.parquet"
    row = _row(ds, "phase_events", phase="Borging")
    pq.write_table(pa.Table.from_pylist([row], schema=SCHEMAS["phase_events"]), outside)
    name = f"{row['event_id']}.parquet"
    os.symlink(outside, folder(ds) / name)
    return name


def _directory(ds: Path) -> str:
    name = f"{fresh_name()}.parquet"
    (folder(ds) / name).mkdir()
    (folder(ds) / name / "binnen.parquet").write_bytes(valid_file(ds).read_bytes())
    return name


def _appledouble(ds: Path) -> str:
    """What macOS writes beside a file on a foreign disk: ``._<name>``, its resource fork."""
    name = f"._{valid_file(ds).name}"
    (folder(ds) / name).write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 4000)
    return name


def _empty(ds: Path) -> str:
    name = f"{fresh_name()}.parquet"
    (folder(ds) / name).write_bytes(b"")
    return name


def _truncated(ds: Path) -> str:
    name = f"{fresh_name()}.parquet"
    data = valid_file(ds).read_bytes()
    (folder(ds) / name).write_bytes(data[: len(data) // 2])
    return name


def _garbage(ds: Path) -> str:
    name = f"{fresh_name()}.parquet"
    (folder(ds) / name).write_bytes(b"PAR1 dit is geen Parquet-bestand\n" * 30)
    return name


def _reordered(ds: Path) -> None:
    row = _row(ds, "phase_events", phase="Voorbereiding", effective_date=date(2025, 6, 5))
    data = pa.Table.from_pylist([row], schema=SCHEMAS["phase_events"])
    write_table(ds, "phase_events", data.select(list(reversed(data.column_names))), row["event_id"])
    return None


def _missing_required(ds: Path) -> str:
    row = _row(ds, "phase_events")
    data = pa.Table.from_pylist([row], schema=SCHEMAS["phase_events"]).drop_columns(["phase"])
    return write_table(ds, "phase_events", data, row["event_id"])


def _missing_nullable(ds: Path) -> None:
    """An event file written before ``recorded_by_email``/``recorded_by_sub`` existed: counts."""
    row = _row(ds, "phase_events", phase="Voorbereiding", effective_date=date(2025, 6, 5))
    data = pa.Table.from_pylist([row], schema=SCHEMAS["phase_events"])
    write_table(ds, "phase_events", data.drop_columns(["recorded_by_email", "recorded_by_sub"]), row["event_id"])
    return None


def _extra_column(ds: Path) -> str:
    row = _row(ds, "phase_events", phase="Voorbereiding", effective_date=date(2025, 6, 5))
    data = pa.Table.from_pylist([row], schema=SCHEMAS["phase_events"])
    return write_table(ds, "phase_events", data.append_column("geheim", pa.array(["x"])), row["event_id"])


def _wrong_type(ds: Path) -> str:
    row = _row(ds, "phase_events")
    data = pa.Table.from_pylist([row], schema=SCHEMAS["phase_events"])
    data = data.set_column(data.schema.get_field_index("recorded_at"), "recorded_at", pa.array([12345]))
    return write_table(ds, "phase_events", data, row["event_id"])


def _text_date(ds: Path) -> str:
    row = _row(ds, "phase_events")
    data = pa.Table.from_pylist([row], schema=SCHEMAS["phase_events"])
    index = data.schema.get_field_index("effective_date")
    return write_table(ds, "phase_events", data.set_column(index, "effective_date", pa.array(["gisteren"])),
                       row["event_id"])


# name -> what it does to the folder; returns the reported name (None: it counts, unreported)
FOREIGN = {
    "kopie (1)": lambda ds: _copy_as(ds, "{stem} (1).parquet"),
    "kopie 2": lambda ds: _copy_as(ds, "{stem} 2.parquet"),
    "conflict": lambda ds: _copy_as(ds, "{stem}-conflict-20250601-120000.parquet"),
    "syncthing-conflict": lambda ds: _copy_as(ds, "{stem}.sync-conflict-20250601-120000-ABCDEFG.parquet"),
    "dropbox-conflict": lambda ds: _copy_as(ds, "{stem} (Anna's conflicted copy 2025-06-01).parquet"),
    "macos-appledouble": _appledouble,
    "macos-kopie": lambda ds: _copy_as(ds, "._{stem}.parquet"),
    "verborgen": lambda ds: _copy_as(ds, ".{stem}.parquet"),
    "tmp": lambda ds: _copy_as(ds, "{stem}.parquet.tmp"),
    "hoofdletters": lambda ds: _copy_as(ds, "{stem}.PARQUET"),
    "symlink-binnen": _symlink_inside,
    "symlink-buiten": _symlink_outside,
    "map": _directory,
    "leeg": _empty,
    "afgebroken": _truncated,
    "geen-parquet": _garbage,
    "kolommen-andere-volgorde": _reordered,
    "kolom-ontbreekt": _missing_required,
    "oud-bestand-zonder-identiteit": _missing_nullable,
    "extra-kolom": _extra_column,
    "verkeerd-type": _wrong_type,
    "datum-als-tekst": _text_date,
}


# ---------------------------------------------------------------------------- bad rows

def _phase_row(**changes):
    """A phase event after the valid one, so it would be the project's current phase."""
    def make(ds: Path) -> tuple[str, str]:
        row = _row(ds, "phase_events", **{"effective_date": date(2025, 6, 15), **changes})
        return "phase_events", write_rows(ds, "phase_events", [row])
    return make


def _kpi_row(**changes):
    def make(ds: Path) -> tuple[str, str]:
        row = _row(ds, "kpi_realisations", **changes)
        return "kpi_realisations", write_rows(ds, "kpi_realisations", [row])
    return make


def _duplicate_id(ds: Path) -> tuple[str, str]:
    row = _row(ds, "phase_events", phase="Voorbereiding", effective_date=date(2025, 6, 5))
    return "phase_events", write_rows(ds, "phase_events", [row, dict(row)])


def _stem_differs(ds: Path) -> tuple[str, str]:
    """A file under a new name whose row carries the id of the valid event (a copy renamed)."""
    existing = valid_file(ds).stem
    row = _row(ds, "phase_events", event_id=existing)
    return "phase_events", write_rows(ds, "phase_events", [row], name=fresh_name())


def _undo_unknown(ds: Path) -> tuple[str, str]:
    row = _row(ds, "kpi_realisations", undoes="20250101T000000000000-" + "0" * 32, note="weg")
    return "kpi_realisations", write_rows(ds, "kpi_realisations", [row])


BAD_ROWS = {
    "fase-kleine-letters": _phase_row(phase="voorbereiding"),
    "fase-gehackt": _phase_row(phase="Gehackt"),
    "onbekend-project": _phase_row(project_id="bestaat-niet"),
    "leeg-project": _phase_row(project_id=""),
    "onbekende-kpi": _kpi_row(kpi_id="bestaat-niet"),
    "periode-onzin": _kpi_row(period="onzin"),
    "periode-niet-genormaliseerd": _kpi_row(period="2025-q2"),
    "waarde-nan": _kpi_row(value=math.nan),
    "waarde-inf": _kpi_row(value=math.inf),
    "waarde-min-inf": _kpi_row(value=-math.inf),
    "dubbel-event-id": _duplicate_id,
    "naam-niet-event-id": _stem_differs,
    "ongedaan-onbekend": _undo_unknown,
}
