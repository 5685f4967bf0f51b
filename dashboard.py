"""Entry point: ``streamlit run dashboard.py``. Navigation, login, page config and the shared footer."""

import streamlit as st

from ui import login, secrets_source, shell
from monitor.data import snapshot
from monitor.data.contract import THEMALIJNEN

st.set_page_config(page_title=shell.APP_TITLE, page_icon="📊", layout="wide")

THEMALIJN_ICONS = {
    "bestaanszekerheid": ":material/savings:",
    "preventie-en-gezondheid": ":material/directions_run:",
    "mentale-gezondheid": ":material/psychology:",
    "ouderen": ":material/elderly:",
}

# Only pages that fully work are listed. Sections: Programma, Themalijnen, Analyse, Over.
PAGES = {
    "Programma": [
        st.Page("pages/overzicht.py", title="Overzicht", url_path="overzicht", icon=":material/dashboard:",
                default=True),
        st.Page("pages/projecten.py", title="Projecten", url_path="projecten", icon=":material/checklist:"),
        st.Page("pages/presentatie.py", title="Presentatie", url_path="presentatie", icon=":material/slideshow:"),
    ],
    # One page module, four pages: the url path is the themalijn.
    "Themalijnen": [
        st.Page("pages/themalijn.py", title=name, url_path=themalijn,
                icon=THEMALIJN_ICONS[themalijn])
        for themalijn, name in THEMALIJNEN.items()
    ],
    "Analyse": [
        st.Page("pages/indicatoren.py", title="Indicatoren", url_path="indicatoren", icon=":material/query_stats:"),
        st.Page("pages/veilig_thuis.py", title="Veilig Thuis", url_path="veilig-thuis", icon=":material/shield:"),
        st.Page("pages/sql.py", title="SQL", url_path="sql", icon=":material/terminal:"),
    ],
    "Over": [
        st.Page("pages/over.py", title="Over de monitor", url_path="over", icon=":material/info:"),
        st.Page("pages/bronnen.py", title="Bronnen", url_path="bronnen", icon=":material/menu_book:"),
        st.Page("pages/toegankelijkheid.py", title="Toegankelijkheid", url_path="toegankelijkheid",
                icon=":material/accessibility:"),
    ],
}

# One state of the datasets (and of the secrets) for the whole run: read once, not per query
# (monitor/data/snapshot.py, issue 17).
with snapshot.pinned():
    # Streamlit's own sidebar navigation is invalid list markup (axe-core: `list`, `listitem`;
    # issue 18), so it is hidden and the sidebar lists the same pages as links of our own.
    navigation = st.navigation(shell.register_pages(PAGES), position="hidden")
    secrets_source.stop_if_misconfigured()  # secrets that do not parse: a message, no page, no login
    with st.sidebar:
        st.markdown(f"**{shell.APP_TITLE}**  \nVoortgang van de 29 projecten en de regionale indicatoren "
                    "van Twentse Koers.")
        shell.sidebar_navigation(PAGES)
        if login.current_user() is not None:
            login.logout_button()
        elif not login.login_required(login.secrets()):
            with st.expander("Inloggen voor redacteuren"):
                login.login_form()
        notice = st.empty()  # filled after the page: a file found broken while it ran is listed too
    login.show_login_problem()
    login.require_viewer()
    shell.start_page(navigation)
    shell.run_page(navigation)
    shell.dataset_notice(notice)
    shell.footer()
