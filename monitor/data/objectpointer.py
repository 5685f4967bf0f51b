"""The S3 store's pointer object (``current``): what it holds, read strictly.

The pointer is JSON written by ``objectstore.S3Store.write_generation``: the current
generation, per table the object holding it (always inside a generation, ``gen-…/``), its size
and ETag, and under ``released`` when each object a pointer stopped naming was dropped (so
a replaced generation is kept for a grace period counted from then). A pointer that is not
that (not JSON, a field of the wrong kind, a table this monitor does not know, an object key
outside a generation) is refused by :func:`parse_pointer` with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from monitor.data.contract import SCHEMAS

GEN_PREFIX = "gen-"


@dataclass(frozen=True)
class Pointer:
    generation: str | None
    tables: dict            # table -> object key relative to the prefix
    etag: str | None        # None: there is no pointer yet
    sizes: dict = None      # table -> bytes of its object
    etags: dict = None      # table -> ETag of its object (pointers written since the cache)
    released: dict = None   # object key -> when a pointer stopped naming it (epoch seconds)
    modified: float | None = None  # the pointer object's Last-Modified (epoch seconds)


@dataclass(frozen=True)
class Stat:
    body: bytes
    etag: str
    modified: float     # Last-Modified (epoch seconds, the storage's clock)
    age_s: float        # seconds since then, by the storage's clock (its Date header)


def parse_pointer(got: Stat) -> Pointer:
    """The pointer in ``got``; ``ValueError``/``TypeError`` with a Dutch reason when it is not
    what a writer of this store writes."""
    data = json.loads(got.body)
    if not isinstance(data, dict):
        raise ValueError("het is geen JSON-object")
    return Pointer(_text(data, "generation"), _mapping(data, "tables", str, SCHEMAS), got.etag,
                   _mapping(data, "sizes", int, SCHEMAS), _mapping(data, "etags", str, SCHEMAS),
                   _mapping(data, "released", float), got.modified)


def generation_time(rel: str) -> float | None:
    """When a generation object was created, from its name (``gen-<time>-<id>/…``); None for
    a name this store does not give."""
    stamp = rel.split("/", 1)[0][len(GEN_PREFIX):].split("-", 1)[0]
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S%f").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None


def released_since(base: Pointer, tables: dict, now: float, keep_s: float) -> dict:
    """The ``released`` times of a new pointer naming ``tables`` over ``base``: every object the
    base named that the new one does not, released ``now``; the base's own entries while they
    are still due (an object named again is taken out)."""
    named = set(tables.values())
    kept = {rel: since for rel, since in (base.released or {}).items()
            if rel not in named and now - since < 2 * keep_s}
    kept.update({rel: now for rel in base.tables.values() if rel not in named and rel not in kept})
    return dict(sorted(kept.items()))


def _text(data: dict, field: str) -> str | None:
    value = data.get(field)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"het veld '{field}' is geen tekst")
    return value


def _mapping(data: dict, field: str, kind: type, keys=None) -> dict:
    """``data[field]`` as a mapping of text to ``kind`` (a missing field is empty); with
    ``keys``, only those keys; every object key inside a generation (``gen-…/``)."""
    value = data.get(field, {})
    if not isinstance(value, dict):
        raise ValueError(f"het veld '{field}' is geen lijst van namen en waarden")
    found = {}
    for key, item in value.items():
        if keys is not None and key not in keys:
            raise ValueError(f"het veld '{field}' noemt een onbekende tabel '{key}'")
        if kind is float and isinstance(item, int) and not isinstance(item, bool):
            item = float(item)
        if not isinstance(item, kind) or isinstance(item, bool):
            raise ValueError(f"het veld '{field}' heeft voor '{key}' een waarde van de verkeerde soort")
        if field in ("tables", "released"):
            rel = item if field == "tables" else key
            if not isinstance(rel, str) or not rel.startswith(GEN_PREFIX) or ".." in rel or "//" in rel:
                raise ValueError(f"het veld '{field}' noemt een object buiten een generatie: {rel!r}")
        found[key] = item
    return found
