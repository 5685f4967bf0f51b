"""Over de monitor: what it is for, what it holds, how to read it."""

import streamlit as st

from ui import shell
from monitor.domain.text import format_date, format_number
from monitor.views.bronnen import load_over

st.title("Twentse Koers Monitor")
st.markdown(
    "Twentse Koers is de strategische samenwerking van de veertien Twentse gemeenten, Menzis, "
    "SamenTwente en provincie Overijssel. Deze monitor volgt de **projecten** van het jaarplan "
    "(in welke fase zitten ze, en is dat de fase waarin ze volgens plan horen te zitten?) en de "
    "**regionale indicatoren** die ze moeten verbeteren: cijfers uit het Regiobeeld, de "
    "Gezondheidsmonitor van GGD'en, CBS en RIVM, en de bevolking volgens het CBS."
)

summary = load_over()  # the query layer caches the query
cols = st.columns(4)
cols[0].metric("Projecten", format_number(summary.projects),
               help=f"Verdeeld over {summary.themalijnen} themalijnen (Jaarplan 2025)")
cols[1].metric("Indicatoren", format_number(summary.indicators))
cols[2].metric("Echte cijfers", format_number(summary.real_observations),
               help="Waarnemingen uit echte bronnen, per regio, jaar en leeftijdsgroep: voor alle "
                    "gemeenten en regio's van Nederland")
cols[3].metric("Gemeenten", format_number(summary.gemeenten),
               help="De Twentse gemeenten, plus Twente, Overijssel en Nederland. Ter vergelijking bevat de "
                    "database ook de cijfers van alle andere gemeenten en regio's van Nederland.")
st.caption(f"Laatste peildatum van de echte bronnen: {format_date(summary.peildatum)} · "
           f"{format_number(summary.real_sources)} bronnen, zie Bronnen.")

st.subheader("Zo lees je de monitor")
st.markdown(
    "- Onder elk cijfer staan de **bron** en de **peildatum**.\n"
    "- **Voorbeelddata** is gegenereerd waar nog geen echt cijfer bestaat (bijvoorbeeld moeite met "
    f"rondkomen per gemeente: {format_number(summary.sample_observations)} cijfers). Het is overal "
    "gemarkeerd met ⚠ en in elke download benoemd. Gebruik het niet als feit.\n"
    "- Getallen staan in Nederlandse notatie: 55.400 inwoners, 18,5%.\n"
    "- Bij de Gezondheidsmonitor hoort een 95%-betrouwbaarheidsinterval; een verschil heet pas een "
    "verschil als de intervallen dat toelaten."
)
st.page_link("pages/bronnen.py", label="Alle bronnen en definities", icon=":material/menu_book:")
