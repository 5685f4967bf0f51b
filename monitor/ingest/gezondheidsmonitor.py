"""CBS Gezondheidsmonitor Volwassenen en Ouderen, as CBS exports it per region.

The file is comma separated with a leftover unnamed index column, then ``ID``, ``Leeftijd``
(age group), ``Marges`` (the value and the bounds of its 95% interval, one row each),
``RegioS`` (region *names*), in the 2016 edition (83674NED) a ``Perioden`` column, and one
column per measure (``Overgewicht``, ``ErnstigOvergewichtObesitas`` …). Measure columns map
to indicator ids through the catalogue (sources/indicatoren.toml); the three ``Marges`` rows
of a region and age group become one observation with value, ci_low and ci_high.

Only the regions of the monitor (the 14 Twente gemeenten, the GGD region, Overijssel and
Nederland) are kept. A figure CBS did not publish (empty cell) stays missing, never 0; an
observation without a value is left out.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from monitor import regions
from monitor.catalogue import load_catalogue
from monitor.errors import IngestError
from monitor.ingest.base import COLUMN, ROW, Batch, Context
from monitor.ingest.common import period_end, read_text, source_row, table_id_from_name
from monitor.periods import PeriodError, normalise_period

# Editions this importer knows: table id → survey year.
EDITIONS: dict[str, str] = {"83674NED": "2016", "85012NED": "2020"}

DIMENSIONS = ("ID", "Leeftijd", "Marges", "RegioS")
REQUIRED = ("Leeftijd", "Marges", "RegioS")  # ID is CBS's row number; not needed
PERIOD_COLUMN = "Perioden"

SUBGROUPS: dict[str, str] = {
    "totaal": "totaal",
    "18 tot 65 jaar": "18-64",
    "19 tot 65 jaar": "19-64",
    "65 jaar of ouder": "65+",
}

MARGES: dict[str, str] = {
    "waarde": "value",
    "ondergrens 95%-interval": "ci_low",
    "bovengrens 95%-interval": "ci_high",
}

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_BASE_NAME = "CBS Gezondheidsmonitor volwassenen en ouderen"


def _header(head: bytes) -> list[str]:
    text = head.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text else ""
    return [cell.strip().strip('"').strip() for cell in first.split(",")]


class GezondheidsmonitorFormat:
    def __init__(self) -> None:
        self.name = _BASE_NAME

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".csv", ".txt", ""):
            return False
        cells = _header(head)
        # Lenient on purpose: a recognisable export that lacks a column must reach parse,
        # which names the missing column, rather than be reported as an unknown format.
        if len(cells) < 3 or len(set(DIMENSIONS) & set(cells)) < 2 or "Marges" not in cells:
            return False
        # The CBS export starts with an unnamed index column; without it, accept the file
        # only when its name carries the table id of a known edition.
        return cells[0] == "" or table_id_from_name(path) in EDITIONS

    def parse(self, path: Path, ctx: Context) -> Batch:
        batch, self.name = parse_file(path, ctx)
        return batch


FORMAT = GezondheidsmonitorFormat()


def _read(path: Path) -> pd.DataFrame:
    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skip_blank_lines=False).fillna("")
    except (pd.errors.ParserError, ValueError) as exc:
        raise IngestError(f"het bestand is geen leesbare CSV met komma's: {exc}", file=path) from None
    # Line in the file of each row (header = line 1); blank lines are kept as rows above so
    # this stays right, and dropped here.
    frame[ROW] = range(2, len(frame) + 2)
    data_columns = [c for c in frame.columns if c != ROW]
    blank = frame[data_columns].apply(lambda col: col.str.strip().eq("")).all(axis=1)
    return frame[~blank].copy()


def _edition(path: Path, columns: list[str]) -> str:
    table_id = table_id_from_name(path)
    if table_id:
        return table_id
    return "83674NED" if PERIOD_COLUMN in columns else "85012NED"


def parse_file(path: Path, ctx: Context) -> tuple[Batch, str]:
    """The batch of one file and the format name for this edition."""
    frame = _read(path)
    columns = [c for c in frame.columns if c != ROW]

    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise IngestError(f"verplichte kolom(men) ontbreken: {', '.join(missing)}. Verwacht een "
                          "Gezondheidsmonitor-export met de kolommen Leeftijd, Marges en RegioS.",
                          file=path, row=1, column=missing[0])

    # Measure columns: everything except the dimensions and the leading unnamed index column.
    measures: list[str] = []
    for position, column in enumerate(columns):
        if column in DIMENSIONS or column == PERIOD_COLUMN:
            continue
        if column.startswith("Unnamed:"):
            if position == 0:
                continue
            raise IngestError(f"kolom {position + 1} heeft geen naam", file=path, row=1)
        measures.append(column)
    if not measures:
        raise IngestError("het bestand heeft geen meetkolommen (zoals Overgewicht)", file=path, row=1)

    catalogue = load_catalogue()
    indicator_of: dict[str, str] = {}
    for column in measures:
        indicator = catalogue.for_cbs_key(column)
        if indicator is None:
            raise IngestError(
                f"onbekende meetkolom '{column}': deze kolom staat niet in de indicatorcatalogus. "
                "Voeg hem toe aan sources/indicatoren.toml (bij 'cbs' van de juiste indicator, of als "
                "nieuwe indicator) en importeer opnieuw.",
                file=path, row=1, column=column)
        indicator_of[column] = indicator.indicator_id
    doubles = pd.Series(indicator_of).loc[lambda s: s.duplicated(keep=False)]
    if not doubles.empty:
        first = doubles.iloc[0]
        names = ", ".join(f"'{c}'" for c in doubles[doubles == first].index)
        raise IngestError(f"de kolommen {names} betekenen dezelfde indicator '{first}'",
                          file=path, row=1, column=doubles[doubles == first].index[-1])

    table_id = _edition(path, columns)
    if frame.empty:
        raise IngestError("het bestand heeft alleen een kopregel en geen gegevensrijen", file=path, row=2)

    # Dimensions, checked on every row: the file must be a complete, known export.
    for column in ("Leeftijd", "Marges", "RegioS"):
        frame[column] = frame[column].str.strip()
    frame["_subgroup"] = frame["Leeftijd"].str.lower().map(SUBGROUPS)
    _fail_unmapped(frame, "_subgroup", "Leeftijd", path,
                   "onbekende leeftijdsgroep '{}' (verwacht: Totaal, 18 tot 65 jaar, "
                   "19 tot 65 jaar of 65 jaar of ouder)")
    frame["_marge"] = frame["Marges"].str.lower().map(MARGES)
    _fail_unmapped(frame, "_marge", "Marges", path,
                   "onbekende marge '{}' (verwacht: Waarde, Ondergrens 95%-interval of "
                   "Bovengrens 95%-interval)")

    if PERIOD_COLUMN in columns:
        frame["_period"] = [_period(raw, line, path) for raw, line in zip(frame[PERIOD_COLUMN], frame[ROW])]
    elif table_id in EDITIONS:
        frame["_period"] = EDITIONS[table_id]
    else:
        raise IngestError(f"het jaar van deze Gezondheidsmonitor (tabel {table_id}) is onbekend: het "
                          "bestand heeft geen kolom Perioden", file=path, row=1)

    empty_region = frame["RegioS"].eq("")
    if empty_region.any():
        raise IngestError("regionaam ontbreekt", file=path, row=int(frame.loc[empty_region, ROW].iloc[0]),
                          column="RegioS")

    # Numbers: '.'-decimals; empty (or '.') = not published, stays missing.
    for column in measures:
        frame[column] = _numbers(frame, column, path)

    frame["_region"] = frame["RegioS"].map(regions.code_for_name)
    keep = frame["_region"].isin(regions.KNOWN_CODES)
    skipped_regions = frame.loc[~keep, "RegioS"].nunique()
    kept = frame[keep]

    dup = kept.duplicated(["_region", "_subgroup", "_marge", "_period"], keep=False)
    if dup.any():
        rows = kept[dup]
        first = rows.iloc[0]
        same = rows[(rows["_region"] == first["_region"]) & (rows["_subgroup"] == first["_subgroup"])
                    & (rows["_marge"] == first["_marge"]) & (rows["_period"] == first["_period"])]
        lines = ", ".join(str(int(r)) for r in same[ROW])
        raise IngestError(f"regio '{first['RegioS']}', leeftijd '{first['Leeftijd']}', marge "
                          f"'{first['Marges']}' komt meer dan één keer voor (rijen {lines})",
                          file=path, row=int(same[ROW].iloc[-1]), column="RegioS")

    keys = ["_region", "_subgroup", "_period", COLUMN]
    long = kept.melt(id_vars=["_region", "_subgroup", "_period", "_marge", ROW], value_vars=measures,
                     var_name=COLUMN, value_name="_number")
    value = (long[long["_marge"] == "value"][keys + [ROW, "_number"]]
             .rename(columns={"_number": "value"}))
    low = long[long["_marge"] == "ci_low"][keys + ["_number"]].rename(columns={"_number": "ci_low"})
    high = long[long["_marge"] == "ci_high"][keys + ["_number"]].rename(columns={"_number": "ci_high"})
    obs = value.merge(low, on=keys, how="outer").merge(high, on=keys, how="outer")
    not_published = int(obs["value"].isna().sum())
    obs = obs[obs["value"].notna()].copy()

    last_period = max(frame["_period"])
    year = last_period[:4]
    batch_source = source_row(
        ctx,
        source_id=f"cbs-{table_id}",
        publisher="CBS, GGD'en en RIVM",
        title=f"Gezondheidsmonitor Volwassenen en Ouderen {year}; per regio",
        table_id=table_id,
        licence="CC BY 4.0",
        url=f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table_id}/table",
        peildatum=period_end(last_period),
        note=(f"Gezondheidsmonitor Volwassenen en Ouderen {year} van de GGD'en, het CBS en het RIVM: "
              f"vragenlijstonderzoek onder volwassenen, veldwerk in het najaar van {year}. Waarden met "
              "95%-betrouwbaarheidsinterval; cijfers die niet gepubliceerd zijn (te weinig "
              "respondenten) ontbreken."),
    )
    source_id = batch_source["source_id"]

    observations = pd.DataFrame({
        "indicator_id": obs[COLUMN].map(indicator_of),
        "region_code": obs["_region"],
        "period": obs["_period"],
        "subgroup": obs["_subgroup"],
        "value": obs["value"].astype("float64"),
        "ci_low": obs["ci_low"].astype("float64"),
        "ci_high": obs["ci_high"].astype("float64"),
        "status": "definitief",
        "is_sample": False,
        "source_id": source_id,
        ROW: obs[ROW].astype("Int64"),
        COLUMN: obs[COLUMN],
    }).sort_values(["indicator_id", "region_code", "period", "subgroup"]).reset_index(drop=True)

    indicators = pd.DataFrame([catalogue.indicators[indicator_of[c]].row() for c in measures])

    format_name = f"{_BASE_NAME} ({table_id}, {year})"
    subgroups = ", ".join(sorted(set(observations["subgroup"]), key=list(SUBGROUPS.values()).index))
    notes = [f"Editie {year} (CBS-tabel {table_id}); subgroepen: {subgroups}."]
    if skipped_regions:
        notes.append(f"{skipped_regions} regio's overgeslagen die niet in de monitor staan "
                     "(alleen de 14 Twentse gemeenten, GGD Twente, Overijssel en Nederland).")
    found = sorted(set(observations["region_code"]))
    absent = sorted(regions.KNOWN_CODES - set(found))
    if absent:
        notes.append(f"Let op: geen cijfers voor {', '.join(regions.region_name(c) for c in absent)}.")
    if not_published:
        notes.append(f"{not_published} cijfers zijn niet gepubliceerd (lege cel) en blijven ontbreken.")

    batch = Batch(source=batch_source, frames={"observations": observations, "indicators": indicators},
                  notes=notes)
    return batch, format_name


def _fail_unmapped(frame: pd.DataFrame, mapped: str, column: str, path: Path, message: str) -> None:
    bad = frame[mapped].isna()
    if bad.any():
        first = frame[bad].iloc[0]
        raise IngestError(message.format(first[column]), file=path, row=int(first[ROW]), column=column)


def _period(raw: str, line: int, path: Path) -> str:
    try:
        return normalise_period(raw)
    except PeriodError as exc:
        raise IngestError(str(exc), file=path, row=int(line), column=PERIOD_COLUMN) from None


def _numbers(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    text = frame[column].str.strip()
    empty = text.isin(["", "."])
    ok = empty | text.str.fullmatch(_NUMBER.pattern)
    if not ok.all():
        first = frame[~ok].iloc[0]
        raise IngestError(f"'{text[~ok].iloc[0]}' is geen getal", file=path, row=int(first[ROW]),
                          column=column)
    return pd.to_numeric(text.mask(empty), errors="raise").astype("float64")
