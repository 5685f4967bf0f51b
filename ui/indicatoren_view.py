"""The Indicatoren page (``pages/indicatoren.py``): any indicator by region, period and group; two
indicators compared; downloads.

The whole selection lives in the URL (bound widgets keep the option's label there), so a
copied link opens the same view. Logic: ``monitor/views/explorer.py``. What each section shows is
computed by a pure function per section (``trend_data`` …), cached per input (``ui.memo``), so
a rerun with the same choices only draws; download files are built when clicked.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from monitor.charts import indicators as charts
from monitor.domain import compare
from monitor.data import db
from monitor.views import explorer
from ui import shell as ui
from monitor.export.charts import chart_png, chart_svg, with_source_footer
from monitor.export.tables import to_dutch_csv, to_xlsx
from monitor.domain.indicators import GROUP_LABELS, for_group, gemeente_frame, pick, references_frame, trend_frame
from monitor.domain.periods import period_label
from monitor.domain.regions import GEMEENTE_CODES, NEDERLAND, TWENTE, region_name
from monitor.domain.text import direction_label, source_line
from monitor.views.themalijn import gemeente_shapes

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEARCH_HELP = "Typ een deel van de naam om te zoeken."


def _captions(lines: list[str]) -> None:
    for line in lines:
        st.caption(line)


def _regions_text(codes) -> str:
    return ", ".join(region_name(c) for c in codes)


def _chart_downloads(make_chart, make_lines, name: str) -> None:
    """PNG and SVG of the chart as shown (``make_chart()`` builds it), with its source lines
    (``make_lines()``) printed under it.

    Built and rendered on the server (vl-convert) only when clicked, without rerunning the page.
    """
    def exported():
        return with_source_footer(make_chart(), make_lines())

    cols = st.columns([1, 1, 5])
    cols[0].download_button("PNG", lambda: chart_png(exported()), file_name=f"{name}.png", mime="image/png",
                            key=f"png_{name}", on_click="ignore", icon=":material/download:",
                            help="De grafiek als afbeelding, met bron, peildatum en voorbeelddata-markering.")
    cols[1].download_button("SVG", lambda: chart_svg(exported()), file_name=f"{name}.svg", mime="image/svg+xml",
                            key=f"svg_{name}", on_click="ignore", icon=":material/download:",
                            help="De grafiek als vectorafbeelding, met bron, peildatum en voorbeelddata-markering.")


def _indicator(indicator_id: str) -> dict | None:
    meta = db.query("indicator_meta", indicator_ids=[indicator_id])
    if meta.empty:
        return None
    return {"indicator_id": indicator_id, **meta.iloc[0].to_dict()}


# The figures, sentences and source lines of each section, from the query results: pure, so
# computed once per input (``ui.memo``) and not again on every rerun. Download footers are
# made when a download is clicked.

@ui.memo
def trend_data(indicator: dict, rows: pd.DataFrame, regio: list[str]) -> dict:
    codes, left_out = explorer.trend_regions(regio)
    series = trend_frame(rows, codes, indicator["unit"])
    if not regio or series.empty:
        return {"series": series, "left_out": left_out}
    focus = next(c for c in codes if (series["region_code"] == c).any())
    return {"series": series, "left_out": left_out,
            "sentence": compare.trend_sentence(series, indicator, region_name(focus)),
            "sources": explorer.source_lines(series),
            "shown": [c for c in codes if (series["region_code"] == c).any()]}


def trend_section(indicator: dict, rows: pd.DataFrame, regio: list[str], what: str) -> None:
    st.header("Door de tijd")
    data = trend_data(indicator, rows, regio)
    series, left_out = data["series"], data["left_out"]
    if not regio:
        st.info("Kies een of meer regio's om de ontwikkeling door de tijd te zien.")
        return
    if series.empty:
        st.info("Voor de gekozen regio's zijn er geen cijfers in deze perioden en groep.")
        return
    if left_out:
        st.info(f"De grafiek toont naast Twente, Overijssel en Nederland ten hoogste "
                f"{explorer.MAX_TREND_GEMEENTEN} gemeenten, zodat elke lijn een eigen kleur en vorm heeft. "
                f"Niet in de grafiek: {_regions_text(left_out)}; hun cijfers staan wel in de tabel.")
    sentence = data["sentence"]
    trend = ui.chart(charts.trend_chart, series, indicator, description=sentence)
    st.markdown(sentence)
    _captions(data["sources"])
    footer = f"{what} · {_regions_text(data['shown'])}"
    _chart_downloads(trend, partial(explorer.footer_lines, series, footer), f"{indicator['indicator_id']}-trend")


@ui.memo
def gemeenten_data(indicator: dict, rows: pd.DataFrame, regio: list[str], periods: list[str]) -> dict:
    period, note = explorer.comparison_period(rows, periods)
    if period is None:
        return {"period": None, "note": note}
    twente = pick(rows, TWENTE, period)
    values = gemeente_frame(rows, period, indicator, twente)
    reference_rows = [r for r in (twente, pick(rows, NEDERLAND, period)) if r is not None]
    used = pd.concat([values, pd.DataFrame(reference_rows)]) if reference_rows else values
    chosen = [c for c in regio if c in GEMEENTE_CODES]
    sentence = compare.ranking_sentence(values, indicator, period,
                                        None if twente is None else twente["value"],
                                        None if twente is None else twente["ci_low"],
                                        None if twente is None else twente["ci_high"])
    return {"period": period, "note": note, "values": values,
            "references": references_frame(rows, period, indicator["unit"]), "used": used,
            "highlight": region_name(chosen[0]) if chosen else None, "sentence": sentence,
            "is_sample": bool(values["is_sample"].any()), "sources": explorer.source_lines(used)}


def gemeenten_section(indicator: dict, rows: pd.DataFrame, regio: list[str], groep: str,
                      periods: list[str]) -> None:
    data = gemeenten_data(indicator, rows, regio, periods)
    period = data["period"]
    st.header(f"De 14 gemeenten vergeleken ({period_label(period)})")
    if period is None:
        st.info("Voor deze indicator zijn er in de gekozen perioden en groep geen cijfers per gemeente.")
        return
    if data["note"]:
        st.info(data["note"])
    values, used, sentence = data["values"], data["used"], data["sentence"]
    what = f"{explorer.selection_text(indicator, groep, [period])} · de 14 gemeenten"
    name = f"{indicator['indicator_id']}-{period}"

    left, right = st.columns(2)
    with left:
        st.subheader("Gerangschikt")
        ranked = ui.chart(charts.ranked_bar_chart, values, indicator, data["references"],
                          highlight=data["highlight"], description=sentence)
        _chart_downloads(ranked, partial(explorer.footer_lines, used, what), f"{name}-gemeenten")
    with right:
        st.subheader("Kaart")
        shapes = gemeente_shapes(db.query("region_shapes"))
        try:
            shape_map = ui.chart(charts.choropleth, shapes, values, indicator, description=sentence)
        except ValueError:
            st.info("Geen kaart: er zijn geen gemeentegrenzen of geen cijfers voor deze periode.")
        else:
            boundaries = source_line(shapes["source_title"].iloc[0], shapes["source_peildatum"].iloc[0])
            st.caption(boundaries)
            _chart_downloads(shape_map, partial(explorer.footer_lines, used, what, extra=[boundaries]),
                             f"{name}-kaart")
    st.markdown(sentence)
    if data["is_sample"]:
        ui.sample_banner("de cijfers per gemeente zijn gegenereerd; alleen het Twentse cijfer is echt.")
    _captions(data["sources"])
    with st.expander("Hoe verschillen worden benoemd"):
        st.markdown(compare.METHOD_TEXT)


@ui.memo
def table_data(indicator: dict, rows: pd.DataFrame, regio: list[str], periods: list[str]) -> dict:
    selected = explorer.select_rows(rows, regio, periods)
    table = explorer.table_frame(selected, indicator)
    if table.empty:
        return {"table": table}
    return {"table": table, "selected": selected, "display": explorer.display_table(table),
            "sources": explorer.source_lines(selected)}


def table_section(indicator: dict, rows: pd.DataFrame, regio: list[str], periods: list[str], what: str) -> None:
    st.header("Tabel")
    data = table_data(indicator, rows, regio, periods)
    table = data["table"]
    if table.empty:
        st.info("Geen cijfers voor deze keuze: kies een of meer regio's met cijfers in deze perioden.")
        return
    st.dataframe(data["display"], hide_index=True, width="stretch", key="indicatortabel")
    st.caption(f"{len(table)} cijfers · {what} · {_regions_text(regio)}")
    _captions(data["sources"])
    selected = data["selected"]
    selection = f"{what} · {_regions_text(regio)}"
    name = indicator["indicator_id"]
    # A row of buttons as wide as their labels: never "CSV …" in a narrow column.
    downloads = st.container(horizontal=True)
    # The files (and their footer lines) are built when clicked, not on every run of the page.
    downloads.download_button(
        "CSV (Excel)", lambda: to_dutch_csv(table, footer_lines=explorer.footer_lines(selected, selection)),
        file_name=f"{name}.csv", mime="text/csv", key="csv", on_click="ignore", icon=":material/download:")
    downloads.download_button(
        "XLSX", lambda: to_xlsx(table, sheet_name=indicator["name"],
                                footer_lines=explorer.footer_lines(selected, selection),
                                title=f"{indicator['name']} ({indicator['unit']})"),
        file_name=f"{name}.xlsx", mime=XLSX_MIME, key="xlsx", on_click="ignore", icon=":material/download:")


@ui.memo
def scatter_data(both: pd.DataFrame, indicator: dict, other: dict, groep: str, periods: list[str]) -> dict:
    pairs, period, notes = explorer.scatter_frame(both, indicator["indicator_id"], other["indicator_id"], groep,
                                                  periods, names={indicator["indicator_id"]: indicator["name"],
                                                                  other["indicator_id"]: other["name"]})
    return {"pairs": pairs, "period": period, "notes": notes, "is_sample": bool(pairs["is_sample"].any()),
            "sources": explorer.source_lines(pairs)}


def scatter_section(indicator: dict, options: list[str], labels: dict[str, str], groep: str,
                    periods: list[str]) -> None:
    st.header("Twee indicatoren vergeleken")
    st.markdown("Elke gemeente als punt: de indicator hierboven horizontaal, een tweede indicator verticaal, "
                "in dezelfde periode en groep. Samenhang tussen twee cijfers bewijst geen oorzaak.")
    other_id = st.selectbox("Vergelijk met", options,
                            index=explorer.default_index(options, explorer.DEFAULT_COMPARE),
                            key="vergelijk", bind="query-params", format_func=labels.get, help=SEARCH_HELP)
    other = _indicator(other_id)
    if other is None or other_id == indicator["indicator_id"]:
        st.info("Kies een andere indicator om mee te vergelijken.")
        return
    both = db.query("indicator_observations", indicator_ids=[indicator["indicator_id"], other_id])
    data = scatter_data(both, indicator, other, groep, periods)
    pairs, period = data["pairs"], data["period"]
    for note in data["notes"]:
        st.info(note)
    try:
        scatter = ui.chart(charts.scatter_chart, pairs, indicator, other)
    except ValueError:
        st.info(f"{indicator['name']} en {other['name']} hebben geen cijfers per gemeente in eenzelfde periode.")
        return
    if data["is_sample"]:
        ui.sample_banner("een deel van de cijfers per gemeente is gegenereerd, geen echte meting.")
    _captions(data["sources"])
    what = (f"{other['name']} tegen {indicator['name']} · {GROUP_LABELS.get(groep, groep).lower()} · {period} · "
            "de 14 gemeenten")
    _chart_downloads(scatter, partial(explorer.footer_lines, pairs, what),
                     f"{indicator['indicator_id']}-{other_id}-{period}")


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


def main() -> None:
    st.html(CHART_TOOLBAR_CSS)
    st.title("Indicatoren")
    st.markdown("Zoek een indicator door een deel van de naam te typen en kies regio's, perioden en groep. "
                "De keuze staat in de adresbalk: een gekopieerde link opent precies deze weergave.")

    # --- choices, all kept in the URL ---
    catalogue = db.query("indicator_list")
    labels = explorer.indicator_labels(catalogue)
    options = list(labels)
    top = st.columns([3, 1])
    indicator_id = top[0].selectbox("Indicator", options,
                                    index=explorer.default_index(options, explorer.DEFAULT_INDICATOR),
                                    key="indicator", bind="query-params", format_func=labels.get, help=SEARCH_HELP)
    groep = top[1].selectbox("Groep", list(GROUP_LABELS), key="groep", bind="query-params",
                             format_func=GROUP_LABELS.get)
    observations = db.query("indicator_observations", indicator_ids=[indicator_id])
    row = st.columns([3, 2])
    regio = row[0].multiselect("Regio's", list(explorer.REGION_CODES), default=list(explorer.DEFAULT_REGIONS),
                               key="regio", bind="query-params", format_func=region_name,
                               placeholder="Kies regio's")
    periode = row[1].multiselect("Perioden", explorer.all_periods(observations), key="periode",
                                 bind="query-params", placeholder="Alle perioden")

    indicator = _indicator(indicator_id)
    if indicator is None or observations.empty:
        st.info("Voor deze indicator zijn er nog geen cijfers.")
        return
    st.caption(f"{indicator['description']} · eenheid: {indicator['unit']} · "
               f"{direction_label(indicator['direction'])}")
    rows, group_note = for_group(observations, groep)
    if group_note:
        st.info(group_note)
    periods = explorer.chosen_periods(explorer.all_periods(rows), periode)
    if not periods:
        st.info("Voor de gekozen perioden zijn er in deze groep geen cijfers; kies andere perioden, of geen "
                "voor alle perioden.")
    rows = rows[rows["period"].astype(str).isin(periods)]
    what = explorer.selection_text(indicator, groep, periods)

    trend_section(indicator, rows, regio, what)
    gemeenten_section(indicator, rows, regio, groep, periods)
    table_section(indicator, rows, regio, periods, what)
    scatter_section(indicator, options, labels, groep, periods)
