"""Streamlit pieces every page shares: footer, source captions, voorbeelddata banner, the
message for a page that cannot be shown (an unreadable dataset file, a failed write)."""

from __future__ import annotations

import ast
import hashlib
import importlib
import pickle
from collections.abc import Callable
from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from monitor.charts.common import without_generated_aria
from monitor.charts.tables import data_tables
from monitor.data import db, forensics
from monitor.data.errors import REBUILD_HINT, MonitorError
from monitor.data.store import REPO_ROOT
from monitor.domain.text import format_date, source_line
from monitor.views.indicatoren import IndicatorInputs
from monitor.views.inputs import DeckInputs
from monitor.views.veilig_thuis_page import VtInputs
from ui import streamlit_private

APP_TITLE = "Twentse Koers Monitor"

# The st.Page objects of the navigation by url path ("" for the default page), for st.page_link
# (the Overzicht links to the themalijn pages). Filled from the navigation by ``register_pages``.
PAGES: dict = {}


def register_pages(sections: dict[str, list]) -> dict:
    """Fill ``PAGES`` from the navigation's sections (``dashboard.PAGES``); returns ``sections``."""
    PAGES.clear()
    PAGES.update({page.url_path: page for pages in sections.values() for page in pages})
    return sections


def ensure_app_navigation() -> None:
    """Make a deep link on a fresh server run through ``dashboard.py``.

    Streamlit treats an app with a ``pages/`` folder as a "v1" multipage app until the main
    script has called ``st.navigation`` once; until then a first request for ``/bronnen``
    runs ``pages/bronnen.py`` on its own, without the shared navigation and footer. Every
    page calls this first: it switches that mode off and reruns, which runs the main script
    with the same URL.
    """
    if streamlit_private.leave_pages_directory_mode():
        st.rerun()


def source_caption(title: str, peildatum, is_sample: bool = False) -> None:
    """The caption under a figure: source and peildatum, and the voorbeelddata mark."""
    st.caption(source_line(title, peildatum, is_sample))


def sample_banner(text: str) -> None:
    st.warning(f"**Voorbeelddata** – {text}", icon="⚠️")


def dataset_notice(container) -> None:
    """In ``container`` (a place in the sidebar): every dataset file that cannot be read, and
    what to do about it."""
    problems = forensics.dataset_problems()
    if not problems:
        return
    names = ", ".join(problem.file.name for problem in problems)
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


# WCAG 2.4.7 (issue 18): a focus indicator of 3 px in the theme's primary colour on everything
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


def sidebar_navigation(sections: dict) -> None:
    """The sidebar's list of pages: a heading per section and one ``st.page_link`` per page
    (keyboard-reachable links in the tab order; the current page is marked by Streamlit).
    Replaces Streamlit's navigation widget, whose list markup fails WCAG 1.3.1."""
    st.html(FOCUS_CSS)
    for section, pages in sections.items():
        st.markdown(f"**{section}**")
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon)


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
        st.error(str(exc), icon=":material/error:")
    except duckdb.Error as exc:
        problem = forensics.unreadable_from(exc)  # a query outside db.query (the SQL page's sandbox copy)
        if problem is None:
            raise
        st.error(str(problem), icon=":material/error:")


def footer() -> None:
    try:
        info = db.query("data_peildatum")
    except MonitorError:
        info = pd.DataFrame()  # the sources table is unreadable: the notice says so
    peildatum = info["peildatum"].iloc[0] if not info.empty else None
    has_sample = bool(info["has_sample"].iloc[0]) if not info.empty else False
    text = f"{APP_TITLE} · peildatum van de data: {format_date(peildatum)}"
    if has_sample:
        text += " · bevat voorbeelddata (gemarkeerd waar getoond)"
    st.divider()
    st.caption(text)


# --- A rerun only draws ----------------------------------------------------------------------------
# A rerun (what a user's click causes) runs the page script again. Building an Altair chart and
# turning it into Vega-Lite (Altair validates the spec against the Vega-Lite schema) costs tens to
# hundreds of milliseconds per chart, and the pandas work behind a section and a wide table's
# conversion to Arrow add up too. So a page shows a chart through ``chart``, computes what a
# section shows in a ``memo`` (or ``cached``) function and a wide table through ``cached_table``:
# each runs once per distinct input, keyed on the content of every argument (DataFrames by
# ``frame_digest``), with Streamlit's ``st.cache_data`` (shared by all sessions, a fresh copy on
# every call, at most ``CACHE_ENTRIES`` inputs per function, the least recently used dropped).
# The inputs are query results, which change with the datasets, so an import shows at once.
# Download files are built when clicked: ``st.download_button`` gets a callable.

CACHE_ENTRIES = 256
_MASKED = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


def _column_bytes(values) -> bytes:
    """A column's values as bytes that depend on its content only (not on how pandas stores it
    or what it has cached about it, which a pickle of the array would include)."""
    if isinstance(values, pd.arrays.NumpyExtensionArray) and values.dtype.numpy_dtype.kind != "O":
        array = values.to_numpy()
        return str(array.dtype).encode() + np.ascontiguousarray(array).tobytes()
    if isinstance(values, _MASKED):
        dtype = values.dtype.numpy_dtype
        return (str(values.dtype).encode() + values.to_numpy(dtype=dtype, na_value=dtype.type(0)).tobytes()
                + np.asarray(values.isna()).tobytes())
    if isinstance(values, (pd.arrays.DatetimeArray, pd.arrays.TimedeltaArray)):
        return str(values.dtype).encode() + np.ascontiguousarray(values.asi8).tobytes()
    # strings (Arrow), categories, objects: the Python values (a pickle of an Arrow-backed array
    # would also hold how it is split into chunks)
    return str(values.dtype).encode() + pickle.dumps(np.asarray(values, dtype=object), protocol=pickle.HIGHEST_PROTOCOL)


def frame_digest(frame: pd.DataFrame) -> bytes:
    """A key for a DataFrame's full content: column names, index and every value, column by
    column (``_column_bytes``). Streamlit's own hash samples frames of 50.000 rows or more and
    costs a millisecond or two per frame even for a few rows. Equal content that gives other
    bytes only costs a cache miss, never a wrong hit."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(pickle.dumps((list(frame.columns), frame.index), protocol=pickle.HIGHEST_PROTOCOL))
    for _name, column in frame.items():
        values = _column_bytes(column.array)
        digest.update(len(values).to_bytes(8, "little"))  # where one column ends and the next begins
        digest.update(values)
    return digest.digest()


def inputs_digest(inputs) -> bytes:
    """A key for a loader's bundle of query results (``DeckInputs``, ``IndicatorInputs``): the
    digest of each of its frames."""
    return b"".join(frame_digest(value) if isinstance(value, pd.DataFrame)
                    else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) for value in vars(inputs).values())


def memo(function: Callable) -> Callable:
    """Decorator: ``function`` (pure) runs once per distinct input, keyed on the content of every
    argument; each call gets a fresh copy of the result. For what a view computes from its query
    results (``monitor.views.overview.build_overzicht``)."""
    return st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES,
                         hash_funcs={pd.DataFrame: frame_digest, DeckInputs: inputs_digest,
                                     IndicatorInputs: inputs_digest, VtInputs: inputs_digest})(function)


def vega_lite_spec(chart) -> dict:
    """The Vega-Lite spec ``st.altair_chart`` makes of an Altair chart (its data as Arrow bytes
    under content-hashed names), so that ``show_spec`` draws exactly what it would.

    Streamlit's own conversion (``ui.streamlit_private``), pinned with Streamlit in
    requirements.txt; ``tests/unit/test_ui_cache.py`` checks the element is the same."""
    return streamlit_private.altair_to_vega_lite_spec(chart)


DATA_LABEL = "Cijfers bij deze grafiek"


def show_spec(spec: dict, tables: list[pd.DataFrame] | None = None) -> None:
    """Draw a spec from ``vega_lite_spec`` as ``st.altair_chart(chart, width="stretch")`` does,
    with its figures (``tables``, from ``chart_tables``) in a closed expander under it: the
    chart's data for whoever cannot see it (issue 18). Drawing consumes the spec (its datasets
    are taken out): pass a copy of one that is kept."""
    st.vega_lite_chart(None, spec, width="stretch")
    if tables:
        with st.expander(DATA_LABEL):
            for table in tables:
                st.table(table, hide_index=True)


def _resolve(module: str, name: str) -> Callable:
    return getattr(importlib.import_module(module), name)


@memo
def _chart_spec(module: str, name: str, args: tuple, kwargs: dict) -> dict:
    try:
        spec = vega_lite_spec(without_generated_aria(_resolve(module, name)(*args, **kwargs)))
    except ValueError as exc:  # nothing to draw: as much an outcome of the input as a chart
        return {"no_chart": str(exc)}
    return {"spec": spec, "tables": data_tables(spec)}


@memo
def _cached_call(module: str, name: str, args: tuple, kwargs: dict):
    return _resolve(module, name)(*args, **kwargs)


@memo
def _cached_table(module: str, name: str, args: tuple, kwargs: dict) -> pa.Table:
    return pa.Table.from_pandas(_resolve(module, name)(*args, **kwargs))


def _chart_result(builder: Callable, args: tuple, kwargs: dict) -> dict:
    result = _chart_spec(builder.__module__, builder.__qualname__, args, kwargs)
    if "no_chart" in result:
        raise ValueError(result["no_chart"])
    return result


def chart_spec(builder: Callable, *args, **kwargs) -> dict:
    """``vega_lite_spec(builder(*args, **kwargs))``, built and converted once per distinct input;
    a fresh copy each call. Vega's generated English aria labels are off
    (``without_generated_aria``); the chart's Dutch ``description`` is its text alternative.

    ``builder`` is a module-level function (``charts.trend_chart``). The ``ValueError`` a builder
    raises when there is nothing to draw is kept too, and raised again for the same input."""
    return _chart_result(builder, args, kwargs)["spec"]


def chart_tables(builder: Callable, *args, **kwargs) -> list[pd.DataFrame]:
    """The figures of ``builder(*args, **kwargs)`` as tables (``monitor.charts.tables``), made
    with its spec (one cache lookup after ``chart_spec``)."""
    return _chart_result(builder, args, kwargs)["tables"]


def chart(builder: Callable, *args, **kwargs) -> partial:
    """``st.altair_chart(builder(*args, **kwargs), width="stretch")`` through ``chart_spec``, with
    the chart's figures under it (``show_spec``): an unchanged chart is one cache lookup on a
    rerun. Returns the builder with its arguments, for an export that needs the chart itself
    (built when clicked)."""
    result = _chart_result(builder, args, kwargs)
    show_spec(result["spec"], result["tables"])
    return partial(builder, *args, **kwargs)


def cached(function: Callable, *args, **kwargs):
    """``function(*args, **kwargs)`` once per distinct input, as ``memo``, for a pure
    module-level function defined elsewhere (``projects.with_status``)."""
    return _cached_call(function.__module__, function.__qualname__, args, kwargs)


def cached_table(function: Callable, *args, **kwargs) -> pa.Table:
    """``function(*args, **kwargs)`` (a DataFrame) as the Arrow table ``st.dataframe`` makes of
    it (``pa.Table.from_pandas``, index kept), once per distinct input: a wide table is not
    converted again on every rerun. Show it with ``st.dataframe``."""
    return _cached_table(function.__module__, function.__qualname__, args, kwargs)


def image_for_screen(image: bytes) -> bytes:
    """The image as ``st.image(image, width="stretch")`` serves it. Streamlit scales an image
    wider than its content width down and re-encodes it on every run; this does it once, so the
    prepared image is served as it is. The same bytes either way (Streamlit's own functions)."""
    return streamlit_private.image_as_served(image, "stretch")
