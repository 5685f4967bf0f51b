"""Materialised tables (``queries/materialised/<name>.sql``, each ``create or replace table
<name> as …``): small tables derived from the big ones, built in memory the first time a query
needs them and again after the data they come from changed.

``monitor_observations`` (the observations of the monitor's own regions) and
``observation_counts`` (rows per indicator, period and source) turn scans of millions of rows
into lookups in a few thousand; ``vt_published`` holds the protected Veilig Thuis figures. Which
tables a query needs, and in which order, comes from the files' declared reads
(``queryfiles.build_order``).

Why a layer beside the query cache (measured, bench/RESULTS.md "What each change bought"): the
query cache keeps a result per parameter set, so every new set scans the big tables again;
from the materialised tables ``indicator_observations`` takes 8–11 ms instead of 371 ms,
``vt_gemeenten`` 14 instead of 92 ms, ``sources_overview`` 6 instead of 94 ms, for a build of
about 150–430 ms once per data change.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from monitor.data import catalog, queryfiles
from monitor.domain.regions import REGION_ROWS, TWENTE_NAMES

# The regions the monitor's pages show: Nederland, Overijssel, Twente and its 14 gemeenten
# (the ``$scope`` of a materialised table that declares it).
MONITOR_REGIONS: tuple[str, ...] = tuple(code for code, _name, _level, _parent in REGION_ROWS)
# The Veilig Thuis page's regions: the 14 gemeenten, Twente and Nederland (``$vt_scope``); the other
# Veilig Thuis-regio's only in ``vt_regio_published`` (Twente tussen de Veilig Thuis-regio's).
VT_REGIONS: tuple[str, ...] = tuple(code for code, _name, level, _parent in REGION_ROWS if level != "provincie")
# The parameters a materialised query may declare: the scope, and the names of Twente as the
# kind of region that produced a figure (``twente_kinds`` → ``twente_names``).
PARAMS = {
    "scope": lambda: list(MONITOR_REGIONS),
    "vt_scope": lambda: list(VT_REGIONS),
    "twente_kinds": lambda: list(TWENTE_NAMES),
    "twente_names": lambda: list(TWENTE_NAMES.values()),
}
_built: dict[tuple[Path, str], tuple] = {}   # (folder, table) → what it was built from


def ensure(con: duckdb.DuckDBPyConnection, directory: Path, names: list[str]) -> None:
    """Build the materialised ``names`` (dependencies first) that are missing or stale."""
    if not names:
        return
    with catalog.build_lock:  # also held while catalog.database() changes views: no DDL of two threads at once
        state = catalog.state(directory)
        for name in names:
            path = queryfiles.MATERIALISED_DIR / f"{name}.sql"
            key = (state, path.stat().st_mtime_ns)
            if _built.get((directory, name)) == key:
                continue
            text = path.read_text(encoding="utf-8")
            declared = queryfiles.parse_header(text, str(path))
            cursor = con.cursor()
            try:
                if queryfiles.run(cursor, "main_view_exists", name=name).fetchall():
                    queryfiles.run(cursor, "drop_view", {"view": name})  # a view of that name from an older version
                if declared.params:
                    cursor.execute(text, {name: PARAMS[name]() for name in declared.params})
                else:
                    cursor.execute(text)
            finally:
                cursor.close()
            _built[(directory, name)] = key
