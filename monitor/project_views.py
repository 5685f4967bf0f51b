"""Streamlit components for projects: the project detail and the forms that record changes.

Used by the Projecten page and, later, by the themalijn pages. Logic lives in
``monitor.projects`` and ``monitor.status``; writing lives in ``monitor.events``, which
checks the role itself: these forms are only shown to a redacteur, but hiding a form is
not the protection.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from monitor import charts, db, events, ui
from monitor.contract import PHASES
from monitor.projects import register_source_line, with_status  # noqa: F401 (re-exported)
from monitor.text import format_date, format_short_date, format_value, themalijn_label

STATUS_EXPLANATION = """
- **afgerond**: het project is in de Borgingsfase.
- Anders wordt de fase die het project op de peildatum minstens moet hebben, berekend door
  gelijkmatig door het jaar te lopen van de fase op 01-01-2025 naar de verwachte fase op
  31-12-2025 (Initiatie = 0 … Borging = 5). Vóór 2025 geldt de startfase, na 2025 de verwachte fase.
  - **achter**: de fase nu ligt onder de fase die het project op de peildatum minstens moet hebben;
  - **voor**: de fase nu ligt boven de fase die het plan pas later bereikt;
  - **op schema**: daartussen.
- **niet bijgewerkt** (een extra markering, geen status): er is meer dan 90 dagen vóór de peildatum
  geen faseovergang vastgelegd. Een ontbrekende update wordt zo niet aangezien voor een vertraging.

Voorbeeld: Kinderarmoede gaat van Definitie (1) naar Realisatie (4). Op 1 juli 2025 is het plan halverwege
(2,5): Ontwerp of Voorbereiding is op schema, Definitie is achter, Realisatie is voor.

De startfasen komen uit het Jaarplan 2025; latere fasen zijn wat redacteuren vastleggen. De monitor
verzint geen faseovergangen.
"""

FLASH_KEY = "_project_flash"


def show_flash() -> None:
    """The confirmation of the last recorded change (kept over the rerun that shows it)."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon="✅")


def _peildatum_from_url() -> date:
    """The peildatum of the overview (?peildatum=JJJJ-MM-DD), else today."""
    raw = st.query_params.get("peildatum")
    try:
        chosen = date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        return date.today()
    return min(chosen, date.today())


def open_project_picker(projects: pd.DataFrame, target_page: str | None = None) -> None:
    """Open a project's detail in this session (a login stays; the URL gets ?project=<id>).

    ``target_page``: the Projecten page when the picker stands on another page.
    """
    names = dict(zip(projects["project_id"], projects["name"]))
    chosen = st.selectbox("Project openen", [None, *names], key="project_openen",
                          format_func=lambda p: "Kies een project…" if p is None else names[p])
    if chosen:
        st.session_state.pop("project_openen", None)
        if target_page:
            st.switch_page(target_page, query_params={"project": chosen})
        st.query_params["project"] = chosen
        st.rerun()


def kpi_summary(kpis: pd.DataFrame) -> pd.DataFrame:
    """Per KPI: project, KPI, target and deadline, the latest realisation and its period."""
    return pd.DataFrame({
        "Project": kpis["project_name"],
        "KPI": kpis["kpi_name"],
        "Doel": [f"{format_value(t, u)} uiterlijk {format_short_date(d)}"
                 for t, u, d in zip(kpis["target_value"], kpis["unit"], kpis["deadline"])],
        "Laatste realisatie": ["–" if pd.isna(v) else format_value(v, u) + (" (voorbeelddata)" if s is True else "")
                               for v, u, s in zip(kpis["value"], kpis["unit"], kpis["is_sample"])],
        "Periode": kpis["period"].fillna("–"),
    })


def changes_display(changes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Vastgelegd op": [ts.strftime("%d-%m-%Y %H:%M") + " UTC" for ts in changes["recorded_at"]],
        "Project": changes["project_name"],
        "Soort": changes["kind"],
        "Wijziging": changes["what"],
        "Door": changes["recorded_by"],
        "Toelichting": changes["note"].fillna(""),
    })


def detail(project_id: str, user: events.User | None) -> None:
    """The detail view of one project (``/projecten?project=<id>``)."""
    if st.button("← Alle projecten", key="terug"):
        del st.query_params["project"]
        st.rerun()
    found = db.query("project_detail", project_id=project_id)
    if found.empty:
        st.error(f"Project '{project_id}' bestaat niet. Kies een project in de lijst.")
        return
    project = found.iloc[0]
    peildatum = _peildatum_from_url()
    overview = with_status(db.query("project_overview", peildatum=peildatum), peildatum)
    row = overview[overview["project_id"] == project_id].iloc[0]

    st.title(project["name"])
    parent = f" · deelproject van {project['parent_name']}" if isinstance(project["parent_name"], str) else ""
    st.caption(f"Themalijn {themalijn_label(project['themalijn'])}{parent}")
    show_flash()

    cols = st.columns(4)
    cols[0].metric("Fase 01-01-2025", row["phase_start"])
    cols[1].metric("Fase nu", row["current_phase"])
    cols[2].metric("Verwacht 31-12-2025", row["phase_expected"])
    cols[3].metric("Status", row["status"])
    if row["niet_bijgewerkt"]:
        st.warning(f"Niet bijgewerkt: de laatste faseovergang is van {format_short_date(row['last_change'])}, "
                   f"meer dan 90 dagen vóór de peildatum. Klopt de fase nog?", icon="🕒")
    st.caption(f"Status op {format_date(peildatum)} · laatste faseovergang: "
               f"{format_short_date(row['last_change'])} · {register_source_line(peildatum)}")

    st.subheader("Doelstelling")
    st.markdown(project["doelstelling"])
    st.subheader("Speerpunten")
    st.markdown("\n".join(f"- {item}" for item in project["speerpunten"]))

    _kpis(project_id)
    _history(project_id)
    _local(project_id)

    if user is not None and user.can_edit:
        st.divider()
        record_forms(user, overview, project_id=project_id)


def _kpis(project_id: str) -> None:
    realisations = db.query("project_kpi_realisations", project_id=project_id)
    st.subheader("KPI's")
    if realisations.empty:
        st.info("Het jaarplan noemt voor dit project geen meetbaar doel; er zijn geen KPI's.")
        return
    for kpi_id, rows in realisations.groupby("kpi_id", sort=False):
        first = rows.iloc[0]
        kpi = {"kpi_id": kpi_id, "name": first["kpi_name"], "unit": first["unit"],
               "target_value": first["target_value"], "deadline": first["deadline"]}
        measured = rows.dropna(subset=["period"])
        if measured.empty:
            st.markdown(f"**{first['kpi_name']}** · doel {format_value(first['target_value'], first['unit'])} "
                        f"uiterlijk {format_date(first['deadline'])}")
            st.info("Nog geen realisatie vastgelegd.")
            continue
        ui.chart(charts.kpi_chart, measured[["period", "value", "is_sample"]], kpi)
        sample = bool(measured["is_sample"].any())
        ui.source_caption("Twentse Koers Jaarplan 2025 (doel) en registraties in de monitor (realisatie)",
                          measured["recorded_at"].max(), is_sample=sample)


def _history(project_id: str) -> None:
    history = db.query("project_history", project_id=project_id)
    st.subheader("Fasegeschiedenis")
    shown = pd.DataFrame({
        "Fase": history["phase"],
        "Ingangsdatum": [format_short_date(d) for d in history["effective_date"]],
        "Vastgelegd op": [ts.strftime("%d-%m-%Y %H:%M") + " UTC" if pd.notna(ts) else "–"
                          for ts in history["recorded_at"]],
        "Door": history["recorded_by"],
        "Toelichting": history["note"].fillna(""),
        "Geldig": [_validity(u, by, at) for u, by, at in
                   zip(history["undoes"], history["undone_by"], history["undone_at"])],
    })
    st.table(shown, hide_index=True)


def _validity(undoes, undone_by, undone_at) -> str:
    if isinstance(undoes, str):
        return "herstel (maakt een eerdere wijziging ongedaan)"
    if isinstance(undone_by, str):
        return f"ongedaan gemaakt door {undone_by} op {format_short_date(undone_at)}"
    return "ja"


def _local(project_id: str) -> None:
    assignments = db.query("project_local_assignments")
    mine = assignments[assignments["project_id"] == project_id]
    st.subheader("Lokale opdrachten")
    if mine.empty:
        st.info("Het jaarplan noemt voor dit project geen lokale opdracht (peildatum 1 januari 2025).")
        return
    for item in mine.itertuples():
        label = "GGD Twente (organisatie)" if item.level == "ggd_regio" else item.region_name
        st.markdown(f"**{label}**: {item.description}")
    st.caption("Bron: Twentse Koers Jaarplan 2025, hoofdstuk 3.2 · peildatum 1 januari 2025")


def record_forms(user: events.User, projects: pd.DataFrame, project_id: str | None = None) -> None:
    """Forms for a redacteur: a phase change, a KPI realisation, and undoing an earlier change."""
    st.subheader("Wijziging vastleggen")
    st.caption(f"Je legt vast als **{user.name}**. Elke wijziging wordt een nieuwe, onveranderlijke "
               "gebeurtenis; ongedaan maken is ook een nieuwe gebeurtenis.")
    phase_tab, kpi_tab, undo_tab = st.tabs(["Faseovergang", "KPI-realisatie", "Ongedaan maken"])
    names = dict(zip(projects["project_id"], projects["name"]))
    with phase_tab:
        with st.form("fasewijziging", clear_on_submit=False):
            chosen = project_id or st.selectbox("Project", list(names), format_func=names.get, key="fw_project")
            phase = st.selectbox("Nieuwe fase", list(PHASES), key="fw_fase")
            effective = st.date_input("Ingangsdatum", value=date.today(), max_value=date.today(),
                                      format="DD-MM-YYYY", key="fw_datum")
            note = st.text_area("Toelichting", key="fw_toelichting",
                                help="Verplicht bij een stap terug.")
            if st.form_submit_button("Faseovergang vastleggen", type="primary"):
                _submit(lambda: events.record_phase_change(user, chosen, phase, effective, note),
                        f"Faseovergang vastgelegd: {names.get(chosen, chosen)} → {phase} "
                        f"per {format_short_date(effective)}.")
    with kpi_tab:
        kpis = db.query("project_kpi_list")
        if project_id:
            kpis = kpis[kpis["project_id"] == project_id]
        if kpis.empty:
            st.info("Dit project heeft geen KPI's.")
        else:
            labels = {r.kpi_id: f"{r.project_name}: {r.name} ({r.unit})" for r in kpis.itertuples()}
            with st.form("kpirealisatie"):
                kpi_id = st.selectbox("KPI", list(labels), format_func=labels.get, key="kr_kpi")
                period = st.text_input("Periode", placeholder="bijv. 2025Q3 of 2025", key="kr_periode")
                value = st.number_input("Waarde", min_value=None, step=1.0, format="%.1f", key="kr_waarde")
                note = st.text_area("Toelichting", key="kr_toelichting")
                if st.form_submit_button("Realisatie vastleggen", type="primary"):
                    _submit(lambda: events.record_kpi_realisation(user, kpi_id, period, value, note),
                            f"Realisatie vastgelegd voor {labels[kpi_id]}, periode {period}.")
    with undo_tab:
        undoable = db.query("undoable_events")
        if project_id:
            undoable = undoable[undoable["project_id"] == project_id]
        if undoable.empty:
            st.info("Er zijn geen vastgelegde wijzigingen om ongedaan te maken. "
                    "De startfasen uit het jaarplan kunnen niet ongedaan worden gemaakt.")
        else:
            labels = {f"{r.table_name}:{r.event_id}": r.label for r in undoable.itertuples()}
            with st.form("ongedaan"):
                key = st.selectbox("Wijziging", list(labels), format_func=labels.get, key="og_event")
                note = st.text_area("Waarom ongedaan maken?", key="og_toelichting")
                if st.form_submit_button("Ongedaan maken"):
                    table, event_id = key.split(":", 1)
                    _submit(lambda: events.undo_event(user, table, event_id, note),
                            "De wijziging is ongedaan gemaakt (als nieuwe gebeurtenis vastgelegd).")


def _submit(action, success: str) -> None:
    try:
        action()
    except events.PermissionDenied as exc:
        st.error(str(exc), icon="🔒")
        return
    except events.ChangeRefused as exc:
        st.error(str(exc), icon="⚠️")
        return
    st.session_state[FLASH_KEY] = success
    st.rerun()
