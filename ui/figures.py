"""Charts and tables on a page, drawn from what the cache rule (``ui.caching``) keeps.

A chart is built by a module-level builder (``monitor.charts``) and turned into Vega-Lite once
per distinct input (Altair validates the spec against the Vega-Lite schema: tens to hundreds
of milliseconds a chart); for an input drawn before, in any session, Streamlit replays the
element. Under every chart its figures, for whoever cannot see it, in a closed expander
"Cijfers bij deze grafiek" whose tables are drawn only once it is opened. A table's Arrow
conversion (what ``st.table``/``st.dataframe`` make of a frame) is made once per content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import partial

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

from monitor.charts.common import without_generated_aria
from monitor.charts.tables import data_tables
from ui import streamlit_private
from ui.caching import content_cache
from ui.components import literal_table

DATA_LABEL = "Cijfers bij deze grafiek"
FIGURES_KEY = "cijfers"


# --- tables ---------------------------------------------------------------------------------------

@content_cache
def _arrow(function: Callable, args: tuple, kwargs: dict) -> pa.Table:
    return pa.Table.from_pandas(function(*args, **kwargs))


def _as_is(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


def cached_table(function: Callable, *args, **kwargs) -> pa.Table:
    """``function(*args, **kwargs)`` (a DataFrame) as the Arrow table ``st.dataframe`` makes of
    it (``pa.Table.from_pandas``, index kept), once per distinct input: a wide table is not
    converted again on every rerun. Show it with ``st.dataframe``."""
    return _arrow(function, args, kwargs)


def table(frame: pd.DataFrame, **kwargs) -> None:
    """``st.table(frame, **kwargs)`` with every text cell shown as text, not Markdown
    (``ui.components.literal_table``), drawn once per content and options: for a table drawn
    before (in any session) Streamlit replays the element, without writing the Arrow table out
    as bytes again (0,1–0,5 ms a table)."""
    _drawn_table(literal_table, (frame,), kwargs)


@content_cache
def _drawn_table(function: Callable, args: tuple, kwargs: dict) -> None:
    st.table(_arrow(function, args, {}), **kwargs)


def dataframe(frame: pd.DataFrame, **kwargs):
    """``st.dataframe(frame, **kwargs)``, its Arrow table made once per content."""
    return st.dataframe(_arrow(_as_is, (frame,), {}), **kwargs)


# --- charts -------------------------------------------------------------------------------------

def vega_lite_spec(chart) -> dict:
    """The Vega-Lite spec ``st.altair_chart`` makes of an Altair chart (its data as Arrow bytes
    under content-hashed names), so that ``show_spec`` draws exactly what it would.

    Streamlit's own conversion (``ui.streamlit_private``), pinned with Streamlit in
    requirements.txt; ``tests/unit/test_ui_cache.py`` checks the element is the same."""
    return streamlit_private.altair_to_vega_lite_spec(chart)


def spec_key(spec: dict) -> str:
    """A short name for a chart, from its spec (data included): the key of its figures' expander."""
    text = json.dumps(spec, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def figures(key: str, tables) -> None:
    """The chart's figures for whoever cannot see it, in a closed expander
    "Cijfers bij deze grafiek" under it. The tables are drawn only once the expander is opened
    (``on_change="rerun"``: opening it reruns the page, which then draws them), so a page
    view does not send, and the browser does not build, a table per chart that nobody opened.
    ``tables``: the tables, or a function that gives them (called only when open).
    ``key`` names the chart (``spec_key``); the same chart twice in a run gets a suffix."""
    box = lazy_expander(DATA_LABEL, f"{FIGURES_KEY}-{key}")
    if box.open:
        with box:
            for table in tables() if callable(tables) else tables:
                st.table(literal_table(table), hide_index=True)


def lazy_expander(label: str, key: str):
    """A closed expander whose content is drawn only once it is opened (``on_change="rerun"``:
    opening it reruns the page; draw its content only when ``.open``). The same key twice in a
    run gets a suffix."""
    for n in range(1, 100):
        try:
            return st.expander(label, key=key if n == 1 else f"{key}-{n}", on_change="rerun")
        except StreamlitDuplicateElementKey:
            continue
    raise RuntimeError(f"te vaak dezelfde grafiek op één pagina: {key}")


def show_spec(spec: dict, tables: list | None = None) -> None:
    """Draw a spec from ``vega_lite_spec`` as ``st.altair_chart(chart, width="stretch")`` does,
    with its figures (``tables``: frames, or their Arrow tables, or a function giving them) in
    a closed expander under it (``figures``). Streamlit copies the spec before it takes the
    datasets out, so a shared spec stays as it is."""
    st.vega_lite_chart(None, spec, width="stretch")
    if tables:
        figures(spec_key(spec), tables)


@content_cache
def _chart_spec(builder: Callable, args: tuple, kwargs: dict) -> dict:
    try:
        spec = vega_lite_spec(without_generated_aria(builder(*args, **kwargs)))
    except ValueError as exc:  # nothing to draw: as much an outcome of the input as a chart
        return {"no_chart": str(exc)}
    tables = data_tables(spec)
    # The Arrow tables st.table makes of the frames, made once (st.table of an Arrow table only
    # writes it out).
    return {"spec": spec, "tables": tables, "arrow": [pa.Table.from_pandas(table) for table in tables],
            "key": spec_key(spec)}


def _chart_result(builder: Callable, args: tuple, kwargs: dict) -> dict:
    result = _chart_spec(builder, args, kwargs)
    if "no_chart" in result:
        raise ValueError(result["no_chart"])
    return result


def chart_spec(builder: Callable, *args, **kwargs) -> dict:
    """``vega_lite_spec(builder(*args, **kwargs))``, built and converted once per distinct input;
    shared (do not change it). Vega's generated English aria labels are off
    (``without_generated_aria``); the chart's Dutch ``description`` is its text alternative.

    ``builder`` is a module-level function (``charts.trend_chart``). The ``ValueError`` a builder
    raises when there is nothing to draw is kept too, and raised again for the same input."""
    return _chart_result(builder, args, kwargs)["spec"]


def chart_tables(builder: Callable, *args, **kwargs) -> list[pa.Table]:
    """The figures of ``builder(*args, **kwargs)`` as tables (``monitor.charts.tables``, as the
    Arrow tables ``st.table`` draws), made with its spec (one cache lookup after ``chart_spec``)."""
    return _chart_result(builder, args, kwargs)["arrow"]


@content_cache
def _drawn_chart(builder: Callable, args: tuple, kwargs: dict) -> tuple[str | None, str | None, bool]:
    # Draws the chart; Streamlit records the element a cached function draws and, for the same
    # input, replays it instead of running it (``st.cache_resource``): a copy of the element,
    # without building the spec or its JSON again. (problem, figures key, has figures)
    result = _chart_spec(builder, args, kwargs)
    if "no_chart" in result:
        return result["no_chart"], None, False
    st.vega_lite_chart(None, result["spec"], width="stretch")
    return None, result["key"], bool(result["arrow"])


def chart(builder: Callable, *args, **kwargs) -> partial:
    """``st.altair_chart(builder(*args, **kwargs), width="stretch")`` through ``chart_spec``, with
    the chart's figures under it (``figures``): for an input drawn before (in any session) the
    chart is replayed from the cache. Raises the builder's ``ValueError`` when there is nothing
    to draw. Returns the builder with its arguments, for an export that needs the chart itself
    (built when clicked)."""
    problem, key, has_figures = _drawn_chart(builder, args, kwargs)
    if problem is not None:
        raise ValueError(problem)
    if has_figures:
        figures(key, lambda: chart_tables(builder, *args, **kwargs))
    return partial(builder, *args, **kwargs)


def image_for_screen(image: bytes) -> bytes:
    """The image as ``st.image(image, width="stretch")`` serves it. Streamlit scales an image
    wider than its content width down and re-encodes it on every run; this does it once, so the
    prepared image is served as it is. The same bytes either way (Streamlit's own functions)."""
    return streamlit_private.image_as_served(image, "stretch")
