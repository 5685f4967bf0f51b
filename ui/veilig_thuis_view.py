"""The Veilig Thuis page (``pages/veilig_thuis.py``): adviezen, meldingen, onderzoeken en
overdrachten per gemeente en halfjaar.

Only protected figures: every query reads the view ``vt_reports_protected`` (rounded counts,
small and revealing cells suppressed). The choices live in the URL (bound widgets keep the
option's label there). Labels and sentences: ``monitor/domain/vt_labels.py``; words and the table: ``monitor/views/veilig_thuis.py``;
charts: ``monitor/charts/veilig_thuis.py``. What each section shows is computed by a pure function
(``trend_data`` …), cached per input (``ui.memo``); download files are built when clicked.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.charts import veilig_thuis as charts
from monitor.data import db
from monitor.views import explorer
from ui import shell as ui
from monitor.domain.periods import period_label
from monitor.domain import vt_labels
from monitor.views import veilig_thuis as vt
from monitor.export.tables import to_dutch_csv, to_xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READ_ERROR = ("De Veilig Thuis-cijfers konden niet worden gelezen; daarom staan hier geen cijfers. "
              "De andere pagina's werken gewoon.")


def _query(name: str, **params) -> pd.DataFrame | None:
    """A vt_* query; None (with a Dutch message on the page) when it fails."""
    try:
        return db.query(name, **params)
    except Exception as exc:  # noqa: BLE001 - a broken figure must not break the page
        st.error(f"{READ_ERROR} ({type(exc).__name__})")
        return None


def _sources(lines: list[str]) -> None:
    """Under every figure: source, peildatum and the voorbeelddata mark (``explorer.source_lines``)."""
    for line in lines:
        st.caption(line)


# What each section shows besides its chart (sentences, source lines, the table), from the
# query results: pure, so computed once per input (``ui.memo``) and not again on every rerun.

@ui.memo
def trend_data(rows: pd.DataFrame, kind: str, measure: str, min_count: int) -> dict:
    return {"sentence": vt_labels.trend_sentence(rows, measure, kind, min_count), "sources": explorer.source_lines(rows)}


@ui.memo
def gemeenten_data(rows: pd.DataFrame, kind: str, period: str, min_count: int) -> dict:
    return {"sentence": vt_labels.ranking_sentence(rows, kind, period, min_count) if not rows.empty else "",
            "with_nederland": bool((rows["region_code"] == "NL01").any()), "sources": explorer.source_lines(rows)}


@ui.memo
def breakdown_data(rows: pd.DataFrame, breakdown: str, measure: str, name: str, period: str,
                   min_count: int) -> dict:
    return {"sentence": vt_labels.breakdown_sentence(rows, breakdown, measure, name, period, min_count),
            "sources": explorer.source_lines(rows[rows["breakdown"].isin(["totaal", breakdown])])}


@ui.memo
def shown_data(frames: list[pd.DataFrame], min_count: int) -> dict:
    """The rows shown on the page, whether they are voorbeelddata, and the table of them."""
    shown = vt.shown_rows(*frames)
    sample = shown["is_sample"].astype(bool) if not shown.empty else pd.Series(dtype=bool)
    table = vt.table_frame(shown, min_count)
    return {"shown": shown, "all_sample": bool(sample.all()) if not shown.empty else False,
            "by_cbs": vt.protected_by_source(shown),
            "any_sample": bool(sample.any()), "table": table,
            "display": vt.display_table(table) if not table.empty else None, "sources": explorer.source_lines(shown)}


def trend_section(rows: pd.DataFrame | None, kind: str, measure: str, min_count: int) -> None:
    st.header("Door de tijd")
    if rows is None:
        return
    if rows.empty:
        st.info(f"Er zijn geen cijfers over {vt_labels.kind_label(kind).lower()} door de tijd.")
        return
    data = trend_data(rows, kind, measure, min_count)
    sentence = data["sentence"]
    ui.chart(charts.vt_trend_chart, rows, measure, kind, min_count, description=sentence)
    st.markdown(sentence)
    _sources(data["sources"])


def gemeenten_section(rows: pd.DataFrame | None, kind: str, region: str, period: str,
                      min_count: int) -> None:
    st.header(f"De 14 gemeenten vergeleken ({period_label(period)})")
    if rows is None:
        return
    data = gemeenten_data(rows, kind, period, min_count)
    sentence = data["sentence"]
    try:
        chart = ui.chart_spec(charts.vt_gemeenten_chart, rows, kind, period, min_count=min_count,
                              description=sentence, highlight=None if region == vt.DEFAULT_REGION else region)
    except ValueError:
        st.info(f"Voor {period_label(period)} zijn er geen cijfers per gemeente.")
        return
    references = "Twente en Nederland" if data["with_nederland"] else "Twente"
    st.markdown(f"Per 1.000 inwoners, zodat grote en kleine gemeenten te vergelijken zijn. "
                f"De stippellijnen zijn {references}.")
    ui.show_spec(chart)
    st.markdown(sentence)
    _sources(data["sources"])


def breakdown_section(rows: pd.DataFrame | None, kind: str, region: str, period: str, measure: str,
                      min_count: int) -> None:
    name = vt_labels.region_label(region)
    st.header(f"Uitsplitsing: {name} ({period_label(period)})")
    if rows is None:
        return
    if rows.empty:
        st.info(f"Voor {name} zijn er in {period_label(period)} geen cijfers over "
                f"{vt_labels.kind_label(kind).lower()}.")
        return
    breakdowns = vt_labels.breakdowns_for(kind)
    present = [b for b in vt.CHART_BREAKDOWNS if b in breakdowns and b in set(rows["breakdown"])]
    if not present:
        st.info(f"Voor {vt_labels.kind_label(kind).lower()} is er in deze cijfers geen uitsplitsing; alleen het totaal.")
        return
    columns = st.columns(len(present))
    for column, breakdown in zip(columns, present):
        with column:
            st.subheader(vt_labels.breakdown_label(breakdown))
            data = breakdown_data(rows, breakdown, measure, name, period, min_count)
            sentence = data["sentence"]
            try:
                ui.chart(charts.vt_breakdown_chart, rows, breakdown, measure, kind, name, period,
                         min_count, description=sentence)
            except ValueError:
                st.info(f"Geen uitsplitsing naar {vt_labels.breakdown_label(breakdown).lower()} voor {name}.")
                continue
            st.markdown(sentence)
            _sources(data["sources"])


def protection_line(data: dict, min_count: int, rounding: int) -> str:
    """The protection that applies to the figures shown: CBS's own, or the monitor's."""
    return vt.cbs_privacy_line() if data["by_cbs"] else vt.privacy_line(min_count, rounding)


def table_section(data: dict, kind: str, region: str, period: str, min_count: int, rounding: int) -> None:
    st.header("Tabel")
    shown, table = data["shown"], data["table"]
    if table.empty:
        st.info("Er zijn geen cijfers om te tonen.")
        return
    st.dataframe(data["display"], hide_index=True, width="stretch", key="vt_tabel")
    what = vt.selection_text(kind, region, period)
    line = protection_line(data, min_count, rounding)
    st.caption(f"{len(table)} cijfers: precies wat hierboven staat · {line}")
    _sources(data["sources"])
    name = f"veilig-thuis-{kind}-{vt_labels.region_label(region).lower().replace(' ', '-')}-{period}"

    def footer() -> list[str]:
        return explorer.footer_lines(shown, what, extra=[line])

    # A row of buttons as wide as their labels: never "CSV …" in a narrow column.
    downloads = st.container(horizontal=True)
    # The files (and their footer lines) are built when clicked, not on every run of the page.
    downloads.download_button("CSV (Excel)", lambda: to_dutch_csv(table, footer_lines=footer()),
                                 file_name=f"{name}.csv", mime="text/csv", key="vt_csv",
                                 on_click="ignore", icon=":material/download:",
                                 help="Alleen beschermde cijfers: afgerond, afgeschermde cijfers als tekst.")
    downloads.download_button("XLSX", lambda: to_xlsx(table, sheet_name="Veilig Thuis", footer_lines=footer(),
                                                         title=f"Veilig Thuis: {vt_labels.kind_label(kind)}"),
                                 file_name=f"{name}.xlsx", mime=XLSX_MIME, key="vt_xlsx",
                                 on_click="ignore", icon=":material/download:",
                                 help="Alleen beschermde cijfers: afgerond, afgeschermde cijfers als tekst.")


def main() -> None:
    st.title("Veilig Thuis")
    st.markdown(vt.INTRO)

    status = _query("vt_status")
    if status is None:
        return
    min_count, rounding, error = vt_labels.protection(status)
    intro = st.container()  # the protection text, once it is known whose protection applies
    st.markdown(vt.NEUTRAL_TEXT)
    if error:
        intro.markdown(vt.privacy_text(min_count, rounding))
        st.error(error)
        return

    periods = _query("vt_periods")
    if periods is None:
        return
    options = vt.halfjaar_options(periods["period"])
    if not options:
        st.info("Er zijn nog geen Veilig Thuis-cijfers geladen. Bouw de datasets op "
                "(python -m monitor build) of importeer de CBS-tabellen van Veilig Thuis.")
        return

    # --- choices, all kept in the URL ---
    row = st.columns([2, 2, 2, 2])
    region = row[0].selectbox("Gemeente", list(vt.REGION_OPTIONS), key="gemeente", bind="query-params",
                              format_func=vt_labels.region_label,
                              index=vt.REGION_OPTIONS.index(vt.DEFAULT_REGION),
                              help="Twente: de Veilig Thuis-regio Twente (de 14 gemeenten samen).")
    kind = row[1].selectbox("Soort", list(vt.KIND_OPTIONS), key="soort", bind="query-params",
                            format_func=vt_labels.kind_label, index=vt.KIND_OPTIONS.index(vt.DEFAULT_KIND))
    measure = row[2].selectbox("Maat", list(vt.MEASURE_OPTIONS), key="maat", bind="query-params",
                               format_func=vt_labels.measure_label,
                               help="Voor de ontwikkeling door de tijd en de uitsplitsing; de gemeenten "
                                    "worden altijd per 1.000 inwoners vergeleken.")
    period = row[3].selectbox("Halfjaar", options, key="halfjaar", bind="query-params",
                              format_func=period_label,
                              help="Voor de vergelijking van de gemeenten en de uitsplitsing.")

    trend = _query("vt_trend", region_codes=vt.trend_region_codes(region), kind=kind)
    gemeenten = _query("vt_gemeenten", kind=kind, period=period)
    breakdown = _query("vt_breakdown", region_code=region, kind=kind, period=period)
    if breakdown is not None:
        # only what is drawn: no melder rows for a kind CBS publishes none for
        breakdown = breakdown[breakdown["breakdown"].isin(("totaal", *vt_labels.breakdowns_for(kind)))]
    shown = shown_data([f for f in (trend, gemeenten, breakdown) if f is not None], min_count)
    intro.markdown(vt.cbs_privacy_text() if shown["by_cbs"] else vt.privacy_text(min_count, rounding))
    if shown["all_sample"]:
        ui.sample_banner("alle Veilig Thuis-cijfers op deze pagina zijn gegenereerd naar het model van de "
                         "CBS-tabellen; het zijn geen echte meldingen of adviezen.")
    elif shown["any_sample"]:
        ui.sample_banner("een deel van de Veilig Thuis-cijfers op deze pagina is gegenereerd, geen echte "
                         "meldingen of adviezen.")

    trend_section(trend, kind, measure, min_count)
    gemeenten_section(gemeenten, kind, region, period, min_count)
    breakdown_section(breakdown, kind, region, period, measure, min_count)
    table_section(shown, kind, region, period, min_count, rounding)
    with st.expander("Hoe deze cijfers zijn gemaakt en beschermd"):
        if shown["by_cbs"]:
            st.markdown(vt.CBS_METHOD_TEXT)
        st.markdown(vt.method_text(min_count, rounding))
