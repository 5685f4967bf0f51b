"""observations.region_kind and vt_reports.region_kind: the kind of region that produced a figure.

An importer that knows which Twente region its source published (the CBS reader: "Twente (CR)"
→ 'corop') sets the column for its GG_TWENTE rows; every row it leaves empty gets the level of
its region from the regions table (GG_TWENTE: 'ggd_regio', a gemeente: 'gemeente').
"""

from __future__ import annotations

import pandas as pd

from monitor.domain import regions as regions_mod

COLUMN = "region_kind"
TABLES: tuple[str, ...] = ("observations", "vt_reports")


def levels(regions: pd.DataFrame) -> dict[str, str]:
    """region_code → level, the monitor's own regions included when the table lacks them."""
    found = {code: level for code, _name, level, _parent in regions_mod.REGION_ROWS}
    found.update(zip(regions["region_code"], regions["level"]))
    return found


def fill(frame: pd.DataFrame, level_of: dict[str, str]) -> pd.DataFrame:
    """``frame`` with region_kind set on every row whose region is known: kept where the importer
    set it, else the region's level."""
    frame = frame.copy()
    given = frame[COLUMN] if COLUMN in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    derived = frame["region_code"].map(level_of)
    frame[COLUMN] = given.where(given.notna(), derived)
    return frame


def set_twente(frame: pd.DataFrame, kind: str | None) -> pd.DataFrame:
    """Mark the GG_TWENTE rows as produced by a Twente region of ``kind`` (None: leave them)."""
    if kind is None or frame.empty:
        return frame
    frame = frame.copy()
    if COLUMN not in frame.columns:
        frame[COLUMN] = None
    frame.loc[frame["region_code"] == regions_mod.TWENTE, COLUMN] = kind
    return frame
