"""Small Streamlit components shared by the pages."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from monitor.domain.text import md_literal

SEARCH_HELP = "Typ een deel van de naam om te zoeken."

# Streamlit (1.67) puts its own "Download as PNG" in every chart's hover toolbar, in the chart's
# top right corner, under the chart's SVG until the pointer is on the chart: a second "PNG" per
# chart that a click meant for the page's PNG button can land on, and whose file has no source,
# peildatum or voorbeelddata mark. The page's own PNG/SVG buttons under each chart are the one way
# to download a chart; the toolbar keeps full screen.
CHART_TOOLBAR_CSS = """
<style>
[data-testid="stElementToolbar"] .stTooltipHoverTarget:has(> button[aria-label="Download as PNG"]),
[data-testid="stElementToolbar"] button[aria-label="Download as PNG"] { display: none !important; }
</style>
"""


LINE_BREAK = "  \n"  # a Markdown hard line break: the next line starts under this one, in the same element


def caption_text(lines) -> str:
    """``lines`` (source lines, notes: text as built or imported) as the Markdown of one caption:
    each line shown as the text it is (``md_literal``), one under the other."""
    return LINE_BREAK.join(md_literal(line) for line in lines if line)


def captions(lines: list[str], where=st) -> None:
    """``lines`` (source lines: titles as imported) in one ``st.caption``, one under the other: one
    element, not one per line (each element is a message to every new visitor)."""
    if lines:
        where.caption(caption_text(lines))


def small_lines(lines) -> str:
    """``lines`` as Markdown for the end of a paragraph's element: small and grey (``:small[…]``
    and ``:gray[…]``, as a caption is shown), one under the other, each as the text it is. For a
    sentence with its source lines in one ``st.markdown`` instead of a markdown and a caption."""
    return LINE_BREAK.join(f":small[:gray[{md_literal(line)}]]" for line in lines if line)


def infos(notes: list[str]) -> None:
    """Notes built from data (names as imported), each in an ``st.info``, shown as text."""
    for note in notes:
        st.info(md_literal(note))


def _literal(value):
    return md_literal(value) if isinstance(value, str) else value


def _may_hold_text(dtype) -> bool:
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def literal_table(table: pd.DataFrame | pa.Table) -> pd.DataFrame | pa.Table:
    """``table`` for ``st.table``, which reads every cell, header and index label as Markdown:
    every text shown as the text it is (names, notes, sources as typed or imported). A table
    whose texts need no escaping is returned as it is (the same object); the input is never
    changed."""
    if isinstance(table, pa.Table):
        out = table.rename_columns([_literal(name) for name in table.column_names])
        for index, column in enumerate(out.columns):
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                values = column.to_pylist()
                escaped = [_literal(v) for v in values]
                if escaped != values:
                    out = out.set_column(index, out.column_names[index], pa.array(escaped, type=column.type))
        return table if out.equals(table) and out.column_names == table.column_names else out
    out = table.copy(deep=False)
    for index, column in enumerate(table.columns):
        series = table.iloc[:, index]
        if _may_hold_text(series.dtype):
            out.isetitem(index, series.map(_literal))
    out.columns = pd.Index([_literal(c) for c in table.columns]) if _may_hold_text(table.columns.dtype) else table.columns
    if _may_hold_text(table.index.dtype):
        out.index = table.index.map(_literal)
    same = (out.columns.equals(table.columns) and out.index.equals(table.index)
            and all(out.iloc[:, i].equals(table.iloc[:, i]) for i in range(table.shape[1])))
    return table if same else out
