"""The Gezondheidsmonitor export: one shape of the CBS reader (``monitor/ingest/cbstable.py``).

CBS's Gezondheidsmonitor Volwassenen en Ouderen as exported per region: comma separated, a
leftover unnamed index column, then ``ID``, ``Leeftijd`` (age group), ``Marges`` (value and the
bounds of its 95% interval, one row each), ``RegioS`` (region *names*), in the 2016 edition
(83674NED) a ``Perioden`` column, and one column per measure. Which measure is which
indicator, and which age group and margin is which, is declared per edition in
``sources/cbs/83674NED.toml``, ``85012NED.toml`` and ``85563NED.toml``; this module only
recognises the shape and, for a file whose name has no table id, the edition.
"""

from __future__ import annotations

from pathlib import Path

from monitor.ingest.cbstable import GM_EXPORT, CbsTableFormat, header_cells
from monitor.ingest.common import table_id_from_name

# Editions this shape knows: table id → survey year (a file without a table id in its name is
# 83674NED when it has a Perioden column, else 85012NED).
EDITIONS: dict[str, str] = {"83674NED": "2016", "85012NED": "2020", "85563NED": "2022"}
DIMENSIONS = ("ID", "Leeftijd", "Marges", "RegioS")
PERIOD_COLUMN = "Perioden"
_BASE_NAME = "CBS Gezondheidsmonitor volwassenen en ouderen"


def sniff(path: Path, head: bytes) -> bool:
    cells = header_cells(head, ",")
    # Lenient on purpose: a recognisable export that lacks a column must reach parse, which
    # names the missing column, rather than be reported as an unknown format.
    if len(cells) < 3 or len(set(DIMENSIONS) & set(cells)) < 2 or "Marges" not in cells:
        return False
    # The CBS export starts with an unnamed index column; without it, accept the file only
    # when its name carries the table id of a known edition.
    return cells[0] == "" or table_id_from_name(path) in EDITIONS


def edition(path: Path, columns: list[str]) -> str:
    return table_id_from_name(path) or ("83674NED" if PERIOD_COLUMN in columns else "85012NED")


FORMAT = CbsTableFormat(GM_EXPORT, name=_BASE_NAME, sniffer=sniff, edition=edition)
