"""CBS's own unit of each measure, from the table's DataProperties saved beside a download.

The OData API describes every column of a table in ``DataProperties`` (``Key``, ``Title``,
``Unit``, …: https://opendata.cbs.nl/ODataApi/OData/<table>/DataProperties). Saved as
``<data file stem>.DataProperties.csv`` (``;``-separated, columns ``Key`` and ``Unit`` at least;
or the API's JSON as ``<stem>.DataProperties.json``)
next to a TypedDataSet, it is checked against the declaration: a measure whose declared ``unit``
contradicts CBS's is refused, and a measure declared without a unit (by its key without CBS's
suffix, ``GestarteAdviezen``) takes CBS's unit, so the count and its rate per 100 000 inwoners
are told apart by CBS's metadata. Without the file the declaration alone decides.
"""

from __future__ import annotations

from pathlib import Path

from monitor.data.errors import IngestError
from monitor.ingest import cbsjson, cbsmap


def file_units(path: Path) -> tuple[dict[str, tuple[str, int]], Path | None]:
    """Key → (CBS's unit text, line) from ``<stem>.DataProperties.csv`` beside ``path`` ({} when absent)."""
    meta = cbsjson.beside(path, "DataProperties")
    if meta is None:
        return {}, None
    header, rows = cbsjson.read_metadata(meta)
    for required in ("Key", "Unit"):
        if required not in header:
            raise IngestError(f"kolom '{required}' ontbreekt; het metadatabestand DataProperties heeft de kolommen "
                              "Key en Unit (zoals de CBS OData-API ze geeft)", file=meta, row=1)
    key_at, unit_at = header.index("Key"), header.index("Unit")
    found = {}
    for row in rows.itertuples(index=False, name=None):
        key, unit = str(row[key_at]).strip(), str(row[unit_at]).strip()
        if key and unit:
            found[key] = (unit, int(row[-1]))
    return found, meta


def measure_unit(measure: cbsmap.Measure, column: str, units: dict[str, tuple[str, int]], meta: Path | None,
                 declaration: str) -> tuple[str, float, str | None]:
    """(role, scale, unit) of a column: the declaration's, checked against CBS's unit where the
    DataProperties name it; CBS's unit where the declaration has none."""
    given, line = units.get(column, (None, None))
    cbs_unit = cbsmap.unit_of(given)
    if given is None or (cbs_unit is None and measure.unit is None):
        return measure.role, measure.scale, measure.unit
    if cbs_unit is None or (measure.unit is not None and measure.unit != cbs_unit):
        raise IngestError(f"de eenheid van '{column}' is volgens de metadata van CBS ({meta.name}) '{given}', "
                          f"maar {declaration} zegt '{measure.unit}'. Controleer de declaratie: de eenheid "
                          "onderscheidt aantallen van cijfers per inwoners", file=meta, row=line, column="Unit")
    role, scale = cbsmap.UNITS[cbs_unit]
    return role, scale, cbs_unit
