"""Small helpers the tests share."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd


def snapshot(directory: Path) -> dict[str, str]:
    """sha256 of every file in the folder (recursively), by relative path: for 'nothing changed'."""
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*")) if path.is_file()
    }


def one(frame: pd.DataFrame, **where) -> pd.Series:
    """The single row matching all column=value conditions (fails if there are 0 or 2+)."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return rows.iloc[0]


def sample_vt_frame():
    """The generated Veilig Thuis raw counts (voorbeelddata) for the embedded population and regions:
    the test bed of the monitor's own protection (the committed vt_reports holds CBS's real,
    already protected figures, to which that protection does not apply)."""
    from monitor.data import store
    from monitor.ingest import voorbeelddata

    return voorbeelddata.sample_vt_reports(store.read_frame("population"), store.read_frame("regions"))


def sample_vt_datasets(target: Path) -> Path:
    """A copy of the committed datasets in ``target`` (events left out) whose Veilig Thuis table
    holds the generated raw counts and their voorbeelddata source: a dataset folder on which the
    monitor's own protection (rounding, <10, complementary suppression) is shown on the page."""
    import shutil

    from monitor.data import store
    from monitor.ingest import voorbeelddata

    shutil.copytree(store.dataset_dir(), target, ignore=shutil.ignore_patterns("events", "vt_reports.parquet"))
    sources = pd.concat([store.read_frame("sources", target), pd.DataFrame([voorbeelddata.sample_vt_source()])],
                        ignore_index=True)
    store.write_tables({"vt_reports": store.to_table("vt_reports", sample_vt_frame()),
                        "sources": store.to_table("sources", sources)}, target)
    return target


def with_generated_series(observations):
    """The observations plus the per-gemeente voorbeelddata series (rondkomen, eenzaamheid) as they
    are generated for a themalijn without real per-gemeente figures: the test bed of how
    voorbeelddata is worded and marked (the embedded data no longer needs them)."""
    import pandas as pd

    from monitor.data import store
    from monitor.ingest import voorbeelddata
    from monitor.data.catalogue import load_catalogue
    from monitor.domain.regions import GEMEENTE_CODES

    themalijn = {i.indicator_id: i.themalijn for i in load_catalogue().indicators.values()}
    without = observations[~(observations["indicator_id"].map(themalijn).isin(["bestaanszekerheid", "mentale-gezondheid"])
                             & observations["region_code"].isin(list(GEMEENTE_CODES)))]
    sample = voorbeelddata.sample_observations(store.read_frame("population"), without, store.read_frame("quotes"))
    sample = store.to_table("observations", sample).to_pandas()
    return pd.concat([observations, sample], ignore_index=True)
