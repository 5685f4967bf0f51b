"""Veilig Thuis: the suppression passes the standard audit, all relations at once.

The audit here is independent of the one the suppression runs (``monitor/domain/privacy_lp.py``, HiGHS
through highspy): ``scipy.optimize.linprog`` over every relation of a block and every bound
the labels give, with the published counts known *exactly* (rounding = 1). Before, the
suppression checked each relation on its own, and with rounding off a ``<10`` cell narrowed to
[0, 4] under all relations together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from monitor.domain import privacy_relations
from monitor.domain import privacy_suppression
from monitor.domain.privacy_relations import AFGESCHERMD, KLEIN
from monitor.domain.regions import REGION_ROWS
from tests.helpers import sample_vt_frame

PARENTS = {code: parent for code, _name, _level, parent in REGION_ROWS}
MIN_COUNT = 10


def _audit(cells: pd.DataFrame, pattern: pd.Series, min_count: int = MIN_COUNT) -> list[tuple]:
    """Every small hidden cell whose range under all published relations and bounds at once
    says more than '<min_count': (block, cell, low, high)."""
    found = []
    frame = cells.assign(suppression=pattern.to_numpy())
    for key, block in frame.groupby(["period", "kind"], sort=True):
        block = block.reset_index(drop=True)
        lines = privacy_relations.relations(block, PARENTS)
        hidden = block["suppression"].notna().to_numpy()
        if not hidden.any() or not lines:
            continue
        columns = {cell: k for k, cell in enumerate(np.flatnonzero(hidden).tolist())}
        counts = block["count"].to_numpy(dtype=float, na_value=np.nan)
        rows, rhs = [], []
        for cell_ids, coefficients, _label in lines:
            covered = hidden[cell_ids]
            if not covered.any():
                continue
            row = np.zeros(len(columns))
            for j, a in zip(cell_ids[covered], coefficients[covered]):
                row[columns[int(j)]] = a
            rows.append(row)
            rhs.append(-float(coefficients[~covered] @ counts[cell_ids[~covered]]))
        bounds = [(0, min_count - 1) if block.at[cell, "suppression"] == KLEIN else (min_count, None)
                  for cell in columns]
        a_eq, b_eq = np.array(rows), np.array(rhs)
        for cell, k in columns.items():
            if block.at[cell, "suppression"] != KLEIN or np.isnan(counts[cell]):
                continue
            ends = []
            for sign in (1, -1):
                objective = np.zeros(len(columns))
                objective[k] = sign
                result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
                assert result.status in (0, 3), (key, cell, result.message)
                ends.append(sign * result.fun if result.status == 0 else (np.inf if sign < 0 else -np.inf))
            low, high = ends
            if high < min_count - 1 - 1e-6 or low > (min_count - 1) // 2 + 1e-6:
                found.append((key, block.at[cell, "region_code"], block.at[cell, "category"], low, high))
    return found


@pytest.fixture(scope="module")
def cells() -> pd.DataFrame:
    # Raw counts as a Veilig Thuis organisation would import them (the committed vt_reports are
    # CBS's published figures, already rounded to 5): the protection layer exists for these.
    return sample_vt_frame()[["region_code", "period", "kind", "breakdown", "category", "count"]]


def test_the_suppression_passes_the_joint_audit_with_rounding_off(cells):
    pattern = privacy_suppression.suppression_pattern(cells, PARENTS, MIN_COUNT)
    assert _audit(cells, pattern) == []


def test_the_checks_of_before_fail_the_joint_audit(cells, monkeypatch):
    """The audit has teeth: the per-relation checks alone (the suppression of before) leave
    small cells that all relations together narrow too far."""
    monkeypatch.setattr(privacy_suppression._Block, "jointly_exposed", lambda self, codes: None)
    before = privacy_suppression.suppression_pattern(cells, PARENTS, MIN_COUNT)
    assert _audit(cells, before), "the per-relation pattern passes the joint audit: the test cannot fail"


@pytest.mark.parametrize("min_count", [15])
def test_any_threshold(cells, min_count):
    pattern = privacy_suppression.suppression_pattern(cells, PARENTS, min_count)
    assert _audit(cells, pattern, min_count) == []


def test_a_hand_made_block_that_only_the_joint_programme_catches():
    """Two gemeenten and Twente, two categories: every relation on its own leaves the small
    cell its range, all together do not (found by the audit above on the per-relation pattern)."""
    frame = pd.DataFrame({
        "region_code": ["A"] * 3 + ["B"] * 3 + ["T"] * 3, "period": "2024H1", "kind": "melding",
        "breakdown": ["totaal", "categorie", "categorie"] * 3, "category": ["totaal", "x", "y"] * 3,
        "count": [30, 4, 26, 40, 20, 20, 70, 24, 46]})
    pattern = privacy_suppression.suppression_pattern(frame, {"A": "T", "B": "T"}, MIN_COUNT)
    assert _audit(frame, pattern) == []
    assert (pattern == AFGESCHERMD).sum() >= 2
