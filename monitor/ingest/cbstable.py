"""The CBS reader: one reader for a CBS table in the shapes analysts download.

Shapes (``Shape``):

- the open-data files that start with an ``ID`` column, ``;``-separated: the bulk
  ``TypedDataSet``/``UntypedDataSet`` (dimension *codes*: ``GM0153    ``, ``2024HJ01``,
  ``MW00000``; a metadata file ``<stem>.<Dimension>.csv`` (or the API's ``.json``) with ``Key``
  and ``Title`` beside it gives the titles of a dimension's codes; the same table as OData JSON is
  read into these rows by ``monitor/ingest/odatajson.py``) and the download of the ``cbsodata`` package (UTF-8 with BOM,
  ``.`` as decimal point, regions and periods as *titles*: ``Hengelo (O.)``, ``Twente (VT)``,
  ``1e halfjaar 2024``, ``2024*``);
- the Gezondheidsmonitor export: the same table written with ``,`` and a leading unnamed
  index column (``monitor/ingest/gezondheidsmonitor.py``).
(StatLine's web export, with hierarchical headers, is read by ``monitor/ingest/statline.py``.)

Every file becomes one long form, a row per cell: line, region, period, the value of every
other dimension, measure column, raw text. Then the table's declaration in ``sources/cbs/``
(``monitor/ingest/cbsmap.py``) maps it onto the contract: measures to indicators (or Veilig
Thuis kinds), dimension values to subgroups, margins (value, 95% bounds) or filters, with
scale. Regions resolve by code or title (``monitor/ingest/gebieden.py``, 85385NED), periods by
code or title (``monitor.domain.periods.cbs_period``).

Cut-off downloads: CBS's feed returns at most 10.000 rows per request. A series (one
combination of the dimensions other than region and period) that lacks regions or periods the
other series have is left out with a warning, and the source records that the file is
incomplete; a file of exactly 10.000 data rows is reported as probably cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from monitor.domain import regions as regions_mod
from monitor.data import store
from monitor.data.catalogue import load_catalogue
from monitor.data.errors import IngestError
from monitor.ingest import cbsjson, cbsmap, gebieden, regionkind
from monitor.ingest.base import COLUMN, Batch, Context
from monitor.ingest.common import MAX_ABS_NUMBER, NumberTooLarge, parse_number, shorten, read_text, source_row, table_id_from_name
from monitor.ingest.cbstargets import Targets
from monitor.ingest.csvrows import LINE, read_rows
from monitor.domain.periods import PeriodError, cbs_period, period_end

FEED_LIMIT = 10_000
REGION, PERIOD, ROW_ID = "RegioS", "Perioden", "ID"
_CODE = re.compile(r"[A-Z]{1,3}[A-Z0-9]*\d[A-Z0-9]*|\d+")  # what a CBS member key looks like


@dataclass(frozen=True)
class Shape:
    name: str
    sep: str
    index_column: bool = False  # a leading unnamed column (pandas' index) before ID


ID_LED = Shape("CBS open data", ";")
GM_EXPORT = Shape("Gezondheidsmonitor-export", ",", index_column=True)


def header_cells(head: bytes, sep: str) -> list[str]:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    line = text.splitlines()[0] if text else ""
    return [cell.strip().strip('"').strip() for cell in line.split(sep)]


def sniff_id_led(head: bytes) -> bool:
    cells = header_cells(head, ";")
    return bool(cells) and cells[0] == ROW_ID and REGION in cells


class CbsTableFormat:
    """The reader as the importer sees it (``sniff``/``parse``), for one shape.

    ``declared_only``: claim only files of a table with a declaration in ``sources/cbs/`` (so it
    can stand before the formats that know other CBS tables)."""

    def __init__(self, shape: Shape, declared_only: bool = False, name: str | None = None,
                 sniffer=None, edition=None, reader=None) -> None:
        self.shape, self.declared_only = shape, declared_only
        self.reader = reader  # path → (header, rows) for a file that is not delimited text (JSON)
        self.base_name = name or f"{shape.name} (CBS-tabel)"
        self.name = self.base_name
        self._sniffer = sniffer or (lambda path, head: sniff_id_led(head))
        self._edition = edition  # (path, columns) → table id, for a file whose name has no table id

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".csv", ".txt", ""):
            return False
        if not self._sniffer(path, head):
            return False
        if not self.declared_only:
            return True
        cells = header_cells(head, self.shape.sep)
        mapping = _declared_mapping(path, cells)
        # population: StatLine's shape; a category dimension: monitor/ingest/veilig_thuis.py
        return mapping is not None and mapping.target != "population" and mapping.category_dimension is None

    def parse(self, path: Path, ctx: Context) -> Batch:
        reader = _Reader(path, ctx, self)
        batch = reader.run()
        self.name = reader.format_name
        return batch


def _declared_mapping(path: Path, columns: list[str]) -> cbsmap.TableMapping | None:
    named = cbsmap.declared(table_id_from_name(path))
    if named is not None:
        return named
    dims = {ROW_ID, REGION, PERIOD, ""}
    return cbsmap.by_columns([c for c in columns if c not in dims and not _is_dimension_name(c)])


def _is_dimension_name(column: str) -> bool:
    return any(column in m.dimensions for m in cbsmap.mappings()[0].values())


def _looks_like_code(text: str) -> bool:
    return bool(_CODE.fullmatch(text.strip()))


EMPTY_MARKS = ("", ".", "x", "-", "?")  # CBS's marks for a figure that is not published


def long_form(rows: pd.DataFrame, measures: list[str], id_vars: list[str], fail, decimal: str = ".",
              row_major: bool = False) -> tuple[pd.DataFrame, int]:
    """The long form of a wide CBS file: a row per (file row, measure column) cell, with the raw
    text (``_raw``), the number (``_number``, NaN for a mark of "not published") and the column
    (``COLUMN``); and the number of empty cells. ``decimal``: ``.`` (open data, cbsodata) or ``,``
    (StatLine's web export, thousands dots allowed). ``row_major``: cells in file order (row by
    row) instead of column by column. A cell that is no number, or too large for the contract, is
    ``fail(message, row=, column=)``."""
    long = rows.melt(id_vars=id_vars, value_vars=measures, var_name=COLUMN, value_name="_raw")
    if row_major:
        position = {c: i for i, c in enumerate(measures)}
        long = long.assign(_pos=long[COLUMN].map(position)).sort_values([LINE, "_pos"], kind="stable") \
            .drop(columns="_pos").reset_index(drop=True)
    text = long["_raw"].astype(str).str.strip().str.strip('"').str.strip()
    empty = text.isin(EMPTY_MARKS)
    if decimal == ".":
        numbers = pd.to_numeric(text.mask(empty), errors="coerce")
        bad = numbers.isna() & ~empty
        if bad.any():
            first = long[bad].iloc[0]
            raise fail(f"'{text[bad].iloc[0]}' is geen getal (CBS-bestanden gebruiken een punt als "
                       "decimaalteken)", row=int(first[LINE]), column=first[COLUMN])
        huge = numbers.notna() & ~(numbers.abs() <= MAX_ABS_NUMBER)
        if huge.any():
            first = long[huge].iloc[0]
            raise fail(str(NumberTooLarge(text[huge].iloc[0])), row=int(first[LINE]), column=first[COLUMN])
    else:
        parsed: dict[str, float | None] = {}
        for raw, line, column in zip(text[~empty], long.loc[~empty, LINE], long.loc[~empty, COLUMN]):
            if raw in parsed:
                continue
            try:
                parsed[raw] = parse_number(raw, decimal=decimal)
            except NumberTooLarge as exc:
                raise fail(str(exc), row=int(line), column=column) from None
            except ValueError:
                raise fail(f"'{shorten(raw)}' is geen getal", row=int(line), column=column) from None
        numbers = text.map(parsed).where(~empty)
    long["_number"] = numbers.astype("float64")
    return long, int(empty.sum())


class _Reader(Targets):
    def __init__(self, path: Path, ctx: Context, fmt: CbsTableFormat) -> None:
        self.path, self.ctx, self.fmt = path, ctx, fmt
        self.notes: list[str] = []
        self.warnings: list[str] = []
        self.format_name = fmt.base_name
        self.twente_kind: str | None = None  # the kind of the Twente region the file published

    def fail(self, message: str, row: int | None = None, column: str | None = None) -> IngestError:
        return IngestError(message, file=self.path, row=row, column=column)

    # --- reading ---------------------------------------------------------------------------

    def _read(self) -> tuple[list[str], pd.DataFrame]:
        if self.fmt.reader is not None:
            header, rows = self.fmt.reader(self.path)
        else:
            header, rows = read_rows(self.path, read_text(self.path), self.fmt.shape.sep)
        if self.fmt.shape.index_column and header and header[0] == "":
            header = header[1:]
            rows = rows.drop(columns=[0])
            rows.columns = [*range(len(header)), LINE]
        for position, name in enumerate(header):
            if not name:
                raise self.fail(f"kolom {position + 1 + self.fmt.shape.index_column} heeft geen naam", row=1)
        rows.columns = [*header, LINE]
        for column in header:
            rows[column] = rows[column].astype(str).str.strip()
        return header, rows

    def _mapping(self, columns: list[str]) -> cbsmap.TableMapping:
        table_id = table_id_from_name(self.path)
        found = _declared_mapping(self.path, columns)
        if found is None and not table_id and self.fmt._edition is not None:
            found = cbsmap.declared(self.fmt._edition(self.path, columns))
        if found is not None:
            if table_id and found.table_id != table_id and cbsmap.declared(table_id) is None:
                self.notes.append(f"Let op: de bestandsnaam noemt tabel {table_id}; de kolommen horen bij "
                                  f"{found.table_id}.")
            return found
        return cbsmap.standard()

    def run(self) -> Batch:
        header, rows = self._read()
        missing = [c for c in (REGION,) if c not in header]
        mapping = self._mapping(header)
        self.mapping = mapping
        missing += [d for d in mapping.dimensions if d not in header and mapping.declared]
        if missing:
            raise self.fail(f"verplichte kolom(men) ontbreken: {', '.join(missing)}", row=1, column=missing[0])
        if rows.empty:
            raise self.fail("het bestand heeft alleen een kopregel en geen gegevensrijen", row=2)
        if mapping.target == "gebieden":
            return self._gebieden(rows)
        dims, measures = self._columns(header, rows, mapping)
        table_id = mapping.table_id or table_id_from_name(self.path)
        self.table_id = table_id

        rows = self._resolve_rows(rows, dims, mapping)
        rows = self._complete_series(rows, dims)
        rows = self._keep(rows, dims)
        if mapping.target == "vt_reports":
            frames, latest = self._vt_reports(rows, dims, measures)
        else:
            frames, latest = self._observations(rows, dims, measures)
        source = self._source(table_id, latest)
        for name in ("observations", "vt_reports"):
            if name in frames:
                frames[name]["source_id"] = source["source_id"]
                frames[name] = regionkind.set_twente(frames[name], self.twente_kind)
        batch = Batch(source=source, frames=frames, notes=[*self.notes, *self.warnings])
        if mapping.target == "vt_reports":
            batch.drop_sample_rows = ("vt_reports",)
        return batch

    # --- columns ---------------------------------------------------------------------------

    def _columns(self, header: list[str], rows: pd.DataFrame, mapping: cbsmap.TableMapping):
        """The dimension columns (name → Dimension or None for region/period) and the measure columns
        (header → Measure) of the file; an unknown column is an error saying what to declare where."""
        catalogue = load_catalogue()
        dims: dict[str, cbsmap.Dimension | None] = {}
        measures: dict[str, cbsmap.Measure] = {}
        ignored: list[str] = []
        for column in header:
            if column in (ROW_ID,):
                continue
            if column in (REGION, PERIOD):
                dims[column] = None
                continue
            if column in mapping.dimensions:
                dims[column] = mapping.dimensions[column]
                continue
            measure = mapping.measure(column)
            if measure is None and not mapping.declared:
                indicator = catalogue.for_cbs_key(cbsmap.measure_key(column))
                if indicator is not None:
                    measure = cbsmap.Measure(key=cbsmap.measure_key(column), indicator=indicator.indicator_id)
            if measure is not None:
                measures[column] = measure
                continue
            if mapping.ignored(column):
                ignored.append(column)
                continue
            self._unknown_column(column, rows[column], mapping)
        if not measures:
            raise self.fail("het bestand heeft geen meetkolommen naast de dimensies", row=1)
        if ignored:
            self.notes.append(f"{len(ignored)} meetwaarde(n) niet geïmporteerd (zo gedeclareerd in "
                              f"{mapping.file_name}): {', '.join(ignored)}.")
        taken: dict[tuple, str] = {}
        for column, measure in measures.items():
            key = (measure.indicator, measure.kind, measure.breakdown, measure.category, measure.role)
            if key in taken:
                what = measure.indicator or f"{measure.kind}/{measure.category}"
                raise self.fail(f"de kolommen '{taken[key]}' en '{column}' betekenen dezelfde indicator '{what}'",
                                row=1, column=column)
            taken[key] = column
        return dims, measures

    def _unknown_column(self, column: str, values: pd.Series, mapping: cbsmap.TableMapping) -> None:
        sample = next((v for v in values if v not in ("", ".")), "")
        numeric = True
        try:
            parse_number(sample, decimal=".")
        except ValueError:
            numeric = False
        where = mapping.file_name if mapping.declared else \
            f"sources/cbs/{self.table_id_hint()}.toml (een nieuwe declaratie voor deze tabel)"
        if not numeric and not cbsmap.SUFFIX.search(column):
            raise self.fail(f"onbekende dimensie '{column}': de declaratie van deze tabel kent haar niet. Voeg "
                            f"[dimensions.{column}] toe aan {where} (role subgroup, margin of filter)",
                            row=1, column=column)
        key = cbsmap.measure_key(column)
        raise self.fail(f"onbekende meetwaarde '{key}': deze CBS-kolom staat niet in {where}. Voeg '{column}' toe "
                        f"bij [measures] (met een indicator uit sources/indicatoren.toml) of bij 'ignore'"
                        + ("" if mapping.declared else f", of voeg '{key}' toe aan de lijst 'cbs' van de juiste "
                           "indicator in sources/indicatoren.toml"), row=1, column=column)

    def table_id_hint(self) -> str:
        return table_id_from_name(self.path) or "<tabelnummer>"

    # --- regions, periods, dimensions -------------------------------------------------------

    def _resolve_rows(self, rows: pd.DataFrame, dims, mapping: cbsmap.TableMapping) -> pd.DataFrame:
        rows = rows.copy()
        empty = rows[REGION].eq("")
        if empty.any():
            raise self.fail("regionaam ontbreekt", row=int(rows.loc[empty, LINE].iloc[0]), column=REGION)
        lookup = gebieden.lookup(self.path)
        known = set(regions_mod.KNOWN_CODES) | set(store.read_frame("regions", self.ctx.dataset_dir)["region_code"])
        codes = {raw: lookup.resolve(raw) for raw in rows[REGION].unique()}
        if mapping.target == "vt_reports" and not mapping.protected_by:
            # Raw Veilig Thuis counts: the gemeenten, Twente and Nederland only (the hierarchy the
            # monitor's own protection is built for); figures CBS protected: every region, as published.
            known = set(regions_mod.GEMEENTE_CODES) | {regions_mod.TWENTE, regions_mod.NEDERLAND}
        codes = {raw: (code if code in known else None) for raw, code in codes.items()}
        twente = [raw for raw, code in codes.items() if code == regions_mod.TWENTE]
        self.twente_kind = lookup.level(twente[0]) if len(twente) == 1 else None
        if len(twente) > 1:
            chosen = self._choose_twente(twente, mapping, lookup)
            for raw in twente:
                if raw != chosen:
                    codes[raw] = None
            self.twente_kind = lookup.level(chosen)
            self.notes.append(f"Twente: de regio '{chosen}' van CBS gebruikt; "
                              f"{', '.join(repr(t) for t in twente if t != chosen)} overgeslagen.")
        rows["_region"] = rows[REGION].map(codes)

        if PERIOD in rows.columns:
            parsed = {}
            for raw, line in zip(rows[PERIOD], rows[LINE]):
                if raw in parsed:
                    continue
                try:
                    parsed[raw] = cbs_period(raw)
                except PeriodError as exc:
                    message = str(exc)
                    if " " not in raw.strip():
                        message = message.replace("onbekende periode ", "onbekende periodecode ")
                    raise self.fail(message, row=int(line), column=PERIOD) from None
            rows["_period"] = rows[PERIOD].map(lambda r: parsed[r][0])
            rows["_status"] = rows[PERIOD].map(lambda r: parsed[r][1])
        elif mapping.period:
            rows["_period"], rows["_status"] = mapping.period, "definitief"
        else:
            raise self.fail(f"het bestand heeft geen kolom Perioden en {mapping.file_name} noemt geen 'period'",
                            row=1, column=PERIOD)

        metadata = self._metadata(dims)
        for name, dim in dims.items():
            if dim is None:
                continue
            titles = metadata.get(name, {})
            rows[f"_title:{name}"] = rows[name].map(lambda raw, t=titles: t.get(raw, raw))
            if dim.role == "filter":
                rows[f"_dim:{name}"] = rows[f"_title:{name}"].map(lambda raw, d=dim: "keep" if d.kept(raw) else None)
                continue
            resolved = {}
            for raw, title, line in zip(rows[name], rows[f"_title:{name}"], rows[LINE]):
                if raw in resolved:
                    continue
                value = dim.resolve(raw) or dim.resolve(title)
                if value is None and rows.loc[rows[name] == raw, "_region"].notna().any():
                    self._unknown_member(dim, raw, int(rows.loc[(rows[name] == raw) & rows["_region"].notna(),
                                                                LINE].iloc[0]), titles)
                resolved[raw] = value
            rows[f"_dim:{name}"] = rows[name].map(resolved)
        return rows

    def _choose_twente(self, titles: list[str], mapping, lookup) -> str:
        if mapping.twente:
            for title in titles:
                if " ".join(title.split()).casefold() == " ".join(mapping.twente.split()).casefold():
                    return title
        order = ["GG", "VT", "JZ", "CR", "AM"]
        return sorted(titles, key=lambda t: order.index(lookup.region_kind(t)) if lookup.region_kind(t) in order
                      else len(order))[0]

    def _unknown_member(self, dim: cbsmap.Dimension, raw: str, line: int, titles: dict) -> None:
        where = self.mapping.file_name
        known = ", ".join(sorted({k for k in dim.values if not _looks_like_code(k.upper())}))
        if _looks_like_code(raw) and raw not in titles:
            meta = f"{self.path.stem}.{dim.name}.csv"
            raise self.fail(f"onbekende {dim.name}-code '{raw}': er is geen titel bekend. Zet het metadatabestand "
                            f"{meta} (kolommen Key;Title) naast het bestand, of voeg '{raw}' toe bij "
                            f"[dimensions.{dim.name}] in {where}", row=line, column=dim.name)
        raise self.fail(f"onbekende {dim.label} '{titles.get(raw, raw)}' (bekend: {known}); voeg de waarde toe bij "
                        f"[dimensions.{dim.name}] in {where}", row=line, column=dim.name)

    def _metadata(self, dims) -> dict[str, dict[str, str]]:
        """Key → Title per dimension from ``<stem>.<Dimension>.csv`` beside the file (bulk downloads)."""
        out: dict[str, dict[str, str]] = {}
        for name in [*dims, REGION, PERIOD]:
            meta = cbsjson.beside(self.path, name)
            if meta is None or name in out:
                continue
            header, rows = cbsjson.read_metadata(meta)
            if "Key" not in header or "Title" not in header:
                raise IngestError(f"kolom 'Key' of 'Title' ontbreekt; het metadatabestand van {name} heeft de "
                                  "kolommen Key;Title (zoals de CBS OData-API ze geeft)", file=meta, row=1)
            key_at, title_at = header.index("Key"), header.index("Title")
            out[name] = {str(r[key_at]).strip(): str(r[title_at]).strip()
                         for r in rows.itertuples(index=False, name=None) if str(r[key_at]).strip()}
            self.notes.append(f"Titels van {name} gelezen uit {meta.name} ({len(out[name])} sleutels).")
        return out

    # --- completeness (cut-off downloads) ----------------------------------------------------

    def _complete_series(self, rows: pd.DataFrame, dims) -> pd.DataFrame:
        """Leave out the series that stop part-way (cut-off download) and say so."""
        self.incomplete: list[str] = []
        self.cut_off = len(rows) == FEED_LIMIT
        series_dims = [name for name, dim in dims.items() if dim is not None]
        if not series_dims:
            return self._complete_regions(rows)
        cells = rows[REGION] + "\x1f" + (rows[PERIOD] if PERIOD in rows.columns else "")
        key = rows[series_dims].astype(str).agg("\x1f".join, axis=1) if len(series_dims) > 1 else rows[series_dims[0]]
        reference = set(cells)
        per_series = cells.groupby(key).agg(lambda s: len(set(s)))
        short = per_series[per_series < len(reference)]
        if not short.empty:
            # Cut off = the file stops inside a series: the short series holds the first regions
            # and periods of a complete one, in the same order, and the file's last row is its.
            # (A series that lacks other regions, as in a hand-filtered file, is not cut off.)
            # A file of exactly FEED_LIMIT rows is cut off in its last series in any case.
            full = per_series.idxmax()
            order = list(cells[key == full])
            last = rows[LINE].max()
            # Only the one series the file stops in can be cut off; when several lack regions the
            # file was filtered, not cut off.
            cut = [value for value in short.index
                   if (len(short) == 1 or self.cut_off) and rows.loc[key == value, LINE].max() == last
                   and list(cells[key == value]) == order[:int(short[value])]]
            short = short[cut]
        if short.empty:
            if self.cut_off:
                self.warnings.append(f"Let op: het bestand heeft precies {FEED_LIMIT:,} gegevensrijen".replace(",", ".")
                                     + ", de grens van CBS' feed; alle reeksen zijn wel volledig.")
            return rows
        for value in short.index:
            members = value.split("\x1f")
            label = ", ".join(f"{name} = '{rows.loc[key == value, f'_title:{name}'].iloc[0]}'"
                              for name, _member in zip(series_dims, members))
            self.incomplete.append(f"{label} ({int(short[value])} van {len(reference)} regio-periodes)")
        limit = f"precies {FEED_LIMIT:,} gegevensrijen".replace(",", ".") if self.cut_off else "onvolledige reeksen"
        self.warnings.append(
            f"Waarschuwing: dit bestand is afgekapt ({limit}): {len(short)} reeks(en) stoppen halverwege en zijn NIET "
            "geïmporteerd: " + "; ".join(self.incomplete) + ". Alleen de volledige reeksen zijn geïmporteerd; "
            "download de tabel opnieuw (gefilterd of in delen) voor de rest.")
        return rows[~key.isin(short.index)]

    def _complete_regions(self, rows: pd.DataFrame) -> pd.DataFrame:
        """A table without other dimensions is cut off in its last region: when that region has
        fewer periods than the others and the file stops there, it is left out."""
        limit = f"{FEED_LIMIT:,}".replace(",", ".")
        if PERIOD not in rows.columns or rows.empty:
            if self.cut_off:
                self.warnings.append(f"Let op: het bestand heeft precies {limit} gegevensrijen, de grens van CBS' "
                                     "feed: waarschijnlijk afgekapt. Controleer of alle regio's erin staan.")
            return rows
        per_region = rows.groupby(REGION, sort=False)[PERIOD].nunique()
        last = rows.loc[rows[LINE].idxmax(), REGION]
        if per_region[last] < per_region.max() and (self.cut_off or (per_region < per_region.max()).sum() == 1):
            self.incomplete.append(f"regio '{last}' ({int(per_region[last])} van {int(per_region.max())} perioden)")
            self.warnings.append(f"Waarschuwing: dit bestand is afgekapt: het stopt halverwege regio '{last}'; die regio "
                                 "is NIET geïmporteerd. Download de tabel opnieuw voor de rest.")
            return rows[rows[REGION] != last]
        if self.cut_off:
            self.warnings.append(f"Let op: het bestand heeft precies {limit} gegevensrijen, de grens van CBS' feed; "
                                 "elke regio heeft wel alle perioden.")
        return rows

    def _keep(self, rows: pd.DataFrame, dims) -> pd.DataFrame:
        if self.mapping.periods:
            pattern = r"\d{4}H[12]" if self.mapping.periods == "halfjaar" else r"\d{4}"
            other = ~rows["_period"].str.fullmatch(pattern)
            if other.any():
                dropped = sorted(set(rows.loc[other, "_period"]), key=period_end)
                self.notes.append(f"Alleen de {'halfjaren' if self.mapping.periods == 'halfjaar' else 'jaren'} "
                                  f"geïmporteerd (zo gedeclareerd in {self.mapping.file_name}); overgeslagen: "
                                  f"{', '.join(dropped)}.")
                rows = rows[~other]
        skipped = rows.loc[rows["_region"].isna(), REGION].unique()
        self.skipped_regions = list(skipped)
        kept = rows[rows["_region"].notna()]
        for name, dim in dims.items():
            if dim is not None and dim.role == "filter":
                out = kept[f"_dim:{name}"].isna()
                if out.any():
                    members = sorted(set(kept.loc[out, f"_title:{name}"]))
                    self.notes.append(f"{name}: alleen {', '.join(repr(k) for k in dim.keep)} geïmporteerd; "
                                      f"{int(out.sum())} rij(en) van {', '.join(repr(m) for m in members)} overgeslagen.")
                kept = kept[~out]
        if kept.empty:
            raise self.fail("het bestand bevat geen cijfers voor de regio's van de monitor (de Twentse gemeenten, "
                            "Twente, Overijssel of Nederland)")
        # One row per region, period and dimension values.
        key_columns = ["_region", "_period", *[f"_dim:{n}" for n, d in dims.items() if d is not None and d.role != "filter"]]
        dup = kept.duplicated(key_columns, keep=False)
        if dup.any():
            first = kept[dup].iloc[0]
            same = kept[dup & (kept[key_columns] == first[key_columns]).all(axis=1)]
            parts = [f"regio '{first[REGION]}'"] + [f"{d.label} '{first[n]}'" for n, d in dims.items()
                                                     if d is not None and d.role != "filter"]
            if PERIOD in kept.columns:
                parts.append(f"periode '{first[PERIOD]}'")
            lines = ", ".join(str(int(v)) for v in same[LINE])
            raise self.fail(f"{', '.join(parts)} komt meer dan één keer voor (rijen {lines})",
                            row=int(same[LINE].iloc[-1]), column=REGION)
        return kept

    # --- numbers -----------------------------------------------------------------------------

    def _long(self, rows: pd.DataFrame, measures: dict) -> pd.DataFrame:
        id_vars = [c for c in rows.columns if c.startswith("_") or c == LINE]
        long, self.empty_cells = long_form(rows, list(measures), id_vars, self.fail)
        return long

    def _gebieden(self, rows: pd.DataFrame) -> Batch:
        found = gebieden.read(self.path)
        twente = found.twente_titles()
        codes = {found.gemeenten.get(n.casefold()) for n in regions_mod.TWENTE_GEMEENTEN.values()} - {None}
        codes.add(found.gemeenten.get("hengelo (o.)"))
        missing = sorted(set(regions_mod.GEMEENTE_CODES) - codes)
        if missing:
            raise self.fail(f"de Twentse gemeente(n) {', '.join(missing)} ontbreken in deze indeling")
        self.table_id = self.mapping.table_id
        source = self._source(self.mapping.table_id, None)
        self.format_name = f"{self.fmt.base_name.split(' (')[0]} ({self.mapping.table_id}, gebiedsindeling)"
        notes = [f"Gebiedsindeling {self.mapping.table_id}: {len(found.gemeenten)} gemeenten; regio's met precies de "
                 f"14 Twentse gemeenten: {', '.join(twente)}. Gebruikt om regiotitels in CBS-bestanden naar codes te "
                 "vertalen."]
        frame = gebieden.regions_frame(found)
        notes.append(f"Regio's: {len(frame)} ({', '.join(f'{n} {level}' for level, n in frame['level'].value_counts().items())}).")
        return Batch(source=source, frames={"regions": frame}, notes=notes + self.notes)

    # --- source ------------------------------------------------------------------------------

    def _source(self, table_id: str | None, latest: str | None) -> dict:
        mapping = self.mapping
        year = latest[:4] if latest else ""
        note_parts = [mapping.note.format(year=year) if mapping.note else None]
        if self.__dict__.get("incomplete"):
            note_parts.append("Bestand onvolledig (afgekapt download): niet geïmporteerd: "
                              + "; ".join(self.incomplete) + ".")
        elif self.__dict__.get("cut_off"):
            note_parts.append(f"Bestand van precies {FEED_LIMIT:,} rijen (grens van CBS' feed); alle reeksen volledig."
                              .replace(",", "."))
        else:
            note_parts.append("Volledig: alle reeksen hebben alle regio's en perioden.")
        slug = re.sub(r"[^a-z0-9]+", "-", self.path.stem.lower()).strip("-") or "bestand"
        defaults = dict(
            source_id=f"cbs-{table_id}" if table_id else f"cbs-opendata-{slug}",
            publisher=mapping.publisher,
            title=(mapping.title.format(year=year) if mapping.title else
                   f"CBS open data, tabel {table_id}" if table_id else f"CBS open data: {self.path.stem}"),
            table_id=table_id, licence=mapping.licence,
            url=(mapping.url.format(table_id=table_id) if mapping.url else
                 f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table_id}/table" if table_id else None),
            peildatum=period_end(latest) if latest else None,
            note=" ".join(p for p in note_parts if p),
        )
        if latest is None:
            defaults["peildatum"] = pd.Timestamp(self.ctx.retrieved).date() if not mapping.period else \
                period_end(mapping.period)
        source = source_row(self.ctx, **defaults)
        if mapping.format_name:
            self.format_name = mapping.format_name.format(table_id=table_id, year=year)
        else:
            self.format_name = f"{self.fmt.base_name.split(' (')[0]} ({table_id or self.path.name})"
        return source


# The declared tables, in whichever shape: tried before the formats that know other tables.
FORMAT_DECLARED = CbsTableFormat(ID_LED, declared_only=True, name="CBS-tabel (cbsodata-download of open data)")
