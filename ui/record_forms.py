"""Streamlit forms with which a redacteur or owner records changes: a phase change, a KPI
realisation, a voortgangsmelding, and undoing an earlier change next to the row it undoes.

What keeps a change on the right project:

* every form has widget keys of its own, per place and per project or KPI
  (``fw-lijst-<project>-fase``, ``fw-detail-<project>-fase``, ``kr-lijst-<kpi>-waarde``): no
  value typed in one form, or for one project, ever shows up in another;
* on the list page the project (or KPI) box starts empty ("Kies een project…") and the form
  appears only once one is chosen; on the detail page the project is fixed. Either way the
  button names it ("Faseovergang vastleggen voor Kinderarmoede");
* the recording runs in the submit button's callback: on success the form's values are put back
  to their defaults (the next form starts fresh: no note, today's date, the phase after the new
  one; on the list page the project box empty again), on a refusal they stay so the redacteur
  can correct them;
* the confirmation names the project, the old and the new phase, and stands where the form is
  (:func:`show_feedback` at the form's place), so it is seen without scrolling.

No form here submits on Enter (``enter_to_submit=False``): a text area never shows Streamlit's
English "Press Ctrl+Enter to submit form". Writing and the role check live in ``monitor.data.events``.

Who records is decided when the button is clicked, not when the form was drawn: every callback
reads the secrets file again and takes the user from the session's current login
(:func:`writer`), so an account removed or demoted (or secrets that became unreadable) since the
form appeared records nothing and the page says why. No callback receives a user object.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from monitor.data import checkins, events, rights
from monitor.data.contract import JUDGEMENTS, PHASES
from monitor.data.events import PermissionDenied, User
from monitor.data.errors import MonitorError
from monitor.domain.periods import kpi_periods, period_label
from monitor.domain.text import format_short_date, format_value, md_literal
from ui import login, secrets_source

_FEEDBACK = "_feedback-"


# --- feedback at the place of the form ---------------------------------------------------------

def _say(slot: str, kind: str, message: str) -> None:
    st.session_state[_FEEDBACK + slot] = (kind, message)


def show_feedback(slot: str) -> None:
    """The outcome of the last action in ``slot`` (a form or a list of rows), shown once."""
    found = st.session_state.pop(_FEEDBACK + slot, None)
    if not found:
        return
    kind, message = found
    # The messages name projects, KPIs and values as typed: shown as text, never as Markdown.
    if kind == "success":
        st.success(md_literal(message), icon=":material/check_circle:")
    else:
        st.error(md_literal(message), icon=":material/error:")


NOT_SET_UP = "De monitor is niet goed ingesteld: er is niets vastgelegd. Neem contact op met de beheerder."
NOT_LOGGED_IN = "Je bent niet meer ingelogd of je account bestaat niet meer. Er is niets vastgelegd."
NOT_EDITOR = "Je account mag geen wijzigingen (meer) vastleggen. Er is niets vastgelegd."


def writer() -> User:
    """The user who records, at the moment of the click: the session's current login checked
    against the secrets as they are on disk now (not this run's copy, not the user the form was
    drawn for). Raises PermissionDenied with a Dutch message otherwise."""
    found = secrets_source.read_now()
    if not found.ok:
        raise PermissionDenied(NOT_SET_UP)
    user = login.current_user(found.config)
    if user is None:
        raise PermissionDenied(NOT_LOGGED_IN)
    if not user.can_edit and not rights.owns_anything(user):
        raise PermissionDenied(NOT_EDITOR)
    return user


def _run(slot: str, action, success, reset: dict) -> bool:
    """Run a recording as the user :func:`writer` finds now (``action(user)``); report its outcome in
    ``slot`` (``success``: the message, or a function of the action's result that makes it); on
    success put the form's widgets back to their defaults (``reset``: key → value).
    Setting the value, not deleting the key: a deleted key leaves the browser showing what was
    typed."""
    try:
        result = action(writer())
    except events.PermissionDenied as exc:
        # Written by the callback, so at the top of the page: after a removal or demotion this
        # run draws no form to show it at.
        st.error(str(exc), icon=":material/lock:")
        return False
    except MonitorError as exc:  # refused, not saved (disk full), a dataset that cannot be read
        _say(slot, "error", str(exc))
        return False
    for key, value in reset.items():
        st.session_state[key] = value
    _say(slot, "success", success(result) if callable(success) else success)
    return True


run_recording = _run  # for the forms of other modules (the Beheer page)
say = _say


def _keys(prefix: str, *names: str) -> dict[str, str]:
    return {name: f"{prefix}-{name}" for name in names}


# --- phase change ------------------------------------------------------------------------------

def next_phase(current: str) -> str:
    """The phase after ``current`` (Borging stays Borging): the default of 'Nieuwe fase'."""
    return PHASES[min(PHASES.index(current) + 1, len(PHASES) - 1)]


def _record_phase(project_id: str, name: str, old: str, keys: dict, slot: str, clear: tuple) -> None:
    state = st.session_state
    phase, day, note = state.get(keys["fase"]), state.get(keys["datum"]), state.get(keys["toelichting"])
    reset = {keys["fase"]: next_phase(phase) if phase in PHASES else PHASES[0], keys["datum"]: date.today(),
             keys["toelichting"]: "", **{key: None for key in clear}}
    _run(slot, lambda user: events.record_phase_change(user, project_id, phase, day, note),
         f"Faseovergang vastgelegd voor {name}: {old} → {phase} per {format_short_date(day)}.", reset)


def phase_form(user, project: pd.Series, place: str, clear: tuple[str, ...] = ()) -> None:
    """The form for one project's phase change. ``project``: a row of the project overview
    (project_id, name, current_phase). ``place``: 'lijst' or 'detail' (part of every key)."""
    project_id, name, current = project["project_id"], project["name"], project["current_phase"]
    keys = _keys(f"fw-{place}-{project_id}", "fase", "datum", "toelichting", "knop")
    slot = f"fw-{place}"
    with st.form(f"fasewijziging-{place}-{project_id}", enter_to_submit=False):
        st.markdown(f"**{md_literal(name)}** · fase nu: **{md_literal(current)}**")
        st.selectbox("Nieuwe fase", list(PHASES), index=PHASES.index(next_phase(current)), key=keys["fase"])
        st.date_input("Ingangsdatum", value=date.today(), max_value=date.today(), format="DD-MM-YYYY",
                      key=keys["datum"])
        st.text_area("Toelichting", key=keys["toelichting"], help="Verplicht bij een stap terug.")
        st.form_submit_button(f"Faseovergang vastleggen voor {md_literal(name)}", type="primary", key=keys["knop"],
                              on_click=_record_phase,
                              args=(project_id, name, current, {k: v for k, v in keys.items() if k != "knop"},
                                    slot, clear))


def phase_section(user, projects: pd.DataFrame, project_id: str | None = None) -> None:
    """'Faseovergang vastleggen': on the detail page for its project, on the list page for the
    project chosen in a box that starts empty."""
    place = "detail" if project_id else "lijst"
    if project_id:
        phase_form(user, projects[projects["project_id"] == project_id].iloc[0], place)
    else:
        names = dict(zip(projects["project_id"], projects["name"]))
        chosen = st.selectbox("Project", list(names), index=None, format_func=names.get, key="fw-lijst-project",
                              placeholder="Kies een project…")
        if chosen is None:
            st.caption("Kies eerst het project waarvoor je een faseovergang vastlegt.")
        else:
            phase_form(user, projects[projects["project_id"] == chosen].iloc[0], place, clear=("fw-lijst-project",))
    show_feedback(f"fw-{place}")  # right under the button that was clicked


# --- KPI realisation ---------------------------------------------------------------------------

def kpi_label(kpi) -> str:
    return f"{kpi['project_name']}: {kpi['name']} ({kpi['unit']})"


def _record_kpi(kpi_id: str, label: str, keys: dict, slot: str, clear: tuple) -> None:
    state = st.session_state
    period, value, note = state.get(keys["periode"]), state.get(keys["waarde"]), state.get(keys["toelichting"])
    if period is None:
        _say(slot, "error", "Kies de periode van de realisatie.")
        return
    if value is None or not str(value).strip():
        _say(slot, "error", "Vul de waarde van de realisatie in.")
        return
    reset = {keys["periode"]: None, keys["waarde"]: "", keys["toelichting"]: "", **{key: None for key in clear}}
    _run(slot, lambda user: events.record_kpi_realisation(user, kpi_id, period, value, note),
         f"Realisatie vastgelegd voor {label}: {period_label(period)} = {str(value).strip()}.", reset)


def kpi_form(user, kpi: pd.Series, place: str, clear: tuple[str, ...] = ()) -> None:
    """The form for one KPI's realisation. ``kpi``: a row of project_kpi_list."""
    kpi_id = kpi["kpi_id"]
    label = kpi_label(kpi)
    keys = _keys(f"kr-{place}-{kpi_id}", "periode", "waarde", "toelichting", "knop")
    slot = f"kr-{place}"
    periods = kpi_periods(date.today())
    with st.form(f"kpirealisatie-{place}-{kpi_id}", enter_to_submit=False):
        target = md_literal(format_value(kpi["target_value"], kpi["unit"]))
        st.markdown(f"**{md_literal(label)}** · doel {target} uiterlijk "
                    f"{format_short_date(kpi['deadline'])}")
        st.selectbox("Periode", periods, index=None, format_func=period_label, key=keys["periode"],
                     placeholder="Kies een periode…")
        st.text_input("Waarde", key=keys["waarde"], placeholder="bijv. 12 of 12,5")
        st.text_area("Toelichting", key=keys["toelichting"])
        st.form_submit_button(f"Realisatie vastleggen voor {md_literal(kpi['name'])}", type="primary", key=keys["knop"],
                              on_click=_record_kpi,
                              args=(kpi_id, label, {k: v for k, v in keys.items() if k != "knop"}, slot, clear))


def kpi_section(user, kpis: pd.DataFrame, place: str) -> None:
    """'KPI-realisatie vastleggen': a KPI box that starts empty (or the only KPI), then its form."""
    if kpis.empty:
        st.info("Dit project heeft geen KPI's." if place == "detail" else "Er zijn geen KPI's.")
        return
    labels = {row.kpi_id: kpi_label(row._asdict()) for row in kpis.itertuples()}
    if len(labels) == 1:
        kpi_form(user, kpis.iloc[0], place)
    else:
        box = f"kr-{place}-kpi"
        chosen = st.selectbox("KPI", list(labels), index=None, format_func=labels.get, key=box,
                              placeholder="Kies een KPI…")
        if chosen is None:
            st.caption("Kies eerst de KPI waarvoor je een realisatie vastlegt.")
        else:
            kpi_form(user, kpis[kpis["kpi_id"] == chosen].iloc[0], place, clear=(box,))
    show_feedback(f"kr-{place}")  # right under the button that was clicked


# --- undo, next to the row it undoes -----------------------------------------------------------

def _undo(table: str, event_id: str, label: str, key: str, slot: str) -> None:
    note = st.session_state.get(key)
    _run(slot, lambda user: events.undo_event(user, table, event_id, note),
         f"Ongedaan gemaakt: {label} (vastgelegd als nieuwe gebeurtenis; de oorspronkelijke registratie blijft "
         "in de geschiedenis).", {key: ""})


def undo_control(user, table: str, event_id: str, label: str, slot: str) -> None:
    """'Ongedaan maken' for one recorded row: a popover with the reason and a confirm button."""
    key = f"og-{table}-{event_id}"
    with st.popover("Ongedaan maken", icon=":material/undo:", key=f"{key}-open"):
        with st.form(f"{key}-form", enter_to_submit=False, border=False):
            st.markdown(f"Maak ongedaan: **{md_literal(label)}**")
            st.text_area("Waarom ongedaan maken?", key=key)
            st.form_submit_button("Ongedaan maken bevestigen", on_click=_undo,
                                  args=(table, event_id, label, key, slot))


# --- voortgangsmelding (check-in) ----------------------------------------------------------------

def checkin_keys(project_id: str) -> dict[str, str]:
    return _keys(f"vm-{project_id}", "datum", "periode", "oordeel", "fase", "fasedatum", "toelichting")


def _record_checkin(project_id: str, name: str, phase_now: str, kpi_keys: dict[str, str]) -> None:
    state, keys, slot = st.session_state, checkin_keys(project_id), f"vm-{project_id}"
    judgement = state.get(keys["oordeel"])
    if judgement is None:
        _say(slot, "error", "Kies je oordeel over het project (op koers, risico, achter of afgerond).")
        return
    phase = state.get(keys["fase"])
    values = {kpi_id: state.get(key) for kpi_id, key in kpi_keys.items()}
    reset = {keys["toelichting"]: "", keys["oordeel"]: None, **{key: "" for key in kpi_keys.values()}}
    what = "bevestigd" if phase == phase_now else f"{phase_now} → {phase}"
    _run(slot, lambda user: checkins.record_checkin(
            user, project_id, checkin_date=state.get(keys["datum"]), period=state.get(keys["periode"]),
            judgement=judgement, note=state.get(keys["toelichting"]), phase=phase,
            phase_date=state.get(keys["fasedatum"]), kpi_values=values),
         f"Voortgangsmelding vastgelegd voor {name}: {judgement}, fase {phase} ({what}).", reset)


def checkin_form(project_id: str, name: str, phase_now: str, kpis: list) -> None:
    """The voortgangsmelding of one project: judgement, note, phase (confirm or change, with its
    date) and a value per KPI (``kpis``: objects with kpi_id, name and unit). Writing checks who
    may record for the project (``monitor.data.rights``) at the click."""
    keys, today = checkin_keys(project_id), date.today()
    periods = kpi_periods(today)
    quarter = next((p for p in periods if "Q" in p), periods[0])
    kpi_keys = {kpi.kpi_id: f"vm-{project_id}-kpi-{kpi.kpi_id}" for kpi in kpis}
    with st.form(f"voortgangsmelding-{project_id}", enter_to_submit=False):
        top = st.columns(2)
        top[0].date_input("Datum van de melding", value=today, max_value=today, format="DD-MM-YYYY", key=keys["datum"])
        top[1].selectbox("Periode", periods, index=periods.index(quarter), format_func=period_label,
                         key=keys["periode"])
        st.radio("Jouw oordeel", list(JUDGEMENTS), index=None, horizontal=True, key=keys["oordeel"])
        row = st.columns(2)
        row[0].selectbox("Fase", list(PHASES), index=PHASES.index(phase_now), key=keys["fase"],
                         help="Laat de fase staan om haar te bevestigen; kies een andere fase als het project verder is.")
        row[1].date_input("Datum van de nieuwe fase", value=today, max_value=today, format="DD-MM-YYYY",
                          key=keys["fasedatum"], help="Alleen gebruikt als je een andere fase kiest.")
        st.text_area("Toelichting", key=keys["toelichting"], help="Verplicht bij een stap terug in fase.")
        for kpi in kpis:
            st.text_input(f"{md_literal(kpi.name)} ({md_literal(kpi.unit)})", key=kpi_keys[kpi.kpi_id],
                          placeholder="leeg laten als er geen nieuwe waarde is")
        st.form_submit_button(f"Voortgangsmelding vastleggen voor {md_literal(name)}", type="primary",
                              on_click=_record_checkin, args=(project_id, name, phase_now, kpi_keys))
    show_feedback(f"vm-{project_id}")
