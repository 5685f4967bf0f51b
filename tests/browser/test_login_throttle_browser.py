"""Login throttling across replicas behind the project's nginx, in Chromium: wrong
passwords through one replica count on the other too, and they are counted under the address
nginx saw (``X-Real-IP``), not as ``lokaal``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor import settings
from monitor.data import throttle
from tests.browser.conftest import EDITOR, start_replicas, stop_server
from tests.browser.test_projecten_browser import TIMEOUT
from tests.browser.test_replicas_browser import _on_the_other_replica, _open
from tests.faults.faults import copy_datasets

pytestmark = pytest.mark.browser
FAILED = "Onjuiste gebruikersnaam of wachtwoord."


def _attempt(page, password: str) -> str:
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Inloggen voor redacteuren").click()
    sidebar.get_by_label("Gebruikersnaam").fill(EDITOR[0])
    sidebar.get_by_label("Wachtwoord").fill(password)
    sidebar.get_by_role("button", name="Inloggen").click()
    alert = sidebar.locator("[data-testid='stAlertContentError']").first
    alert.wait_for(timeout=TIMEOUT)
    return alert.inner_text().strip()


def test_failures_through_one_replica_count_on_the_other(chromium_path, browser, app_secrets, tmp_path):
    datasets = copy_datasets(tmp_path / "datasets")
    proc, url, _prefix = start_replicas(datasets, app_secrets, tmp_path / "replicas.log")
    contexts = []
    try:
        answers = []
        for _ in range(4):  # each on a fresh page of the same visitor (its replica, by cookie)
            context, page, replica_a = _open(browser, url, "/projecten")
            contexts.append(context)
            answers.append(_attempt(page, "fout-wachtwoord"))
        assert answers[:3] == [FAILED] * 3
        assert answers[3] == f"{FAILED} Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw."

        context, page, replica_b = _on_the_other_replica(browser, url, "/projecten", replica_a)
        contexts.append(context)
        # A replica with counts of its own would answer a plain FAILED; this one knows the four.
        assert "Te veel mislukte pogingen." in _attempt(page, "fout-wachtwoord")

        state = json.loads((Path(settings.raw(throttle.STATE_DIR_ENV)) / throttle.FILE_NAME).read_text())
        assert state["account"][EDITOR[0]][0] >= 4
        assert list(state["address"]) == ["127.0.0.1"]  # nginx's X-Real-IP, not "lokaal"
    finally:
        for context in contexts:
            context.close()
        stop_server(proc)
