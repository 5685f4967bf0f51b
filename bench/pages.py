"""What each page asks of the query layer: the named queries with the parameters the page
passes, and a naive pandas version of every query that reads the national-size table
(observations, 12,6 million rows); the other tables are small at any scale, so a ratio there
would say nothing.

The pandas versions are what the monitor would do without DuckDB: read the Parquet files
whole (``pd.read_parquet``) and filter, join and group in pandas. They return the same rows
as the SQL (``tests/unit/test_bench.py`` checks that on the embedded data), so the ratio
compares like with like.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from monitor.data import db
from monitor.domain.regions import REGION_ROWS, TWENTE

PEILDATUM = "2026-11-22"
SINCE = "2025-01-01"
THEMALIJN = "bestaanszekerheid"
INDICATOR = "overgewicht"
PROJECT = "kinderarmoede"
VT = {"kind": "melding", "period": "2025H1", "region_code": "GM0183"}


def headline_ids(directory: Path) -> list[str]:
    themalijnen = db.query("themalijnen", directory)
    return sorted({i for ids in themalijnen["headline_indicators"] for i in ids})


def page_queries(directory: Path) -> dict[str, list[tuple[str, dict]]]:
    """Per page: the queries it runs on opening (as in pages/ and monitor/*_view.py)."""
    headline = headline_ids(directory)
    themalijn = db.query("themalijnen", directory)
    ids = sorted(next(iter(themalijn.loc[themalijn["themalijn"] == THEMALIJN, "headline_indicators"])))
    footer = [("data_peildatum", {})]
    project_page = [
        ("project_overview", {"peildatum": PEILDATUM}),
        ("project_phase_events", {"peildatum": PEILDATUM}),
        ("project_local_assignments", {}),
        ("recent_changes", {"peildatum": PEILDATUM, "limit": 25}),
    ]
    return {
        "overzicht": [
            ("themalijnen", {}),
            ("indicator_observations", {"indicator_ids": headline}),
            ("indicator_meta", {"indicator_ids": headline}),
            ("indicator_targets", {"indicator_ids": headline}),
            ("project_overview", {"peildatum": PEILDATUM}),
            ("changes_between", {"since": SINCE, "peildatum": PEILDATUM}),
        ] + footer,
        "themalijn": [
            ("themalijnen", {}),
            ("indicator_observations", {"indicator_ids": ids}),
            ("indicator_meta", {"indicator_ids": ids}),
            ("indicator_targets", {"indicator_ids": ids}),
            ("project_overview", {"peildatum": PEILDATUM}),
            ("project_phase_events", {"peildatum": PEILDATUM}),
            ("themalijn_kpis", {"themalijn": THEMALIJN}),
            ("region_shapes", {}),
        ] + footer,
        "projecten": project_page + footer,
        "project": [
            ("project_detail", {"project_id": PROJECT}),
            ("project_overview", {"peildatum": PEILDATUM}),
            ("project_kpi_realisations", {"project_id": PROJECT}),
            ("project_history", {"project_id": PROJECT}),
            ("project_kpi_history", {"project_id": PROJECT}),
            ("project_local_assignments", {}),
        ] + footer,
        "indicatoren": [
            ("indicator_list", {}),
            ("indicator_meta", {"indicator_ids": [INDICATOR]}),
            ("indicator_observations", {"indicator_ids": [INDICATOR]}),
            ("region_shapes", {}),
        ] + footer,
        "veilig_thuis": [
            ("vt_status", {}),
            ("vt_periods", {}),
            ("vt_trend", {"region_codes": [TWENTE, VT["region_code"]], "kind": VT["kind"]}),
            ("vt_gemeenten", {"kind": VT["kind"], "period": VT["period"]}),
            ("vt_breakdown", VT),
        ] + footer,
        "bronnen": [("sources_overview", {}), ("indicator_catalogue", {})] + footer,
        "over": [("monitor_summary", {})] + footer,
    }


# --- naive pandas versions ---------------------------------------------------------------------

def _read(directory: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(directory / f"{name}.parquet")


def pandas_indicator_observations(directory: Path, indicator_ids: list[str]) -> pd.DataFrame:
    observations = _read(directory, "observations")
    regions = _read(directory, "regions")
    sources = _read(directory, "sources")
    scope = [code for code, *_ in REGION_ROWS]
    rows = observations[observations["indicator_id"].isin(indicator_ids) & observations["region_code"].isin(scope)
                        & observations["value"].notna()]
    rows = rows.merge(regions[["region_code", "name", "level"]].rename(columns={"name": "region_name"}),
                      on="region_code")
    rows = rows.merge(sources[["source_id", "title", "publisher", "peildatum"]].rename(
        columns={"title": "source_title", "publisher": "source_publisher", "peildatum": "source_peildatum"}),
        on="source_id", how="left")
    return rows.sort_values(["indicator_id", "period", "level", "region_name"]).reset_index(drop=True)


def pandas_indicator_list(directory: Path) -> pd.DataFrame:
    observations = _read(directory, "observations")
    indicators = _read(directory, "indicators")
    with_figures = set(observations.loc[observations["value"].notna(), "indicator_id"])
    out = indicators[["indicator_id", "name", "unit", "direction", "themalijn", "description"]].copy()
    out["has_figures"] = out["indicator_id"].isin(with_figures)
    out["_key"] = out["name"].str.lower()
    return out.sort_values(["_key", "indicator_id"]).drop(columns="_key").reset_index(drop=True)


def pandas_indicator_catalogue(directory: Path) -> pd.DataFrame:
    observations = _read(directory, "observations")
    indicators = _read(directory, "indicators")
    sources = _read(directory, "sources")
    periods = observations.groupby("indicator_id")["period"].agg(lambda p: ", ".join(sorted(set(p))))
    sample = observations.groupby("indicator_id")["is_sample"].any()
    out = indicators.merge(sources[["source_id", "title"]].rename(columns={"title": "source_title"}),
                           on="source_id", how="left")
    out["periods"] = out["indicator_id"].map(periods)
    named = observations.merge(sources[["source_id", "title"]], on="source_id", how="left")
    named["title"] = named["title"].fillna(named["source_id"])
    per_source = (named.groupby(["indicator_id", "source_id", "title"])["period"]
                  .agg(lambda p: (min(p), ", ".join(sorted(set(p))))).reset_index())
    per_source = per_source.assign(first=[v[0] for v in per_source["period"]],
                                   text=[f"{t} ({v[1]})" for t, v in zip(per_source["title"], per_source["period"])])
    listed = (per_source.sort_values(["indicator_id", "first", "source_id"])
              .groupby("indicator_id")["text"].agg("; ".join))
    out["sources"] = out["indicator_id"].map(listed)
    out["has_sample"] = out["indicator_id"].map(sample)
    return out.sort_values(["themalijn", "name"], na_position="last").reset_index(drop=True)


def pandas_monitor_summary(directory: Path) -> pd.DataFrame:
    observations = _read(directory, "observations")
    projects = _read(directory, "projects")
    regions = _read(directory, "regions")
    sources = _read(directory, "sources")
    indicators = _read(directory, "indicators")
    return pd.DataFrame([{
        "projects": len(projects), "themalijnen": projects["themalijn"].nunique(),
        "indicators": len(indicators),
        "real_observations": int((~observations["is_sample"]).sum()),
        "sample_observations": int(observations["is_sample"].sum()),
        "gemeenten": int((regions["level"] == "gemeente").sum()),
        "real_sources": int((~sources["is_sample"]).sum()),
        "peildatum": sources.loc[~sources["is_sample"], "peildatum"].max(),
    }])


PANDAS = {
    "indicator_observations": pandas_indicator_observations,
    "indicator_list": pandas_indicator_list,
    "indicator_catalogue": pandas_indicator_catalogue,
    "monitor_summary": pandas_monitor_summary,
}
