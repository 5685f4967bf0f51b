"""Streamlit pieces every page shares: footer, source captions, voorbeelddata banner."""

from __future__ import annotations

import streamlit as st

from monitor import db
from monitor.text import format_date, source_line

APP_TITLE = "Twentse Koers Monitor"

# The st.Page objects other pages link to with st.page_link, by url path: the pages built from
# a callable (the themalijn pages) and the Veilig Thuis page. Filled by dashboard.py.
PAGES: dict = {}


def ensure_app_navigation() -> None:
    """Make a deep link on a fresh server run through ``dashboard.py``.

    Streamlit treats an app with a ``pages/`` folder as a "v1" multipage app until the main
    script has called ``st.navigation`` once; until then a first request for ``/bronnen``
    runs ``pages/bronnen.py`` on its own, without the shared navigation and footer. Every
    page calls this first: it switches that mode off and reruns, which runs the main script
    with the same URL.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def source_caption(title: str, peildatum, is_sample: bool = False) -> None:
    """The caption under a figure: source and peildatum, and the voorbeelddata mark."""
    st.caption(source_line(title, peildatum, is_sample))


def sample_banner(text: str) -> None:
    st.warning(f"**Voorbeelddata** – {text}", icon="⚠️")


def footer() -> None:
    info = db.query("data_peildatum")
    peildatum = info["peildatum"].iloc[0] if not info.empty else None
    has_sample = bool(info["has_sample"].iloc[0]) if not info.empty else False
    text = f"{APP_TITLE} · peildatum van de data: {format_date(peildatum)}"
    if has_sample:
        text += " · bevat voorbeelddata (gemarkeerd waar getoond)"
    st.divider()
    st.caption(text)
