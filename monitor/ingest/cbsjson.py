"""CBS's OData v3 JSON (https://opendata.cbs.nl/ODataApi/OData/<table>/…) read into the rows of the
``;``-separated shapes, so that one code path reads a table whatever shape it was saved in.

A data feed (``/TypedDataSet`` or ``/UntypedDataSet``, with or without ``?$format=json``)::

    {"odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/84851NED/$metadata#Cbs.OData.WebAPI.TypedDataSet",
     "value": [{"ID": 0, "KenmerkenAdviezenMeldingenDiensten": "T001166", "RegioS": "GM0014    ",
                "Perioden": "2019HJ01", "GestarteAdviezen_1": 235.0, …}, …]}

has the TypedDataSet CSV's columns as the keys of every record, numbers as JSON numbers (the
UntypedDataSet: as text) and ``null`` where CBS publishes no figure. Each record becomes a row of
text cells (``null`` → empty, the mark of "not published"); the row's number (``_line``) is the
record's index in ``value`` plus 2, so that "line 1" stays the header (the keys), and the
importer names a record as ``record <index>`` (:func:`relabel`).

A feed that carries ``odata.nextLink`` is one page of a longer answer (CBS pages after 10.000
records): it is refused, never imported as if it were the whole table.

Metadata beside a data file — a dimension's members (``…/RegioS``: ``Key``, ``Title``) or the
table's ``DataProperties`` (``Key``, ``Title``, ``Unit``) — may be saved as ``;``-separated CSV
or as the API's JSON: ``<data file stem>.<name>.csv`` or ``.json`` (:func:`beside`,
:func:`read_metadata`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from monitor.data.errors import IngestError
from monitor.ingest.common import MAX_ABS_NUMBER, NumberTooLarge, read_text, shorten
from monitor.ingest.csvrows import LINE, read_rows

DATA_FEEDS = ("TypedDataSet", "UntypedDataSet")
FIRST_RECORD_LINE = 2  # the row number of value[0]; 1 is the header (the records' keys)
_HEAD = 4096


def looks_like_feed(head: bytes) -> bool:
    """A JSON object that names itself an OData answer (``odata.metadata``) or holds ``value``."""
    text = head[:_HEAD].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    return text.startswith("{") and ('"odata.metadata"' in text or '"value"' in text)


def _reject_constant(name: str):
    raise ValueError(f"JSON-constante {name}")


def load(path: Path) -> object:
    """The parsed JSON of a file (read from the file itself: no second copy of its text)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        read_text(path)  # raises the importer's message naming the line of the bad byte
        raise
    except json.JSONDecodeError as exc:
        raise IngestError(f"het bestand is geen geldige JSON ({exc.msg} op regel {exc.lineno}, teken {exc.colno}); "
                          "sla de feed van CBS opnieuw op, ongewijzigd", file=path) from None
    except ValueError as exc:  # NaN, Infinity: not JSON, not a CBS figure
        raise IngestError(f"{exc} is geen getal dat CBS publiceert; ontbrekende cijfers zijn null",
                          file=path) from None


def entity_set(document: object) -> str | None:
    """What the answer holds, from ``odata.metadata`` (``…$metadata#Cbs.OData.WebAPI.TypedDataSet`` →
    ``TypedDataSet``); None when it does not say."""
    if not isinstance(document, dict):
        return None
    metadata = document.get("odata.metadata") or document.get("@odata.context")  # OData v3, v4
    if not isinstance(metadata, str) or "#" not in metadata:
        return None
    return metadata.rsplit("#", 1)[1].split("(")[0].split("/")[0].rsplit(".", 1)[-1] or None


def records_of(path: Path, document: object) -> list:
    """The records of an answer (``value``); refused when it is none or one page of several."""
    if not isinstance(document, dict) or not isinstance(document.get("value"), list):
        raise IngestError("onbekend formaat: dit JSON-bestand is geen CBS OData-feed (verwacht een object met "
                          "'odata.metadata' en een lijst 'value' met records, zoals https://opendata.cbs.nl/ODataApi/"
                          "OData/<tabel>/TypedDataSet?$format=json het geeft) en geen GeoJSON FeatureCollection",
                          file=path)
    link = "@odata.nextLink" if "@odata.nextLink" in document else "odata.nextLink"  # OData v4, v3
    following = document.get(link)
    if following:
        records = f"{len(document['value']):,}".replace(",", ".")
        raise IngestError(f"dit is één pagina van een langer antwoord van CBS ({records} records; '{link}' "
                          f"wijst naar het vervolg: {shorten(str(following), 120)}). Half importeren zou cijfers "
                          f"weglaten zonder het te zeggen: haal alle pagina's op (volg '{link}' tot een antwoord "
                          f"zonder) en zet hun 'value' samen in één bestand zonder '{link}'", file=path, column=link)
    return document["value"]


def _cell(value: object, path: Path, index: int, key: str) -> str:
    """A record's value as the text cell of the CSV shapes; refused when it is no number or text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        what = "true/false" if isinstance(value, bool) else type(value).__name__.replace("dict", "object") \
            .replace("list", "lijst")
        raise IngestError(f"de waarde is {what}, geen getal of tekst (een cijfer is een JSON-getal, of null voor "
                          "niet gepubliceerd)", file=path, row=index + FIRST_RECORD_LINE, column=key)
    if (isinstance(value, float) and not math.isfinite(value)) or abs(value) > MAX_ABS_NUMBER:
        raise IngestError(str(NumberTooLarge(value)), file=path, row=index + FIRST_RECORD_LINE, column=key)
    return str(value)


def read_feed(path: Path, document: object = None) -> tuple[list[str], pd.DataFrame]:
    """A data feed (``document``: the file's JSON, when loaded already) as
    :func:`monitor.ingest.csvrows.read_rows` gives a CSV: the header (the first record's keys) and
    a frame of text cells (columns 0…n-1) with ``_line``. Every record must have the same keys."""
    document = load(path) if document is None else document
    kind = entity_set(document)
    if kind is not None and kind not in DATA_FEEDS:
        raise IngestError(f"dit is CBS-metadata ('{kind}'), geen tabel met cijfers. Zet het als "
                          f"<databestand>.{kind}.json naast het databestand (de TypedDataSet) en importeer dat",
                          file=path)
    records = records_of(path, document)
    if not records:
        raise IngestError("de feed heeft geen records ('value' is leeg)", file=path, row=FIRST_RECORD_LINE)
    if not isinstance(records[0], dict) or not records[0]:
        raise IngestError("het eerste record is geen object met sleutels", file=path, row=FIRST_RECORD_LINE)
    header = [str(key) for key in records[0]]
    columns: list[list[str]] = [[] for _ in header]
    count = len(records)
    records.reverse()  # popped from the end: each record is freed once its cells are taken
    for index in range(count):
        record = records.pop()
        if not isinstance(record, dict):
            raise IngestError("dit record is geen object met sleutels", file=path, row=index + FIRST_RECORD_LINE)
        if len(record) != len(header) or any(key not in record for key in header):
            odd = next((k for k in record if k not in header), None) or next(k for k in header if k not in record)
            what = "ontbreekt" if odd in header else "staat niet in het eerste record"
            raise IngestError(f"de sleutel '{shorten(odd)}' {what}; elk record van een CBS-feed heeft dezelfde "
                              "sleutels", file=path, row=index + FIRST_RECORD_LINE, column=shorten(odd))
        for cells, key in zip(columns, header):
            cells.append(_cell(record[key], path, index, key))
    frame = pd.DataFrame(dict(enumerate(columns)), dtype=object)
    frame[LINE] = range(FIRST_RECORD_LINE, FIRST_RECORD_LINE + count)
    return header, frame


def beside(path: Path, name: str) -> Path | None:
    """``<stem>.<name>.csv`` or ``.json`` next to ``path`` (the one of the data file's own kind
    first); None when neither is there."""
    suffixes = (".json", ".csv") if path.suffix.lower() == ".json" else (".csv", ".json")
    for suffix in suffixes:
        candidate = path.with_name(f"{path.stem}.{name}{suffix}")
        if candidate.exists():
            return candidate
    return None


def read_metadata(meta: Path) -> tuple[list[str], pd.DataFrame]:
    """A metadata file (CSV ``Key;Title``/``Key;Unit``, or the API's JSON ``{"value": [{"Key": …}]}``)
    as header and text cells with ``_line``."""
    if meta.suffix.lower() != ".json":
        return read_rows(meta, read_text(meta), ";")
    document = load(meta)
    if not isinstance(document, dict) or not isinstance(document.get("value"), list):
        raise IngestError("dit metadatabestand is geen CBS OData-antwoord: verwacht een object met een lijst 'value' "
                          "van records met Key en Title (of Unit)", file=meta)
    records = records_of(meta, document)
    header: list[str] = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise IngestError("dit record is geen object met sleutels", file=meta, row=index + FIRST_RECORD_LINE)
        header += [str(k) for k in record if str(k) not in header]
    columns = {position: [_cell(record.get(key), meta, index, key) for index, record in enumerate(records)]
               for position, key in enumerate(header)}
    frame = pd.DataFrame(columns, dtype=object)
    frame[LINE] = range(FIRST_RECORD_LINE, FIRST_RECORD_LINE + len(records))
    return header, frame


def relabel(error: IngestError, path: Path, columns: dict[str, str] | None = None) -> IngestError:
    """An error about a JSON feed says which record (``record 3`` = ``value[3]``) and key instead of a line and column;
    ``columns`` renames a column (key → the name the file used)."""
    if error.file is not None and Path(error.file).suffix.lower() == ".json" and error.row is not None:
        error.row_label = "de sleutels van de records" if error.row < FIRST_RECORD_LINE else \
            f"record {error.row - FIRST_RECORD_LINE} (value[{error.row - FIRST_RECORD_LINE}])"
    if error.file is not None and Path(error.file).suffix.lower() == ".json":
        error.column_label = "sleutel"
    if columns and error.file == str(path) and error.column in columns:
        error.column = columns[error.column]
    error.args = (str(error),)
    return error
