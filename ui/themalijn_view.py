"""The themalijn pages: one builder, four pages (``render("ouderen")`` …).

Each page: the ambition in the programme's own words; per headline indicator the figure
against its target and trajectory, Twente against Nederland over time with intervals and the
periods its projects were in Realisatie, and the 14 gemeenten compared (ranked bars and a
map); then the projects of the themalijn. Every figure has a duiding sentence (also its text
alternative) and its source and peildatum under it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from monitor.charts import comparisons as comparison_charts, indicators as indicator_charts, maps as map_charts
from monitor.domain import compare, targets
from monitor.data import db
from ui import project_views, shell as ui
from monitor.data.catalogue import headline_indicators, twente_method
from monitor.domain.indicators import (GROUP_LABELS, SUBGROUP_TEXT, for_group, gemeenten_comparison, latest_period,
                                periods, pick, target_figure, trend_frame)
from monitor.domain.projects import projects_display, realisation_bands, with_status
from monitor.domain.regions import GEMEENTE_CODES, NEDERLAND, TWENTE, region_name
from monitor.domain.periods import period_label
from monitor.domain.text import direction_label, format_value, source_line

LATEST = "meest recent"


def gemeente_shapes() -> pd.DataFrame:
    """The boundaries of the 14 gemeenten for the maps (a national dataset holds every gemeente's)."""
    shapes = db.query("region_shapes")
    return shapes[shapes["region_code"].isin(GEMEENTE_CODES)]


def _filters(all_periods: list[str]) -> tuple[str | None, str, str]:
    cols = st.columns(3)
    gemeente = cols[0].selectbox("Gemeente", [None, *GEMEENTE_CODES], key="gemeente", bind="query-params",
                                 format_func=lambda c: "Twente (alle gemeenten)" if c is None else region_name(c))
    periode = cols[1].selectbox("Periode", [LATEST, *reversed(all_periods)], key="periode",
                                bind="query-params",
                                format_func=lambda p: "Meest recent" if p == LATEST else period_label(p))
    groep = cols[2].selectbox("Groep", list(GROUP_LABELS), key="groep", bind="query-params",
                              format_func=GROUP_LABELS.get)
    return gemeente, periode, groep


def render(themalijn: str) -> None:
    found = db.query("themalijnen")
    row = found[found["themalijn"] == themalijn]
    if row.empty:
        st.error(f"Onbekende themalijn '{themalijn}'.")
        return
    info = row.iloc[0]
    # The jaarplan's own headline indicators first, then the real ones of the catalogue.
    indicator_ids = headline_indicators(themalijn, info["headline_indicators"])
    observations = db.query("indicator_observations", indicator_ids=indicator_ids)
    meta = db.query("indicator_meta", indicator_ids=indicator_ids).set_index("indicator_id")
    goals = db.query("indicator_targets", indicator_ids=indicator_ids)

    st.title(info["name"])
    gemeente, periode, groep = _filters(periods(observations))
    with st.container(border=True):
        st.markdown("**Ambitie** (uit het Jaarplan 2025)")
        st.markdown(info["ambition"])
        ui.source_caption(info["source_title"], info["source_peildatum"])

    peildatum = date.today()
    projects = ui.cached(with_status, db.query("project_overview", peildatum=peildatum), peildatum)
    projects = projects[projects["themalijn"] == themalijn]
    events = db.query("project_phase_events", peildatum=peildatum)
    bands = ui.cached(realisation_bands, events, projects, peildatum)

    for indicator_id in indicator_ids:
        if indicator_id not in meta.index:
            st.warning(f"Indicator '{indicator_id}' ontbreekt in de datasets.")
            continue
        indicator = {"indicator_id": indicator_id, **meta.loc[indicator_id].to_dict()}
        rows = observations[observations["indicator_id"] == indicator_id]
        indicator_section(indicator, rows, goals[goals["indicator_id"] == indicator_id], gemeente, periode,
                          groep, bands)

    st.header("Projecten van deze themalijn")
    table = projects_display(projects, peildatum)
    st.dataframe(table.drop(columns=["id", "Themalijn"]), hide_index=True, width="stretch")
    project_views.open_project_picker(projects, target_page="pages/projecten.py")
    st.caption(project_views.register_source_line(peildatum, projects))
    kpis = db.query("themalijn_kpis", themalijn=themalijn)
    if not kpis.empty:
        st.subheader("KPI's van deze projecten")
        summary = project_views.kpi_summary(kpis)
        summary["Stand"] = [targets.kpi_status(t, d, v, p, unit=u, is_sample=s is True, peildatum=peildatum)
                            for t, d, v, p, u, s in zip(kpis["target_value"], kpis["deadline"], kpis["value"],
                                                        kpis["period"], kpis["unit"], kpis["is_sample"])]
        st.table(summary, hide_index=True)
        if kpis["is_sample"].fillna(False).astype(bool).any():
            ui.sample_banner("de realisaties van KPI's zijn gegenereerd; de doelen komen uit het Jaarplan 2025.")
        ui.source_caption("Twentse Koers Jaarplan 2025 (doelen) en registraties in de monitor (realisaties)",
                          peildatum, is_sample=bool(kpis["is_sample"].fillna(False).astype(bool).any()))
    with st.expander("Hoe verschillen worden benoemd"):
        st.markdown(compare.METHOD_TEXT)


def indicator_section(indicator: dict, observations: pd.DataFrame, goals: pd.DataFrame, gemeente: str | None,
                      periode: str, groep: str, bands: pd.DataFrame) -> None:
    unit = indicator["unit"]
    st.header(indicator["name"])
    st.caption(f"{indicator['description']} · eenheid: {unit} · {direction_label(indicator['direction'])}")
    # The figures, sentences and chart rows: computed once per input, not on every rerun.
    data = ui.cached(section_data, indicator, observations, goals, gemeente, periode, groep, date.today())
    if data["note"]:
        st.info(data["note"])
    if data["empty"]:
        st.info("Er zijn nog geen cijfers voor deze indicator.")
        return

    _target_block(indicator, data["target"])

    left, right = st.columns(2)
    with left:
        _trend_block(indicator, data["trend"], gemeente, bands)
    with right:
        _gemeenten_block(indicator, data["gemeenten"], periode)


def section_data(indicator: dict, observations: pd.DataFrame, goals: pd.DataFrame, gemeente: str | None,
                 periode: str, groep: str, peildatum: date | None = None) -> dict:
    """What an indicator section shows, from the query results (pure): the group's note, and per
    block (target, trend, gemeenten) its rows, sentences and source lines."""
    rows, note = for_group(observations, groep)
    if rows.empty:
        return {"note": note, "empty": True}
    return {"note": note, "empty": False, "target": _target_data(indicator, rows, goals, peildatum),
            "trend": _trend_data(indicator, rows, gemeente),
            "gemeenten": _gemeenten_data(indicator, rows, gemeente, periode)}


def _source_lines(rows: pd.DataFrame) -> list[tuple]:
    """Source and peildatum of the rows shown, with the voorbeelddata mark where it applies:
    (title, peildatum, is_sample) for ``_show_sources``."""
    return [(title, peildatum, bool(group["is_sample"].any()))
            for (title, peildatum), group in rows.groupby(["source_title", "source_peildatum"], sort=False)]


def _show_sources(lines: list[tuple]) -> None:
    for title, peildatum, is_sample in lines:
        ui.source_caption(title, peildatum, is_sample=is_sample)


def _target_data(indicator: dict, rows: pd.DataFrame, goals: pd.DataFrame, peildatum: date | None = None) -> dict:
    twente = rows[rows["region_code"] == TWENTE]
    goal = None if goals.empty else goals.iloc[0].to_dict()
    latest = pick(twente, TWENTE)
    return {"latest": latest, "goal": goal,
            "age": None if latest is None else targets.age_text(latest["period"], peildatum or date.today()),
            "figure": None if goal is None else target_figure(twente, goal, indicator["unit"], peildatum)}


def _target_block(indicator: dict, data: dict) -> None:
    latest, goal, figure = data["latest"], data["goal"], data["figure"]
    cols = st.columns([1, 3])
    if latest is not None:
        cols[0].metric(f"Twente ({latest['period']})", format_value(latest["value"], indicator["unit"]),
                       help="Voorbeelddata" if latest["is_sample"] else None)
        # The headline's own source: it may differ from the charts' (the jaarplan's 2023 figure
        # beside the Gezondheidsmonitor's gemeenten of 2020).
        cols[0].caption(source_line(latest["source_title"], latest["source_peildatum"], bool(latest["is_sample"])))
    if goal is None:
        cols[1].info("Het jaarplan noemt voor deze indicator geen streefwaarde. " + (data.get("age") or ""))
        return
    status = figure["status"]
    with cols[1]:
        st.markdown(f"**Doel:** {status['text']}")
        try:
            ui.chart(indicator_charts.target_chart, figure["history"], figure["trajectory"], goal, indicator,
                     description=status["text"])
        except ValueError:
            st.info("Geen cijfers om tegen het doel af te zetten.")
        ui.source_caption(goal["source_title"], goal["source_peildatum"])


def _trend_data(indicator: dict, rows: pd.DataFrame, gemeente: str | None) -> dict:
    focus = gemeente or TWENTE
    codes = [TWENTE, NEDERLAND] + ([gemeente] if gemeente else [])
    series = trend_frame(rows, codes, indicator["unit"])
    if series.empty:
        return {"series": series}
    focus_name = region_name(focus) if gemeente else "Twente (GGD-regio)"
    sentence = compare.trend_sentence(series, indicator, focus_name) if (series["region_code"] == focus).any() \
        else f"Voor {region_name(focus)} zijn er geen cijfers door de tijd."
    return {"series": series, "sentence": sentence, "edition_2016": "19-64" in set(series["subgroup"]),
            "sources": _source_lines(series), "twente_method": twente_method(indicator["indicator_id"])}


def _trend_block(indicator: dict, data: dict, gemeente: str | None, bands: pd.DataFrame) -> None:
    series = data["series"]
    st.subheader(f"{region_name(gemeente) if gemeente else 'Twente'} en Nederland door de tijd")
    if series.empty:
        st.info("Voor Twente en Nederland zijn er geen cijfers voor deze indicator in deze groep.")
        return
    sentence = data["sentence"]
    ui.chart(indicator_charts.trend_chart, series, indicator, bands=bands, description=sentence)
    st.markdown(sentence)
    if not bands.empty:
        st.caption("Grijs vlak: de periode waarin projecten van deze themalijn in Realisatie zijn. Dat is context, "
                   "geen bewijs dat een project de indicator beïnvloedt.")
    if data["edition_2016"]:
        st.caption(f"2016: {SUBGROUP_TEXT['19-64']}.")
    if data.get("twente_method"):
        st.caption(data["twente_method"])
    _show_sources(data["sources"])


def _gemeenten_data(indicator: dict, rows: pd.DataFrame, gemeente: str | None, periode: str) -> dict:
    period = latest_period(rows) if periode == LATEST else periode
    if period is None or rows[(rows["level"] == "gemeente") & (rows["period"] == period)].empty:
        return {"period": period, "values": None}
    found = gemeenten_comparison(rows, indicator, period)
    twente, values = found["twente"], found["values"]
    sentence = found["sentence"]
    if gemeente:
        mine = pick(rows, gemeente, period)
        reference = twente if twente is not None else pick(rows, NEDERLAND, period)
        ref_name = "Twente" if twente is not None else "Nederland"
        nl = pick(rows, NEDERLAND, period)
        parts = []
        if mine is not None and nl is not None:
            parts.append(compare.duiding(indicator, region_name(gemeente), period, mine["value"], mine["ci_low"],
                                         mine["ci_high"], "Nederland", nl["value"], nl["ci_low"], nl["ci_high"],
                                         is_sample=bool(mine["is_sample"])))
        if mine is not None:
            parts.append(compare.duiding(indicator, region_name(gemeente), period, mine["value"], mine["ci_low"],
                                         mine["ci_high"], ref_name, None if reference is None else reference["value"],
                                         None if reference is None else reference["ci_low"],
                                         None if reference is None else reference["ci_high"],
                                         is_sample=bool(mine["is_sample"])))
        # each thing said once (the missing interval, voorbeelddata), not in every sentence
        sentence = compare.paragraph([*parts, sentence])
    return {"period": period, "values": values, "references": found["references"],
            "highlight": region_name(gemeente) if gemeente else None, "sample": found["is_sample"],
            "sentence": sentence,
            "sources": _source_lines(values if twente is None else pd.concat([values, twente.to_frame().T]))}


def _gemeenten_block(indicator: dict, data: dict, periode: str) -> None:
    period, values = data["period"], data["values"]
    st.subheader(f"De 14 gemeenten vergeleken ({period_label(period)})")
    if values is None:
        shown = "deze periode" if periode != LATEST else "enig jaar"
        st.info(f"Voor {shown} zijn er geen cijfers per gemeente voor deze indicator.")
        return
    sentence = data["sentence"]
    bars, shape = st.tabs(["Gerangschikt", "Kaart"])
    with bars:
        ui.chart(comparison_charts.ranked_bar_chart, values, indicator, data["references"], highlight=data["highlight"],
                 description=sentence)
    with shape:
        shapes = gemeente_shapes()
        try:
            ui.chart(map_charts.choropleth, shapes, values, indicator, description=sentence)
            ui.source_caption(shapes["source_title"].iloc[0], shapes["source_peildatum"].iloc[0])
        except ValueError:
            st.info("Geen kaart: er zijn geen gemeentegrenzen of geen cijfers voor deze periode.")
    st.markdown(sentence)
    if data["sample"]:
        ui.sample_banner("de cijfers per gemeente zijn gegenereerd; alleen het Twentse cijfer is echt.")
    _show_sources(data["sources"])
