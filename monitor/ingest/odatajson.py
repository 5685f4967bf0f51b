"""CBS open data as OData v3 JSON: a TypedDataSet or UntypedDataSet saved from
``https://opendata.cbs.nl/ODataApi/OData/<table>/TypedDataSet`` (``?$format=json``).

The JSON is only another reader in front of the same rows (``monitor/ingest/cbsjson.py``): its
records have the TypedDataSet CSV's keys, so a Veilig Thuis table (a declared ``category``
dimension among the keys: 84851NED, 84849NED) is read by ``monitor/ingest/veilig_thuis.py`` and
any other table by the CBS reader (``monitor/ingest/cbstable.py``: its declaration in
``sources/cbs/``, else the standard mapping), exactly as their CSV. Metadata beside the file
(``<stem>.<Dimension>.json``, ``<stem>.DataProperties.json``, or the CSV ones) are read as for
the CSV. An error names the record (``record 3 (value[3])``) and its key. OData v4
``Observations`` (long: one record per observation) go to ``monitor/ingest/odata4.py``.

Every ``.json`` file that is not GeoJSON, and every file that opens as an OData answer, is
claimed here, so that a JSON that is no CBS feed, a metadata answer or one page of a longer
answer (``odata.nextLink``) is refused with a message saying what it is.
"""

from __future__ import annotations

from pathlib import Path

from monitor.data.errors import IngestError
from monitor.ingest import cbsjson, cbstable, odata4, veilig_thuis
from monitor.ingest.base import Batch, Context

_BASE_NAME = "CBS open data (OData-JSON, TypedDataSet)"


class OdataJsonFormat:
    def __init__(self) -> None:
        self.name = _BASE_NAME

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() == ".geojson" or b'"FeatureCollection"' in head:
            return False
        return path.suffix.lower() == ".json" or cbsjson.looks_like_feed(head)

    def parse(self, path: Path, ctx: Context) -> Batch:
        self.name = _BASE_NAME
        document = cbsjson.load(path)
        if odata4.is_observations(document):
            self.name = f"{_BASE_NAME.split(' (')[0]} (OData v4-observaties, Veilig Thuis)"
            return odata4.parse(path, ctx, document)
        header, rows = cbsjson.read_feed(path, document)
        del document
        tables = veilig_thuis.tables()
        if any(table.dimension in header for table in tables.values()):
            self.name = f"{_BASE_NAME.split(' (')[0]} (OData-JSON, Veilig Thuis)"
            return veilig_thuis._Parser(path, ctx, tables, table=(header, rows)).run()
        if cbstable.REGION not in header:
            raise IngestError(f"de records hebben geen sleutel '{cbstable.REGION}': dit is geen CBS-tabel per regio "
                              "die de monitor kan lezen", file=path, row=1, column=cbstable.REGION)
        reader = cbstable.CbsTableFormat(cbstable.ID_LED, name=_BASE_NAME, reader=lambda _path: (header, rows))
        batch = reader.parse(path, ctx)
        self.name = reader.name.replace("CBS open data (", "CBS open data, OData-JSON (", 1)
        return batch

    def relabel(self, error: IngestError, path: Path) -> IngestError:
        return cbsjson.relabel(error, path)


FORMAT = OdataJsonFormat()
