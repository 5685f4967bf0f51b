"""The Indicatoren page's view model (pure): from one indicator's query results and the page's
choices, what each section shows (trend, the 14 gemeenten, the table) and, for the second
indicator chosen, the scatter. The logic per step is in ``monitor.views.explorer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor.data import db
from monitor.domain import compare
from monitor.domain.indicator import Indicator
from monitor.domain.indicators import for_group, gemeente_frame, pick, references_frame, trend_frame
from monitor.domain.quotes import Quote, quotes_of, reference_line
from monitor.domain.text import direction_label
from monitor.domain.regions import GEMEENTE_CODES, NEDERLAND, TWENTE, region_name, regions_text, twente_focus_name
from monitor.views import explorer


@dataclass
class IndicatorInputs:
    """One indicator's query results: its catalogue row (empty if unknown) and its figures."""

    meta: pd.DataFrame
    observations: pd.DataFrame
    quotes: pd.DataFrame | None = None  # what the jaarplan quotes for it (``indicator_quotes``)


def load_indicator(indicator_id: str, dataset_dir: str | Path | None = None) -> IndicatorInputs:
    return IndicatorInputs(db.query("indicator_meta", dataset_dir, indicator_ids=[indicator_id]),
                           db.query("indicator_observations", dataset_dir, indicator_ids=[indicator_id]),
                           db.query("indicator_quotes", dataset_dir, indicator_ids=[indicator_id]))


def load_indicator_list(dataset_dir: str | Path | None = None) -> pd.DataFrame:
    """Every indicator the picker offers (indicator_list)."""
    return db.query("indicator_list", dataset_dir)


def load_pair(indicator_id: str, other_id: str, dataset_dir: str | Path | None = None) -> pd.DataFrame:
    """The observations of two indicators, for the scatter of one against the other."""
    return db.query("indicator_observations", dataset_dir, indicator_ids=[indicator_id, other_id])


def indicator_of(meta: pd.DataFrame) -> Indicator | None:
    if meta.empty:
        return None
    return Indicator.from_row(meta.iloc[0].to_dict())


@dataclass(frozen=True)
class IndicatorChoice:
    """What the page's selectors need of an indicator: its metadata (None if unknown) and the
    periods it has figures for."""

    indicator: Indicator | None
    periods: list[str]


def indicator_choice(indicator_id: str, dataset_dir: str | Path | None = None) -> IndicatorChoice:
    """The indicator and its periods, for the group labels and the period picker (the page calls
    it through its view cache: once per data version, not on every page view)."""
    inputs = load_indicator(indicator_id, dataset_dir)
    return IndicatorChoice(indicator_of(inputs.meta), explorer.all_periods(inputs.observations))


@dataclass(frozen=True)
class TrendSection:
    """Door de tijd: the series of the chosen regions; sentence, sources and shown regions when
    there is a region with figures."""

    series: pd.DataFrame
    left_out: list[str]
    sentence: str = ""
    sources: list[tuple] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    shown_text: str = ""  # the regions in the chart, Twente named as in its figures


@dataclass(frozen=True)
class GemeentenSection:
    """De 14 gemeenten vergeleken, in ``period`` (None: no gemeente has figures)."""

    period: str | None
    note: str | None
    values: pd.DataFrame | None = None
    references: pd.DataFrame | None = None
    used: pd.DataFrame | None = None
    highlight: str | None = None
    sentence: str = ""
    is_sample: bool = False
    sources: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class TableSection:
    """The table: ``table`` for CSV/XLSX (period codes, numbers as numbers), ``display`` for the
    screen (period labels, Dutch strings)."""

    table: pd.DataFrame
    selected: pd.DataFrame | None = None
    display: pd.DataFrame | None = None
    sources: list[tuple] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)  # labels of the quote rows in ``table``
    shown_text: str = ""  # the chosen regions, Twente named as in the selected figures


@dataclass(frozen=True)
class ScatterSection:
    """Two indicators per gemeente in one period."""

    pairs: pd.DataFrame
    period: str | None
    notes: list[str]
    is_sample: bool
    sources: list[tuple]


@dataclass(frozen=True)
class IndicatorenView:
    """The page for one indicator. ``indicator`` None: no such indicator or no figures yet."""

    indicator: Indicator | None
    group_note: str | None = None
    periods: list[str] = field(default_factory=list)  # the chosen periods that have figures
    what: str = ""  # the selection in words (captions, download footers)
    caption: str = ""  # under the choices: description, unit, direction
    trend: TrendSection | None = None
    gemeenten: GemeentenSection | None = None
    table: TableSection | None = None
    # The jaarplan's quotes for the indicator in one sentence ("Citaat, geen meting: …"): beside
    # the measured figures, never one of them. Also set when ``indicator`` is None (no measurements).
    reference: str = ""


def build_indicatoren(inputs: IndicatorInputs, groep: str, regio: list[str], periode: list[str]) -> IndicatorenView:
    indicator = indicator_of(inputs.meta)
    quotes = [] if indicator is None else quotes_of(inputs.quotes, indicator.indicator_id)
    reference = reference_line(quotes, {q.region_code: region_name(q.region_code) for q in quotes})
    if indicator is None or inputs.observations.empty:
        return IndicatorenView(None, reference=reference)
    rows, note = for_group(inputs.observations, groep, indicator)
    periods = explorer.chosen_periods(explorer.all_periods(rows), periode)
    rows = rows[rows["period"].astype(str).isin(periods)]
    caption = f"{indicator.description} · eenheid: {indicator.unit} · {direction_label(indicator.direction)}"
    return IndicatorenView(indicator, note, periods, explorer.selection_text(indicator, groep, periods), caption,
                           trend_data(indicator, rows, regio), gemeenten_data(indicator, rows, regio, periods),
                           table_data(indicator, rows, regio, periods, quotes), reference)


def trend_data(indicator: Indicator, rows: pd.DataFrame, regio: list[str]) -> TrendSection:
    codes, left_out = explorer.trend_regions(regio)
    series = trend_frame(rows, codes, indicator.unit)
    if not regio or series.empty:
        return TrendSection(series, left_out)
    focus = next(c for c in codes if (series["region_code"] == c).any())
    name = twente_focus_name(series) if focus == TWENTE else region_name(focus)
    shown = [c for c in codes if (series["region_code"] == c).any()]
    return TrendSection(series, left_out, sentence=compare.trend_sentence(series, indicator, name),
                        sources=explorer.source_lines(series), shown=shown,
                        shown_text=regions_text(shown, series))


def gemeenten_data(indicator: Indicator, rows: pd.DataFrame, regio: list[str], periods: list[str]) -> GemeentenSection:
    period, note = explorer.comparison_period(rows, periods)
    if period is None:
        return GemeentenSection(None, note)
    twente = pick(rows, TWENTE, period)
    values = gemeente_frame(rows, period, indicator, twente)
    reference_rows = [r for r in (twente, pick(rows, NEDERLAND, period)) if r is not None]
    used = pd.concat([values, pd.DataFrame(reference_rows)]) if reference_rows else values
    chosen = [c for c in regio if c in GEMEENTE_CODES]
    sentence = compare.ranking_sentence(values, indicator, period,
                                        None if twente is None else twente["value"],
                                        None if twente is None else twente["ci_low"],
                                        None if twente is None else twente["ci_high"])
    return GemeentenSection(period, note, values=values, references=references_frame(rows, period, indicator.unit),
                            used=used, highlight=region_name(chosen[0]) if chosen else None, sentence=sentence,
                            is_sample=bool(values["is_sample"].any()), sources=explorer.source_lines(used))


def table_data(indicator: Indicator, rows: pd.DataFrame, regio: list[str], periods: list[str],
               quotes: list[Quote] | None = None) -> TableSection:
    """The measured figures of the choice, then the jaarplan's quotes for the chosen regions
    (Soort "citaat", in their own words)."""
    selected = explorer.select_rows(rows, regio, periods)
    table = explorer.table_frame(selected, indicator)
    if table.empty:
        return TableSection(table, shown_text=regions_text(regio, selected))
    cited = explorer.quote_table(quotes or [], indicator, regio)
    if not cited.empty:
        table = pd.concat([table, cited], ignore_index=True)
    labels = [q.label for q in quotes or [] if q.region_code in set(regio)]
    return TableSection(table, selected=selected, display=explorer.display_table(table),
                        sources=explorer.source_lines(selected), quotes=labels,
                        shown_text=regions_text(regio, selected))


def scatter_data(both: pd.DataFrame, indicator: Indicator, other: Indicator, groep: str, periods: list[str]) -> ScatterSection:
    """Two indicators per gemeente in one period (``both``: the observations of the two)."""
    pairs, period, notes = explorer.scatter_frame(both, indicator.indicator_id, other.indicator_id, groep,
                                                  periods, names={indicator.indicator_id: indicator.name,
                                                                  other.indicator_id: other.name},
                                                  indicators={indicator.indicator_id: indicator,
                                                              other.indicator_id: other})
    return ScatterSection(pairs, period, notes, bool(pairs["is_sample"].any()), explorer.source_lines(pairs))


# The page's view model per widget values (the page caches it with ``shell.view_cache``, keyed on the
# data version and these values): loaded and built.

def indicator_choices() -> dict[str, str]:
    """The picker's options: indicator id → label (1,1 ms to make, so kept)."""
    return explorer.indicator_labels(load_indicator_list())


def indicatoren_view(indicator_id: str, groep: str, regio: list[str], periode: list[str]) -> IndicatorenView:
    return build_indicatoren(load_indicator(indicator_id), groep, regio, periode)


def scatter_view(indicator_id: str, other_id: str, groep: str, periods: list[str]) -> ScatterSection:
    indicator, other = (indicator_of(load_indicator(i).meta) for i in (indicator_id, other_id))
    return scatter_data(load_pair(indicator_id, other_id), indicator, other, groep, periods)
