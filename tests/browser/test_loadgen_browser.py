"""The load generator (``bench.streamclient``) against what Chromium receives: the same page
opened in a new Chromium context and as a new tab of the generator gets the same messages, the
same deltas of every kind and the same element tree (block and element counts per type), up to
the run's ``script_finished``. Chromium's frames are read from its WebSocket (Playwright) and
counted with the same code, cached messages resolved as the frontend does."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time

import pytest

from bench import streamclient

pytestmark = pytest.mark.browser

PAGES = [("overzicht", "/"), ("ouderen", "/ouderen"), ("projecten", "/projecten"),
         ("indicatoren", "/indicatoren?indicator=overgewicht")]


def chromium_view(browser, url: str) -> streamclient.PageSummary:
    """Open ``url`` in a new context (a new visitor); the frames of its WebSocket until the
    first finished run, summarized."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    frames: list[bytes] = []
    try:
        page = context.new_page()
        page.on("websocket", lambda socket: socket.on(
            "framereceived", lambda payload: frames.append(payload) if isinstance(payload, bytes) else None))
        page.goto(url, wait_until="commit")
        deadline = time.monotonic() + 120
        while not streamclient.summarize(list(frames)).finished:
            assert time.monotonic() < deadline, f"{url}: geen afgeronde run binnen 120 s"
            page.wait_for_timeout(100)
        return streamclient.summarize(list(frames))
    finally:
        context.close()


def generator_view(base: str, page: str, path: str) -> streamclient.View:
    async def once():
        conn = streamclient.connector()
        try:
            return await streamclient.view_once(conn, base, page, path)
        finally:
            await conn.close()

    # In a thread of its own: Playwright's sync API keeps an event loop of its own in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, once()).result()


@pytest.mark.parametrize(("label", "path"), PAGES, ids=[label for label, _ in PAGES])
def test_the_generator_receives_what_chromium_receives(browser, app_url, label, path):
    seen = chromium_view(browser, app_url + path)
    got = generator_view(app_url, label, path)
    assert got.ok, got.error
    assert seen.errors == []
    assert got.summary.deltas == seen.deltas > 20
    assert got.summary.elements == seen.elements
    assert got.summary.messages == seen.messages
    assert abs(got.summary.bytes - seen.bytes) <= 0.02 * seen.bytes
