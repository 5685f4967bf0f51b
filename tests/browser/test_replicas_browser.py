"""Two replicas behind nginx (``python -m monitor serve --replicas 2``, as ``make serve-replicas``)
in Chromium: a change recorded through one replica is seen through the other, and a replica
killed with ``kill -9`` loses nothing: its users' pages reconnect (to the other replica) and
show what was recorded; the launcher starts the killed replica again.

Which replica served a browser is in nginx's ``X-Monitor-Replica`` header; a browser stays on
its replica through the ``tkm_replica`` cookie, which the answer to its WebSocket sets. A new
browser context is a new visitor; nginx places it on the replica with the fewest open
connections, so contexts are opened until one lands on the other replica.

Both tests run twice: on a dataset folder on local disk, and on the S3 store
(``MONITOR_DATA_URL=s3://…``): moto's server as its own process
(``tests/s3server.py``), the committed datasets uploaded with
``python -m monitor.data.upload`` and no local dataset folder for the replicas.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from monitor.data import events
from tests.browser.conftest import EDITOR, start_replicas, stop_server
from tests.browser.test_projecten_browser import TIMEOUT, _wait_for_app, record_phase_change_as_editor
from tests import s3server
from tests.faults.faults import copy_datasets

pytestmark = pytest.mark.browser
PROJECT = "/projecten?project=kinderarmoede"


@pytest.fixture(params=["lokaal", "s3"])
def cluster(request, chromium_path, app_secrets, tmp_path):
    """(proxy URL, nginx' prefix, where the datasets are: a folder or an s3:// URL)."""
    with contextlib.ExitStack() as stack:
        datasets = copy_datasets(tmp_path / "datasets")
        if request.param == "s3":
            pytest.importorskip("moto.server")
            stack.enter_context(s3server.server_process(tmp_path / "moto.log"))
            datasets = s3server.upload_datasets(datasets)
        proc, url, prefix = start_replicas(datasets, app_secrets, tmp_path / "replicas.log")
        try:
            yield url, prefix, datasets
        finally:
            stop_server(proc)
    assert not prefix.exists(), "de launcher ruimt nginx' map op"


def _state(prefix) -> dict:
    return json.loads((prefix / "replicas.json").read_text())


def _connects(port: int) -> int:
    """New sessions a replica has seen (Streamlit's ``/_stcore/metrics``, asked directly)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=5) as response:
        text = response.read().decode()
    return int(re.search(r'session_events_total\{type="connect"\} (\d+)', text).group(1))


def _parent_pid(pid: int) -> int:
    """The process that started ``pid`` (the launcher, for a replica)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _open(browser, url: str, path: str):
    """A new visitor opening ``path``: (context, page, the replica that served it)."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}{path}")
    _wait_for_app(page)
    replica = _replica(context, url)
    # nginx placed the browser with its WebSocket and named the replica in the answer (101).
    assert {c["name"]: c["value"] for c in context.cookies()}.get("tkm_replica") == replica
    return context, page, replica


def _replica(context, url: str) -> str | None:
    """The replica a browser's requests go to (nginx serves the page itself, so it is asked
    with a request of that browser, which carries its sticky cookie)."""
    return context.request.get(f"{url}/_stcore/health").headers.get("x-monitor-replica")


def _history_first_row(page) -> str:
    history = page.locator("[data-testid='stTable']").filter(has_text="Ingangsdatum").first  # the phase history, not a chart's figures
    history.wait_for(timeout=TIMEOUT)
    return history.locator("tbody tr").first.inner_text()


def _on_the_other_replica(browser, url: str, path: str, other_than: str, tries: int = 24):
    for _ in range(tries):
        context, page, replica = _open(browser, url, path)
        if replica and replica != other_than:
            return context, page, replica
        context.close()
    pytest.fail(f"na {tries} nieuwe bezoekers nog steeds alleen replica {other_than}")


def test_a_change_recorded_through_one_replica_is_seen_through_the_other(cluster, browser):
    url, prefix, datasets = cluster
    note = "Browsertest: vastgelegd via replica A"
    editor_context, editor_page, replica_a = _open(browser, url, "/projecten")
    assert replica_a in {"r1", "r2"}
    assert editor_page.locator("html").get_attribute("lang") == "nl"  # nginx's Dutch index.html
    port = _state(prefix)["replicas"][0]["port"]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as direct:
        assert '<html lang="en">' in direct.read().decode()  # a replica leaves Streamlit's static routes alone
    reader_context, reader_page, replica_b = _on_the_other_replica(browser, url, PROJECT, replica_a)
    try:
        assert "Ontwerp" not in _history_first_row(reader_page)

        record_phase_change_as_editor(editor_page, url, note)
        # Every request of the editor's browser went to replica A (the sticky cookie).
        assert editor_page.context.request.get(f"{url}/_stcore/health").headers["x-monitor-replica"] == replica_a

        reader_page.reload()
        assert _replica(reader_context, url) == replica_b  # still replica B
        _wait_for_app(reader_page)
        first_row = _history_first_row(reader_page)
        assert "Ontwerp" in first_row and EDITOR[0] in first_row
    finally:
        editor_context.close()
        reader_context.close()
    recorded = events.load_events("phase_events", datasets)
    assert (recorded["note"] == note).sum() == 1


def test_kill_9_of_a_replica_its_users_reconnect_and_nothing_is_lost(cluster, browser):
    url, prefix, datasets = cluster
    note = "Browsertest: vastgelegd vlak voor kill -9 van de replica"
    context, page, replica = _open(browser, url, "/projecten")
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket))
    try:
        record_phase_change_as_editor(page, url, note)
        page.goto(f"{url}{PROJECT}")
        _wait_for_app(page)
        assert "Ontwerp" in _history_first_row(page)
        opened = len(sockets)

        victim = next(r for r in _state(prefix)["replicas"] if r["name"] == replica)
        survivor = next(r for r in _state(prefix)["replicas"] if r["name"] != replica)
        connects = _connects(survivor["port"])
        # The launcher starts a killed replica again within a second, and the sticky cookie
        # then leads the page back to it: a race with the page's reconnect. Its supervision is
        # paused (SIGSTOP) until the page has reconnected, so the failover to the other replica
        # is what is tested; the restart is checked after it is resumed.
        launcher = _parent_pid(victim["pid"])
        assert launcher not in (os.getpid(), 1), "de replica is niet door de launcher gestart"
        os.kill(launcher, signal.SIGSTOP)
        try:
            os.kill(victim["pid"], signal.SIGKILL)

            # The page notices, reconnects through nginx (to the replica that is up) and
            # draws the page again from the URL, with the recorded change.
            deadline = time.monotonic() + 90
            while len(sockets) <= opened:
                assert time.monotonic() < deadline, "de pagina maakte geen nieuwe verbinding"
                page.wait_for_timeout(200)
            page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(timeout=90_000)
            _wait_for_app(page)
            first_row = _history_first_row(page)
            assert "Ontwerp" in first_row and EDITOR[0] in first_row
            assert page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count() == 0
            # It was the other replica that took the page over (its first new session since).
            assert _connects(survivor["port"]) == connects + 1
        finally:
            os.kill(launcher, signal.SIGCONT)

        # A new visitor is served too, and the launcher restarts the killed replica.
        other_context, other_page, _replica = _open(browser, url, PROJECT)
        assert "Ontwerp" in _history_first_row(other_page)
        other_context.close()
        deadline = time.monotonic() + 60
        while True:
            state = next(r for r in _state(prefix)["replicas"] if r["name"] == replica)
            if state["restarts"] == 1 and state["pid"] != victim["pid"]:
                break
            assert time.monotonic() < deadline, f"replica {replica} werd niet opnieuw gestart"
            time.sleep(0.5)
    finally:
        context.close()
    recorded = events.load_events("phase_events", datasets)
    assert (recorded["note"] == note).sum() == 1
