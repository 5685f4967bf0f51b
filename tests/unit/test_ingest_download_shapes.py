"""CBS tables in every download shape CBS publishes, read by one code path: the OData v3 JSON
(TypedDataSet/UntypedDataSet, metadata beside it) and the StatLine web export give exactly the rows
the TypedDataSet CSV and the ``cbsodata`` download give; bad input names file, record or line and
key or column, and changes nothing.

The JSON and StatLine files of 84851NED are written from the real rows of the CSV excerpts by
``tests/data/veilig-thuis/make_shapes.py`` (tests/data/veilig-thuis/PROVENANCE.md).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from monitor.data import store
from monitor.data.errors import IngestError
from monitor.ingest import FORMATS, detect_format, ingest_file, odatajson, statline
from tests.helpers import snapshot

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "veilig-thuis"
CBSODATA = DATA / "84851NED_cbsodata_uittreksel.csv"
TYPED_CSV = DATA / "84851NED_TypedDataSet_uittreksel.csv"
TYPED_JSON = DATA / "84851NED_TypedDataSet_uittreksel.json"
STATLINE = DATA / "84851NED_StatLine_uittreksel.csv"
STATLINE_70072 = REPO / "tests" / "data" / "cbs" / "70072NED_mini.csv"
OPENDATA_50052 = REPO / "tests" / "data" / "opendata" / "50052NED_TypedDataSet_twente.csv"
VT_COLUMNS = ["region_code", "period", "kind", "breakdown", "category", "count", "per_1000", "protected_by",
              "source_id", "is_sample"]


def _vt(path: Path, directory: Path) -> pd.DataFrame:
    ingest_file(path, directory)
    frame = store.read_frame("vt_reports", directory)[VT_COLUMNS]
    return frame.sort_values(VT_COLUMNS[:5]).reset_index(drop=True)


def _feed(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _download(tmp_path: Path, document: dict | str, name: str = TYPED_JSON.name) -> Path:
    """A copy of the JSON download (with its metadata beside it), its data replaced by ``document``."""
    folder = tmp_path / "download"
    folder.mkdir(parents=True, exist_ok=True)
    for meta in DATA.glob(f"{TYPED_JSON.stem}.*.json"):
        shutil.copy(meta, folder / meta.name.replace(TYPED_JSON.stem, Path(name).stem))
    path = folder / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


# --- the same rows from every shape -------------------------------------------------------------------

def test_the_json_feed_gives_exactly_the_rows_of_the_csv_downloads(tmp_path: Path):
    assert detect_format(TYPED_JSON) is odatajson.FORMAT
    cbsodata = _vt(CBSODATA, tmp_path / "cbsodata")
    pd.testing.assert_frame_equal(_vt(TYPED_CSV, tmp_path / "csv"), cbsodata)
    pd.testing.assert_frame_equal(_vt(TYPED_JSON, tmp_path / "json"), cbsodata)
    assert len(cbsodata) == 144 and cbsodata["count"].notna().any()


def test_the_untyped_dataset_with_numbers_as_text_gives_the_same_rows(tmp_path: Path):
    document = _feed(TYPED_JSON)
    document["odata.metadata"] = document["odata.metadata"].replace("TypedDataSet", "UntypedDataSet")
    for record in document["value"]:
        for key, value in record.items():
            if isinstance(value, float):
                record[key] = f"{int(value):>10}"  # CBS's UntypedDataSet: right-aligned text
            elif value is None:
                record[key] = "         ."
    path = _download(tmp_path, document, "84851NED_UntypedDataSet.json")
    pd.testing.assert_frame_equal(_vt(path, tmp_path / "untyped"), _vt(CBSODATA, tmp_path / "cbsodata"))


def test_the_json_metadata_beside_the_feed_gives_the_member_titles(tmp_path: Path):
    report = ingest_file(TYPED_JSON, tmp_path)
    assert any("KenmerkenAdviezenMeldingenDiensten.json (2 sleutels)" in note for note in report.notes)
    # Without it, the placeholder keys have no title: refused, naming the .json it wants or the CSV.
    bare = tmp_path / "bare" / TYPED_JSON.name
    bare.parent.mkdir()
    shutil.copy(TYPED_JSON, bare)
    with pytest.raises(IngestError) as info:
        ingest_file(bare, tmp_path / "bare-datasets")
    assert "onbekende sleutel 'A000000'" in str(info.value) and info.value.column == "KenmerkenAdviezenMeldingenDiensten"
    assert "record 0 (value[0])" in str(info.value)


def test_a_json_dataproperties_unit_is_checked_against_the_declaration(tmp_path: Path, tmp_datasets: Path):
    path = _download(tmp_path, _feed(TYPED_JSON))
    units = path.with_name(f"{path.stem}.DataProperties.json")
    document = _feed(units)
    next(r for r in document["value"] if r["Key"] == "GestarteAdviezen_6")["Unit"] = "aantal"
    units.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets)
    assert Path(info.value.file).name == units.name and info.value.column == "Unit"
    assert "record 8 (value[8])" in str(info.value) and "GestarteAdviezen_6" in str(info.value)
    assert not any(tmp_datasets.iterdir())


def test_the_statline_export_gives_exactly_the_rows_of_the_csv_downloads(tmp_path: Path):
    assert detect_format(STATLINE) is statline.FORMAT
    report = ingest_file(STATLINE, tmp_path / "statline")
    assert report.format_name == "CBS StatLine-export (84851NED, Veilig Thuis)"
    assert any("Casussen met ontvangen melding" in note and "ignore" in note for note in report.notes)
    frame = store.read_frame("vt_reports", tmp_path / "statline")[VT_COLUMNS]
    frame = frame.sort_values(VT_COLUMNS[:5]).reset_index(drop=True)
    pd.testing.assert_frame_equal(frame, _vt(CBSODATA, tmp_path / "cbsodata"))


def test_statline_titles_from_dataproperties_beside_the_export(tmp_path: Path):
    """CBS's own titles (a DataProperties file with Key;Title) find the columns as well."""
    lines = STATLINE.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].replace('"Gestarte adviezen (aantal)"', '"Adviezen, gestart (aantal)"')
    export = tmp_path / "download" / STATLINE.name
    export.parent.mkdir()
    export.write_text("\ufeff" + "\r\n".join([header, *lines[1:]]) + "\r\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        ingest_file(export, tmp_path / "refused")
    assert (info.value.row, info.value.column) == (1, "Adviezen, gestart (aantal)")
    assert 'title = "Adviezen, gestart", unit = "aantal"' in str(info.value)
    export.with_name(f"{export.stem}.DataProperties.csv").write_text(
        "Key;Title;Unit\nGestarteAdviezen_1;Adviezen, gestart;aantal\n", encoding="utf-8")
    frame = _vt(export, tmp_path / "by-cbs-titles")
    pd.testing.assert_frame_equal(frame, _vt(CBSODATA, tmp_path / "cbsodata"))


def test_the_70072_statline_population_export_is_read_as_before(tmp_path: Path):
    report = ingest_file(STATLINE_70072, tmp_path)
    assert report.format_name == "CBS StatLine-export (70072NED)"
    assert not store.read_frame("population", tmp_path).empty and store.read_frame("vt_reports", tmp_path).empty


def _as_feed(path: Path, target: Path) -> Path:
    """A TypedDataSet CSV written as its JSON feed: numbers as numbers, empty cells as null."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, records = rows[0], []
    for row in rows[1:]:
        record: dict[str, object] = {}
        for key, cell in zip(header, row):
            record[key] = (int(cell) if key == "ID" else None if cell in ("", ".") else
                           float(cell) if key[-1].isdigit() and "_" in key else cell)
        records.append(record)
    target.write_text(json.dumps({"odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/50052NED/$metadata"
                                  "#Cbs.OData.WebAPI.TypedDataSet", "value": records}), encoding="utf-8")
    return target


def test_any_other_cbs_table_reads_the_same_from_json(tmp_path: Path):
    feed = _as_feed(OPENDATA_50052, tmp_path / "50052NED_TypedDataSet_twente.json")
    ingest_file(OPENDATA_50052, tmp_path / "csv")
    report = ingest_file(feed, tmp_path / "json")
    assert report.source_id == "cbs-50052NED" and "OData-JSON" in report.format_name
    columns = ["indicator_id", "region_code", "period", "subgroup", "value", "ci_low", "ci_high", "status"]
    frames = [store.read_frame("observations", tmp_path / d)[columns].sort_values(columns[:4]).reset_index(drop=True)
              for d in ("csv", "json")]
    assert len(frames[0]) > 0
    pd.testing.assert_frame_equal(frames[1], frames[0])


# --- sniffing --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [TYPED_JSON, DATA / "84851NED_Observations_uittreksel.json"], ids=lambda p: p.name)
def test_a_json_feed_is_claimed_by_the_json_format_only(path: Path):
    head = path.read_bytes()[:64 * 1024]
    claimed = [fmt for fmt in FORMATS() if fmt.sniff(path, head)]
    assert claimed == [odatajson.FORMAT]
    # Saved without the .json extension, the content still says what it is.
    assert [fmt for fmt in FORMATS() if fmt.sniff(Path("TypedDataSet"), head)] == [odatajson.FORMAT]


@pytest.mark.parametrize("path", [CBSODATA, TYPED_CSV, STATLINE, STATLINE_70072, OPENDATA_50052],
                         ids=lambda p: p.name)
def test_the_json_format_claims_no_csv(path: Path):
    assert not odatajson.FORMAT.sniff(path, path.read_bytes()[:64 * 1024])
    assert detect_format(path) is not odatajson.FORMAT


def test_geojson_stays_geojson(tmp_path: Path):
    path = tmp_path / "grenzen.json"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert not odatajson.FORMAT.sniff(path, path.read_bytes())


# --- bad input: file, record or line, key or column; nothing changes --------------------------------------

def _record(index: int, **changes) -> dict:
    document = _feed(TYPED_JSON)
    document["value"][index].update(changes)
    return document


def _missing_key() -> dict:
    document = _feed(TYPED_JSON)
    del document["value"][3]["GestarteAdviezen_6"]
    return document


def _next_link() -> dict:
    document = _feed(TYPED_JSON)
    document["odata.nextLink"] = "https://opendata.cbs.nl/ODataApi/OData/84851NED/TypedDataSet?$skip=10000"
    return document


BAD_JSON = [
    ("geen-cbs.json", {"indicator": "overgewicht", "waarde": 52.3}, None, None, "geen CBS OData-feed"),
    ("lijst.json", "[1, 2, 3]", None, None, "geen CBS OData-feed"),
    ("kapot.json", '{"value": [{"ID": 0,', None, None, "geen geldige JSON"),
    ("nan.json", '{"value": [{"ID": NaN}]}', None, None, "NaN is geen getal"),
    ("84851NED_pagina.json", _next_link(), None, "odata.nextLink", "één pagina van een langer antwoord"),
    ("84851NED_metadata.json", {"odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/84851NED/$metadata"
                                "#Cbs.OData.WebAPI.RegioS", "value": [{"Key": "GM0141", "Title": "Almelo"}]},
     None, None, "dit is CBS-metadata ('RegioS')"),
    ("84851NED_zonder-sleutel.json", _missing_key(), "record 3 (value[3])", "GestarteAdviezen_6",
     "de sleutel 'GestarteAdviezen_6' ontbreekt"),
    ("84851NED_tekst.json", _record(5, GestarteAdviezen_1="veel"), "record 5 (value[5])", "GestarteAdviezen_1",
     "'veel' is geen geheel aantal"),
    ("84851NED_waar.json", _record(6, OntvangenMeldingen_7=True), "record 6 (value[6])", "OntvangenMeldingen_7",
     "true/false, geen getal"),
    ("84851NED_negatief.json", _record(7, GestarteAdviezen_1=-5.0), "record 7 (value[7])", "GestarteAdviezen_1",
     "negatief aantal"),
    ("84851NED_leeg.json", {"odata.metadata": "x#Cbs.OData.WebAPI.TypedDataSet", "value": []}, None, None,
     "geen records"),
    ("84851NED_zonder-dimensie.json", {"value": [{"ID": 0, "RegioS": "GM0141", "Perioden": "2024HJ01",
                                                  "GestarteAdviezen_1": 5.0}]}, "de sleutels van de records",
     "KenmerkenAdviezenMeldingenDiensten", "verplichte kolom(men) ontbreken"),
]


@pytest.mark.parametrize("case", BAD_JSON, ids=[case[0] for case in BAD_JSON])
def test_bad_json_is_refused_naming_file_record_and_key(case, tmp_path: Path, tmp_datasets: Path):
    name, document, record, key, phrase = case
    ingest_file(CBSODATA, tmp_datasets)
    before = snapshot(tmp_datasets)
    path = _download(tmp_path, document, name)
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets)
    message = str(info.value)
    assert message.startswith(f"Fout in bestand {name}"), message
    assert phrase in message, message
    if record is not None:
        assert f", {record}" in message, message
    if key is not None:
        assert info.value.column == key, message
    assert snapshot(tmp_datasets) == before


def _statline(tmp_path: Path, edit) -> Path:
    lines = STATLINE.read_bytes().decode("utf-8-sig").split("\r\n")
    edit(lines)
    path = tmp_path / STATLINE.name
    path.write_text("\ufeff" + "\r\n".join(lines), encoding="utf-8")
    return path


def _bad_number(lines: list[str]) -> None:
    cells = lines[4].split(";")
    cells[3] = '"veel"'
    lines[4] = ";".join(cells)


def _unknown_column(lines: list[str]) -> None:
    lines[0] = lines[0].replace('"Ontvangen meldingen (aantal)"', '"Ontvangen zorgmeldingen (aantal)"')


def _hidden_count_of_a_year(lines: list[str]) -> None:
    lines[5] = lines[5].replace('"Totaal";"Almelo";"2023 1e halfjaar"', '"Totaal";"Almelo";"2023 3e kwartaal"')


@pytest.mark.parametrize(("edit", "row", "column", "phrase"), [
    (_bad_number, 5, "Gestarte adviezen (aantal)", "'veel' is geen getal"),
    (_unknown_column, 1, "Ontvangen zorgmeldingen (aantal)", "past bij geen meetwaarde van sources/cbs/84851NED.toml"),
    (_hidden_count_of_a_year, 6, "Perioden", "is geen halfjaar"),
], ids=["geen-getal", "onbekende-kolom", "kwartaal"])
def test_bad_statline_export_is_refused_naming_line_and_column(edit, row, column, phrase, tmp_path: Path,
                                                                tmp_datasets: Path):
    ingest_file(CBSODATA, tmp_datasets)
    before = snapshot(tmp_datasets)
    with pytest.raises(IngestError) as info:
        ingest_file(_statline(tmp_path, edit), tmp_datasets)
    assert (info.value.row, info.value.column) == (row, column), str(info.value)
    assert phrase in str(info.value) and info.value.file.endswith(STATLINE.name)
    assert snapshot(tmp_datasets) == before


# --- OData v4 Observations: measure codes only through MeasureCodes ----------------------------------------

OBSERVATIONS = DATA / "84851NED_Observations_uittreksel.json"


def _v4(tmp_path: Path, edit=None, codes_edit=None, name: str = OBSERVATIONS.name, keep_codes: bool = True) -> Path:
    folder = tmp_path / "v4"
    folder.mkdir(parents=True, exist_ok=True)
    stem = Path(name).stem
    for meta in DATA.glob(f"{OBSERVATIONS.stem}.*.json"):
        target = folder / meta.name.replace(OBSERVATIONS.stem, stem)
        document = _feed(meta)
        if meta.name.endswith(".MeasureCodes.json"):
            if not keep_codes:
                continue
            if codes_edit:
                codes_edit(document["value"])
        target.write_text(json.dumps(document), encoding="utf-8")
    document = _feed(OBSERVATIONS)
    if edit:
        edit(document)
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_v4_observations_give_exactly_the_rows_of_the_csv_downloads(tmp_path: Path):
    assert detect_format(OBSERVATIONS) is odatajson.FORMAT
    records = _feed(OBSERVATIONS)["value"]
    assert {"Id", "Measure", "ValueAttribute", "Value", "StringValue", "RegioS", "Perioden"} <= set(records[0])
    report = ingest_file(OBSERVATIONS, tmp_path / "v4")
    assert report.format_name == "CBS open data (OData v4-observaties, Veilig Thuis)"
    assert any("M000003 (Casussen met ontvangen melding" in note for note in report.notes)
    frame = store.read_frame("vt_reports", tmp_path / "v4")[VT_COLUMNS]
    frame = frame.sort_values(VT_COLUMNS[:5]).reset_index(drop=True)
    pd.testing.assert_frame_equal(frame, _vt(CBSODATA, tmp_path / "cbsodata"))


def _value(index: int, value):
    def edit(document):
        document["value"][index]["Value"] = value
    return edit


def _unit(code: str, unit: str):
    def edit(values):
        next(v for v in values if v["Identifier"] == code)["Unit"] = unit
    return edit


def _drop_code(values):
    values[:] = [v for v in values if v["Identifier"] != "M000002"]


def _next_page(document):
    document["@odata.nextLink"] = "https://datasets.cbs.nl/odata/v1/CBS/84851NED/Observations?$skip=10000"


@pytest.mark.parametrize(("kwargs", "file", "record", "key", "phrase"), [
    (dict(keep_codes=False), "84851NED_Observations_uittreksel.json", "record 0 (value[0])", "Measure",
     "zet de MeasureCodes van de tabel naast het bestand"),
    (dict(codes_edit=_drop_code), "84851NED_Observations_uittreksel.json", "record 1 (value[1])", "Measure",
     "meting 'M000002' staat niet in de MeasureCodes"),
    (dict(codes_edit=_unit("M000006", "aantal")), "84851NED_Observations_uittreksel.MeasureCodes.json",
     "record 5 (value[5])", "Identifier", "'M000001' en 'M000006' zijn volgens hun titel en eenheid allebei"),
    (dict(codes_edit=_unit("M000001", "procent")), "84851NED_Observations_uittreksel.json", "record 0 (value[0])",
     "Measure", "past bij geen (of meer dan één) meetwaarde"),
    (dict(edit=_value(14, "veel")), "84851NED_Observations_uittreksel.json", "record 14 (value[14])", "Value",
     "'veel' is geen getal"),
    (dict(edit=_value(11, -5)), "84851NED_Observations_uittreksel.json", "record 11 (value[11])", "Value",
     "negatief aantal -5"),
    (dict(edit=_value(13, 12.5)), "84851NED_Observations_uittreksel.json", "record 13 (value[13])", "Value",
     "'12.5' is geen geheel aantal"),
    (dict(edit=_next_page), "84851NED_Observations_uittreksel.json", None, "@odata.nextLink",
     "één pagina van een langer antwoord"),
], ids=["zonder-measurecodes", "onbekende-code", "twee-codes-een-meetwaarde", "onbekende-eenheid", "geen-getal",
        "negatief", "geen-geheel-aantal", "nextlink"])
def test_bad_v4_observations_are_refused_naming_record_and_key(kwargs, file, record, key, phrase, tmp_path: Path,
                                                                tmp_datasets: Path):
    ingest_file(CBSODATA, tmp_datasets)
    before = snapshot(tmp_datasets)
    with pytest.raises(IngestError) as info:
        ingest_file(_v4(tmp_path, **kwargs), tmp_datasets)
    message = str(info.value)
    assert message.startswith(f"Fout in bestand {file}") and phrase in message, message
    if record is not None:
        assert f", {record}, sleutel '{key}'" in message, message
    assert info.value.column == key
    assert snapshot(tmp_datasets) == before
