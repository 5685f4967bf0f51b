"""``python -m monitor serve``: start the dashboard the way ``make run`` does.

It is ``streamlit run dashboard.py`` with one difference. Streamlit treats an app that has a
``pages/`` folder as an old-style ("v1") multipage app until its main script has called
``st.navigation`` once; on a fresh server, a first request for a deep link such as
``/ouderen`` would then show "Page not found". This launcher switches that mode off in
the server process before the first session starts, so every URL works from the first
request. (The file pages also guard against it themselves, see ``ui.ensure_app_navigation``.)
"""

from __future__ import annotations

import sys

from monitor.store import REPO_ROOT


def main(streamlit_args: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(REPO_ROOT / "dashboard.py"), *streamlit_args]
    try:
        cli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
