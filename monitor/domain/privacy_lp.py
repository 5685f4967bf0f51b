"""The joint audit of a Veilig Thuis suppression pattern: one linear programme per component.

The standard audit of a table with hidden cells (as statistical offices run it): an attacker
knows every published value and every relation (``Σ categorie = totaal``, ``Σ gemeenten =
Twente``) and what the labels say (``'klein'``: ``0 ≤ x ≤ min_count − 1``; ``'afgeschermd'``:
``x ≥ min_count``). For each hidden small cell the attacker's best knowledge is the minimum and
the maximum of that cell over every table that fits all of it at once: two linear programmes,

    min / max  x_c   subject to   A[:, hidden] · x = −A[:, published] · v,   bounds of the labels.

Solved with HiGHS (``highspy``; one model per component, re-solved from the last basis for
each objective, which is what keeps the audit cheap). The published values are taken as known
exactly, whatever the rounding (the cautious side: rounding only adds uncertainty), so the
check holds for rounding = 1 as well. A hidden cell's relations only involve hidden cells of its
own *component* (cells linked by shared relations), so each component is its own programme.

A small cell's range must still say no more than ``<min_count``: its top value
``min_count − 1`` possible and at least the upper half of ``[0, min_count − 1]`` (the same rule as
the per-relation check of :mod:`monitor.domain.privacy`). Used by ``privacy._Block.pattern``: while a
component fails, one more cell of the exposed cell's relations is hidden.
"""

from __future__ import annotations

import highspy
import numpy as np

_TOL = 1e-6


class Program:
    """One component's programme in HiGHS: the model is passed once, each objective re-solved
    from the previous basis."""

    def __init__(self, entries: tuple[np.ndarray, np.ndarray, np.ndarray], rhs: np.ndarray, lower: np.ndarray,
                 upper: np.ndarray, column: dict[int, int]):
        self.column = column
        self.size = len(column)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.size, len(rhs)
        lp.col_cost_ = np.zeros(self.size)
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_, lp.row_upper_ = rhs, rhs
        rows, cols, values = entries
        order = np.lexsort((rows, cols))  # column-wise, as HiGHS takes it
        start = np.concatenate([[0], np.cumsum(np.bincount(cols, minlength=self.size))]).astype(np.int32)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = rows[order].astype(np.int32)
        lp.a_matrix_.value_ = values[order].astype(float)
        self.highs.passModel(lp)
        self.indices = np.arange(self.size, dtype=np.int32)

    def solve(self, weights: dict[int, float]) -> tuple[str, float, np.ndarray | None]:
        """("optimal", objective, solution), ("unbounded", …) or ("infeasible", …)."""
        cost = np.zeros(self.size)
        for cell, weight in weights.items():
            cost[self.column[cell]] = weight
        self.highs.changeColsCost(self.size, self.indices, cost)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return "optimal", self.highs.getInfo().objective_function_value, np.array(self.highs.getSolution().col_value)
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return "unbounded", -np.inf, None
        return "infeasible", np.nan, None


def component_program(lines, counts: np.ndarray, hidden: np.ndarray, codes: np.ndarray, members: list[int],
                      min_count: int) -> Program:
    """The equality system and bounds of one component as a HiGHS programme."""
    column = {cell: k for k, cell in enumerate(members)}
    rows, cols, values, rhs = [], [], [], []
    row = 0
    seen: set[int] = set()
    for cell in members:
        for line in lines.lines_of[cell]:
            if line in seen:
                continue
            seen.add(line)
            cells, coefficients, _label = lines.lines[line]
            covered = hidden[cells]
            for j, a in zip(cells[covered].tolist(), coefficients[covered].tolist()):
                rows.append(row)
                cols.append(column[j])
                values.append(a)
            shown = cells[~covered]
            rhs.append(-float(coefficients[~covered] @ counts[shown]))
            row += 1
    entries = (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(values, dtype=float))
    small = np.array([codes[cell] == 1 for cell in members], dtype=bool)
    lower = np.where(small, 0.0, float(min_count))
    upper = np.where(small, float(min_count - 1), highspy.kHighsInf)
    return Program(entries, np.array(rhs, dtype=float), lower, upper, column)


def cell_range(program: Program, cell: int) -> tuple[float, float]:
    """The least and greatest value of ``cell`` the component allows."""
    return _extreme(program, cell, top=False), _extreme(program, cell, top=True)


def wide_enough(low: float, high: float, min_count: int) -> bool:
    return high >= min_count - 1 - _TOL and low <= (min_count - 1) // 2 + _TOL


def _certified(program, targets: list[int], min_count: int, top: bool) -> list[int]:
    """The targets a few joint programmes show to reach their top value (``top``) or the lower
    half of the range: each programme pushes every cell not yet shown at once (the sum of them
    up or down), and every cell that reaches its goal in that solution is shown. The cells left
    over get a programme of their own (:func:`cell_range`)."""
    column = program.column
    left = list(targets)
    goal = (min_count - 1 - _TOL) if top else ((min_count - 1) // 2 + _TOL)
    while left:
        status, _value, x = program.solve({c: (-1.0 if top else 1.0) for c in left})
        if status != "optimal":
            return left
        reached = [c for c in left if (x[column[c]] >= goal if top else x[column[c]] <= goal)]
        if not reached:
            return left
        left = [c for c in left if c not in reached]
    return []


def exposed_cell(lines, counts: np.ndarray, hidden: np.ndarray, codes: np.ndarray, members: list[int],
                 min_count: int) -> int | None:
    """The first small hidden cell (by index) of a component that the joint programme narrows
    too far, or None. Exact: a cell is passed only when a solution of the programme shows it
    can reach its top value and one shows it can lie in the lower half."""
    targets = [c for c in sorted(members) if codes[c] == 1 and not np.isnan(counts[c])]
    if not targets:
        return None
    program = component_program(lines, counts, hidden, codes, members, min_count)
    # The true table is one solution: a small cell whose true count lies in the lower half
    # needs no programme for that side.
    low_side = [c for c in targets if not counts[c] <= (min_count - 1) // 2]
    high_side = [c for c in targets if not counts[c] >= min_count - 1]
    need_high = set(_certified(program, high_side, min_count, True))
    need_low = set(_certified(program, low_side, min_count, False))
    for cell in sorted(need_high | need_low):
        if cell in need_high and _extreme(program, cell, top=True) < min_count - 1 - _TOL:
            return cell
        if cell in need_low and _extreme(program, cell, top=False) > (min_count - 1) // 2 + _TOL:
            return cell
    return None


def _extreme(program, cell: int, top: bool) -> float:
    """The greatest (``top``) or least value of ``cell`` the component allows."""
    status, value, _x = program.solve({cell: -1.0 if top else 1.0})
    if status != "optimal":
        # unbounded; or infeasible, which only counts that break their own relations give
        # (categories that overlap add up to more than the total): nothing learnt either way
        return np.inf if top else -np.inf
    return -value if top else value


__all__ = ["cell_range", "component_program", "exposed_cell", "wide_enough"]
