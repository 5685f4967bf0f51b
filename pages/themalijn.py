"""The four themalijn pages (one module, registered four times in ``dashboard.py``; the page's
url path is its themalijn): the ambition in the programme's own words; per headline indicator
the figure against its target and trajectory, Twente against Nederland over time with intervals
and the periods its projects were in Realisatie, and the 14 gemeenten compared (ranked bars and
a map); then the projects of the themalijn. Every figure has a duiding sentence (also its text
alternative) and its source and peildatum under it.

Loader: ``monitor.views.inputs.load_themalijnen``; view model: ``monitor.views.themalijn``; sections
drawn by ``ui.indicator_sections``.
"""

from datetime import date

import streamlit as st

from monitor.domain.indicators import GROUP_LABELS
from monitor.domain.regions import GEMEENTE_CODES, region_name
from monitor.domain.text import md_literal, period_label, source_line
from monitor.views.themalijn import LATEST, themalijn_choices, themalijn_view
from ui import follow_forms, indicator_sections, project_views, shell
from ui.components import small_lines

themalijn = shell.current_page()
peildatum = date.today()
info, periods = shell.view_cache(themalijn_choices)(themalijn, peildatum)


def draw() -> None:
    st.title(md_literal(info.name))
    follow_forms.follow_toggle("themalijn", themalijn, info.name)
    row = st.container(horizontal=True)  # one block where three columns were four
    gemeente = row.selectbox("Gemeente", [None, *GEMEENTE_CODES], key="gemeente", bind="query-params",
                                 format_func=lambda c: "Twente (alle gemeenten)" if c is None else region_name(c))
    periode = row.selectbox("Periode", [LATEST, *reversed(periods)],
                                key="periode", bind="query-params",
                                format_func=lambda p: "Meest recent" if p == LATEST else period_label(p))
    groep = row.selectbox("Groep", list(GROUP_LABELS), key="groep", bind="query-params",
                              format_func=GROUP_LABELS.get)
    view = shell.view_cache(themalijn_view)(themalijn, gemeente, periode, groep, peildatum)

    with st.container(border=True):  # the label, the ambition and its source: one element
        st.markdown(f"**Ambitie** (uit het Jaarplan 2025)\n\n{md_literal(info.ambition)}\n\n"
                    + small_lines([source_line(info.source_title, info.source_peildatum)]))

    for section in view.sections:
        if section.indicator is None:
            st.warning(f"Indicator '{md_literal(section.indicator_id)}' ontbreekt in de datasets.")
            continue
        indicator_sections.indicator_section(section, gemeente, periode, view.bands,
                                             view.regions.get(section.indicator_id))

    st.header("Projecten van deze themalijn")
    shell.dataframe(view.shown, hide_index=True, width="stretch")
    project_views.open_project_picker(view.projects, target_page="pages/projecten.py")
    st.caption(md_literal(project_views.register_source_line(peildatum, view.projects)))
    if view.kpis is not None:
        st.subheader("KPI's van deze projecten")
        shell.table(view.kpi_table, hide_index=True)
        if view.kpi_sample:
            shell.sample_banner("de realisaties van KPI's zijn gegenereerd; de doelen komen uit het Jaarplan 2025.")
        shell.source_caption("Twentse Koers Jaarplan 2025 (doelen) en registraties in de monitor (realisaties)",
                          peildatum, is_sample=view.kpi_sample)
    indicator_sections.method_expander()


if info is None:
    st.error(f"Onbekende themalijn '{md_literal(themalijn)}'.")
else:
    draw()
