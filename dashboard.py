"""Entry point: ``streamlit run dashboard.py``. Navigation, login, page config and the shared footer."""

import sys
from pathlib import Path

import streamlit as st

from ui import login, secrets_source, serve, shell
from ui.shell import Page
from monitor.data import snapshot
from monitor.data.contract import THEMALIJNEN

LOGIN_OPEN = "inloggen-open"  # the sidebar's login expander, open or closed

THEMALIJN_ICONS = {
    "bestaanszekerheid": ":material/savings:",
    "preventie-en-gezondheid": ":material/directions_run:",
    "mentale-gezondheid": ":material/psychology:",
    "ouderen": ":material/elderly:",
}


# The one page registry: navigation, sidebar, page tests and the bench read it. Only pages that
# fully work are listed. Sections: Programma, Themalijnen, Analyse, Over.
PAGES = (
    Page("Programma", "pages/overzicht.py", "Overzicht", "overzicht", ":material/dashboard:", default=True),
    Page("Programma", "pages/projecten.py", "Projecten", "projecten", ":material/checklist:"),
    Page("Programma", "pages/presentatie.py", "Presentatie", "presentatie", ":material/slideshow:"),
    Page("Programma", "pages/veranderd.py", "Wat is er veranderd", "wat-is-er-veranderd", ":material/update:"),
    Page("Programma", "pages/melden.py", "Wie moet nog melden", "wie-moet-nog-melden", ":material/pending_actions:"),
    *(Page("Themalijnen", "pages/themalijn.py", name, themalijn, THEMALIJN_ICONS[themalijn])
      for themalijn, name in THEMALIJNEN.items()),
    Page("Analyse", "pages/indicatoren.py", "Indicatoren", "indicatoren", ":material/query_stats:"),
    Page("Analyse", "pages/vergelijken.py", "Vergelijken", "vergelijken", ":material/compare_arrows:"),
    Page("Analyse", "pages/veilig_thuis.py", "Veilig Thuis", "veilig-thuis", ":material/shield:"),
    Page("Analyse", "pages/sql.py", "SQL", "sql", ":material/terminal:"),
    Page("Over", "pages/over.py", "Over de monitor", "over", ":material/info:"),
    Page("Over", "pages/bronnen.py", "Bronnen", "bronnen", ":material/menu_book:"),
    Page("Over", "pages/toegankelijkheid.py", "Toegankelijkheid", "toegankelijkheid", ":material/accessibility:"),
    Page("Over", "pages/beheer.py", "Beheer", "beheer", ":material/manage_accounts:"),
)


def page_modules() -> list[Page]:
    """One page per page module (the first themalijn for ``pages/themalijn.py``), in navigation order."""
    seen: dict[str, Page] = {}
    for page in PAGES:
        seen.setdefault(page.script, page)
    return list(seen.values())


def navigation_sections() -> dict[str, list]:
    """The registry as ``st.navigation`` takes it: per section its ``st.Page`` objects (made once
    per process, a copy for each run: ``shell.run_copies``)."""
    return shell.run_copies(_navigation_sections)


def _navigation_sections() -> dict[str, list]:
    sections: dict[str, list] = {}
    for page in PAGES:
        sections.setdefault(page.section, []).append(
            st.Page(page.script, title=page.title, url_path=page.url_path, icon=page.icon, default=page.default))
    return sections


def main() -> None:
    st.set_page_config(page_title=shell.APP_TITLE, page_icon="📊", layout="wide")
    sections = navigation_sections()

    # One state of the datasets (and of the secrets) for the whole run: read once, not per query
    # (monitor/data/snapshot.py).
    with snapshot.pinned():
        # Streamlit's own sidebar navigation is invalid list markup (axe-core: `list`, `listitem`),
        # so it is hidden and the sidebar lists the same pages as links of our own.
        navigation = st.navigation(shell.register_pages(sections), position="hidden")
        secrets_source.stop_if_misconfigured()  # secrets that do not parse: a message, no page, no login
        with st.sidebar:
            shell.sidebar_navigation(sections, f"**{shell.APP_TITLE}**  \nVoortgang van de 29 projecten en de "
                                               "regionale indicatoren van Twentse Koers.")
            if login.current_user() is not None:
                login.logout_button()
            elif not login.login_required(login.secrets()):
                # The form (a form block, two text fields, a button: widgets to register on
                # every run of every page) is drawn only once the expander is opened (a rerun),
                # as the figures under a chart are: 1–2 ms of CPU per page view.
                box = st.expander("Inloggen voor redacteuren", key=LOGIN_OPEN, on_change="rerun")
                if box.open:
                    with box:
                        login.login_form()
        login.show_login_problem()
        login.require_viewer()
        shell.start_page(navigation)
        shell.run_page(navigation)
        # At the end of the sidebar, after the page: a file found broken while it ran is listed too
        # (no page writes to the sidebar, so this is where a placeholder there would be).
        shell.dataset_notice(st.sidebar)
        shell.footer()


# ``streamlit run`` runs this file as __main__ for every session; tests and the bench import it for
# ``PAGES``. Started as the program (``python -m monitor serve``, ``streamlit run dashboard.py``),
# Streamlit finds the ``st.App`` below and serves it (its public ASGI entry) with the monitor's
# middleware in front of its own routes (``ui.serve.frontend_middleware``).
if __name__ == "__main__":
    main()
elif Path(sys.argv[0]).resolve() == Path(__file__).resolve():
    app = st.App(__file__, middleware=serve.frontend_middleware())
