"""Projecten: is every project in the phase it should be, which are behind, what changed."""

from datetime import date
from functools import partial

import streamlit as st

from monitor.data import auth, db
from monitor.charts import projects as project_charts
from ui import project_views, shell as ui
from monitor.data.contract import PHASES, THEMALIJNEN
from monitor.export.tables import to_dutch_csv, to_xlsx
from monitor.domain.projects import (STALE_LABEL, assignment_matrix, filter_projects, past_horizon, phase_summary,
                              projects_display, status_counts, status_label, with_status)
from monitor.domain.regions import GEMEENTE_CODES, region_name
from monitor.domain.status import STATUSES, plan_notice
from monitor.domain.text import format_date

ui.ensure_app_navigation()
st.html(project_views.HIDE_INPUT_HINTS)
user = auth.current_user()
project_id = st.query_params.get("project")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def overview() -> None:
    st.session_state.pop(project_views.OPENED_KEY, None)
    st.title("Projecten")
    st.markdown("Staat elk project in de fase waarin het volgens het jaarplan hoort te staan? De status volgt uit de "
                "fase op de peildatum en het jaarplan van dat jaar; zie *Hoe de status wordt bepaald* onderaan.")

    # --- filters, all kept in the URL ------------------------------------------------------------
    top = st.columns([1, 2, 2])
    peildatum = top[0].date_input("Peildatum", value=date.today(), key="peildatum", bind="query-params",
                                  format="DD-MM-YYYY", max_value=date.today())
    zoek = top[1].text_input("Zoek op naam", key="zoek", bind="query-params", placeholder="bijv. valpreventie")
    gemeente = top[2].selectbox("Gemeente", [None, *GEMEENTE_CODES], key="gemeente", bind="query-params",
                                format_func=lambda c: "Alle gemeenten" if c is None else region_name(c))
    row = st.columns(3)
    themalijnen = row[0].multiselect("Themalijn", list(THEMALIJNEN), key="themalijn", bind="query-params",
                                     format_func=THEMALIJNEN.get, placeholder="Alle themalijnen")
    fasen = row[1].multiselect("Fase nu", list(PHASES), key="fase", bind="query-params", placeholder="Alle fasen")
    statussen = row[2].multiselect("Status", [*STATUSES, STALE_LABEL], key="status", bind="query-params",
                                   placeholder="Alle statussen")

    projects = ui.cached(with_status, db.query("project_overview", peildatum=peildatum), peildatum)
    shown = filter_projects(projects, themalijnen=themalijnen, phases=fasen, statuses=statussen,
                            gemeente=gemeente, search=zoek)

    counts = status_counts(shown)
    with st.container(horizontal=True, key="statustellingen", gap="medium"):
        for label in [*STATUSES, STALE_LABEL]:
            st.metric(status_label(label), counts[label], width="content")
    st.caption(f"{len(shown)} van {len(projects)} projecten · peildatum {format_date(peildatum)}")
    notice = plan_notice(shown, peildatum)
    if notice:
        st.info(notice, icon=":material/event_busy:")

    tab_table, tab_phases, tab_timeline, tab_local, tab_changes = st.tabs(
        ["Tabel", "Fasen per themalijn", "Tijdlijn", "Lokale opdrachten", "Wat is er gewijzigd"])
    source = project_views.register_source_line(peildatum, shown)

    with tab_table:
        table = projects_display(shown, peildatum)
        table["Details"] = [project_views.details_link(pid) for pid in table["id"]]
        # Project and Status first and pinned: what matters is visible without scrolling sideways.
        st.dataframe(table.drop(columns=["id"]), hide_index=True, width="stretch", key="projecttabel",
                     column_config={"Project": st.column_config.TextColumn(pinned=True, width=250),
                                    "Status": st.column_config.TextColumn(width=205),
                                    "Details": st.column_config.LinkColumn("Details", display_text="open")})
        if past_horizon(shown, peildatum):
            st.caption("'Verwacht nu' is weggelaten: na de looptijd van het plan is dat de verwachte fase.")
        project_views.open_project_picker(shown)
        footer = [source]
        export = table.drop(columns=["Details"])
        # The files are built when clicked (a callable), not on every run of the page.
        with st.container(horizontal=True, key="downloads-projecten"):
            st.download_button("CSV (Excel)", partial(to_dutch_csv, export, footer_lines=footer),
                               file_name=f"projecten-{peildatum:%Y-%m-%d}.csv", mime="text/csv",
                               icon=":material/download:")
            st.download_button("XLSX", partial(to_xlsx, export, sheet_name="Projecten", footer_lines=footer,
                                               title=f"Projecten Twentse Koers, peildatum {format_date(peildatum)}"),
                               file_name=f"projecten-{peildatum:%Y-%m-%d}.xlsx", mime=XLSX_MIME,
                               icon=":material/download:")

    with tab_phases:
        ui.chart(project_charts.phase_summary_chart, ui.cached(phase_summary, shown))
        st.caption(source)

    with tab_timeline:
        events = db.query("project_phase_events", peildatum=peildatum)
        events = events[events["project_id"].isin(shown["project_id"])]
        if shown.empty:
            st.info("Geen projecten bij deze filters.")
        else:
            ui.chart(project_charts.timeline_chart, events, shown.rename(columns={"name": "project_name"}), peildatum)
        st.caption(source)

    with tab_local:
        # The filters above apply here too: only the shown projects' assignments.
        assignments = db.query("project_local_assignments")
        assignments = assignments[assignments["project_id"].isin(shown["project_id"])]
        if assignments.empty:
            st.info("Het jaarplan noemt voor de projecten bij deze filters geen lokale opdrachten.")
        else:
            st.dataframe(ui.cached_table(assignment_matrix, assignments), width="stretch")
            st.caption("● = lokale opdracht volgens hoofdstuk 3.2 van het jaarplan. "
                       "Open een project voor de tekst van de opdracht.")

    with tab_changes:
        changes = db.query("recent_changes", peildatum=peildatum, limit=25)
        changes = changes[changes["project_id"].isin(shown["project_id"])]
        if changes.empty:
            st.info("Er zijn tot de peildatum voor deze projecten nog geen wijzigingen vastgelegd: de fasen zijn de "
                    "startfasen uit het jaarplan.")
        elif user is not None and user.can_edit:
            project_views.changes_rows(user, changes, "wijzigingen")
        else:
            st.table(project_views.changes_display(changes), hide_index=True)
        if not changes.empty:
            st.caption("De meest recente registraties (hoogstens 25) tot en met de peildatum, bij de filters hierboven; "
                       "tijden in Nederlandse tijd.")

    if user is not None and user.can_edit:
        project_views.record_forms_section(user, projects)

    with st.expander("Hoe de status wordt bepaald"):
        st.markdown(project_views.STATUS_EXPLANATION)


if project_id:
    project_views.detail(project_id, user)
else:
    overview()
