"""CBS open data files that start with an ``ID`` column: one shape of the CBS reader.

The bulk ``TypedDataSet``/``UntypedDataSet`` (codes: ``GM0153    ``, ``2024HJ01``, ``MW00000``)
and the ``cbsodata`` download (titles: ``Hengelo (O.)``, ``1e halfjaar 2024``) are read by
``monitor/ingest/cbstable.py``. A table with a declaration in ``sources/cbs/`` is mapped by it
(``cbstable.FORMAT_DECLARED``, which the importer tries first); any other table by the
standard mapping ``sources/cbs/standaard.toml`` (``Marges`` and ``Leeftijd`` by code or title,
measures through the ``cbs`` keys of ``sources/indicatoren.toml``), and a dimension or measure
it does not know is refused with a message saying what to declare where.

Status: the bulk download marks provisional figures only in the metadata of ``Perioden``, not
in the period code; such figures are imported as ``definitief``. The cbsodata titles mark them
with ``*`` (``2024*``): those are ``voorlopig``.
"""

from __future__ import annotations

from pathlib import Path

from monitor.domain import regions as regions_mod
from monitor.ingest.cbstable import ID_LED, CbsTableFormat, header_cells, sniff_id_led


def sniff(path: Path, head: bytes) -> bool:
    return sniff_id_led(head) and "Perioden" in header_cells(head, ";")


def _region_code(raw: str, known: set[str]) -> str | None:
    code = raw.strip().upper()
    if code in known:
        return code
    mapped = regions_mod.code_for_name(code)
    return mapped if mapped in known else None


FORMAT = CbsTableFormat(ID_LED, name="CBS open data (TypedDataSet, ;-gescheiden)", sniffer=sniff)
