"""Following themalijnen and projects (for the e-mail digest) and, for a beheerder, recording
BO dates: the forms of the "Wat is er veranderd" page.

As in ``ui.record_forms``: the user is read again at the click (the secrets as they are on disk
now), the callback writes through ``monitor.data.follows`` and reports in Dutch; a refusal
changes nothing.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from monitor.data import follows
from monitor.data.contract import THEMALIJNEN
from monitor.data.errors import MonitorError
from monitor.data.events import PermissionDenied
from monitor.domain.text import format_date, md_literal
from monitor.views.veranderd import load_follow_state
from ui import login, secrets_source
from ui.caching import view_cache

_FEEDBACK = "_feedback-volgen"


def _user_now():
    found = secrets_source.read_now()
    if not found.ok:
        raise PermissionDenied("De monitor is niet goed ingesteld: er is niets vastgelegd.")
    user = login.current_user(found.config)
    if user is None:
        raise PermissionDenied("Je bent niet meer ingelogd. Er is niets vastgelegd.")
    return user


def _save_follows() -> None:
    try:
        user = _user_now()
        now = load_follow_state(user.email, date.today())
        wanted = {("themalijn", t) for t in st.session_state.get("volg-themalijnen", [])}
        wanted |= {("project", p) for p in st.session_state.get("volg-projecten", [])}
        current = {("themalijn", t) for t in now.themalijnen} | {("project", p) for p in now.projects}
        for subject_type, subject_id in sorted(wanted - current):
            follows.record_follow(user, subject_type, subject_id, True)
        for subject_type, subject_id in sorted(current - wanted):
            follows.record_follow(user, subject_type, subject_id, False)
    except MonitorError as exc:
        st.session_state[_FEEDBACK] = ("error", str(exc))
        return
    st.session_state[_FEEDBACK] = ("success", f"Opgeslagen: je volgt nu {len(wanted)} themalijn(en) en project(en).")


def _feedback(key: str) -> None:
    said = st.session_state.pop(key, None)
    if said:
        kind, message = said
        (st.success if kind == "success" else st.error)(md_literal(message))


def follow_section() -> None:
    st.subheader("Volgen")
    user = login.current_user()
    if user is None or not user.email:
        st.caption("Log in (met een account met e-mailadres) om themalijnen en projecten te volgen; "
                   "je krijgt dan op maandag per e-mail wat er veranderd is.")
        return
    state = view_cache(load_follow_state)(user.email, date.today())
    st.caption(md_literal(f"Wat je volgt, krijg je per e-mail op {user.email} als overzicht van wat er "
                          "veranderd is sinds je vorige overzicht (het eerste: sinds de vorige BO-datum)."))
    _feedback(_FEEDBACK)
    with st.form("volgen", enter_to_submit=False):
        st.multiselect("Themalijnen die ik volg", list(THEMALIJNEN), default=list(state.themalijnen),
                       format_func=THEMALIJNEN.get, key="volg-themalijnen")
        st.multiselect("Projecten die ik volg", list(state.project_names), default=list(state.projects),
                       format_func=lambda p: state.project_names.get(p, p), key="volg-projecten")
        st.form_submit_button("Volgen opslaan", on_click=_save_follows)


def _toggle_follow(subject_type: str, subject_id: str, name: str) -> None:
    """The click on "Volgen" / "Niet meer volgen": the user and what they follow read again now."""
    key = f"_feedback-volg-{subject_type}-{subject_id}"
    try:
        user = _user_now()
        now = load_follow_state(user.email, date.today())
        following = subject_id in (now.themalijnen if subject_type == "themalijn" else now.projects)
        follows.record_follow(user, subject_type, subject_id, not following)
    except MonitorError as exc:
        st.session_state[key] = ("error", str(exc))
        return
    said = f"Je volgt {name} niet meer." if following else (
        f"Je volgt nu {name}: je krijgt op maandag per e-mail wat er veranderd is.")
    st.session_state[key] = ("success", said)


def follow_toggle(subject_type: str, subject_id: str, name: str) -> None:
    """A small "Volgen" / "Niet meer volgen" button for one themalijn or project (on its own
    page), for a logged-in user with an e-mail address; nothing for anyone else. What the last
    click said comes first: also when that click found the user logged out."""
    _feedback(f"_feedback-volg-{subject_type}-{subject_id}")
    user = login.current_user()
    if user is None or user.blocked or not user.email:
        return
    state = view_cache(load_follow_state)(user.email, date.today())
    following = subject_id in (state.themalijnen if subject_type == "themalijn" else state.projects)
    label = "Niet meer volgen" if following else "Volgen"
    st.button(label, key=f"volg-{subject_type}-{subject_id}", icon=":material/notifications:",
              help=md_literal(f"Je krijgt wat er veranderd is in {name} op maandag per e-mail op {user.email}."
                              if not following else f"Stop de e-mail over {name}."),
              on_click=_toggle_follow, args=(subject_type, subject_id, name))


def _save_bo_date() -> None:
    try:
        row = follows.record_bo_date(_user_now(), st.session_state.get("bo-datum"),
                                     st.session_state.get("bo-toelichting"))
    except MonitorError as exc:
        st.session_state["_feedback-bo"] = ("error", str(exc))
        return
    st.session_state["bo-toelichting"] = ""
    st.session_state["_feedback-bo"] = ("success", f"BO-datum {format_date(row['bo_date'])} vastgelegd.")


def bo_date_section() -> None:
    user = login.current_user()
    state = view_cache(load_follow_state)(user.email if user else None, date.today())
    st.subheader("BO-datums")
    if state.bo_dates:
        st.caption("Vastgelegd: " + ", ".join(format_date(d) for d in state.bo_dates[:6]) + ".")
    else:
        st.caption("Nog geen BO-datum vastgelegd; 'Sinds' staat dan op vier weken geleden.")
    if user is None or user.blocked or user.role != follows.BEHEERDER:
        return
    _feedback("_feedback-bo")
    with st.form("bo-datum-form", enter_to_submit=False):
        st.date_input("Datum van het bestuurlijk overleg", key="bo-datum", format="DD-MM-YYYY")
        st.text_input("Toelichting (optioneel)", key="bo-toelichting")
        st.form_submit_button("BO-datum vastleggen", on_click=_save_bo_date)
