"""AppTest setup shared by the page tests."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def steady_state_navigation(monkeypatch):
    """Run every AppTest run as a running server does after its first request.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, so with a
    ``pages/`` folder each run would start in Streamlit's "v1" mode, in which
    ``ui.shell.ensure_app_navigation`` reruns through ``dashboard.py`` and a clicked
    button's trigger is lost. A real server leaves that mode for good after one run (the
    browser tests cover that first request); here the flag is switched off at once.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
