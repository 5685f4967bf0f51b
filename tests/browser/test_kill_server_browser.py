"""Part of the fault suite (tests/faults): ``kill -9`` of the running dashboard after a
redacteur recorded a change and saw it confirmed; after a new start the change is there
(Chromium, a copy of the datasets). Here, not in tests/faults, for the session's browser."""

from __future__ import annotations

import signal

import pytest

from monitor.data import events
from tests.browser.conftest import EDITOR, start_server, stop_server
from tests.browser.test_projecten_browser import TIMEOUT, _wait_for_app, record_phase_change_as_editor
from tests.faults.faults import copy_datasets

pytestmark = pytest.mark.browser
NOTE = "Browsertest: vastgelegd vlak voor kill -9"


def test_confirmed_change_is_there_after_kill_9_and_a_new_start(app_secrets, page, tmp_path):
    ds = copy_datasets(tmp_path / "datasets")
    log = tmp_path / "server.log"
    proc, url = start_server(ds, app_secrets, log)
    try:
        record_phase_change_as_editor(page, url, NOTE)
    finally:
        stop_server(proc, kill=True)  # the moment after the confirmation
    assert proc.returncode == -signal.SIGKILL

    port = int(url.rsplit(":", 1)[1])
    proc, url = start_server(ds, app_secrets, log, port=port)
    try:
        page.goto(f"{url}/projecten?project=kinderarmoede")
        _wait_for_app(page)
        history = page.locator("[data-testid='stTable']").filter(has_text="Ingangsdatum").first  # the phase history, not a chart's figures
        history.wait_for(timeout=TIMEOUT)
        first_row = history.locator("tbody tr").first.inner_text()
        assert "Ontwerp" in first_row and EDITOR[0] in first_row
    finally:
        stop_server(proc)
    recorded = events.load_events("phase_events", ds)
    assert (recorded["note"] == NOTE).sum() == 1
