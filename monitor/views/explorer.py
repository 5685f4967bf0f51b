"""The Indicatoren page's logic: choices, the table, footer lines, the two-indicator pairs.

Pure functions over the ``indicator_list`` and ``indicator_observations`` query results; no
Streamlit. The page (``pages/indicatoren.py``) only draws widgets and calls these.

* What the reader chose: an indicator (by name), regions, periods (none chosen = all), an
  age group (:data:`monitor.domain.indicators.GROUPS`).
* The table of exactly those figures, once with numbers (for CSV/XLSX: Excel gets real
  numbers) and once with Dutch strings (for the screen); same rows, same order.
* The footer lines every download carries: what is shown, every source with its peildatum,
  and the voorbeelddata mark.
* Two indicators across the gemeenten: the latest period in which both have figures per
  gemeente, in the chosen group, for the scatter plot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from monitor.domain.indicators import for_group, group_label, subgroup_text
from monitor.domain.indicator import Indicator
from monitor.domain.periods import period_label, period_sort_key
from monitor.domain.regions import NEDERLAND, OVERIJSSEL, REGION_ROWS, TWENTE, region_name, title_with_twente
from monitor.domain.text import format_date, format_value, source_line

DEFAULT_INDICATOR = "overgewicht"
DEFAULT_COMPARE = "voldoet_beweegrichtlijn"
# All 17 regions of the embedded set, in display order: Nederland, Overijssel, Twente, gemeenten.
REGION_CODES: tuple[str, ...] = tuple(code for code, *_ in REGION_ROWS)
DEFAULT_REGIONS: tuple[str, ...] = (TWENTE, NEDERLAND)
# The trend chart gives Twente, Overijssel and Nederland their own style, and has three more
# distinct styles (colour and point shape) for other regions: at most that many gemeenten,
# so two lines never look alike.
FIXED_STYLE_REGIONS: frozenset[str] = frozenset({TWENTE, OVERIJSSEL, NEDERLAND})
MAX_TREND_GEMEENTEN = 3

SAMPLE_NOTE = "Let op: bevat voorbeelddata (gegenereerde cijfers, geen echte metingen)."
NO_SAMPLE_NOTE = "Geen voorbeelddata: alle cijfers zijn echte metingen of cijfers uit het jaarplan."

EXPORT_COLUMNS: tuple[str, ...] = (
    "Indicator", "Regio", "Periode", "Groep", "Waarde", "Eenheid", "Ondergrens 95%-interval",
    "Bovengrens 95%-interval", "Status", "Voorbeelddata", "Bron", "Peildatum",
)
DISPLAY_COLUMNS: tuple[str, ...] = (
    "Regio", "Periode", "Groep", "Waarde", "95%-interval", "Status", "Voorbeelddata", "Bron",
    "Peildatum",
)


# --- choices ----------------------------------------------------------------------------

def indicator_labels(indicators: pd.DataFrame) -> dict[str, str]:
    """indicator_id → label for the picker: the name; the id is added when two names are equal.

    >>> frame = pd.DataFrame({"indicator_id": ["a", "b", "c"], "name": ["Rokers", "Rokers", "Zon"]})
    >>> indicator_labels(frame)
    {'a': 'Rokers (a)', 'b': 'Rokers (b)', 'c': 'Zon'}
    """
    counts = indicators["name"].value_counts()
    return {row.indicator_id: (f"{row.name} ({row.indicator_id})" if counts[row.name] > 1 else row.name)
            for row in indicators.itertuples(index=False)}


def default_index(options: Sequence, wanted) -> int:
    """The position of ``wanted`` among ``options``, or 0.

    >>> default_index(["a", "b"], "b"), default_index(["a", "b"], "x")
    (1, 0)
    """
    return list(options).index(wanted) if wanted in options else 0


def all_periods(observations: pd.DataFrame) -> list[str]:
    """Every period with a figure, oldest first.

    >>> all_periods(pd.DataFrame({"period": ["2020", "2016", "2024H1", "2020"]}))
    ['2016', '2020', '2024H1']
    """
    return sorted(set(observations["period"].astype(str)), key=period_sort_key)


def chosen_periods(available: Sequence[str], chosen: Iterable[str] | None) -> list[str]:
    """The periods to show, oldest first: all when none are chosen, else the chosen ones that
    exist (possibly none).

    >>> chosen_periods(["2016", "2020"], [])
    ['2016', '2020']
    >>> chosen_periods(["2016", "2020", "2023"], ["2023", "2016", "1999"])
    ['2016', '2023']
    >>> chosen_periods(["2016", "2020"], ["2023"])
    []
    """
    wanted = {str(p) for p in (chosen or ())}
    if not wanted:
        return sorted(available, key=period_sort_key)
    return sorted((p for p in available if p in wanted), key=period_sort_key)


def trend_regions(codes: Sequence[str]) -> tuple[list[str], list[str]]:
    """The regions the trend chart can show (in the chosen order) and those left out.

    Twente, Overijssel and Nederland always fit; of the gemeenten the first
    :data:`MAX_TREND_GEMEENTEN`.

    >>> trend_regions(["GG_TWENTE", "GM0141", "GM0147", "GM0153", "GM0158", "NL01"])
    (['GG_TWENTE', 'GM0141', 'GM0147', 'GM0153', 'NL01'], ['GM0158'])
    """
    shown, left_out, gemeenten = [], [], 0
    for code in dict.fromkeys(codes):
        if code in FIXED_STYLE_REGIONS:
            shown.append(code)
        elif gemeenten < MAX_TREND_GEMEENTEN:
            shown.append(code)
            gemeenten += 1
        else:
            left_out.append(code)
    return shown, left_out


def comparison_period(rows: pd.DataFrame, periods: Sequence[str]) -> tuple[str | None, str | None]:
    """The period for the gemeenten comparison: the latest of ``periods`` with figures per
    gemeente; a note when that is not the latest shown period, None when there is none.

    ``rows``: observations with ``level`` and ``period`` (one indicator, one group).
    """
    gemeente_periods = set(rows.loc[rows["level"] == "gemeente", "period"].astype(str))
    ordered = sorted(periods, key=period_sort_key)
    candidates = [p for p in ordered if p in gemeente_periods]
    if not candidates:
        return None, None
    period = candidates[-1]
    note = None
    if ordered and period != ordered[-1]:
        note = (f"Voor {ordered[-1]} zijn er geen cijfers per gemeente; de gemeenten worden "
                f"vergeleken voor {period}.")
    return period, note


# --- the table --------------------------------------------------------------------------

def _order(rows: pd.DataFrame, region_codes: Sequence[str]) -> pd.DataFrame:
    rank = {code: i for i, code in enumerate(dict.fromkeys(region_codes))}
    out = rows.assign(_region=[rank.get(c, len(rank)) for c in rows["region_code"]],
                      _period=[period_sort_key(p) for p in rows["period"]])
    return out.sort_values(["_region", "_period", "subgroup"], kind="stable").drop(
        columns=["_region", "_period"]).reset_index(drop=True)


def select_rows(observations: pd.DataFrame, region_codes: Sequence[str],
                periods: Sequence[str]) -> pd.DataFrame:
    """The rows of the chosen regions and periods, regions in the chosen order, then by period."""
    rows = observations[observations["region_code"].isin(list(region_codes))
                        & observations["period"].astype(str).isin(list(periods))]
    return _order(rows, region_codes)


def table_frame(rows: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """The table for CSV/XLSX: one row per figure, numbers as numbers, the peildatum a date."""
    unit = indicator.unit
    return pd.DataFrame({
        "Indicator": [indicator.name] * len(rows),
        # the rows' own name: Twente as the region that produced the figure (COROP-gebied, …)
        "Regio": (rows["region_name"].tolist() if "region_name" in rows
                  else [region_name(c) for c in rows["region_code"]]),
        "Periode": rows["period"].astype(str).tolist(),
        "Groep": [subgroup_text(s, indicator) for s in rows["subgroup"]],
        "Waarde": rows["value"].astype(float).tolist(),
        "Eenheid": [unit] * len(rows),
        "Ondergrens 95%-interval": rows["ci_low"].astype(float).tolist(),
        "Bovengrens 95%-interval": rows["ci_high"].astype(float).tolist(),
        "Status": rows["status"].astype(str).tolist(),
        "Voorbeelddata": [bool(s) for s in rows["is_sample"]],
        "Bron": rows["source_title"].tolist(),
        "Peildatum": [None if pd.isna(d) else pd.Timestamp(d).date() for d in rows["source_peildatum"]],
    }, columns=list(EXPORT_COLUMNS))


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The same rows as :func:`table_frame`, as Dutch strings for the screen (periods as labels:
    '1e halfjaar 2024', not '2024H1'; the files keep the codes).

    >>> t = pd.DataFrame({"Indicator": ["X"], "Regio": ["Enschede"], "Periode": ["2020"],
    ...     "Groep": ["alle volwassenen"], "Waarde": [51.1], "Eenheid": ["%"],
    ...     "Ondergrens 95%-interval": [47.5], "Bovengrens 95%-interval": [54.7],
    ...     "Status": ["definitief"], "Voorbeelddata": [False], "Bron": ["CBS"],
    ...     "Peildatum": [pd.Timestamp("2020-12-31").date()]})
    >>> display_table(t).iloc[0].tolist()
    ['Enschede', '2020', 'alle volwassenen', '51,1%', '47,5% – 54,7%', 'definitief', 'nee', 'CBS', '31 december 2020']
    """
    def interval(lo, hi, unit):
        if pd.isna(lo) or pd.isna(hi):
            return "–"
        return f"{format_value(lo, unit)} – {format_value(hi, unit)}"

    return pd.DataFrame({
        "Regio": table["Regio"].tolist(),
        "Periode": [period_label(p) for p in table["Periode"]],
        "Groep": table["Groep"].tolist(),
        "Waarde": [format_value(v, u) for v, u in zip(table["Waarde"], table["Eenheid"])],
        "95%-interval": [interval(lo, hi, u) for lo, hi, u in zip(
            table["Ondergrens 95%-interval"], table["Bovengrens 95%-interval"], table["Eenheid"])],
        "Status": table["Status"].tolist(),
        "Voorbeelddata": ["ja" if s else "nee" for s in table["Voorbeelddata"]],
        "Bron": table["Bron"].tolist(),
        "Peildatum": [format_date(d) if d is not None else "–" for d in table["Peildatum"]],
    }, columns=list(DISPLAY_COLUMNS))


# --- footer lines -----------------------------------------------------------------------

def source_lines(rows: pd.DataFrame) -> list[str]:
    """One line per source of the rows (title, peildatum, voorbeelddata mark), first seen first."""
    lines: list[str] = []
    if rows.empty:
        return lines
    for (title, peildatum), group in rows.groupby(["source_title", "source_peildatum"], sort=False,
                                                  dropna=False):
        line = source_line(title_with_twente(title if isinstance(title, str) else "onbekend", group),
                           None if pd.isna(peildatum) else peildatum,
                           is_sample=bool(group["is_sample"].astype(bool).any()))
        if line not in lines:
            lines.append(line)
    return lines


def footer_lines(rows: pd.DataFrame, what: str, extra: Sequence[str] = ()) -> list[str]:
    """The lines every download carries: what is shown, each source with its peildatum, any
    ``extra`` source lines (the map's boundaries), and the voorbeelddata mark (or that there is none).
    """
    lines = [f"Twentse Koers Monitor · {what}", *source_lines(rows), *extra]
    has_sample = bool(rows["is_sample"].astype(bool).any()) if not rows.empty else False
    lines.append(SAMPLE_NOTE if has_sample else NO_SAMPLE_NOTE)
    return lines


def selection_text(indicator: Indicator, group: str, periods: Sequence[str] = (),
                   regions: Sequence[str] = ()) -> str:
    """'Overgewicht (%) · alle volwassenen · 2016, 2020 · Twente (GGD-regio), Nederland'.

    >>> selection_text(Indicator("rokers", "Rokers", "%"), "65+", ["2020"])
    'Rokers (%) · 65 jaar en ouder · 2020'
    """
    parts = [f"{indicator.name} ({indicator.unit})",
             group_label(group, indicator).lower()]
    if periods:
        parts.append(", ".join(periods))
    if regions:
        parts.append(", ".join(region_name(c) for c in regions))
    return " · ".join(parts)


# --- two indicators across the gemeenten ------------------------------------------------

def scatter_frame(observations: pd.DataFrame, x_id: str, y_id: str, group: str,
                  preferred: Sequence[str] = (), names: dict[str, str] | None = None,
                  indicators: dict[str, Indicator] | None = None) -> tuple[pd.DataFrame, str | None, list[str]]:
    """The figures of two indicators for the gemeenten (and Twente) in one period.

    The period is the latest of ``preferred`` in which both indicators have figures for at
    least one gemeente (in the chosen group, or each indicator's own group, see
    :func:`monitor.domain.indicators.for_group`), else the latest such period of all. Returns the
    rows of both indicators (columns of ``indicator_observations``) for the gemeenten and
    Twente in that period, the period (None when there is no common one) and notes (Dutch;
    an indicator is named by ``names[id]`` when given).
    """
    notes: list[str] = []
    parts = []
    for indicator_id in (x_id, y_id):
        rows, note = for_group(observations[observations["indicator_id"] == indicator_id], group,
                               None if indicators is None else indicators.get(indicator_id))
        if note and names and indicator_id in names:
            note = note.replace("Voor deze indicator", f"Voor {names[indicator_id]}", 1)
        if note and note not in notes:
            notes.append(note)
        parts.append(rows)
    x_rows, y_rows = parts

    def gemeente_periods(rows: pd.DataFrame) -> set[str]:
        return set(rows.loc[rows["level"] == "gemeente", "period"].astype(str))

    common = sorted(gemeente_periods(x_rows) & gemeente_periods(y_rows), key=period_sort_key)
    if not common:
        return observations.iloc[0:0], None, notes
    in_preferred = [p for p in common if p in set(preferred)]
    period = (in_preferred or common)[-1]
    if preferred and not in_preferred:
        notes.append(f"De twee indicatoren hebben in de gekozen perioden geen cijfers per gemeente "
                     f"voor hetzelfde jaar; getoond: {period}.")
    wanted = {TWENTE} | set(observations.loc[observations["level"] == "gemeente", "region_code"])
    frame = pd.concat([x_rows, y_rows])
    frame = frame[(frame["period"].astype(str) == period) & frame["region_code"].isin(wanted)]
    # a real figure before voorbeelddata for the same region, indicator and period
    frame = frame.sort_values(["indicator_id", "region_code", "is_sample"], kind="stable")
    frame = frame.drop_duplicates(["indicator_id", "region_code"], keep="first")
    return frame.reset_index(drop=True), period, notes


__all__ = [
    "DEFAULT_COMPARE", "DEFAULT_INDICATOR", "DEFAULT_REGIONS", "DISPLAY_COLUMNS", "EXPORT_COLUMNS",
    "MAX_TREND_GEMEENTEN", "NO_SAMPLE_NOTE", "REGION_CODES", "SAMPLE_NOTE", "all_periods",
    "chosen_periods", "comparison_period", "default_index", "display_table", "footer_lines",
    "indicator_labels", "scatter_frame", "select_rows", "selection_text", "source_lines",
    "table_frame", "trend_regions",
]
