"""A chart's figures as tables: the text alternative for its data (WCAG 1.1.1).

Every builder gives each mark that carries figures a tooltip of preformatted Dutch strings
(``common``: "tooltips show string columns preformatted in Python"), titled in Dutch. Those
tooltips are exactly what a reader can learn from the chart, so the tables are made from them:
one table per distinct set of tooltip titles (the gemeenten of a ranked chart, its reference
lines; the one with most columns first), one row per distinct row of values, in the order of the data. Marks without a tooltip
(labels, the legend-only layer) repeat what other marks show and add no rows.

:func:`data_tables` reads a Vega-Lite spec: ``chart.to_dict()``, or the spec Streamlit makes of
a chart, whose datasets are Arrow IPC streams. Filters (``transform_filter``) are not applied:
a row a mark leaves out (a hidden half year) is shown by another one (its label), so the table
holds every row of the layer's data.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pyarrow as pa

from monitor.domain.text import format_date, format_number

MISSING = "–"


def _rows(spec: dict, data: dict | None) -> list[dict]:
    if not data:
        return []
    if "values" in data:
        values = data["values"]
        return values if isinstance(values, list) else []
    found = spec.get("datasets", {}).get(data.get("name"))
    if isinstance(found, (bytes, bytearray, memoryview)):
        return pa.ipc.open_stream(pa.py_buffer(found)).read_all().to_pylist()
    return found if isinstance(found, list) else []


def _tooltip(encoding: dict | None, inherited: list[dict]) -> list[dict]:
    if not encoding or "tooltip" not in encoding:
        return inherited
    tooltip = encoding["tooltip"]
    if tooltip is None:
        return []
    items = tooltip if isinstance(tooltip, list) else [tooltip]
    return [t for t in items if isinstance(t, dict) and "field" in t]


def _leaves(spec: dict) -> list[tuple[dict | None, list[dict]]]:
    """(data, tooltip) of every unit view, with data and encoding inherited from its parents."""
    found = []

    def walk(node: dict, data: dict | None, tooltip: list[dict]) -> None:
        data = node.get("data", data)
        tooltip = _tooltip(node.get("encoding"), tooltip)
        children = ([node["spec"]] if isinstance(node.get("spec"), dict) else
                    node.get("layer") or node.get("vconcat") or node.get("hconcat") or node.get("concat"))
        if children:
            for child in children:
                walk(child, data, tooltip)
        elif "mark" in node:
            found.append((data, tooltip))

    walk(spec, None, [])
    return found


def cell_text(value) -> str:
    """A value as the table shows it: Dutch number notation, '–' for nothing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return MISSING
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float):
        return format_number(value, 0 if value.is_integer() else 1)
    if isinstance(value, date):  # datetime and pd.Timestamp too
        return format_date(value)
    return str(value)


def data_tables(spec: dict) -> list[pd.DataFrame]:
    """The chart's figures: one frame per distinct set of tooltip titles, every cell a string."""
    groups: dict[tuple[str, ...], list[list[str]]] = {}
    for data, tooltip in _leaves(spec):
        if not tooltip:
            continue
        fields = [t["field"] for t in tooltip]
        titles = tuple(str(t.get("title", t["field"])) for t in tooltip)
        rows = groups.setdefault(titles, [])
        for record in _rows(spec, data):
            row = [cell_text(record.get(field)) for field in fields]
            if row not in rows:
                rows.append(row)
    tables = [pd.DataFrame(rows, columns=_unique(titles)) for titles, rows in groups.items() if rows]
    return sorted(tables, key=lambda t: -t.shape[1])  # the main figures (most columns) first


def _unique(titles: tuple[str, ...]) -> list[str]:
    """Column names for a table: a title that repeats gets a number."""
    out: list[str] = []
    for title in titles:
        name, n = title, 2
        while name in out:
            name, n = f"{title} ({n})", n + 1
        out.append(name)
    return out
