"""The indicator template that staff keep by hand (CSV from Dutch Excel, or .xlsx).

A blank copy with one example row is ``sources/sjabloon-indicatoren.csv``. One row per figure::

    indicator_id;region;period;subgroup;value;ci_low;ci_high;status
    moeite_met_rondkomen;Almelo;2024;totaal;19,5;;;

Columns (header names are case-insensitive; extra columns are ignored with a note):

- ``indicator_id`` (required): an indicator of the catalogue ``sources/indicatoren.toml`` or one
  already in the datasets.
- ``region`` (required): a code (``GM0153``, ``GG_TWENTE``, ``PV_OVERIJSSEL``, ``NL01``) or a
  name as sources write it (``Enschede``, ``Hengelo (O.)``, ``GGD Twente``, ``Nederland``).
- ``period`` (required): ``2024``, ``2024H1``, ``2025Q3``, ``2024M06`` (or the CBS forms
  ``2024JJ00``, ``2025KW03``…).
- ``subgroup`` (optional): empty means ``totaal``.
- ``value`` (required, never empty: a hand-kept template must say what it means), ``ci_low``
  and ``ci_high`` (optional): Dutch numbers (``19,5``, ``1.234,5``) or, in .xlsx, number cells.
- ``status`` (optional): ``definitief`` (default) or ``voorlopig``.

CSV is read as Dutch Excel saves it: ``;``-separated (a ``,``-separated file is accepted when its
header uses commas), decimal comma, UTF-8 with or without BOM. Excel's plain "CSV" is Windows-1252:
save as "CSV UTF-8". For .xlsx the first sheet is read; row 1 is the header.

The source row: ``handmatig-<file name>`` unless ``--source-id`` is given, publisher "Twentse
Koers (handmatig bijgehouden)", title the file name, licence "intern", peildatum the end of the
latest period in the file unless ``--peildatum`` is given.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from monitor.domain import regions as regions_mod
from monitor.data import store
from monitor.data.catalogue import CATALOGUE_PATH, load_catalogue
from monitor.data.contract import OBSERVATION_STATUSES
from monitor.data.errors import IngestError
from monitor.ingest.base import ROW, Batch, Context
from monitor.ingest.common import NumberTooLarge, parse_number, read_text, shorten, source_row
from monitor.ingest.csvrows import read_rows
from monitor.domain.periods import PeriodError, normalise_period, period_end

REQUIRED = ("indicator_id", "region", "period", "value")
OPTIONAL = ("subgroup", "ci_low", "ci_high", "status")
PUBLISHER = "Twentse Koers (handmatig bijgehouden)"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "bestand"


def _header_cells(head: bytes) -> tuple[list[str], str]:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    sep = ";" if ";" in first else ","
    return [cell.strip().strip('"').strip().lower() for cell in first.split(sep)], sep


class TemplateCsvFormat:
    name = "Invulsjabloon indicatoren (CSV)"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".csv", ".txt"):
            return False
        cells, _sep = _header_cells(head)
        # indicator_id plus one other template column: a header with a missing or misspelt
        # column still counts as the template, so the user hears which column is missing.
        return "indicator_id" in cells and any(c in cells for c in ("region", "period", "value"))

    def parse(self, path: Path, ctx: Context) -> Batch:
        text = read_text(path)
        first = text.lstrip("\ufeff").splitlines()[0]
        sep = ";" if ";" in first else ","
        header, rows = read_rows(path, text, sep)
        records = []
        for row in rows.itertuples(index=False, name=None):
            records.append((int(row[-1]), dict(zip(header, row[:-1]))))
        return _build(path, ctx, header, records)


class TemplateXlsxFormat:
    name = "Invulsjabloon indicatoren (Excel .xlsx)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".xlsx" and head[:2] == b"PK"

    def parse(self, path: Path, ctx: Context) -> Batch:
        try:
            frame = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
            raise IngestError("het Excel-bestand is beschadigd of geen geldig .xlsx-bestand "
                              f"({type(exc).__name__}); sla het opnieuw op in Excel", file=path) from None
        if frame.empty:
            raise IngestError("het eerste werkblad is leeg", file=path)
        header = ["" if _blank(cell) else str(cell).strip() for cell in frame.iloc[0].tolist()]
        records = []
        for index in range(1, len(frame)):
            cells = frame.iloc[index].tolist()
            if all(_blank(cell) for cell in cells):
                continue
            records.append((index + 1, dict(zip(header, cells))))  # Excel row number
        return _build(path, ctx, header, records)


def _blank(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and cell != cell:
        return True
    return isinstance(cell, str) and not cell.strip()


def _text(cell: object) -> str:
    if _blank(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _header_names(path: Path, header: list[str]) -> dict[str, str]:
    """Lower-case template name → the header as written in the file; every required column there."""
    names = {}
    for name in header:
        if name:
            names.setdefault(name.strip().lower(), name)
    for required in REQUIRED:
        if required not in names:
            raise IngestError(f"kolom '{required}' ontbreekt in de kopregel (verplicht: "
                              f"{', '.join(REQUIRED)}; optioneel: {', '.join(OPTIONAL)})",
                              file=path, row=1, column=required)
    return names


def _numbers(values: dict, cell, fail) -> dict:
    numbers = {}
    for column in ("value", "ci_low", "ci_high"):
        raw = cell(values, column)
        try:
            numbers[column] = parse_number(raw, decimal=",") if not _blank(raw) else None
        except NumberTooLarge as exc:
            raise fail(str(exc), column) from None
        except ValueError:
            raise fail(f"'{shorten(_text(raw))}' is geen getal", column) from None
    if numbers["value"] is None:
        shown = _text(cell(values, "value"))  # CBS's '.', 'x', '-' read as missing
        detail = f" ('{shown}' is geen getal)" if shown else ""
        raise fail(f"waarde ontbreekt{detail}: vul een getal in (een handmatig sjabloon moet expliciet zijn; "
                   "laat de rij weg als er geen cijfer is)", "value")
    return numbers


def _observation(values: dict, cell, fail, known_regions: set[str]) -> dict:
    """One template row as an observation (without its indicator check and row number)."""
    raw_region = _text(cell(values, "region"))
    region = _region(raw_region, known_regions)
    if region is None:
        raise fail(f"onbekende regio '{shorten(raw_region)}' (gebruik een code zoals GM0153, GG_TWENTE, "
                   "PV_OVERIJSSEL, NL01 of een gemeentenaam)" if raw_region else "regio ontbreekt", "region")
    raw_period = cell(values, "period")
    try:
        period = normalise_period(None if _blank(raw_period) else raw_period)
    except PeriodError as exc:
        raise fail(f"{exc} (gebruik bijvoorbeeld 2024, 2024H1, 2025Q3 of 2024M06)", "period") from None
    subgroup = _text(cell(values, "subgroup")) or "totaal"
    if subgroup.lower() == "totaal":
        subgroup = "totaal"
    numbers = _numbers(values, cell, fail)
    status = _text(cell(values, "status")).lower() or "definitief"
    if status not in OBSERVATION_STATUSES:
        raise fail(f"onbekende status '{shorten(status)}' (toegestaan: {', '.join(OBSERVATION_STATUSES)})", "status")
    return {"region_code": region, "period": period, "subgroup": subgroup, "value": numbers["value"],
            "ci_low": numbers["ci_low"], "ci_high": numbers["ci_high"], "status": status, "is_sample": False}


def _build(path: Path, ctx: Context, header: list[str], records: list[tuple[int, dict]]) -> Batch:
    names = _header_names(path, header)
    extra = [names[n] for n in names if n not in REQUIRED + OPTIONAL]
    if not records:
        raise IngestError("het sjabloon bevat geen gegevensrijen onder de kopregel", file=path)

    catalogue = load_catalogue() if CATALOGUE_PATH.exists() else None
    in_dataset = set(store.read_frame("indicators", ctx.dataset_dir)["indicator_id"])
    known_regions = set(regions_mod.KNOWN_CODES) | set(store.read_frame("regions", ctx.dataset_dir)["region_code"])

    def cell(values: dict, name: str) -> object:
        return values.get(names[name]) if name in names else None

    observations = []
    from_catalogue: dict[str, dict] = {}
    for line, values in records:
        def fail(message: str, column: str, line=line) -> IngestError:
            return IngestError(message, file=path, row=line, column=names.get(column, column))

        indicator_id = _text(cell(values, "indicator_id"))
        if not indicator_id:
            raise fail("indicator_id ontbreekt", "indicator_id")
        if indicator_id not in in_dataset:
            if catalogue is not None and indicator_id in catalogue.indicators:
                from_catalogue[indicator_id] = catalogue.indicators[indicator_id].row()
            else:
                raise fail(f"onbekende indicator '{shorten(indicator_id)}': niet in de datasets en niet in de "
                           "indicatorcatalogus sources/indicatoren.toml", "indicator_id")
        observations.append({"indicator_id": indicator_id, **_observation(values, cell, fail, known_regions),
                             ROW: line})

    latest = max((obs["period"] for obs in observations), key=period_end)
    source = source_row(ctx, source_id=f"handmatig-{_slug(path.stem)}", publisher=PUBLISHER,
                        title=path.stem, table_id=None, licence="intern", peildatum=period_end(latest))
    frame = pd.DataFrame(observations)
    frame["source_id"] = source["source_id"]
    frames = {"observations": frame}
    if from_catalogue:
        frames["indicators"] = pd.DataFrame(list(from_catalogue.values()))
    notes = [f"{len(frame)} waarneming(en) uit het sjabloon."]
    if extra:
        notes.append(f"Kolom(men) genegeerd: {', '.join(extra)}.")
    return Batch(source=source, frames=frames, notes=notes)


def _region(raw: str, known: set[str]) -> str | None:
    if not raw:
        return None
    if raw.upper() in known:
        return raw.upper()
    code = regions_mod.code_for_name(raw)
    return code if code in known else None


FORMAT_CSV = TemplateCsvFormat()
FORMAT_XLSX = TemplateXlsxFormat()
