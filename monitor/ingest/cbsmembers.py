"""Members of a CBS dimension summed into categories: the ``category`` role of a declaration in
``sources/cbs/`` (Veilig Thuis tables by member, 84851NED/84849NED; read by
``monitor/ingest/veilig_thuis.py``).

Input: the reader's long form (``cbstable.long_form``) of the kept rows, one row per cell, with
``_region``, ``_period``, ``kind``, ``_category`` (the member's category), ``_member`` (its
label), the line, the column and ``_number`` (NaN: not published). Per region, period and kind:

- a category is the sum of its members; it is missing when any member is not published, or when
  a member the file has elsewhere is absent here (never a smaller sum);
- the ``remainder`` category is the total minus the other categories, only when all of them are
  published and the result is not negative;
- a kind whose breakdown is not in the contract keeps only its total.
Twente is the sum of the 14 gemeenten when the file has no Twente rows (``derive_twente``).
"""

from __future__ import annotations

import pandas as pd

from monitor.data.contract import VT_BREAKDOWNS, VT_KIND_BREAKDOWNS
from monitor.domain.regions import GEMEENTE_CODES, TWENTE
from monitor.ingest.base import COLUMN, ROW
from monitor.ingest.cbsmap import Dimension
from monitor.ingest.csvrows import LINE


def _cells(long: pd.DataFrame) -> tuple[dict, dict[str, set[str]]]:
    """values[(region, period, kind)][category][member] = (count, line, column), and the members
    seen per category in the whole file."""
    values: dict[tuple[str, str, str], dict[str, dict[str, tuple]]] = {}
    members_seen: dict[str, set[str]] = {}
    for region, period, kind, category, member, line, column, number in long[
            ["_region", "_period", "kind", "_category", "_member", LINE, COLUMN, "_number"]].itertuples(index=False):
        count = None if pd.isna(number) else int(number)
        values.setdefault((region, period, kind), {}).setdefault(category, {})[member] = (count, int(line), column)
        members_seen.setdefault(category, set()).add(member)
    return values, members_seen


def summed(long: pd.DataFrame, dimension: Dimension) -> tuple[list[dict], set[str], dict[str, set[str]]]:
    """The vt_reports records (without source columns), the kinds that kept only their total, and
    the members seen per category."""
    values, members_seen = _cells(long)
    records: list[dict] = []
    categories = VT_BREAKDOWNS[dimension.breakdown]
    remainder = dimension.remainder
    skipped_kinds: set[str] = set()
    for (region, period, kind), by_category in sorted(values.items()):
        total_line = min(line for cell in by_category.values() for _c, line, _n in cell.values())
        column = next(n for cell in by_category.values() for _c, _l, n in cell.values())

        def one(category: str) -> tuple[int | None, int]:
            cell = by_category.get(category, {})
            expected = members_seen.get(category, set())
            line = min((entry[1] for entry in cell.values()), default=total_line)
            if not expected or set(cell) != expected or any(entry[0] is None for entry in cell.values()):
                return None, line
            return sum(entry[0] for entry in cell.values()), line

        def add(breakdown: str, category: str, count: int | None, line: int) -> None:
            records.append({"region_code": region, "period": period, "kind": kind, "breakdown": breakdown,
                            "category": category, "count": count, ROW: line, COLUMN: column})

        total, line = one("totaal")
        add("totaal", "totaal", total, line)
        if dimension.breakdown not in VT_KIND_BREAKDOWNS[kind]:
            skipped_kinds.add(kind)
            continue
        known: dict[str, int | None] = {}
        for category in categories:
            if category == remainder:
                continue
            known[category], line = one(category)
            add(dimension.breakdown, category, known[category], line)
        if remainder:
            rest = None
            if total is not None and all(v is not None for v in known.values()):
                rest = total - sum(known.values())
                rest = rest if rest >= 0 else None
            add(dimension.breakdown, remainder, rest, total_line)
    return records, skipped_kinds, members_seen


def derive_twente(frame: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """GG_TWENTE as the sum of the 14 gemeenten, per period, kind and category, for the periods
    with all 14 (missing when one of them is); and whether any was derived."""
    gemeenten = frame[frame["region_code"].isin(GEMEENTE_CODES)]
    if gemeenten.empty:
        return frame, False
    key = ["period", "kind", "breakdown", "category"]
    grouped = gemeenten.groupby(key, sort=True)
    twente = grouped.agg(count=("count", lambda s: None if s.isna().any() else int(s.sum())),
                         n=("region_code", "nunique"), **{ROW: (ROW, "min"), COLUMN: (COLUMN, "first")})
    twente = twente[twente["n"] == len(GEMEENTE_CODES)].drop(columns="n").reset_index()
    if twente.empty:
        return frame, False
    twente["count"] = twente["count"].astype(object).where(twente["count"].notna(), None)
    twente.insert(0, "region_code", TWENTE)
    return pd.concat([frame, twente], ignore_index=True), True


def present_only(frame: pd.DataFrame, kept: pd.DataFrame, dimension: Dimension) -> pd.DataFrame:
    """For a cut-off file: the records of categories the file holds for their region and period
    (the total always; the remainder only when every other category is there). A category the
    file does not reach is not in it: left out, never stored as "not published"."""
    present = set(zip(kept["_region"], kept["_period"], kept["_category"]))
    others = [c for c in VT_BREAKDOWNS[dimension.breakdown] if c != dimension.remainder]
    keep = []
    for region, period, breakdown, category in frame[["region_code", "period", "breakdown", "category"]] \
            .itertuples(index=False):
        if breakdown == "totaal":
            keep.append((region, period, "totaal") in present)
        elif category == dimension.remainder:
            keep.append(all((region, period, c) in present for c in others))
        else:
            keep.append((region, period, category) in present)
    return frame[keep].reset_index(drop=True)


def rates(frame: pd.DataFrame, long: pd.DataFrame, scale: dict[str, float], members_seen: dict[str, set[str]],
          dimension: Dimension) -> pd.Series:
    """The rate per 1.000 inwoners of each record, from the rate columns of the long form (CBS: per
    100 000 inwoners, ``scale`` 0,01). Only for a category of one member: a sum of rates CBS rounded,
    or a remainder of them, is not a rate CBS published."""
    single = {c for c, m in members_seen.items() if len(m) == 1} - {dimension.remainder}
    found: dict[tuple, float] = {}
    for region, period, kind, category, column, number in long[
            ["_region", "_period", "kind", "_category", COLUMN, "_number"]].itertuples(index=False):
        if category in single and not pd.isna(number):
            found[(region, period, kind, category)] = float(number) * scale[column]
    values = [found.get((r, p, k, c)) for r, p, k, c in frame[["region_code", "period", "kind", "category"]]
              .itertuples(index=False)]
    return pd.Series(values, index=frame.index, dtype="float64")
