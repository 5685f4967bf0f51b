"""What each page asks of the query layer: the named queries with the parameters the page
passes (recorded while AppTest opens the page, not kept by hand), and a naive pandas version of every query that reads the national-size table
(observations, 12,6 million rows); the other tables are small at any scale, so a ratio there
would say nothing.

The pandas versions are what the monitor would do without DuckDB: read the Parquet files
whole (``pd.read_parquet``) and filter, join and group in pandas. They return the same rows
as the SQL (``tests/unit/test_bench.py`` checks that on the embedded data), so the ratio
compares like with like.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from monitor import settings
from monitor.data import db
from monitor.domain.regions import REGION_ROWS, TWENTE, TWENTE_NAMES, twente_name

PEILDATUM = "2026-11-22"
SINCE = "2025-01-01"
# Parameters fixed for the bench, so a run does not depend on the day it runs; every other
# parameter is what the page itself passed.
FIXED = {"peildatum": PEILDATUM, "since": SINCE}


def _plain(value):
    """A parameter as JSON can hold it (dates as ISO text, tuples as lists)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class _Recorder:
    """Around the run that shows a page: Streamlit's data cache emptied (else a cached loader
    would not ask the query layer at all), then every query call recorded."""

    def __enter__(self):
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()  # the view models (shell.view_cache) keep their results there
        self._recording = db.recording()
        self.calls = self._recording.__enter__()
        return self

    def __exit__(self, *exc):
        return self._recording.__exit__(*exc)


def record_page_queries(directory: Path) -> dict[str, list[tuple[str, dict]]]:
    """Per page: the queries it runs on opening, recorded while Streamlit's AppTest opens the
    page on ``directory`` (``db.recording``), in the order of their first call."""
    import os

    from bench.run import APPTEST_PAGES, open_page  # every page of the registry (dashboard.PAGES)

    previous = settings.raw("MONITOR_DATASETS")
    os.environ["MONITOR_DATASETS"] = str(directory)
    plan: dict[str, list[tuple[str, dict]]] = {}
    try:
        for label, page, params in APPTEST_PAGES:
            recorder = _Recorder()
            at = open_page(page, params, before_last_run=recorder)
            calls = recorder.calls
            if at.exception:
                raise RuntimeError(f"{label}: {at.exception}")
            seen: list[tuple[str, dict]] = []
            for name, passed in calls:
                passed = {k: FIXED.get(k, _plain(v)) for k, v in passed.items()}
                if (name, passed) not in seen:
                    seen.append((name, passed))
            plan[label] = seen
    finally:
        if previous is None:
            os.environ.pop("MONITOR_DATASETS", None)
        else:
            os.environ["MONITOR_DATASETS"] = previous
    return plan


def page_queries(directory: Path, plan_file: Path | None = None) -> dict[str, list[tuple[str, dict]]]:
    """The page-to-query map: read from ``plan_file`` (written by ``record_page_queries`` in a
    process of its own, so the measuring processes never load Streamlit), or recorded now."""
    if plan_file is not None:
        return {page: [(name, params) for name, params in queries]
                for page, queries in json.loads(Path(plan_file).read_text(encoding="utf-8")).items()}
    return record_page_queries(directory)


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
    twente = rows["region_code"] == TWENTE  # named as the region that produced the figure
    rows.loc[twente, "region_name"] = [twente_name(k) if k in TWENTE_NAMES else n
                                       for k, n in zip(rows.loc[twente, "region_kind"], rows.loc[twente, "region_name"])]
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
        "gemeenten": int(((regions["level"] == "gemeente") & (regions["parent_code"] == TWENTE)).sum()),
        "real_sources": int((~sources["is_sample"]).sum()),
        "peildatum": sources.loc[~sources["is_sample"], "peildatum"].max(),
    }])


PANDAS = {
    "indicator_observations": pandas_indicator_observations,
    "indicator_list": pandas_indicator_list,
    "indicator_catalogue": pandas_indicator_catalogue,
    "monitor_summary": pandas_monitor_summary,
}
