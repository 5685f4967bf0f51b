"""Veilig Thuis suppression at national scale, and the stored pattern.

* A generated four-level hierarchy (Nederland → 3 provinces → 6 GGD regions → 60 gemeenten,
  every level the exact sum of its parts): the pattern leaves no hidden cell determined by
  the WHOLE relation matrix of its block (an SVD of the full matrix, written here
  independently of ``monitor.domain.privacy``), no single relation narrows a small cell, and the
  attacks of ``test_vt_privacy.py`` (subtraction on every line at every level, a linear-algebra
  attacker who knows the true published values, two half years) fail. Each check is shown to
  find leaks in primary suppression alone.
* One half year at the national size (342 gemeenten, 25 GGD regions, 12 provinces) stays fast.
* The Twente pattern is pinned: the faster search gives the same cells as before, on the raw
  counts generated for the 14 gemeenten with the inhabitants frozen in the fixture store (a
  refresh of the committed population does not move the pin).
* ``monitor.data.private_schema.private_cells`` stores the pattern in ``<datasets>/.cache`` and reads it back;
  a change of the file, the regions or the settings, or a bad stored file, means computing
  it again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests import fixture_store
from monitor.data import catalog, private_schema, store
from monitor.domain import privacy
from monitor.domain import privacy_suppression
from monitor.domain.privacy_relations import relation_matrix
from monitor.domain.privacy_suppression import suppression_pattern

def twente_raw_counts() -> pd.DataFrame:
    """The generated raw counts (voorbeelddata) of the 14 gemeenten and Twente, their sum, on
    the population the pinned pattern was computed on (``fixture_store.TWENTE_POPULATION_2025``)."""
    from monitor.ingest import voorbeelddata

    return voorbeelddata.sample_vt_reports(fixture_store.twente_population())
KEY = ["region_code", "period", "kind", "breakdown", "category"]
CELL = ["region_code", "breakdown", "category"]
SPLITS = {
    "totaal": ("totaal",),
    "categorie": ("kindermishandeling", "partnergeweld", "ouderenmishandeling", "overig_huiselijk_geweld",
                  "anders_onbekend"),
    "melder": ("politie", "onderwijs", "huisarts_zorg", "burger_omgeving", "overig"),
}
KINDS = {"melding": ("totaal", "categorie", "melder"), "onderzoek": ("totaal", "categorie")}
SHARES = {"categorie": (0.35, 0.3, 0.05, 0.2, 0.1), "melder": (0.4, 0.1, 0.2, 0.2, 0.1)}


# --- a generated hierarchy ------------------------------------------------------------------

def hierarchy(gemeenten: int, ggd_regions: int, provinces: int) -> dict[str, str | None]:
    """region → parent: NL01 → provinces → GGD regions → gemeenten."""
    parents: dict[str, str | None] = {"NL01": None}
    parents.update({f"PV_T{p:02d}": "NL01" for p in range(provinces)})
    parents.update({f"GG_T{g:02d}": f"PV_T{g % provinces:02d}" for g in range(ggd_regions)})
    parents.update({f"GM{9000 + m:04d}": f"GG_T{m % ggd_regions:02d}" for m in range(gemeenten)})
    return parents


def generated_cells(parents: dict[str, str | None], periods: tuple[str, ...], seed: int = 1) -> pd.DataFrame:
    """Counts per gemeente (sizes from a village to a city, so small cells at every rate);
    every higher level the exact sum of its parts."""
    rng = np.random.default_rng(seed)
    gemeenten = sorted(r for r in parents if r.startswith("GM"))
    columns = [(kind, b, c) for kind, splits in KINDS.items() for b in splits for c in SPLITS[b]]
    records = []
    for period in periods:
        values: dict[str, np.ndarray] = {}
        for code in gemeenten:
            inhabitants = float(np.exp(rng.uniform(np.log(4_000), np.log(160_000))))
            melding = int(rng.poisson(3.6 * inhabitants / 1000))
            totals = {"melding": melding, "onderzoek": int(rng.binomial(melding, 0.09))}
            vector = []
            for kind, splits in KINDS.items():
                parts = {b: rng.multinomial(totals[kind], SHARES[b]) for b in splits if b != "totaal"}
                for b in splits:
                    vector.extend([totals[kind]] if b == "totaal" else parts[b].tolist())
            values[code] = np.array(vector)
        for code in gemeenten:
            up = parents[code]
            while up is not None:
                values[up] = values.get(up, 0) + values[code]
                up = parents[up]
        for code, vector in values.items():
            for (kind, b, c), count in zip(columns, vector.tolist()):
                records.append((code, period, kind, b, c, count))
    return pd.DataFrame(records, columns=[*KEY, "count"])


# --- an attacker, written independently of monitor.domain.privacy -----------------------------------

def lines(block: pd.DataFrame, parents: dict) -> list[tuple[list[int], int]]:
    """Every additive line of a block as (parts, total): categories to the region's total, and
    the children to their parent, per (breakdown, category), at every level."""
    where = {tuple(r): i for i, r in enumerate(block[CELL].itertuples(index=False))}
    out = []
    for (region, breakdown), part in block.groupby(["region_code", "breakdown"]):
        if breakdown != "totaal" and (region, "totaal", "totaal") in where:
            out.append(([where[(region, breakdown, c)] for c in part["category"]], where[(region, "totaal", "totaal")]))
    for (breakdown, category), part in block.groupby(["breakdown", "category"]):
        for parent in part["region_code"]:
            members = [where[(r, breakdown, category)] for r in part["region_code"] if parents.get(r) == parent]
            if members:
                out.append((members, where[(parent, breakdown, category)]))
    return out


def full_matrix(block: pd.DataFrame, parents: dict) -> np.ndarray:
    found = lines(block, parents)
    matrix = np.zeros((len(found), len(block)))
    for row, (members, total) in enumerate(found):
        matrix[row, members] = 1.0
        matrix[row, total] = -1.0
    return matrix


def null_space(matrix: np.ndarray) -> np.ndarray:
    if matrix.shape[1] == 0:
        return np.zeros((0, 0))
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > 1e-9 * max(1.0, singular.max(initial=0.0))).sum())
    return vt[rank:]


def blocks(frame: pd.DataFrame):
    for key, block in frame.sort_values(KEY).groupby(["period", "kind"], sort=True):
        yield key, block.reset_index(drop=True)


def determined_cells(frame: pd.DataFrame, parents: dict) -> int:
    """Hidden cells that the whole block's relations and the true published values fix."""
    count = 0
    for _key, block in blocks(frame):
        hidden = block["suppression"].notna().to_numpy()
        if not hidden.any():
            continue
        basis = null_space(full_matrix(block, parents)[:, hidden])
        count += int(hidden.sum()) if basis.size == 0 else int((np.abs(basis).max(axis=0) < 1e-8).sum())
    return count


def narrowed_cells(frame: pd.DataFrame, parents: dict, min_count: int = 10) -> int:
    """Small hidden cells that one relation alone narrows (counts ≥ 0; 'klein' < min_count;
    'afgeschermd' ≥ min_count; the true published values known): to below the top value
    min_count − 1, or above the lower half of [0, min_count − 1]."""
    narrowed = 0
    for _key, block in blocks(frame):
        label = block["suppression"].to_numpy()
        truth = block["count"].to_numpy(dtype=float)
        hidden = pd.notna(label)
        low = np.where(label == "afgeschermd", float(min_count), 0.0)
        high = np.where(label == "afgeschermd", np.inf, float(min_count - 1))
        for members, total in lines(block, parents):
            cells = [*members, total]
            sign = {i: 1.0 for i in members} | {total: -1.0}
            rest = -sum(sign[i] * truth[i] for i in cells if not hidden[i])
            for cell in (i for i in cells if label[i] == "klein"):
                lo = hi = rest
                for j in (j for j in cells if hidden[j] and j != cell):
                    lo -= sign[j] * (high[j] if sign[j] > 0 else low[j])
                    hi -= sign[j] * (low[j] if sign[j] > 0 else high[j])
                ends = sorted((lo / sign[cell], hi / sign[cell]))
                narrowed += ends[1] < min_count - 1 or ends[0] > (min_count - 1) // 2
    return narrowed


def subtraction_hits(frame: pd.DataFrame, parents: dict) -> int:
    """Lines with exactly one hidden cell: its value follows by subtraction."""
    hits = 0
    for _key, block in blocks(frame):
        hidden = block["suppression"].notna().to_numpy()
        for members, total in lines(block, parents):
            hits += int(hidden[[*members, total]].sum()) == 1
    return hits


def derivable_year_totals(frame: pd.DataFrame, parents: dict) -> int:
    """(cell, year) totals H1 + H2 with a hidden half that follow from the published figures:
    each half must be published or determined on its own (no relation ties two periods)."""
    known: dict[tuple, bool] = {}
    hidden_any: dict[tuple, bool] = {}
    for (period, kind), block in blocks(frame):
        hidden = block["suppression"].notna().to_numpy()
        fixed = np.zeros(len(block), dtype=bool)
        if hidden.any():
            basis = null_space(full_matrix(block, parents)[:, hidden])
            fixed[hidden] = True if basis.size == 0 else np.abs(basis).max(axis=0) < 1e-8
        for i, cell in enumerate(block[CELL].itertuples(index=False)):
            key = (period[:4], kind, *cell)
            known[key] = known.get(key, True) and (not hidden[i] or bool(fixed[i]))
            hidden_any[key] = hidden_any.get(key, False) or bool(hidden[i])
    return sum(known[key] and hidden_any[key] for key in known)


@pytest.fixture(scope="module")
def generated():
    parents = hierarchy(60, 6, 3)
    cells = generated_cells(parents, ("2025H1", "2025H2"))
    return cells.assign(suppression=suppression_pattern(cells, parents, 10)), parents


@pytest.fixture(scope="module")
def primary_only(generated):
    frame, parents = generated
    return frame.assign(suppression=privacy.primary_pattern(frame, parents, 10)), parents


def test_the_generated_data_adds_up_at_every_level(generated):
    frame, parents = generated
    for _key, block in blocks(frame):
        assert np.allclose(full_matrix(block, parents) @ block["count"].to_numpy(dtype=float), 0)
        # The attacker's lines are exactly the relations the pattern is computed from.
        matrix, _labels = relation_matrix(block, parents)
        assert sorted(map(tuple, matrix.tolist())) == sorted(map(tuple, full_matrix(block, parents).tolist()))


def test_the_checks_find_the_leaks_of_primary_suppression_alone(primary_only):
    frame, parents = primary_only
    assert determined_cells(frame, parents) > 0
    assert narrowed_cells(frame, parents) > 0
    assert subtraction_hits(frame, parents) > 0
    assert derivable_year_totals(frame, parents) > 0


def test_no_hidden_cell_is_determined_by_the_whole_block(generated):
    frame, parents = generated
    suppressed = frame["suppression"].value_counts()
    assert suppressed["klein"] > 0 and suppressed["afgeschermd"] > 0
    # Complements at more than one level of the hierarchy (the search works across levels).
    levels = set(frame.loc[frame["suppression"] == "afgeschermd", "region_code"].str[:2])
    assert {"GM", "GG"} <= levels or {"GM", "PV"} <= levels, levels
    assert determined_cells(frame, parents) == 0


def test_no_single_relation_narrows_a_small_cell(generated):
    frame, parents = generated
    assert narrowed_cells(frame, parents) == 0


def test_the_attacks_fail_at_every_level(generated):
    frame, parents = generated
    assert subtraction_hits(frame, parents) == 0
    assert derivable_year_totals(frame, parents) == 0
    # The solution set is not a point: true values plus a null-space step satisfy every line.
    for _key, block in blocks(frame):
        hidden = block["suppression"].notna().to_numpy()
        matrix = full_matrix(block, parents)
        basis = null_space(matrix[:, hidden])
        assert basis.shape[0] > 0
        step = block["count"].to_numpy(dtype=float)
        step[hidden] += basis[0]
        assert np.allclose(matrix @ step, 0)


@pytest.mark.parametrize("small", [4, 10**9], ids=["buurt", "hele-component"])
def test_the_local_checks_give_the_pattern_of_whole_components(generated, monkeypatch, small):
    """Whether a cell is determined is decided on its neighbourhood where that settles it
    (components above ``_SMALL`` cells), else on its whole component: both ways are exact,
    so forcing either gives the same pattern."""
    frame, parents = generated
    half = frame[frame["period"] == "2025H1"]
    monkeypatch.setattr(privacy_suppression, "_SMALL", small)
    pattern = suppression_pattern(half.drop(columns="suppression"), parents, 10)
    assert pattern.equals(half["suppression"])


def test_primary_cells_are_klein_and_nothing_small_is_published(generated):
    frame, _parents = generated
    small = frame["count"] < 10
    assert (frame.loc[small, "suppression"] == "klein").all()
    assert (frame.loc[~small, "suppression"] != "klein").all()


def _embedded_digest(pattern, frame) -> tuple[dict, str]:
    marked = frame[KEY].assign(s=pattern.fillna("-")).sort_values(KEY)
    text = "\n".join("|".join(map(str, row)) for row in marked.itertuples(index=False))
    return marked["s"].value_counts().to_dict(), hashlib.sha256(text.encode()).hexdigest()


def test_the_embedded_pattern_is_unchanged(monkeypatch, tmp_path):
    """The pattern of the generated raw counts (the former embedded voorbeelddata): same cells, same labels. Without the joint
    audit it is still, cell for cell, the pattern the dense search computed before the
    search went per component; the joint audit hides 4 cells more. (If the voorbeelddata
    changes on purpose, check the new pattern and update the digests.)"""
    frame = twente_raw_counts()
    parents = private_schema.region_parents(tmp_path)  # the monitor's fixed hierarchy
    counts, digest = _embedded_digest(suppression_pattern(frame, parents, 10), frame)
    assert counts == {"klein": 3987, "-": 3244, "afgeschermd": 419}
    assert digest == EMBEDDED_DIGEST
    monkeypatch.setattr(privacy_suppression._Block, "jointly_exposed", lambda self, codes: None)
    counts, digest = _embedded_digest(suppression_pattern(frame, parents, 10), frame)
    assert counts == {"klein": 3987, "-": 3248, "afgeschermd": 415}
    assert digest == PER_RELATION_DIGEST


EMBEDDED_DIGEST = "c5e67da77bd1476cd1e4feb290faaff5a4d9f53a2dceec54df9cc70c3da3c0b7"
PER_RELATION_DIGEST = "1000d23088ad997f416ab39cb88d69df5ec5e0c2a2a4423f44b79a5b1e0486fd"


# --- the stored pattern ---------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path, monkeypatch):
    """Regions and two half years of the fixture store's Veilig Thuis raw counts; a counting
    suppression_pattern."""
    directory = tmp_path / "datasets"
    tables = fixture_store.frames(veilig_thuis=True)
    vt = tables["vt_reports"]
    vt = vt[vt["period"].isin(["2025H1", "2025H2"])]
    store.write_tables({"regions": store.to_table("regions", tables["regions"]),
                        "vt_reports": store.to_table("vt_reports", vt)}, directory)
    calls = []
    real = privacy_suppression.suppression_pattern

    def counting(cells, parents, min_count):
        calls.append(min_count)
        return real(cells, parents, min_count)

    monkeypatch.setattr(privacy_suppression, "suppression_pattern", counting)
    return directory, calls


def _load(directory: Path, min_count: int = 10) -> pa.Table:
    return private_schema.private_cells(directory, privacy.PrivacySettings(min_count=min_count))


def _stored(directory: Path) -> list[Path]:
    return sorted((directory / ".cache").glob("*"))


def test_the_pattern_is_stored_and_read_back(folder):
    directory, calls = folder
    first = _load(directory)
    assert calls == [10]
    [path] = _stored(directory)
    assert path.name.startswith("vt-suppression-") and path.suffix == ".parquet"
    second = _load(directory)
    assert calls == [10]  # read, not computed
    assert second.equals(first)
    assert (pd.Series(first.column("suppression").to_pylist()) == "afgeschermd").any()


def test_a_changed_file_is_computed_again_and_the_old_pattern_removed(folder):
    directory, calls = folder
    _load(directory)
    before = _stored(directory)
    table = store.read_table("vt_reports", directory)
    pq.write_table(table, directory / "vt_reports.parquet", compression="gzip")  # same rows, other bytes
    _load(directory)
    assert calls == [10, 10]
    after = _stored(directory)
    assert len(after) == 1 and after != before


def test_changed_regions_are_computed_again(folder):
    directory, calls = folder
    _load(directory)
    regions = store.read_frame("regions", directory)
    extra = pd.DataFrame([{"region_code": "WK015301", "name": "Enschede wijk 01", "level": "wijk",
                           "parent_code": "GM0153"}])
    regions = pd.concat([regions, extra.reindex(columns=regions.columns)], ignore_index=True)
    pq.write_table(pa.Table.from_pandas(regions, schema=store.read_table("regions", directory).schema,
                                        preserve_index=False), directory / "regions.parquet")
    assert private_schema.region_parents(directory)["WK015301"] == "GM0153"
    _load(directory)
    assert calls == [10, 10]


def test_other_settings_are_computed_again(folder):
    directory, calls = folder
    _load(directory, 10)
    fifteen = _load(directory, 15)
    assert calls == [10, 15]
    counts = fifteen.column("count").to_pandas()
    labels = pd.Series(fifteen.column("suppression").to_pylist())
    assert (labels[counts.fillna(0) < 15] == "klein").all()
    _load(directory, 15)
    assert calls == [10, 15]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other-key", "no-small-cells", "other-length"])
def test_a_bad_stored_pattern_is_ignored(folder, damage):
    directory, calls = folder
    good = _load(directory)
    [path] = _stored(directory)
    stored = pq.read_table(path)
    labels = stored.column("suppression").to_pylist()
    if damage == "garbage":
        path.write_bytes(b"not a parquet file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "other-key":
        pq.write_table(stored.replace_schema_metadata({b"key": b"0" * 64}), path)
    elif damage == "no-small-cells":  # a stored pattern that would publish the small counts
        table = pa.table({"suppression": pa.array([None] * len(labels), pa.string())})
        pq.write_table(table.replace_schema_metadata(stored.schema.metadata), path)
    else:
        table = pa.table({"suppression": pa.array(labels[:-1], pa.string())})
        pq.write_table(table.replace_schema_metadata(stored.schema.metadata), path)
    again = _load(directory)
    assert calls == [10, 10]
    assert again.equals(good)
    assert _stored(directory) == [path]
    assert pq.read_table(path).column("suppression").to_pylist() == labels  # repaired


def test_a_pattern_of_another_function_is_never_used(folder, monkeypatch):
    """The key names the function: a stored pattern of the real search is not what a
    replacement (the attack tests' primary-only control) gets, nor the other way round."""
    directory, _calls = folder
    full = _load(directory)
    monkeypatch.setattr(privacy_suppression, "suppression_pattern", privacy.primary_pattern)
    primary = _load(directory)
    assert "afgeschermd" not in set(primary.column("suppression").to_pylist())
    assert not primary.equals(full)
    assert len(_stored(directory)) == 1


def test_a_folder_that_cannot_be_written_still_gets_its_pattern(folder, monkeypatch):
    """A read-only deployment: nothing is stored, every load computes, nothing fails."""
    directory, calls = folder

    def read_only(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(privacy.tempfile, "mkstemp", read_only)
    first = _load(directory)
    second = _load(directory)
    assert calls == [10, 10] and first.equals(second)
    assert _stored(directory) == []


def test_a_failed_write_leaves_no_temporary_file(folder, monkeypatch):
    directory, calls = folder

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(privacy.os, "replace", full_disk)
    table = _load(directory)
    assert calls == [10] and table.num_rows > 0
    assert _stored(directory) == []


def test_the_view_reads_the_stored_pattern(folder, tmp_path, monkeypatch):
    directory, calls = folder
    settings_file = tmp_path / "veilig-thuis.toml"
    settings_file.write_text("[privacy]\nmin_count = 10\nrounding = 5\n")
    monkeypatch.setattr(privacy, "SETTINGS_FILE", settings_file)
    store.write_tables({"population": store.to_table("population", fixture_store.population())}, directory)
    _load(directory)
    cursor = catalog.database(directory, private=True).cursor()
    try:
        view = cursor.execute("select suppression, count(*) as n from vt_reports_protected group by all").df()
    finally:
        cursor.close()
    assert calls == [10]
    assert set(view["suppression"].dropna()) == {"klein", "afgeschermd"}
