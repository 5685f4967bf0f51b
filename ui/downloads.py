"""Download buttons shared by the pages: a chart as PNG and SVG with its source lines, a table as
Dutch CSV and XLSX. Every file is built when clicked (``on_click="ignore"``: no rerun)."""

from __future__ import annotations

import streamlit as st

from monitor.export.charts import chart_png, chart_svg, with_source_footer
from monitor.export.tables import to_dutch_csv, to_xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chart_downloads(make_chart, make_lines, name: str) -> None:
    """PNG and SVG of the chart as shown (``make_chart()`` builds it), with its source lines
    (``make_lines()``) printed under it.

    Built and rendered on the server (vl-convert) only when clicked, without rerunning the page.
    """
    def exported():
        return with_source_footer(make_chart(), make_lines())

    row = st.container(horizontal=True)  # one block, not a row of three columns
    row.download_button("PNG", lambda: chart_png(exported()), file_name=f"{name}.png", mime="image/png",
                        key=f"png_{name}", on_click="ignore", icon=":material/download:", width="content",
                        help="De grafiek als afbeelding, met bron, peildatum en voorbeelddata-markering.")
    row.download_button("SVG", lambda: chart_svg(exported()), file_name=f"{name}.svg", mime="image/svg+xml",
                        key=f"svg_{name}", on_click="ignore", icon=":material/download:", width="content",
                        help="De grafiek als vectorafbeelding, met bron, peildatum en voorbeelddata-markering.")


def table_downloads(table, make_lines, name: str, sheet_name: str, title: str, *, key_prefix: str = "",
                    help: str | None = None) -> None:
    """CSV (Dutch, for Excel) and XLSX of ``table`` with the footer lines ``make_lines()``, in a row
    of buttons as wide as their labels (never "CSV …" in a narrow column). Keys: ``<key_prefix>csv``
    and ``<key_prefix>xlsx``."""
    downloads = st.container(horizontal=True)
    downloads.download_button(
        "CSV (Excel)", lambda: to_dutch_csv(table, footer_lines=make_lines()),
        file_name=f"{name}.csv", mime="text/csv", key=f"{key_prefix}csv", on_click="ignore",
        icon=":material/download:", help=help)
    downloads.download_button(
        "XLSX", lambda: to_xlsx(table, sheet_name=sheet_name, footer_lines=make_lines(), title=title),
        file_name=f"{name}.xlsx", mime=XLSX_MIME, key=f"{key_prefix}xlsx", on_click="ignore",
        icon=":material/download:", help=help)
