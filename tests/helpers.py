"""Small helpers the tests share."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd


def snapshot(directory: Path) -> dict[str, str]:
    """sha256 of every file in the folder (recursively), by relative path: for 'nothing changed'."""
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*")) if path.is_file()
    }


def one(frame: pd.DataFrame, **where) -> pd.Series:
    """The single row matching all column=value conditions (fails if there are 0 or 2+)."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return rows.iloc[0]
