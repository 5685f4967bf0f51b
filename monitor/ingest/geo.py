"""Boundaries: a GeoJSON FeatureCollection of gemeenten (PDOK / CBS Gebiedsindelingen).

Recognised by the extension ``.geojson``, or ``.json`` with "FeatureCollection" in the file.
Each feature carries the CBS code in ``properties.statcode`` (``GM0153``) and the name in
``statnaam``; coordinates are longitude/latitude (WGS84 / CRS84), as PDOK publishes them.
Every feature whose code is a region of the monitor becomes one row of ``region_shapes``:
the geometry object as compact JSON, coordinates rounded to ``PRECISION`` decimals (about a
metre; the generalised boundaries are far coarser than that). Features of other regions are
skipped and counted in the report. The region name is the monitor's own (``Hengelo``, not
the file's ``Hengelo (O.)``).

Errors name the line in the file where the offending feature starts and the property.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd

from monitor.domain import regions as regions_mod
from monitor.data import store
from monitor.data.contract import SCHEMAS
from monitor.data.errors import IngestError
from monitor.ingest.base import COLUMN, ROW, Batch, Context
from monitor.ingest.common import read_text, source_row

NAME = "Gemeentegrenzen (GeoJSON, PDOK / CBS Gebiedsindelingen)"
PRECISION = 5
PUBLISHER = "PDOK / CBS"
URL = "https://www.pdok.nl/introductie/-/article/cbs-gebiedsindelingen"
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
_LONLAT_CRS = ("CRS84", "4326")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


class GeoJSONFormat:
    name = NAME

    def sniff(self, path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        return suffix == ".geojson" or (suffix == ".json" and b'"FeatureCollection"' in head)

    def parse(self, path: Path, ctx: Context) -> Batch:
        return parse_file(path, ctx)


FORMAT_GEOJSON = FORMAT = GeoJSONFormat()


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _feature_lines(text: str, count: int) -> list[int | None]:
    """The line on which each element of the top-level "features" array starts.

    Found by decoding the array element by element from its opening bracket; when the file
    is written in a way this does not follow, every line is None (messages then name no row).
    """
    unknown: list[int | None] = [None] * count
    match = re.search(r'"features"\s*:\s*\[', text)
    if not match:
        return unknown
    decoder = json.JSONDecoder()
    position = match.end()
    lines: list[int | None] = []
    length = len(text)
    while True:
        while position < length and text[position] in " \t\r\n,":
            position += 1
        if position >= length:
            return unknown
        if text[position] == "]":
            break
        try:
            _value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return unknown
        lines.append(_line(text, position))
        position = end
    return lines if len(lines) == count else unknown


def _round(coordinates):
    if isinstance(coordinates, list):
        return [_round(item) for item in coordinates]
    return round(coordinates, PRECISION)


def _check_coordinates(coordinates, where: dict, depth: int) -> None:
    """Nested lists down to [lon, lat] positions, every number a plausible longitude/latitude."""
    if depth == 0:
        if (not isinstance(coordinates, list) or len(coordinates) < 2
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coordinates)):
            raise IngestError(f"een coördinaat moet een paar getallen [lengte, breedte] zijn, niet "
                              f"{json.dumps(coordinates)[:60]}", **where)
        lon, lat = coordinates[0], coordinates[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise IngestError(f"coördinaat [{lon}, {lat}] is geen lengte-/breedtegraad (WGS84). Exporteer de "
                              "grenzen in EPSG:4326/CRS84, niet in Rijksdriehoekscoördinaten (EPSG:28992)",
                              **where)
        return
    if not isinstance(coordinates, list) or not coordinates:
        raise IngestError("'coordinates' is leeg of geen lijst", **where)
    for item in coordinates:
        _check_coordinates(item, where, depth - 1)


def _geometry(feature: dict, where: dict) -> str:
    geometry = feature.get("geometry")
    where = {**where, "column": "geometry"}
    if not isinstance(geometry, dict):
        raise IngestError("feature zonder geometrie ('geometry' ontbreekt of is leeg)", **where)
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        raise IngestError(f"geometrie van type '{kind}' wordt niet ondersteund (verwacht: "
                          f"{' of '.join(GEOMETRY_TYPES)})", **where)
    coordinates = geometry.get("coordinates")
    _check_coordinates(coordinates, where, 2 if kind == "Polygon" else 3)
    return json.dumps({"type": kind, "coordinates": _round(coordinates)}, separators=(",", ":"))


def _year(data: dict, features: list, path: Path) -> int | None:
    for feature in features:
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = props.get("jrstatcode") if isinstance(props, dict) else None
        if isinstance(code, str) and _YEAR.match(code):
            return int(code[:4])
    for text in (str(data.get("name") or ""), path.name):
        match = _YEAR.search(text)
        if match:
            return int(match.group(1))
    return None


def parse_file(path: Path, ctx: Context) -> Batch:
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"geen geldige JSON (teken {exc.colno} op deze regel; technische melding: "
                          f"'{exc.msg}'). Controleer aanhalingstekens, komma's en haken.",
                          file=path, row=exc.lineno) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        match = re.search(r'"type"\s*:', text)
        raise IngestError(f"geen GeoJSON FeatureCollection (type is '{found}'): verwacht een bestand met "
                          "\"type\": \"FeatureCollection\" en een lijst 'features'",
                          file=path, row=_line(text, match.start()) if match else 1, column="type")
    crs = json.dumps(data.get("crs") or "")
    if data.get("crs") and not any(mark in crs for mark in _LONLAT_CRS):
        raise IngestError(f"coördinatenstelsel {crs} wordt niet ondersteund: verwacht lengte-/breedtegraden "
                          "(CRS84 of EPSG:4326)", file=path, row=_line(text, text.find('"crs"')), column="crs")
    features = data.get("features")
    if not isinstance(features, list):
        raise IngestError("de FeatureCollection heeft geen lijst 'features'", file=path, column="features")

    lines = _feature_lines(text, len(features))
    known = set(regions_mod.KNOWN_CODES) | set(store.read_frame("regions", ctx.dataset_dir)["region_code"])
    names = dict(regions_mod.TWENTE_GEMEENTEN)
    names.update({code: name for code, name, _level, _parent in regions_mod.REGION_ROWS})
    year = _year(data, features, path)
    source = source_row(
        ctx,
        source_id=f"pdok-gemeentegrenzen-{year}" if year else None,
        publisher=PUBLISHER,
        title=(f"Gebiedsindelingen: gemeentegrenzen {year}" if year else "Gebiedsindelingen: gemeentegrenzen")
        + (" (gegeneraliseerd)" if "gegeneraliseerd" in f"{data.get('name')} {path.name}".lower() else ""),
        licence="CC BY 4.0",
        peildatum=date(year, 1, 1) if year else None,
        url=URL,
    )
    if not source.get("source_id"):
        raise IngestError("het jaar van de grenzen is onbekend (geen 'jrstatcode' en geen jaartal in de "
                          "bestandsnaam); geef --source-id en --peildatum op", file=path)
    source_id = source["source_id"]

    rows: list[dict] = []
    skipped: list[str] = []
    for number, feature in enumerate(features, start=1):
        where = {"file": path, "row": lines[number - 1]}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise IngestError(f"element {number} van 'features' is geen GeoJSON Feature", **where, column="type")
        props = feature.get("properties")
        code = props.get("statcode") if isinstance(props, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise IngestError(f"feature {number} heeft geen 'statcode' (de CBS-code van het gebied, "
                              "bijv. GM0153) in 'properties'", **where, column="statcode")
        code = code.strip()
        if code not in known:
            skipped.append(code)
            continue
        statnaam = props.get("statnaam")
        name = names.get(code) or (statnaam.strip() if isinstance(statnaam, str) and statnaam.strip() else code)
        rows.append({"region_code": code, "name": name, "geometry": _geometry(feature, where),
                     "source_id": source_id, ROW: where["row"], COLUMN: None})
    if not rows:
        raise IngestError(f"geen enkel gebied van de monitor in dit bestand ({len(features)} features, "
                          "verwacht bijvoorbeeld statcode GM0153)", file=path, column="statcode")

    frame = pd.DataFrame(rows, columns=list(SCHEMAS["region_shapes"].names) + [ROW, COLUMN])
    frame[ROW] = frame[ROW].astype("Int64")
    frame[COLUMN] = frame[COLUMN].astype(object)
    notes = [f"{len(rows)} gebieden ingelezen, coördinaten afgerond op {PRECISION} decimalen."]
    if skipped:
        notes.append(f"{len(skipped)} gebieden overgeslagen die niet in de monitor staan.")
    source["note"] = source.get("note") or (
        f"Grenzen van {len(rows)} gebieden (statcode → region_code); lengte-/breedtegraden (WGS84), "
        f"afgerond op {PRECISION} decimalen.")
    return Batch(source=source, frames={"region_shapes": frame}, notes=notes)
