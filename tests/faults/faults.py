"""Helpers for the fault tests: damaged Parquet files, dataset copies, subprocess runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from monitor.data.contract import SCHEMAS

REPO = Path(__file__).resolve().parents[2]


def copy_datasets(target: Path) -> Path:
    """The committed datasets (``*.parquet`` only, no recorded events) in ``target``."""
    target.mkdir(parents=True)
    for path in (REPO / "datasets").glob("*.parquet"):
        shutil.copy2(path, target / path.name)
    return target


def truncate(path: Path) -> None:
    """Cut the file in half: what a writer killed halfway would leave without the temp-file rule."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garbage(path: Path) -> None:
    """Replace the file by something that is not Parquet at all."""
    path.write_bytes(b"dit is geen Parquet-bestand\n" * 40)


def break_pages(path: Path, every_column: bool = False) -> None:
    """Overwrite column data inside the file but keep its footer, so the file opens and its
    columns read fine and only a scan of the broken column fails. Without ``every_column``
    the largest column chunk of the first row group is broken, else every chunk."""
    meta = pq.read_metadata(path)
    group = meta.row_group(0)
    chunks = [group.column(i) for i in range(group.num_columns)]
    if not every_column:
        chunks = [max(chunks, key=lambda c: c.total_compressed_size)]
    data = bytearray(path.read_bytes())
    for chunk in chunks:
        start = chunk.dictionary_page_offset or chunk.data_page_offset
        start = min(start, chunk.data_page_offset)
        end = start + chunk.total_compressed_size
        data[start:end] = b"\xab" * (end - start)
    path.write_bytes(bytes(data))
    assert pq.read_metadata(path).num_rows == meta.num_rows  # the footer still reads


DAMAGE = {"afgebroken": truncate, "geen-parquet": garbage, "kapotte-pagina": break_pages}


def bump(path: Path) -> None:
    """Move the mtime on (coarse clocks): the change is seen even at equal size."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def heal(path: Path) -> None:
    """Put the committed version of the file back."""
    shutil.copyfile(REPO / "datasets" / path.name, path)
    bump(path)


def assert_folder_reads(directory: Path) -> None:
    """Every dataset file reads in full with pyarrow, with the contract's columns; no file a
    reader could pick up is partial, and nothing temporary is left."""
    for path in sorted(directory.glob("*.parquet")):
        table = pq.read_table(path, schema=SCHEMAS[path.stem])
        assert table.schema == SCHEMAS[path.stem], path.name
    for path in sorted(directory.rglob("*.parquet")):
        pq.read_table(path)  # event files too
    leftovers = [p.name for p in directory.rglob("*") if p.is_file() and (
        p.name.startswith((".tmp-", ".commit-")) or p.name.endswith(".tmp"))]
    assert not leftovers, f"achtergebleven tijdelijke bestanden: {leftovers}"


def run_monitor(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m monitor ARGS`` in a fresh process, from the repository."""
    return subprocess.run([sys.executable, "-m", "monitor", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})}, timeout=timeout)
