"""AppTest setup shared by the page tests."""

from __future__ import annotations

import pytest

from ui import caching, streamlit_private


@pytest.fixture(autouse=True)
def shared_results_stay_unchanged(monkeypatch):
    """Every shared result (``ui.caching``) made during a page test is remembered with the
    digest of its content, and the test fails when a page changed one it got (results are
    shared by all sessions to keep a page view cheap). Only here: a server started by another test does not
    inherit the setting."""
    monkeypatch.setenv(caching.VERIFY_ENV, "1")
    yield
    caching.verify_shared()


@pytest.fixture(autouse=True)
def steady_state_navigation():
    """Run every AppTest run as a running server does after its first request.

    AppTest resets Streamlit's pages-directory flag (``ui.streamlit_private``) before every run, so with a
    ``pages/`` folder each run would start in Streamlit's "v1" mode, which runs a page file
    on its own. The launcher (``ui/serve.py``) switches that mode off before a server starts
    (the browser tests cover a first request for a deep link); here it is switched off for
    every run.
    """
    streamlit_private.keep_pages_directory_mode_off()
    yield
    streamlit_private.restore_pages_manager()
