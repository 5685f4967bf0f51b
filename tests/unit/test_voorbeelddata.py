"""Voorbeelddata: only where no real figure exists, deterministic, consistent, marked."""

from __future__ import annotations

from datetime import date

import pandas as pd

from monitor import store, voorbeelddata
from monitor.regions import GEMEENTE_CODES, TWENTE


def _weighted_mean(sample, population, indicator, weights_groups):
    latest = population[population["year"] == population["year"].max()]
    weights = latest[latest["age_group"].isin(weights_groups)].groupby("region_code")["inhabitants"].sum()
    rows = sample[(sample["indicator_id"] == indicator) & (sample["period"] == "2023")].set_index("region_code")
    return float((rows["value"] * weights[rows.index]).sum() / weights[rows.index].sum())


def test_sample_series_match_the_real_twente_figure():
    population = store.read_frame("population")
    observations = store.read_frame("observations")
    sample = observations[observations["is_sample"]]
    real = observations[~observations["is_sample"]].set_index(["indicator_id", "region_code", "period"])
    for indicator, groups in (("moeite_met_rondkomen", ["totaal"]), ("eenzaam_65plus", ["65-79", "80+"])):
        twente = real.loc[(indicator, TWENTE, "2023"), "value"]
        twente = float(twente.iloc[0] if isinstance(twente, pd.Series) else twente)
        assert abs(_weighted_mean(sample, population, indicator, groups) - twente) <= 0.05
        rows = sample[sample["indicator_id"] == indicator]
        assert set(rows["region_code"]) == set(GEMEENTE_CODES)  # no generated Twente figure
        assert rows["value"].between(0, 100).all()


def test_sample_rows_are_marked_and_sourced():
    observations = store.read_frame("observations")
    sample = observations[observations["is_sample"]]
    assert not sample.empty
    assert (sample["source_id"] == voorbeelddata.SAMPLE_SOURCE_ID).all()
    assert set(sample["indicator_id"]) == {"moeite_met_rondkomen", "eenzaam_65plus"}
    sources = store.read_frame("sources").set_index("source_id")
    assert bool(sources.loc[voorbeelddata.SAMPLE_SOURCE_ID, "is_sample"])
    assert not sources.drop(voorbeelddata.SAMPLE_SOURCE_ID)["is_sample"].any()
    real = observations[~observations["is_sample"]]
    assert voorbeelddata.SAMPLE_SOURCE_ID not in set(real["source_id"])


def test_generation_is_deterministic():
    population = store.read_frame("population")
    observations = store.read_frame("observations")
    kpis = store.read_frame("project_kpis")
    a = voorbeelddata.sample_observations(population, observations)
    b = voorbeelddata.sample_observations(population, observations)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(voorbeelddata.sample_kpi_realisations(kpis),
                                  voorbeelddata.sample_kpi_realisations(kpis))


def test_kpi_realisations_cumulative_and_within_deadline():
    kpis = store.read_frame("project_kpis").set_index("kpi_id")
    real = store.read_frame("kpi_realisations")
    assert real["is_sample"].all()
    assert set(real["kpi_id"]) <= set(kpis.index)
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
