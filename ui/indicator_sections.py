"""Streamlit components that draw an indicator section of a themalijn page (the data comes from
``monitor.views.themalijn.IndicatorSection``): the figure against its target, the trend of Twente
and Nederland, and the 14 gemeenten compared (ranked bars and a map)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.charts import comparisons as comparison_charts, indicators as charts, maps as map_charts
from monitor.charts import peers as peer_charts
from monitor.domain.ranking import kind_plural, rank_key
from monitor.domain.indicators import SUBGROUP_TEXT, headline_figure
from monitor.domain.regions import region_name
from monitor.domain.text import direction_label, md_literal, period_label, source_line
from monitor.domain.indicator import Indicator
from monitor.views.themalijn import (LATEST, GemeentenBlock, IndicatorSection, TargetBlock, TrendBlock,
                                     load_gemeente_shapes)
from monitor.views.vergelijken import RegionView
from ui import shell

BANDS_NOTE = ("Grijs vlak: de periode waarin projecten van deze themalijn in Realisatie zijn. Dat is context, "
              "geen bewijs dat een project de indicator beïnvloedt.")


def show_sources(lines: list[tuple]) -> None:
    for title, peildatum, is_sample in lines:
        shell.source_caption(title, peildatum, is_sample=is_sample)


def indicator_section(section: IndicatorSection, gemeente: str | None, periode: str, bands: pd.DataFrame,
                      regions: RegionView | None = None) -> None:
    indicator = section.indicator
    st.header(md_literal(indicator.name))
    st.caption(md_literal(f"{indicator.description} · eenheid: {indicator.unit} · "
                          f"{direction_label(indicator.direction)}"))
    if section.note:
        st.info(md_literal(section.note))
    if section.empty:
        st.info("Er zijn nog geen metingen voor deze indicator." if section.quotes
                else "Er zijn nog geen cijfers voor deze indicator.")
        if section.target is not None:
            target_block(indicator, section.target)
        quote_reference(section)
        return
    target_block(indicator, section.target)
    quote_reference(section)
    left, right = st.columns(2)
    with left:
        trend_block(indicator, section.trend, gemeente, bands)
    with right:
        gemeenten_block(indicator, section.gemeenten, periode)
    if regions is not None:
        regions_block(regions)


REGIONS_KEY = "regios"


def regions_block(view: RegionView, title: str | None = None, note: str | None = None) -> None:
    """Twente among the regions of its figure's kind, compact: the rank statement, how the place
    is counted and the source; the chart of all regions in an expander under it, drawn only once
    it is opened (a chart of 25-40 regions per indicator is most of a themalijn page's cost for a
    new visitor). ``title``/``note``: the heading and the note under the statement, when not the
    themalijn pages' own."""
    st.subheader(title or f"Twente tussen de regio's ({period_label(view.period)})")
    st.markdown(md_literal(view.sentence))
    st.caption(md_literal(note or f"Plaats: {rank_key(view.indicator.direction)}. Zie ook de pagina Vergelijken."))
    show_sources(view.sources)
    box = shell.lazy_expander(f"Alle {len(view.ranked)} {kind_plural(view.kind)} in een grafiek",
                              f"{REGIONS_KEY}-{view.indicator.indicator_id}")
    if box.open:
        with box:
            # A dot per region: 25-40 bars with their names are on Vergelijken.
            shell.chart(peer_charts.regions_strip_chart, view.ranked, view.indicator, view.national,
                        kind_plural(view.kind), view.twente_name, description=view.sentence)


def vt_regions_block(view, _choices=None) -> None:
    """Twente tussen de Veilig Thuis-regio's on the Veilig Thuis page (``view.regions``, built by
    monitor/views/vt_regions.py): the shared regions block, or why there is none."""
    block = view.regions
    if block.view is None:
        st.subheader(block.title)
        st.info(md_literal(block.message))
        return
    regions_block(block.view, block.title, block.note)


def target_block(indicator: Indicator, block: TargetBlock) -> None:
    latest, goal, figure = block.latest, block.goal, block.figure
    cols = st.columns([1, 3])
    if latest is not None:
        cols[0].metric(md_literal(f"Twente ({latest['period']})"),
                       md_literal(headline_figure(latest, indicator.unit)),
                       help="Voorbeelddata" if latest["is_sample"] else None)
        # The headline's own source: it may differ from the charts' (an older edition of the
        # Gezondheidsmonitor beside a newer one for the gemeenten).
        shell.source_caption(latest["source_title"], latest["source_peildatum"], bool(latest["is_sample"]), cols[0])
    if goal is None:
        cols[1].info("Het jaarplan noemt voor deze indicator geen streefwaarde. " + md_literal(block.age or ""))
        return
    with cols[1]:
        st.markdown(f"**Doel:** {md_literal(figure.text)}")
        try:
            shell.chart(charts.target_chart, figure.history, figure.trajectory, goal, indicator,
                        description=figure.text)
        except ValueError:
            st.info("Geen cijfers om tegen het doel af te zetten.")
        shell.source_caption(goal.source_title, goal.source_peildatum)


def quote_reference(section: IndicatorSection) -> None:
    """The jaarplan's quotes for the indicator, in their own words, beside the measurements."""
    if section.reference:
        st.caption(md_literal(section.reference))


def trend_block(indicator: Indicator, block: TrendBlock, gemeente: str | None, bands: pd.DataFrame) -> None:
    series = block.series
    st.subheader(f"{md_literal(region_name(gemeente)) if gemeente else 'Twente'} en Nederland door de tijd")
    if series.empty:
        st.info("Voor Twente en Nederland zijn er geen cijfers voor deze indicator in deze groep.")
        return
    shell.chart(charts.trend_chart, series, indicator, bands=bands, description=block.sentence)
    st.markdown(md_literal(block.sentence))
    if not bands.empty:
        st.caption(BANDS_NOTE)
    if block.edition_2016:
        st.caption(f"2016: {SUBGROUP_TEXT['19-64']}.")
    if block.twente_method:
        st.caption(md_literal(block.twente_method))
    show_sources(block.sources)


def gemeenten_block(indicator: Indicator, block: GemeentenBlock, periode: str) -> None:
    period, values = block.period, block.values
    st.subheader(f"De 14 gemeenten vergeleken ({period_label(period)})")
    if values is None:
        shown = "deze periode" if periode != LATEST else "enig jaar"
        st.info(f"Voor {shown} zijn er geen cijfers per gemeente voor deze indicator.")
        return
    sentence = block.sentence
    # Only the open tab is drawn: the map when it is chosen (a rerun), not on every page view.
    bars, shape = st.tabs(["Gerangschikt", "Kaart"], key=f"gemeenten-{indicator.indicator_id}", on_change="rerun")
    if bars.open:
        with bars:
            shell.chart(comparison_charts.ranked_bar_chart, values, indicator, block.references,
                        highlight=block.highlight, description=sentence)
    if shape.open:
        with shape:
            gemeente_map(values, indicator, sentence)
    st.markdown(md_literal(sentence))
    if block.is_sample:
        shell.sample_banner("de cijfers per gemeente zijn gegenereerd; alleen het Twentse cijfer is echt.")
    show_sources(block.sources)


def gemeente_map(values: pd.DataFrame, indicator: Indicator, sentence: str) -> tuple:
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
