"""CBS open data bulk CSV in the "TypedDataSet" shape.

This is what the CBS OData service (``https://opendata.cbs.nl/ODataApi/OData/<table>/TypedDataSet``)
and the bulk download give: one row per combination of dimension codes, one column per
measure. The file is ``;``-separated, the first line is the header, values may be quoted::

    ID;Leeftijd;Marges;RegioS;Perioden;Overgewicht_59;ZwareDrinker_72
    0;20300;MW00000;GM0153    ;2020JJ00;51.3;8.1
    1;20300;MOG0095;GM0153    ;2020JJ00;49.9;
    2;20300;MBG0095;GM0153    ;2020JJ00;52.7;

Columns:

- ``ID``: CBS's row number; ignored.
- ``RegioS``: region code, padded with spaces in CBS files (``GM0153    ``, ``NL01  ``).
  Gemeente codes are taken as they are; ``NL01`` is Nederland, ``PV23`` Overijssel and the
  GGD-region code of Twente is mapped by ``monitor.regions.code_for_name``. Rows for regions
  the monitor does not carry (other gemeenten, other provinces) are skipped and counted in a
  note.
- ``Perioden``: ``2024JJ00`` (year), ``2024HJ01`` (half year), ``2025KW03`` (quarter),
  ``2024MM06`` (month); see ``monitor.periods``.
- ``Marges`` (optional): ``MW00000`` is the value, ``MOG0095`` the lower and ``MBG0095`` the
  upper bound of the 95% interval. Without it every row is a value.
- ``Leeftijd`` (optional): the age group, mapped to the monitor's subgroup codes by
  ``LEEFTIJD`` below. Without it the subgroup is ``totaal``.
- Every other column is a measure. CBS keys carry a numeric suffix (``Overgewicht_59``); it is
  stripped and the rest is looked up in the indicator catalogue (``sources/indicatoren.toml``,
  key ``cbs``). A measure the catalogue does not know is an error: add the key there.

Values use a decimal point (the OData types are Edm.Double/Int32, the bulk CSV writes them
as such). An empty cell (or CBS's ``.``) means "not published" (too few respondents, or not
asked in that edition); it stays missing and is never read as 0. An observation without a
value is left out; a value without one of its interval bounds is kept with that bound
missing. The note of the import counts both.

Status: CBS marks provisional figures in the metadata of the ``Perioden`` dimension
(its Status field, e.g. "Voorlopig"), not in the period code, and the metadata is not part of
this file. Every observation is therefore imported as ``definitief``; re-import the table
when CBS publishes the final figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from monitor import regions as regions_mod
from monitor import store
from monitor.catalogue import CATALOGUE_PATH, load_catalogue
from monitor.errors import IngestError
from monitor.ingest.base import COLUMN, ROW, Batch, Context
from monitor.ingest.common import (
    parse_number,
    period_end,
    read_text,
    source_row,
    table_id_from_name,
)
from monitor.ingest.csvrows import read_rows
from monitor.periods import PeriodError, normalise_period

# Marges codes (CBS, same in every table that has a Marges dimension).
MARGES: dict[str, str] = {
    "MW00000": "value",    # Waarde
    "MOG0095": "ci_low",   # Ondergrens 95%-interval
    "MBG0095": "ci_high",  # Bovengrens 95%-interval
}

# Leeftijd codes (CBS/RIVM health tables such as 50052NED, 50120NED, 85012NED) → subgroup.
# The Gezondheidsmonitor's total is "18 jaar of ouder" (20300); some tables label it
# "Totaal leeftijd" (10000). Add a code here when a new table uses another age group.
LEEFTIJD: dict[str, str] = {
    "10000": "totaal",  # Totaal leeftijd
    "20300": "totaal",  # 18 jaar of ouder
    "53115": "18-64",   # 18 tot 65 jaar
    "80200": "65+",     # 65 jaar of ouder
}

KNOWN_DIMENSIONS = ("ID", "RegioS", "Perioden", "Marges", "Leeftijd")
SUFFIX = re.compile(r"_\d+$")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "bestand"


def _first_line(head: bytes) -> str:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    return text.splitlines()[0] if text else ""


class OpenDataFormat:
    name = "CBS open data (TypedDataSet, ;-gescheiden)"

    def sniff(self, path: Path, head: bytes) -> bool:
        line = _first_line(head)
        if not (line.startswith("ID;") or line.startswith('"ID";')):
            return False
        cells = {cell.strip().strip('"').strip() for cell in line.split(";")}
        return "RegioS" in cells and "Perioden" in cells

    def parse(self, path: Path, ctx: Context) -> Batch:
        text = read_text(path)
        header, rows = read_rows(path, text, ";")
        columns = {name: index for index, name in enumerate(header)}
        for required in ("RegioS", "Perioden"):
            if required not in columns:
                raise IngestError(f"kolom '{required}' ontbreekt in de kopregel", file=path, row=1)
        if not CATALOGUE_PATH.exists():
            raise IngestError(f"de indicatorcatalogus {CATALOGUE_PATH.name} ontbreekt; zonder "
                              "catalogus zijn CBS-meetwaarden niet aan indicatoren te koppelen", file=path)
        catalogue = load_catalogue()

        measures: dict[int, tuple[str, str]] = {}  # column index → (header, indicator_id)
        for name, index in columns.items():
            if name in KNOWN_DIMENSIONS:
                continue
            key = SUFFIX.sub("", name)
            indicator = catalogue.for_cbs_key(key)
            if indicator is None:
                if not SUFFIX.search(name) and _looks_like_codes(rows[index]):
                    raise IngestError(
                        f"onbekende dimensie '{name}'; dit formaat kent de dimensies "
                        f"{', '.join(KNOWN_DIMENSIONS[1:])}", file=path, row=1, column=name)
                raise IngestError(
                    f"onbekende meetwaarde '{key}': deze CBS-kolom staat niet in de indicatorcatalogus. "
                    f"Voeg '{key}' toe aan de lijst 'cbs' van de juiste indicator in "
                    "sources/indicatoren.toml (of maak daar een nieuwe indicator aan).",
                    file=path, row=1, column=name)
            measures[index] = (name, indicator.indicator_id)
        if not measures:
            raise IngestError("het bestand heeft geen meetwaarde-kolommen naast de dimensies",
                              file=path, row=1)

        known = set(regions_mod.KNOWN_CODES) | set(store.read_frame("regions", ctx.dataset_dir)["region_code"])
        records: dict[tuple, dict] = {}
        seen: dict[tuple, int] = {}
        skipped_regions: dict[str, int] = {}
        empty_cells = 0
        for row in rows.itertuples(index=False, name=None):
            line = int(row[-1])  # read_rows puts the line number last
            cells = row[:-1]

            raw_region = cells[columns["RegioS"]].strip()
            region = _region_code(raw_region, known)
            if region is None:
                skipped_regions[raw_region] = skipped_regions.get(raw_region, 0) + 1
                continue

            raw_period = cells[columns["Perioden"]].strip()
            try:
                period = normalise_period(raw_period)
            except PeriodError as exc:
                raise IngestError(str(exc), file=path, row=line, column="Perioden") from None

            margin = "value"
            if "Marges" in columns:
                code = cells[columns["Marges"]].strip()
                if code not in MARGES:
                    raise IngestError(f"onbekende Marges-code '{code}' (bekend: {', '.join(MARGES)})",
                                      file=path, row=line, column="Marges")
                margin = MARGES[code]

            subgroup = "totaal"
            if "Leeftijd" in columns:
                code = cells[columns["Leeftijd"]].strip()
                if code not in LEEFTIJD:
                    raise IngestError(
                        f"onbekende Leeftijd-code '{code}' (bekend: {', '.join(LEEFTIJD)}); voeg de code "
                        "toe aan LEEFTIJD in monitor/ingest/opendata.py als deze leeftijdsgroep erbij hoort",
                        file=path, row=line, column="Leeftijd")
                subgroup = LEEFTIJD[code]

            for index, (name, indicator_id) in measures.items():
                raw = cells[index]
                try:
                    number = parse_number(raw, decimal=".")
                except ValueError:
                    raise IngestError(f"'{raw.strip()}' is geen getal (CBS open data gebruikt een punt "
                                      "als decimaalteken)", file=path, row=line, column=name) from None
                key = (indicator_id, region, period, subgroup)
                if (key, margin) in seen:
                    raise IngestError(
                        f"dubbele sleutel indicator_id={indicator_id}, regio={raw_region}, periode={raw_period}, "
                        f"subgroep={subgroup}, marge={margin} (ook in rij {seen[(key, margin)]})",
                        file=path, row=line, column=name)
                seen[(key, margin)] = line
                if number is None:
                    empty_cells += 1
                record = records.setdefault(key, {"value": None, "ci_low": None, "ci_high": None,
                                                  ROW: line, COLUMN: name, "_has_value": False})
                record[margin] = number
                if margin == "value":
                    record["_has_value"] = True
                    record[ROW] = line

        observations = []
        dropped = 0
        missing_bound = 0
        for (indicator_id, region, period, subgroup), record in records.items():
            if record["value"] is None:
                dropped += 1
                continue
            if record["ci_low"] is None or record["ci_high"] is None:
                missing_bound += "Marges" in columns
            observations.append({
                "indicator_id": indicator_id, "region_code": region, "period": period,
                "subgroup": subgroup, "value": record["value"], "ci_low": record["ci_low"],
                "ci_high": record["ci_high"], "status": "definitief", "is_sample": False,
                ROW: record[ROW], COLUMN: record[COLUMN],
            })
        if not observations:
            raise IngestError("het bestand bevat geen enkele gepubliceerde waarde voor de regio's van de "
                              "monitor (Twentse gemeenten, GGD-regio Twente, Overijssel, Nederland)", file=path)

        table_id = table_id_from_name(path)
        source_id = f"cbs-{table_id}" if table_id else f"cbs-opendata-{_slug(path.stem)}"
        latest = max((obs["period"] for obs in observations), key=period_end)
        source = source_row(
            ctx, source_id=source_id, publisher="CBS",
            title=f"CBS open data, tabel {table_id}" if table_id else f"CBS open data: {path.stem}",
            table_id=table_id, licence="CC BY 4.0", peildatum=period_end(latest),
            url=f"https://opendata.cbs.nl/ODataApi/OData/{table_id}/TypedDataSet" if table_id else None,
        )
        frame = pd.DataFrame(observations)
        frame["source_id"] = source["source_id"]
        used = sorted(frame["indicator_id"].unique())
        indicators = pd.DataFrame([catalogue.indicators[i].row() for i in used])

        notes = [f"CBS-tabel: {table_id or 'onbekend (geen tabelnummer in de bestandsnaam)'}",
                 f"{len(frame)} waarnemingen uit {len(measures)} meetwaarde-kolom(men)."]
        if empty_cells:
            notes.append(f"{empty_cells} lege cel(len): niet gepubliceerd door CBS, overgenomen als "
                         "ontbrekend (niet als 0).")
        if dropped:
            notes.append(f"{dropped} waarneming(en) zonder waarde weggelaten.")
        if missing_bound:
            notes.append(f"{missing_bound} waarneming(en) zonder (volledig) betrouwbaarheidsinterval.")
        if skipped_regions:
            total = sum(skipped_regions.values())
            sample = ", ".join(sorted(skipped_regions)[:5])
            more = ", …" if len(skipped_regions) > 5 else ""
            notes.append(f"{total} rij(en) overgeslagen voor {len(skipped_regions)} regio('s) buiten de "
                         f"monitor ({sample}{more}).")
        notes.append("Status 'definitief': CBS markeert voorlopige cijfers in de metadata van de "
                     "perioden, niet in dit bestand.")
        return Batch(source=source, frames={"observations": frame, "indicators": indicators}, notes=notes)


def _region_code(raw: str, known: set[str]) -> str | None:
    code = raw.strip().upper()
    if code in known:
        return code
    mapped = regions_mod.code_for_name(code)
    return mapped if mapped in known else None


def _looks_like_codes(values: pd.Series) -> bool:
    """True when a column holds codes rather than numbers (an unknown dimension)."""
    for value in values:
        text = str(value).strip()
        if not text or text == ".":
            continue
        try:
            parse_number(text, decimal=".")
        except ValueError:
            return True
        return False
    return False


FORMAT = OpenDataFormat()
