"""What a page view costs the server, kept down: results shared by every session, and
keys that cost nothing for what is already shared.

A page view in a new session runs the page script once. Building an Altair chart and turning it
into Vega-Lite (Altair validates the spec against the Vega-Lite schema) costs tens to hundreds of
milliseconds per chart, and the pandas work behind a section and a table's conversion to Arrow
add up too. So a page

* reads its query bundle through ``loaded`` (the loader runs once per dataset version),
* computes what a section shows through ``cached`` (or a ``memo`` function),
* draws a chart through ``chart`` and a wide table through ``cached_table``.

Each runs once per distinct input, in ``st.cache_resource``: the result is **shared** by every
session and run, never copied. Like a ``db.query`` result it must not be changed by whoever gets
it (pandas' copy-on-write makes every derived frame a new one, so only an assignment into the
very object would). The page tests check this: with ``MONITOR_VERIFY_SHARED=1`` every shared
result is remembered with the digest of its content, and ``verify_shared`` fails on one that
changed.

The key of a call is the content of every argument. A DataFrame's digest (``content_digest``)
reads all of its values, which costs a millisecond or more per frame and call; a frame that is
shared is known instead: a ``db.query`` result by its query key (query, parameters, dataset
fingerprint), a shared result by the content digest it got once, when it was made
(``frame_digest``). The inputs are query results, which change with the datasets, so an import
shows at once. Download files are built when clicked: ``st.download_button`` gets a callable.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import pickle
import threading
import types
import weakref
from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

from monitor import settings
from monitor.charts.common import without_generated_aria
from monitor.charts.tables import data_tables
from monitor.data import db
from monitor.views.indicatoren import IndicatorInputs
from monitor.views.inputs import ThemalijnenInputs
from monitor.views.veilig_thuis_page import VtInputs
from ui import streamlit_private
from ui.components import literal_table

CACHE_ENTRIES = 256
VERIFY_ENV = "MONITOR_VERIFY_SHARED"
_MASKED = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


# --- digests ------------------------------------------------------------------------------------

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


def content_digest(frame: pd.DataFrame) -> bytes:
    """A key for a DataFrame's full content: column names, index and every value, column by
    column (``_column_bytes``). Streamlit's own hash samples frames of 50.000 rows or more and
    costs a millisecond or two per frame even for a few rows. Equal content that gives other
    bytes only costs a cache miss, never a wrong hit."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(b"frame")
    digest.update(pickle.dumps((list(frame.columns), frame.index), protocol=pickle.HIGHEST_PROTOCOL))
    for _name, column in frame.items():
        values = _column_bytes(column.array)
        digest.update(len(values).to_bytes(8, "little"))  # where one column ends and the next begins
        digest.update(values)
    return digest.digest()


# Shared objects whose digest is known: id -> (weak reference, digest). The weak reference tells
# a live entry from one whose object is gone and whose id was given to a new object.
_known: dict[int, tuple[weakref.ref, bytes]] = {}
_known_lock = threading.Lock()


def _remember(value, digest: bytes) -> None:
    key = id(value)

    def forget(ref, key=key):
        with _known_lock:
            if key in _known and _known[key][0] is ref:
                del _known[key]

    with _known_lock:
        _known[key] = (weakref.ref(value, forget), digest)


def _known_digest(value) -> bytes | None:
    entry = _known.get(id(value))
    if entry is not None and entry[0]() is value:
        return entry[1]
    return None


def frame_digest(frame: pd.DataFrame) -> bytes:
    """The key of a DataFrame argument: known for a shared frame (a ``db.query`` result, a
    shared result), else its ``content_digest``."""
    known = _known_digest(frame)
    if known is not None:
        return known
    query_key = db.result_key(frame)
    if query_key is not None:
        return hashlib.blake2b(b"query" + pickle.dumps(query_key, protocol=pickle.HIGHEST_PROTOCOL),
                               digest_size=20).digest()
    return content_digest(frame)


def value_digest(value, *, fresh: bool = False) -> bytes:
    """A key for a value made of DataFrames, dataclasses (``ThemalijnenInputs``), dicts, lists and
    tuples of them and anything picklable. ``fresh``: from the content alone, never from what
    is known (``verify_shared``)."""
    if not fresh:
        known = _known_digest(value) if _weakrefable(value) else None
        if known is not None:
            return known
    if isinstance(value, pd.DataFrame):
        return content_digest(value) if fresh else frame_digest(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [type(value).__qualname__.encode()]
        parts += [value_digest(getattr(value, f.name), fresh=fresh) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        parts = [b"dict"] + [pickle.dumps(k, protocol=pickle.HIGHEST_PROTOCOL) + value_digest(v, fresh=fresh)
                             for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        parts = [type(value).__name__.encode()] + [value_digest(v, fresh=fresh) for v in value]
    else:
        return hashlib.blake2b(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).digest()
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


def _weakrefable(value) -> bool:
    return isinstance(value, pd.DataFrame) or (dataclasses.is_dataclass(value) and not isinstance(value, type))


def inputs_digest(inputs) -> bytes:
    """A key for a loader's bundle of query results (``ThemalijnenInputs``, ``IndicatorInputs``)."""
    return value_digest(inputs)


def _share(value, depth: int = 0) -> None:
    """Make the frames and bundles inside a new shared result known by their content."""
    if depth > 6:
        return
    if isinstance(value, pd.DataFrame):
        if _known_digest(value) is None:
            _remember(value, content_digest(value))
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _share(getattr(value, field.name), depth + 1)
        _remember(value, value_digest(value))
    elif isinstance(value, dict):
        for item in value.values():
            _share(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _share(item, depth + 1)


# --- shared results -------------------------------------------------------------------------------

def function_key(function: types.FunctionType) -> str:
    """A module-level function as a cache key: where it is defined (its code is the repository's)."""
    return f"{function.__module__}.{function.__qualname__}"


_HASH_FUNCS = {pd.DataFrame: frame_digest, ThemalijnenInputs: inputs_digest, IndicatorInputs: inputs_digest,
               VtInputs: inputs_digest, types.FunctionType: function_key}
_checks: list[tuple[str, object, bytes]] = []
_checks_lock = threading.Lock()


def memo(function: Callable) -> Callable:
    """Decorator: ``function`` (pure) runs once per distinct input, keyed on the content of every
    argument; its result is shared (do not change it). For what a view computes from its query
    results (``monitor.views.overzicht.build_overzicht``)."""

    @functools.wraps(function)
    def shared(*args, **kwargs):
        result = function(*args, **kwargs)
        _share(result)
        if settings.flag(VERIFY_ENV):
            with _checks_lock:
                _checks.append((f"{function.__qualname__}{args!r:.200}", result, value_digest(result, fresh=True)))
        return result

    return st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES, hash_funcs=_HASH_FUNCS)(shared)


def verify_shared() -> None:
    """Fail when a shared result (remembered under ``MONITOR_VERIFY_SHARED=1``) was changed by
    whoever got it."""
    with _checks_lock:
        checks = list(_checks)
    changed = [name for name, result, digest in checks if value_digest(result, fresh=True) != digest]
    assert not changed, f"gedeelde resultaten zijn gewijzigd: {changed}"


# The function itself is an argument (keyed by ``function_key``): a reader and an IDE follow the
# call from the page to it.
@memo
def _cached_call(function: Callable, args: tuple, kwargs: dict):
    return function(*args, **kwargs)


@memo
def _cached_load(loader: Callable, args: tuple, kwargs: dict, version: tuple):
    return loader(*args, **kwargs)


@memo
def _cached_table(function: Callable, args: tuple, kwargs: dict) -> pa.Table:
    return pa.Table.from_pandas(function(*args, **kwargs))


def cached(function: Callable, *args, **kwargs):
    """``function(*args, **kwargs)`` once per distinct input, as ``memo``, for a pure
    module-level function defined elsewhere (``projects.with_status``). Shared: do not change it."""
    return _cached_call(function, args, kwargs)


def loaded(loader: Callable, *args, **kwargs):
    """A page's loader (``monitor.views.inputs.load_themalijnen``) once per input and dataset version
    (``db.version``: the datasets' fingerprint, so an import or a recorded change shows at
    once). Shared: do not change it."""
    return _cached_load(loader, args, kwargs, db.version())


def cached_table(function: Callable, *args, **kwargs) -> pa.Table:
    """``function(*args, **kwargs)`` (a DataFrame) as the Arrow table ``st.dataframe`` makes of
    it (``pa.Table.from_pandas``, index kept), once per distinct input: a wide table is not
    converted again on every rerun. Show it with ``st.dataframe``."""
    return _cached_table(function, args, kwargs)


@memo
def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame)


@memo
def _literal_arrow_table(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(literal_table(frame))


def table(frame: pd.DataFrame, **kwargs) -> None:
    """``st.table(frame, **kwargs)`` with every text cell shown as text, not Markdown
    (``ui.components.literal_table``); for a shared frame (part of a ``cached`` result) the
    Arrow table Streamlit makes of it is made once, not on every run."""
    st.table(_literal_arrow_table(frame) if _known_digest(frame) is not None else literal_table(frame), **kwargs)


def dataframe(frame: pd.DataFrame, **kwargs):
    """``st.dataframe(frame, **kwargs)``, the Arrow conversion of a shared frame made once (as
    ``table``)."""
    return st.dataframe(_arrow_table(frame) if _known_digest(frame) is not None else frame, **kwargs)


# --- charts -------------------------------------------------------------------------------------

DATA_LABEL = "Cijfers bij deze grafiek"
FIGURES_KEY = "cijfers"


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
    box = _lazy_expander(DATA_LABEL, f"{FIGURES_KEY}-{key}")
    if box.open:
        with box:
            for table in tables() if callable(tables) else tables:
                st.table(literal_table(table), hide_index=True)


def _lazy_expander(label: str, key: str):
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


@memo
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


@memo
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
