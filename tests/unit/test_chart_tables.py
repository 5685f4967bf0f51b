"""A chart's figures as tables: ``monitor.charts.tables``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from monitor.charts import comparisons as comparison_charts, indicators as indicator_charts
from monitor.charts.tables import cell_text, data_tables
from tests.unit.test_charts_indicators import OVERGEWICHT, REFERENCES, _gemeenten, _series


def test_trend_chart_table_holds_every_plotted_point_in_dutch():
    tables = data_tables(indicator_charts.trend_chart(_series(), OVERGEWICHT).to_dict())
    assert len(tables) == 1
    table = tables[0]
    assert list(table.columns) == ["Regio", "Periode", "Overgewicht", "95%-interval", "Soort", "Bron"]
    assert len(table) == 6  # every point once, although points and error bars share the tooltip
    assert ["Twente", "2016", "52,1%"] in table[["Regio", "Periode", "Overgewicht"]].values.tolist()
    assert table.map(lambda v: isinstance(v, str)).all().all()


def test_ranked_chart_has_a_table_of_gemeenten_and_one_of_references():
    spec = comparison_charts.ranked_bar_chart(_gemeenten(), OVERGEWICHT, REFERENCES).to_dict()
    gemeenten, references = data_tables(spec)
    assert gemeenten.columns[0] == "Gemeente"
    assert sorted(gemeenten["Gemeente"]) == sorted(_gemeenten()["region_name"])
    assert list(references.columns) == ["Referentie", "Overgewicht"]
    assert len(references) == len(REFERENCES)


def test_tables_read_streamlits_arrow_datasets_too():
    from ui.shell import vega_lite_spec

    chart = indicator_charts.trend_chart(_series(), OVERGEWICHT)
    assert [t.to_dict() for t in data_tables(vega_lite_spec(chart))] == \
        [t.to_dict() for t in data_tables(chart.to_dict())]


def test_inherited_data_and_tooltip_and_marks_without_tooltip():
    frame = pd.DataFrame({"naam": ["a", "b"], "x": [1.5, 2.0], "label": ["1,5", "2,0"]})
    base = alt.Chart(frame).encode(x="x:Q", tooltip=[alt.Tooltip("naam:N", title="Naam"),
                                                     alt.Tooltip("x:Q", title="Waarde")])
    chart = alt.layer(base.mark_point(), base.mark_text().encode(text="label:N", tooltip=alt.value(None)),
                      alt.Chart(frame).mark_rule().encode(x="x:Q"))
    (table,) = data_tables(chart.to_dict())
    assert table.to_dict("list") == {"Naam": ["a", "b"], "Waarde": ["1,5", "2"]}


def test_cell_text():
    assert cell_text(1234567) == "1.234.567"
    assert cell_text(12.25) == "12,2" or cell_text(12.25) == "12,3"
    assert cell_text(None) == cell_text(float("nan")) == cell_text("") == "–"
    assert cell_text(True) == "ja"
    assert cell_text(pd.Timestamp("2025-01-01")) == "1 januari 2025"
