"""Wie moet nog melden: owners with open voortgangsmeldingen, oldest first, for the programme
or one themalijn (a themaleider opens at their own). Lists e-mail addresses: logged-in users only."""

from datetime import date

import streamlit as st

from monitor.data.contract import THEMALIJNEN
from monitor.domain.text import md_literal
from monitor.views.melden import NO_OWNER, melden_view, themaleider_of
from ui import login, shell

st.title("Wie moet nog melden")
st.markdown("Eigenaren met een open voortgangsmelding, wie het langst niets meldde bovenaan. Open is een "
            "project zonder melding in de laatste dagen (zie onder), met status *onbekend*, of met een "
            "KPI zonder waarde over het afgelopen kwartaal. Dezelfde regel bepaalt wie een herinnering krijgt.")

user = login.current_user()


def _draw(user) -> None:
    today = date.today()
    states, _ = shell.view_cache(melden_view)(today)
    own = themaleider_of(states, user.email)
    choices = [None, *sorted({s.themalijn for s in states})]
    if own and "themalijn" not in st.query_params and "themalijn" not in st.session_state:
        st.session_state["themalijn"] = own[0]  # a themaleider opens at their own themalijn
    themalijn = st.selectbox("Themalijn", choices, key="themalijn", bind="query-params",
                             format_func=lambda t: "Hele programma" if t is None else THEMALIJNEN.get(t, t))
    _, view = shell.view_cache(melden_view)(today, themalijn)
    people = [due for due in view.owners if due.email is not None]
    st.caption(f"{view.open_count} open melding(en) bij {len(people)} eigenaar/eigenaren; een project telt als "
               f"open zonder voortgangsmelding in de laatste {view.max_age_days} dagen.")
    if view.table.empty:
        st.success("Niemand hoeft nog te melden.", icon=":material/check_circle:")
        return
    shown = view.table.assign(Melden=[f"/projecten?project={pid}&voortgangsmelding=1"
                                      for pid in view.table["project_id"]])
    st.dataframe(shown.drop(columns=["project_id"]), hide_index=True, width="stretch",
                 column_config={"Laatste voortgangsmelding": st.column_config.DateColumn(format="DD-MM-YYYY"),
                                "Wat ontbreekt": st.column_config.TextColumn(width="large"),
                                "Melden": st.column_config.LinkColumn(display_text="Formulier openen")})
    missing = [item.name for due in view.owners if due.email is None for item in due.items]
    if missing:
        st.warning(md_literal(f"Zonder eigenaar ({NO_OWNER}), dus zonder herinnering: {', '.join(missing)}. "
                              "De beheerder stelt eigenaren in op de pagina Beheer."), icon=":material/person_off:")


if user is None:  # no st.stop(): the footer below the page is still drawn
    # Without a login only the count: names and addresses are for logged-in users.
    _, counted = shell.view_cache(melden_view)(date.today())
    st.info(f"{counted.open_count} open melding(en). Deze pagina noemt eigenaren bij naam en e-mailadres: "
            "log in om haar te zien (in de zijbalk).", icon=":material/lock:")
else:
    _draw(user)
