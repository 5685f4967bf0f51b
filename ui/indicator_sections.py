"""Streamlit components that draw an indicator section of a themalijn page (the data comes from
``monitor.views.themalijn.section_data``): the figure against its target, the trend of Twente
and Nederland, and the 14 gemeenten compared (ranked bars and a map)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.charts import comparisons as comparison_charts, indicators as charts, maps as map_charts
from monitor.domain.indicators import SUBGROUP_TEXT
from monitor.domain.regions import region_name
from monitor.domain.text import direction_label, format_value, md_literal, period_label, source_line
from monitor.views.themalijn import LATEST, load_gemeente_shapes
from ui import shell

BANDS_NOTE = ("Grijs vlak: de periode waarin projecten van deze themalijn in Realisatie zijn. Dat is context, "
              "geen bewijs dat een project de indicator beïnvloedt.")


def show_sources(lines: list[tuple]) -> None:
    for title, peildatum, is_sample in lines:
        shell.source_caption(title, peildatum, is_sample=is_sample)


def indicator_section(indicator: dict, data: dict, gemeente: str | None, periode: str, bands: pd.DataFrame) -> None:
    unit = indicator["unit"]
    st.header(md_literal(indicator["name"]))
    st.caption(md_literal(f"{indicator['description']} · eenheid: {unit} · {direction_label(indicator['direction'])}"))
    if data["note"]:
        st.info(md_literal(data["note"]))
    if data["empty"]:
        st.info("Er zijn nog geen cijfers voor deze indicator.")
        return
    target_block(indicator, data["target"])
    left, right = st.columns(2)
    with left:
        trend_block(indicator, data["trend"], gemeente, bands)
    with right:
        gemeenten_block(indicator, data["gemeenten"], periode)


def target_block(indicator: dict, data: dict) -> None:
    latest, goal, figure = data["latest"], data["goal"], data["figure"]
    cols = st.columns([1, 3])
    if latest is not None:
        cols[0].metric(md_literal(f"Twente ({latest['period']})"),
                       md_literal(format_value(latest["value"], indicator["unit"])),
                       help="Voorbeelddata" if latest["is_sample"] else None)
        # The headline's own source: it may differ from the charts' (the jaarplan's 2023 figure
        # beside the Gezondheidsmonitor's gemeenten of 2020).
        shell.source_caption(latest["source_title"], latest["source_peildatum"], bool(latest["is_sample"]), cols[0])
    if goal is None:
        cols[1].info("Het jaarplan noemt voor deze indicator geen streefwaarde. " + md_literal(data.get("age") or ""))
        return
    status = figure["status"]
    with cols[1]:
        st.markdown(f"**Doel:** {md_literal(status['text'])}")
        try:
            shell.chart(charts.target_chart, figure["history"], figure["trajectory"], goal, indicator,
                     description=status["text"])
        except ValueError:
            st.info("Geen cijfers om tegen het doel af te zetten.")
        shell.source_caption(goal["source_title"], goal["source_peildatum"])


def trend_block(indicator: dict, data: dict, gemeente: str | None, bands: pd.DataFrame) -> None:
    series = data["series"]
    st.subheader(f"{md_literal(region_name(gemeente)) if gemeente else 'Twente'} en Nederland door de tijd")
    if series.empty:
        st.info("Voor Twente en Nederland zijn er geen cijfers voor deze indicator in deze groep.")
        return
    sentence = data["sentence"]
    shell.chart(charts.trend_chart, series, indicator, bands=bands, description=sentence)
    st.markdown(md_literal(sentence))
    if not bands.empty:
        st.caption(BANDS_NOTE)
    if data["edition_2016"]:
        st.caption(f"2016: {SUBGROUP_TEXT['19-64']}.")
    if data.get("twente_method"):
        st.caption(md_literal(data["twente_method"]))
    show_sources(data["sources"])


def gemeenten_block(indicator: dict, data: dict, periode: str) -> None:
    period, values = data["period"], data["values"]
    st.subheader(f"De 14 gemeenten vergeleken ({period_label(period)})")
    if values is None:
        shown = "deze periode" if periode != LATEST else "enig jaar"
        st.info(f"Voor {shown} zijn er geen cijfers per gemeente voor deze indicator.")
        return
    sentence = data["sentence"]
    # Only the open tab is drawn: the map when it is chosen (a rerun), not on every page view.
    bars, shape = st.tabs(["Gerangschikt", "Kaart"], key=f"gemeenten-{indicator['indicator_id']}", on_change="rerun")
    if bars.open:
        with bars:
            shell.chart(comparison_charts.ranked_bar_chart, values, indicator, data["references"],
                     highlight=data["highlight"], description=sentence)
    if shape.open:
        with shape:
            gemeente_map(values, indicator, sentence)
    st.markdown(md_literal(sentence))
    if data["sample"]:
        shell.sample_banner("de cijfers per gemeente zijn gegenereerd; alleen het Twentse cijfer is echt.")
    show_sources(data["sources"])


def gemeente_map(values: pd.DataFrame, indicator: dict, sentence: str) -> tuple:
    """The map of the 14 gemeenten with the boundaries' source under it: (the chart's builder with
    its arguments, the source line), or (None, None) when there is nothing to draw."""
    shapes = load_gemeente_shapes()
    try:
        shape_map = shell.chart(map_charts.choropleth, shapes, values, indicator, description=sentence)
    except ValueError:
        st.info("Geen kaart: er zijn geen gemeentegrenzen of geen cijfers voor deze periode.")
        return None, None
    boundaries = source_line(shapes["source_title"].iloc[0], shapes["source_peildatum"].iloc[0])
    st.caption(md_literal(boundaries))
    return shape_map, boundaries
