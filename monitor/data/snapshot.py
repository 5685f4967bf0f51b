"""One state of the datasets per page run.

A page run asks for the dataset folder's fingerprint (the modification time and size of every
table file, the event folders, the privacy settings: ``catalog.fingerprint``) with every
``db.query`` and every cached loader: seven to ten times on a themalijn page, each time about
25 ``stat`` calls and a listing of every events folder. Inside :func:`pinned` the fingerprint
of a folder (and the other look-ups registered with :func:`remembered`) is read once and kept
until the block ends, so

* a page run costs one read of the folder's state instead of one per query, and
* everything the run shows comes from one state of the datasets: a change recorded by another
  session halfway through a page run shows in that session's next run, not in half of this one.

A change recorded in the same thread forgets what was kept (``events._record`` is a
:func:`forgets` writer), so whatever the run reads after its own change sees it; imports run in
a process of their own (``python -m monitor import``), never inside a page run. Outside a
``pinned`` block nothing is kept: every call reads the folder as before.

Pure (no Streamlit): the page layer opens the block around a page run (``dashboard.py``).

Why a layer beside the query cache (measured with ``python -m bench.reruns --without-snapshot``,
2026-12-07, bench/RESULTS.md "One cache rule"): for speed it hardly counts (the whole process
of four pages opened and rerun 20 times costs 3 % less CPU with it, each page's rerun the same
within the noise); it stays for what it guarantees: one run shows one state of the datasets
and reads the secrets once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_kept: ContextVar[dict | None] = ContextVar("monitor_snapshot", default=None)


@contextmanager
def pinned() -> Iterator[None]:
    """Within the block (in this thread or task), :func:`remembered` computes each key once.
    Nested blocks share the outer one's state."""
    if _kept.get() is not None:
        yield
        return
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``key`` inside a :func:`pinned` block; every time outside one."""
    kept = _kept.get()
    if kept is None:
        return compute()
    try:
        return kept[key]
    except KeyError:
        value = kept[key] = compute()
        return value


def forget() -> None:
    """Drop what the current block kept: called after a write, so the rest of the run reads the
    new state."""
    kept = _kept.get()
    if kept is not None:
        kept.clear()


def forgets(function: Callable[..., T]) -> Callable[..., T]:
    """Decorator for a writer: whatever it does (and whether it succeeds), what the current
    block kept is forgotten afterwards."""
    @functools.wraps(function)
    def writer(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            forget()
    return writer


def is_pinned() -> bool:
    return _kept.get() is not None
