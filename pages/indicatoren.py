"""Indicatoren: any indicator by region, period and group; two indicators compared; downloads.
The whole selection lives in the URL (bound widgets keep the option's label there). Loader and view
model: ``monitor/views/indicatoren.py`` (steps in ``monitor/views/explorer.py``); files: ``ui/downloads.py``."""

from functools import partial

import streamlit as st

from monitor.charts import comparisons as comparison_charts, indicators as charts
from monitor.domain.indicators import GROUP_LABELS, group_label
from monitor.domain.periods import period_label
from monitor.domain.regions import region_name, regions_text
from monitor.views import explorer, indicatoren as views
from ui import shell
from ui.components import CHART_TOOLBAR_CSS, SEARCH_HELP, captions, infos, md_literal
from ui.downloads import chart_downloads, table_downloads
from ui.indicator_sections import gemeente_map, method_expander, text_block


def trend_section(view) -> None:
    indicator, data = view.indicator, view.trend
    st.header("Door de tijd")
    series, left_out = data.series, data.left_out
    if not regio:
        st.info("Kies een of meer regio's om de ontwikkeling door de tijd te zien.")
        return
    if series.empty:
        st.info("Voor de gekozen regio's zijn er geen cijfers in deze perioden en groep.")
        return
    if left_out:
        st.info(f"De grafiek toont naast Twente, Overijssel en Nederland ten hoogste "
                f"{explorer.MAX_TREND_GEMEENTEN} gemeenten, zodat elke lijn een eigen kleur en vorm heeft. "
                f"Niet in de grafiek: {md_literal(regions_text(left_out))}; hun cijfers staan wel in de tabel.")
    trend = shell.chart(charts.trend_chart, series, indicator, description=data.sentence)
    text_block(data.sentence, data.sources)
    footer = f"{view.what} · {data.shown_text}"
    chart_downloads(trend, partial(explorer.footer_lines, series, footer), f"{indicator.indicator_id}-trend")


def gemeenten_section(view) -> None:
    indicator, data = view.indicator, view.gemeenten
    period = data.period
    st.header(f"De 14 gemeenten vergeleken ({period_label(period)})")
    if period is None:
        st.info("Voor deze indicator zijn er in de gekozen perioden en groep geen cijfers per gemeente.")
        return
    if data.note:
        st.info(md_literal(data.note))
    values, used, sentence = data.values, data.used, data.sentence
    what = f"{explorer.selection_text(indicator, groep, [period])} · de 14 gemeenten"
    name = f"{indicator.indicator_id}-{period}"
    left, right = st.columns(2)
    with left:
        st.subheader("Gerangschikt")
        ranked = shell.chart(comparison_charts.ranked_bar_chart, values, indicator, data.references,
                          highlight=data.highlight, description=sentence)
        chart_downloads(ranked, partial(explorer.footer_lines, used, what), f"{name}-gemeenten")
    with right:
        st.subheader("Kaart")
        shape_map, boundaries = gemeente_map(values, indicator, sentence)
        if shape_map is not None:
            chart_downloads(shape_map, partial(explorer.footer_lines, used, what, extra=[boundaries]),
                            f"{name}-kaart")
    if data.is_sample:
        shell.sample_banner("de cijfers per gemeente zijn gegenereerd; alleen het Twentse cijfer is echt.")
    text_block(sentence, data.sources)
    method_expander()


def table_section(view) -> None:
    indicator, data = view.indicator, view.table
    st.header("Tabel")
    table = data.table
    if table.empty:
        st.info("Geen cijfers voor deze keuze: kies een of meer regio's met cijfers in deze perioden.")
        return
    shell.dataframe(data.display, hide_index=True, width="stretch", key="indicatortabel")
    shown = data.shown_text
    st.caption(md_literal(f"{len(table)} cijfers · {view.what} · {shown}"))
    captions(data.sources)
    table_downloads(table, partial(explorer.footer_lines, data.selected, f"{view.what} · {shown}",
                                   quotes=data.quotes),
                    indicator.indicator_id, indicator.name, f"{indicator.name} ({indicator.unit})")


def scatter_section(view) -> None:
    indicator = view.indicator
    st.header("Twee indicatoren vergeleken")
    st.markdown("Elke gemeente als punt: de indicator hierboven horizontaal, een tweede indicator verticaal, "
                "in dezelfde periode en groep. Samenhang tussen twee cijfers bewijst geen oorzaak.")
    other_id = st.selectbox("Vergelijk met", options, index=explorer.default_index(options, explorer.DEFAULT_COMPARE),
                            key="vergelijk", bind="query-params", format_func=labels.get, help=SEARCH_HELP)
    other = shell.view_cache(views.indicator_choice)(other_id).indicator
    if other is None or other_id == indicator.indicator_id:
        st.info("Kies een andere indicator om mee te vergelijken.")
        return
    data = shell.view_cache(views.scatter_view)(indicator.indicator_id, other_id, groep, view.periods)
    infos(data.notes)
    try:
        scatter = shell.chart(comparison_charts.scatter_chart, data.pairs, indicator, other)
    except ValueError:
        st.info(md_literal(f"{indicator.name} en {other.name} hebben geen cijfers per gemeente in eenzelfde "
                           "periode."))
        return
    if data.is_sample:
        shell.sample_banner("een deel van de cijfers per gemeente is gegenereerd, geen echte meting.")
    captions(data.sources)
    what = (f"{other.name} tegen {indicator.name} · {group_label(groep, indicator).lower()} · "
            f"{data.period} · de 14 gemeenten")
    chart_downloads(scatter, partial(explorer.footer_lines, data.pairs, what),
                    f"{indicator.indicator_id}-{other_id}-{data.period}")


st.html(CHART_TOOLBAR_CSS)
st.title("Indicatoren")
st.markdown("Zoek een indicator door een deel van de naam te typen en kies regio's, perioden en groep. "
            "De keuze staat in de adresbalk: een gekopieerde link opent precies deze weergave.")
labels = shell.view_cache(views.indicator_choices)()
options = list(labels)
top = st.container(horizontal=True)  # a row of two: one block where columns were three
indicator_id = top.selectbox("Indicator", options, index=explorer.default_index(options, explorer.DEFAULT_INDICATOR),
                                key="indicator", bind="query-params", format_func=labels.get, help=SEARCH_HELP)
choice = shell.view_cache(views.indicator_choice)(indicator_id)
groep = top.selectbox("Groep", list(GROUP_LABELS), key="groep", bind="query-params", width=300,
                      format_func=partial(group_label, indicator=choice.indicator))
row = st.container(horizontal=True)
regio = row.multiselect("Regio's", list(explorer.REGION_CODES), default=list(explorer.DEFAULT_REGIONS), key="regio",
                           bind="query-params", format_func=region_name, placeholder="Kies regio's")
periode = row.multiselect("Perioden", choice.periods, key="periode", width=480,
                          bind="query-params", format_func=period_label, placeholder="Alle perioden")
view = shell.view_cache(views.indicatoren_view)(indicator_id, groep, regio, periode)
if view.indicator is None:
    st.info("Voor deze indicator zijn er nog geen " + ("metingen." if view.reference else "cijfers."))
    captions([view.reference] if view.reference else [])  # the jaarplan's quote
else:
    captions([view.caption, *([view.reference] if view.reference else [])])  # the quote beside the measurements
    if view.group_note:
        st.info(md_literal(view.group_note))
    if not view.periods:
        st.info("Voor de gekozen perioden zijn er in deze groep geen cijfers; kies andere perioden, of geen "
                "voor alle perioden.")
    trend_section(view)
    gemeenten_section(view)
    table_section(view)
    scatter_section(view)
