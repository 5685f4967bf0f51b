"""A browser that goes away while a frontend file is sent (a page left mid-load, a closed tab)
must not leave that file cut short in the server's memory (monitor/serving/memory_static.py).

Streamlit's handler (starlette, ASGI spec 2.3 under uvicorn) stops sending a file when the
client disconnects: the answer so far is a 200 with part of the file, or none of it. Kept, every
later visitor of that process got that part: under load a chart's code chunk came back empty
and each chart showed "SyntaxError: ... does not provide an export named ...".
"""

from __future__ import annotations

import asyncio
import concurrent.futures

from monitor.serving.memory_static import MemoryStatic
from tests.unit.test_memory_static import JS, call
from ui import streamlit_private

PATH = "/static/js/index.abc123.js"


def _leave_after_the_headers(app, inner) -> list[dict]:
    """One GET through ``app`` whose client disconnects once ``inner`` has sent the status line
    and headers, before the body; what reached the client."""
    headers_sent = asyncio.Event()

    async def watched(scope, receive, send):
        async def send_and_note(message):
            await send(message)
            if message["type"] == "http.response.start":
                headers_sent.set()

        await inner(scope, receive, send_and_note)

    app.inner = watched
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": PATH, "raw_path": PATH.encode(), "root_path": "",
             "query_string": b"", "headers": [], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 8501)}
    requested = False
    sent: list[dict] = []

    async def receive():
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await headers_sent.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # see tests/unit/test_memory_static.call
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    app.inner = inner
    return sent


def test_a_file_cut_short_by_a_leaving_browser_is_not_kept(tmp_path):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "index.abc123.js").write_bytes(JS)
    inner = streamlit_private.static_handler(tmp_path)
    app = MemoryStatic(inner, tmp_path)

    cut = _leave_after_the_headers(app, inner)
    assert b"".join(m.get("body", b"") for m in cut) != JS  # the handler did stop halfway
    assert PATH.lstrip("/") not in app.files

    status, _head, body = call(app, PATH)  # the next visitor gets the whole file, and it is kept
    assert status == 200 and body == JS
    assert app.files[PATH.lstrip("/")].body == JS
