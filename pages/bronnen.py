"""Bronnen: every source with its metadata, and every indicator with its definition."""

import streamlit as st

from monitor.data import event_reader
from ui import shell
from monitor.data.contract import THEMALIJNEN
from monitor.domain.text import md_literal
from monitor.views.bronnen import bronnen_page, indicator_rows
from monitor.views.tables import sample_heading

st.title("Bronnen en definities")
st.markdown(
    "Elke cijferreeks in de monitor komt uit een van de bronnen hieronder: wie de cijfers uitgeeft, "
    "onder welke licentie, met welke peildatum en hoeveel rijen de monitor ervan bevat. "
    "**Voorbeelddata** is gegenereerd waar nog geen echt cijfer bestaat; het is overal zo gemarkeerd."
)

st.subheader("Bronnen")
page = shell.view_cache(bronnen_page)()  # made once per data version, shared by every visitor
view = page.view
shell.table(page.sources, hide_index=True)
for row in view.incomplete.itertuples():
    st.warning(f"**Onvolledig bestand – {md_literal(f'{row.title} ({row.table_id})')}.** {md_literal(row.note)}",
               icon="⚠️")
for row in view.samples.itertuples():
    st.warning(f"**{md_literal(sample_heading(row.title))}.** {md_literal(row.note)}", icon="⚠️")

st.subheader("Indicatoren")
left, right = st.columns([2, 1])
# Both filters live in the URL (?zoek=…&themalijn=…), so a copied link opens the same view.
search = left.text_input("Zoek een indicator", key="zoek", placeholder="bijv. overgewicht",
                         bind="query-params")
themalijn = right.selectbox("Themalijn", [None, *THEMALIJNEN], key="themalijn", bind="query-params",
                            format_func=lambda t: "Alle themalijnen" if t is None else THEMALIJNEN[t])
rows = shell.view_cache(indicator_rows)(search or "", themalijn)
st.caption(f"{rows.found} van {rows.total} indicatoren")
shell.dataframe(rows.table, hide_index=True, width="stretch",
                column_config={"Definitie": st.column_config.TextColumn(width="large"),
                               "Bronnen": st.column_config.TextColumn(width="large")})

# Beheer: what the one event reader left out of datasets/events (monitor.data.event_reader).
st.subheader("Registratiemap: overgeslagen bestanden en regels")
skipped = shell.view_cache(event_reader.skipped_report)()  # read once per data version, not per visitor
if skipped.empty:
    st.caption("Alle bestanden en regels in de registratiemap (datasets/events) tellen mee.")
else:
    st.warning(f"{len(skipped)} bestand(en), kolom(men) of regel(s) in de registratiemap tellen niet mee. "
               "Ze staan hieronder met de reden; de overige registraties tellen gewoon.", icon="⚠️")
    st.dataframe(skipped, hide_index=True, width="stretch",
                 column_config={"Reden": st.column_config.TextColumn(width="large")})
