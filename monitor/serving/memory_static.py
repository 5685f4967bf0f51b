"""Streamlit's frontend files served from memory, each compressed once.

Without nginx in front, one Streamlit process serves the 66–110 frontend files a new visitor
fetches. Streamlit serves them with starlette's ``StaticFiles``: for each request a ``stat``,
an ``open`` and a read per 64 KB chunk, each in a worker thread, uncompressed (Streamlit skips
gzip for ``/static/`` because compressing per request costs more CPU than it saves). Measured
in bench/RESULTS.md, that is about 1 ms of server CPU per file.

:class:`MemoryStatic` wraps that handler. The first successful answer for each file is
recorded (status 200, its headers and body, exactly as Streamlit's handler made them:
content type, ETag, ``Cache-Control``) and every later request for it is answered from memory
in one message, gzip-compressed once when the browser accepts it. Everything the recorded
answer does not cover goes to the wrapped handler unchanged: other methods, ranges, paths that
are not a file of the folder (the single-page fallback to ``index.html`` for a deep link, a
404, the security checks on odd paths), and every answer that is not a plain 200. An answer
cut short because the browser went away while it was sent is passed on and not kept.

Memory is bounded by the folder: only paths that are a regular file inside it (or the folder
itself, whose answer is ``index.html``) are recorded, so a crawler asking for random URLs adds
nothing. Streamlit's folder is about 26 MB; a visitor needs about 6 MB of it, and only what was
asked for is kept. The files do not change while the server runs (a new version is a restart).

Pure ASGI, no Streamlit or starlette import; the dashboard's ``st.App`` puts it in front of
Streamlit's routes as middleware (``ui.serve.frontend_middleware``), only where no nginx serves
the files. Tested in tests/unit/test_memory_static.py.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
from dataclasses import dataclass, field

# Only paths made of these characters, without empty, '.' or '..' segments, are looked up;
# anything else goes to the wrapped handler and its own checks.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.~@+-]+(?:/[A-Za-z0-9_.~@+-]+)*")
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/manifest+json",
                 "image/svg+xml", "application/wasm", "application/xml", "font/ttf", "font/otf")
MIN_GZIP_BYTES = 1024
GZIP_LEVEL = 6


@dataclass
class Recorded:
    """One file's answer as the wrapped handler gave it."""

    headers: list[tuple[bytes, bytes]]
    body: bytes
    gzipped: bytes | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def header(self, name: bytes) -> bytes | None:
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def compressible(self) -> bool:
        kind = (self.header(b"content-type") or b"").decode("latin-1").lower()
        return (len(self.body) >= MIN_GZIP_BYTES and self.header(b"content-encoding") is None
                and kind.startswith(_COMPRESSIBLE))


def _request_header(scope, name: bytes) -> bytes | None:
    return next((v for k, v in scope.get("headers", []) if k.lower() == name), None)


def _accepts_gzip(scope) -> bool:
    accept = (_request_header(scope, b"accept-encoding") or b"").decode("latin-1").lower()
    for part in accept.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _complete(start: dict, messages: list[dict], body: bytes) -> bool:
    """Whether the wrapped handler sent the whole file: its last message ends the body and the
    body is as long as the ``Content-Length`` it announced. Streamlit's handler stops sending
    when the client disconnects (ASGI spec 2.3), which leaves a 200 with part of the file."""
    last = messages[-1] if messages else {}
    if last.get("type") != "http.response.body" or last.get("more_body", False):
        return False
    length = next((v for k, v in start.get("headers", []) if k.lower() == b"content-length"), None)
    return length is None or int(length) == len(body)


def _etag_matches(if_none_match: bytes, etag: bytes | None) -> bool:
    if etag is None:
        return False
    wanted = {t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")}
    return b"*" in wanted or etag.removeprefix(b"W/") in wanted


class MemoryStatic:
    """An ASGI app: ``inner`` (Streamlit, or its static-file handler for ``directory``) with its
    answers for the folder's files replayed from memory."""

    def __init__(self, inner, directory: str | os.PathLike) -> None:
        self.inner = inner
        self.directory = os.path.realpath(directory)
        self.files: dict[str, Recorded] = {}

    # --- which requests are answered from memory -----------------------------------------

    def relative_path(self, scope) -> str | None:
        """The request's path inside the mount ('' for the folder itself), or None when it is
        not a plain path (left to the wrapped handler's checks)."""
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        if not path.startswith("/"):
            return None
        relative = path[1:]
        if relative == "":
            return ""
        if not _PLAIN_PATH.fullmatch(relative) or any(s in (".", "..") for s in relative.split("/")):
            return None
        return relative

    def is_file(self, relative: str) -> bool:
        """Whether ``relative`` is a regular file inside the folder, or the folder itself."""
        if relative == "":
            return os.path.isfile(os.path.join(self.directory, "index.html"))
        full = os.path.realpath(os.path.join(self.directory, relative))
        return full.startswith(self.directory + os.sep) and os.path.isfile(full)

    # --- ASGI ------------------------------------------------------------------------------

    async def __call__(self, scope, receive, send) -> None:
        if (scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD")
                or _request_header(scope, b"range") is not None):
            await self.inner(scope, receive, send)
            return
        relative = self.relative_path(scope)
        if relative is None:
            await self.inner(scope, receive, send)
            return
        recorded = self.files.get(relative)
        if recorded is None:
            recorded = await self._record(relative, scope, receive, send)
            if recorded is None:
                return  # answered by the wrapped handler
        await self._replay(recorded, scope, send)

    async def _record(self, relative: str, scope, receive, send) -> Recorded | None:
        """Ask the wrapped handler once (as a plain GET, without conditions) and keep a 200
        for a file of the folder; any other answer is sent to the client as it came."""
        loop = asyncio.get_running_loop()
        if not await loop.run_in_executor(None, self.is_file, relative):
            await self.inner(scope, receive, send)
            return None
        plain = dict(scope, method="GET", headers=[
            (k, v) for k, v in scope.get("headers", [])
            if k.lower() not in (b"if-none-match", b"if-modified-since", b"accept-encoding")])
        messages: list[dict] = []

        async def collect(message):
            messages.append(message)

        await self.inner(plain, receive, collect)
        start = messages[0] if messages else {}
        body = b"".join(m.get("body", b"") for m in messages if m.get("type") == "http.response.body")
        if (start.get("type") != "http.response.start" or start.get("status") != 200
                or not _complete(start, messages, body)):
            # e.g. a 404 or 400 from the handler's own checks, or a file cut short because the
            # browser went away while it was sent (a page left mid-load): never kept.
            for message in messages:
                await send(message)
            return None
        headers = [(k, v) for k, v in start.get("headers", [])
                   if k.lower() not in (b"content-length", b"transfer-encoding")]
        recorded = Recorded(headers=headers, body=body)
        return self.files.setdefault(relative, recorded)

    async def _gzipped(self, recorded: Recorded) -> bytes:
        async with recorded.lock:
            if recorded.gzipped is None:
                loop = asyncio.get_running_loop()
                recorded.gzipped = await loop.run_in_executor(
                    None, lambda: gzip.compress(recorded.body, compresslevel=GZIP_LEVEL, mtime=0))
        return recorded.gzipped

    async def _replay(self, recorded: Recorded, scope, send) -> None:
        etag = recorded.header(b"etag")
        condition = _request_header(scope, b"if-none-match")
        vary = [(b"vary", b"Accept-Encoding")] if recorded.compressible else []
        if condition is not None and _etag_matches(condition, etag):
            kept = [(k, v) for k, v in recorded.headers
                    if k.lower() in (b"etag", b"cache-control", b"last-modified")]
            await send({"type": "http.response.start", "status": 304, "headers": kept + vary})
            await send({"type": "http.response.body", "body": b""})
            return
        body, encoding = recorded.body, []
        if recorded.compressible and _accepts_gzip(scope):
            body, encoding = await self._gzipped(recorded), [(b"content-encoding", b"gzip")]
        headers = [*recorded.headers, *encoding, *vary, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope.get("method") == "HEAD" else body})
