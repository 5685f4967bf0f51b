"""What every format module shares: the Batch it returns and the Context it gets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import pandas as pd

# Columns a parser may add to a frame so that validation can name the place in the file.
ROW = "_row"        # line number in the file as a user sees it (header = line 1)
COLUMN = "_column"  # the column header in the file the value came from


@dataclass
class Context:
    path: Path
    dataset_dir: Path
    retrieved: date
    checksum: str
    # Source metadata given on the command line or by the build manifest
    # (publisher, title, table_id, licence, peildatum, url, note, source_id).
    overrides: dict = field(default_factory=dict)


@dataclass
class Batch:
    """The rows one file contributes, per table, and the row for ``sources``."""

    source: dict
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # When true, rows that an earlier import of the same source_id wrote and that this
    # file no longer has are removed (a new edition of a file replaces the old one).
    replace_source_rows: bool = True
    # Tables whose voorbeelddata rows (is_sample = true, any source) this file removes: real
    # figures replace generated ones. Done in the same all-or-nothing write as the import; a
    # sample source that no table refers to any more leaves ``sources`` as well.
    drop_sample_rows: tuple[str, ...] = ()


class Format(Protocol):
    name: str  # Dutch, shown to the user: "CBS Gezondheidsmonitor 2020 (85012NED)"

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def parse(self, path: Path, ctx: Context) -> Batch: ...
