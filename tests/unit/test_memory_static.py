"""Streamlit's frontend files from memory (monitor/serving/memory_static.py), in front
of Streamlit's own static handler: the same answers as that handler, the handler asked once per
file, gzip when accepted, 304 on a matching ETag, and everything else left to the handler."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip

import pytest

from monitor.serving.memory_static import MemoryStatic
from ui import serve, streamlit_private

JS = ("function hallo(){return 'Twentse Koers';}\n" * 200).encode()


def call(app, path: str, method: str = "GET", headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One request through an ASGI app: status, headers (lower-case names), body."""
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 8501)}
    sent: list[dict] = []
    requested = False

    async def receive():
        # As uvicorn does: the (empty) request once, then nothing until the client goes away.
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    # On a thread of its own: in the whole suite a browser test's Playwright (sync API) keeps an
    # event loop running in the main thread, where asyncio.run() refuses to start another.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = sent[0]
    head = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    return start["status"], head, b"".join(m.get("body", b"") for m in sent[1:])


class Counting:
    """The wrapped handler, counting the requests that reach it."""

    def __init__(self, app):
        self.app, self.paths = app, []

    async def __call__(self, scope, receive, send):
        self.paths.append(scope["path"])
        await self.app(scope, receive, send)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "index.html").write_text('<html lang="nl"><body>monitor</body></html>')
    (tmp_path / "static" / "js" / "index.abc123.js").write_bytes(JS)
    (tmp_path / "static" / "klein.css").write_text("body{}")
    (tmp_path / "manifest.json").write_text('{"name": "monitor"}')
    return tmp_path


@pytest.fixture
def served(folder):
    inner = Counting(streamlit_private.static_handler(folder))
    return MemoryStatic(inner, folder), inner


def test_a_file_is_answered_as_streamlit_answers_it_and_read_from_the_handler_once(served, folder):
    app, inner = served
    status, head, body = call(inner.app, "/static/js/index.abc123.js")  # Streamlit alone
    assert status == 200 and body == JS
    first = call(app, "/static/js/index.abc123.js")
    second = call(app, "/static/js/index.abc123.js")
    assert first == second
    status2, head2, body2 = second
    assert status2 == 200 and body2 == JS
    for name in ("content-type", "cache-control", "etag", "last-modified"):
        assert head2[name] == head[name], name
    assert "immutable" in head2["cache-control"]
    assert head2["content-length"] == str(len(JS))
    assert inner.paths == ["/static/js/index.abc123.js"]  # the second came from memory
    (folder / "static" / "js" / "index.abc123.js").write_bytes(b"changed")
    assert call(app, "/static/js/index.abc123.js")[2] == JS  # kept: a new version is a restart


def test_gzip_when_the_browser_accepts_it_compressed_once(served):
    app, inner = served
    status, head, body = call(app, "/static/js/index.abc123.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200 and head["content-encoding"] == "gzip" and head["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == JS and len(body) < len(JS) / 10
    assert head["content-length"] == str(len(body))
    assert app.files["static/js/index.abc123.js"].gzipped == body
    _status, plain, raw = call(app, "/static/js/index.abc123.js", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in plain and raw == JS
    _status, small, tiny = call(app, "/static/klein.css", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small and tiny == b"body{}"  # too small to be worth it
    assert len(inner.paths) == 2


def test_a_matching_etag_gets_304_and_head_gets_no_body(served):
    app, _inner = served
    _status, head, _body = call(app, "/static/js/index.abc123.js")
    status, head304, body = call(app, "/static/js/index.abc123.js", headers={"If-None-Match": head["etag"]})
    assert status == 304 and body == b"" and head304["etag"] == head["etag"]
    assert call(app, "/static/js/index.abc123.js", headers={"If-None-Match": '"other"'})[0] == 200
    status, head_head, body = call(app, "/static/js/index.abc123.js", method="HEAD")
    assert status == 200 and body == b"" and head_head["content-length"] == str(len(JS))


def test_a_first_request_with_a_condition_is_recorded_whole(served):
    app, inner = served
    etag = call(inner.app, "/static/js/index.abc123.js")[1]["etag"]
    assert call(app, "/static/js/index.abc123.js", headers={"If-None-Match": etag})[0] == 304
    assert call(app, "/static/js/index.abc123.js")[2] == JS


def test_the_root_document_is_kept_but_deep_links_and_odd_paths_go_to_the_handler(served):
    app, inner = served
    for _ in range(2):
        status, head, body = call(app, "/")
        assert status == 200 and b'lang="nl"' in body and head["cache-control"] == "no-cache"
    assert inner.paths == ["/"]
    for _ in range(2):  # the single-page fallback: index.html for a page's URL, not recorded
        status, _head, body = call(app, "/ouderen")
        assert status == 200 and b"monitor" in body
    assert inner.paths.count("/ouderen") == 2
    for odd in ("/../index.html", "//evil.example", "/static/%2e%2e/x", "/static/js/"):
        call(app, odd)
        assert inner.paths[-1] == odd
    for missing in (f"/static/js/nergens-{n}.js" for n in range(20)):
        call(app, missing)  # the single-page fallback (index.html), never recorded
    call(app, "/static/js/index.abc123.js")
    assert set(app.files) == {"", "static/js/index.abc123.js"}  # only files of the folder


def test_ranges_and_other_methods_go_to_the_handler(served):
    app, inner = served
    call(app, "/static/js/index.abc123.js")
    status, head, body = call(app, "/static/js/index.abc123.js", headers={"Range": "bytes=0-9"})
    assert status == 206 and body == JS[:10]
    from starlette.exceptions import HTTPException

    with pytest.raises(HTTPException, match="405"):  # the handler's own answer (a 405 in the server)
        call(app, "/static/js/index.abc123.js", method="POST")
    assert inner.paths == ["/static/js/index.abc123.js"] * 3


def test_production_serves_from_memory_unless_disk_is_asked():
    assert serve.static_from_memory([], {}) is True
    assert serve.static_from_memory([], {"MONITOR_STATIC": "disk"}) is False
    assert serve.static_from_memory(["--dev"], {}) is False
    with pytest.raises(SystemExit, match="MONITOR_STATIC"):
        serve.static_from_memory([], {"MONITOR_STATIC": "ram"})
