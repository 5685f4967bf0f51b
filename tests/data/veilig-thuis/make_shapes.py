"""Write the real 84851NED excerpt in CBS's other download shapes (see PROVENANCE.md).

    .venv/bin/python tests/data/veilig-thuis/make_shapes.py

Reads ``84851NED_TypedDataSet_uittreksel.csv`` (with its metadata files) and
``84851NED_cbsodata_uittreksel.csv`` — the real CBS figures — and writes, byte for byte
reproducibly:

- ``84851NED_TypedDataSet_uittreksel.json``: the same records as the OData v3 JSON answer of
  ``/TypedDataSet?$format=json`` (``odata.metadata``, ``value``; numbers as JSON numbers, ``null``
  where CBS hid the figure), with ``….KenmerkenAdviezenMeldingenDiensten.json`` and
  ``….DataProperties.json`` beside it (``{"value": [{"Key": …, "Title"/"Unit": …}]}``);
- ``84851NED_StatLine_uittreksel.csv``: the same figures as StatLine's web export (``;``, BOM,
  CRLF, every field quoted, titles, a column per measure "title (unit)", decimal comma, ``.``
  where CBS hid the figure). Measure titles are those of ``sources/cbs/84851NED.toml``;
- ``84851NED_Observations_uittreksel.json``: the OData v4 ``Observations`` (a record per
  observation, ``Measure`` as a placeholder code ``M000001`` …), with ``….MeasureCodes.json``
  (``Identifier``, ``Title``, ``Unit``) and ``….KenmerkenAdviezenMeldingenDienstenCodes.json`` beside it.

Nothing here is downloaded: the shapes are written from the real rows.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLE = "84851NED"
TYPED = HERE / f"{TABLE}_TypedDataSet_uittreksel.csv"
CBSODATA = HERE / f"{TABLE}_cbsodata_uittreksel.csv"
DIMENSION = "KenmerkenAdviezenMeldingenDiensten"
BASE = f"https://opendata.cbs.nl/ODataApi/OData/{TABLE}"
DECLARATION = HERE.parent.parent.parent / "sources" / "cbs" / f"{TABLE}.toml"


def _rows(path: Path) -> list[list[str]]:
    return [line.split(";") for line in path.read_text(encoding="utf-8-sig").splitlines() if line]


def _number(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


def _write_json(path: Path, entity: str, records: list[dict]) -> None:
    document = {"odata.metadata": f"{BASE}/$metadata#Cbs.OData.WebAPI.{entity}", "value": records}
    path.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def typed_json() -> None:
    header, *rows = _rows(TYPED)
    dims = ("ID", DIMENSION, "RegioS", "Perioden")
    records = []
    for row in rows:
        record: dict[str, object] = {}
        for key, cell in zip(header, row):
            record[key] = int(cell) if key == "ID" else cell if key in dims else _number(cell)
        records.append(record)
    stem = TYPED.with_suffix("")
    _write_json(stem.with_suffix(".json"), "TypedDataSet", records)
    members = _rows(TYPED.with_name(f"{stem.name}.{DIMENSION}.csv"))[1:]
    _write_json(TYPED.with_name(f"{stem.name}.{DIMENSION}.json"), DIMENSION,
                [{"Key": key, "Title": title, "Description": None} for key, title in members])
    units = _rows(TYPED.with_name(f"{stem.name}.DataProperties.csv"))[1:]
    _write_json(TYPED.with_name(f"{stem.name}.DataProperties.json"), "DataProperties",
                [{"Key": key, "Type": "Topic" if unit else "Dimension", "Unit": unit or None} for key, unit in units])


def _dutch(cell: str) -> str:
    """'235.0' → '235', '3.5' → '3,5' (StatLine's decimal comma)."""
    number = float(cell)
    return str(int(number)) if number.is_integer() else repr(number).replace(".", ",")


def _period_title(title: str) -> str:
    """cbsodata's '1e halfjaar 2023' as StatLine writes it: '2023 1e halfjaar'."""
    parts = title.split()
    return f"{parts[-1]} {' '.join(parts[:-1])}" if len(parts) == 3 else title


def statline_export() -> None:
    with open(DECLARATION, "rb") as handle:
        measures = tomllib.load(handle)["measures"]
    header, *rows = _rows(CBSODATA)
    columns = ["Kenmerken adviezen, meldingen, diensten", "Regio's", "Perioden"]
    kept = []
    for position, key in enumerate(header[4:], start=4):
        spec = measures.get(key)
        if spec is None:  # CasussenMetOntvangenMeldingEn_3/_8: declared as ignored
            unit = "aantal" if key.endswith("_3") else "per 100 000 inwoners"
            columns.append(f"Casussen met ontvangen melding en afgeronde dienst ({unit})")
        else:
            columns.append(f"{spec['title']} ({spec['unit']})")
        kept.append(position)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = [row[1], row[2], _period_title(row[3])]
        cells += ["." if not row[i].strip() else _dutch(row[i]) for i in kept]
        writer.writerow(cells)
    HERE.joinpath(f"{TABLE}_StatLine_uittreksel.csv").write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def observations_v4() -> None:
    """The OData v4 long shape: a record per observation, measures as (placeholder) codes resolved
    through MeasureCodes (Identifier, Title, Unit), members through <Dimension>Codes."""
    with open(DECLARATION, "rb") as handle:
        measures = tomllib.load(handle)["measures"]
    header, *rows = _rows(TYPED)
    dims = (DIMENSION, "RegioS", "Perioden")
    codes = {key: f"M{position:06d}" for position, key in enumerate(header[4:], start=1)}
    records = []
    for row in rows:
        cells = dict(zip(header, row))
        for key, code in codes.items():
            value = _number(cells[key])
            records.append({"Id": len(records), "Measure": code, "ValueAttribute": "None", "Value": value,
                            "StringValue": None, **{d: cells[d].strip() for d in dims}})
    base = f"https://datasets.cbs.nl/odata/v1/CBS/{TABLE}"
    stem = f"{TABLE}_Observations_uittreksel"

    def write(name: str, entity: str, values: list[dict]) -> None:
        document = {"@odata.context": f"{base}/$metadata#{entity}", "value": values}
        HERE.joinpath(name).write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")),
                                       encoding="utf-8")

    write(f"{stem}.json", "Observations", records)
    measure_codes = []
    for index, (key, code) in enumerate(codes.items()):
        spec = measures.get(key)
        unit = spec["unit"] if spec else ("aantal" if key.endswith("_3") else "per 100 000 inwoners")
        title = spec["title"] if spec else "Casussen met ontvangen melding en afgeronde dienst"
        measure_codes.append({"Identifier": code, "Index": index, "Title": title, "Description": None,
                              "MeasureGroupId": None, "DataType": "Long", "Unit": unit, "Decimals": 0,
                              "PresentationType": "Absolute"})
    write(f"{stem}.MeasureCodes.json", "MeasureCodes", measure_codes)
    members = _rows(TYPED.with_name(f"{TYPED.stem}.{DIMENSION}.csv"))[1:]
    write(f"{stem}.{DIMENSION}Codes.json", f"{DIMENSION}Codes",
          [{"Identifier": key, "Index": i, "Title": title, "Description": None, "DimensionGroupId": None}
           for i, (key, title) in enumerate(members)])


if __name__ == "__main__":
    typed_json()
    statline_export()
    observations_v4()
