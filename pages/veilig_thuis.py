"""Veilig Thuis per gemeente and half year: protected figures only; view model monitor/views/veilig_thuis_page.py."""

from functools import partial
from types import SimpleNamespace

import streamlit as st

from monitor.charts import veilig_thuis as vt_charts
from monitor.domain.periods import period_label
from monitor.domain import vt_labels
from monitor.views import explorer, veilig_thuis as vt
from monitor.views.veilig_thuis_page import VtShown, protection_line, try_query, veilig_thuis_view
from ui import shell
from ui.indicator_sections import vt_regions_block
from ui.components import captions, infos, md_literal
from ui.downloads import table_downloads


def trend_section(view, c) -> None:
    st.header("Door de tijd")
    if (rows := view.inputs.trend) is None:
        return
    if rows.empty:
        return st.info(f"Er zijn geen cijfers over {vt.kind_label(c.kind).lower()} door de tijd.")
    shell.chart(vt_charts.vt_trend_chart, rows, c.measure, c.kind, c.min_count, description=view.trend.sentence)
    st.markdown(md_literal(view.trend.sentence))
    captions(view.trend.sources)


def gemeenten_section(view, c) -> None:
    st.header(f"De 14 gemeenten vergeleken ({period_label(c.period)})")
    rows, data = view.inputs.gemeenten, view.gemeenten
    if rows is None:
        return
    try:
        highlight = None if c.region == vt.DEFAULT_REGION else c.region
        arguments = (vt_charts.vt_gemeenten_chart, rows, c.kind, c.period)
        options = {"min_count": c.min_count, "description": data.sentence, "highlight": highlight}
        shell.chart_spec(*arguments, **options)  # nothing to draw raises here, before the text above the chart
    except ValueError:
        st.info(f"Voor {period_label(c.period)} zijn er geen cijfers per gemeente.")
        return
    st.markdown("Per 1.000 inwoners, zodat grote en kleine gemeenten te vergelijken zijn. De stippellijnen "
                f"zijn {'Twente en Nederland' if data.with_nederland else 'Twente'}.")
    shell.chart(*arguments, **options)  # the spec above, replayed
    st.markdown(md_literal(data.sentence))
    infos(view.unassigned)  # where Twente's total exceeds the sum of the gemeenten
    captions(data.sources)


def breakdown_section(view, c) -> None:
    name = vt.region_label(c.region)
    st.header(f"Uitsplitsing: {name} ({period_label(c.period)})")
    if (rows := view.inputs.breakdown) is None:
        return
    if rows.empty:
        st.info(f"Voor {name} zijn er in {period_label(c.period)} geen cijfers over "
                f"{vt.kind_label(c.kind).lower()}.")
        return
    if not view.breakdowns:
        st.info(f"Voor {vt.kind_label(c.kind).lower()} is er in deze cijfers geen uitsplitsing; alleen het totaal.")
        return
    for column, data in zip(st.columns(len(view.breakdowns)), view.breakdowns):
        with column:
            st.subheader(vt.breakdown_label(breakdown := data.breakdown))
            if data.incomplete:
                st.warning(md_literal(data.incomplete))
            if not data.sentence:  # nothing of this breakdown in the (cut-off) file for this region
                continue
            try:
                shell.chart(vt_charts.vt_breakdown_chart, rows, breakdown, c.measure, c.kind, name, c.period,
                         c.min_count, description=data.sentence)
            except ValueError:
                st.info(f"Geen uitsplitsing naar {vt.breakdown_label(breakdown).lower()} voor {name}.")
                continue
            st.markdown(md_literal(data.sentence))
            captions(data.sources)


def table_section(data: VtShown, c, unassigned: list[str]) -> None:
    st.header("Tabel")
    shown, table = data.shown, data.table
    if table.empty:
        st.info("Er zijn geen cijfers om te tonen.")
        return
    shell.dataframe(data.display, hide_index=True, width="stretch", key="vt_tabel")
    line = protection_line(data, c.min_count, c.rounding)
    st.caption(md_literal(f"{len(table)} cijfers: precies wat hierboven staat · {line}"))
    captions([*data.sources, *unassigned])  # Twente and the gemeenten together: the sum note too
    name = f"veilig-thuis-{c.kind}-{vt.region_label(c.region).lower().replace(' ', '-')}-{c.period}"
    footer = partial(explorer.footer_lines, shown, vt.selection_text(c.kind, c.region, c.period), extra=[line, *unassigned])
    table_downloads(table, footer, name, "Veilig Thuis", f"Veilig Thuis: {vt.kind_label(c.kind)}", key_prefix="vt_",
                    help="Alleen beschermde cijfers: afgerond, afgeschermde cijfers als tekst.")


def choices(options: list[str]) -> dict:
    row = st.columns([2, 2, 2, 2])
    region = row[0].selectbox("Gemeente", list(vt.REGION_OPTIONS), key="gemeente", bind="query-params",
                              format_func=vt.region_label, index=vt.REGION_OPTIONS.index(vt.DEFAULT_REGION),
                              help="Twente: de Veilig Thuis-regio Twente (de 14 gemeenten samen).")
    kind = row[1].selectbox("Soort", list(vt.KIND_OPTIONS), key="soort", bind="query-params", format_func=vt.kind_label,
                            index=vt.KIND_OPTIONS.index(vt.DEFAULT_KIND))
    measure = row[2].selectbox("Maat", list(vt.MEASURE_OPTIONS), key="maat", bind="query-params",
                               format_func=vt_labels.measure_label,
                               help="Voor de ontwikkeling door de tijd en de uitsplitsing; de gemeenten "
                                    "worden altijd per 1.000 inwoners vergeleken.")
    period = row[3].selectbox("Halfjaar", options, key="halfjaar", bind="query-params",
                              format_func=period_label,
                              help="Voor de vergelijking van de gemeenten en de uitsplitsing.")
    return {"region": region, "kind": kind, "measure": measure, "period": period}


def main() -> None:
    st.title("Veilig Thuis")
    st.markdown(vt.INTRO)
    status, status_error = try_query("vt_status")
    if status is None:
        return st.error(md_literal(status_error))
    min_count, rounding, error = vt_labels.protection(status)
    intro = st.container()  # the protection text, once it is known whose protection applies
    st.markdown(vt.NEUTRAL_TEXT)
    if error:
        intro.markdown(vt.privacy_text(min_count, rounding))
        st.error(md_literal(error))
        return
    periods, periods_error = try_query("vt_periods")
    if periods is None:
        return st.error(md_literal(periods_error))
    options = vt.halfjaar_options(periods["period"])
    if not options:
        st.info("Er zijn nog geen Veilig Thuis-cijfers geladen. Bouw de datasets op "
                "(python -m monitor build) of importeer de CBS-tabellen van Veilig Thuis.")
        return
    c = SimpleNamespace(min_count=min_count, rounding=rounding, **choices(options))
    view = shell.view_cache(veilig_thuis_view)(c.region, c.kind, c.period, c.measure, min_count, rounding)
    for message in view.inputs.errors:
        st.error(md_literal(message))
    intro.markdown(view.intro)
    if view.sample_note:
        shell.sample_banner(view.sample_note)
    for section in (trend_section, gemeenten_section, vt_regions_block, breakdown_section):
        section(view, c)
    table_section(view.shown, c, view.unassigned)
    with st.expander("Hoe deze cijfers zijn gemaakt en beschermd"):
        if view.shown.by_cbs:
            st.markdown(vt.CBS_METHOD_TEXT)
        st.markdown(vt.method_text(min_count, rounding))


main()
