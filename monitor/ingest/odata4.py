"""CBS's OData v4 ``Observations`` (``https://datasets.cbs.nl/odata/v1/CBS/<table>/Observations``) of
a declared table with a ``category`` dimension (84851NED, 84849NED), read by the same code as its
TypedDataSet.

The long shape: one record per observation, the measure as a code and the dimensions as codes::

    {"@odata.context": "https://datasets.cbs.nl/odata/v1/CBS/84851NED/$metadata#Observations",
     "value": [{"Id": 0, "Measure": "M001234", "ValueAttribute": "None", "Value": 235.0, "StringValue": null,
                "KenmerkenAdviezenMeldingenDiensten": "T001166", "RegioS": "GM0014", "Perioden": "2019HJ01"}, …]}

A measure code says nothing by itself, so it is resolved **only** through the table's
``MeasureCodes`` saved beside the file (``<stem>.MeasureCodes.json`` or ``.csv``: ``Identifier``,
``Title``, ``Unit``, as ``…/CBS/<table>/MeasureCodes`` gives them): the declared measure whose CBS
title (a DataProperties beside the file, else the declared ``title``) is the code's ``Title`` and
whose ``unit`` is its ``Unit`` — a count and its rate share a title and differ in unit. A code
without a record there, or whose title and unit fit no declared measure (and no ``ignore`` title),
is refused: nothing is guessed. The members of the category dimension are codes; a
``<stem>.<Dimension>Codes.json`` (``Identifier``, ``Title``) beside the file gives their titles,
else the declaration's ``codes`` or a ``<stem>.<Dimension>.json`` Key/Title file resolve them.

The observations become the TypedDataSet's rows (one per combination of the dimensions, a column
per declared measure; ``null`` → not published) and ``monitor/ingest/veilig_thuis.py`` reads them.
A row is numbered by the record of its first observation (``record 3 (value[3])``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from monitor.data.errors import IngestError
from monitor.ingest import cbsjson, statline_vt, veilig_thuis
from monitor.ingest.common import MAX_ABS_NUMBER, NumberTooLarge, shorten
from monitor.ingest.csvrows import LINE

OBSERVATION_KEYS = ("Id", "Measure", "ValueAttribute", "Value", "StringValue")
_FIRST = cbsjson.FIRST_RECORD_LINE


def is_observations(document: object) -> bool:
    """An OData v4 answer of ``Observations``: by its context, else by its first record's keys."""
    if cbsjson.entity_set(document) == "Observations":
        return True
    values = document.get("value") if isinstance(document, dict) else None
    first = values[0] if isinstance(values, list) and values else None
    return isinstance(first, dict) and "Measure" in first and "Value" in first


def _codes(path: Path, name: str, value: str) -> dict[str, dict[str, str]] | None:
    """Identifier → {column: text} of the metadata file ``<stem>.<name>.json``/``.csv`` beside ``path``."""
    meta = cbsjson.beside(path, name)
    if meta is None:
        return None
    header, rows = cbsjson.read_metadata(meta)
    for required in ("Identifier", value):
        if required not in header:
            raise IngestError(f"sleutel '{required}' ontbreekt; {name} van CBS heeft Identifier en {value}",
                              file=meta, row=1, column=required)
    found = {}
    for row in rows.itertuples(index=False, name=None):
        record = dict(zip(header, row))
        found[str(record["Identifier"]).strip()] = {**record, LINE: row[-1], "_file": meta}
    return found


class _Observations:
    def __init__(self, path: Path, records: list, tables: dict[str, veilig_thuis.TableMap]) -> None:
        self.path, self.records = path, records
        first = records[0] if records and isinstance(records[0], dict) else {}
        self.dims = [k for k in first if k not in OBSERVATION_KEYS]
        found = [t for t in tables.values() if t.dimension in self.dims]
        if not found:
            expected = " of ".join(f"'{t.dimension}' ({t.table_id})" for t in tables.values())
            raise self.fail(f"de observaties hebben geen sleutel {expected}: OData v4-observaties leest de monitor "
                            "alleen van de Veilig Thuis-tabellen; download andere tabellen als TypedDataSet", row=1)
        self.table = found[0]
        self.ignored: list[str] = []
        for required in ("RegioS", "Perioden"):
            if required not in self.dims:
                raise self.fail(f"sleutel '{required}' ontbreekt in de observaties", row=1, column=required)

    def fail(self, message: str, row: int | None = None, column: str | None = None) -> IngestError:
        return IngestError(message, file=self.path, row=row, column=column)

    def measures(self) -> dict[str, str | None]:
        """Measure code → declared measure key (None: an ``ignore``d title), from MeasureCodes."""
        mapping = self.table.mapping
        codes = _codes(self.path, "MeasureCodes", "Title")
        if codes is None:
            raise self.fail(f"de metingen zijn codes (sleutel 'Measure'); zet de MeasureCodes van de tabel naast het "
                            f"bestand als {self.path.stem}.MeasureCodes.json (van https://datasets.cbs.nl/odata/v1/CBS/"
                            f"{self.table.table_id}/MeasureCodes), zodat elke code via haar titel en eenheid bij een "
                            f"meetwaarde van {mapping.file_name} hoort", row=_FIRST, column="Measure")
        titles = statline_vt.declared_titles(self.path, mapping)
        resolved: dict[str, str | None] = {}
        for code, record in codes.items():
            title, unit = str(record.get("Title") or "").strip(), str(record.get("Unit") or "").strip() or None
            fits = statline_vt.fitting_measures(mapping, titles, title, unit)
            if len(fits) == 1:
                twin = next((c for c, k in resolved.items() if k == fits[0]), None)
                if twin is not None:
                    raise IngestError(f"de metingen '{twin}' en '{code}' zijn volgens hun titel en eenheid allebei "
                                      f"'{fits[0]}' van {mapping.file_name}", file=record.get("_file"),
                                      row=int(record[LINE]), column="Identifier")
                resolved[code] = fits[0]
            elif not fits and statline_vt.ignored_title(mapping, title):
                resolved[code] = None
                self.ignored.append(f"{code} ({title}, {unit})")
            else:
                resolved[code] = f"?{title} ({unit or 'geen eenheid'})" + (f": {', '.join(fits)}" if fits else "")
        return resolved

    def rows(self) -> tuple[list[str], pd.DataFrame]:
        measures = self.measures()
        keys = [k for k in self.table.mapping.measures if k in measures.values()]
        members = _codes(self.path, f"{self.table.dimension}Codes", "Title") or {}
        combos: dict[tuple, int] = {}
        lines: list[int] = []
        cells: dict[str, list[str]] = {key: [] for key in keys}
        dims: list[list[str]] = [[] for _ in self.dims]
        seen: set[tuple] = set()
        count, records = len(self.records), self.records
        records.reverse()  # popped from the end: each record is freed once its value is taken
        for index in range(count):
            record, line = records.pop(), index + _FIRST
            if not isinstance(record, dict) or "Measure" not in record or "Value" not in record:
                raise self.fail("dit record is geen observatie (sleutels Measure en Value)", row=line)
            code = str(record["Measure"])
            key = measures.get(code, f"?{code}")
            if key is None:
                continue  # an ignored measure
            if key.startswith("?"):
                what = "staat niet in de MeasureCodes" if code not in measures else \
                    f"is volgens de MeasureCodes '{key[1:]}', en dat past bij geen (of meer dan één) meetwaarde"
                raise self.fail(f"meting '{shorten(code)}' {what} van {self.table.mapping.file_name}. Geef de "
                                "meetwaarde daar de title en unit van CBS, of zet de titel bij ignore",
                                row=line, column="Measure")
            where = []
            for name in self.dims:
                if name not in record or not isinstance(record[name], str):
                    raise self.fail("sleutel ontbreekt of is geen tekst", row=line, column=name)
                where.append(record[name].strip())
            combo = tuple(where)
            if (combo, key) in seen:
                raise self.fail(f"dubbele observatie van '{code}' voor {', '.join(where)}", row=line, column="Measure")
            seen.add((combo, key))
            if combo not in combos:
                combos[combo] = len(lines)
                lines.append(line)
                for column, value in zip(dims, where):
                    column.append(value)
                for column in cells.values():
                    column.append("")
            cells[key][combos[combo]] = self._value(record.get("Value"), line, key)
        dim_at = self.dims.index(self.table.dimension)
        dims[dim_at] = [str(members.get(c, {}).get("Title") or c).strip() for c in dims[dim_at]]
        header = ["ID", *self.dims, *keys]
        columns = [[str(i) for i in range(len(lines))], *dims, *cells.values()]
        frame = pd.DataFrame(dict(enumerate(columns)), dtype=object)
        frame[LINE] = lines
        return header, frame

    def _value(self, value: object, line: int, key: str) -> str:
        """The observation's value as a cell, checked here so that an error names its own record."""
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"'{shorten(value)}' is geen getal (Value is een JSON-getal, of null voor niet "
                            "gepubliceerd)", row=line, column="Value")
        if not abs(value) <= MAX_ABS_NUMBER:
            raise self.fail(str(NumberTooLarge(value)), row=line, column="Value")
        veilig_thuis.check_cell(str(value), self.path, line, "Value", self.table.mapping.measures[key].role)
        return str(value)


def parse(path: Path, ctx, document: object):
    """The batch of an Observations file (``document``: its JSON)."""
    records = cbsjson.records_of(path, document)
    if not records:
        raise IngestError("de feed heeft geen observaties ('value' is leeg)", file=path, row=_FIRST)
    tables = veilig_thuis.tables()
    observations = _Observations(path, records, tables)
    header, rows = observations.rows()
    batch = veilig_thuis._Parser(path, ctx, tables, table=(header, rows)).run()
    if observations.ignored:
        batch.notes.append(f"Meting(en) overgeslagen (zo gedeclareerd bij ignore in {observations.table.file_name}): "
                           f"{', '.join(observations.ignored)}.")
    return batch
