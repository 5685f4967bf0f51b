"""Streamlit components for projects: the project detail, the list page's recording forms and
the lists of recorded changes with undo next to each row.

Used by the Projecten page and the themalijn pages. Logic lives in ``monitor.domain.projects`` and
``monitor.domain.status``; the forms in ``ui.record_forms``; writing in ``monitor.data.events`` and
``monitor.data.checkins``, which check the right to the project themselves (``monitor.data.rights``):
the forms are only shown to who may record there, but hiding a form is not the protection.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from monitor.data import events, rights
from monitor.charts import projects as project_charts
from ui import follow_forms, record_forms, shell
from monitor.domain.projects import plan_moments, register_source_line, status_label  # noqa: F401 (re-exported)
from monitor.domain import targets
from monitor.domain.status import ONBEKEND, STALE_DAYS, plan_notice
from monitor.domain.periods import period_label
from monitor.views.owners import load_checkin_timeline
from monitor.views.project import Kpi, ProjectView, load_kpi_list, load_project
from monitor.domain.text import (format_date, format_short_date, format_timestamp, format_value, md_literal,
                                 themalijn_label)

STATUS_EXPLANATION = f"""
De status meet een project aan het **jaarplan van het jaar van de peildatum**: de fase op 1 januari
en de verwachte fase op 31 december. Staat er voor dat jaar geen jaarplan in de monitor, dan geldt
het nieuwste eerdere jaarplan en zegt de pagina dat.

- **afgerond**: het project is in de Borgingsfase.
- Anders wordt de fase die het project op de peildatum minstens moet hebben, berekend door
  gelijkmatig door het planjaar te lopen van de startfase naar de verwachte fase
  (Initiatie = 0 … Borging = 5). Vóór het planjaar geldt de startfase, erna de verwachte fase.
  - **onbekend (geen registratie)**: sinds de startfase is er niets geregistreerd, terwijl het plan
    het project inmiddels verder verwacht. De monitor weet dan niet of het project achterloopt;
    het is geen vertraging, maar een ontbrekende registratie;
  - **achter**: een registratie laat zien dat de fase nu onder de fase ligt die het project op de
    peildatum minstens moet hebben;
  - **voor**: de fase nu ligt boven de fase die het plan pas later bereikt;
  - **op schema**: daartussen.
- **niet bijgewerkt** (een extra markering, geen status): er is meer dan {STALE_DAYS} dagen vóór de
  peildatum niets vastgelegd (geen faseovergang, geen nieuwe startfase). Bij *afgerond* en
  *onbekend* staat deze markering niet: de status zegt het dan al.

Voorbeeld: Kinderarmoede gaat in 2025 van Definitie (1) naar Realisatie (4). Op 1 juli 2025 is het
plan halverwege (2,5): Ontwerp of Voorbereiding is op schema, Realisatie is voor; staat het project
volgens een registratie nog in Definitie, dan is het achter; is er niets geregistreerd, dan is
het onbekend.

De startfasen komen uit de jaarplannen; latere fasen zijn wat redacteuren vastleggen. De monitor
verzint geen faseovergangen.
"""

SAMPLE_KPI_CAPTION = ("Voorbeelddata (geen echte cijfers): de realisaties zijn gegenereerd om te laten zien hoe de "
                      "grafiek werkt; het zijn geen registraties en ze hebben geen peildatum. Het doel komt uit het "
                      "jaarplan.")
LIST_PARAMS_KEY = "_projecten_lijst"  # the list's URL parameters (filters) when a project was opened
OPENED_KEY = "_project_geopend"
CHECKIN_HISTORY_SLOT = "vm-historie"
CHECKIN_PARAM = "voortgangsmelding"  # ?project=<id>&voortgangsmelding=1 opens the form (a reminder's link)

# Scrolls the page to its top (the project's title) once, when a project is opened; a rerun of the
# detail page (after recording a change) keeps its place.
_SCROLL_TOP = """<script>
for (const el of [document.scrollingElement, ...document.querySelectorAll(
    '[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main')]) {
  if (el) { el.scrollTop = 0; }
}
</script>"""


def _list_params() -> dict:
    """The URL parameters of the list (its filters), without ``project``."""
    return {key: st.query_params.get_all(key) for key in st.query_params if key not in ("project", CHECKIN_PARAM)}


def open_project(project_id: str, target_page: str | None = None) -> None:
    """Open a project's detail in this session (a login stays; the URL gets ?project=<id> and
    keeps the list's filters, so '← Alle projecten' returns to the same list)."""
    params = _list_params()
    st.session_state[LIST_PARAMS_KEY] = params
    if target_page:
        st.switch_page(target_page, query_params={"project": project_id})
    st.query_params["project"] = project_id
    st.rerun()


def open_project_picker(projects: pd.DataFrame, target_page: str | None = None) -> None:
    """A box to open a project's detail. ``target_page``: the Projecten page when the picker
    stands on another page."""
    names = dict(zip(projects["project_id"], projects["name"]))
    chosen = st.selectbox("Project openen", [None, *names], key="project_openen",
                          format_func=lambda p: "Kies een project…" if p is None else names[p])
    if chosen:
        st.session_state.pop("project_openen", None)
        open_project(chosen, target_page)


def back_to_list() -> None:
    """'← Alle projecten': the list with the filters it had when the project was opened."""
    if st.button("← Alle projecten", key="terug"):
        saved = st.session_state.pop(LIST_PARAMS_KEY, None)
        params = saved if saved is not None else _list_params()
        st.session_state.pop(OPENED_KEY, None)
        st.query_params.from_dict(params)
        st.rerun()


def list_filters() -> tuple[tuple[str, str], ...]:
    """The list's filters in the URL as (name, value) pairs, for links that keep them."""
    return tuple((k, v) for k, values in _list_params().items() for v in values)


def details_link(project_id: str, filters: tuple[tuple[str, str], ...] = ()) -> str:
    """A link to a project's detail that keeps the list's ``filters`` (``list_filters``)."""
    from urllib.parse import urlencode

    return "/projecten?" + urlencode([("project", project_id), *filters])


def screen_table(table: pd.DataFrame, filters: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """The project list as its table shows it: a Details link per project that keeps the list's
    ``filters``, without the id column. Made once per list and filters (``shell.cached_table``)."""
    links = [details_link(pid, filters) for pid in table["id"]]
    return table.drop(columns=["id"]).assign(Details=links)


def _peildatum_from_url() -> date:
    """The peildatum of the overview (?peildatum=JJJJ-MM-DD), else today."""
    raw = st.query_params.get("peildatum")
    try:
        chosen = date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        return date.today()
    return min(chosen, date.today())


# --- recorded changes ------------------------------------------------------------------------

def change_kind(row) -> str:
    if isinstance(row["undoes"], str):
        return "ongedaan gemaakt"
    return "faseovergang" if row["table_name"] == "phase_events" else "KPI-realisatie"


def change_what(row) -> str:
    """'fase Ontwerp per 01-03-2025' or 'Mensen naar werk, 4e kwartaal 2025: 12'."""
    if row["table_name"] == "phase_events":
        return f"fase {row['phase']} per {format_short_date(row['effective_date'])}"
    return f"{row['kpi_name']}, {period_label(row['period'])}: {format_value(row['value'], row['unit'])}"


def changes_display(changes: pd.DataFrame) -> pd.DataFrame:
    """Recent changes as a table: local (Europe/Amsterdam) times, Dutch periods."""
    rows = changes.to_dict("records")
    return pd.DataFrame({
        "Vastgelegd op": [format_timestamp(r["recorded_at"]) for r in rows],
        "Project": [r["project_name"] for r in rows],
        "Soort": [change_kind(r) for r in rows],
        "Wijziging": [change_what(r) for r in rows],
        "Door": [r["recorded_by"] for r in rows],
        "Toelichting": [r["note"] if isinstance(r["note"], str) else "" for r in rows],
    }, columns=["Vastgelegd op", "Project", "Soort", "Wijziging", "Door", "Toelichting"])


def _row_with_undo(user, text: str, undoable: bool, table: str, event_id: str, label: str, slot: str) -> None:
    left, right = st.columns([5, 1.4], vertical_alignment="center")
    left.markdown(text)
    if undoable:
        with right:
            record_forms.undo_control(user, table, event_id, label, slot)


def changes_rows(user, changes: pd.DataFrame, slot: str) -> None:
    """For a redacteur: the recent changes as rows, each with 'Ongedaan maken' beside it."""
    record_forms.show_feedback(slot)
    for row in changes.to_dict("records"):
        what = change_what(row)
        undoable = not isinstance(row["undoes"], str) and not row["is_undone"]
        state = " · *ongedaan gemaakt*" if row["is_undone"] else ""
        text = (f"**{md_literal(row['project_name'])}** · {change_kind(row)}: {md_literal(what)}{state}  \n"
                f"{format_timestamp(row['recorded_at'])} door {_by_and_note(row)}")
        _row_with_undo(user, text, undoable, row["table_name"], row["event_id"],
                       f"{row['project_name']}: {what}", slot)


def _by_and_note(row) -> str:
    """'Jan · de toelichting' for a row of recorded changes: who and why, as the text typed."""
    note = row["note"] if isinstance(row["note"], str) else ""
    return md_literal(row["recorded_by"]) + (f" · {md_literal(note)}" if note.strip() else "")


def scroll_to_top(project_id: str) -> None:
    """On opening a project (not on later reruns of its page): scroll to the title and status."""
    if st.session_state.get(OPENED_KEY) != project_id:
        st.session_state[OPENED_KEY] = project_id
        st.html(_SCROLL_TOP, unsafe_allow_javascript=True, width="content")


# --- the detail page ---------------------------------------------------------------------------

def detail(project_id: str, user: events.User | None) -> None:
    """The detail view of one project (``/projecten?project=<id>``)."""
    back_to_list()
    view = shell.view_cache(load_project)(project_id, _peildatum_from_url())
    if view.project is None:
        st.error(f"Project '{md_literal(project_id)}' bestaat niet. Kies een project in de lijst.")
        return
    scroll_to_top(project_id)
    project = view.project

    st.title(md_literal(project["name"]))
    parent = (f" · deelproject van {md_literal(project['parent_name'])}"
              if isinstance(project["parent_name"], str) else "")
    st.caption(f"Themalijn {md_literal(themalijn_label(project['themalijn']))}{parent}")
    follow_forms.follow_toggle("project", project_id, str(project["name"]))
    _status_block(view.status_rows.iloc[0], view.status_rows, view.peildatum)

    editor = user if rights.may_record_project(user, project_id) else None
    _checkins(view, user, editor)

    st.subheader("Doelstelling")
    st.markdown(md_literal(project["doelstelling"]))
    st.subheader("Speerpunten")
    st.markdown("\n".join(f"- {md_literal(item)}" for item in project["speerpunten"]))

    _kpis(view, editor, user)
    _history(view, editor)
    _local(view.assignments)


def _status_block(row: pd.Series, mine: pd.DataFrame, peildatum: date) -> None:
    start, _now, expected = plan_moments(mine)
    cols = st.columns(4)
    cols[0].metric(f"Fase {start}", md_literal(row["phase_start"]))
    cols[1].metric("Fase nu", md_literal(row["current_phase"]))
    cols[2].metric(expected[:1].upper() + expected[1:], md_literal(row["phase_expected"]))
    cols[3].metric("Status", status_label(row["status"]))
    notice = plan_notice(mine, peildatum)
    if notice:
        st.info(md_literal(notice), icon=":material/event_busy:")
    if row["status"] == ONBEKEND:
        st.warning(f"Geen registratie: sinds de startfase ({format_short_date(row['plan_start'])}) is voor dit project "
                   f"niets vastgelegd, terwijl het plan het nu minstens in {row['expected_phase_now']} verwacht. "
                   "Is het project verder? Leg de faseovergang vast.", icon="🕒")
    elif row["niet_bijgewerkt"]:
        st.warning(f"Niet bijgewerkt: de laatste vastlegging is van {format_short_date(row['last_change'])}, "
                   f"meer dan {STALE_DAYS} dagen vóór de peildatum. Klopt de fase nog?", icon="🕒")
    last = row["last_registration"]
    registered = "geen" if last is None or pd.isna(last) else format_short_date(last)
    st.caption(f"Status op {format_date(peildatum)} · laatste registratie: {registered} · "
               f"{md_literal(register_source_line(peildatum, mine))}")


def _who(email, name, logged_in: bool) -> str:
    """An owner as shown: the e-mail address only to logged-in users (as on the Beheer page)."""
    if not isinstance(email, str):
        return "nog niet benoemd"
    if not logged_in:
        return md_literal(name) if isinstance(name, str) else "benoemd"
    return md_literal(f"{name} ({email})" if isinstance(name, str) else email)


def _owner_line(owner, logged_in: bool) -> str:
    if owner is None:
        return ""
    return (f"Projectleider: {_who(owner['email'], owner['name'], logged_in)} · themaleider: "
            f"{_who(owner['themaleider_email'], owner['themaleider_name'], logged_in)}")


def _checkins(view: ProjectView, user, editor) -> None:
    """The voortgangsmeldingen as a timeline beside the computed status, and the form for who may
    record (opened at once from a reminder's link: ``?voortgangsmelding=1``)."""
    timeline = shell.view_cache(load_checkin_timeline)(view.project_id, view.peildatum)
    st.subheader("Voortgangsmeldingen")
    st.caption(_owner_line(timeline.owner, user is not None))
    record_forms.show_feedback(CHECKIN_HISTORY_SLOT)  # also when the undo emptied the timeline
    if timeline.disagreement:
        st.warning(md_literal(timeline.disagreement) + " Bespreek het met de projectleider, of leg een "
                   "faseovergang of nieuwe melding vast.", icon=":material/compare_arrows:")
    if timeline.rows.empty:
        st.info("Nog geen voortgangsmelding voor dit project.")
    elif editor is None:
        shell.table(checkins_display(timeline.rows), hide_index=True)
    else:
        _checkin_rows(editor, timeline.rows, str(view.project["name"]))
    requested = st.query_params.get(CHECKIN_PARAM) == "1"
    if editor is not None:
        row = view.status_rows.iloc[0]
        with st.expander("Voortgangsmelding vastleggen", expanded=requested, icon=":material/edit_note:"):
            st.caption(f"Je legt vast als **{md_literal(editor.name)}**. De melding wordt een nieuwe, onveranderlijke "
                       "gebeurtenis; een bevestigde fase telt als registratie.")
            record_forms.checkin_form(view.project_id, str(view.project["name"]), str(row["current_phase"]),
                                      view.kpis)
    elif requested and user is None:
        st.info("Log in (in de zijbalk) om een voortgangsmelding vast te leggen.", icon=":material/login:")
    elif requested or rights.owns_anything(user):
        st.info("Je kunt voor dit project geen voortgangsmelding vastleggen: dat doen de projectleider, de "
                "themaleider van de themalijn en de beheerder.", icon=":material/lock:")


def _checkin_rows(editor, rows: pd.DataFrame, name: str) -> None:
    """For who may record: each melding as a row with 'Ongedaan maken' beside it (the way to
    correct one: a second melding for the same period is refused)."""
    slot = CHECKIN_HISTORY_SLOT
    shown = checkins_display(rows)
    for row, event_id in zip(shown.to_dict("records"), rows["event_id"]):
        what = f"{row['Datum']} · {row['Periode']}: {row['Oordeel eigenaar']}, fase {row['Fase']}"
        note = f" · {md_literal(row['Toelichting'])}" if row["Toelichting"] else ""
        text = (f"**{md_literal(what)}** · status volgens monitor toen: {md_literal(row['Status volgens monitor'])}"
                f"  \ndoor {md_literal(row['Door'])}{note}")
        _row_with_undo(editor, text, True, "checkins", event_id, f"{name}: voortgangsmelding van {what}", slot)


def checkins_display(rows: pd.DataFrame) -> pd.DataFrame:
    """The voortgangsmeldingen as a table, latest first, with the status the monitor computed then."""
    return pd.DataFrame({
        "Datum": [format_short_date(d) for d in rows["checkin_date"]],
        "Periode": [period_label(p) for p in rows["period"]],
        "Oordeel eigenaar": rows["judgement"],
        "Status volgens monitor": [s if isinstance(s, str) else "–" for s in rows["status_then"]],
        "Fase": rows["phase"],
        "Toelichting": rows["note"].fillna(""),
        "Door": rows["recorded_by"],
    })


def _kpis(view: ProjectView, editor: events.User | None, user: events.User | None = None) -> None:
    """The KPIs; forms and undo for who may record for the project, or for one KPI (its kpi-eigenaar)."""
    st.subheader("KPI's")
    if not view.kpis:
        st.info("Het jaarplan noemt voor dit project geen meetbaar doel; er zijn geen KPI's.")
        return
    for kpi in view.kpis:
        measured = kpi.measured
        if measured.empty:
            st.markdown(f"**{md_literal(kpi.name)}** · doel "
                        f"{md_literal(format_value(kpi.target_value, kpi.unit))} "
                        f"uiterlijk {format_date(kpi.deadline)}")
            st.info("Nog geen realisatie vastgelegd.")
        else:
            shell.chart(project_charts.kpi_chart, measured[["period", "value", "is_sample"]],
                        {"kpi_id": kpi.kpi_id, "name": kpi.name, "unit": kpi.unit,
                         "target_value": kpi.target_value, "deadline": kpi.deadline})
            latest = measured.sort_values("period").iloc[-1]
            # The honest state, as on the themalijn page: the latest figure, voorbeelddata or not,
            # and how old it is against the peildatum.
            st.markdown("**Stand:** " + md_literal(targets.kpi_status(
                kpi.target_value, kpi.deadline, latest["value"], latest["period"], unit=kpi.unit,
                is_sample=bool(pd.notna(latest["is_sample"]) and latest["is_sample"]), peildatum=view.peildatum)))
            sample = measured["is_sample"].fillna(False).astype(bool)
            if sample.any():
                st.caption(SAMPLE_KPI_CAPTION)
            if (~sample).any():
                shell.source_caption("Twentse Koers jaarplan (doel) en registraties in de monitor (realisatie)",
                                     measured.loc[~sample, "recorded_at"].max())
        kpi_editor = editor if editor is not None else (
            user if user is not None and rights.may_record_project(user, view.project_id, kpi_id=kpi.kpi_id) else None)
        _kpi_history(kpi_editor, kpi)
        if kpi_editor is not None:
            with st.expander(f"Realisatie vastleggen voor {md_literal(kpi.name)}"):
                record_forms.kpi_section(kpi_editor, kpi.form_rows, "detail")


def _kpi_history(editor, kpi: Kpi) -> None:
    """The realisations recorded for one KPI (newest first), with undo beside each for a redacteur."""
    rows = kpi.history
    if rows.empty:
        return
    slot = f"kr-historie-{kpi.kpi_id}"
    st.markdown(f"**Vastgelegde realisaties** ({len(rows)})")
    record_forms.show_feedback(slot)
    for row in rows.to_dict("records"):
        what = f"{period_label(row['period'])}: {format_value(row['value'], row['unit'])}"
        text = (f"{md_literal(what)} · {md_literal(_validity(row['undoes'], row['undone_by'], row['undone_at']))}  \n"
                f"vastgelegd {format_timestamp(row['recorded_at'])} door {_by_and_note(row)}")
        if editor is None:
            st.markdown(text)
        else:
            _row_with_undo(editor, text, bool(row["undoable"]), "kpi_realisations", row["event_id"],
                           f"{kpi.name}, {what}", slot)


def history_display(history: pd.DataFrame) -> pd.DataFrame:
    """The phase history as a table: local times, validity in words."""
    return pd.DataFrame({
        "Fase": [phase + (" (voortgangsmelding)" if bool(via) else "")
                 for phase, via in zip(history["phase"], history["via_checkin"])],
        "Ingangsdatum": [format_short_date(d) for d in history["effective_date"]],
        "Vastgelegd op": [format_timestamp(ts) for ts in history["recorded_at"]],
        "Door": history["recorded_by"],
        "E-mail": history["recorded_by_email"].fillna(""),
        "Toelichting": history["note"].fillna(""),
        "Geldig": [_validity(u, by, at) for u, by, at in
                   zip(history["undoes"], history["undone_by"], history["undone_at"])],
    })


def _history(view: ProjectView, editor: events.User | None) -> None:
    history, project_id, overview = view.history, view.project_id, view.overview
    st.subheader("Fasegeschiedenis")
    if editor is None:
        shell.table(history_display(history), hide_index=True)
        return
    slot = f"fw-historie-{project_id}"
    record_forms.show_feedback(slot)
    name = overview.loc[overview["project_id"] == project_id, "name"].iloc[0]
    for row in history.to_dict("records"):
        what = f"{row['phase']} per {format_short_date(row['effective_date'])}"
        what += " (voortgangsmelding)" if row["via_checkin"] else ""
        text = (f"**{md_literal(what)}** · {md_literal(_validity(row['undoes'], row['undone_by'], row['undone_at']))}"
                f"  \nvastgelegd {format_timestamp(row['recorded_at'])} door {_by_and_note(row)}")
        _row_with_undo(editor, text, bool(row["undoable"]), "phase_events", row["event_id"],
                       f"{name}: fase {what}", slot)
    st.markdown("**Faseovergang vastleggen**")
    st.caption(f"Je legt vast als **{md_literal(editor.name)}**. Elke wijziging wordt een nieuwe, onveranderlijke "
               "gebeurtenis; ongedaan maken is ook een nieuwe gebeurtenis.")
    record_forms.phase_section(editor, overview, project_id=project_id)


def _validity(undoes, undone_by, undone_at) -> str:
    if isinstance(undoes, str):
        return "herstel (maakt een eerdere wijziging ongedaan)"
    if isinstance(undone_by, str):
        return f"ongedaan gemaakt door {undone_by} op {format_short_date(undone_at)}"
    return "geldig"


def _local(mine: pd.DataFrame) -> None:
    st.subheader("Lokale opdrachten")
    if mine.empty:
        st.info("Het jaarplan noemt voor dit project geen lokale opdracht.")
        return
    for item in mine.itertuples():
        label = "GGD Twente (organisatie)" if item.level == "ggd_regio" else item.region_name
        st.markdown(f"**{md_literal(label)}**: {md_literal(item.description)}")
    titles = sorted(set(mine["source_title"].fillna("Twentse Koers Jaarplan 2025")))
    st.caption(f"Bron: {md_literal(', '.join(titles))}, hoofdstuk 3.2 (lokale opdrachten)")


# --- the list page's forms -----------------------------------------------------------------------

def record_forms_section(user: events.User, projects: pd.DataFrame) -> None:
    """The list page's forms for a redacteur: a phase change and a KPI realisation, each for a
    project or KPI chosen explicitly. Undo sits beside each row under 'Wat is er gewijzigd'."""
    st.subheader("Wijziging vastleggen")
    st.caption(f"Je legt vast als **{md_literal(user.name)}**. Elke wijziging wordt een nieuwe, onveranderlijke "
               "gebeurtenis; ongedaan maken (bij de wijziging zelf, onder *Wat is er gewijzigd* of op de "
               "projectpagina) is ook een nieuwe gebeurtenis.")
    phase_tab, kpi_tab = st.tabs(["Faseovergang", "KPI-realisatie"])
    with phase_tab:
        record_forms.phase_section(user, projects)
    with kpi_tab:
        record_forms.kpi_section(user, load_kpi_list(), "lijst")
