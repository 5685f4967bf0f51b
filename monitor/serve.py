"""``python -m monitor serve``: start the dashboard the way ``make run`` does.

It is ``streamlit run dashboard.py`` with one difference. Streamlit treats an app that has a
``pages/`` folder as an old-style ("v1") multipage app until its main script has called
``st.navigation`` once; on a fresh server, a first request for a deep link such as
``/ouderen`` would then show "Page not found". This launcher switches that mode off in
the server process before the first session starts, so every URL works from the first
request. (The file pages also guard against it themselves, see ``ui.ensure_app_navigation``.)
"""

from __future__ import annotations

import logging
import sys
import threading

from monitor.store import REPO_ROOT


def warm_up() -> None:
    """Do what the first page view would otherwise wait for, while the server starts and the
    browser loads Streamlit's scripts: import the page modules (Altair, pandas, the monitor)
    and attach the dataset folder, its in-memory tables and the Overzicht's queries. Pages run
    in this process, so the first session finds all of it ready. A failure here is only
    logged: the page that needs it reports it as always."""
    try:
        import altair  # noqa: F401
        from monitor import charts, db, projects, themalijn_view  # noqa: F401

        themalijnen = db.query("themalijnen")
        headline = sorted({i for ids in themalijnen["headline_indicators"] for i in ids})
        db.query("indicator_observations", indicator_ids=headline)
        db.query("data_peildatum")
    except Exception:  # noqa: BLE001 - best effort; never stops the server
        logging.getLogger(__name__).exception("opwarmen bij de start mislukt")


def main(streamlit_args: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    threading.Thread(target=warm_up, name="monitor-warm-up", daemon=True).start()
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(REPO_ROOT / "dashboard.py"), *streamlit_args]
    try:
        cli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
