"""Streamlit pieces every page shares: footer, source captions, voorbeelddata banner, the
message for a page that cannot be shown (an unreadable dataset file, a failed write)."""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

from monitor.data import catalog, forensics
from monitor.data.errors import REBUILD_HINT, MonitorError
from monitor.data.store import REPO_ROOT
from monitor.domain.text import format_date, md_literal, source_line
from monitor.views.bronnen import DataPeildatum, load_data_peildatum
from ui.caching import content_cache
from ui.components import captions

APP_TITLE = "Twentse Koers Monitor"

@dataclass(frozen=True)
class Page:
    """One page of the registry (``dashboard.PAGES``). ``script``: its file in pages/; the four themalijn pages share
    ``pages/themalijn.py`` (the url path is the themalijn)."""

    section: str
    script: str
    title: str
    url_path: str
    icon: str
    default: bool = False

    @property
    def name(self) -> str:
        """The page module's name (``themalijn`` for the four themalijn pages)."""
        return Path(self.script).stem


# The st.Page objects of the navigation by url path ("" for the default page), for st.page_link
# (the Overzicht links to the themalijn pages). Filled from the navigation by ``register_pages``.
PAGES: dict = {}


_NAVIGATION: dict = {}  # (module, name) of the function that makes the st.Page objects -> them


def run_copies(make: Callable[[], dict[str, list]]) -> dict[str, list]:
    """``make()`` (per section its ``st.Page`` objects, ``dashboard.navigation_sections``), made
    once per process: ``st.Page`` resolves and checks its file and icon, 0,6 ms for the 16 pages
    on every run (``dashboard.py`` runs anew for every run, so it keeps them here). Each run gets
    copies: ``st.navigation`` marks the page it returns as to be run once, in that run only."""
    key = (make.__module__, make.__qualname__)
    if key not in _NAVIGATION:
        _NAVIGATION[key] = make()
    return {section: [copy.copy(page) for page in pages] for section, pages in _NAVIGATION[key].items()}


def register_pages(sections: dict[str, list]) -> dict:
    """Fill ``PAGES`` from the navigation's sections (``dashboard.PAGES``); returns ``sections``."""
    PAGES.clear()
    PAGES.update({page.url_path: page for pages in sections.values() for page in pages})
    return sections


def source_caption(title: str, peildatum, is_sample: bool = False, where=st) -> None:
    """The caption under a figure (in ``where``, a column or container): source and peildatum, and
    the voorbeelddata mark; the source's title as text, never Markdown."""
    where.caption(md_literal(source_line(title, peildatum, is_sample)))


def source_lines(sources) -> list[str]:
    """The source line of each (title, peildatum, is_sample) in ``sources`` (a view model's ``sources``)."""
    return [source_line(title, peildatum, is_sample) for title, peildatum, is_sample in sources]


def source_captions(sources, notes=(), where=st) -> None:
    """``notes`` (a sentence each: what a grey band means, how a figure was computed) and the
    source line of each (title, peildatum, is_sample) in ``sources``, in one caption (in ``where``),
    one line under the other; every line as the text it is (``md_literal``). One element where a
    caption per line was one message each to every new visitor."""
    captions([*notes, *source_lines(sources)], where)


def sample_banner(text: str) -> None:
    st.warning(f"**Voorbeelddata** – {text}", icon="⚠️")


def _dataset_problems(scan_state: tuple) -> list:
    """``forensics.dataset_problems()`` once per data version (``view_cache``: the version follows
    every table file's time and size) and state of the failed scans, not on every page view (a
    footer check per table: about 1 ms)."""
    return forensics.dataset_problems()


def dataset_notice(container) -> None:
    """In ``container`` (a place in the sidebar): every dataset file that cannot be read, and
    what to do about it."""
    directory = catalog.folder_key(None)
    if isinstance(directory, Path):
        problems = view_cache(_dataset_problems)(forensics.scan_state(directory))
    else:  # object storage: the data version itself may be what cannot be read; the pages say so
        problems = forensics.dataset_problems()
    if not problems:
        return
    names = md_literal(", ".join(problem.file.name for problem in problems))  # a foreign file's name is data
    container.error(f"**Niet leesbaar:** {names}. Wat deze bestanden nodig heeft, wordt niet getoond; "
                    f"de rest werkt. {REBUILD_HINT}", icon=":material/broken_image:")


# The keys of the widgets kept in the URL (``bind="query-params"``), read from the page code
# itself (``bound_widget_keys``): a new bound widget is forgotten on a page switch without a list
# to keep. Pages share names (``gemeente``, ``themalijn``, ``periode``) for widgets of different
# kinds: a multiselect on Projecten, a selectbox on Bronnen.
PAGE_CODE = (REPO_ROOT / "pages", REPO_ROOT / "ui")


def bound_widget_keys(folders=PAGE_CODE) -> tuple[str, ...]:
    """The ``key`` of every call with ``bind="query-params"`` in the Python files of ``folders``.
    A bound widget needs a literal key (``tests/unit/test_page_registry.py`` checks that)."""
    keys = set()
    for folder in folders:
        for path in sorted(Path(folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                words = {k.arg: k.value for k in node.keywords if k.arg}
                bind, key = words.get("bind"), words.get("key")
                if isinstance(bind, ast.Constant) and bind.value == "query-params" and isinstance(key, ast.Constant):
                    keys.add(key.value)
    return tuple(sorted(keys))


URL_KEYS: tuple[str, ...] = bound_widget_keys()


# WCAG 2.4.7: a focus indicator of 3 px in the theme's primary colour on everything
# that takes the keyboard; Streamlit's own is missing on page links and faint elsewhere. The
# theme has no setting for either rule, so these are the shell's CSS. Streamlit's English input
# hints ("Press Enter to submit form", "Press Enter to apply") are hidden on every page: the UI
# is Dutch, and every form has its own button.
FOCUS_CSS = """<style>
[data-testid="InputInstructions"] { display: none !important; }
a:focus-visible, button:focus-visible, summary:focus-visible, [tabindex]:focus-visible,
input:focus-visible, textarea:focus-visible, [role="combobox"]:focus-visible,
[role="tab"]:focus-visible, [role="slider"]:focus-visible {
  outline: 3px solid #00558c !important; outline-offset: 2px !important; }
</style>"""


def sidebar_navigation(sections: dict, intro: str = "") -> None:
    """The sidebar's list of pages: a heading per section and one ``st.page_link`` per page
    (keyboard-reachable links in the tab order; the current page is marked by the browser,
    which knows the page it shows). Replaces Streamlit's navigation widget, whose list markup
    fails WCAG 1.3.1 (in Streamlit 1.67 still: its sections put a ``div`` between the ``ul`` and
    its ``li`` items, and a section's heading opens and closes on a click, not by keyboard).
    The same for every page and session, so drawn once and replayed (``_drawn_links``): 21
    elements without building each one again. ``intro`` (Markdown): the sidebar's opening lines,
    in the first section heading's element (one message fewer to every new visitor)."""
    st.html(FOCUS_CSS)  # a style only: Streamlit puts it in a container of its own, outside the sidebar
    outline = tuple((section, tuple((page.url_path, page.title, page.icon) for page in pages))
                    for section, pages in sections.items())
    _drawn_links(_page_links, (outline, intro), {})


def _page_links(outline: tuple, intro: str = "") -> None:
    bar = st.sidebar  # named, not through ``with st.sidebar``: Streamlit replays into the sidebar by its id
    for n, (section, pages) in enumerate(outline):
        bar.markdown(f"{intro}\n\n**{section}**" if intro and n == 0 else f"**{section}**")
        for url_path, title, icon in pages:
            bar.page_link(PAGES[url_path], label=title, icon=icon)


@content_cache
def _drawn_links(function, args: tuple, kwargs: dict) -> None:
    function(*args, **kwargs)


def start_page(navigation) -> None:
    """On a switch to another page, forget the URL-bound widget values of the page left, so
    the new page starts from its own URL: a choice made on one page never shows up on another
    (nor, as a list, in another page's single choice)."""
    current = navigation.url_path
    if st.session_state.get("_current_page") != current:
        for key in URL_KEYS:
            st.session_state.pop(key, None)
        st.session_state["_current_page"] = current


def current_page() -> str:
    """The url path of the page being run (set by ``start_page``): the themalijn of a themalijn page."""
    return st.session_state.get("_current_page", "")


def run_page(navigation) -> None:
    """Run the chosen page; a ``MonitorError`` it raises (a dataset file that cannot be read, a
    failed write) is shown as a Dutch message instead of a traceback. What the page showed
    before it stays; other pages are not affected."""
    try:
        navigation.run()
    except MonitorError as exc:
        st.error(md_literal(exc), icon=":material/error:")  # it names files and values as found
    except duckdb.Error as exc:
        problem = forensics.unreadable_from(exc)  # a query outside db.query (the SQL page's sandbox copy)
        if problem is None:
            raise
        st.error(md_literal(problem), icon=":material/error:")


def footer() -> None:
    try:
        info = view_cache(load_data_peildatum)()  # once per data version, not per page view
    except MonitorError:
        info = DataPeildatum(None, False)  # the sources table is unreadable: the notice says so
    peildatum, has_sample = info.peildatum, info.has_sample
    text = f"{APP_TITLE} · peildatum van de data: {format_date(peildatum)}"
    if has_sample:
        text += " · bevat voorbeelddata (gemarkeerd waar getoond)"
    st.divider()
    st.caption(text)


# --- The cache rule (ui.caching) and what is drawn from it (ui.figures) ---------------------------
# The pages reach them as ``shell.view_cache``, ``shell.chart``, ``shell.table`` … through this module.

from ui.caching import CACHE_ENTRIES, view_cache  # noqa: E402,F401  (re-exported for the pages)
from ui.figures import (  # noqa: E402,F401
    DATA_LABEL, cached_table, chart, chart_spec, chart_tables, dataframe, image_for_screen, lazy_expander, show_spec,
    table,
    vega_lite_spec,
)
