"""What every chart builder shares: Dutch notation in Vega expressions, colours, the sample mark.

Dutch notation without a Vega locale: Streamlit passes only theme/renderer/padding of the
embed options to Vega, so ``formatLocale``/``timeFormatLocale`` never arrive. Axis labels
therefore use a Vega ``labelExpr`` (:func:`dutch_number_expr`, :func:`dutch_date_expr`), and
tooltips show string columns preformatted in Python with :mod:`monitor.domain.text`, never raw floats.

Every builder sets a Dutch top-level ``description``: Vega-Lite renders it as the
``aria-label`` of the chart, the text alternative for screen readers (Streamlit's renderer puts
it on the chart's container, ``role="graphics-document"``). Vega's own labels of axes, legends
and marks are English ("X-axis for a time scale…"); :func:`without_generated_aria` switches them
off where a chart is drawn or exported, and :mod:`monitor.charts.tables` gives the figures as a
table instead. The builders by domain:
``indicators`` (trends, target paths), ``comparisons`` (the gemeenten ranked, two indicators
against each other), ``maps`` (the choropleth), ``veilig_thuis`` and ``projects``.
"""

from __future__ import annotations

import math
import re

import altair as alt
import pandas as pd


MONTH_ABBREVIATIONS: tuple[str, ...] = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug",
                                        "sep", "okt", "nov", "dec")

SAMPLE_LABEL = "voorbeelddata"
MEASURED_LABEL = "gerealiseerd"
LINE_COLOR = "#0072B2"
REFERENCE_COLOR = "#333333"


# --- Dutch notation in Vega expressions -------------------------------------------------

def dutch_number_expr(decimals: int = 0, value: str = "datum.value") -> str:
    """A Vega expression that shows ``value`` in Dutch notation: 1.234,5.

    d3-format writes '1,234.5' with ',.1f'; the expression swaps the separators through a
    placeholder: ',' → '_' → '.', and '.' → ','. Functions used (Vega expression language):
    ``format``, ``replace`` and ``regexp``.
    """
    if decimals < 0:
        raise ValueError("decimals moet 0 of meer zijn")
    formatted = f"format({value}, ',.{decimals}f')"
    step1 = f"replace({formatted}, regexp(',', 'g'), '_')"
    step2 = f"replace({step1}, regexp('\\\\.', 'g'), ',')"
    return f"replace({step2}, regexp('_', 'g'), '.')"


def dutch_date_expr(value: str = "datum.value") -> str:
    """A Vega expression that shows a date as '1 jan 2025' (Dutch month abbreviations).

    Uses ``date``, ``month`` (zero-based) and ``year`` in local time, the same time zone in
    which Vega-Lite parses the ISO date-times Altair writes and places the time ticks.
    """
    months = ", ".join(f"'{m}'" for m in MONTH_ABBREVIATIONS)
    return f"date({value}) + ' ' + [{months}][month({value})] + ' ' + year({value})"


def as_timestamp(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def vl_datetime(value: pd.Timestamp) -> alt.DateTime:
    """A Vega-Lite DateTime (local time) for scale domains: d3 time scales do not parse strings."""
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def order_of_appearance(values: pd.Series) -> list[str]:
    return list(dict.fromkeys(values.tolist()))


def without_generated_aria(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with Vega-Lite's ``config.aria`` false (axes and legends ``aria-hidden``, no
    generated English descriptions of marks), every mark and title ``aria: false`` too (Vega's
    "line mark container", "Title text '…'"); the top-level ``description`` is kept.

    Vega-Lite 6 has no config for a title's aria, so each view's own title is changed. Set on the
    outermost chart only (a chart with a config cannot be layered or concatenated), merged into a
    config the chart already has. The input is not changed (views are copied, data shared)."""
    out = _quiet_titles(chart)
    config = out.config.copy(deep=True) if out.config is not alt.Undefined else alt.Config()
    config.aria = False
    if config.mark is alt.Undefined:
        config.mark = alt.MarkConfig()
    config.mark.aria = False
    out.config = config
    return out


def _quiet_titles(view):
    out = view.copy(deep=False)
    title = out._kwds.get("title", alt.Undefined)
    if isinstance(title, alt.TitleParams):
        title = title.copy(deep=False)
        title.aria = False
        out.title = title
    elif isinstance(title, (str, list)):
        out.title = alt.TitleParams(text=title, aria=False)
    for name in ("layer", "vconcat", "hconcat", "concat"):
        children = out._kwds.get(name, alt.Undefined)
        if isinstance(children, list):
            out._kwds[name] = [_quiet_titles(c) if isinstance(c, alt.SchemaBase) else c for c in children]
    spec = out._kwds.get("spec", alt.Undefined)
    if isinstance(spec, alt.SchemaBase):
        out._kwds["spec"] = _quiet_titles(spec)
    return out


# --- Shared helpers of the builders ---------------------------------------------------

NO_DATA = "geen gegevens"

# Comparison → colour. Directional indicators: Okabe-Ito blue (gunstiger) against vermilion
# (ongunstiger), greys for no (known) difference. Neutral indicators get purples, so a
# neutral "hoger" never reads as good or bad. No red or green anywhere.
DIRECTIONAL_COLORS: dict[str, str] = {
    "gunstiger": "#0072B2",
    "ongunstiger": "#D55E00",
    "geen verschil": "#999999",
    "onbekend": "#BBBBBB",
}
NEUTRAL_COLORS: dict[str, str] = {
    "hoger": "#6A51A3",
    "lager": "#9E9AC8",
    "geen verschil": "#999999",
    "onbekend": "#BBBBBB",
}

# A dash pattern per line of compared regions, solid first (Twente): with the point shapes, lines
# stay apart without colour (WCAG 1.4.1).
LINE_DASHES: tuple[list[int], ...] = ([1, 0], [8, 4], [2, 3], [8, 3, 2, 3], [4, 4], [12, 3])


def line_dashes(n: int) -> list[list[int]]:
    """A dash pattern for each of ``n`` series, repeating after six.

    >>> line_dashes(2)
    [[1, 0], [8, 4]]
    """
    return [LINE_DASHES[i % len(LINE_DASHES)] for i in range(n)]


UNIT_TITLES: dict[str, str] = {"%": "procent", "aantal": "aantal"}
TEXT_COLOR = "#333333"


def indicator_colors(direction: str) -> dict[str, str]:
    """Comparison word → colour for an indicator's direction (see the palettes above).

    >>> indicator_colors("neutral")["hoger"]
    '#6A51A3'
    """
    if direction == "neutral":
        return dict(NEUTRAL_COLORS)
    if direction in ("lower_is_better", "higher_is_better"):
        return dict(DIRECTIONAL_COLORS)
    raise ValueError(f"Onbekende richting: {direction!r}")


def require_values(frame: pd.DataFrame | None, column: str = "value") -> pd.DataFrame:
    """The rows with a value; ValueError("geen gegevens") when none are left."""
    if frame is None or frame.empty:
        raise ValueError(NO_DATA)
    kept = frame[frame[column].notna()].reset_index(drop=True)
    if kept.empty:
        raise ValueError(NO_DATA)
    return kept


def check_columns(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: kolom(men) ontbreken: {', '.join(missing)}")


def unit_title(unit: str) -> str:
    return UNIT_TITLES.get(unit, unit)


def axis_decimals(unit: str, low: float, high: float) -> int:
    if unit == "aantal" or high - low >= 5:
        return 0
    return 1


def text_labels(values: pd.Series) -> list[str]:
    """Preformatted labels as strings; a missing label becomes '–' (tooltips need strings)."""
    return ["–" if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "" else str(v)
            for v in values]


def flags(values: pd.Series) -> list[bool]:
    return [bool(v) if v is not None and not (isinstance(v, float) and pd.isna(v)) else False
            for v in values]


def json_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing numbers as None: Altair would write NaN, which is not JSON (exports choke)."""
    frame = frame.copy()
    for column in frame.columns:
        series = frame[column]
        if (pd.api.types.is_float_dtype(series) or series.dtype == object) and series.isna().any():
            frame[column] = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v
                             for v in series]
    return frame


def padded_domain(values: list[float], unit: str, headroom: float = 0.12) -> list[float]:
    """A value domain around the data that does not start at zero (for lines and points)."""
    low, high = min(values), max(values)
    pad = max((high - low) * 0.5, abs(high) * 0.05, 0.5)
    lower = low - pad
    if low >= 0:
        lower = max(0.0, lower)
    upper = high + pad + (high - low + pad) * headroom
    if unit == "%":
        upper = min(100.0, upper)
    return [lower, upper]


def reference_labels(refs: pd.DataFrame, x: alt.X) -> list[alt.Chart]:
    """Text labels at the top of reference rules (sorted by value, column ``text``): the lowest
    to the left of its line, the others to the right, so two close references never print
    over each other."""
    out = []
    for part, align, dx in ((refs.iloc[:1], "right", -4), (refs.iloc[1:], "left", 4)):
        if part.empty:
            continue
        out.append(alt.Chart(part).mark_text(
            align=align, baseline="bottom", dx=dx, dy=-3, fontSize=12, fontWeight="bold",
            color="#000000").encode(x=x, y=alt.value(0), text="text:N"))
    return out


def tooltip_title(text: object) -> str:
    """A tooltip field's title taken from data (an indicator's name). Vega-Lite writes tooltip
    titles into a Vega expression, escaping quotes but not backslashes or line breaks: a name
    ending in a backslash broke the chart, and a crafted one could add to the expression. Here
    a backslash is doubled (the tooltip shows it once) and a line break becomes a space."""
    return re.sub(r"[\n\r\u2028\u2029]+", " ", str(text)).replace("\\", "\\\\")
