"""Gemeente boundaries: the GeoJSON importer (monitor/ingest/geo.py) and the region_shapes table."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from monitor.data import store
from monitor.data.errors import IngestError
from monitor.ingest import detect_format, ingest_file
from monitor.ingest.geo import FORMAT_GEOJSON, PRECISION
from monitor.domain.regions import TWENTE_GEMEENTEN
from tests.helpers import snapshot

REPO = Path(__file__).resolve().parents[2]
TWENTE_FILE = Path("data") / "geo" / "twente_gemeenten_2024.geojson"
NATIONAL_FILE = Path("data") / "geo" / "gemeenten_2024.geojson"


def _square(lon: float, lat: float) -> dict:
    ring = [[lon, lat], [lon + 0.0123456789, lat], [lon + 0.0123456789, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(code: str | None, name: str, geometry: dict | None) -> dict:
    props = {"jrstatcode": f"2024{code}", "statnaam": name} if code else {"statnaam": name}
    if code:
        props["statcode"] = code
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _write(path: Path, features: list[dict], **extra) -> Path:
    """A FeatureCollection written one feature per line, so that feature k starts on line k + 2."""
    head = {"type": "FeatureCollection", "name": "gemeente_gegeneraliseerd (test)", **extra}
    lines = [json.dumps(head)[:-1] + ', "features": [']
    lines += [json.dumps(f) + ("," if i < len(features) - 1 else "") for i, f in enumerate(features)]
    lines.append("]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return _write(tmp_path / "gemeenten_2024.geojson", [
        _feature("GM0153", "Enschede", _square(6.85, 52.2)),
        _feature("GM0363", "Amsterdam", _square(4.9, 52.37)),
        _feature("GM0164", "Hengelo (O.)", {"type": "MultiPolygon", "coordinates": [_square(6.78, 52.26)["coordinates"]]}),
    ])


@pytest.fixture
def imported(small: Path, tmp_datasets: Path) -> Path:
    ingest_file(small, tmp_datasets, retrieved=date(2026, 11, 22))
    return tmp_datasets


# --- recognising the file ------------------------------------------------------------------------

def test_geojson_is_recognised_and_other_json_is_not(small: Path, tmp_path: Path):
    assert detect_format(small) is FORMAT_GEOJSON
    as_json = tmp_path / "grenzen.json"
    as_json.write_bytes(small.read_bytes())
    assert detect_format(as_json) is FORMAT_GEOJSON
    assert not FORMAT_GEOJSON.sniff(REPO / "tests" / "data" / "bad" / "onbekend-formaat.json",
                                    (REPO / "tests" / "data" / "bad" / "onbekend-formaat.json").read_bytes())
    assert not FORMAT_GEOJSON.sniff(Path("x.csv"), b'{"type": "FeatureCollection"}')


# --- a small handmade file -------------------------------------------------------------------------

def test_known_regions_are_kept_and_others_skipped(small: Path, tmp_datasets: Path):
    report = ingest_file(small, tmp_datasets, retrieved=date(2026, 11, 22))
    shapes = store.read_frame("region_shapes", tmp_datasets)
    assert shapes["region_code"].tolist() == ["GM0153", "GM0164"]
    # The monitor's name, not the file's "Hengelo (O.)".
    assert shapes["name"].tolist() == ["Enschede", "Hengelo"]
    assert set(shapes["source_id"]) == {"pdok-gemeentegrenzen-2024"}
    assert report.rows == {"region_shapes": 2}
    assert any("1 gebieden overgeslagen" in note for note in report.notes)


def test_geometry_is_compact_json_rounded_lon_lat(imported: Path):
    shapes = store.read_frame("region_shapes", imported).set_index("region_code")
    text = shapes.loc["GM0153", "geometry"]
    assert " " not in text
    geometry = json.loads(text)
    assert geometry["type"] == "Polygon"
    ring = geometry["coordinates"][0]
    assert ring[1] == [round(6.85 + 0.0123456789, PRECISION), 52.2]
    assert all(len(repr(c).split(".")[-1]) <= PRECISION for point in ring for c in point)
    assert json.loads(shapes.loc["GM0164", "geometry"])["type"] == "MultiPolygon"


def test_source_row(imported: Path):
    source = store.read_frame("sources", imported).set_index("source_id").loc["pdok-gemeentegrenzen-2024"]
    assert source["publisher"] == "PDOK / CBS"
    assert source["title"] == "Gebiedsindelingen: gemeentegrenzen 2024 (gegeneraliseerd)"
    assert source["licence"] == "CC BY 4.0"
    assert source["peildatum"] == date(2024, 1, 1)
    assert source["retrieved"] == date(2026, 11, 22)
    assert source["url"] == "https://www.pdok.nl/introductie/-/article/cbs-gebiedsindelingen"
    assert len(source["checksum"]) == 64


def test_same_file_twice_changes_nothing(small: Path, imported: Path):
    before = snapshot(imported)
    assert not ingest_file(small, imported).changed
    assert snapshot(imported) == before


# --- bad input ---------------------------------------------------------------------------------------

def _bad_cases(tmp: Path) -> list[tuple[Path, int | None, str | None, str]]:
    not_collection = tmp / "feature.geojson"
    not_collection.write_text('{\n  "type": "Feature",\n  "properties": {"statcode": "GM0153"},\n'
                              '  "geometry": null\n}\n', encoding="utf-8")
    invalid = tmp / "kapot.geojson"
    invalid.write_text('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",, }\n]}\n',
                       encoding="utf-8")
    no_statcode = _write(tmp / "zonder-statcode_2024.geojson", [
        _feature("GM0153", "Enschede", _square(6.85, 52.2)),
        _feature(None, "Borne", _square(6.75, 52.3)),
    ])
    rd = _write(tmp / "rd_2024.geojson", [
        _feature("GM0153", "Enschede", {"type": "Polygon", "coordinates": [[[256000, 471000], [257000, 471000],
                                                                             [257000, 472000], [256000, 471000]]]}),
    ])
    point = _write(tmp / "punt_2024.geojson", [_feature("GM0153", "Enschede", {"type": "Point", "coordinates": [6.9, 52.2]})])
    nothing_known = _write(tmp / "elders_2024.geojson", [_feature("GM0363", "Amsterdam", _square(4.9, 52.37))])
    other_crs = _write(tmp / "crs_2024.geojson", [_feature("GM0153", "Enschede", _square(6.85, 52.2))],
                       crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}})
    return [
        (not_collection, 2, "type", "geen GeoJSON FeatureCollection (type is 'Feature')"),
        (invalid, 3, None, "geen geldige JSON"),
        (no_statcode, 3, "statcode", "feature 2 heeft geen 'statcode'"),
        (rd, 2, "geometry", "geen lengte-/breedtegraad"),
        (point, 2, "geometry", "type 'Point' wordt niet ondersteund"),
        (nothing_known, None, "statcode", "geen enkel gebied van de monitor"),
        (other_crs, 1, "crs", "coördinatenstelsel"),
    ]


@pytest.mark.parametrize("index", range(7))
def test_bad_geojson_is_refused_and_changes_nothing(index: int, imported: Path, tmp_path: Path):
    path, row, column, phrase = _bad_cases(tmp_path)[index]
    before = snapshot(imported)
    with pytest.raises(IngestError) as info:
        ingest_file(path, imported)
    err = info.value
    assert phrase in err.message
    assert path.name in str(err)
    assert err.row == row
    if row is not None:
        assert f"rij {row}" in str(err)
    assert err.column == column
    assert snapshot(imported) == before
    assert not list(imported.glob(f"{store.TMP_PREFIX}*"))


# --- the real file ------------------------------------------------------------------------------------

def test_real_twente_boundaries(shared_dir: Path, tmp_datasets: Path):
    report = ingest_file(shared_dir / TWENTE_FILE, tmp_datasets, retrieved=date(2026, 11, 22))
    shapes = store.read_frame("region_shapes", tmp_datasets)
    assert sorted(shapes["region_code"]) == sorted(TWENTE_GEMEENTEN)
    assert dict(zip(shapes["region_code"], shapes["name"])) == TWENTE_GEMEENTEN
    for text in shapes["geometry"]:
        geometry = json.loads(text)
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        lon, lat = geometry["coordinates"][0][0][0]
        assert 6.2 < lon < 7.2 and 52.0 < lat < 52.6  # Twente, in lon/lat
    assert report.rows == {"region_shapes": 14}
    assert (tmp_datasets / "region_shapes.parquet").stat().st_size < 200_000


def test_national_file_keeps_only_the_monitor_regions(shared_dir: Path, tmp_datasets: Path):
    report = ingest_file(shared_dir / NATIONAL_FILE, tmp_datasets, retrieved=date(2026, 11, 22))
    assert len(store.read_frame("region_shapes", tmp_datasets)) == 14
    assert any("328 gebieden overgeslagen" in note for note in report.notes)
