"""Vergelijken: a gemeente among comparable gemeenten of the whole country (CBS size class and
urbanity), and Twente among the regions of its figure's kind. The selection lives in the URL (bound
widgets keep the option's label there). View model: ``monitor/views/vergelijken.py``; charts:
``monitor/charts/peers.py``."""

import streamlit as st

from monitor.charts import peers as charts
from monitor.domain import compare
from monitor.domain.funnel import LEVEL_LABELS
from monitor.domain.peers import RULES
from monitor.domain.periods import period_label
from monitor.domain.ranking import kind_plural, rank_key
from monitor.views import vergelijken as views
from ui import shell
from ui.components import SEARCH_HELP, md_literal
from ui.indicator_sections import show_sources

FUNNEL_TEXT = (
    "**Wat de trechter laat zien.** Elk punt is een gemeente: horizontaal het aantal inwoners (of personen "
    "waarover het cijfer gaat), verticaal het cijfer. De doorgetrokken lijn is Nederland. Een kleine gemeente "
    "wijkt door toeval al snel af, een grote nauwelijks: daarom lopen de grenzen als een trechter. Binnen de "
    f"gestreepte lijnen ({LEVEL_LABELS[0.95]}) is een verschil met Nederland niet aantoonbaar; daarbuiten "
    f"verschilt de gemeente, buiten de gestippelde lijnen ({LEVEL_LABELS[0.998]}) duidelijk. Zie "
    "'Vergelijken' in de handleiding.")


def peer_section(peer) -> None:
    indicator = peer.indicator
    st.header(f"Tussen vergelijkbare gemeenten ({period_label(peer.period)})")
    st.markdown(md_literal(f"Vergelijkbare gemeenten: {peer.group.description}."))
    if peer.group.notice:
        st.info(md_literal(peer.group.notice))
    for sentence in peer.sentences:
        st.markdown(md_literal(sentence))
    if peer.median is not None:
        shell.chart(charts.peer_spread_chart, peer.members, indicator, peer.median, peer.quartiles, peer.national,
                    peer.group.description)
    if peer.funnel_points is not None:
        st.subheader("Trechterplot: alle gemeenten tegen Nederland")
        shell.chart(charts.funnel_chart, peer.funnel_points, peer.funnel_curve, indicator, peer.national,
                    population_title=peer.population_title)
        st.markdown(FUNNEL_TEXT)
    st.subheader("De groep")
    st.caption(md_literal(f"Plaats: {rank_key(indicator.direction)}."
                          + (f" {peer.missing} gemeente(n) van de groep zonder cijfer." if peer.missing else "")))
    if peer.table is not None:
        st.dataframe(peer.table, hide_index=True, width="stretch", key="vergelijkbare_gemeenten")
    show_sources(peer.sources)


def regions_section(regions) -> None:
    indicator = regions.indicator
    st.header(f"Twente tussen de regio's ({period_label(regions.period)})")
    st.markdown(md_literal(regions.sentence))
    shell.chart(charts.regions_chart, regions.ranked, indicator, regions.national,
                kind_plural(regions.kind), regions.twente_name, description=regions.sentence)
    st.caption(md_literal(f"Plaats: {rank_key(indicator.direction)}."))
    show_sources(regions.sources)


st.title("Vergelijken")
st.markdown("Hoe staat een gemeente tussen gemeenten die erop lijken, en Twente tussen de andere regio's? "
            "Kies een gemeente, een indicator en de groep om mee te vergelijken. De keuze staat in de adresbalk: "
            "een gekopieerde link opent precies deze vergelijking.")
gemeenten = shell.view_cache(views.gemeente_choices)()
labels = shell.view_cache(views.comparable_indicators)()
codes, options = list(gemeenten), list(labels)


def draw() -> None:
    top = st.columns([2, 3])
    default = codes.index(views.DEFAULT_GEMEENTE) if views.DEFAULT_GEMEENTE in codes else 0
    gemeente = top[0].selectbox("Gemeente", codes, index=default, key="gemeente", bind="query-params",
                                format_func=gemeenten.get, help=SEARCH_HELP)
    first = options.index("overgewicht") if "overgewicht" in options else 0
    indicator_id = top[1].selectbox("Indicator", options, index=first, key="indicator", bind="query-params",
                                    format_func=labels.get, help=SEARCH_HELP)
    row = st.columns([2, 3])
    rule = row[0].selectbox("Vergelijken met", list(RULES), key="groep", bind="query-params", format_func=RULES.get,
                            help="Standaard: gemeenten met dezelfde grootteklasse én stedelijkheid (CBS). Verbreed "
                                 "de groep, of kies zelf gemeenten.")
    picked: list[str] = []
    if rule == "gekozen":
        picked = row[1].multiselect("Gekozen gemeenten", codes, key="gekozen", bind="query-params",
                                    format_func=gemeenten.get, placeholder="Kies gemeenten", help=SEARCH_HELP)
    view = shell.view_cache(views.vergelijken_view)(indicator_id, gemeente, rule, tuple(picked))
    if view.indicator is None:
        st.info("Voor deze indicator zijn er nog geen cijfers.")
        return
    if view.peer is None:
        st.info("Voor deze indicator zijn er te weinig cijfers per gemeente om te vergelijken.")
    else:
        peer_section(view.peer)
    if view.regions is not None:
        regions_section(view.regions)
    with st.expander("Hoe verschillen worden benoemd"):
        st.markdown(compare.METHOD_TEXT)
        st.markdown(FUNNEL_TEXT)


if not codes or not options:
    st.info("Er zijn nog geen cijfers per gemeente van heel Nederland om mee te vergelijken.")
else:
    draw()
