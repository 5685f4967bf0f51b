"""Over → Toegankelijkheid: the toegankelijkheidsverklaring, from the accessibility tests'
results (sources/toegankelijkheid/resultaten.json) and the hand-written part (verklaring.toml).
Widgets: none. Loader: the two files. View model: monitor.views.toegankelijkheid. Draw."""

import pandas as pd
import streamlit as st

from monitor.domain.text import format_date, format_number
from monitor.views.toegankelijkheid import build_toegankelijkheid, load_results, load_statement
from ui import shell



# Not cached: reading both files and building the view takes 0,6 ms.
view = build_toegankelijkheid(load_results(), load_statement())
st.title("Toegankelijkheid")
st.markdown(f"{view.organisation} wil dat iedereen de **{view.application}** kan gebruiken, ook met een "
            f"beperking. Deze verklaring volgt het model van de overheid (digitoegankelijk.nl) en toetst "
            f"aan {view.standard}.")
st.subheader(f"Status: {view.status}")
checked = format_date(pd.Timestamp(view.checked_on).date())
st.markdown(f"Laatst gecontroleerd op **{checked}**: {format_number(view.states_checked)} pagina's en "
            f"toestanden (ook na inloggen, met een resultaat en een foutmelding, de presentatie en de "
            f"afdrukweergave) met {view.method}. Deze controle draait bij elke wijziging van de monitor; "
            "de uitkomst hieronder komt rechtstreeks uit die tests.")
if view.states_failing:
    st.error("Nog niet in orde: " + "; ".join(f"{title} ({rules})" for title, rules in view.states_failing))
else:
    st.success("Geen enkele overtreding van de WCAG 2.1 A- en AA-regels die axe-core toetst.")

st.subheader("Wat voldoet, en wat nog niet")
for measure in view.measures:
    mark = "✓ voldoet" if measure.met else f"✗ nog niet – gepland vóór {format_date(pd.Timestamp(measure.planned).date())}"
    st.markdown(f"**{measure.subject}** ({mark}). {measure.text}")

if view.state_rows:
    with st.expander("Alle gecontroleerde pagina's en toestanden"):
        table = pd.DataFrame([(s.title, s.address, s.violations) for s in view.state_rows],
                             columns=["Pagina of toestand", "Adres", "Overtredingen"])
        st.table(table.set_index("Pagina of toestand"))

st.subheader("Contact")
st.markdown(view.contact)
