"""The Bronnen and Over pages' loaders and view models (pure): the sources, the indicator
catalogue, the monitor's summary and the peildatum of the data in the footer. Display tables:
``monitor/views/tables.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from monitor.data import db
from monitor.views.tables import INCOMPLETE_MARK


@dataclass(frozen=True)
class BronnenView:
    sources: pd.DataFrame  # sources_overview
    indicators: pd.DataFrame  # indicator_catalogue
    incomplete: pd.DataFrame  # the sources whose file is incomplete
    samples: pd.DataFrame  # the sources of voorbeelddata


def load_sources() -> pd.DataFrame:
    """Every source with its metadata (sources_overview); also the SQL page's footer lines."""
    return db.query("sources_overview")


def load_bronnen() -> BronnenView:
    sources = load_sources()
    return BronnenView(sources=sources, indicators=db.query("indicator_catalogue"),
                       incomplete=sources[sources["note"].fillna("").str.contains(INCOMPLETE_MARK)],
                       samples=sources[sources["is_sample"]])


@dataclass(frozen=True)
class OverView:
    """What the monitor holds (monitor_summary)."""

    projects: int
    themalijnen: int
    indicators: int
    real_observations: int
    sample_observations: int
    gemeenten: int
    real_sources: int
    peildatum: date | None


def load_over() -> OverView:
    summary = db.query("monitor_summary").iloc[0]
    return OverView(**{name: summary[name] for name in OverView.__dataclass_fields__})


@dataclass(frozen=True)
class DataPeildatum:
    """The footer's line: the latest peildatum of the real sources, and whether there is voorbeelddata."""

    peildatum: date | None
    has_sample: bool


def load_data_peildatum() -> DataPeildatum:
    info = db.query("data_peildatum")
    if info.empty:
        return DataPeildatum(None, False)
    return DataPeildatum(info["peildatum"].iloc[0], bool(info["has_sample"].iloc[0]))
