"""Entry point: ``streamlit run dashboard.py``. Navigation, page config and the shared footer."""

import streamlit as st

from monitor import ui

st.set_page_config(page_title=ui.APP_TITLE, page_icon="📊", layout="wide")

# Only pages that fully work are listed. Sections: Programma, Themalijnen, Analyse, Over.
PAGES = {
    "Over": [
        st.Page("pages/over.py", title="Over de monitor", url_path="over", icon=":material/info:",
                default=True),
        st.Page("pages/bronnen.py", title="Bronnen", url_path="bronnen", icon=":material/menu_book:"),
    ],
}

navigation = st.navigation(PAGES)
st.sidebar.markdown(f"**{ui.APP_TITLE}**  \nVoortgang van de 29 projecten en de regionale indicatoren "
                    "van Twentse Koers.")
navigation.run()
ui.footer()
