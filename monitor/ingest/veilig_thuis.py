"""CBS Veilig Thuis tables (84851NED, 84849NED) in the open-data shapes: the TypedDataSet and the
``cbsodata`` download. The other shapes CBS publishes are read into the same rows first and then
by this parser: the TypedDataSet as OData JSON (``odatajson.py``), the OData v4 Observations
(``odata4.py``) and StatLine's web export (``statline_vt.py``).

Both give one row per combination of dimension members and one column per measure (CBS's
DataProperties keys), ``;``-separated, header first; the TypedDataSet with keys, the ``cbsodata``
download (UTF-8 with BOM) with titles and numbers written as ``525.0``::

    ID;KenmerkenAdviezenMeldingenDiensten;RegioS;Perioden;GestarteAdviezen_1;…;GestarteAdviezen_6;…
    0;T001038;GM0153    ;2024HJ01;525;…;335;…
    399;Totaal;Almelo;1e halfjaar 2024;235.0;…;316.0;…

- The dimension column says which table it is and which breakdown it gives (see
  ``sources/cbs/84851NED.toml`` and ``84849NED.toml``, dimension role ``category``): ``KenmerkenAdviezenMeldingenDiensten`` (84851NED) → breakdown
  ``categorie``, ``KenmerkenAdviezenMeldingen`` (84849NED) → breakdown ``melder``. Its "Totaal"
  member is the total of the kind (breakdown ``totaal``).
- The cells of the dimension column are CBS *keys*. They are resolved to categories through
  ``codes`` in the declaration (``ignored_codes``: sub-items to skip), else through a metadata file beside the data file,
  ``<data file stem>.<dimension>.csv`` with columns ``Key;Title`` (the dimension entity set of the
  OData API), whose titles are looked up in ``titles`` in the TOML. A cell may also be a title
  itself (anything that does not look like a key, e.g. has a space, is read as a title). Members mapped to one category are summed; if one of them is not published the sum is
  not published. Members that are not mapped (sub-items) are skipped and counted in a note; a key
  without any known title is an error saying what to add where.
- Measures: see ``[measures]`` in the declaration: CBS's full key with ``kind`` and ``unit``
  (``aantal`` or ``per 100 000 inwoners``), which tells a count from its rate; only what the
  declaration leaves open (one unit-less key for two columns, two columns declared alike) is
  refused. A ``<stem>.DataProperties.csv`` beside the file (``monitor/ingest/cbsunits.py``) is
  checked against the declared units and gives CBS's unit where none is declared. ``CasussenMet…`` is skipped with a note (``ignore``), any other unknown measure is an error.
- Protection: ``protected_by = "CBS"`` holds when every count is a multiple of 5 (CBS's
  rounding); otherwise the counts are raw and the monitor protects them. A CBS rate (per 1.000)
  is kept only then, for a category of one member, and never beside a missing count.
- Cut-off downloads (``monitor/ingest/vt_cutoff.py``): the member the file stops in is kept for
  its complete regions only; what the file lacks gets no row and is named in the source's note.
- The rows kept become the CBS reader's long form (``cbstable.long_form``); the members are then
  summed into categories by ``monitor/ingest/cbsmembers.py``.
- ``RegioS`` (codes, or titles through 85385NED: ``Twente (VT)`` → ``GG_TWENTE``, region_kind
  ``vt_regio``): counts CBS protected keep every gemeente and region the store knows (Veilig
  Thuis-regio's, provinces, landsdelen, ``NL01``); raw counts only the 14 Twente gemeenten, Twente
  and ``NL01``, the hierarchy the monitor's own protection is built for. Regions of older
  indelingen (no code in 85385NED 2024) and raw counts of other regions are skipped and counted
  in a note. When the file has no GGD-region rows, ``GG_TWENTE``
  is derived as the sum of the 14 gemeenten where all 14 are in the file (not published when
  one of them is not).
- ``Perioden``: half years (``2024HJ01`` → ``2024H1``). Year rows (``JJ``) are skipped and counted:
  year totals are never stored, since a year total minus one half year reveals the other half.
  Quarters and months are refused.
- Values: CBS's ``.`` or an empty cell → count missing (CBS did not publish it), never 0. Anything
  that is not a whole number ≥ 0 is an error naming row and column.
- 84849NED's melder ``overig`` is derived: Totaal minus the mapped melders, only when all of them
  are published and the result is not negative.

Both tables publish the totals of adviezen and meldingen; the table imported last supplies them.
A real import removes every voorbeelddata row of ``vt_reports`` in the same atomic write
(``Batch.drop_sample_rows``): real figures replace the voorbeelddata by an import and nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from monitor.data import store
from monitor.data.errors import IngestError
from monitor.data.contract import VT_BREAKDOWNS
from monitor.ingest import cbsjson, cbsmap, cbsmembers, cbstable, cbsunits, gebieden, vt_cutoff
from monitor.ingest.base import COLUMN, ROW, Batch, Context
from monitor.ingest.common import MAX_ABS_NUMBER, NumberTooLarge, read_text, source_row, table_id_from_name
from monitor.ingest.csvrows import LINE, read_rows
from monitor.ingest.opendata import _region_code
from monitor.domain.periods import PeriodError, cbs_period, period_end
from monitor.domain import regions as regions_mod
from monitor.domain.regions import GEMEENTE_CODES, NEDERLAND, TWENTE, region_name
from monitor.domain.vt_labels import category_label

SUFFIX = re.compile(r"_\d+$")
# What a CBS member key looks like ("T001038", "1012600"). A cell that is not one is read as a
# title: mapped in the declaration, or a sub-item that is skipped.
_KEY = re.compile(r"[A-Za-z0-9_.-]+")
BASE_COLUMNS = ("ID", "RegioS", "Perioden")
REGIONS = frozenset(GEMEENTE_CODES) | {TWENTE, NEDERLAND}
# CBS publishes Veilig Thuis counts rounded to a multiple of 5 (and hides small ones): a table
# declared ``protected_by = "CBS"`` keeps CBS's protection only when its counts bear it.
CBS_ROUNDING = 5


def _region_rank(code: str) -> tuple[int, str]:
    return (0 if code == TWENTE else 2 if code == NEDERLAND else 1, region_name(code))
# Every measure key the format recognises (for sniffing a file whose dimension column is missing).
_MEASURE_HINTS = ("GestarteAdviezen", "OntvangenMeldingen", "AfgerondeDiensten", "CasussenMetOntvangenMelding")


# --- declarations --------------------------------------------------------------------------------

@dataclass(frozen=True)
class TableMap:
    """A declared table with a ``category`` dimension (``sources/cbs/<table>.toml``)."""
    mapping: cbsmap.TableMapping
    dim: cbsmap.Dimension

    @property
    def table_id(self) -> str:
        return self.mapping.table_id

    @property
    def title(self) -> str:
        return self.mapping.title or f"CBS-tabel {self.table_id}"

    @property
    def dimension(self) -> str:
        return self.dim.name

    @property
    def breakdown(self) -> str:
        return self.dim.breakdown

    @property
    def members(self) -> tuple[cbsmap.Member, ...]:
        return self.dim.members

    @property
    def ignored_codes(self) -> tuple[str, ...]:
        return self.dim.ignored_codes

    @property
    def remainder(self) -> str | None:
        return self.dim.remainder

    @property
    def file_name(self) -> str:
        return self.mapping.file_name


def tables() -> dict[str, TableMap]:
    """The declared Veilig Thuis tables by member: table id → table."""
    found = {}
    for table_id, mapping in cbsmap.mappings()[0].items():
        dim = mapping.category_dimension
        if dim is not None and mapping.target == "vt_reports":
            found[table_id] = TableMap(mapping, dim)
    return found


def _norm_title(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).replace("…", "...")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _title_matches(pattern: str, title: str) -> bool:
    pattern, title = _norm_title(pattern), _norm_title(title)
    if pattern.endswith("..."):
        return title.startswith(pattern[:-3].rstrip())
    return title == pattern


# --- sniffing ------------------------------------------------------------------------------------

def _header(head: bytes) -> list[str]:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    line = text.splitlines()[0] if text else ""
    return [cell.strip().strip('"').strip() for cell in line.split(";")]


def _dimensions() -> tuple[str, ...]:
    try:
        return tuple(t.dimension for t in tables().values())
    except IngestError:
        return ("KenmerkenAdviezenMeldingenDiensten", "KenmerkenAdviezenMeldingen")


class VeiligThuisFormat:
    name = "CBS Veilig Thuis (open data TypedDataSet, 84851NED/84849NED)"

    def sniff(self, path: Path, head: bytes) -> bool:
        cells = _header(head)
        if not cells or cells[0] != "ID":
            return False
        if any(dimension in cells for dimension in _dimensions()):
            return True
        # A Veilig Thuis file that lacks its dimension column: claim it, so the user hears
        # which column is missing instead of "unknown measure" from the generic format.
        keys = {SUFFIX.sub("", c) for c in cells}
        return any(key.startswith(hint) for key in keys for hint in _MEASURE_HINTS)

    def parse(self, path: Path, ctx: Context) -> Batch:
        return _Parser(path, ctx, tables()).run()


FORMAT = VeiligThuisFormat()


# --- parsing -------------------------------------------------------------------------------------

def check_cell(raw: str, path: Path, line: int, column: str, role: str = "count") -> None:
    """Check one cell: a count is a whole number ≥ 0 (``525``, or ``525.0`` as the cbsodata download
    writes it), a rate a number ≥ 0; ``.`` or empty is not published."""
    text = str(raw).strip().strip('"').strip()
    if text in ("", "."):
        return
    pattern = r"\d+(\.0+)?" if role == "count" else r"\d+(\.\d+)?"
    if re.fullmatch(pattern, text):
        if float(text) > MAX_ABS_NUMBER:
            raise IngestError(str(NumberTooLarge(text)), file=path, row=line, column=column)
        return
    if re.fullmatch(r"-\d+(\.\d+)?", text):
        what = "aantal" if role == "count" else "cijfer per inwoners"
        raise IngestError(f"negatief {what} {text} is niet mogelijk", file=path, row=line, column=column)
    if role != "count":
        raise IngestError(f"'{text}' is geen getal (verwacht een getal ≥ 0 met een punt als decimaalteken, of '.' "
                          "voor niet gepubliceerd)", file=path, row=line, column=column)
    raise IngestError(f"'{text}' is geen geheel aantal (verwacht een geheel getal ≥ 0, of '.' voor "
                      "niet gepubliceerd)", file=path, row=line, column=column)


class _Parser:
    def __init__(self, path: Path, ctx: Context, declared: dict[str, TableMap],
                 table: tuple[list[str], pd.DataFrame] | None = None) -> None:
        self.path, self.ctx, self.tables = path, ctx, declared
        self.table = table  # header and rows read from another shape (JSON, StatLine); else the CSV
        self.notes: list[str] = []

    # The table, from its dimension column.
    def _table(self, columns: dict[str, int]) -> TableMap:
        found = [t for t in self.tables.values() if t.dimension in columns]
        named = table_id_from_name(self.path)
        if not found:
            if named in self.tables:  # the file name says which table, so which column
                dimension = self.tables[named].dimension
                raise IngestError(f"kolom '{dimension}' ontbreekt in de kopregel; zonder deze dimensie zijn "
                                  f"de cijfers van {named} niet te lezen. Download de tabel opnieuw als "
                                  "TypedDataSet van opendata.cbs.nl", file=self.path, row=1, column=dimension)
            expected = " of ".join(f"'{t.dimension}' ({t.table_id})" for t in self.tables.values())
            raise IngestError(f"kolom {expected} ontbreekt in de kopregel; zonder deze dimensie is niet "
                              "te zien om welke Veilig Thuis-cijfers het gaat. Download de tabel opnieuw "
                              "als TypedDataSet van opendata.cbs.nl", file=self.path, row=1)
        if len(found) > 1:
            raise IngestError(f"de kopregel heeft zowel '{found[0].dimension}' als '{found[1].dimension}'; "
                              "een bestand hoort bij één CBS-tabel", file=self.path, row=1,
                              column=found[1].dimension)
        table = found[0]
        if named and named != table.table_id:
            self.notes.append(f"Let op: de bestandsnaam noemt tabel {named}, maar de kolom "
                              f"{table.dimension} hoort bij {table.table_id}; gelezen als {table.table_id}.")
        return table

    def _measures(self, header: list[str], table: TableMap) -> dict[int, tuple[str, str, str]]:
        """Column index → (column, kind, role). Count and rate of one kind are told apart by the
        declaration (``unit`` per full CBS key); only what the declaration leaves open is refused."""
        measures: dict[int, tuple[str, str, str]] = {}
        ignored: list[str] = []
        by_meaning: dict[tuple[str, str], str] = {}
        by_entry: dict[str, str] = {}
        units, meta = cbsunits.file_units(self.path)
        self.scales: dict[str, float] = {}
        for index, name in enumerate(header):
            if name in BASE_COLUMNS or name == table.dimension:
                continue
            key = SUFFIX.sub("", name)
            measure = table.mapping.measure(name)
            kind = measure.kind if measure is not None else None
            if kind is None:
                if table.mapping.ignored(name):
                    ignored.append(name)
                    continue
                known = list(table.mapping.measures)
                raise IngestError(
                    f"onbekende meetwaarde '{key}' (bekend: {', '.join(known)}). Hoort deze kolom bij "
                    f"Veilig Thuis, voeg '{name}' dan toe aan [measures] in {table.file_name} (met kind en unit), "
                    "of aan ignore om hem over te slaan", file=self.path, row=1, column=name)
            role, self.scales[name], unit = cbsunits.measure_unit(measure, name, units, meta, table.file_name)
            if measure.key in by_entry and unit is None:
                # One declaration without a unit for two columns (a count and its rate): ambiguous.
                raise IngestError(
                    f"de kolommen '{by_entry[measure.key]}' en '{name}' vallen allebei onder '{measure.key}' in "
                    f"{table.file_name}, en die zegt niet welke een aantal is en welke per 100 000 inwoners. "
                    f"Declareer ze apart met hun volledige CBS-sleutel en eenheid, bijvoorbeeld "
                    f"{by_entry[measure.key]} = {{ kind = \"{kind}\", unit = \"aantal\" }} en "
                    f"{name} = {{ kind = \"{kind}\", unit = \"per 100 000 inwoners\" }}",
                    file=self.path, row=1, column=name)
            meaning = (kind, role)
            if meaning in by_meaning:
                what = "aantal" if role == "count" else "per inwoners"
                raise IngestError(f"twee kolommen voor '{kind}' ({what}): '{by_meaning[meaning]}' en '{name}'; "
                                  f"{table.file_name} declareert ze als hetzelfde", file=self.path, row=1, column=name)
            by_meaning[meaning] = by_entry[measure.key] = name
            measures[index] = (name, kind, role)
        if not any(role == "count" for _n, _k, role in measures.values()):
            raise IngestError("het bestand heeft geen Veilig Thuis-aantallen (zoals GestarteAdviezen, "
                              "OntvangenMeldingen)", file=self.path, row=1)
        if ignored:
            self.notes.append(f"Meetwaarde(n) overgeslagen (niet in het datacontract): {', '.join(ignored)}.")
        return measures

    def _metadata(self, table: TableMap) -> dict[str, str]:
        """Key → Title from <stem>.<dimension>.csv (or .json) beside the data file (empty when absent)."""
        meta = cbsjson.beside(self.path, table.dimension)
        if meta is None:
            return {}
        header, rows = cbsjson.read_metadata(meta)
        for required in ("Key", "Title"):
            if required not in header:
                raise IngestError(f"kolom '{required}' ontbreekt; het metadatabestand van {table.dimension} "
                                  "heeft de kolommen Key;Title (zoals de CBS OData-API ze geeft)",
                                  file=meta, row=1)
        key_at, title_at = header.index("Key"), header.index("Title")
        out: dict[str, str] = {}
        for row in rows.itertuples(index=False, name=None):
            key = str(row[key_at]).strip()
            if key:
                out[key] = str(row[title_at]).strip()
        self.notes.append(f"Titels van {table.dimension} gelezen uit {meta.name} ({len(out)} sleutels).")
        return out

    def _resolver(self, table: TableMap, metadata: dict[str, str]):
        codes = {code: m.category for m in table.members for code in m.codes}
        cache: dict[str, tuple[str | None, str]] = {}

        def by_title(title: str, line: int) -> str | None:
            hits = {m.category for m in table.members for pattern in m.titles if _title_matches(pattern, title)}
            if len(hits) > 1:
                raise IngestError(f"de titel '{title}' past bij meer dan één categorie ({', '.join(sorted(hits))}) "
                                  f"in {table.file_name}", file=self.path, row=line, column=table.dimension)
            return hits.pop() if hits else None

        def resolve(raw: str, line: int) -> tuple[str | None, str]:
            """(category or None for a member that is not mapped, member label)."""
            if raw in cache:
                return cache[raw]
            if raw in codes:
                result = (codes[raw], raw)
            elif raw in table.ignored_codes:
                result = (None, raw)
            elif raw in metadata:
                result = (by_title(metadata[raw], line), metadata[raw])
            else:
                category = by_title(raw, line)
                if category is None and _KEY.fullmatch(raw):
                    meta = f"{self.path.stem}.{table.dimension}.csv"
                    raise IngestError(
                        f"onbekende sleutel '{raw}' van {table.dimension}: er is geen titel bekend. Zet het "
                        f"metadatabestand {meta} of .json (Key en Title, van https://opendata.cbs.nl/ODataApi/"
                        f"OData/{table.table_id}/{table.dimension}) naast het databestand, of voeg '{raw}' toe "
                        f"aan 'codes' van de juiste categorie (of aan 'ignored_codes' als het een onderverdeling is die "
                        f"niet meetelt) onder [dimensions.{table.dimension}] in {table.file_name}",
                        file=self.path, row=line, column=table.dimension)
                result = (category, raw)
            cache[raw] = result
            return result

        return resolve

    def run(self) -> Batch:
        path = self.path
        header, rows = self.table or read_rows(path, read_text(path), ";")
        columns = {name: index for index, name in enumerate(header)}
        for required in ("RegioS", "Perioden"):
            if required not in columns:
                raise IngestError(f"kolom '{required}' ontbreekt in de kopregel", file=path, row=1)
        table = self._table(columns)
        measures = self._measures(header, table)
        self.cut = vt_cutoff.detect(rows[columns[table.dimension]], rows[columns["RegioS"]],
                                    rows[columns["Perioden"]])
        self.at_limit = len(rows) == vt_cutoff.FEED_LIMIT
        kept = self._rows(rows, columns, table, measures)
        frame, members_seen = self._summed(kept, table, measures)
        protected_by = self._protection(table, frame)
        if not protected_by:
            frame = self._twente_scope(frame)
            frame["per_1000"] = None  # the protected view computes the rate from the published count
        # A rate beside a count CBS did not publish would give the count back (rate × inhabitants).
        frame.loc[frame["count"].isna(), "per_1000"] = None
        frame["per_1000"] = frame["per_1000"].astype("float64")
        frame["protected_by"] = protected_by
        frame["is_sample"] = False
        # Twente here is the Veilig Thuis-regio (or the sum of its gemeenten); other regions their own level.
        frame["region_kind"] = (frame["region_code"] == TWENTE).map({True: "vt_regio", False: None})
        source = source_row(
            self.ctx, source_id=f"cbs-{table.table_id}", publisher=table.mapping.publisher, title=table.title,
            table_id=table.table_id, licence=table.mapping.licence,
            peildatum=period_end(max(frame["period"], key=period_end)),
            url=(table.mapping.url or "https://opendata.cbs.nl/ODataApi/OData/{table_id}/TypedDataSet")
            .format(table_id=table.table_id),
            note=self._source_note(table, kept, protected_by),
        )
        frame["source_id"] = source["source_id"]
        self._summarise(table, frame, self.year_rows, self.unmapped, self.skipped_regions, members_seen)
        return Batch(source=source, frames={"vt_reports": frame}, notes=self.notes,
                     drop_sample_rows=("vt_reports",))

    def _region(self, raw: str) -> str | None:
        """The monitor's code for a CBS region code (``GM0153    ``) or title (``Hengelo (O.)``,
        ``Twente (VT)``: 85385NED, ``monitor/ingest/gebieden.py``); None for a region the store does
        not know (a gemeente or region of an older indeling)."""
        if raw not in self.region_cache:
            code = _region_code(raw, self.known)
            if code is None:
                code = self.regions.resolve(raw)
            self.region_cache[raw] = code if code in self.known else None
        return self.region_cache[raw]

    def _rows(self, rows: pd.DataFrame, columns: dict[str, int], table: TableMap, measures) -> pd.DataFrame:
        """The rows kept (regions of the monitor, half years, mapped members, not cut off), checked: line,
        region, period, category, member and the measure cells (raw text)."""
        path = self.path
        resolve = self._resolver(table, self._metadata(table))
        self.regions = gebieden.lookup(path)
        self.known = set(REGIONS) | set(regions_mod.KNOWN_CODES) | set(
            store.read_frame("regions", self.ctx.dataset_dir)["region_code"])
        self.region_cache: dict[str, str | None] = {}
        dim_at, region_at, period_at = columns[table.dimension], columns["RegioS"], columns["Perioden"]
        kept: list[tuple] = []
        seen: dict[tuple[str, str, str], int] = {}
        self.skipped_regions: dict[str, int] = {}
        self.year_rows = 0
        self.unmapped: dict[str, int] = {}
        self.titles: dict[str, str] = {}  # monitor region → the file's code or title for it
        for row in rows.itertuples(index=False, name=None):
            line, cells = int(row[-1]), row[:-1]
            raw_region = str(cells[region_at]).strip()
            region = self._region(raw_region)
            if region is None:
                self.skipped_regions[raw_region] = self.skipped_regions.get(raw_region, 0) + 1
                continue
            raw_period = str(cells[period_at]).strip()
            try:
                period = cbs_period(raw_period)[0]
            except PeriodError as exc:
                raise IngestError(str(exc), file=path, row=line, column="Perioden") from None
            if len(period) == 4:
                self.year_rows += 1
                continue
            if not re.fullmatch(r"\d{4}H[12]", period):
                raise IngestError(f"periode '{raw_period}' is geen halfjaar: Veilig Thuis-cijfers worden alleen "
                                  "per halfjaar (HJ01, HJ02) opgeslagen, niet per kwartaal of maand",
                                  file=path, row=line, column="Perioden")
            raw_member = str(cells[dim_at]).strip()
            if not raw_member:
                raise IngestError(f"lege waarde in {table.dimension}", file=path, row=line, column=table.dimension)
            category, member = resolve(raw_member, line)
            if category is None:
                self.unmapped[member] = self.unmapped.get(member, 0) + 1
                continue
            where = (region, period, raw_member)
            if where in seen:
                raise IngestError(f"dubbele rij voor regio {raw_region}, periode {raw_period}, "
                                  f"{table.dimension} {raw_member} (ook in rij {seen[where]})",
                                  file=path, row=line, column=table.dimension)
            seen[where] = line
            for index, (name, _kind, role) in measures.items():
                check_cell(cells[index], path, line, name, role)  # a number ≥ 0 (a count: whole), or not published
            self.titles.setdefault(region, raw_region)
            if self.cut is not None and not self.cut.keeps(raw_member, raw_region):
                continue  # a region the cut-off file does not hold completely for this member
            kept.append((line, region, period, category, member, *(cells[i] for i in measures)))
        if not kept:
            raise IngestError("het bestand bevat geen halfjaarcijfers voor de regio's van de monitor "
                              "(gemeenten, Veilig Thuis-regio's, Twente, Nederland)", file=path)
        names = [name for name, _kind, _role in measures.values()]
        frame = pd.DataFrame(kept, columns=[LINE, "_region", "_period", "_category", "_member", *names])
        if self.cut is not None:
            have = set(frame.loc[frame["_member"] == self.cut.member, "_region"])
            self.cut_missing = sorted((set(frame["_region"]) - have) & REGIONS, key=_region_rank)  # the note names Twente's
        return frame

    def _summed(self, kept: pd.DataFrame, table: TableMap, measures) -> tuple[pd.DataFrame, dict[str, set[str]]]:
        """The reader's long form of the kept rows, summed per category (``cbsmembers``), with the rate
        per 1.000 where CBS gives one; Twente from the gemeenten when the file has none."""
        def fail(message, row=None, column=None):
            return IngestError(message, file=self.path, row=row, column=column)
        names = [name for name, _kind, _role in measures.values()]
        long, _empty = cbstable.long_form(kept, names, [LINE, "_region", "_period", "_category", "_member"], fail,
                                          row_major=True)
        long["kind"] = long[COLUMN].map({name: kind for name, kind, _role in measures.values()})
        role = long[COLUMN].map({name: role for name, _kind, role in measures.values()})
        counts = long[role == "count"]
        records, skipped_kinds, members_seen = cbsmembers.summed(counts, table.dim)
        if skipped_kinds:
            self.notes.append(f"Voor {', '.join(sorted(skipped_kinds))} is alleen het totaal opgeslagen: de "
                              f"indeling '{table.breakdown}' hoort daar niet bij in het datacontract.")
        frame = pd.DataFrame(records)
        if self.cut is not None:
            frame = cbsmembers.present_only(frame, kept, table.dim)
        frame["per_1000"] = cbsmembers.rates(frame, long[role == "per_1000"], self.scales, members_seen, table.dim)
        if not (frame["region_code"] == TWENTE).any():
            frame, derived = cbsmembers.derive_twente(frame)
            if derived:
                self.notes.append("Het bestand heeft geen rijen voor de GGD-regio Twente: GG_TWENTE is afgeleid als de "
                                  "som van de 14 gemeenten, alleen voor perioden met alle 14 (niet gepubliceerd als het "
                                  "cijfer van één gemeente ontbreekt).")
        return frame, members_seen

    def _twente_scope(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Raw counts: only the 14 gemeenten, Twente and Nederland, the hierarchy the monitor's own
        protection is built for (a VT-regio's gemeenten are not its children in the regions table,
        and CBS's regional totals also count what it could not assign to a gemeente); the regions
        dropped are counted in the note."""
        outside = ~frame["region_code"].isin(REGIONS)
        if outside.any():
            dropped = frame.loc[outside, "region_code"]
            for code, n in dropped.value_counts().items():
                name = self.titles.get(code, code)
                self.skipped_regions[name] = self.skipped_regions.get(name, 0) + int(n)
            self.notes.append(f"Ruwe aantallen alleen voor de Twentse gemeenten, Twente en Nederland: "
                              f"{dropped.nunique()} andere regio('s) niet opgeslagen (de bescherming van de monitor "
                              "is voor die indeling gemaakt).")
        return frame[~outside].reset_index(drop=True)

    def _protection(self, table: TableMap, frame: pd.DataFrame) -> str | None:
        """Whose protection the counts bear: the declaration's ``protected_by`` (CBS) when every count is a
        multiple of CBS's rounding; otherwise the monitor protects them itself (and says so)."""
        declared = table.mapping.protected_by
        if not declared:
            if frame["per_1000"].notna().any():
                self.notes.append("Cijfers per 100 000 inwoners niet opgeslagen: bij ruwe aantallen rekent de monitor "
                                  "zelf per 1.000 inwoners uit de afgeronde aantallen.")
            return None
        counts = frame["count"].dropna().astype("int64")
        off = counts[counts % CBS_ROUNDING != 0]
        if off.empty:
            return declared
        first = frame.loc[off.index[0]]
        self.notes.append(f"Let op: {table.file_name} zegt dat {declared} deze aantallen al beschermt (afgerond op "
                          f"{CBS_ROUNDING}), maar dit bestand heeft aantallen die dat niet zijn (zoals {int(first['count'])}"
                          f" in rij {int(first[ROW])}): de monitor beschermt ze daarom zelf, als ruwe aantallen.")
        return None

    def _source_note(self, table: TableMap, kept: pd.DataFrame, protected_by: str | None) -> str:
        parts = [table.mapping.note] if table.mapping.note else []
        if protected_by:
            parts.append(f"Door {protected_by} afgerond op {CBS_ROUNDING}; een lege cel is door {protected_by} "
                         "afgeschermd of niet beschikbaar.")
        if self.cut is not None:
            label = str(kept.loc[kept["_member"] == self.cut.member, "_member"].iloc[0]) \
                if (kept["_member"] == self.cut.member).any() else self.cut.member
            seen = set(kept["_category"])
            absent = [category_label(c) for c in VT_BREAKDOWNS[table.breakdown]
                      if c not in seen and c != table.remainder]
            missing = [self.titles.get(r, region_name(r)) for r in self.cut_missing]
            parts.append(vt_cutoff.note(self.cut, table.dimension, label, missing, absent))
            self.notes.append("Waarschuwing: " + parts[-1])
        elif self.at_limit:
            parts.append(f"Bestand van precies {vt_cutoff.FEED_LIMIT:,} rijen (grens van CBS' feed); alle reeksen "
                         "volledig.".replace(",", "."))
        else:
            parts.append("Volledig: alle onderdelen hebben alle regio's en perioden.")
        return " ".join(parts)

    def _summarise(self, table, frame, year_rows, unmapped, skipped_regions, members_seen) -> None:
        periods = sorted(frame["period"].unique())
        notes = [f"CBS-tabel {table.table_id} ({table.title}): indeling '{table.breakdown}', "
                 f"{len(frame)} cellen, perioden {periods[0]} t/m {periods[-1]}."]
        missing = int(frame["count"].isna().sum())
        if missing:
            notes.append(f"{missing} cel(len) niet gepubliceerd door CBS ('.' of leeg, of een onderdeel daarvan): "
                         "opgeslagen als ontbrekend, niet als 0.")
        if table.remainder:
            notes.append(f"Categorie '{table.remainder}' is afgeleid: Totaal min de andere categorieën "
                         f"(alleen als die allemaal gepubliceerd zijn en het verschil niet negatief is).")
        multi = {c: sorted(m) for c, m in members_seen.items() if len(m) > 1}
        if multi:
            notes.append("Opgeteld per categorie: " + "; ".join(f"{c} = {' + '.join(m)}" for c, m in multi.items())
                         + ".")
        if year_rows:
            notes.append(f"{year_rows} jaarrij(en) overgeslagen: jaartotalen worden niet opgeslagen (een "
                         "jaartotaal min één halfjaar zou het andere halfjaar verraden).")
        if unmapped:
            names = ", ".join(sorted(unmapped)[:6]) + (", …" if len(unmapped) > 6 else "")
            notes.append(f"{sum(unmapped.values())} rij(en) overgeslagen voor {len(unmapped)} onderdeel/onderdelen "
                         f"van {table.dimension} die niet in de indeling staan ({names}).")
        if skipped_regions:
            names = ", ".join(sorted(skipped_regions)[:5]) + (", …" if len(skipped_regions) > 5 else "")
            notes.append(f"{sum(skipped_regions.values())} rij(en) overgeslagen voor {len(skipped_regions)} regio('s) "
                         f"buiten de monitor ({names}).")
        self.notes[:0] = notes
