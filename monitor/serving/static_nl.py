"""Streamlit's frontend with a Dutch ``index.html``: ``<html lang="nl">`` (WCAG 3.1.1).

Streamlit hard-codes ``<html lang="en">`` in its ``index.html`` and offers no setting for it
(streamlit/streamlit#15726). Screen readers then read the Dutch pages with an English voice and
browsers offer to translate them. The launcher (``ui/serve.py``) therefore renders a copy of
Streamlit's static folder, served by nginx (without nginx: its ``index.html`` by :class:`DutchIndex`),
whose ``index.html`` says ``lang="nl"``, carries the monitor's title
and a Dutch ``<noscript>`` text, and runs two small scripts in its head: ``vega_aria_nl.js`` (Vega's
English role descriptions of chart groups, "group mark container", taken off or made Dutch, which
Vega-Lite has no setting for) and ``scroll_regions_nl.js`` (a table that scrolls sideways in its
box can take the keyboard focus, which Streamlit's box cannot). The copy is made of hard links where the file system allows it (no extra
space), once per Streamlit version, in a folder named after its content.

Pure: paths in, a path out, and :class:`DutchIndex`, the ASGI middleware that serves the Dutch
``index.html`` where no nginx does; no Streamlit import. :func:`patch_index` fails loudly when a new
Streamlit's ``index.html`` no longer has the markup it replaces, so an upgrade cannot silently
bring back ``lang="en"`` (``tests/unit/test_static_nl.py``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

APP_TITLE = "Twentse Koers Monitor"
NOSCRIPT_NL = "Zet JavaScript aan in uw browser om de Twentse Koers Monitor te gebruiken."
VEGA_ARIA_SCRIPT = Path(__file__).with_name("vega_aria_nl.js")
SCROLL_REGIONS_SCRIPT = Path(__file__).with_name("scroll_regions_nl.js")
HEAD_SCRIPTS = (VEGA_ARIA_SCRIPT, SCROLL_REGIONS_SCRIPT)
REPLACEMENTS = (
    ('<html lang="en">', '<html lang="nl">'),
    ("<title>Streamlit</title>", f"<title>{APP_TITLE}</title>"),
    ("</head>", None),  # the scripts go at the end of the head (``_head_script``)
)


def _head_script() -> str:
    scripts = "".join(f"<script>\n{path.read_text(encoding='utf-8')}</script>\n" for path in HEAD_SCRIPTS)
    return f"{scripts}</head>"


class IndexChanged(Exception):
    """Streamlit's index.html no longer has the markup that is replaced."""


def patch_index(html: str) -> str:
    """The Dutch ``index.html``: each replaced piece must occur exactly once."""
    for old, new in REPLACEMENTS:
        if html.count(old) != 1:
            raise IndexChanged(f"index.html van Streamlit bevat {old!r} niet precies één keer; "
                               "pas monitor/serving/static_nl.py aan deze Streamlit-versie aan")
        html = html.replace(old, new if new is not None else _head_script())
    start, end = html.find("<noscript>"), html.find("</noscript>")
    if 0 <= start < end:
        html = html[:start] + f"<noscript><p>{NOSCRIPT_NL}</p>" + html[end:]
    return html


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or no hard links allowed
        shutil.copy2(source, target)


def dutch_static_dir(source: Path, cache_root: Path | None = None) -> Path:
    """A folder like ``source`` (Streamlit's static folder) with the Dutch ``index.html``.
    Made once per content (the folder's name is a digest of the new index and the source),
    atomically: a half-made copy is never used, and two processes starting at once both end
    with the same complete folder."""
    cache_root = Path(cache_root or Path(tempfile.gettempdir()) / "twentse-koers-monitor")
    index = patch_index((source / "index.html").read_text(encoding="utf-8"))
    key = hashlib.sha256(f"{source.resolve()}\n{index}".encode()).hexdigest()[:16]
    target = cache_root / f"streamlit-static-nl-{key}"
    if (target / "index.html").is_file():
        return target
    cache_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".static-", dir=cache_root))
    try:
        made = work / "static"
        shutil.copytree(source, made, copy_function=_link_or_copy)
        (made / "index.html").unlink()
        (made / "index.html").write_text(index, encoding="utf-8")
        try:
            os.replace(made, target)
        except OSError:  # another process made it first
            if not (target / "index.html").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


# Paths Streamlit answers with its own routes, never with the frontend's ``index.html``.
_ROUTES = ("/_stcore", "/media/", "/component/", "/app/static/", "/auth/", "/oauth2callback")


class DutchIndex:
    """ASGI middleware in front of Streamlit (``st.App(..., middleware=[...])``, ``dashboard.py``):
    the Dutch ``index.html`` of ``directory`` (``dutch_static_dir``) for every request Streamlit's
    static routes would answer with their own, English one: ``/``, ``/index.html`` and a page's
    path (``/ouderen``: not a file of the folder, Streamlit's single-page fallback). Everything
    else (the frontend's other files, ``/_stcore/…``, media, login routes, a path with a trailing
    slash or an odd one, which Streamlit redirects or refuses) goes to Streamlit unchanged."""

    def __init__(self, app, directory: str | os.PathLike) -> None:
        self.app = app
        self.directory = os.path.realpath(directory)
        self.index = (Path(self.directory) / "index.html").read_bytes()

    def is_document(self, path: str) -> bool:
        if path in ("/", "/index.html"):
            return True
        if (not path.startswith("/") or path.endswith("/") or "//" in path or "_stcore" in path
                or path.startswith(_ROUTES) or any(s in (".", "..") for s in path.split("/"))):
            return False
        full = os.path.realpath(os.path.join(self.directory, path.lstrip("/")))
        return full.startswith(self.directory + os.sep) and not os.path.exists(full)

    async def __call__(self, scope, receive, send) -> None:
        if (scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD")
                or not self.is_document(scope.get("path", ""))):
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"text/html; charset=utf-8"), (b"cache-control", b"no-cache"),
            (b"content-length", str(len(self.index)).encode())]})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else self.index})
