"""Veilig Thuis privacy: rounding, primary and complementary suppression, and attacks on the
protected view that must all fail.

The attacks run against the output of the view ``vt_reports_protected`` as the query layer
serves it, on the fixture store's Veilig Thuis raw counts (tests/fixture_store.py: three
gemeenten and Twente, generated like the voorbeelddata). Each attack also runs
against a view built with *primary suppression only* (``privacy.primary_pattern``) and
rounding 1, where it must succeed: so every attack test would fail if complementary
suppression were switched off.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests import fixture_store
from monitor.data import catalog, private_schema, sandbox, store
from monitor.domain import privacy
from monitor.domain import privacy_suppression
from monitor.domain.privacy import round_count
from monitor.domain.privacy_relations import relation_matrix
from monitor.domain.privacy_suppression import suppression_pattern

REPO = Path(__file__).resolve().parents[2]
TWENTE = "GG_TWENTE"
KEY = ["region_code", "period", "kind", "breakdown", "category"]
BLOCK = ["period", "kind"]
CELL = ["region_code", "breakdown", "category"]


# --- helpers --------------------------------------------------------------------------------

def _hand_made(rows: dict[str, dict[str, int | None]], twente: bool = True, period: str = "2025H1",
               kind: str = "melding") -> pd.DataFrame:
    """A block: per gemeente a total and categories (breakdown 'categorie'); Twente = the sum."""
    records = []
    for code, cells in rows.items():
        for category, value in cells.items():
            records.append({"region_code": code, "period": period, "kind": kind,
                            "breakdown": "totaal" if category == "totaal" else "categorie",
                            "category": category, "count": value})
    frame = pd.DataFrame(records)
    if twente:
        sums = frame.groupby(["period", "kind", "breakdown", "category"], as_index=False)["count"].sum()
        frame = pd.concat([frame, sums.assign(region_code=TWENTE)], ignore_index=True)
    return frame


def _row(categories: dict[str, int]) -> dict[str, int]:
    return {"totaal": sum(categories.values()), **categories}


def _parents(frame: pd.DataFrame) -> dict[str, str]:
    return {code: TWENTE for code in frame["region_code"].unique() if code != TWENTE}


def _null_space(matrix: np.ndarray) -> np.ndarray:
    """Independent of monitor.domain.privacy: the null space by a full SVD, one vector per row."""
    if matrix.shape[1] == 0:
        return np.zeros((0, 0))
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > 1e-9 * max(1.0, singular.max(initial=0.0))).sum())
    return vt[rank:]


def _uniquely_determined(matrix: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Per column: hidden and fixed by the relations and the published values."""
    columns = np.flatnonzero(hidden)
    out = np.zeros(hidden.shape, dtype=bool)
    if columns.size == 0:
        return out
    basis = _null_space(matrix[:, columns])
    out[columns] = np.all(np.abs(basis) < 1e-8, axis=0) if basis.size else True
    return out


def _blocks(frame: pd.DataFrame):
    for key, block in frame.sort_values(KEY).groupby(BLOCK, sort=True):
        yield key, block.reset_index(drop=True)


def _lines(block: pd.DataFrame, parents: dict[str, str]) -> list[tuple[str, list[int], list[int]]]:
    """The additive lines of a block, written out independently of relation_matrix:
    (kind of line, cells that add up, the cell that is their total)."""
    where = {tuple(r): i for i, r in enumerate(block[CELL].itertuples(index=False))}
    lines = []
    for (region, breakdown), part in block.groupby(["region_code", "breakdown"]):
        if breakdown == "totaal" or (region, "totaal", "totaal") not in where:
            continue
        lines.append(("regio", [where[(region, breakdown, c)] for c in part["category"]],
                      [where[(region, "totaal", "totaal")]]))
    for (breakdown, category), part in block.groupby(["breakdown", "category"]):
        if (TWENTE, breakdown, category) not in where:
            continue
        members = [where[(r, breakdown, category)] for r in part["region_code"] if parents.get(r) == TWENTE]
        lines.append(("twente", members, [where[(TWENTE, breakdown, category)]]))
    return lines


def _line_attack(view: pd.DataFrame, raw: pd.Series, parents: dict[str, str], kind: str,
                 values: str = "count") -> tuple[int, int]:
    """Subtraction attack on every line of one kind (``regio``: the region's total minus the
    other categories; ``twente``: Twente minus the other gemeenten). Returns (how many hidden
    cells the attacker could compute, how many of those came out at the true count)."""
    tried = hits = 0
    for _key, block in _blocks(view):
        known = block[values] if values == "count" else (block["per_1000"] * block["inhabitants"] / 1000)
        known = known.astype("Float64")
        truth = raw.loc[pd.MultiIndex.from_frame(block[KEY])].to_numpy()
        for line_kind, members, total in _lines(block, parents):
            if line_kind != kind:
                continue
            cells = members + total
            missing = [i for i in cells if pd.isna(known.iloc[i])]
            if len(missing) != 1:
                continue
            target = missing[0]
            parts = float(sum(known.iloc[i] for i in members if i != target))
            estimate = parts if target in total else float(known.iloc[total[0]]) - parts
            tried += 1
            if truth[target] is not pd.NA and not pd.isna(truth[target]) and round(estimate) == truth[target]:
                hits += 1
    return tried, hits


def _line_ranges(block: pd.DataFrame, truth: np.ndarray, matrix: np.ndarray, min_count: int):
    """What one relation at a time tells an attacker about each small hidden cell, who knows
    the TRUE values of the published cells, that counts are ≥ 0, that 'klein' means
    < min_count and 'afgeschermd' ≥ min_count. Yields (cell, low, high)."""
    label = block["suppression"].to_numpy()
    hidden = pd.notna(label)
    low = np.where(label == "afgeschermd", float(min_count), 0.0)
    high = np.where(label == "afgeschermd", np.inf, float(min_count - 1))
    for row in matrix:
        members = np.flatnonzero((row != 0) & hidden)
        shown = (row != 0) & ~hidden
        rest = -float(row[shown] @ truth[shown].astype(float))
        for cell in members:
            if label[cell] != "klein" or pd.isna(truth[cell]):
                continue
            lo = hi = rest
            for j in members:
                if j == cell:
                    continue
                a = row[j]
                lo -= a * high[j] if a > 0 else a * low[j]
                hi -= a * low[j] if a > 0 else a * high[j]
            a = row[cell]
            ends = sorted((lo / a, hi / a))
            yield cell, ends[0], ends[1]


# --- fixtures: the view on the fixture store's raw counts -------------------------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """``published(pattern, rounding, min_count)`` → (view frame, raw counts by key, parents,
    dataset folder), built through monitor.data.catalog from the fixture store with its Veilig
    Thuis raw counts."""
    built: dict[tuple, tuple] = {}
    patterns = {"volledig": suppression_pattern, "alleen-primair": privacy.primary_pattern,
                "geen": lambda cells, parents, min_count: pd.Series([None] * len(cells), index=cells.index,
                                                                     dtype=object)}

    def make(pattern: str = "volledig", rounding: int = 5, min_count: int = 10):
        key = (pattern, rounding, min_count)
        if key in built:
            return built[key]
        folder = tmp_path_factory.mktemp(f"vt-{pattern}-{rounding}-{min_count}")
        directory = folder / "datasets"
        fixture_store.write(directory, veilig_thuis=True)
        settings_file = folder / "veilig-thuis.toml"
        settings_file.write_text(f"[privacy]\nmin_count = {min_count}\nrounding = {rounding}\n")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(privacy, "SETTINGS_FILE", settings_file)
            patch.setattr(privacy_suppression, "suppression_pattern", patterns[pattern])
            cursor = catalog.database(directory, private=True).cursor()
            try:
                view = cursor.execute("select * from vt_reports_protected").df()
            finally:
                cursor.close()
        raw = store.read_frame("vt_reports", directory).set_index(KEY)["count"]
        built[key] = (view, raw, private_schema.region_parents(directory), directory)
        return built[key]

    return make


ATTACKED = [("volledig", 1), ("volledig", 5)]


# --- rounding ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rounding", [1, 2, 5, 10])
def test_round_count_is_the_nearest_multiple(rounding):
    for n in range(0, 300):
        shown = round_count(n, rounding)
        assert shown % rounding == 0
        assert abs(shown - n) <= rounding / 2
        if abs(shown - n) == rounding / 2:
            assert shown > n  # halves up, as the view
    with pytest.raises(ValueError):
        round_count(-1, 5)


def test_view_rounds_like_round_count_and_never_shows_a_small_count(published):
    view, raw, _parents, _dir = published()
    settings = privacy.PrivacySettings()
    truth = raw.loc[pd.MultiIndex.from_frame(view[KEY])].to_numpy()
    shown = view["count"].notna().to_numpy()
    assert shown.any() and (~shown).any()
    counts = view["count"].to_numpy()
    for value, true in zip(counts[shown], truth[shown]):
        assert value % settings.rounding == 0
        assert abs(value - true) <= settings.rounding / 2
        assert value == round_count(int(true), settings.rounding)
        assert true >= settings.min_count
    small = pd.isna(truth) | (pd.Series(truth).fillna(0).to_numpy() < settings.min_count)
    assert small.any()
    assert not shown[small].any()
    assert (view.loc[small, "suppression"] == "klein").all()
    assert view.loc[~shown, "per_1000"].isna().all()
    assert (view.loc[shown, "per_1000"] > 0).all()
    # Some published true counts are not a multiple of 5: rounding does something.
    assert (truth[shown] % settings.rounding != 0).any()


def test_zero_and_missing_counts_are_never_published(vt_small):
    frame, _raw = vt_small
    by_key = frame.set_index(["region_code", "category"])
    assert pd.isna(by_key.loc[("GM0183", "ouderenmishandeling"), "count"])   # true 0
    assert by_key.loc[("GM0183", "ouderenmishandeling"), "suppression"] == "klein"
    assert pd.isna(by_key.loc[("GM0164", "ouderenmishandeling"), "count"])   # not published by the source
    assert by_key.loc[("GM0164", "ouderenmishandeling"), "suppression"] == "klein"
    assert frame["count"].dropna().ge(10).all()


@pytest.fixture
def vt_small(tmp_path, monkeypatch):
    """A small dataset with a true 0 and a count the source did not publish (null)."""
    directory = tmp_path / "datasets"
    tables = fixture_store.frames(veilig_thuis=True)
    for name in ("regions", "population"):
        store.write_tables({name: store.to_table(name, tables[name])}, directory)
    cells = {
        "GM0153": _row({"kindermishandeling": 120, "partnergeweld": 80, "ouderenmishandeling": 12}),
        "GM0183": _row({"kindermishandeling": 31, "partnergeweld": 14, "ouderenmishandeling": 0}),
        "GM0164": {"totaal": 52, "kindermishandeling": 27, "partnergeweld": 22, "ouderenmishandeling": None},
    }
    frame = _hand_made(cells, twente=False)
    twente = frame.groupby(["period", "kind", "breakdown", "category"], as_index=False)["count"].sum(min_count=1)
    twente.loc[twente["category"] == "ouderenmishandeling", "count"] = 15  # includes the unpublished 3
    frame = pd.concat([frame, twente.assign(region_code=TWENTE)], ignore_index=True)
    frame = frame.assign(is_sample=True, source_id="test")
    store.write_tables({"vt_reports": store.to_table("vt_reports", frame)}, directory)
    settings_file = tmp_path / "veilig-thuis.toml"
    settings_file.write_text("[privacy]\nmin_count = 10\nrounding = 5\n")
    monkeypatch.setattr(privacy, "SETTINGS_FILE", settings_file)
    cursor = catalog.database(directory, private=True).cursor()
    try:
        view = cursor.execute("select * from vt_reports_protected").df()
    finally:
        cursor.close()
    return view, frame


def test_belt_and_braces_the_view_hides_small_counts_whatever_the_pattern_says(published):
    view, raw, _parents, _dir = published("geen", 5, 10)
    truth = raw.loc[pd.MultiIndex.from_frame(view[KEY])]
    small = (truth.isna() | (truth.fillna(0) < 10)).to_numpy()
    assert small.any()
    assert view.loc[small, "count"].isna().all()
    assert view.loc[small, "per_1000"].isna().all()
    assert (view.loc[small, "suppression"] == "klein").all()


# --- primary and complementary suppression on hand-made tables ------------------------------

def _pattern(frame: pd.DataFrame, min_count: int = 10) -> pd.Series:
    return suppression_pattern(frame, _parents(frame), min_count)


def _no_cell_determined(frame: pd.DataFrame, pattern: pd.Series) -> bool:
    ordered = frame.assign(suppression=pattern).sort_values(KEY).reset_index(drop=True)
    matrix, _labels = relation_matrix(ordered, _parents(frame))
    return not _uniquely_determined(matrix, ordered["suppression"].notna().to_numpy()).any()


def test_one_small_cell_forces_a_second_in_its_row_and_in_its_column():
    frame = _hand_made({
        "GM0153": _row({"kindermishandeling": 120, "partnergeweld": 80, "ouderenmishandeling": 30}),
        "GM0183": _row({"kindermishandeling": 40, "partnergeweld": 25, "ouderenmishandeling": 3}),
        "GM0164": _row({"kindermishandeling": 60, "partnergeweld": 45, "ouderenmishandeling": 20}),
    })
    pattern = _pattern(frame)
    hidden = frame.assign(s=pattern)[pattern.notna()]
    assert (pattern == "klein").sum() == 1
    small = hidden[hidden["s"] == "klein"].iloc[0]
    same_row = hidden[(hidden["region_code"] == small["region_code"]) & (hidden["category"] != small["category"])]
    same_column = hidden[(hidden["category"] == small["category"]) & (hidden["region_code"] != small["region_code"])]
    assert len(same_row) >= 1 and (same_row["s"] == "afgeschermd").all()
    assert len(same_column) >= 1 and (same_column["s"] == "afgeschermd").all()
    assert _no_cell_determined(frame, pattern)
    # Preference: non-total categories and gemeenten, not Twente nor a total.
    complements = hidden[hidden["s"] == "afgeschermd"]
    assert TWENTE not in set(complements["region_code"])
    assert "totaal" not in set(complements["category"])
    # The complement in the small cell's row is large enough (≥ 2·10 − 1) not to narrow "<10".
    assert (same_row["count"] >= 19).all()


def test_a_bridge_between_two_rectangles_is_found_where_two_per_line_is_not_enough():
    """Every line holds 0 or ≥ 2 small cells, yet (GM0141, c) is a bridge between two
    rectangles of small cells and follows from the sums. Only the null space sees it."""
    big = 50
    cats = ["a", "b", "c", "d", "e"]
    small = {("GM0141", "a"): 2, ("GM0141", "b"): 3, ("GM0147", "a"): 4, ("GM0147", "b"): 1,
             ("GM0158", "c"): 5, ("GM0158", "d"): 6, ("GM0163", "c"): 2, ("GM0163", "d"): 7,
             ("GM0141", "c"): 8}
    rows = {}
    for code in ("GM0141", "GM0147", "GM0158", "GM0163", "GM0164", "GM0153"):
        rows[code] = _row({c: small.get((code, c), big) for c in cats})
    frame = _hand_made(rows)
    primary = privacy.primary_pattern(frame, _parents(frame), 10)
    ordered = frame.assign(suppression=primary).sort_values(KEY).reset_index(drop=True)
    matrix, _labels = relation_matrix(ordered, _parents(frame))
    hidden = ordered["suppression"].notna().to_numpy()
    # The naive rule is satisfied: every line has no hidden cell or at least two.
    for row in matrix:
        assert int(((row != 0) & hidden).sum()) in (0,) or int(((row != 0) & hidden).sum()) >= 2
    fixed = _uniquely_determined(matrix, hidden)
    bridge = ordered.index[(ordered["region_code"] == "GM0141") & (ordered["category"] == "c")][0]
    assert fixed[bridge] and fixed.sum() == 1
    pattern = _pattern(frame)
    assert (pattern == "afgeschermd").any()
    assert _no_cell_determined(frame, pattern)


def test_a_small_total_is_protected_in_its_column_and_the_partner_row():
    frame = _hand_made({
        "GM0153": _row({"kindermishandeling": 120, "partnergeweld": 80, "ouderenmishandeling": 30}),
        "GM0183": _row({"kindermishandeling": 4, "partnergeweld": 3, "ouderenmishandeling": 1}),
        "GM0164": _row({"kindermishandeling": 60, "partnergeweld": 45, "ouderenmishandeling": 20}),
        "GM0168": _row({"kindermishandeling": 30, "partnergeweld": 25, "ouderenmishandeling": 21}),
    })
    pattern = _pattern(frame)
    marked = frame.assign(s=pattern)
    tubbergen = marked[marked["region_code"] == "GM0183"]
    assert (tubbergen["s"] == "klein").all()  # the total (8) and every category
    totals = marked[(marked["category"] == "totaal") & marked["s"].notna()]
    assert len(totals) >= 2  # Twente's total minus the others would give Tubbergen's away
    partner = totals[totals["region_code"] != "GM0183"]["region_code"].iloc[0]
    assert partner != TWENTE
    partner_row = marked[(marked["region_code"] == partner) & marked["s"].notna()]
    assert len(partner_row) >= 2
    assert _no_cell_determined(frame, pattern)


def test_small_cells_that_add_up_to_zero_get_a_complement():
    """Two small cells in a line whose hidden sum is 0: each must be 0 (counts are never
    negative), although neither is determined by the linear relations alone."""
    frame = _hand_made({
        "GM0153": _row({"kindermishandeling": 120, "partnergeweld": 80, "ouderenmishandeling": 30}),
        "GM0183": _row({"kindermishandeling": 40, "partnergeweld": 0, "ouderenmishandeling": 0}),
        "GM0164": _row({"kindermishandeling": 60, "partnergeweld": 3, "ouderenmishandeling": 2}),
        "GM0168": _row({"kindermishandeling": 30, "partnergeweld": 25, "ouderenmishandeling": 21}),
    })
    primary = privacy.primary_pattern(frame, _parents(frame), 10)
    assert _no_cell_determined(frame, primary)  # a rectangle: linear algebra alone sees no problem
    ordered = frame.assign(suppression=primary).sort_values(KEY).reset_index(drop=True)
    matrix, _labels = relation_matrix(ordered, _parents(frame))
    ranges = list(_line_ranges(ordered, ordered["count"].to_numpy(), matrix, 10))
    assert any(high == 0 for _cell, _low, high in ranges)  # ... but Tubbergen's two are 0
    pattern = _pattern(frame)
    marked = frame.assign(suppression=pattern).sort_values(KEY).reset_index(drop=True)
    matrix, _labels = relation_matrix(marked, _parents(frame))
    tubbergen_row = marked[(marked["region_code"] == "GM0183") & marked["suppression"].notna()]
    assert (tubbergen_row["suppression"] == "afgeschermd").any()
    for _cell, low, high in _line_ranges(marked, marked["count"].to_numpy(), matrix, 10):
        assert high >= 9 and low <= 4


def test_the_pattern_is_deterministic_and_independent_of_row_order(published):
    _view, raw, parents, _dir = published()
    frame = raw.reset_index()
    first = suppression_pattern(frame, parents, 10)
    shuffled = frame.sample(frac=1.0, random_state=7)
    second = suppression_pattern(shuffled, parents, 10)
    assert second.index.equals(shuffled.index)
    assert first.equals(second.reindex(first.index))


def test_duplicate_cells_and_bad_thresholds_are_refused():
    frame = _hand_made({"GM0153": _row({"a": 12, "b": 3})}, twente=False)
    with pytest.raises(ValueError, match="dubbele cel"):
        suppression_pattern(pd.concat([frame, frame.iloc[[0]]]), {}, 10)
    with pytest.raises(ValueError):
        suppression_pattern(frame, {}, 0)
    assert suppression_pattern(frame.iloc[0:0], {}, 10).empty


def test_relations_hold_for_the_data_and_cover_every_line(published):
    """The relation matrix is true for the voorbeelddata (A·x = 0) and has one relation per
    region and breakdown plus one per breakdown and category (Twente = Σ gemeenten)."""
    _view, raw, parents, _dir = published()
    frame = raw.reset_index()
    for (_period, kind), block in _blocks(frame):
        matrix, labels = relation_matrix(block, parents)
        assert np.allclose(matrix @ block["count"].to_numpy(dtype=float), 0)
        regions = block["region_code"].nunique()
        splits = block[block["breakdown"] != "totaal"]["breakdown"].nunique()
        cells = block[["breakdown", "category"]].drop_duplicates().shape[0]
        assert len(labels) == regions * splits + cells, kind


def test_pattern_on_the_embedded_data(published):
    """Every cell of the embedded data gets a verdict: small counts are hidden, some others are
    hidden to protect them, the rest is published. Its speed is measured by the benchmark (``bench/run.py``, ``vt_pattern``), not here."""
    _view, raw, parents, _dir = published()
    frame = raw.reset_index()
    pattern = suppression_pattern(frame, parents, 10)
    assert pattern.index.equals(frame.index)
    assert set(pattern.dropna()) <= {"klein", "afgeschermd"}
    small = frame["count"].isna() | (frame["count"] < 10)
    assert (pattern[small] == "klein").all()
    assert (pattern[~small] != "klein").all()
    counts = pattern.value_counts(dropna=False)
    assert counts.get("afgeschermd", 0) > 0 and pattern.isna().sum() > 0, counts


# --- attacks on the view -------------------------------------------------------------------

def test_the_attacks_work_when_complementary_suppression_is_off(published):
    """Control: with primary suppression only (and no rounding), every attack below gives
    hidden counts away exactly. The same attacks on the real view must fail."""
    view, raw, parents, _dir = published("alleen-primair", 1)
    for kind in ("regio", "twente"):
        tried, hits = _line_attack(view, raw, parents, kind)
        assert tried > 0 and hits == tried, kind
    tried, hits = _line_attack(view, raw, parents, "regio", values="per_1000")
    assert tried > 0 and hits == tried
    assert _determined_cells(view, parents) > 0
    assert _derivable_year_totals(view, parents) > 0
    assert _narrowed_cells(view, raw, parents, 10) > 0


@pytest.mark.parametrize(("pattern", "rounding"), ATTACKED)
def test_attack_region_total_minus_the_other_categories_fails(published, pattern, rounding):
    view, raw, parents, _dir = published(pattern, rounding)
    tried, hits = _line_attack(view, raw, parents, "regio")
    assert (tried, hits) == (0, 0)


@pytest.mark.parametrize(("pattern", "rounding"), ATTACKED)
def test_attack_twente_minus_the_other_gemeenten_fails(published, pattern, rounding):
    view, raw, parents, _dir = published(pattern, rounding)
    tried, hits = _line_attack(view, raw, parents, "twente")
    assert (tried, hits) == (0, 0)


def _derivable_year_totals(view: pd.DataFrame, parents: dict[str, str]) -> int:
    """How many (cell, year) totals H1 + H2 with a hidden half follow from the view. The two
    half-year blocks share no relation, so the year total's functional must lie in the row
    space of the hidden part of each block."""
    count = 0
    frame = view.assign(year=view["period"].str[:4])
    for (_year, _kind), group in frame.groupby(["year", "kind"]):
        halves = [block.sort_values(CELL).reset_index(drop=True) for _p, block in group.groupby("period")]
        if len(halves) != 2:
            continue
        states = []
        for block in halves:
            matrix, _labels = relation_matrix(block, parents)
            hidden = block["suppression"].notna().to_numpy()
            states.append((block, matrix, hidden, _uniquely_determined(matrix, hidden)))
        first, second = states
        where = {tuple(r): i for i, r in enumerate(second[0][CELL].itertuples(index=False))}
        for i, cell in enumerate(first[0][CELL].itertuples(index=False)):
            j = where.get(tuple(cell))
            if j is None or not (first[2][i] or second[2][j]):
                continue
            known_first = (not first[2][i]) or first[3][i]
            known_second = (not second[2][j]) or second[3][j]
            count += known_first and known_second
    return count


@pytest.mark.parametrize(("pattern", "rounding"), ATTACKED)
def test_attack_from_two_periods_fails(published, pattern, rounding):
    view, _raw, parents, _dir = published(pattern, rounding)
    assert view["period"].map(lambda p: bool(re.fullmatch(r"\d{4}H[12]", p))).all()
    assert not view["period"].str.fullmatch(r"\d{4}").any()  # no year rows to subtract from
    assert _derivable_year_totals(view, parents) == 0


@pytest.mark.parametrize(("pattern", "rounding"), ATTACKED)
def test_attack_per_1000_times_inhabitants_fails(published, pattern, rounding):
    view, raw, parents, _dir = published(pattern, rounding)
    hidden = view["count"].isna()
    assert view.loc[hidden, "per_1000"].isna().all()
    back = view.loc[~hidden, "per_1000"] * view.loc[~hidden, "inhabitants"] / 1000
    assert np.allclose(back.to_numpy(dtype=float), view.loc[~hidden, "count"].to_numpy(dtype=float))
    for kind in ("regio", "twente"):
        assert _line_attack(view, raw, parents, kind, values="per_1000") == (0, 0)


def _determined_cells(view: pd.DataFrame, parents: dict[str, str]) -> int:
    return sum(int(_uniquely_determined(*_block_state(block, parents)).sum()) for _key, block in _blocks(view))


def _block_state(block: pd.DataFrame, parents: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    matrix, _labels = relation_matrix(block, parents)
    return matrix, block["suppression"].notna().to_numpy()


def _narrowed_cells(view: pd.DataFrame, raw: pd.Series, parents: dict[str, str], min_count: int) -> int:
    narrowed = 0
    for _key, block in _blocks(view):
        matrix, _hidden = _block_state(block, parents)
        truth = raw.loc[pd.MultiIndex.from_frame(block[KEY])].to_numpy(dtype=float, na_value=np.nan)
        for _cell, low, high in _line_ranges(block, truth, matrix, min_count):
            narrowed += high < min_count - 1 or low > (min_count - 1) // 2
    return narrowed


@pytest.mark.parametrize(("pattern", "rounding"), ATTACKED)
def test_attack_linear_algebra_with_the_true_published_values_fails(published, pattern, rounding):
    """The attacker knows the TRUE value of every published cell and every relation: for
    every hidden cell a null-space vector is non-zero in its place (not determined)."""
    view, raw, parents, _dir = published(pattern, rounding)
    hidden_cells = 0
    for _key, block in _blocks(view):
        matrix, hidden = _block_state(block, parents)
        hidden_cells += int(hidden.sum())
        truth = raw.loc[pd.MultiIndex.from_frame(block[KEY])].to_numpy(dtype=float, na_value=np.nan)
        basis = _null_space(matrix[:, hidden])
        assert basis.shape[0] > 0 or not hidden.any()
        if hidden.any():
            assert (np.abs(basis).max(axis=0) > 1e-8).all()
            # The published values leave a solution set, not a point: the true hidden values
            # and the true values plus a null-space step both satisfy every relation.
            if not np.isnan(truth).any():
                step = truth.copy()
                step[hidden] += basis[0]
                assert np.allclose(matrix @ step, 0)
    assert hidden_cells > 0
    # With bounds as well (counts ≥ 0; 'klein' < 10; 'afgeschermd' ≥ 10), no single relation
    # narrows a small cell.
    assert _narrowed_cells(view, raw, parents, 10) == 0


# --- the raw counts are unreachable ---------------------------------------------------------

def test_no_query_names_the_raw_counts():
    allowed = REPO / "queries" / "views" / "vt_reports_protected.sql"
    offenders = []
    for path in sorted((REPO / "queries").rglob("*.sql")):
        text = path.read_text(encoding="utf-8").lower()
        if path == allowed:
            continue
        for needle in ("vt_private", "vt_reports.parquet", "read_parquet", "read_csv", "parquet_scan"):
            if needle in text:
                offenders.append((path.name, needle))
        if re.search(r"\bvt_reports\b(?!_protected)", text):
            offenders.append((path.name, "vt_reports"))
    assert not offenders
    assert "vt_private" in allowed.read_text(encoding="utf-8")


def test_no_page_or_export_reads_the_raw_counts():
    # Everything a page, download or export runs, derived from the layers: the Streamlit code
    # (dashboard.py, pages/, ui/) and the pure layers that build what pages show (view models,
    # charts, exports, domain). Only the data layer, the importer and the privacy modules write
    # or protect the raw table and may name it.
    allowed = {"monitor/domain/privacy.py", "monitor/domain/privacy_lp.py"}
    paths = [REPO / "dashboard.py"]
    for folder in ("pages", "ui", "monitor/views", "monitor/charts", "monitor/export", "monitor/domain"):
        paths += [p for p in sorted((REPO / folder).rglob("*.py"))
                  if p.relative_to(REPO).as_posix() not in allowed]
    assert len(paths) > 30
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for needle in ("vt_private", "vt_reports.parquet", "read_parquet", '"vt_reports"', "'vt_reports'"):
            assert needle not in text, f"{path.name} noemt {needle}"


def test_the_main_database_has_no_raw_table_to_select(published):
    _view, _raw, _parents, directory = published()
    cursor = catalog.database(directory).cursor()
    try:
        with pytest.raises(duckdb.CatalogException):
            cursor.execute("select * from vt_reports").fetchall()
        with pytest.raises(duckdb.CatalogException):
            cursor.execute("select * from main.vt_reports").fetchall()
    finally:
        cursor.close()


def test_the_sandbox_cannot_read_the_raw_counts(published):
    _view, _raw, _parents, directory = published()
    for sql in ("select * from vt_reports", "select * from vt_private.cells",
                f"select * from read_parquet('{directory}/vt_reports.parquet')"):
        with pytest.raises(sandbox.SandboxError):
            sandbox.run_select(sql, directory=directory)
    assert "vt_reports" not in sandbox.tables(directory)


def test_the_threshold_is_configurable(published):
    ten, raw, _parents, _dir = published("volledig", 5, 10)
    fifteen, _raw, _parents, _dir = published("volledig", 5, 15)
    assert (fifteen["min_count"] == 15).all()
    assert fifteen["count"].dropna().ge(15).all()
    small_ten = set(map(tuple, ten.loc[ten["suppression"] == "klein", KEY].itertuples(index=False)))
    small_fifteen = set(map(tuple, fifteen.loc[fifteen["suppression"] == "klein", KEY].itertuples(index=False)))
    assert small_ten < small_fifteen
    assert fifteen["count"].isna().sum() > ten["count"].isna().sum()
    truth = raw.loc[pd.MultiIndex.from_frame(fifteen[KEY])]
    assert fifteen.loc[(truth.fillna(0) < 15).to_numpy(), "count"].isna().all()


def test_settings_defaults_and_validation(tmp_path):
    missing = tmp_path / "nope.toml"
    assert privacy.settings(missing) == privacy.PrivacySettings(10, 5)
    other = tmp_path / "other.toml"
    other.write_text("[cbs]\nx = 1\n")
    assert privacy.settings(other) == privacy.PrivacySettings(10, 5)
    good = tmp_path / "good.toml"
    good.write_text("[privacy]\nmin_count = 15\n")
    assert privacy.settings(good) == privacy.PrivacySettings(15, 5)
    for text in ("[privacy]\nmin_count = -1\n", "[privacy]\nrounding = 2.5\n", "[privacy]\nrounding = 0\n",
                 "[privacy]\nminimum = 10\n", "privacy = 3\n"):
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        with pytest.raises(privacy.PrivacySettingsError, match="bad.toml"):
            privacy.settings(bad)
    assert privacy.settings() == privacy.PrivacySettings(10, 5)  # sources/veilig-thuis.toml as committed
