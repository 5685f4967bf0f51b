"""The serving profiles in a real server (python -m monitor serve, Chromium): production
(the default, ``make run``) watches no files, so a changed script changes nothing on a page
that is open; development (``--dev``, ``make dev``) reruns the page when it is saved."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from monitor.serving.netutil import HEALTH_PATH, free_port, wait_until_answers

from tests.browser.conftest import REPO, stop_server

pytestmark = pytest.mark.browser
SCRIPT = 'import streamlit as st\nst.title("{title}")\n'


def _serve(script, log, *extra) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "monitor", "serve", *extra, "--script", str(script),
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                                cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if not wait_until_answers(url + HEALTH_PATH, proc, 60, 0.3):
        stop_server(proc)
        pytest.fail(log.read_text(errors="replace"), pytrace=False)
    return proc, url


@pytest.mark.parametrize("dev", [False, True], ids=["production", "development"])
def test_a_saved_script_reruns_the_page_only_in_development(dev, page, tmp_path):
    script = tmp_path / "app.py"
    script.write_text(SCRIPT.format(title="Versie een"))
    proc, url = _serve(script, tmp_path / "server.log", *(["--dev"] if dev else []))
    try:
        page.goto(url)
        heading = page.locator("[data-testid='stMain'] h1")
        heading.filter(has_text="Versie een").wait_for(timeout=30_000)
        time.sleep(1)  # a watcher has seen the file once
        script.write_text(SCRIPT.format(title="Versie twee"))
        if dev:
            heading.filter(has_text="Versie twee").wait_for(timeout=30_000)
        else:
            page.wait_for_timeout(4_000)  # the development server reran within about a second
            assert heading.inner_text() == "Versie een"
            page.reload()  # a new session runs the script as it is now: nothing is cached
            heading.filter(has_text="Versie twee").wait_for(timeout=30_000)
    finally:
        stop_server(proc)
