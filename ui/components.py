"""Small Streamlit components shared by the pages."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from monitor.domain.regions import region_name
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


def captions(lines: list[str]) -> None:
    for line in lines:
        st.caption(md_literal(line))  # source lines: titles as imported


def regions_text(codes) -> str:
    return ", ".join(region_name(c) for c in codes)


def literal_table(table: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """``table`` for ``st.table``, which reads every cell, header and index label as Markdown:
    every text shown as the text it is (names, notes, sources as typed or imported)."""
    frame = table.to_pandas() if isinstance(table, pa.Table) else table

    def literal(value):
        return md_literal(value) if isinstance(value, str) else value

    out = frame.map(literal)
    out.columns = [literal(c) for c in out.columns]
    out.index = out.index.map(literal)
    return out
