"""The serving profiles in a real server (python -m monitor serve, Chromium): production
(the default, ``make run``) watches no files, so a changed script changes nothing on a page
that is open; development (``--dev``, ``make dev``) reruns the page when it is saved. Without
nginx, the dashboard's ``st.App`` middleware serves the Dutch ``index.html``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from monitor.serving.netutil import HEALTH_PATH, free_port, wait_until_answers

from tests.browser.conftest import REPO, start_server, stop_server

pytestmark = pytest.mark.browser
SCRIPT = 'import streamlit as st\nst.title("{title}")\n'
# The same page as the dashboard is served: an ``st.App`` with the monitor's middleware.
APP_SCRIPT = ("import sys\nfrom pathlib import Path\nimport streamlit as st\nfrom ui import serve\n"
              "if __name__ == '__main__':\n    st.title('{title}')\n"
              "elif Path(sys.argv[0]).resolve() == Path(__file__).resolve():\n"
              "    app = st.App(__file__, middleware=serve.frontend_middleware())\n")


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


@pytest.mark.parametrize("source", [SCRIPT, APP_SCRIPT], ids=["script", "st.App"])
@pytest.mark.parametrize("dev", [False, True], ids=["production", "development"])
def test_a_saved_script_reruns_the_page_only_in_development(dev, source, page, tmp_path):
    script = tmp_path / "app.py"
    script.write_text(source.format(title="Versie een"))
    proc, url = _serve(script, tmp_path / "server.log", *(["--dev"] if dev else []))
    try:
        page.goto(url)
        heading = page.locator("[data-testid='stMain'] h1")
        heading.filter(has_text="Versie een").wait_for(timeout=30_000)
        # Served as the dashboard is: the st.App's middleware answers with the Dutch index.html.
        assert page.locator("html").get_attribute("lang") == ("nl" if source is APP_SCRIPT else "en")
        time.sleep(1)  # a watcher has seen the file once
        script.write_text(source.format(title="Versie twee"))
        if dev:
            heading.filter(has_text="Versie twee").wait_for(timeout=30_000)
        else:
            page.wait_for_timeout(4_000)  # the development server reran within about a second
            assert heading.inner_text() == "Versie een"
            # A new session, even once every session has left, runs the script as compiled: no file
            # is watched, so a new version is a restart (ui.streamlit_private.keep_compiled_scripts).
            page.goto("about:blank")
            page.wait_for_timeout(1_000)
            page.goto(url)
            heading.filter(has_text="Versie een").wait_for(timeout=30_000)
            stop_server(proc)
            proc, url = _serve(script, tmp_path / "server.log")
            page.goto(url)
            heading.filter(has_text="Versie twee").wait_for(timeout=30_000)
    finally:
        stop_server(proc)


def test_without_nginx_a_fresh_server_answers_a_deep_link_in_dutch(app_datasets, app_secrets, page, tmp_path):
    """The dashboard's ``st.App`` middleware (no nginx in front): the first request of a new
    server is a deep link, and it gets the Dutch ``index.html`` and its page; a frontend file
    comes from memory, gzip-compressed."""
    proc, url = start_server(app_datasets, app_secrets, tmp_path / "server.log")
    try:
        page.goto(f"{url}/ouderen")
        page.locator("[data-testid='stMain'] h1").filter(has_text="Ouderen").wait_for(timeout=90_000)
        assert page.locator("html").get_attribute("lang") == "nl" and page.title() == "Twentse Koers Monitor"
        script = page.locator("script[src*='static/js/index']").first.get_attribute("src").removeprefix("./")
        with urllib.request.urlopen(urllib.request.Request(f"{url}/{script}", headers={"Accept-Encoding": "gzip"})) as r:
            assert r.headers["Content-Encoding"] == "gzip"
    finally:
        stop_server(proc)
