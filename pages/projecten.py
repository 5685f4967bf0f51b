"""Projecten: is every project in the phase it should be, which are behind, what changed."""

from datetime import date

import streamlit as st

from monitor.charts import projects as project_charts
from monitor.data.contract import PHASES, THEMALIJNEN
from monitor.domain.projects import STALE_LABEL, assignment_matrix, status_label
from monitor.domain.regions import GEMEENTE_CODES, region_name
from monitor.domain.status import STATUSES
from monitor.domain.text import format_date, md_literal
from monitor.views.projecten import CHANGES_LIMIT, Filters, projecten_view
from ui import downloads, login, project_views, shell

user = login.current_user()
project_id = st.query_params.get("project")

TABS = ["Tabel", "Fasen per themalijn", "Tijdlijn", "Lokale opdrachten", "Wat is er gewijzigd"]


def filters() -> tuple[date, Filters]:
    """The filters, all kept in the URL."""
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
    return peildatum, Filters(search=zoek, gemeente=gemeente, themalijnen=themalijnen, phases=fasen,
                              statuses=statussen)


def table_tab(view) -> None:
    table = shell.cached_table(project_views.screen_table, view.table, project_views.list_filters())
    # Project and Status first and pinned: what matters is visible without scrolling sideways.
    st.dataframe(table, hide_index=True, width="stretch", key="projecttabel",
                 column_config={"Project": st.column_config.TextColumn(pinned=True, width=250),
                                "Status": st.column_config.TextColumn(width=205),
                                "Details": st.column_config.LinkColumn("Details", display_text="open")})
    if view.past_horizon:
        st.caption("'Verwacht nu' is weggelaten: na de looptijd van het plan is dat de verwachte fase.")
    project_views.open_project_picker(view.shown)
    day = view.peildatum
    # The files are built when clicked, without rerunning the page (``downloads.table_downloads``).
    downloads.table_downloads(view.table, lambda: [view.source], f"projecten-{day:%Y-%m-%d}", "Projecten",
                              f"Projecten Twentse Koers, peildatum {format_date(day)}", key_prefix="projecten_")


def other_tabs(view, tabs) -> None:
    """Only the open tab is drawn (the tabs are kept in the URL: opening another one reruns)."""
    tab_phases, tab_timeline, tab_local, tab_changes = tabs
    if tab_phases.open:
        with tab_phases:
            shell.chart(project_charts.phase_summary_chart, view.phases)
            st.caption(md_literal(view.source))
    if tab_timeline.open:
        with tab_timeline:
            timeline_tab(view)
    if tab_local.open:
        with tab_local:
            local_tab(view)
    if tab_changes.open:
        with tab_changes:
            changes_tab(view)


def timeline_tab(view) -> None:
    if view.shown.empty:
        st.info("Geen projecten bij deze filters.")
    else:
        shell.chart(project_charts.timeline_chart, view.events, view.shown.rename(columns={"name": "project_name"}),
                 view.peildatum)
    st.caption(md_literal(view.source))


def local_tab(view) -> None:
    # The filters above apply here too: only the shown projects' assignments.
    if view.assignments.empty:
        st.info("Het jaarplan noemt voor de projecten bij deze filters geen lokale opdrachten.")
    else:
        st.dataframe(shell.cached_table(assignment_matrix, view.assignments), width="stretch")
        st.caption("● = lokale opdracht volgens hoofdstuk 3.2 van het jaarplan. "
                   "Open een project voor de tekst van de opdracht.")


def changes_tab(view) -> None:
    if view.changes.empty:
        st.info("Er zijn tot de peildatum voor deze projecten nog geen wijzigingen vastgelegd: de fasen zijn de "
                "startfasen uit het jaarplan.")
    elif user is not None and user.can_edit:
        project_views.changes_rows(user, view.changes, "wijzigingen")
    else:
        shell.table(project_views.changes_display(view.changes), hide_index=True)
    if not view.changes.empty:
        st.caption(f"De meest recente registraties (hoogstens {CHANGES_LIMIT}) tot en met de peildatum, bij de "
                   "filters hierboven; tijden in Nederlandse tijd.")


def overview() -> None:
    st.session_state.pop(project_views.OPENED_KEY, None)
    st.title("Projecten")
    st.markdown("Staat elk project in de fase waarin het volgens het jaarplan hoort te staan? De status volgt uit de "
                "fase op de peildatum en het jaarplan van dat jaar; zie *Hoe de status wordt bepaald* onderaan.")
    peildatum, chosen = filters()
    view = shell.view_cache(projecten_view)(peildatum, chosen)
    with st.container(horizontal=True, key="statustellingen", gap="medium"):
        for label, count in view.counts.items():
            st.metric(status_label(label), count, width="content")
    st.caption(f"{len(view.shown)} van {len(view.projects)} projecten · peildatum {format_date(peildatum)}")
    if view.notice:
        st.info(md_literal(view.notice), icon=":material/event_busy:")
    # The open tab is kept in the URL (?tabblad=Tijdlijn) and only it is drawn.
    tabs = st.tabs(TABS, key="tabblad", bind="query-params")
    if tabs[0].open:
        with tabs[0]:
            table_tab(view)
    other_tabs(view, tabs[1:])
    if user is not None and user.can_edit:
        project_views.record_forms_section(user, view.projects)
    with st.expander("Hoe de status wordt bepaald"):
        st.markdown(project_views.STATUS_EXPLANATION)


if project_id:
    project_views.detail(project_id, user)
else:
    overview()
