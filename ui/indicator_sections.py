"""Streamlit components that draw an indicator section of a themalijn page (the data comes from
``monitor.views.themalijn.IndicatorSection``): the figure against its target, the trend of Twente
and Nederland, and the 14 gemeenten compared (ranked bars and a map)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.charts import comparisons as comparison_charts, indicators as charts, maps as map_charts
from monitor.charts import peers as peer_charts
from monitor.domain import compare
from monitor.domain.ranking import kind_plural, rank_key
from monitor.domain.indicators import SUBGROUP_TEXT, headline_figure
from monitor.domain.regions import region_name
from monitor.domain.text import direction_label, md_literal, period_label, source_line
from monitor.domain.indicator import Indicator
from monitor.views.themalijn import (LATEST, GemeentenBlock, IndicatorSection, TargetBlock, TrendBlock,
                                     load_gemeente_shapes)
from monitor.views.vergelijken import RegionView
from ui import shell
from ui.components import small_lines

BANDS_NOTE = ("Grijs vlak: de periode waarin projecten van deze themalijn in Realisatie zijn. Dat is context, "
              "geen bewijs dat een project de indicator beïnvloedt.")


def show_sources(lines: list[tuple]) -> None:
    """The source lines of (title, peildatum, is_sample) ``lines``, in one caption."""
    shell.source_captions(lines)


def text_block(sentence: str, lines, heading: str = "") -> None:
    """One Markdown element: a ``heading`` (Markdown heading syntax with the text as it is, e.g.
    ``"### " + md_literal(title)``), a ``sentence`` (plain text) and ``lines`` (notes and source
    lines, plain text) small and grey under it as a caption shows them. One message to a new visitor
    where a heading, a markdown and a caption were three."""
    parts = [heading, md_literal(sentence), small_lines(lines)]
    st.markdown("\n\n".join(part for part in parts if part))


def indicator_section(section: IndicatorSection, gemeente: str | None, periode: str, bands: pd.DataFrame,
                      regions: RegionView | None = None) -> None:
    indicator = section.indicator
    # The heading (h2, as st.header) and the description under it, small and grey: one element.
    text_block("", [f"{indicator.description} · eenheid: {indicator.unit} · {direction_label(indicator.direction)}"],
               heading="## " + md_literal(indicator.name))
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
MAP_KEY = "kaart"
MAP_LABEL = "De 14 gemeenten op een kaart"
METHOD_KEY = "methode"


def method_expander() -> None:
    """How differences are named (``compare.METHOD_TEXT``) in a closed expander, drawn once it
    is opened (a rerun): the text is not sent to every new visitor who leaves it closed."""
    box = shell.lazy_expander("Hoe verschillen worden benoemd", METHOD_KEY)
    if box.open:
        with box:
            st.markdown(compare.METHOD_TEXT)


def regions_block(view: RegionView, title: str | None = None, note: str | None = None) -> None:
    """Twente among the regions of its figure's kind, compact: the rank statement, how the place
    is counted and the source; the chart of all regions in an expander under it, drawn only once
    it is opened (a chart of 25-40 regions per indicator is most of a themalijn page's cost for a
    new visitor). ``title``/``note``: the heading and the note under the statement, when not the
    themalijn pages' own."""
    place = note or f"Plaats: {rank_key(view.indicator.direction)}. Zie ook de pagina Vergelijken."
    text_block(view.sentence, [place, *shell.source_lines(view.sources)],
               heading="### " + md_literal(title or f"Twente tussen de regio's ({period_label(view.period)})"))
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
    if goal is None:
        # The figure, its source and the note one under the other: no columns (three blocks) for
        # a figure and a note.
        headline(indicator, latest, st)
        headline_source(latest)
        st.info("Het jaarplan noemt voor deze indicator geen streefwaarde. " + md_literal(block.age or ""))
        return
    cols = st.columns([1, 3])
    headline(indicator, latest, cols[0])
    headline_source(latest, cols[0])
    with cols[1]:
        st.markdown(f"**Doel:** {md_literal(figure.text)}")
        try:
            shell.chart(charts.target_chart, figure.history, figure.trajectory, goal, indicator,
                        description=figure.text)
        except ValueError:
            st.info("Geen cijfers om tegen het doel af te zetten.")
        shell.source_caption(goal.source_title, goal.source_peildatum)


def headline(indicator: Indicator, latest: pd.Series | None, where) -> None:
    """Twente's newest figure as a metric (in ``where``), nothing without one."""
    if latest is not None:
        where.metric(md_literal(f"Twente ({latest['period']})"), md_literal(headline_figure(latest, indicator.unit)),
                     help="Voorbeelddata" if latest["is_sample"] else None)


def headline_source(latest: pd.Series | None, where=st) -> None:
    """The headline's own source: it may differ from the charts' (an older edition of the
    Gezondheidsmonitor beside a newer one for the gemeenten)."""
    if latest is not None:
        shell.source_caption(latest["source_title"], latest["source_peildatum"], bool(latest["is_sample"]), where)


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
    notes = [BANDS_NOTE if not bands.empty else "", f"2016: {SUBGROUP_TEXT['19-64']}." if block.edition_2016 else "",
             block.twente_method or ""]
    text_block(block.sentence, [*notes, *shell.source_lines(block.sources)])


def gemeenten_block(indicator: Indicator, block: GemeentenBlock, periode: str) -> None:
    period, values = block.period, block.values
    st.subheader(f"De 14 gemeenten vergeleken ({period_label(period)})")
    if values is None:
        shown = "deze periode" if periode != LATEST else "enig jaar"
        st.info(f"Voor {shown} zijn er geen cijfers per gemeente voor deze indicator.")
        return
    sentence = block.sentence
    shell.chart(comparison_charts.ranked_bar_chart, values, indicator, block.references,
                highlight=block.highlight, description=sentence)
    # The map in a closed expander under the bars, drawn only once it is opened (a rerun), not on
    # every page view (an expander is one element where tabs were three).
    box = shell.lazy_expander(MAP_LABEL, f"{MAP_KEY}-{indicator.indicator_id}")
    if box.open:
        with box:
            gemeente_map(values, indicator, sentence)
    if block.is_sample:
        shell.sample_banner("de cijfers per gemeente zijn gegenereerd; alleen het Twentse cijfer is echt.")
    text_block(sentence, shell.source_lines(block.sources))


def gemeente_map(values: pd.DataFrame, indicator: Indicator, sentence: str) -> tuple:
    """The map of the 14 gemeenten with the boundaries' source under it: (the chart's builder with
    its arguments, the source line), or (None, None) when there is nothing to draw."""
    shapes = shell.view_cache(load_gemeente_shapes)()  # shared: its content key is made once
    try:
        shape_map = shell.chart(map_charts.choropleth, shapes, values, indicator, description=sentence)
    except ValueError:
        st.info("Geen kaart: er zijn geen gemeentegrenzen of geen cijfers voor deze periode.")
        return None, None
    boundaries = source_line(shapes["source_title"].iloc[0], shapes["source_peildatum"].iloc[0])
    st.caption(md_literal(boundaries))
    return shape_map, boundaries
