# Reads the committed datasets/: the whole country in the store: every committed CBS figure equals its cell in the source file.
"""The whole country in the store: every gemeente and CBS region in the regions table (with
size class and urbanity from 85385NED), every CBS figure imported for every region its table
publishes, each stored figure equal to its cell in the source file, and ``region_kind`` naming
the region that produced a figure (Twente as COROP-gebied, jeugdzorgregio, …)."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from monitor.data import store
from monitor.data.contract import REGION_LEVELS
from monitor.domain import regions as regions_mod
from monitor.domain.periods import cbs_period
from monitor.ingest import gebieden

DATASETS = store.REPO_ROOT / "datasets"
CBS_TOML = store.REPO_ROOT / "sources" / "cbs"
# Tables in the cbsodata shape whose every stored figure is checked against its source cell.
CHECKED = {
    "81064NED": "81064NED_wanbetalers_zorgpremie_regio.csv",
    "85098NED": "85098NED_jeugdzorg_kerncijfers_relatief_regio.csv",
    "85563NED": "85563NED_gezondheidsmonitor_volwassenen_2022.csv",
    "86050NED": "86050NED_wmo_clienten_regio_afgekapt.csv",
}


@pytest.fixture(scope="module")
def committed() -> dict[str, pd.DataFrame]:
    return {name: store.read_frame(name, DATASETS) for name in ("regions", "observations", "vt_reports")}


def test_regions_hold_every_gemeente_with_size_class_and_urbanity(committed):
    regions = committed["regions"]
    gemeenten = regions[regions["level"] == "gemeente"]
    assert len(gemeenten) == 342  # the CBS indeling 2024
    assert gemeenten["region_code"].str.fullmatch(r"GM\d{4}").all()
    for column in ("size_class", "size_class_name", "urbanity", "urbanity_name", "inhabitants"):
        assert gemeenten[column].notna().all(), column
    assert set(gemeenten["size_class"]) <= set(range(1, 9))
    assert set(gemeenten["urbanity"]) == {1, 2, 3, 4, 5}
    assert regions.loc[regions["level"] != "gemeente", "size_class"].isna().all()
    enschede = regions.set_index("region_code").loc["GM0153"]
    assert (enschede["name"], enschede["parent_code"], enschede["size_class"], enschede["urbanity_name"]) == \
        ("Enschede", "GG_TWENTE", 7, "Sterk stedelijk")


def test_region_kinds_and_codes(committed):
    regions = committed["regions"].set_index("region_code")
    assert set(regions["level"]) <= set(REGION_LEVELS)
    counts = regions["level"].value_counts()
    # Twente is one row (GG_TWENTE) for each kind: 25 GGD-regio's, 40 COROP-gebieden, …
    assert counts["ggd_regio"] == 25 and counts["provincie"] == 12 and counts["landsdeel"] == 4
    assert counts["corop"] + 1 == 40 and counts["jeugdzorgregio"] + 1 == 42 and counts["vt_regio"] + 1 == 25
    # the CBS codes of the Twente regions and of Overijssel are aliases, not rows
    for alias in ("GG1106", "CR12", "JZ14", "VT19", "AM05", "PV23"):
        assert alias not in regions.index
    assert regions.loc["GG0706", ["name", "level", "parent_code"]].tolist() == ["GGD Drenthe", "ggd_regio", "PV22"]
    assert regions.loc["PV22", "parent_code"] == "NL01"
    assert regions.loc["GG_TWENTE", "parent_code"] == "PV_OVERIJSSEL"
    # every parent is a region
    parents = set(regions["parent_code"].dropna())
    assert parents <= set(regions.index)
    twente = regions[(regions["level"] == "gemeente") & (regions["parent_code"] == regions_mod.TWENTE)]
    assert set(twente.index) == set(regions_mod.GEMEENTE_CODES)


def test_region_kind_names_the_region_that_produced_each_figure(committed):
    obs, regions = committed["observations"], committed["regions"]
    assert obs["region_kind"].notna().all()
    assert set(obs["region_kind"]) <= set(REGION_LEVELS)
    twente = obs[(obs["region_code"] == regions_mod.TWENTE) & ~obs["is_sample"]]
    kinds = twente.groupby("source_id")["region_kind"].agg(set).to_dict()
    assert kinds["cbs-81064NED"] == {"corop"}           # Twente (CR)
    assert kinds["cbs-86004NED"] == {"corop"}           # Twente (CR)
    assert kinds["cbs-85098NED"] == {"jeugdzorgregio"}  # Twente (JZ)
    assert kinds["cbs-85563NED"] == {"ggd_regio"}       # GGD Twente (GG)
    other = obs[obs["region_code"] != regions_mod.TWENTE].merge(regions[["region_code", "level"]], on="region_code")
    assert (other["region_kind"] == other["level"]).all()
    vt = committed["vt_reports"]
    assert vt["region_kind"].notna().all()
    assert set(vt.loc[(vt["region_code"] == regions_mod.TWENTE) & ~vt["is_sample"], "region_kind"]) == {"vt_regio"}


def test_every_table_holds_the_whole_country(committed):
    obs = committed["observations"]
    real = obs[~obs["is_sample"]]
    gemeenten = real[real["region_kind"] == "gemeente"].groupby("source_id")["region_code"].nunique()
    for source in ("cbs-81064NED", "cbs-85098NED", "cbs-85563NED", "cbs-86004NED", "cbs-86050NED",
                   "cbs-70072NED"):
        assert gemeenten[source] >= 300, source
    per_kind = real.groupby(["source_id", "region_kind"])["region_code"].nunique()
    assert per_kind[("cbs-81064NED", "corop")] == 40
    assert per_kind[("cbs-85563NED", "ggd_regio")] == 25
    assert per_kind[("cbs-85098NED", "jeugdzorgregio")] == 42
    population = store.read_frame("population", DATASETS)
    assert population["region_code"].nunique() >= 344  # 342 gemeenten, Twente, Nederland


def _source_cells(path: Path, declaration: dict) -> dict[tuple, float]:
    """(region_code, period, subgroup, indicator_id, margin) → the number in the source file."""
    frame = pd.read_csv(path, sep=None, engine="python", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    lookup = gebieden.lookup(path)
    twente = " ".join(declaration.get("twente", "").split()).casefold()
    dims = declaration.get("dimensions", {})
    cells: dict[tuple, float] = {}
    for row in frame.to_dict("records"):
        title = " ".join(row["RegioS"].split())
        code = lookup.resolve(title)
        if code is None or (code == regions_mod.TWENTE and twente and title.casefold() != twente):
            continue
        period = cbs_period(row["Perioden"])[0] if "Perioden" in row else declaration["period"]
        subgroup, margin = "totaal", "value"
        skip = False
        for name, dim in dims.items():
            raw = row[name].strip()
            if dim["role"] == "filter":
                skip = skip or raw not in dim["keep"]
            elif dim["role"] == "subgroup":
                subgroup = dim["values"].get(raw)
            elif dim["role"] == "margin":
                margin = dim["values"].get(raw)
        if skip or subgroup is None or margin is None:
            continue
        for column, measure in declaration["measures"].items():
            indicator = measure if isinstance(measure, str) else measure["indicator"]
            text = row[column].strip()
            if text and text not in (".", "x", "-", "?"):
                cells[(code, period, subgroup, indicator, margin)] = float(text)
    return cells


@pytest.mark.parametrize("table_id", sorted(CHECKED))
def test_every_stored_figure_equals_its_cell_in_the_source(shared_dir: Path, committed, table_id: str):
    declaration = tomllib.loads((CBS_TOML / f"{table_id}.toml").read_text(encoding="utf-8"))
    cells = _source_cells(shared_dir / "data" / "cbs" / CHECKED[table_id], declaration)
    obs = committed["observations"]
    mine = obs[obs["source_id"] == f"cbs-{table_id}"]
    computed = {m["indicator"] for m in declaration["measures"].values() if isinstance(m, dict) and "twente" in m}
    checked = 0
    for row in mine.itertuples(index=False):
        if row.region_code == regions_mod.TWENTE and row.indicator_id in computed:
            continue  # Twente computed from the gemeenten (the table has no Twente row)
        for margin in ("value", "ci_low", "ci_high"):
            stored = getattr(row, margin)
            key = (row.region_code, row.period, row.subgroup, row.indicator_id, margin)
            if stored is None or (isinstance(stored, float) and math.isnan(stored)):
                assert key not in cells or margin != "value", key
                continue
            assert key in cells, f"{key} is stored but not in {CHECKED[table_id]}"
            assert stored == pytest.approx(cells[key], abs=1e-9), key
            checked += 1
    assert checked > 1000
    national = mine[~mine["region_code"].isin([*regions_mod.KNOWN_CODES])]
    assert len(national) > 0.9 * len(mine)


VT_FILE = "84847NED_veilig_thuis_kerncijfers_regio.csv"


def _vt_source_cells(path: Path, declaration: dict) -> tuple[dict[tuple, float | None], set[str]]:
    """(region_code, period, kind, role) → the number in 84847NED (None for CBS's empty cell), and
    every region of the file the store knows (gemeenten and regions of the indeling 2024)."""
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    lookup = gebieden.lookup(path)
    measures = {column: (m["kind"], "count" if m["unit"] == "aantal" else "per_1000")
                for column, m in declaration["measures"].items()}
    cells: dict[tuple, float | None] = {}
    regions: set[str] = set()
    for row in frame.to_dict("records"):
        code = lookup.resolve(" ".join(row["RegioS"].split()))
        period = cbs_period(row["Perioden"])[0]
        if code is None:
            continue
        regions.add(code)
        if len(period) == 4:
            continue  # year totals are not stored
        for column, (kind, role) in measures.items():
            text = row[column].strip()
            number = float(text) if text not in ("", ".") else None
            cells[(code, period, kind, role)] = number if number is None or role == "count" else number / 100
    return cells, regions


def test_veilig_thuis_holds_every_gemeente_and_vt_regio_as_cbs_published(shared_dir: Path, committed):
    """84847NED: every gemeente, Veilig Thuis-regio, province, landsdeel and Nederland of the real
    file is in vt_reports, and every stored figure equals its cell (rate per 100.000 → per 1.000)."""
    declaration = tomllib.loads((CBS_TOML / "84847NED.toml").read_text(encoding="utf-8"))
    cells, regions = _vt_source_cells(shared_dir / "data" / "cbs" / VT_FILE, declaration)
    vt = committed["vt_reports"]
    mine = vt[vt["source_id"] == "cbs-84847NED"]
    assert set(mine["region_code"]) == regions
    kinds = mine.groupby("region_kind")["region_code"].nunique()
    assert kinds["gemeente"] >= 340 and kinds["vt_regio"] == 25  # 24 VT-regio's + Twente (VT19)
    assert kinds["provincie"] == 12 and kinds["landsdeel"] == 4 and kinds["land"] == 1
    assert (mine["protected_by"] == "CBS").all()
    checked = 0
    for row in mine.itertuples(index=False):
        for role in ("count", "per_1000"):
            key = (row.region_code, row.period, row.kind, role)
            assert key in cells, f"{key} is stored but not in {VT_FILE}"
            stored = getattr(row, role)
            if stored is None or (isinstance(stored, float) and math.isnan(stored)) or pd.isna(stored):
                assert cells[key] is None or role == "per_1000", key
                continue
            assert float(stored) == pytest.approx(cells[key], abs=1e-9), key
            checked += 1
    assert checked > 30000
    national = mine[~mine["region_code"].isin([*regions_mod.KNOWN_CODES])]
    assert len(national) > 0.9 * len(mine)
