"""The query layer: named files, bound parameters, cache invalidated by a dataset change."""

from __future__ import annotations

import os
import threading

import duckdb
import pandas as pd
import pytest

from monitor.data import catalog, db, queryfiles, store
from monitor.domain import privacy


@pytest.fixture
def small_store(tmp_datasets):
    regions = pd.DataFrame({"region_code": ["GM0153", "NL01"], "name": ["Enschede", "Nederland"],
                            "level": ["gemeente", "land"], "parent_code": [None, None]})
    store.write_tables({"regions": store.to_table("regions", regions)}, tmp_datasets)
    return tmp_datasets


@pytest.fixture
def query_dir(tmp_path, monkeypatch):
    qdir = tmp_path / "queries"
    qdir.mkdir()
    (qdir / "region_by_code.sql").write_text("-- params: code\n-- reads: regions\nselect name from regions where region_code = $code\n")
    (qdir / "region_count.sql").write_text("-- params:\n-- reads: regions\nselect count(*) as n from regions\n")
    monkeypatch.setattr(queryfiles, "QUERIES_DIR", qdir)
    db.clear_cache()
    return qdir


def test_named_query_with_bound_parameter(small_store, query_dir):
    result = db.query("region_by_code", small_store, code="GM0153")
    assert result["name"].tolist() == ["Enschede"]


def test_parameter_is_bound_not_formatted(small_store, query_dir):
    # An injection attempt is just a value that matches nothing.
    result = db.query("region_by_code", small_store, code="x' or '1'='1")
    assert result.empty


def test_unknown_and_unsafe_query_names(small_store, query_dir):
    with pytest.raises(queryfiles.QueryError, match="bestaat niet"):
        db.query("nope", small_store)
    with pytest.raises(queryfiles.QueryError, match="ongeldige querynaam"):
        db.query("../etc/passwd", small_store)


def test_missing_table_reads_empty_with_contract_columns(small_store, query_dir):
    (query_dir / "obs.sql").write_text("-- params:\n-- reads: observations\nselect * from observations\n")
    result = db.query("obs", small_store)
    assert result.empty
    assert list(result.columns)[:3] == ["indicator_id", "region_code", "period"]


def test_cache_invalidated_when_dataset_changes(small_store, query_dir):
    assert db.query("region_count", small_store)["n"].iloc[0] == 2
    regions = store.read_frame("regions", small_store)
    more = pd.concat([regions, pd.DataFrame([{"region_code": "GM0141", "name": "Almelo",
                                              "level": "gemeente", "parent_code": None}])])
    store.write_tables({"regions": store.to_table("regions", more)}, small_store)
    path = store.table_path("regions", small_store)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # be safe on coarse clocks
    assert db.query("region_count", small_store)["n"].iloc[0] == 3


def test_results_are_cached(small_store, query_dir):
    first = db.query("region_count", small_store)
    assert db.query("region_count", small_store) is first


def test_parallel_queries_from_threads(small_store, query_dir):
    errors, results = [], []

    def work(i):
        try:
            code = "GM0153" if i % 2 else "NL01"
            db.clear_cache()
            results.append(db.query("region_by_code", small_store, code=code)["name"].iloc[0])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(set(results)) == ["Enschede", "Nederland"]


# --- Veilig Thuis: the private snapshot and the protected view ------------------------------

def _vt_frame(counts: dict[str, int | None]) -> pd.DataFrame:
    """One period and kind: per gemeente a total and two categories, and Twente as their sum."""
    rows = []
    for code, (a, b) in counts.items():
        for category, value in (("totaal", None if a is None or b is None else a + b), ("x", a), ("y", b)):
            rows.append({"region_code": code, "period": "2025H1", "kind": "melding",
                         "breakdown": "totaal" if category == "totaal" else "categorie", "category": category,
                         "count": value, "is_sample": True, "source_id": "test"})
    frame = pd.DataFrame(rows)
    gemeenten = frame[frame["region_code"] != "GG_TWENTE"]
    twente = gemeenten.groupby(["period", "kind", "breakdown", "category"], as_index=False)["count"].sum()
    twente = twente.assign(region_code="GG_TWENTE", is_sample=True, source_id="test")
    return pd.concat([gemeenten, twente], ignore_index=True)


@pytest.fixture
def vt_store(tmp_datasets, monkeypatch, tmp_path):
    regions = pd.DataFrame({"region_code": ["GG_TWENTE", "GM0153", "GM0183", "GM0164"],
                            "name": ["Twente", "Enschede", "Tubbergen", "Hengelo"],
                            "level": ["ggd_regio", "gemeente", "gemeente", "gemeente"],
                            "parent_code": [None, "GG_TWENTE", "GG_TWENTE", "GG_TWENTE"]})
    population = pd.DataFrame({"region_code": ["GM0153", "GM0183", "GM0164", "GG_TWENTE"], "year": 2025,
                               "age_group": "totaal", "inhabitants": [160_000, 21_500, 83_000, 264_500],
                               "source_id": "test"})
    vt = _vt_frame({"GM0153": (120, 80), "GM0183": (4, 31), "GM0164": (60, 45)})
    store.write_tables({"regions": store.to_table("regions", regions),
                        "population": store.to_table("population", population),
                        "vt_reports": store.to_table("vt_reports", vt)}, tmp_datasets)
    settings_file = tmp_path / "veilig-thuis.toml"
    settings_file.write_text("[privacy]\nmin_count = 10\nrounding = 5\n")
    monkeypatch.setattr(privacy, "SETTINGS_FILE", settings_file)
    qdir = tmp_path / "queries"
    qdir.mkdir()
    (qdir / "vt_all.sql").write_text("-- params:\n-- reads: vt_reports_protected\nselect * from vt_reports_protected order by region_code, breakdown, category\n")
    (qdir / "vt_state.sql").write_text("-- params:\n-- reads: vt_privacy_status\nselect * from vt_privacy_status\n")
    (qdir / "region_count.sql").write_text("-- params:\n-- reads: regions\nselect count(*) as n from regions\n")
    monkeypatch.setattr(queryfiles, "QUERIES_DIR", qdir)
    db.clear_cache()
    return tmp_datasets


def _bump(path):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_no_main_schema_view_over_the_raw_counts(vt_store):
    cursor = catalog.database(vt_store).cursor()
    try:
        views = {row[0] for row in cursor.execute(
            "select view_name from duckdb_views() where schema_name = 'main'").fetchall()}
        assert "vt_reports" not in views and "vt_reports_protected" in views
        tables = {(r[0], r[1]) for r in cursor.execute("select schema_name, table_name from duckdb_tables()").fetchall()}
        assert ("main", "vt_reports") not in tables and ("main", "_empty_vt_reports") not in tables
        with pytest.raises(duckdb.CatalogException):
            cursor.execute("select * from vt_reports").fetchall()
    finally:
        cursor.close()


def test_protected_view_rounds_suppresses_and_relates_to_population(vt_store):
    frame = db.query("vt_all", vt_store)
    assert len(frame) == 12
    tubbergen = frame[frame["region_code"] == "GM0183"].set_index("category")
    assert tubbergen.loc["x", "suppression"] == "klein" and pd.isna(tubbergen.loc["x", "count"])
    # Tubbergen's 31 would give the 4 away (35 − 31): hidden as well, and so on.
    assert tubbergen.loc["y", "suppression"] == "afgeschermd" and pd.isna(tubbergen.loc["y", "count"])
    enschede = frame[frame["region_code"] == "GM0153"].set_index("category")
    assert enschede.loc["totaal", "count"] == 200
    assert enschede.loc["totaal", "per_1000"] == pytest.approx(200 / 160_000 * 1000)
    assert enschede.loc["totaal", "region_name"] == "Enschede"
    assert enschede.loc["totaal", "population_year"] == 2025  # the only year: used for 2025H1
    assert (frame["min_count"] == 10).all()
    shown = frame["count"].dropna()
    assert (shown % 5 == 0).all() and (shown >= 10).all()
    state = db.query("vt_state", vt_store)
    assert state.to_dict("records") == [{"min_count": 10, "rounding": 5, "error": None}]


def test_a_new_raw_file_rebuilds_the_snapshot_and_invalidates_cached_results(vt_store):
    before = db.query("vt_all", vt_store)
    assert before.loc[(before["region_code"] == "GM0153") & (before["category"] == "totaal"), "count"].iloc[0] == 200
    vt = _vt_frame({"GM0153": (130, 80), "GM0183": (40, 31), "GM0164": (60, 45)})
    store.write_tables({"vt_reports": store.to_table("vt_reports", vt)}, vt_store)
    _bump(store.table_path("vt_reports", vt_store))
    after = db.query("vt_all", vt_store)
    assert after is not before
    assert after.loc[(after["region_code"] == "GM0153") & (after["category"] == "totaal"), "count"].iloc[0] == 210
    assert after["suppression"].isna().all()  # no small cell any more


def test_a_change_of_the_settings_rebuilds_the_pattern(vt_store):
    assert db.query("vt_all", vt_store)["count"].notna().sum() == 8
    privacy.SETTINGS_FILE.write_text("[privacy]\nmin_count = 50\nrounding = 10\n")
    _bump(privacy.SETTINGS_FILE)
    frame = db.query("vt_all", vt_store)
    assert (frame["min_count"] == 50).all()
    shown = frame["count"].dropna()
    assert len(shown) < 8 and (shown % 10 == 0).all() and (shown >= 50).all()
    assert db.query("vt_state", vt_store)["rounding"].iloc[0] == 10


def test_missing_raw_file_gives_an_empty_view_with_its_columns(vt_store):
    store.table_path("vt_reports", vt_store).unlink()
    frame = db.query("vt_all", vt_store)
    assert frame.empty
    assert list(frame.columns) == [c for c, _ in privacy.PROTECTED_COLUMNS]
    assert db.query("vt_state", vt_store)["error"].iloc[0] is None


def test_corrupt_raw_file_breaks_nothing_else_and_says_so(vt_store, caplog):
    path = store.table_path("vt_reports", vt_store)
    path.write_bytes(b"PAR1 dit is geen parquet PAR1")
    assert db.query("region_count", vt_store)["n"].iloc[0] == 4  # other queries work
    assert db.query("vt_all", vt_store).empty
    error = db.query("vt_state", vt_store)["error"].iloc[0]
    assert "vt_reports.parquet" in error and "niet worden gelezen" in error
    assert any("vt_reports.parquet" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("text", ["[privacy]\nmin_count = 0\n", "[privacy]\nmin_count = 'tien'\n",
                                  "[privacy]\nrounding = true\n", "[privacy]\nmin_cuont = 10\n", "[privacy\n"])
def test_invalid_settings_show_no_figures_and_name_the_file(vt_store, text):
    privacy.SETTINGS_FILE.write_text(text)
    _bump(privacy.SETTINGS_FILE)
    with pytest.raises(privacy.PrivacySettingsError, match="veilig-thuis.toml"):
        privacy.settings()
    assert db.query("vt_all", vt_store).empty
    assert "privacy-instellingen" in db.query("vt_state", vt_store)["error"].iloc[0]
    assert db.query("region_count", vt_store)["n"].iloc[0] == 4


def test_protected_view_takes_the_latest_population_up_to_the_period(vt_store):
    population = pd.DataFrame({"region_code": ["GM0153", "GM0153"], "year": [2020, 2025], "age_group": "totaal",
                               "inhabitants": [150_000, 160_000], "source_id": "test"})
    frames = [_vt_frame({"GM0153": (120, 80), "GM0183": (40, 31), "GM0164": (60, 45)}).assign(period=period)
              for period in ("2019H1", "2022H2", "2025H1", "2026H1")]
    store.write_tables({"population": store.to_table("population", population),
                        "vt_reports": store.to_table("vt_reports", pd.concat(frames, ignore_index=True))}, vt_store)
    frame = db.query("vt_all", vt_store)
    enschede = frame[(frame["region_code"] == "GM0153") & (frame["category"] == "totaal")].set_index("period")
    assert enschede["population_year"].to_dict() == {"2019H1": 2020, "2022H2": 2020, "2025H1": 2025, "2026H1": 2025}
    assert enschede.loc["2022H2", "per_1000"] == pytest.approx(200 / 150_000 * 1000)
    # No population for Tubbergen: the count is shown, the rate is not.
    tubbergen = frame[frame["region_code"] == "GM0183"]
    assert tubbergen["count"].notna().all() and tubbergen["per_1000"].isna().all()
    assert tubbergen["inhabitants"].isna().all()
