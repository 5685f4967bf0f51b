"""Complementary suppression of the Veilig Thuis figures: the pattern of hidden cells.

Primary suppression (``'klein'``) hides a count below ``min_count``; complementary
suppression (``'afgeschermd'``) hides published cells as well where the published figures
and their sums would otherwise give a hidden one away. The settings, the rounding and the
stored pattern are in :mod:`monitor.domain.privacy`; the cells and relations in
:mod:`monitor.domain.privacy_relations`.

How complementary suppression works (:func:`suppression_pattern`). The figures fall apart
into *blocks*, one per (period, kind): no published figure relates two periods (half years
only, never a year total) or two kinds. Within a block the cells are region × (the kind's
total and each breakdown's categories), tied by linear relations (:func:`relation_matrix`):

* per region and breakdown: the categories add up to the total (``Σ categorie = totaal``);
* per breakdown and category (the total included): the gemeenten add up to their parent
  region (``Σ gemeenten = GG_TWENTE``), wherever the parent is in the block.

An attacker knows every published value and every relation, and so can solve
``A[:, hidden] · x_hidden = −A[:, published] · x_published``. A hidden cell is *determined*
when that system fixes it: when every vector of the null space of ``A[:, hidden]`` is 0 in
its position (:func:`determined`, by SVD). As long as some hidden cell is determined, more
published cells are hidden: the cheapest set that makes it undetermined, tried in this
order: one cell on one of its relations; a "rectangle" (another category of its region,
and both categories in a partner region: a sibling gemeente, its parent or a child); for a
total, a category of every breakdown in its own and a partner region. Among sets of the same
size the cells are chosen by preference: non-total categories first, then gemeenten before
their parent region, then a count of at least ``2 · min_count − 1`` (the smallest such), else
the largest. Hiding more never makes an undetermined cell determined, so the loop ends, and
then no total, subtotal, sum over gemeenten, categories or reporters, nor any combination of
them, gives a hidden cell away.

Counts are never negative, and the labels tell something too (``'klein'``: below
``min_count``; ``'afgeschermd'``: at least ``min_count``, since it was not small). With those
bounds one relation can narrow a small cell without fixing it: two small cells in a line whose
hidden part adds up to 0 are both 0; two that add up to 18 are both 9. So, beyond the shared
design, each relation is also checked on its own (interval arithmetic with the true published
values): it must leave a small cell's top value ``min_count − 1`` possible, and at least the
upper half of ``[0, min_count − 1]``; where it does not, one more cell of that relation is
hidden (by the same preference). Why ``2 · min_count − 1``: with a complement that large, a
small cell and its complement add up to at least ``2 · min_count − 1``, so the relation leaves
the small cell its whole range.

Last, the standard audit, all relations at once (:mod:`monitor.domain.privacy_lp`): per component of
hidden cells a linear programme (HiGHS) gives each small cell's minimum and maximum under every
published value, every relation and every bound of the labels together, with the published
values known exactly (as with ``rounding = 1``; rounding only adds uncertainty). The same rule
must hold (top value possible, at least the upper half); where it does not, one more cell of
the exposed cell's relations is hidden (the first, by preference, after which the programme
leaves the cell its range) and the whole search goes on. So the promise holds for any
threshold and rounding in ``sources/veilig-thuis.toml``.

CBS categories can overlap (a melding can concern more than one kind of violence), so the
categories need not add up to the total. Treating them as additive is the cautious side:
more relations mean more suppression, never less.

**Scale** (all 342 gemeenten, 25 GGD regions, 12 provinces and Nederland: ~380 regions and
up to ~4.200 cells per block). The search above is the same at every size; what makes it
fast is how "determined" is computed (:class:`_Block`), exactly, never approximately:

* *Components.* Two hidden cells are linked when they share a relation. After permuting rows
  and columns, ``A[:, hidden]`` is block-diagonal by component, so a cell is determined by the
  whole block exactly when it is determined by its own component's relations. A union-find
  keeps the components as cells are hidden; a component of at most ``_SMALL`` (150) cells is
  solved whole, once, and again only after it changes. Relations are kept sparse.
* *Only what can change is looked at again.* Hiding more never makes a free cell
  determined, so after each step only the cells determined before (in the components that
  changed) and the newly hidden ones are checked again.
* *Neighbourhoods first* (components above ``_SMALL``): a cell is checked on the hidden cells
  within ``r`` links (``r`` = 1, 2, 4, …). If it is free even with every cell further away
  taken as published, it is free in the whole block (the null-space vector that frees it is
  0 outside); if the relations among those cells alone fix it, it is fixed. Otherwise ``r``
  doubles, up to the whole component.

The result is the pattern of the plain search (one SVD of the whole block per step, as
before): the embedded data's pattern is unchanged, cell for cell (pinned in
``tests/unit/test_vt_privacy_scale.py``). Limits: the cost grows with the largest component
of hidden cells (an SVD is cubic in its size). On the benchmark's national store the
largest component has 75 cells and the 60 blocks take about 9 s (the plain search took
from 18 s to several minutes per block); where nearly every cell of a kind is small (a
threshold far above the counts) one component spans most of the block and a block can take
tens of seconds.

Everything is deterministic: ties are broken by the cells' key, never by input order or
chance. Pure (numpy and pandas only).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from monitor.domain import privacy_lp
from monitor.domain.privacy_relations import (AFGESCHERMD, BLOCK_KEYS, CELL_KEYS, KLEIN, TOTAL, determined,
                                              relations)

# Components of hidden cells up to this size are solved whole (one small SVD); larger ones
# cell by cell, on the neighbourhood first (see _Block.is_determined).
_SMALL = 150


class _Block:
    """One (period, kind) block: its cells, relations (sparse) and the state of the search.

    The search is the module's (see "How complementary suppression works"); whether a hidden
    cell is determined is computed per *component* of the hidden cells (two are linked when
    they share a relation; ``A[:, hidden]`` is block-diagonal by component, so this is exact),
    kept in a union-find as cells are hidden (components only ever merge), and for large
    components on a cell's neighbourhood first (:meth:`is_determined`). ``fixed`` holds the
    determined cells; :meth:`refresh` updates it after each step."""

    def __init__(self, block: pd.DataFrame, parents: Mapping[str, str | None], min_count: int,
                 check_bounds: bool = True) -> None:
        self.counts = block["count"].to_numpy(dtype="float64", na_value=np.nan)
        self.regions = block["region_code"].astype(str).tolist()
        self.breakdowns = block["breakdown"].astype(str).tolist()
        self.categories = block["category"].astype(str).tolist()
        self.position = {key: i for i, key in enumerate(zip(self.regions, self.breakdowns, self.categories))}
        n = len(self.counts)
        self.lines = relations(block, parents)
        self.lines_of: list[list[int]] = [[] for _ in range(n)]
        for line, (cells, _coefficients, _label) in enumerate(self.lines):
            for i in cells.tolist():
                self.lines_of[i].append(line)
        # The relations once more as coordinate arrays (relation, cell, coefficient) for the
        # bounds check of every relation at once.
        self.line_of_entry = np.concatenate([np.full(len(c), k) for k, (c, _a, _l) in enumerate(self.lines)]
                                            or [np.zeros(0, dtype=int)]).astype(int)
        self.cell_of_entry = np.concatenate([c for c, _a, _l in self.lines] or [np.zeros(0, dtype=int)]).astype(int)
        self.coefficient = np.concatenate([a for _c, a, _l in self.lines] or [np.zeros(0)])
        present = set(self.regions)
        self.parent = {r: parents.get(r) for r in present if parents.get(r) in present and parents.get(r) != r}
        self.children: dict[str, list[str]] = {r: [] for r in present}
        for child, parent in sorted(self.parent.items()):
            self.children[parent].append(child)
        self.cells_of: dict[str, list[tuple[str, str, int]]] = {}
        for (region, breakdown, category), i in self.position.items():
            self.cells_of.setdefault(region, []).append((breakdown, category, i))
        self.is_parent = np.array([bool(self.children[r]) for r in self.regions], dtype=bool)
        self.is_total = np.array([c == TOTAL for c in self.categories], dtype=bool)
        self.min_count = min_count
        self.strong = 2 * min_count - 1
        self.check_bounds = check_bounds
        self.primary = np.isnan(self.counts) | (self.counts < min_count)
        self.on_relation = np.array([bool(lines) for lines in self.lines_of], dtype=bool)
        # The components of the hidden cells (union-find) and what is known of each.
        self.hidden = np.zeros(n, dtype=bool)
        self.root = np.arange(n)
        self.members: dict[int, list[int]] = {}
        self.solved: dict[int, set[int]] = {}  # component root → its determined cells, while unchanged
        self.fixed: set[int] = set()           # the determined hidden cells
        self.jointly_sound: set[tuple[int, ...]] = set()  # components the joint programme passed

    # --- components -----------------------------------------------------------------------

    def find(self, i: int) -> int:
        root = i
        while self.root[root] != root:
            root = int(self.root[root])
        while self.root[i] != root:
            self.root[i], i = root, int(self.root[i])
        return root

    def hide(self, i: int) -> None:
        """Hide cell ``i`` and merge the components it links."""
        self.hidden[i] = True
        self.members[i] = [i]
        for line in self.lines_of[i]:
            for j in self.lines[line][0].tolist():
                if j != i and self.hidden[j]:
                    self.union(i, j)

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.root[b] = a
        self.members[a].extend(self.members.pop(b))
        self.solved.pop(a, None)
        self.solved.pop(b, None)

    def linked(self, i: int, extra: frozenset[int]) -> list[int]:
        """The hidden cells (and cells of ``extra``) that share a relation with cell ``i``."""
        return [j for line in self.lines_of[i] for j in self.lines[line][0].tolist()
                if j != i and (self.hidden[j] or j in extra)]

    def solve(self, cells: list[int], closed: frozenset[int] | None = None) -> np.ndarray:
        """:func:`determined` for ``cells`` on the relations touching them, every other cell
        taken as published. With ``closed`` (the cells hidden besides ``self.hidden``): only
        the relations whose hidden cells all lie in ``cells``."""
        column = {cell: k for k, cell in enumerate(cells)}
        rows = []
        for line in sorted({line for i in cells for line in self.lines_of[i]}):
            members, coefficients, _label = self.lines[line]
            if closed is not None and any(j not in column and (self.hidden[j] or j in closed)
                                          for j in members.tolist()):
                continue
            row = np.zeros(len(cells))
            for cell, a in zip(members.tolist(), coefficients.tolist()):
                k = column.get(cell)
                if k is not None:
                    row[k] = a
            rows.append(row)
        if not rows:
            return np.zeros(len(cells), dtype=bool)
        return determined(np.vstack(rows), np.ones(len(cells), dtype=bool))

    def is_determined(self, target: int, extra: frozenset[int] = frozenset()) -> bool:
        """Whether the relations and the published cells fix hidden cell ``target``, with the
        cells ``extra`` hidden as well. Exact, and local where it can be:

        * a component of at most ``_SMALL`` cells: :func:`determined` on the component (kept
          until the component changes);
        * otherwise on the hidden cells within ``r`` links of ``target`` (``r`` = 1, 2, 4, …):
          if ``target`` is free even with every cell further away taken as published, a
          null-space vector exists that is 0 outside, so it is free in the whole block; if the
          relations among those cells alone fix it, it is fixed in the whole block. Else ``r``
          doubles, up to the whole component."""
        root = self.find(target)
        size = len(self.members[root])
        if not extra:
            if root in self.solved:
                return target in self.solved[root]
            if size <= _SMALL:
                cells = sorted(self.members[root])
                fixed = self.solve(cells)
                self.solved[root] = {cells[k] for k in np.flatnonzero(fixed).tolist()}
                return target in self.solved[root]
        else:
            # What the component would be with ``extra`` hidden is at most this large.
            roots = {root} | {self.find(j) for i in extra for j in self.linked(i, frozenset())}
            size = len(extra) + sum(len(self.members[r]) for r in roots)
        radius = len(self.hidden) if size <= _SMALL else 1
        layers, seen, frontier, reach = [target], {target}, [target], 0
        while True:
            while reach < radius and frontier:
                step = []
                for i in frontier:
                    for j in self.linked(i, extra):
                        if j not in seen:
                            seen.add(j)
                            step.append(j)
                layers.extend(step)
                frontier, reach = step, reach + 1
            cells = sorted(layers)
            position = cells.index(target)
            if not frontier:  # the whole component
                fixed = self.solve(cells)
                if not extra:
                    self.solved[root] = {cells[k] for k in np.flatnonzero(fixed).tolist()}
                return bool(fixed[position])
            if not self.solve(cells)[position]:
                return False
            if self.solve(cells, closed=extra)[position]:
                return True
            radius *= 2

    def refresh(self, changed: list[int]) -> None:
        """After hiding ``changed``: which cells are determined now. Hiding more never fixes a
        cell that was free, so only the cells determined before (in the components that
        changed) and the newly hidden ones are looked at again."""
        roots = {self.find(i) for i in changed}
        again = {i for i in self.fixed if self.find(i) in roots} | set(changed)
        self.fixed -= again
        self.fixed |= {i for i in again if self.is_determined(i)}

    # --- the search -----------------------------------------------------------------------

    def preference(self, i: int) -> tuple:
        """Smaller is better: non-total categories, gemeenten before their parent region,
        counts of at least 2·min_count − 1 (the smallest such), else the largest."""
        value = self.counts[i]
        strong = bool(value >= self.strong)
        return (bool(self.is_total[i]), bool(self.is_parent[i]), not strong, value if strong else -value, i)

    def partners(self, region: str) -> list[str]:
        """Regions that share a relation with ``region``: its parent, siblings and children."""
        out = list(self.children.get(region, []))
        parent = self.parent.get(region)
        if parent is not None:
            out.append(parent)
            out.extend(s for s in self.children.get(parent, []) if s != region)
        return sorted(set(out))

    def moves(self, target: int) -> list[tuple[tuple, list[int]]]:
        """Sets of published cells that could make ``target`` undetermined, cheapest first:
        one cell on its relations; a rectangle (another category × another region); for a
        total, a category in each breakdown, in its own and in a partner region."""
        hidden = self.hidden
        candidates: list[set[int]] = []
        on_lines = sorted({i for line in self.lines_of[target] for i in self.lines[line][0].tolist()})
        for i in on_lines:
            candidates.append({i})
        region, breakdown, category = self.regions[target], self.breakdowns[target], self.categories[target]
        at = self.position.get
        own = self.cells_of[region]
        if breakdown != TOTAL:
            others = [c for (b, c, _i) in own if b == breakdown and c != category]
            for other in others:
                for partner in self.partners(region):
                    cells = [at((region, breakdown, other)), at((partner, breakdown, category)),
                             at((partner, breakdown, other))]
                    if None not in cells:
                        candidates.append(set(cells))
        else:
            splits = sorted({b for (b, _c, _i) in own if b != TOTAL})
            for partner in [None, *self.partners(region)]:
                cells: set[int] = set()
                if partner is not None:
                    if at((partner, TOTAL, TOTAL)) is None:
                        continue
                    cells.add(at((partner, TOTAL, TOTAL)))
                complete = True
                for split in splits:
                    pairs = []
                    for b, c, i in own:
                        if b != split:
                            continue
                        pair = [i] if partner is None else [i, at((partner, b, c))]
                        if None in pair:
                            continue
                        new = [j for j in pair if not hidden[j]]
                        pairs.append(((len(new), sorted((self.preference(j) for j in new), reverse=True)), pair))
                    if not pairs:
                        complete = False
                        break
                    cells.update(min(pairs)[1])
                if complete and cells:
                    candidates.append(cells)
        out = []
        seen = set()
        for cells in candidates:
            new = sorted(i for i in cells if not hidden[i] and i != target)
            if not new or tuple(new) in seen:
                continue
            if any(self.primary[i] for i in new):
                continue  # primary cells are hidden from the start
            seen.add(tuple(new))
            out.append(((len(new), sorted((self.preference(i) for i in new), reverse=True)), new))
        out.sort(key=lambda move: move[0])
        return out

    def bounds(self, line: int, hidden: np.ndarray, codes: np.ndarray, cell: int) -> tuple[float, float]:
        """What one relation tells an attacker about a hidden cell: its lower and upper bound.

        The attacker knows every published value (exactly, to be safe) and what the labels
        say: a ``'klein'`` cell lies in ``[0, min_count − 1]``, an ``'afgeschermd'`` one in
        ``[min_count, ∞)``."""
        cells, coefficients, _label = self.lines[line]
        covered = hidden[cells]
        members = cells[covered].tolist()
        shown = cells[~covered]
        known = -float(coefficients[~covered] @ self.counts[shown])
        a_of = dict(zip(cells.tolist(), coefficients.tolist()))
        low = {j: (float(self.min_count) if codes[j] == 2 else 0.0) for j in members}
        high = {j: (np.inf if codes[j] == 2 else float(self.min_count - 1)) for j in members}
        rest_min = rest_max = 0.0
        for j in members:
            if j == cell:
                continue
            a = a_of[j]
            rest_min += a * low[j] if a > 0 else a * high[j]
            rest_max += a * high[j] if a > 0 else a * low[j]
        a = a_of[cell]
        ends = ((known - rest_max) / a, (known - rest_min) / a)
        return (min(ends), max(ends))

    def wide_enough(self, low: float, high: float) -> bool:
        """A small cell's range after one relation still says no more than ``<min_count``:
        the top of ``[0, min_count − 1]`` stays possible, and at least its upper half."""
        return high >= self.min_count - 1 - 1e-9 and low <= (self.min_count - 1) // 2 + 1e-9

    def exposed(self, hidden: np.ndarray, codes: np.ndarray) -> tuple[int, int] | None:
        """The first (relation, small cell), by cell and then relation, where that relation
        alone narrows the small cell's range too far (for example: the hidden cells of a line
        add up to 0, so each is 0; or two small cells add up to 18, so each is 9), or None.
        :meth:`bounds` for every relation and small cell at once, over the nonzero entries."""
        line, cell, coefficient = self.line_of_entry, self.cell_of_entry, self.coefficient
        if line.size == 0:
            return None
        lines = len(self.lines)
        covered = hidden[cell]
        a = np.where(covered, coefficient, 0.0)
        shown_value = np.where(covered, 0.0, coefficient * np.where(covered, 0.0, self.counts[cell]))
        known = -np.bincount(line, weights=shown_value, minlength=lines)
        low = np.where(codes == 2, float(self.min_count), 0.0)[cell]
        high = np.where(codes == 2, np.inf, float(self.min_count - 1))[cell]
        high_finite = np.where(np.isinf(high), 0.0, high)
        positive, negative = a > 0, a < 0
        # Each hidden cell's least and greatest contribution a·x to its relation.
        least = np.where(positive, a * low, np.where(negative, a * high_finite, 0.0))
        most = np.where(positive, a * high_finite, np.where(negative, a * low, 0.0))
        unbounded = np.isinf(high)
        least_inf = negative & unbounded   # contributes −∞ to the least sum
        most_inf = positive & unbounded    # contributes +∞ to the greatest sum
        least_sum = np.bincount(line, weights=least, minlength=lines)[line]
        most_sum = np.bincount(line, weights=most, minlength=lines)[line]
        least_n = np.bincount(line, weights=least_inf, minlength=lines)[line]
        most_n = np.bincount(line, weights=most_inf, minlength=lines)[line]
        with np.errstate(invalid="ignore", divide="ignore"):
            rest_least = np.where(least_n - least_inf > 0, -np.inf, least_sum - least)
            rest_most = np.where(most_n - most_inf > 0, np.inf, most_sum - most)
            first = (known[line] - rest_most) / a
            second = (known[line] - rest_least) / a
        lower, upper = np.minimum(first, second), np.maximum(first, second)
        small = hidden & (codes == 1) & ~np.isnan(self.counts)
        check = (a != 0) & small[cell]
        bad = check & ((upper < self.min_count - 1 - 1e-9) | (lower > (self.min_count - 1) // 2 + 1e-9))
        if not bad.any():
            return None
        first_cell = int(cell[bad].min())
        return int(line[bad & (cell == first_cell)].min()), first_cell

    def pattern(self) -> np.ndarray:
        codes = np.where(self.primary, 1, 0)
        if not self.primary.any() or not self.lines:
            return codes
        for i in np.flatnonzero(self.primary).tolist():
            self.hide(i)
        self.fixed = {i for i in np.flatnonzero(self.primary).tolist() if self.is_determined(i)}
        while True:
            target = min(self.fixed) if self.fixed else None
            if target is not None:
                chosen = self.free(target)
            elif self.check_bounds and (weak := self.exposed(self.hidden, codes)) is not None:
                chosen = self.widen(*weak, codes)
            elif self.check_bounds and (cell := self.jointly_exposed(codes)) is not None:
                chosen = self.widen_jointly(cell, codes)
            else:
                return codes
            if chosen is None:
                return codes  # nothing left to hide on its relations; it is hidden anyway
            for i in chosen:
                self.hide(i)
            codes[chosen] = 2
            self.refresh(chosen)

    def jointly_exposed(self, codes: np.ndarray) -> int | None:
        """The first small hidden cell that all relations and bounds together narrow too far
        (:mod:`monitor.domain.privacy_lp`), or None. Components found sound are remembered while
        they do not change."""
        roots = sorted({self.find(i) for i in np.flatnonzero(self.hidden & (codes == 1)).tolist()})
        for root in roots:
            members = sorted(self.members[root])
            key = tuple(members)
            if key in self.jointly_sound:
                continue
            cell = privacy_lp.exposed_cell(self, self.counts, self.hidden, codes, members, self.min_count)
            if cell is not None:
                return cell
            self.jointly_sound.add(key)
        return None

    def widen_jointly(self, cell: int, codes: np.ndarray) -> list[int] | None:
        """A published cell to hide (on the exposed cell's relations, by preference; else on
        its component's) after which the joint programme leaves ``cell`` its range."""
        near = sorted({j for line in self.lines_of[cell] for j in self.lines[line][0].tolist()
                       if not self.hidden[j] and not self.primary[j]}, key=self.preference)
        component = self.members[self.find(cell)]
        around = sorted({j for i in component for line in self.lines_of[i] for j in self.lines[line][0].tolist()
                         if not self.hidden[j] and not self.primary[j]} - set(near), key=self.preference)
        pool = near + around
        for candidate in pool[:12]:
            trial_hidden, trial_codes = self.hidden.copy(), codes.copy()
            trial_hidden[candidate], trial_codes[candidate] = True, 2
            members = sorted(set(component) | {candidate} | {
                j for line in self.lines_of[candidate] for j in self.lines[line][0].tolist() if self.hidden[j]
                for j in self.members[self.find(j)]})
            program = privacy_lp.component_program(self, self.counts, trial_hidden, trial_codes, members,
                                                   self.min_count)
            if privacy_lp.wide_enough(*privacy_lp.cell_range(program, cell), self.min_count):
                return [candidate]
        return [pool[0]] if pool else None

    def free(self, target: int) -> list[int] | None:
        """Published cells to hide so that ``target`` is no longer determined."""
        moves = self.moves(target)
        for _cost, new in moves:
            if not self.is_determined(target, frozenset(new)):
                return new
        # No move frees it at once: hide the best single cell on its relations (or, failing
        # that, anywhere on a relation) and look again. Always progress.
        singles = [new for _cost, new in moves if len(new) == 1]
        if not singles:
            rest = np.flatnonzero(self.on_relation & ~self.hidden & ~self.primary)
            singles = [[int(i)] for i in sorted(rest.tolist(), key=self.preference)]
        return singles[0] if singles else None

    def widen(self, line: int, cell: int, codes: np.ndarray) -> list[int] | None:
        """A published cell on ``line`` to hide so that it no longer narrows ``cell``."""
        cells = self.lines[line][0]
        pool = sorted(cells[~self.hidden[cells] & ~self.primary[cells]].tolist(), key=self.preference)
        for candidate in pool:
            trial_hidden, trial_codes = self.hidden.copy(), codes.copy()
            trial_hidden[candidate], trial_codes[candidate] = True, 2
            if self.wide_enough(*self.bounds(line, trial_hidden, trial_codes, cell)):
                return [candidate]
        return [pool[0]] if pool else None


def suppression_pattern(cells: pd.DataFrame, parents: Mapping[str, str | None], min_count: int) -> pd.Series:
    """The suppression of every cell: ``None`` (published), ``'klein'`` (primary: count null or
    below ``min_count``) or ``'afgeschermd'`` (complementary: hidden so that no relation gives a
    small cell away). Aligned to ``cells.index``.

    ``cells`` has the columns ``region_code, period, kind, breakdown, category, count`` (the
    raw ``vt_reports``); ``parents`` maps a region to its parent region.

    >>> cells = pd.DataFrame({
    ...     "region_code": ["A"] * 3 + ["B"] * 3 + ["T"] * 3, "period": "2024H1", "kind": "melding",
    ...     "breakdown": ["totaal", "categorie", "categorie"] * 3, "category": ["totaal", "x", "y"] * 3,
    ...     "count": [30, 4, 26, 40, 20, 20, 70, 24, 46]})
    >>> suppression_pattern(cells, {"A": "T", "B": "T"}, 10).tolist()
    [None, 'klein', 'afgeschermd', None, 'afgeschermd', 'afgeschermd', None, None, None]
    """
    if isinstance(min_count, bool) or not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"min_count moet een geheel getal ≥ 1 zijn, niet {min_count!r}")
    missing = [c for c in (*BLOCK_KEYS, *CELL_KEYS, "count") if c not in cells.columns]
    if missing:
        raise ValueError(f"suppression_pattern: kolommen ontbreken: {', '.join(missing)}")
    result = pd.Series([None] * len(cells), index=cells.index, dtype=object)
    if cells.empty:
        return result
    frame = cells[[*BLOCK_KEYS, *CELL_KEYS, "count"]].copy()
    for column in (*BLOCK_KEYS, *CELL_KEYS):
        frame[column] = frame[column].astype(str)
    frame["count"] = pd.to_numeric(frame["count"], errors="coerce").astype("Float64")
    frame["_row"] = np.arange(len(frame))
    frame = frame.sort_values([*BLOCK_KEYS, *CELL_KEYS, "_row"], kind="stable")
    codes = np.zeros(len(frame), dtype=int)
    for _key, block in frame.groupby(list(BLOCK_KEYS), sort=True):
        block = block.reset_index(drop=True)
        codes[block["_row"].to_numpy()] = _Block(block, parents, int(min_count)).pattern()
    labels = np.array([None, KLEIN, AFGESCHERMD], dtype=object)[codes]
    result[:] = labels
    return result


__all__ = ["suppression_pattern"]
