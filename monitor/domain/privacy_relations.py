"""The Veilig Thuis cells and the linear relations among them, for statistical disclosure control.

A *block* is one (period, kind); its cells are region × (the kind's total and each breakdown's
categories). The relations (:func:`relations`, :func:`relation_matrix`): per region and
breakdown the categories add up to the total; per breakdown and category the gemeenten add up
to their parent region. A hidden cell is *determined* when the relations fix it given every
published value (:func:`determined`). Used by :mod:`monitor.domain.privacy_suppression`; pure
(numpy and pandas only).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

KLEIN = "klein"
AFGESCHERMD = "afgeschermd"
TOTAL = "totaal"
BLOCK_KEYS: tuple[str, ...] = ("period", "kind")
CELL_KEYS: tuple[str, ...] = ("region_code", "breakdown", "category")
NULL_TOL = 1e-9


def relations(block: pd.DataFrame, parents: Mapping[str, str | None]) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """The linear relations among the cells of one block, sparse: per relation the positions
    of its cells in ``block`` (ascending), their coefficients (``+1`` for a part, ``−1`` for
    the total) and a label. :func:`relation_matrix` is the same as a dense matrix.

    >>> block = pd.DataFrame({"region_code": ["A", "A", "A", "T", "T", "T"],
    ...                       "breakdown": ["totaal", "categorie", "categorie"] * 2,
    ...                       "category": ["totaal", "x", "y"] * 2})
    >>> [(cells.tolist(), coefficients.tolist(), label) for cells, coefficients, label in relations(block, {"A": "T"})][:2]
    [([0, 1, 2], [-1.0, 1.0, 1.0], 'A: categorie = totaal'), ([3, 4, 5], [-1.0, 1.0, 1.0], 'T: categorie = totaal')]
    """
    codes = block["region_code"].astype(str).tolist()
    breakdowns = block["breakdown"].astype(str).tolist()
    categories = block["category"].astype(str).tolist()
    position: dict[tuple[str, str, str], int] = {}
    for i, key in enumerate(zip(codes, breakdowns, categories)):
        if key in position:
            raise ValueError(f"dubbele cel in één blok: {key}")
        position[key] = i
    out: list[tuple[np.ndarray, np.ndarray, str]] = []

    def add(parts: list[int], total: int, label: str) -> None:
        cells = np.array([*parts, total])
        coefficients = np.array([1.0] * len(parts) + [-1.0])
        order = np.argsort(cells, kind="stable")
        out.append((cells[order], coefficients[order], label))

    regions = sorted(set(codes))
    by_split: dict[tuple[str, str], list[int]] = {}
    by_region: dict[str, list[tuple[str, str, int]]] = {}
    for (region, breakdown, category), i in sorted(position.items()):
        by_split.setdefault((region, breakdown), []).append(i)
        by_region.setdefault(region, []).append((breakdown, category, i))
    # Per region and breakdown: the categories add up to the kind's total.
    for region in regions:
        total = position.get((region, TOTAL, TOTAL))
        if total is None:
            continue
        for breakdown in sorted({b for b, _c, _i in by_region[region] if b != TOTAL}):
            add(by_split[(region, breakdown)], total, f"{region}: {breakdown} = {TOTAL}")
    # Per parent region in the block and (breakdown, category): the children add up to it.
    children: dict[str, list[str]] = {}
    for region in regions:
        parent = parents.get(region)
        if parent is not None and parent != region and parent in by_region:
            children.setdefault(parent, []).append(region)
    for parent in regions:
        below = children.get(parent)
        if not below:
            continue
        for breakdown, category, at_parent in by_region[parent]:
            members = [position[(c, breakdown, category)] for c in below if (c, breakdown, category) in position]
            if not members:
                continue
            add(members, at_parent, f"{parent} = Σ {', '.join(below)}: {breakdown}/{category}")
    return out


def relation_matrix(block: pd.DataFrame, parents: Mapping[str, str | None]) -> tuple[np.ndarray, list[str]]:
    """The linear relations among the cells of one block, as a matrix ``A`` (one row per
    relation, one column per row of ``block``, in ``block``'s order) with ``A · x = 0`` for the
    true counts ``x``; and a label per relation (:func:`relations`, dense).

    ``block`` has the columns ``region_code``, ``breakdown`` and ``category`` (one period and
    kind). ``parents`` maps a region to the region it lies in (``regions.parent_code``).

    >>> block = pd.DataFrame({"region_code": ["A", "A", "A", "B", "B", "B", "T", "T", "T"],
    ...                       "breakdown": ["totaal", "categorie", "categorie"] * 3,
    ...                       "category": ["totaal", "x", "y"] * 3})
    >>> A, labels = relation_matrix(block, {"A": "T", "B": "T"})
    >>> labels
    ['A: categorie = totaal', 'B: categorie = totaal', 'T: categorie = totaal', 'T = Σ A, B: categorie/x', 'T = Σ A, B: categorie/y', 'T = Σ A, B: totaal/totaal']
    >>> A[0].tolist(), A[3].tolist()
    ([-1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, -1.0, 0.0])
    """
    lines = relations(block, parents)
    matrix = np.zeros((len(lines), len(block)))
    for row, (cells, coefficients, _label) in enumerate(lines):
        matrix[row, cells] = coefficients
    return matrix, [label for _cells, _coefficients, label in lines]


def null_space(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the null space of ``matrix``, one vector per row (SVD).

    >>> null_space(np.array([[1.0, 1.0]])).round(3).tolist() in ([[-0.707, 0.707]], [[0.707, -0.707]])
    True
    """
    rows, cols = matrix.shape
    if cols == 0:
        return np.zeros((0, 0))
    if rows == 0:
        return np.eye(cols)
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    return vt[rank(singular, matrix.shape):]


def rank(singular: np.ndarray, shape: tuple[int, int]) -> int:
    if singular.size == 0:
        return 0
    tol = max(max(shape) * np.finfo(float).eps * singular[0], 1e-12)
    return int((singular > tol).sum())


def determined(matrix: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Which hidden cells the relations fix, given every published value (boolean per column).

    A hidden cell is determined when every null-space vector of ``matrix[:, hidden]`` is 0 in
    its position; equivalently, when its unit vector lies in the row space (some combination
    of the relations contains it and no other hidden cell). Computed from the row space (one
    reduced SVD): the null-space component of cell ``j`` is ``1 − ‖V[:rank, j]‖²``.

    >>> A = np.array([[1.0, 1.0, -1.0]])        # x0 + x1 = x2
    >>> determined(A, np.array([True, False, False])).tolist()
    [True, False, False]
    >>> determined(A, np.array([True, True, False])).tolist()
    [False, False, False]
    """
    hidden = np.asarray(hidden, dtype=bool)
    out = np.zeros(hidden.shape, dtype=bool)
    columns = np.flatnonzero(hidden)
    if columns.size == 0 or matrix.shape[0] == 0:
        return out
    sub = matrix[:, columns]
    sub = sub[np.any(sub != 0, axis=1)]
    if sub.shape[0] == 0:
        return out
    _u, singular, vt = np.linalg.svd(sub, full_matrices=False)
    rowspace = vt[:rank(singular, sub.shape)]
    free = 1.0 - np.einsum("ij,ij->j", rowspace, rowspace)
    out[columns] = free < NULL_TOL
    return out


__all__ = ["AFGESCHERMD", "BLOCK_KEYS", "CELL_KEYS", "KLEIN", "NULL_TOL", "TOTAL", "determined", "null_space",
           "rank", "relation_matrix", "relations"]
