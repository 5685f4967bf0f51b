"""The one cache rule of the page layer.

The query layer (``monitor.data.db``) is the one data cache: every ``db.query`` result is kept
per (query, parameters, dataset fingerprint). Above it a page caches what it builds from those
results in one way only:

* **A view model**: a function of the widget values (``monitor.views.<page>.<page>_view``: the
  page's ``build_<page>(load_<page>(…), …)``) called through :func:`view_cache`. Its key is the function, the
  data version (``db.version``: the dataset folder and its fingerprint, so an import or a
  recorded change shows at once) and the widget values it is called with: text, numbers,
  dates, tuples, frozen dataclasses. Never a DataFrame: a frame argument is refused (what a
  view model is built from is the data version and the widget values, not frames).
* **What is drawn from it** (``ui.figures``: a chart's Vega-Lite spec, a table's Arrow
  conversion): :func:`content_cache`, keyed on the builder and the content of its arguments
  (``content_digest``: 0,2 ms CPU for a frame of 14 rows, 2,4 ms for 1.481 rows, measured;
  building and converting a chart costs 10 to 300 ms). A frame that is part of a view model
  is read for its digest once (``frame_key``): it is shared and never changes.

Both keep their results in ``st.cache_resource``: shared by every session and run, never
copied, so whoever gets one must not change it (pandas' copy-on-write makes every derived
frame a new one, so only an assignment into the very object would). The page tests check
this: with ``MONITOR_VERIFY_SHARED=1`` every new shared result is remembered with the digest
of its content, and ``verify_shared`` fails on one that changed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import pickle
import threading
import types
import weakref
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from monitor import settings
from monitor.data import db

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
    if isinstance(values, pd.arrays.ArrowStringArray):
        return str(values.dtype).encode() + _arrow_string_bytes(values)
    # categories, objects, other Arrow types: the Python values (a pickle of an Arrow-backed
    # array would also hold how it is split into chunks)
    return str(values.dtype).encode() + pickle.dumps(np.asarray(values, dtype=object), protocol=pickle.HIGHEST_PROTOCOL)


def _arrow_string_bytes(values: pd.arrays.ArrowStringArray) -> bytes:
    """The strings as Arrow holds them, whatever the chunks and the slice: the offsets from 0,
    which are valid, and the bytes between the first and the last offset (0,02 ms against
    0,15 ms for a pickle of the Python strings, 1.481 rows)."""
    array = pa.chunked_array(values.__arrow_array__()).combine_chunks()
    _validity, offsets, data = array.buffers()[:3]
    wide = pa.types.is_large_string(array.type)
    offsets = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)[array.offset:array.offset + len(array) + 1]
    start, end = int(offsets[0]), int(offsets[-1])
    return b"".join([(offsets - start).astype(np.int64).tobytes(), np.asarray(array.is_valid()).tobytes(),
                     b"" if data is None else memoryview(data)[start:end].tobytes()])


def content_digest(frame: pd.DataFrame) -> bytes:
    """A key for a DataFrame's full content: column names, index and every value, column by
    column (``_column_bytes``). Streamlit's own hash samples frames of 50.000 rows or more,
    costs more (1,8 against 0,3 ms for a 34-row frame) and falls back to a pickle for a column
    of lists. Equal content
    that gives other bytes only costs a cache miss, never a wrong hit."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(b"frame")
    digest.update(pickle.dumps((list(frame.columns), frame.index), protocol=pickle.HIGHEST_PROTOCOL))
    for _name, column in frame.items():
        values = _column_bytes(column.array)
        digest.update(len(values).to_bytes(8, "little"))  # where one column ends and the next begins
        digest.update(values)
    return digest.digest()


# The frames inside view models (shared results, never changed: ``verify_shared``), by ``id``,
# with their content digest once it was asked for: a chart drawn from a view model's frame is
# looked up by the digest its frame got the first time, not by reading the frame again on every
# page view (0,1–2 ms a frame, a dozen frames a themalijn page). The entry goes with the frame.
_shared_frames: dict[int, list] = {}
_shared_lock = threading.Lock()


def _share(value, depth: int = 0) -> None:
    """Remember every DataFrame in ``value`` (a view model: dataclasses, dicts, lists and tuples
    of them) as shared."""
    if isinstance(value, pd.DataFrame):
        key = id(value)

        def gone(ref, key=key):
            with _shared_lock:
                if _shared_frames.get(key, [None])[0] is ref:
                    del _shared_frames[key]

        with _shared_lock:
            entry = _shared_frames.get(key)
            if entry is None or entry[0]() is not value:
                _shared_frames[key] = [weakref.ref(value, gone), None]
        return
    if depth >= 6:
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [getattr(value, field.name) for field in dataclasses.fields(value)]
    elif isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, (list, tuple)):
        children = value
    else:
        return
    for child in children:
        _share(child, depth + 1)


def frame_key(frame: pd.DataFrame) -> bytes:
    """``content_digest(frame)``; for a frame of a view model (``_share``) computed once."""
    with _shared_lock:
        entry = _shared_frames.get(id(frame))
        if entry is not None and entry[0]() is frame and entry[1] is not None:
            return entry[1]
    digest = content_digest(frame)
    if entry is not None and entry[0]() is frame:
        entry[1] = digest
    return digest


def value_digest(value) -> bytes:
    """A digest of a value's content: DataFrames (``content_digest``), dataclasses, dicts, lists
    and tuples of them, and anything picklable (``verify_shared``)."""
    if isinstance(value, pd.DataFrame):
        return content_digest(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [type(value).__qualname__.encode()]
        parts += [value_digest(getattr(value, f.name)) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        parts = [b"dict"] + [pickle.dumps(k, protocol=pickle.HIGHEST_PROTOCOL) + value_digest(v)
                             for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        parts = [type(value).__name__.encode()] + [value_digest(v) for v in value]
    else:
        return hashlib.blake2b(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).digest()
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


def function_key(function: types.FunctionType) -> str:
    """A module-level function as a cache key: where it is defined (its code is the repository's)."""
    return f"{function.__module__}.{function.__qualname__}"


# --- shared results -------------------------------------------------------------------------------

_checks: list[tuple[str, object, bytes]] = []
_checks_lock = threading.Lock()
_checked_ids: set[int] = set()


def _verified(name: str, args: tuple, result):
    """``result``, remembered with the digest of its content under ``MONITOR_VERIFY_SHARED=1``,
    when it is made and each time a cache hands it out (once per check: the first digest of an
    object counts, so a change after it was made or handed out is found). It is named by
    ``name`` and the start of ``args``' repr, made only then: the repr of a frame argument costs
    milliseconds (pandas formats the whole frame before it is cut short)."""
    if settings.flag(VERIFY_ENV):
        with _checks_lock:
            if id(result) not in _checked_ids:
                _checked_ids.add(id(result))
                _checks.append((f"{name}{args!r:.200}", result, value_digest(result)))
    return result


def verify_shared() -> None:
    """Fail when a shared result (remembered under ``MONITOR_VERIFY_SHARED=1``) was changed by
    whoever got it since it was made or handed out; then start afresh. Each check reads only the
    results of its own page test (made or handed out by a cache hit), so the cost of a check does
    not grow with every result the test process made before."""
    with _checks_lock:
        checks = list(_checks)
        _checks.clear()
        _checked_ids.clear()
    changed = [name for name, result, digest in checks if value_digest(result) != digest]
    assert not changed, f"gedeelde resultaten zijn gewijzigd: {changed}"


class FrameArgument(TypeError):
    """A DataFrame given to a view model (``view_cache``)."""


def _no_frames(frame: pd.DataFrame):
    raise FrameArgument("een view-model wordt gesleuteld op de dataversie en de waarden van de widgets, "
                        "niet op een DataFrame: geef de keuze door, laad de gegevens in de functie")


# --- call keys ------------------------------------------------------------------------------------
# A cached call is looked up by one digest of its arguments, made in one pass: their pickle,
# with every DataFrame in it replaced by ``frame_key`` (its content digest, read once for a view
# model's frame). Module-level functions pickle as their module and name (``function_key``).
# Streamlit's own hasher walks the arguments object by object in Python and reads the
# function's signature on every call (``inspect.signature``): 0,1–0,5 ms a call, 20 calls a
# themalijn page. The cached function gets the digest as its one hashed argument and the
# arguments themselves under names starting with "_", which Streamlit does not hash.


class _KeyPickler(pickle.Pickler):
    def __init__(self, file, frame: Callable):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._frame = frame

    def persistent_id(self, obj):
        if isinstance(obj, pd.DataFrame):
            return b"frame" + self._frame(obj)
        return None


def call_key(parts: tuple, frame: Callable = frame_key) -> str | None:
    """One digest of ``parts`` (their content, frames by ``frame``), or ``None`` for a value
    pickle cannot take (a local function, a connection): that call is keyed by Streamlit's
    hasher instead. Equal content that pickles to other bytes only costs a cache miss."""
    buffer = io.BytesIO()
    try:
        _KeyPickler(buffer, frame).dump(parts)
    except FrameArgument:
        raise
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.blake2b(buffer.getbuffer(), digest_size=20).hexdigest()


def view_cache(function: Callable | None = None, *, max_entries: int = CACHE_ENTRIES):
    """Decorator: ``function`` runs once per data version (``db.version``) and distinct widget
    values (its arguments: text, numbers, dates, tuples, frozen dataclasses; a DataFrame
    argument raises ``TypeError``); the result is shared by every session (do not change it).
    ``max_entries``: how many results of this function stay (least recently used go first).

    A page calls its view model through it: ``shell.view_cache(overzicht_view)(peildatum, since)``
    (``monitor.views.overzicht.overzicht_view``, a plain import a reader and an IDE follow); a
    module of ``ui/`` may decorate its own function with it (``ui.slides.deck``). Each function
    has a cache of its own, named by where the function is defined."""
    if function is None:
        return functools.partial(view_cache, max_entries=max_entries)
    return _view(function, max_entries)


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def _view(function: Callable, max_entries: int) -> Callable:
    # One wrapper per function: a page calls ``shell.view_cache(overzicht_view)(…)`` on every run.
    name = function_key(function)
    code = function.__code__

    # Streamlit names a cache by its function's module, name and source; the module and name
    # are the decorated function's, so each has a cache of its own (two: ``keyed`` for a
    # ``call_key``, ``hashed`` for arguments pickle cannot take). ``code`` (its file and
    # bytecode) is part of the key: an edited function does not return what the old one made.
    def made(args: tuple, kwargs: dict):
        result = function(*args, **kwargs)
        _share(result)
        return _verified(name, args, result)

    def keyed(key: str, _args: tuple, _kwargs: dict):
        return made(_args, _kwargs)

    def hashed(version: tuple, code: tuple, args: tuple, kwargs: dict):
        return made(args, kwargs)

    keyed_cached, hashed_cached = (
        st.cache_resource(show_spinner=False, max_entries=max_entries, hash_funcs={pd.DataFrame: _no_frames})(
            _named_as(wrapper, function)) for wrapper in (keyed, hashed))
    code_key = (code.co_filename, code.co_code)
    code_digest = hashlib.blake2b(pickle.dumps(code_key), digest_size=20).digest()

    @functools.wraps(function)
    def view(*args, **kwargs):
        version = db.version()
        key = call_key((version, code_digest, args, kwargs), frame=_no_frames)
        if key is None:
            return _verified(name, args, hashed_cached(version, code_key, args, kwargs))
        return _verified(name, args, keyed_cached(key=key, _args=args, _kwargs=kwargs))  # by name: no signature read

    return view


def _named_as(wrapper: Callable, function: Callable) -> Callable:
    """``wrapper`` under ``function``'s module and name: Streamlit names its cache after them
    (and the wrapper's source)."""
    wrapper.__module__, wrapper.__qualname__, wrapper.__name__ = function.__module__, function.__qualname__, function.__name__
    return wrapper


def content_cache(drawing: Callable) -> Callable:
    """Decorator for ``drawing(function, args, kwargs)`` (module-level, in ``ui.figures``): what
    is drawn from ``function(*args, **kwargs)`` (a chart's spec, a table's Arrow conversion),
    made once per ``function`` (by ``function_key``) and distinct content of the arguments
    (``content_digest`` for a frame); shared (do not change it). Elements the drawing puts on
    the page are replayed by Streamlit for a cached input."""

    def keyed(key: str, _function: Callable, _args: tuple, _kwargs: dict):
        return _verified(function_key(_function), _args, drawing(_function, _args, _kwargs))

    def hashed(function: Callable, args: tuple, kwargs: dict):  # arguments pickle cannot take
        return _verified(function_key(function), args, drawing(function, args, kwargs))

    keyed_cached, hashed_cached = (
        st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES,
                          hash_funcs={pd.DataFrame: frame_key, types.FunctionType: function_key})(
            _named_as(wrapper, drawing)) for wrapper in (keyed, hashed))

    @functools.wraps(drawing)
    def handed_out(function: Callable, args: tuple, kwargs: dict):
        key = call_key((function_key(function), args, kwargs))
        if key is None:
            return _verified(function_key(function), args, hashed_cached(function, args, kwargs))
        return _verified(function_key(function), args,
                         keyed_cached(key=key, _function=function, _args=args, _kwargs=kwargs))

    def clear() -> None:
        keyed_cached.clear()
        hashed_cached.clear()

    handed_out.clear = clear
    return handed_out
