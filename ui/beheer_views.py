"""The Beheer page's parts: who owns which project, themalijn and KPI; the projects without a
projectleider; and, for a beheerder, the forms to name owners or import a declaration file.

Writing goes through ``ui.record_forms.run_recording``: the user is resolved again at the click
and ``monitor.data.owners`` checks the beheerder role itself (hiding a form is not the protection).
The owners' e-mail addresses are shown to logged-in users only.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from monitor.data import owners
from monitor.data.contract import OWNER_ROLES
from monitor.data.users import BEHEERDER_ROLE, User
from monitor.domain.text import format_timestamp, md_literal
from monitor.views.owners import load_current_owners, projects_without_owner
from ui import record_forms, shell

KINDS = {"project": "Project", "themalijn": "Themalijn", "kpi": "KPI"}
SLOT = "beheer-eigenaar"
IMPORT_SLOT = "beheer-import"


def owners_display(found: pd.DataFrame) -> pd.DataFrame:
    """The owners as a table: what, whose, since when; a KPI without its own owner says it has the
    projectleider's."""
    return pd.DataFrame({
        "Soort": [KINDS[k] for k in found["subject_type"]],
        "Naam": found["subject_name"],
        "Rol": found["role"],
        "Eigenaar": [("" if not isinstance(n, str) else n) for n in found["name"]],
        "E-mail": [e if isinstance(e, str) else "nog niet benoemd" for e in found["email"]],
        "Sinds": ["van het project" if bool(i) else ("" if pd.isna(t) else format_timestamp(t))
                  for i, t in zip(found["inherited"], found["since"])],
    })


def without_owner(found: pd.DataFrame) -> None:
    missing = projects_without_owner(found)
    st.subheader(f"Projecten zonder projectleider ({len(missing)})")
    if missing.empty:
        st.success("Elk project heeft een projectleider.")
        return
    st.markdown("\n".join(f"- {md_literal(name)}" for name in missing["subject_name"]))
    st.caption("Tot er een projectleider is, legt de themaleider van de themalijn vast, en waar ook die "
               "ontbreekt een redacteur of de beheerder.")


def owners_table(found: pd.DataFrame, user: User | None) -> None:
    st.subheader("Eigenaren")
    if user is None:
        st.info("Log in om te zien wie eigenaar is (de e-mailadressen zijn alleen voor ingelogde gebruikers).")
        return
    kind = st.segmented_control("Soort", list(KINDS), default="project", format_func=KINDS.get,
                                key="beheer-soort-lijst")
    shown = found if kind is None else found[found["subject_type"] == kind]
    shell.table(owners_display(shown), hide_index=True)


def _record_owner(keys: dict[str, str]) -> None:
    state = st.session_state
    kind, subject = state.get(keys["soort"]), state.get(keys["onderwerp"])
    if subject is None:
        record_forms.say(SLOT, "error", "Kies eerst het project, de themalijn of de KPI.")
        return
    email = state.get(keys["email"]) or ""
    done = f"Eigenaar van {subject} is nu {email.strip().lower()}." if email.strip() else \
        f"Eigenaar van {subject} verwijderd."
    record_forms.run_recording(SLOT, lambda user: owners.record_owner(
        user, kind, subject, email, state.get(keys["naam"]), state.get(keys["toelichting"])),
        done, {keys["email"]: "", keys["naam"]: "", keys["toelichting"]: ""})


def owner_form(found: pd.DataFrame) -> None:
    """Name or remove one owner (an empty e-mail address removes)."""
    st.subheader("Eigenaar vastleggen")
    keys = {name: f"beheer-{name}" for name in ("soort", "onderwerp", "email", "naam", "toelichting")}
    kind = st.radio("Soort", list(OWNER_ROLES), format_func=KINDS.get, horizontal=True, key=keys["soort"])
    subjects = found[found["subject_type"] == kind]
    names = dict(zip(subjects["subject_id"], subjects["subject_name"]))
    with st.form("eigenaar-vastleggen", enter_to_submit=False):
        st.selectbox(KINDS[kind], list(names), index=None, format_func=names.get, key=keys["onderwerp"],
                     placeholder="Kies…")
        st.text_input("E-mailadres (zoals de organisatielogin het kent)", key=keys["email"],
                      placeholder="naam@gemeente.nl", help="Laat leeg om de eigenaar te verwijderen.")
        st.text_input("Naam", key=keys["naam"])
        st.text_area("Toelichting", key=keys["toelichting"])
        st.form_submit_button(f"Eigenaar ({OWNER_ROLES[kind]}) vastleggen", type="primary",
                              on_click=_record_owner, args=(keys,))
    record_forms.show_feedback(SLOT)


def _import(key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        record_forms.say(IMPORT_SLOT, "error", "Kies eerst een declaratiebestand (CSV).")
        return
    name = Path(upload.name).name or "eigenaren.csv"

    def action(user):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(upload.getvalue())
            return owners.import_declaration(user, path)

    record_forms.run_recording(IMPORT_SLOT, action, lambda result: f"{name} geïmporteerd: {result.written} "
                               f"eigenaren vastgelegd, {result.unchanged} ongewijzigd.", {})


def import_form() -> None:
    st.subheader("Eigenaren importeren uit een declaratiebestand")
    st.markdown("Een CSV-bestand (komma of puntkomma, UTF-8) met de kolommen `soort` (project, themalijn of "
                "kpi), `id`, `email` en eventueel `naam`; een lege `email` verwijdert de eigenaar. Het hele "
                "bestand wordt eerst gecontroleerd: bij één fout wordt niets vastgelegd.")
    key = "beheer-declaratie"
    st.file_uploader("Declaratiebestand", type=["csv"], key=key)
    st.button("Importeren", key="beheer-importeren", on_click=_import, args=(key,), type="primary")
    record_forms.show_feedback(IMPORT_SLOT)


def page(user: User | None) -> None:
    st.title("Beheer")
    st.markdown("Wie is eigenaar van welk project en welke themalijn? De **projectleider** legt de "
                "voortgangsmeldingen van zijn projecten vast, de **themaleider** die van elk project van de "
                "themalijn; een KPI heeft de projectleider als eigenaar, tenzij er een eigen eigenaar is. "
                "Elke wijziging is een nieuwe, onveranderlijke gebeurtenis.")
    found = shell.view_cache(load_current_owners)()
    without_owner(found)
    owners_table(found, user)
    if user is not None and user.role == BEHEERDER_ROLE and not user.blocked:
        owner_form(found)
        import_form()
    elif user is not None:
        st.caption("Alleen een beheerder legt eigenaren vast.")
