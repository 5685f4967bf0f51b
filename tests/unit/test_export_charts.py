"""Downloads of the Indicatoren page: charts as PNG/SVG (vl-convert, on the server) with their
source lines, and the table as CSV/XLSX that opens as Dutch Excel would read it. The figures
come from the fixture store (tests/fixture_store.py): Enschede's overgewicht is 51,0% (48–54) in
2020."""

from __future__ import annotations

import html
import io

import altair as alt
import pandas as pd
import pytest
from openpyxl import load_workbook

from monitor.charts import comparisons as comparison_charts, indicators as indicator_charts, maps as map_charts
from monitor.data import db
from monitor.views import explorer
from monitor.export.charts import (
    EXPORT_WIDTH,
    chart_png,
    chart_svg,
    export_spec,
    with_source_footer,
)
from monitor.export.tables import BOM, to_dutch_csv, to_xlsx
from monitor.domain.indicator import Indicator
from monitor.domain.indicators import for_group, trend_frame
from monitor.domain.regions import NEDERLAND, TWENTE

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LINES = ["Twentse Koers Monitor · Overgewicht (%) · alle volwassenen",
         "Bron: Gezondheidsmonitor Volwassenen en Ouderen 2020 · peildatum 31 december 2020",
         explorer.SAMPLE_NOTE]


EXPORT_HEADERS = ["Indicator", "Regio", "Periode", "Groep", "Soort", "Waarde", "Zoals geschreven", "Eenheid",
                  "Ondergrens 95%-interval", "Bovengrens 95%-interval", "Status", "Voorbeelddata", "Bron", "Peildatum"]


def _indicator(directory, indicator_id: str) -> Indicator:
    meta = db.query("indicator_meta", directory, indicator_ids=[indicator_id])
    return Indicator.from_row({"indicator_id": indicator_id, **meta.iloc[0].to_dict()})


@pytest.fixture(scope="module")
def overgewicht(fixture_store) -> pd.DataFrame:
    rows, _ = for_group(db.query("indicator_observations", fixture_store, indicator_ids=["overgewicht"]), "totaal")
    return rows


@pytest.fixture(scope="module")
def trend(overgewicht, fixture_store) -> alt.LayerChart:
    series = trend_frame(overgewicht, [TWENTE, NEDERLAND, "GM0153"], "%")
    return indicator_charts.trend_chart(series, _indicator(fixture_store, "overgewicht"),
                                        description="Overgewicht door de tijd.")


def _svg_text(svg: bytes) -> str:
    return html.unescape(svg.decode("utf-8"))


# --- charts -----------------------------------------------------------------------------

def test_footer_keeps_title_and_text_alternative(trend):
    spec = with_source_footer(trend, LINES).to_dict()
    assert spec["title"]["text"] == "Overgewicht"
    assert spec["description"] == "Overgewicht door de tijd."
    inner = spec["vconcat"][0]
    assert inner["title"]["text"] == LINES
    assert inner["title"]["orient"] == "bottom"


def test_footer_is_required(trend):
    with pytest.raises(ValueError):
        with_source_footer(trend, [])
    with pytest.raises(ValueError):
        with_source_footer(trend, ["  "])


def test_export_spec_fixes_container_width(trend):
    assert trend.to_dict()["width"] == "container"
    spec = export_spec(with_source_footer(trend, LINES))
    assert "container" not in str(spec)
    assert spec["vconcat"][0]["vconcat"][0]["width"] == EXPORT_WIDTH


def test_png_has_png_magic_bytes(trend):
    data = chart_png(with_source_footer(trend, LINES))
    assert data.startswith(PNG_MAGIC)
    assert len(data) > 10_000


def test_png_scale_doubles_the_size(trend):
    exported = with_source_footer(trend, LINES)

    def width(png: bytes) -> int:
        return int.from_bytes(png[16:20], "big")  # IHDR width

    assert width(chart_png(exported, scale=2)) == 2 * width(chart_png(exported, scale=1))


def test_svg_carries_source_peildatum_and_sample_mark(trend):
    svg = chart_svg(with_source_footer(trend, LINES))
    assert svg.lstrip().startswith(b"<svg")
    text = _svg_text(svg)
    for line in LINES:
        assert line in text
    assert "Overgewicht" in text


def test_every_page_chart_renders(overgewicht, fixture_store):
    """The four charts of the Indicatoren page, as the page exports them."""
    from monitor.domain.indicators import gemeente_frame, pick, references_frame

    indicator = _indicator(fixture_store, "overgewicht")
    values = gemeente_frame(overgewicht, "2020", indicator, pick(overgewicht, TWENTE, "2020"))
    ranked = comparison_charts.ranked_bar_chart(values, indicator, references_frame(overgewicht, "2020", "%"))
    shape_map = map_charts.choropleth(db.query("region_shapes", fixture_store), values, indicator)
    both = db.query("indicator_observations", fixture_store, indicator_ids=["overgewicht", "rondkomen"])
    pairs, _, _ = explorer.scatter_frame(both, "overgewicht", "rondkomen", "totaal")
    scatter = comparison_charts.scatter_chart(pairs, indicator, _indicator(fixture_store, "rondkomen"))
    for chart in (ranked, shape_map, scatter):
        lines = explorer.footer_lines(values, "test")
        svg = _svg_text(chart_svg(with_source_footer(chart, lines)))
        assert lines[1] in svg
    assert "Enschede" in _svg_text(chart_svg(with_source_footer(scatter, LINES)))  # names on the points


# --- table ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def table(overgewicht, fixture_store) -> tuple[pd.DataFrame, list[str]]:
    selected = explorer.select_rows(overgewicht, ["GM0153", "GM0164"], ["2020", "2022"])
    frame = explorer.table_frame(selected, _indicator(fixture_store, "overgewicht"))
    return frame, explorer.footer_lines(selected, "Overgewicht (%) · alle volwassenen")


def test_csv_opens_as_dutch_excel_would(table):
    frame, footer = table
    data = to_dutch_csv(frame, footer_lines=footer)
    assert data.startswith(BOM)
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", nrows=len(frame),
                       dtype={"Periode": str})
    assert list(back.columns) == EXPORT_HEADERS
    enschede_2020 = back[(back["Regio"] == "Enschede") & (back["Periode"] == "2020")].iloc[0]
    assert enschede_2020["Waarde"] == pytest.approx(51.0)
    assert enschede_2020["Ondergrens 95%-interval"] == pytest.approx(48.0)
    assert enschede_2020["Peildatum"] == "31-12-2020"
    assert enschede_2020["Voorbeelddata"] == "nee"
    text = data.decode("utf-8-sig")
    assert "Enschede;2020;alle volwassenen;meting;51,0;;%;48,0;54,0;" in text  # Dutch decimal commas
    for line in footer:
        assert line in text
    assert "Bron: Gezondheidsmonitor 2020 · peildatum 31 december 2020" in text


def test_xlsx_keeps_numbers_and_footer(table):
    frame, footer = table
    sheet = load_workbook(io.BytesIO(to_xlsx(frame, sheet_name="Overgewicht", footer_lines=footer))).active
    header = [c.value for c in sheet[1]]
    assert header == EXPORT_HEADERS
    values = {(row[1], row[2]): row[5] for row in sheet.iter_rows(min_row=2, max_row=1 + len(frame), values_only=True)}
    assert values[("Enschede", "2020")] == pytest.approx(51.0)
    cells = [c.value for c in sheet["A"] if c.value]
    for line in footer:
        assert line in cells
