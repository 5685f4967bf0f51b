"""When is a Streamlit page *ready* in the browser, and what does it show? For the load test.

A step (a page load, a click on a sidebar link, a widget change) is done when the page is
*ready*:

1. the server has finished a script run since the step began: on the document's WebSocket
   a frame saying the script run finished successfully arrived (``Channel`` reads every frame
   with Streamlit's own protobuf class, through ``ui.streamlit_private.run_event``). The frontend's
   ``data-test-script-state`` alone cannot tell this: for a quick run it batches the
   messages and never shows ``running``, so the previous run's ``notRunning`` would pass;
2. the page itself has received that frame (``INIT_SCRIPT`` counts the WebSocket messages
   the page gets; the count must reach the frame's number), is connected
   (``stApp[data-test-connection-state=CONNECTED]``) and shows no run underway or requested
   (``data-test-script-state == notRunning``);
3. nothing on screen is left from an earlier run (no ``[data-stale=true]``) and nothing is a
   placeholder: no skeleton of the app or of an element whose code (Streamlit loads each
   widget's and chart's code as a separate chunk) is still being fetched;
4. the page's own content is there: the main heading (``h1``) reads the expected title, the
   footer (written last by ``dashboard.py``) is there, and every expected element (a CSS
   selector and a regular expression its text matches) is present;
5. every visible chart is drawn: each ``stVegaLiteChart`` that takes up space holds its
   ``.marks`` canvas or svg (a chart in a hidden tab is not drawn and is skipped);
6. the page has stopped changing: no change to the DOM for ``QUIET_MS``. The ready time is
   the moment of the last change, so the quiet window is not part of it.

Once the run has finished, an exception box (``stException``), an ``st.error``
(``stAlertContentError``) or an error text (``ERROR_MARKERS``) ends the wait at once with
that error; so do a connection the frontend has given up on (``DISCONNECTED_FOREVER``), a
script that did not compile and Streamlit's *page not found*.
"""

from __future__ import annotations

import asyncio
import json
import re
import time

from ui import streamlit_private

# Texts that are never part of a working page: Python's traceback header, the Dutch phrase
# for a generic failure, and Streamlit's own page-missing message.
ERROR_MARKERS = ("Traceback (most recent call last)", "Er ging iets mis", "Page not found")
QUIET_MS = 300
# Placeholders: the app before its first element, and an element whose code (a lazily
# loaded chunk: selectbox, chart, table …) is still being fetched.
SKELETONS = ('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"], '
             '[data-testid="stSkeletonElement"]')

INIT_SCRIPT = """
(() => {
  window.__tkFrames = 0;
  window.__tkChanged = performance.now();
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { window.__tkFrames += 1; });
    }
  };
  new MutationObserver(() => { window.__tkChanged = performance.now(); }).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
})();
"""

READY_JS = """
({frames, title, needles, markers, skeletons, quiet}) => {
  if ((window.__tkFrames || 0) < frames) return null;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return null;
  const connection = app.getAttribute('data-test-connection-state');
  if (connection === 'DISCONNECTED_FOREVER') return {error: 'verbinding met de server verbroken'};
  if (connection !== 'CONNECTED') return null;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  if (document.querySelector('[data-stale="true"]')) return null;
  if (document.querySelector(skeletons)) return null;
  const errors = [...document.querySelectorAll(
      '[data-testid="stException"], [data-testid="stAlertContentError"]')]
    .map(e => e.textContent.trim().slice(0, 300));
  const text = app.textContent || '';
  for (const marker of markers) if (text.includes(marker)) errors.push(marker);
  if (errors.length) return {error: errors.join(' | ')};
  const main = document.querySelector('[data-testid="stMain"]');
  const h1 = main && main.querySelector('h1');
  if (!h1 || (title === null ? !h1.textContent.trim() : h1.textContent.trim() !== title)) return null;
  for (const [selector, pattern] of needles) {
    const re = new RegExp(pattern);
    if (![...document.querySelectorAll(selector)].some(e => re.test(e.textContent.trim()))) return null;
  }
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    if (chart.getClientRects().length === 0) continue;
    if (!chart.querySelector('.marks')) return null;
  }
  const still = performance.now() - window.__tkChanged;
  if (still < quiet) return null;
  return {still};
}
"""

SNAPSHOT_JS = """
(markers) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const all = (root, selector) => root ? [...root.querySelectorAll(selector)] : [];
  const text = e => e.textContent.trim();
  const widgets = {};
  for (const w of all(main, '[data-testid="stSelectbox"], [data-testid="stMultiSelect"], ' +
                            '[data-testid="stDateInput"], [data-testid="stTextInput"]')) {
    const label = w.querySelector('[data-testid="stWidgetLabel"]');
    const name = label ? text(label) : '';
    if (w.getAttribute('data-testid') === 'stMultiSelect') {
      widgets[name] = [...w.querySelectorAll('[data-tag]')].map(t => t.getAttribute('aria-label'));
    } else {
      const input = w.querySelector('input');
      widgets[name] = input ? input.value : null;
    }
  }
  const app = document.querySelector('[data-testid="stApp"]');
  const body = app ? app.textContent : '';
  return {
    url: location.href,
    title: main && main.querySelector('h1') ? text(main.querySelector('h1')) : null,
    headings: all(main, 'h1, h2, h3').map(e => [e.tagName.toLowerCase(), text(e)]),
    captions: all(main, '[data-testid="stCaptionContainer"]').map(text),
    paragraphs: all(main, '[data-testid="stMarkdownContainer"] p').map(text),
    widgets,
    errors: all(document, '[data-testid="stException"], [data-testid="stAlertContentError"]')
      .map(e => text(e).slice(0, 300)),
    markers: markers.filter(m => body.includes(m)),
  };
}
"""

FOOTER = ('[data-testid="stCaptionContainer"]', "peildatum van de data")


class PageError(AssertionError):
    """The page showed an error (exception box, st.error, error text) or lost its connection."""


class Channel:
    """What the server tells one page over its WebSocket: the script runs it finished.

    Every document opens one WebSocket; the newest is the page's (frames of an older one,
    from a document already left, are not counted). ``finished`` holds, for each run that
    finished successfully, the number of the frame that said so and when it arrived
    (``time.perf_counter``).
    """

    def __init__(self, page):
        self.sockets = 0
        self.frames = 0
        self.finished: list[tuple[int, float]] = []
        self.problems: list[str] = []
        self._current = None
        page.on("websocket", self._opened)

    def _opened(self, socket) -> None:
        self.sockets += 1
        self._current = socket
        self.frames, self.finished = 0, []
        socket.on("framereceived", lambda payload: self._frame(socket, payload))
        socket.on("socketerror", lambda text: self.problems.append(f"WebSocket-fout: {text}"))

    def _frame(self, socket, payload) -> None:
        if socket is not self._current:
            return
        self.frames += 1
        if isinstance(payload, str):
            return
        kind, detail = streamlit_private.run_event(payload) or (None, "")
        if kind == "finished":
            self.finished.append((self.frames, time.perf_counter()))
        elif kind == "compile_error":
            self.problems.append("het script compileerde niet")
        elif kind == "page_not_found":
            self.problems.append(f"pagina niet gevonden: {detail}")

    def mark(self) -> tuple[int, int]:
        """Where the channel stands before a step: (sockets opened, runs finished)."""
        return self.sockets, len(self.finished)


async def wait_ready(page, channel: Channel, mark: tuple[int, int], *, new_document: bool, title: str | None,
                     needles: list[tuple[str, str]], timeout_ms: float, footer: bool = True) -> tuple[float, float]:
    """Wait until the page is ready (module docstring). Returns when the server's run-finished
    frame arrived (``time.perf_counter``) and the moment the page last changed; raises
    ``PageError`` on an error shown and ``TimeoutError`` after the timeout. ``title`` None
    accepts any non-empty main heading; ``footer`` False is for a page that is not the
    monitor's (bench/empty_page.py), which has no footer."""
    deadline = time.monotonic() + timeout_ms / 1000
    sockets, runs = mark
    while True:
        if channel.problems:
            raise PageError(" | ".join(channel.problems))
        fresh = channel.sockets > sockets
        if fresh and not new_document:
            raise PageError("de WebSocket-verbinding viel weg en werd opnieuw opgezet")
        if new_document and fresh and channel.finished:
            frames, finished_at = channel.finished[0]
            break
        if not new_document and len(channel.finished) > runs:
            frames, finished_at = channel.finished[runs]
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"geen afgeronde run van de server binnen {timeout_ms / 1000:.0f} s")
        await asyncio.sleep(0.05)
    arg = {"frames": frames, "title": title, "needles": [FOOTER, *needles] if footer else list(needles), "markers": list(ERROR_MARKERS),
           "skeletons": SKELETONS, "quiet": QUIET_MS}
    left_ms = max(1_000.0, (deadline - time.monotonic()) * 1000)
    handle = await page.wait_for_function(READY_JS, arg=arg, polling=100, timeout=left_ms)
    result = await handle.json_value()
    await handle.dispose()
    if "error" in result:
        raise PageError(result["error"])
    return finished_at, time.perf_counter() - result["still"] / 1000


async def snapshot(page) -> dict:
    """What the page shows: URL, headings, captions, paragraphs, widget values, errors."""
    return await page.evaluate(SNAPSHOT_JS, list(ERROR_MARKERS))


# --- what the browser reports that is not an error -----------------------------------------------

# Streamlit's client, opened on a page URL such as /projecten, first looks for the server's
# endpoints under that path (/projecten/_stcore/health, .../host-config), gets a 404, and then
# finds them under /. Known behaviour, streamlit/streamlit#7074; the page works.
BASE_PATH_PROBE = re.compile(r"^https?://[^/]+/[^_/][^/]*/_stcore/(health|host-config)$")


def benign_response(url: str, status: int) -> bool:
    return status == 404 and bool(BASE_PATH_PROBE.match(url))


def benign_console_error(text: str, url: str) -> bool:
    """The console line Chromium writes for the probe's 404 (its location is the probed URL)."""
    return text.startswith("Failed to load resource: the server responded with a status of 404") \
        and bool(BASE_PATH_PROBE.match(url))


def benign_request_failure(failure: str | None, navigating: bool) -> bool:
    """A request the browser cancelled because the test loaded a new document on purpose."""
    return navigating and failure == "net::ERR_ABORTED"


def describe(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
