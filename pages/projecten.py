"""Projecten: is every project in the phase it should be, which are behind, what changed."""

from datetime import date
from functools import partial

import streamlit as st

from monitor import auth, charts, db, project_views, ui
from monitor.contract import PHASES, THEMALIJNEN
from monitor.export.tables import to_dutch_csv, to_xlsx
from monitor.projects import (STALE_LABEL, assignment_matrix, filter_projects, phase_summary,
                              projects_display, status_counts, with_status)
from monitor.regions import GEMEENTE_CODES, region_name
from monitor.status import STATUSES
from monitor.text import format_date

ui.ensure_app_navigation()
user = auth.current_user()
project_id = st.query_params.get("project")



def overview() -> None:
    st.title("Projecten")
    st.markdown("Staat elk project in de fase waarin het volgens het Jaarplan 2025 hoort te staan? "
                "De status volgt uit de fase op de peildatum; zie *Hoe de status wordt bepaald* onderaan.")
    project_views.show_flash()

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
    metrics = st.columns(5)
    for column, label in zip(metrics, [*STATUSES, STALE_LABEL]):
        column.metric(label.capitalize(), counts[label])
    st.caption(f"{len(shown)} van {len(projects)} projecten · peildatum {format_date(peildatum)}")

    tab_table, tab_phases, tab_timeline, tab_local, tab_changes = st.tabs(
        ["Tabel", "Fasen per themalijn", "Tijdlijn", "Lokale opdrachten", "Wat is er gewijzigd"])

    with tab_table:
        table = projects_display(shown)
        table["Details"] = [f"/projecten?project={pid}" for pid in table["id"]]
        st.dataframe(table.drop(columns=["id"]), hide_index=True, width="stretch", key="projecttabel",
                     column_config={"Details": st.column_config.LinkColumn("Details", display_text="open")})
        project_views.open_project_picker(shown)
        footer = [project_views.register_source_line(peildatum)]
        downloads = st.columns([1, 1, 4])
        export = table.drop(columns=["Details"])
        # The files are built when clicked (a callable), not on every run of the page.
        downloads[0].download_button("CSV (Excel)", partial(to_dutch_csv, export, footer_lines=footer),
                                     file_name=f"projecten-{peildatum:%Y-%m-%d}.csv", mime="text/csv")
        downloads[1].download_button("XLSX", partial(to_xlsx, export, sheet_name="Projecten", footer_lines=footer,
                                                     title=f"Projecten Twentse Koers, peildatum {format_date(peildatum)}"),
                                     file_name=f"projecten-{peildatum:%Y-%m-%d}.xlsx",
                                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    with tab_phases:
        ui.chart(charts.phase_summary_chart, ui.cached(phase_summary, shown))
        ui.source_caption("Twentse Koers Jaarplan 2025 en registraties in de monitor", peildatum)

    with tab_timeline:
        events = db.query("project_phase_events", peildatum=peildatum)
        events = events[events["project_id"].isin(shown["project_id"])]
        ui.chart(charts.timeline_chart, events, shown.rename(columns={"name": "project_name"}), peildatum)
        ui.source_caption("Twentse Koers Jaarplan 2025 en registraties in de monitor", peildatum)

    with tab_local:
        assignments = db.query("project_local_assignments")
        st.dataframe(ui.cached_table(assignment_matrix, assignments), width="stretch")
        st.caption("● = lokale opdracht volgens hoofdstuk 3.2 van het Jaarplan 2025 (peildatum 1 januari 2025). "
                   "Open een project voor de tekst van de opdracht.")

    with tab_changes:
        changes = db.query("recent_changes", peildatum=peildatum, limit=25)
        if changes.empty:
            st.info("Er zijn tot de peildatum nog geen wijzigingen vastgelegd: alle fasen zijn de startfasen uit "
                    "het Jaarplan 2025.")
        else:
            st.table(project_views.changes_display(changes), hide_index=True)
            st.caption("De 25 meest recente registraties tot en met de peildatum.")

    if user is not None and user.can_edit:
        project_views.record_forms(user, projects)

    with st.expander("Hoe de status wordt bepaald"):
        st.markdown(project_views.STATUS_EXPLANATION)


if project_id:
    project_views.detail(project_id, user)
else:
    overview()
