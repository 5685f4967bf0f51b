"""The Bronnen and Over pages' loaders and view models (pure): the sources, the indicator
catalogue, the monitor's summary and the peildatum of the data in the footer. Display tables:
``monitor/views/tables.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from monitor.data import db
from monitor.views.tables import INCOMPLETE_MARK, filter_indicators, indicators_display, sources_display


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
class BronnenPage:
    """The Bronnen page's tables as shown, made once per data version (and per search and
    themalijn for the indicators) and shared by every session (``shell.view_cache``), not made
    again for each page view."""

    view: BronnenView
    sources: pd.DataFrame  # sources_display


@dataclass(frozen=True)
class IndicatorRows:
    table: pd.DataFrame  # indicators_display of the indicators found
    found: int
    total: int


def bronnen_page() -> BronnenPage:
    view = load_bronnen()
    return BronnenPage(view=view, sources=sources_display(view.sources))


def indicator_rows(search: str = "", themalijn: str | None = None) -> IndicatorRows:
    """The catalogue's indicators a search and a themalijn find, as the Bronnen page lists them."""
    indicators = db.query("indicator_catalogue")
    shown = filter_indicators(indicators, search, themalijn)
    return IndicatorRows(table=indicators_display(shown), found=len(shown), total=len(indicators))


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
