"""CBS StatLine web exports, such as ``70072NED_regionale_kerncijfers_2025.csv``.

StatLine's "download as CSV" writes ``;``-separated UTF-8 with a BOM, CRLF line ends, every
field quoted, ``Perioden`` and ``Regio's`` as the first columns (region *names*, sometimes
padded), and one column per measure named by its full path in the table's tree with the
unit in parentheses: ``Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)``.
Numbers use a decimal comma. Gemeenten that no longer exist appear as rows without figures.

A declared table with a ``category`` dimension (Veilig Thuis: 84851NED, 84849NED) is read by
``monitor/ingest/statline_vt.py`` (member, measure and unit by their CBS titles). Any other table:
what is imported is declared in ``sources/cbs/<table>.toml`` (``target = "population"``, e.g.
``70072NED.toml``; a table without one uses the ``[population]`` of ``standaard.toml``):
- the population on 1 januari (the ``total`` column and the bands under ``bands``, in ``unit``)
  → ``population``, for the regions of the monitor; Twente (GG_TWENTE) is the sum of its 14
  gemeenten, since StatLine has no GGD-region rows;
- the ``[population.shares]`` computed from those bands (aandeel_0_19, aandeel_65plus, …);
- any other column whose name (full path, or last part without the unit) is a ``cbs`` key in
  sources/indicatoren.toml → ``observations``. Other columns are ignored (counted in a note).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pandas as pd

from monitor.domain import regions
from monitor.data.catalogue import Indicator, load_catalogue
from monitor.data.contract import SCHEMAS
from monitor.data.errors import IngestError
from monitor.data import store
from monitor.ingest import cbsmap, cbstable, gebieden, statline_vt
from monitor.ingest.base import COLUMN, ROW, Batch, Context
from monitor.ingest.csvrows import LINE
from monitor.ingest.common import (
    read_text,
    source_row,
    table_id_from_name,
)
from monitor.domain.periods import PeriodError, cbs_period

PERIOD_COLUMN = "Perioden"
REGION_COLUMN = "Regio's"

_UNIT = re.compile(r"^(?P<name>.*?)\s*\((?P<unit>[^()]*)\)\s*$")
_BASE_NAME = "CBS StatLine-export (;-gescheiden)"


def _header(head: bytes) -> list[str]:
    text = head.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text else ""
    try:
        return [cell.strip() for cell in next(csv.reader([first], delimiter=";"))]
    except (csv.Error, StopIteration):
        return []


class StatlineFormat:
    def __init__(self) -> None:
        self.name = _BASE_NAME

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".csv", ".txt", ""):
            return False
        cells = _header(head)
        # The dimension columns lead (a table with a third dimension, such as 84851NED, has one more),
        # the measure columns follow, each with its unit.
        lead = []
        for cell in cells:
            if _UNIT.match(cell.split("/")[-1]):
                break
            lead.append(cell)
        return len(cells) >= 3 and PERIOD_COLUMN in lead[:3] and REGION_COLUMN in lead[:3]

    def parse(self, path: Path, ctx: Context) -> Batch:
        self.names: dict[str, str] = {}
        frame = _read(path)
        table = statline_vt.table_for(path, [c for c in frame.columns if c != ROW])
        if table is not None:
            batch, self.names = statline_vt.parse(path, ctx, table, frame, ROW)
            self.name = f"CBS StatLine-export ({table.table_id}, Veilig Thuis)"
            return batch
        batch, self.name = parse_file(path, ctx, frame)
        return batch

    def relabel(self, error: IngestError, path: Path) -> IngestError:
        """Errors found after parsing (validation) name the file's column titles, not CBS's keys."""
        if error.column in getattr(self, "names", {}):
            error.column = self.names[error.column]
            error.args = (str(error),)
        return error


FORMAT = StatlineFormat()


def split_header(header: str) -> tuple[list[str], str, str | None]:
    """('A/B/Totale bevolking (aantal)') → (['A', 'B'], 'Totale bevolking', 'aantal')."""
    parts = [p.strip() for p in header.split("/")]
    last = parts[-1]
    match = _UNIT.match(last)
    if match:
        return parts[:-1], match["name"].strip(), match["unit"].strip()
    return parts[:-1], last, None


def declaration(table_id: str | None) -> tuple[cbsmap.TableMapping | None, cbsmap.Population]:
    """The table's declaration (None when it has no ``target = "population"`` file) and the
    population rules: its own, else those of the standard mapping."""
    mapping = cbsmap.declared(table_id)
    if mapping is not None and mapping.target == "population" and mapping.population is not None:
        return mapping, mapping.population
    return None, cbsmap.standard().population or cbsmap.Population()


def age_group(header: str, spec: cbsmap.Population | None = None) -> str | None:
    """The population age group a column holds, or None if it is not a population count."""
    spec = spec or declaration(None)[1]
    parents, name, unit = split_header(header)
    if unit != spec.unit:
        return None
    label = name.lower()
    group = None
    if label == spec.total.lower():
        group = "totaal"
    elif not parents or parents[-1].lower() != spec.bands.lower():
        return None
    elif m := re.fullmatch(r"jonger dan (\d+) jaar", label):
        group = f"0-{int(m[1]) - 1}"
    elif m := re.fullmatch(r"(\d+) tot (\d+) jaar", label):
        group = f"{int(m[1])}-{int(m[2]) - 1}"
    elif m := re.fullmatch(r"(\d+) jaar of ouder", label):
        group = f"{int(m[1])}+"
    if group is None or (spec.age_groups and group not in spec.age_groups):
        return None
    return group


def statline_period(raw: str) -> tuple[str, str]:
    """A StatLine period label → (period code, status). '2024*' is voorlopig.

    Accepts '2025', '2025*', '2024JJ00', '2024 1e kwartaal', '2024 2e halfjaar', '2024 juni'
    (and the other forms of ``monitor.domain.periods.cbs_period``). Raises PeriodError otherwise.
    """
    return cbs_period(raw)


def _read(path: Path) -> pd.DataFrame:
    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False,
                            skip_blank_lines=False).fillna("")
    except (pd.errors.ParserError, ValueError) as exc:
        raise IngestError(f"het bestand is geen leesbare ;-gescheiden CSV: {exc}", file=path) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame[ROW] = range(2, len(frame) + 2)  # line in the file; header = line 1
    return frame


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _match_catalogue(measures: list[str], population: dict[str, str]) -> dict[str, Indicator]:
    """Measure columns that are catalogue indicators: column header → indicator."""
    catalogue = load_catalogue()
    full: dict[str, Indicator] = {}
    short: dict[str, list[str]] = {}
    for column in measures:
        if column in population:
            continue
        indicator = catalogue.for_cbs_key(column)
        if indicator is not None:
            full[column] = indicator
            continue
        _parents, name, _unit = split_header(column)
        indicator = catalogue.for_cbs_key(name)
        if indicator is not None:
            short.setdefault(indicator.indicator_id, []).append(column)
    matched = dict(full)
    taken = {ind.indicator_id for ind in full.values()}
    for indicator_id, columns in short.items():
        if indicator_id in taken:
            continue  # a full-path match wins
        indicator = catalogue.indicators[indicator_id]
        if len(columns) > 1:
            same_unit = [c for c in columns if _unit_matches(split_header(c)[2], indicator.unit)]
            columns = same_unit or columns
        if len(columns) > 1:
            names = ", ".join(f"'{c}'" for c in columns)
            raise IngestError(f"meerdere kolommen passen bij indicator '{indicator_id}': {names}. Zet "
                              "de volledige kolomnaam bij 'cbs' in sources/indicatoren.toml.",
                              row=1, column=columns[0])
        matched[columns[0]] = indicator
    seen: dict[str, str] = {}
    for column, indicator in matched.items():
        if indicator.indicator_id in seen:
            raise IngestError(f"de kolommen '{seen[indicator.indicator_id]}' en '{column}' betekenen "
                              f"dezelfde indicator '{indicator.indicator_id}'", row=1, column=column)
        seen[indicator.indicator_id] = column
    return matched


def _unit_matches(column_unit: str | None, unit: str) -> bool:
    if column_unit is None:
        return False
    norm = column_unit.lower().replace(" ", "").replace(".", "")
    return norm == unit.lower().replace(" ", "").replace(".", "") or (
        unit == "per 1.000" and norm.startswith("per1000"))


def _population_columns(measures: list[str], path: Path, spec: cbsmap.Population) -> dict[str, str]:
    """The population count columns: header → age group (one column per group)."""
    population: dict[str, str] = {}  # column → age group
    for column in measures:
        group = age_group(column, spec)
        if group is None:
            continue
        if group in population.values():
            other = next(c for c, g in population.items() if g == group)
            raise IngestError(f"twee kolommen voor leeftijdsgroep '{group}': '{other}' en '{column}'",
                              file=path, row=1, column=column)
        population[column] = group
    return population


def _periods(kept: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``_period`` and ``_status`` of every kept row; one row per region and period."""
    periods, statuses = [], []
    for raw, line in zip(kept[PERIOD_COLUMN], kept[ROW]):
        try:
            period, status = statline_period(raw)
        except PeriodError as exc:
            raise IngestError(str(exc), file=path, row=int(line), column=PERIOD_COLUMN) from None
        periods.append(period)
        statuses.append(status)
    kept["_period"] = periods
    kept["_status"] = statuses
    dup = kept.duplicated(["_region", "_period"], keep=False)
    if dup.any():
        rows = kept[dup]
        first = rows.iloc[0]
        same = rows[(rows["_region"] == first["_region"]) & (rows["_period"] == first["_period"])]
        raise IngestError(f"regio '{first[REGION_COLUMN]}' komt voor periode '{first[PERIOD_COLUMN]}' "
                          f"meer dan één keer voor (rijen {', '.join(str(int(r)) for r in same[ROW])})",
                          file=path, row=int(same[ROW].iloc[-1]), column=REGION_COLUMN)
    return kept


def parse_file(path: Path, ctx: Context, frame: pd.DataFrame | None = None) -> tuple[Batch, str]:
    """The batch of one file (``frame``: its cells, when read already) and the format name (with the table id)."""
    frame = _read(path) if frame is None else frame
    columns = [c for c in frame.columns if c != ROW]
    for required in (PERIOD_COLUMN, REGION_COLUMN):
        if required not in columns:
            raise IngestError(f"verplichte kolom '{required}' ontbreekt", file=path, row=1, column=required)
    measures = [c for c in columns if c not in (PERIOD_COLUMN, REGION_COLUMN)]
    table_id = table_id_from_name(path)
    mapping, spec = declaration(table_id)

    population = _population_columns(measures, path, spec)
    try:
        matched = _match_catalogue(measures, population)
    except IngestError as exc:
        raise exc.located(path)
    ignored = len(measures) - len(population) - len(matched)

    # Rows: empty rows (defunct gemeenten, trailing lines) are skipped; regions outside the
    # monitor too. Only kept rows are read further.
    empty = frame[measures].eq("").all(axis=1) if measures else pd.Series(True, index=frame.index)
    # Every gemeente and region of the regions table (85385NED: the whole country), by title.
    lookup = gebieden.lookup(path)
    codes = frame[REGION_COLUMN].map(lambda name: lookup.resolve(name) if name else None)
    in_store = set(regions.KNOWN_CODES) | set(store.read_frame("regions", ctx.dataset_dir)["region_code"])
    known = codes.isin(in_store)
    empty_known = frame[known & empty & frame[REGION_COLUMN].ne("")]
    kept = frame[known & ~empty].copy()
    kept["_region"] = codes[kept.index]
    skipped_other = frame.loc[~known & ~empty, REGION_COLUMN].nunique()
    skipped_empty = int((~known & empty).sum())

    kept = _periods(kept, path)
    if kept.empty:
        raise IngestError("het bestand bevat geen cijfers voor de regio's van de monitor (de 14 Twentse "
                          "gemeenten, Overijssel of Nederland)", file=path)

    last_period = max(kept["_period"])
    year = int(last_period[:4])
    batch_source = source_row(
        ctx,
        source_id=f"cbs-{table_id}" if table_id else f"statline-{_slug(path.stem)}",
        publisher="CBS",
        title=mapping.title if mapping and mapping.title else f"CBS StatLine {table_id or path.stem}",
        table_id=table_id,
        licence="CC BY 4.0",
        peildatum=date(year, 1, 1),
        url=f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table_id}/table" if table_id else None,
        note=spec.note.format(year=year) if population and spec.note else "StatLine-export.",
    )
    source_id = batch_source["source_id"]
    format_name = f"CBS StatLine-export ({table_id or path.name})"
    period_list = ", ".join(sorted(set(kept["_period"])))
    notes = [f"Tabel {table_id or path.stem}, periode {period_list}."]

    pop = _population(kept, population, source_id, path)
    pop, twente_note = _add_twente(pop, source_id)
    if twente_note:
        notes.append(twente_note)
    measured = _measures(kept, matched, source_id, path)
    not_published = measured.attrs["not_published"]
    parts = [part for part in (_shares(pop, kept, source_id, spec.shares), measured) if not part.empty]
    obs = pd.concat(parts, ignore_index=True) if parts else _empty_observations()

    indicator_ids = sorted(set(obs["indicator_id"]))
    catalogue = load_catalogue()
    indicators = pd.DataFrame([catalogue.indicators[i].row() for i in indicator_ids],
                              columns=list(SCHEMAS["indicators"].names))

    frames: dict[str, pd.DataFrame] = {"observations": obs, "indicators": indicators}
    if population:
        frames["population"] = pop

    notes += _row_notes(skipped_other, skipped_empty, empty_known, ignored, not_published)
    return Batch(source=batch_source, frames=frames, notes=notes), format_name


def _row_notes(skipped_other: int, skipped_empty: int, empty_known: pd.DataFrame, ignored: int,
               not_published: int) -> list[str]:
    notes: list[str] = []
    if skipped_other:
        notes.append(f"{skipped_other} regio's overgeslagen die niet in de monitor staan.")
    if skipped_empty:
        notes.append(f"{skipped_empty} lege rijen overgeslagen (gemeenten die niet meer bestaan).")
    for _i, row in empty_known.iterrows():
        notes.append(f"Let op: rij {int(row[ROW])} ({row[REGION_COLUMN]}) heeft geen cijfers.")
    if ignored:
        notes.append(f"{ignored} kolommen niet geïmporteerd (geen bevolkingsaantal en niet in "
                     "sources/indicatoren.toml).")
    if not_published:
        notes.append(f"{not_published} cijfers zijn niet gepubliceerd (lege cel) en blijven ontbreken.")
    return notes


def _cells(kept: pd.DataFrame, columns: list[str], path: Path) -> pd.DataFrame:
    """The kept rows' cells of ``columns`` in the CBS reader's long form (file order)."""
    def fail(message, row=None, column=None):
        return IngestError(message, file=path, row=row, column=column)
    rows = kept[[ROW, PERIOD_COLUMN, "_region", "_period", "_status", *columns]].rename(columns={ROW: LINE})
    long, _empty = cbstable.long_form(rows, columns, [LINE, PERIOD_COLUMN, "_region", "_period", "_status"],
                                      fail, decimal=",", row_major=True)
    return long


def _population(kept: pd.DataFrame, population: dict[str, str], source_id: str, path: Path) -> pd.DataFrame:
    columns = ["region_code", "year", "age_group", "inhabitants", "source_id", ROW, COLUMN]
    long = _cells(kept, list(population), path)
    found = long[long["_number"].notna()]
    for value, raw, line, column, period, label in zip(found["_number"], found["_raw"], found[LINE], found[COLUMN],
                                                       found["_period"], found[PERIOD_COLUMN]):
        fail = dict(file=path, row=int(line), column=column)
        if value < 0:
            raise IngestError(f"negatief aantal inwoners ({raw.strip()}) is niet mogelijk", **fail)
        if not float(value).is_integer():
            raise IngestError(f"'{raw.strip()}' is geen geheel aantal inwoners", **fail)
        if len(period) != 4:
            raise IngestError(f"bevolkingsaantallen horen bij een jaar, niet bij periode '{label}'",
                              **{**fail, "column": PERIOD_COLUMN})
    long = long[long["_number"].notna()]
    return pd.DataFrame({
        "region_code": long["_region"], "year": long["_period"].astype(int),
        "age_group": long[COLUMN].map(population), "inhabitants": long["_number"].astype(int),
        "source_id": source_id, ROW: long[LINE].astype(int), COLUMN: long[COLUMN],
    }, columns=columns).reset_index(drop=True)


def _add_twente(pop: pd.DataFrame, source_id: str) -> tuple[pd.DataFrame, str | None]:
    """GG_TWENTE = the sum of the 14 gemeenten, per year and age group, when all 14 are there."""
    if pop.empty or (pop["region_code"] == regions.TWENTE).any():
        return pop, None
    gemeenten = pop[pop["region_code"].isin(regions.GEMEENTE_CODES)]
    if gemeenten.empty:
        return pop, None
    sums, incomplete = [], []
    for (year, group), part in gemeenten.groupby(["year", "age_group"], sort=True):
        if set(part["region_code"]) == set(regions.GEMEENTE_CODES):
            sums.append({"region_code": regions.TWENTE, "year": int(year), "age_group": group,
                         "inhabitants": int(part["inhabitants"].sum()), "source_id": source_id,
                         ROW: None, COLUMN: None})
        else:
            incomplete.append(f"{group} {year}")
    note = None
    if incomplete:
        note = ("Twente (GGD-regio) niet berekend voor " + ", ".join(incomplete)
                + ": niet alle 14 gemeenten hebben een cijfer.")
    if sums:
        pop = pd.concat([pop, pd.DataFrame(sums)], ignore_index=True)
    return pop, note


def _shares(pop: pd.DataFrame, kept: pd.DataFrame, source_id: str, shares: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    catalogue = load_catalogue()
    lines = {(r["_region"], r["_period"]): int(r[ROW]) for _i, r in kept.iterrows()}
    status = {(r["_region"], r["_period"]): r["_status"] for _i, r in kept.iterrows()}
    # Twente (summed) is voorlopig when any gemeente's figure of that period is.
    provisional = {p for p, st in zip(kept["_period"], kept["_status"]) if st == "voorlopig"}
    rows = []
    for (region, year), part in pop.groupby(["region_code", "year"], sort=True):
        counts = dict(zip(part["age_group"], part["inhabitants"]))
        total = counts.get("totaal")
        if not total:
            continue
        period = str(year)
        for indicator_id, bands in shares.items():
            if indicator_id not in catalogue.indicators or not all(b in counts for b in bands):
                continue
            value = round(100 * sum(counts[b] for b in bands) / total, 1)
            default = "voorlopig" if period in provisional else "definitief"
            rows.append({"indicator_id": indicator_id, "region_code": region, "period": period,
                         "subgroup": "totaal", "value": value, "ci_low": None, "ci_high": None,
                         "status": status.get((region, period), default), "is_sample": False,
                         "source_id": source_id, ROW: lines.get((region, period)), COLUMN: None})
    return pd.DataFrame(rows, columns=list(_empty_observations().columns))


def _measures(kept: pd.DataFrame, matched: dict[str, Indicator], source_id: str, path: Path) -> pd.DataFrame:
    long = _cells(kept, list(matched), path)
    found = long[long["_number"].notna()]
    frame = pd.DataFrame({
        "indicator_id": found[COLUMN].map({c: i.indicator_id for c, i in matched.items()}),
        "region_code": found["_region"], "period": found["_period"], "subgroup": "totaal",
        "value": found["_number"], "ci_low": None, "ci_high": None, "status": found["_status"],
        "is_sample": False, "source_id": source_id, ROW: found[LINE].astype(int), COLUMN: found[COLUMN],
    }, columns=list(_empty_observations().columns)).reset_index(drop=True)
    frame.attrs["not_published"] = int(long["_number"].isna().sum())
    return frame


def _empty_observations() -> pd.DataFrame:
    return pd.DataFrame(columns=["indicator_id", "region_code", "period", "subgroup", "value", "ci_low",
                                 "ci_high", "status", "is_sample", "source_id", ROW, COLUMN])
