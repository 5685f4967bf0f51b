"""Voorbeelddata: only where no real figure exists, deterministic, consistent, marked.

The generators run on data written here and in tests/fixture_store.py: the 14 Twente
gemeenten's population of 2025 (frozen there), Twente's real 2023 figures below and the
fixture's KPIs. That the committed data holds no generated figure is checked in test_build."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from monitor.ingest import voorbeelddata
from monitor.data.contract import VT_BREAKDOWNS, VT_KIND_BREAKDOWNS
from monitor.domain.regions import GEMEENTE_CODES, TWENTE
from tests import fixture_store as fx

# Twente's real 2023 figures (the jaarplan's): the anchors of the generated per-gemeente series
ANCHORS = {"moeite_met_rondkomen": ("totaal", 18.0), "eenzaam_65plus": ("65+", 50.0)}


def _twente_figures() -> pd.DataFrame:
    rows = [{"indicator_id": indicator_id, "region_code": TWENTE, "period": "2023", "subgroup": subgroup,
             "value": value, "ci_low": None, "ci_high": None, "status": "definitief", "is_sample": False,
             "source_id": fx.PLAN_SOURCE} for indicator_id, (subgroup, value) in ANCHORS.items()]
    return pd.DataFrame(rows)


def _weighted_mean(sample, population, indicator, weights_groups):
    latest = population[population["year"] == population["year"].max()]
    weights = latest[latest["age_group"].isin(weights_groups)].groupby("region_code")["inhabitants"].sum()
    rows = sample[(sample["indicator_id"] == indicator) & (sample["period"] == "2023")].set_index("region_code")
    return float((rows["value"] * weights[rows.index]).sum() / weights[rows.index].sum())


def test_no_generated_figures_where_a_real_indicator_of_the_themalijn_exists():
    """A real per-gemeente figure of a catalogue indicator of bestaanszekerheid (wanbetalers
    zorgpremie; one is enough) stops the generated rondkomen series; mentale gezondheid, without
    one, still gets its eenzaamheid series."""
    observations = _twente_figures()
    real = observations.iloc[[0]].assign(indicator_id="wanbetalers_zorgpremie", region_code="GM0153", value=2.5)
    with_real = pd.concat([observations, real], ignore_index=True)
    assert voorbeelddata.real_gemeente_themalijnen(with_real) == {"bestaanszekerheid"}
    sample = voorbeelddata.sample_observations(fx.twente_population(), with_real)
    assert set(sample["indicator_id"]) == {"eenzaam_65plus"}


def test_sample_series_match_the_real_twente_figure():
    population = fx.twente_population()
    sample = voorbeelddata.sample_observations(population, _twente_figures())
    for indicator, groups in (("moeite_met_rondkomen", ["totaal"]), ("eenzaam_65plus", ["65-79", "80+"])):
        assert abs(_weighted_mean(sample, population, indicator, groups) - ANCHORS[indicator][1]) <= 0.05
        rows = sample[sample["indicator_id"] == indicator]
        assert set(rows["region_code"]) == set(GEMEENTE_CODES)  # no generated Twente figure
        assert rows["value"].between(0, 100).all()


def test_sample_rows_are_marked_and_sourced():
    sample = voorbeelddata.sample_observations(fx.twente_population(), _twente_figures())
    assert not sample.empty and sample["is_sample"].all()
    assert (sample["source_id"] == voorbeelddata.SAMPLE_SOURCE_ID).all()
    assert set(sample["indicator_id"]) == set(ANCHORS)


def test_without_a_real_twente_figure_nothing_is_generated():
    assert voorbeelddata.sample_observations(fx.twente_population(), _twente_figures().iloc[0:0]).empty


def test_generation_is_deterministic():
    population, observations = fx.twente_population(), _twente_figures()
    kpis = fx.frames()["project_kpis"]
    a = voorbeelddata.sample_observations(population, observations)
    b = voorbeelddata.sample_observations(population, observations)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(voorbeelddata.sample_kpi_realisations(kpis),
                                  voorbeelddata.sample_kpi_realisations(kpis))


def test_kpi_realisations_cumulative_and_within_deadline():
    """The fixture's two KPIs (an aantal and a %, deadline 31 December 2025)."""
    kpis = fx.frames()["project_kpis"].set_index("kpi_id")
    real = voorbeelddata.sample_kpi_realisations(kpis.reset_index())
    assert real["is_sample"].all()
    assert set(real["kpi_id"]) == set(kpis.index)
    for kpi_id, rows in real.groupby("kpi_id"):
        values = rows.sort_values("period")["value"].tolist()
        assert values == sorted(values), kpi_id
        deadline = kpis.loc[kpi_id, "deadline"]
        for period in rows["period"]:
            year, quarter = int(period[:4]), int(period[-1])
            assert date(year, quarter * 3, 1) <= deadline, (kpi_id, period)
        if kpis.loc[kpi_id, "unit"] == "%":
            assert rows["value"].le(100).all()


def test_quarters_helper():
    quarters = voorbeelddata._quarters(date(2025, 1, 1), date(2025, 9, 30))
    assert [q for q, _ in quarters] == ["2025Q1", "2025Q2", "2025Q3"]
    assert quarters[-1][1] == date(2025, 9, 30)


# --- Veilig Thuis ------------------------------------------------------------------------------

SMALL = {"GM0183": "Tubbergen", "GM0168": "Losser", "GM0158": "Haaksbergen", "GM1774": "Dinkelland"}


def _vt() -> pd.DataFrame:
    return voorbeelddata.sample_vt_reports(fx.twente_population())


def _inhabitants() -> pd.Series:
    totals = {code: counts[0] for code, counts in fx.TWENTE_POPULATION_2025.items()}
    return pd.Series({**totals, TWENTE: sum(totals.values())})


def test_vt_generation_is_deterministic():
    pd.testing.assert_frame_equal(_vt(), _vt())


def test_vt_shape_periods_and_marks():
    frame = _vt()
    periods = voorbeelddata.vt_periods()
    assert periods[0] == "2019H1" and periods[-1] == voorbeelddata.LATEST_VT_PERIOD == "2026H1"
    assert len(periods) == 15 and all(re.fullmatch(r"\d{4}H[12]", p) for p in periods)
    assert sorted(frame["period"].unique()) == periods
    assert set(frame["region_code"]) == set(GEMEENTE_CODES) | {TWENTE}  # no Nederland in voorbeelddata
    # The shape of CBS 84851NED/84849NED: four kinds, totaal, categorie and (advies, melding) melder.
    kinds = ("advies", "melding", "onderzoek", "overdracht")
    cells = sum(len(VT_BREAKDOWNS[b]) for kind in kinds for b in VT_KIND_BREAKDOWNS[kind] if b != "betrokkenheid")
    assert cells == 34
    assert len(frame) == 15 * len(periods) * cells
    assert not frame.duplicated(["region_code", "period", "kind", "breakdown", "category"]).any()
    assert frame["is_sample"].all() and (frame["source_id"] == voorbeelddata.SAMPLE_VT_SOURCE_ID).all()
    assert frame["count"].notna().all() and (frame["count"] >= 0).all()
    for (kind, breakdown), rows in frame.groupby(["kind", "breakdown"]):
        assert breakdown in VT_KIND_BREAKDOWNS[kind]
        assert set(rows["category"]) == set(VT_BREAKDOWNS[breakdown])
    row = voorbeelddata.sample_vt_source()
    assert bool(row["is_sample"]) and "84849NED" in row["title"] and "84851NED" in row["title"]
    assert row["peildatum"] == date(2026, 6, 30)


def test_vt_breakdowns_add_up_and_twente_is_the_sum_of_the_gemeenten():
    frame = _vt()
    totals = frame[frame["breakdown"] == "totaal"].set_index(["region_code", "period", "kind"])["count"]
    for breakdown in ("categorie", "melder"):
        sums = frame[frame["breakdown"] == breakdown].groupby(["region_code", "period", "kind"])["count"].sum()
        assert len(sums) > 0
        assert (sums == totals.loc[sums.index]).all(), breakdown
    key = ["period", "kind", "breakdown", "category"]
    gemeenten = frame[frame["region_code"] != TWENTE].groupby(key)["count"].sum()
    twente = frame[frame["region_code"] == TWENTE].set_index(key)["count"]
    assert (twente.loc[gemeenten.index] == gemeenten).all()


def test_vt_rates_are_realistic():
    frame = _vt()
    inhabitants = _inhabitants()
    totals = frame[frame["breakdown"] == "totaal"].copy()
    totals["per_1000"] = totals["count"] / totals["region_code"].map(inhabitants) * 1000
    rate = totals.set_index(["region_code", "period", "kind"])["per_1000"]
    gemeenten = totals[totals["region_code"] != TWENTE]
    for kind, (low, high) in {"advies": (1.5, 6.0), "melding": (1.5, 7.0),
                              "onderzoek": (0.0, 1.0), "overdracht": (0.0, 1.0)}.items():
        values = gemeenten[gemeenten["kind"] == kind]["per_1000"]
        assert values.between(low, high).all(), kind
    # Twente per half year, near the national ~4,0 adviezen and ~3,6 meldingen per 1.000.
    for period in ("2023H1", "2025H1"):
        assert 2.5 <= rate[(TWENTE, period, "advies")] <= 4.5
        assert 3.0 <= rate[(TWENTE, period, "melding")] <= 4.5
    # Enschede 2025H1: about 525 adviezen and 745 meldingen.
    count = totals.set_index(["region_code", "period", "kind"])["count"]
    assert abs(count[("GM0153", "2025H1", "advies")] - 525) <= 0.12 * 525
    assert abs(count[("GM0153", "2025H1", "melding")] - 745) <= 0.12 * 745
    # Cities higher than the countryside.
    assert rate[("GM0153", "2025H1", "melding")] > rate[("GM0183", "2025H1", "melding")]
    # Follow-up as a share of the meldingen (~8% onderzoek, ~7% overdracht) over Twente.
    twente = totals[totals["region_code"] == TWENTE].groupby("kind")["count"].sum()
    assert 0.06 <= twente["onderzoek"] / twente["melding"] <= 0.10
    assert 0.05 <= twente["overdracht"] / twente["melding"] <= 0.09
    # Melders of meldingen: mostly the police.
    melders = frame[(frame["region_code"] == TWENTE) & (frame["kind"] == "melding") & (frame["breakdown"] == "melder")]
    shares = melders.groupby("category")["count"].sum() / twente["melding"]
    assert 0.55 <= shares["politie"] <= 0.75


def test_vt_trend_and_season():
    frame = _vt()
    twente = frame[(frame["region_code"] == TWENTE) & (frame["breakdown"] == "totaal")]
    count = twente.set_index(["kind", "period"])["count"]

    def year(kind, y):
        return count[(kind, f"{y}H1")] + count[(kind, f"{y}H2")]

    assert year("advies", 2025) > 1.1 * year("advies", 2019)     # adviezen up
    assert year("melding", 2025) < year("melding", 2019)         # meldingen slightly down
    assert year("melding", 2025) > 0.85 * year("melding", 2019)
    h1 = sum(count[("advies", f"{y}H1")] for y in range(2019, 2026))
    h2 = sum(count[("advies", f"{y}H2")] for y in range(2019, 2026))
    assert h2 < h1  # season: fewer adviezen in the second half year


def test_vt_small_gemeenten_have_cells_below_ten():
    frame = _vt()
    for code, name in SMALL.items():
        rows = frame[frame["region_code"] == code]
        latest = rows[rows["period"] == "2025H1"]
        assert (latest["count"] < 10).sum() >= 5, name
        ouderen = rows[(rows["kind"] == "melding") & (rows["category"] == "ouderenmishandeling")]
        assert (ouderen["count"] < 10).mean() >= 0.8, name
        onderzoek = rows[(rows["kind"] == "onderzoek") & (rows["breakdown"] == "totaal")]
        assert (onderzoek["count"] < 10).any(), name
    enschede = frame[(frame["region_code"] == "GM0153") & (frame["breakdown"] == "totaal")]
    assert (enschede[enschede["kind"].isin(["advies", "melding"])]["count"] >= 100).all()


def test_vt_without_population_generates_nothing():
    population = fx.twente_population()
    assert voorbeelddata.sample_vt_reports(population[population["region_code"] != "GM0183"]).empty
