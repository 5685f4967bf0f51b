"""A download on a busy server: while a crowd of other sessions opens pages on the same process,
every click on a table's download button in Chromium delivers the file.

A download button builds its file when clicked (a callable). Streamlit stored the built file
without a reference to the session that clicked, so the end of any two other sessions' script
runs deleted it, usually before the browser fetched it: in a crowd of 40 sessions, 19 of 20
clicks delivered nothing (``ui.streamlit_private.keep_built_downloads``). The crowd is the
benchmark's protocol-level client (``bench.streamclient``): new tabs opening the six main pages.
Marked ``load``: it runs with the load tests, alone on the machine.
"""

from __future__ import annotations

import asyncio
import itertools
import threading

import pytest

from bench import streamclient
from bench.loadgen import PAGES
from tests.browser.conftest import start_server, stop_server

pytestmark = [pytest.mark.browser, pytest.mark.load]
TIMEOUT = 60_000
CROWD = 30
CLICKS = 8


def _crowd(url: str, sessions: int, stop: threading.Event, views: list) -> None:
    """``sessions`` tabs opening the main pages one after another until ``stop`` is set."""
    async def run() -> None:
        conn = streamclient.connector()
        turn = itertools.count()

        async def session() -> None:
            while not stop.is_set():
                label, path = PAGES[next(turn) % len(PAGES)]
                views.append(await streamclient.view_once(conn, url, label, path, 120))

        try:
            await asyncio.gather(*(session() for _ in range(sessions)))
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture
def busy_server(tmp_path, app_datasets, app_secrets):
    proc, url = start_server(app_datasets, app_secrets, tmp_path / "server.log")
    try:
        yield url
    finally:
        stop_server(proc)


def test_every_download_arrives_while_a_crowd_uses_the_server(busy_server, page):
    page.goto(f"{busy_server}/sql")
    page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=TIMEOUT)
    editor = page.get_by_label("SQL-query")
    editor.fill("select region_code, name from regions where level = 'gemeente' order by name limit 20")
    editor.press("Control+Enter")
    page.get_by_role("button", name="Uitvoeren").click()
    page.get_by_role("button", name="CSV (Excel)").wait_for(timeout=TIMEOUT)

    stop, views = threading.Event(), []
    crowd = threading.Thread(target=_crowd, args=(busy_server, CROWD, stop, views), daemon=True)
    crowd.start()
    failed = []
    try:
        waited = 0
        while len(views) < CROWD:  # the crowd is going: every session has opened a page
            assert crowd.is_alive() and waited < TIMEOUT, f"de menigte kwam niet op gang ({len(views)} pagina's)"
            page.wait_for_timeout(200)
            waited += 200
        for click in range(CLICKS):
            label, suffix = [("CSV (Excel)", ".csv"), ("XLSX", ".xlsx")][click % 2]
            try:
                with page.expect_download(timeout=TIMEOUT) as info:
                    page.get_by_role("button", name=label).click()
                download = info.value
                assert download.failure() is None, download.failure()
                assert download.suggested_filename == f"sql-resultaat{suffix}"
                assert download.path().stat().st_size > 100
            except Exception as error:  # noqa: BLE001 - count every failed click, then report them all
                failed.append(f"klik {click + 1} ({label}): {str(error).splitlines()[0]}")
    finally:
        stop.set()
        crowd.join(timeout=180)
    assert not failed, failed
    assert sum(v.ok for v in views) >= CROWD, [v.error for v in views if not v.ok][:5]
