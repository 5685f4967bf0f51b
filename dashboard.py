"""Entry point: ``streamlit run dashboard.py``. Navigation, login, page config and the shared footer."""

import streamlit as st

from monitor import auth, ui

st.set_page_config(page_title=ui.APP_TITLE, page_icon="📊", layout="wide")

# Only pages that fully work are listed. Sections: Programma, Themalijnen, Analyse, Over.
PAGES = {
    "Programma": [
        st.Page("pages/projecten.py", title="Projecten", url_path="projecten", icon=":material/checklist:"),
    ],
    "Over": [
        st.Page("pages/over.py", title="Over de monitor", url_path="over", icon=":material/info:",
                default=True),
        st.Page("pages/bronnen.py", title="Bronnen", url_path="bronnen", icon=":material/menu_book:"),
    ],
}

navigation = st.navigation(PAGES)
with st.sidebar:
    st.markdown(f"**{ui.APP_TITLE}**  \nVoortgang van de 29 projecten en de regionale indicatoren "
                "van Twentse Koers.")
    if auth.current_user() is not None:
        auth.logout_button()
    elif not auth.login_required(auth.secrets()):
        with st.expander("Inloggen voor redacteuren"):
            auth.login_form()
auth.require_viewer()
navigation.run()
ui.footer()
