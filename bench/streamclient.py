"""One page view the way a new browser tab makes it, spoken at the protocol level (for the load
generator, ``bench.loadgen``).

A new tab of Streamlit's frontend (``static/js/index.*.js`` of the installed streamlit):

1. ``GET`` the page (``/ouderen?x=y``): the ``index.html`` (the frontend's files come from the
   browser's cache);
2. ``GET /_stcore/health`` and ``GET /_stcore/host-config`` at once, with the cookies so far
   (the health answer sets Streamlit's XSRF cookie ``_streamlit_xsrf``);
3. the WebSocket ``/_stcore/stream`` (behind nginx its answer sets the sticky-replica cookie
   ``tkm_replica``) with the subprotocols ``streamlit`` and the XSRF cookie's
   value (``PLACEHOLDER_AUTH_TOKEN`` without one; a third one, the previous session id, only
   when reconnecting), with the ``Origin`` of the page;
4. a ``BackMsg`` ``rerun_script``: the query string (without ``?``), an empty
   ``page_script_hash`` and the ``page_name`` (the path below the base URL, ``""`` for ``/``),
   the hashes of the messages the tab has cached (none for a new tab) and the browser's context
   (time zone, locale, URL);
5. ``ForwardMsg``s until ``script_finished``. A message whose ``ref_hash`` is set stands for a
   cacheable message sent before; like the frontend's ``ForwardMsgCache`` the view keeps every
   message whose ``metadata.cacheable`` is set and replaces a reference by the cached one (a
   reference to a message it does not have is an error, as in the frontend).

The page is *ready* at ``script_finished`` (``FINISHED_SUCCESSFULLY``; a run ended early for a
rerun is followed by the rerun). An ``Exception`` element or an ``st.error`` on the page, a page
not found, a script that did not compile, an HTTP status >= 400 or a closed WebSocket is an
error of the view. Uses Streamlit's own protobuf classes; nothing here imports the monitor.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp

from ui.streamlit_private import protocol

BackMsg, ForwardMsg = protocol()[:2]

XSRF_COOKIE = "_streamlit_xsrf"
NO_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # what the frontend sends when it has no XSRF cookie
ERROR_ALERT = 1  # Alert.Format.ERROR (streamlit/proto/Alert.proto)
CONTEXT = {"timezone": "Europe/Amsterdam", "timezone_offset": -60, "locale": "nl-NL", "color_scheme": "light"}


class ViewError(Exception):
    """A page view that did not end in a finished, error-free script run (Dutch message)."""


@dataclass
class MessageCache:
    """The frontend's ``ForwardMsgCache``: cacheable messages by hash, references resolved."""

    messages: dict[str, bytes] = field(default_factory=dict)
    hits: int = 0

    def resolve(self, message: ForwardMsg, frame: bytes) -> ForwardMsg:
        if message.WhichOneof("type") == "ref_hash":
            cached = self.messages.get(message.ref_hash)
            if cached is None:
                raise ViewError(f"verwijzing naar een bericht dat niet in de cache staat ({message.ref_hash})")
            self.hits += 1
            full = ForwardMsg()
            full.ParseFromString(cached)
            full.metadata.CopyFrom(message.metadata)
            return full
        if message.metadata.cacheable and message.hash and message.hash not in self.messages:
            self.messages[message.hash] = frame
        return message

    def hashes(self) -> list[str]:
        return list(self.messages)


@dataclass
class PageSummary:
    """What a page view received: messages, deltas by kind and element type, bytes, problems."""

    messages: int = 0
    deltas: int = 0
    bytes: int = 0
    elements: Counter = field(default_factory=Counter)  # "block", "markdown", "vega_lite_chart" …
    errors: list[str] = field(default_factory=list)
    finished: bool = False

    def add(self, message: ForwardMsg, size: int) -> None:
        """Count one (resolved) ForwardMsg; note an exception, an error alert or a failed run."""
        self.messages += 1
        self.bytes += size
        kind = message.WhichOneof("type")
        if kind == "delta":
            self.deltas += 1
            delta = message.delta
            which = delta.WhichOneof("type")
            if which == "new_element":
                element = delta.new_element.WhichOneof("type")
                self.elements[element] += 1
                if element == "exception":
                    exc = delta.new_element.exception
                    self.errors.append(f"uitzondering op de pagina: {exc.type}: {exc.message[:200]}")
                elif element == "alert" and delta.new_element.alert.format == ERROR_ALERT:
                    self.errors.append(f"foutmelding op de pagina: {delta.new_element.alert.body[:200]}")
            elif which == "add_block":
                self.elements["block"] += 1
            else:
                self.elements[which] += 1
        elif kind == "script_finished":
            status = message.script_finished
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                self.finished = True
            elif status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.errors.append("het script compileerde niet")
                self.finished = True
        elif kind == "page_not_found":
            self.errors.append(f"pagina niet gevonden: {message.page_not_found.page_name or '(de gevraagde)'}")
        elif kind == "session_event" and message.session_event.WhichOneof("type") == "script_compilation_exception":
            self.errors.append("het script compileerde niet")


def summarize(frames: list[bytes]) -> PageSummary:
    """The summary of a list of ForwardMsg frames (e.g. what Chromium received), references
    resolved as the frontend does; counting stops at the first successful ``script_finished``."""
    cache, summary = MessageCache(), PageSummary()
    for frame in frames:
        message = ForwardMsg()
        message.ParseFromString(frame)
        summary.add(cache.resolve(message, frame), len(frame))
        if summary.finished:
            break
    return summary


def rerun_message(url: str, base_path: str = "/", cached: list[str] | None = None) -> bytes:
    """The ``rerun_script`` BackMsg a new tab sends for ``url``."""
    parts = urlsplit(url)
    base = base_path.rstrip("/") + "/"
    path = parts.path if parts.path.startswith(base) else base
    back = BackMsg()
    state = back.rerun_script
    state.query_string = parts.query
    state.page_script_hash = ""
    state.page_name = path[len(base):]
    state.cached_message_hashes.extend(cached or [])
    for key, value in CONTEXT.items():
        setattr(state.context_info, key, value)
    state.context_info.url = url
    state.context_info.is_embedded = False
    state.widget_states.SetInParent()
    return back.SerializeToString()


@dataclass
class View:
    """One page view's outcome (``ok`` when ``error`` is empty); times in seconds."""

    page: str
    started: float
    ready_s: float = 0.0
    summary: PageSummary = field(default_factory=PageSummary)
    error: str = ""
    http_bytes: int = 0

    @property
    def ok(self) -> bool:
        return not self.error


async def _get(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(url, allow_redirects=True) as response:
        body = await response.read()
        if response.status >= 400:
            raise ViewError(f"HTTP {response.status} op {urlsplit(url).path}")
        return len(body)


class Tab:
    """One new browser tab on ``base`` (``http://host:port``) opening ``path``. ``open`` makes
    the view (handshake, run, messages until ready); the WebSocket then stays open (an idle
    tab) until ``close``."""

    def __init__(self, connector: aiohttp.BaseConnector, base: str, page: str, path: str, *, timeout_s: float = 120.0):
        self.base, self.page, self.path, self.timeout_s = base.rstrip("/"), page, path, timeout_s
        # A jar of its own (a new visitor, no cookies yet); ``unsafe``: cookies of 127.0.0.1 too.
        self.session = aiohttp.ClientSession(connector=connector, connector_owner=False,
                                             cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self.cache = MessageCache()
        self._reader: asyncio.Task | None = None

    async def open(self) -> View:
        view = View(self.page, time.perf_counter())
        try:
            await asyncio.wait_for(self._open(view), self.timeout_s)
        except asyncio.TimeoutError:
            view.error = f"niet klaar binnen {self.timeout_s:.0f} s"
        except (ViewError, aiohttp.ClientError, OSError) as exc:
            view.error = str(exc) or type(exc).__name__
        if not view.error and view.summary.errors:
            view.error = f"{view.summary.errors[0]} ({self.path})"
        view.ready_s = time.perf_counter() - view.started
        return view

    async def _open(self, view: View) -> None:
        url = self.base + self.path
        view.http_bytes += await _get(self.session, url)
        sizes = await asyncio.gather(_get(self.session, self.base + "/_stcore/health"),
                                     _get(self.session, self.base + "/_stcore/host-config"))
        view.http_bytes += sum(sizes)
        token = next((c.value for c in self.session.cookie_jar if c.key == XSRF_COOKIE), NO_TOKEN)
        ws_url = "ws" + self.base[4:] + "/_stcore/stream"
        self.socket = await self.session.ws_connect(ws_url, protocols=("streamlit", token), origin=self.base,
                                                    max_msg_size=0, autoclose=False)
        await self.socket.send_bytes(rerun_message(url, cached=self.cache.hashes()))
        summary = view.summary
        while not summary.finished:
            frame = await self.socket.receive()
            if frame.type != aiohttp.WSMsgType.BINARY:
                raise ViewError(f"WebSocket gesloten of onverwacht bericht ({frame.type.name}) voor het einde van de run")
            message = ForwardMsg()
            message.ParseFromString(frame.data)
            summary.add(self.cache.resolve(message, frame.data), len(frame.data))

    def idle(self) -> None:
        """Keep reading the idle WebSocket (answers the server's pings, as a browser does)."""
        if self.socket is not None and self._reader is None:
            self._reader = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while self.socket is not None and not self.socket.closed:
            frame = await self.socket.receive()
            if frame.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break

    @property
    def connected(self) -> bool:
        return self.socket is not None and not self.socket.closed

    async def close(self) -> None:
        """Close the tab: its WebSocket (the server keeps the session for its TTL) and its HTTP client."""
        if self._reader is not None:
            self._reader.cancel()
        if self.socket is not None and not self.socket.closed:
            await self.socket.close()
        await self.session.close()


async def view_once(connector: aiohttp.BaseConnector, base: str, page: str, path: str,
                    timeout_s: float = 120.0) -> View:
    """Open ``path`` in a new tab until ready, then close the tab."""
    tab = Tab(connector, base, page, path, timeout_s=timeout_s)
    try:
        return await tab.open()
    finally:
        await tab.close()


def connector() -> aiohttp.TCPConnector:
    """One connection pool for every tab of a run (the browser's), without a limit on connections."""
    return aiohttp.TCPConnector(limit=0, force_close=False)
