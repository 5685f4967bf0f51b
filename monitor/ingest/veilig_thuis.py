"""CBS Veilig Thuis tables (84851NED, 84849NED) in the open-data "TypedDataSet" shape.

The CBS OData service and bulk download give one row per combination of dimension members and
one column per measure, ``;``-separated, header first::

    ID;KenmerkenAdviezenMeldingenDiensten;RegioS;Perioden;GestarteAdviezen_1;OntvangenMeldingen_2;…
    0;T001038;GM0153    ;2024HJ01;525;745;…

- The dimension column says which table it is and which breakdown it gives (see
  ``sources/veilig-thuis.toml``): ``KenmerkenAdviezenMeldingenDiensten`` (84851NED) → breakdown
  ``categorie``, ``KenmerkenAdviezenMeldingen`` (84849NED) → breakdown ``melder``. Its "Totaal"
  member is the total of the kind (breakdown ``totaal``).
- The cells of the dimension column are CBS *keys*. They are resolved to categories through
  ``codes`` in the TOML (``ignored_codes``: sub-items to skip), else through a metadata file beside the data file,
  ``<data file stem>.<dimension>.csv`` with columns ``Key;Title`` (the dimension entity set of the
  OData API), whose titles are looked up in ``titles`` in the TOML. A cell may also be a title
  itself (anything that does not look like a key, e.g. has a space, is read as a title). Members mapped to one category are summed; if one of them is not published the sum is
  not published. Members that are not mapped (sub-items) are skipped and counted in a note; a key
  without any known title is an error saying what to add where.
- Measures (suffix ``_N`` stripped): see ``[cbs.measures]`` in the TOML; ``CasussenMet…`` is
  skipped with a note, any other unknown measure is an error.
- ``RegioS``: the 14 Twente gemeenten, the GGD region Twente (→ ``GG_TWENTE``) and ``NL01``; other
  regions are skipped and counted in a note. When the file has no GGD-region rows, ``GG_TWENTE``
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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import tomllib

from monitor.data import store
from monitor.data.contract import VT_BREAKDOWNS, VT_KIND_BREAKDOWNS, VT_KINDS
from monitor.data.errors import IngestError
from monitor.ingest.base import COLUMN, ROW, Batch, Context
from monitor.ingest.common import MAX_ABS_NUMBER, NumberTooLarge, read_text, source_row, table_id_from_name
from monitor.ingest.csvrows import read_rows
from monitor.ingest.opendata import _region_code
from monitor.domain.periods import PeriodError, normalise_period, period_end
from monitor.domain.regions import GEMEENTE_CODES, NEDERLAND, TWENTE

CONFIG_PATH = store.REPO_ROOT / "sources" / "veilig-thuis.toml"
CONFIG_NAME = "sources/veilig-thuis.toml"
SUFFIX = re.compile(r"_\d+$")
# What a CBS member key looks like ("T001038", "1012600"). A cell that is not one is read as a
# title: mapped in the TOML, or a sub-item that is skipped.
_KEY = re.compile(r"[A-Za-z0-9_.-]+")
BASE_COLUMNS = ("ID", "RegioS", "Perioden")
REGIONS = frozenset(GEMEENTE_CODES) | {TWENTE, NEDERLAND}
# Every measure key the format recognises (for sniffing a file whose dimension column is missing).
_MEASURE_HINTS = ("GestarteAdviezen", "OntvangenMeldingen", "AfgerondeDiensten", "CasussenMetOntvangenMelding")


# --- configuration -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MemberMap:
    category: str          # contract category, or "totaal"
    titles: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    remainder: bool = False


@dataclass(frozen=True)
class TableMap:
    table_id: str
    title: str
    dimension: str
    breakdown: str
    members: tuple[MemberMap, ...]
    ignored_codes: tuple[str, ...] = ()

    @property
    def remainder(self) -> str | None:
        return next((m.category for m in self.members if m.remainder), None)


@dataclass(frozen=True)
class Config:
    measures: dict[str, str]
    measure_prefixes: dict[str, str]
    ignored_prefixes: tuple[str, ...]
    tables: dict[str, TableMap] = field(default_factory=dict)

    def kind_for(self, key: str) -> str | None:
        if key in self.measures:
            return self.measures[key]
        for prefix, kind in self.measure_prefixes.items():
            if key.startswith(prefix):
                return kind
        return None

    def ignored(self, key: str) -> bool:
        return any(key.startswith(prefix) for prefix in self.ignored_prefixes)


def _config_error(message: str) -> IngestError:
    return IngestError(f"{message}; pas {CONFIG_NAME} aan", file=CONFIG_PATH)


def load_config(path: Path | None = None) -> Config:
    """The [cbs] section of sources/veilig-thuis.toml, checked against the data contract."""
    path = path or CONFIG_PATH
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise IngestError(f"{CONFIG_NAME} ontbreekt; zonder deze indeling zijn de CBS Veilig "
                          "Thuis-tabellen niet te importeren", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise IngestError(f"{CONFIG_NAME} is geen geldige TOML: {exc}", file=path) from None
    cbs = data.get("cbs") or {}
    measures = dict(cbs.get("measures") or {})
    prefixes = dict(cbs.get("measure_prefixes") or {})
    for key, kind in (measures | prefixes).items():
        if kind not in VT_KINDS:
            raise _config_error(f"meetwaarde '{key}' verwijst naar onbekende soort '{kind}' "
                                f"(toegestaan: {', '.join(VT_KINDS)})")
    tables: dict[str, TableMap] = {}
    for table_id, spec in (cbs.get("tables") or {}).items():
        breakdown = spec.get("breakdown")
        if breakdown not in VT_BREAKDOWNS or breakdown == "totaal":
            raise _config_error(f"tabel {table_id}: onbekende indeling '{breakdown}'")
        members = []
        for item in spec.get("members") or []:
            category = item.get("category")
            if category != "totaal" and category not in VT_BREAKDOWNS[breakdown]:
                raise _config_error(f"tabel {table_id}: onbekende categorie '{category}' voor indeling "
                                    f"'{breakdown}' (toegestaan: {', '.join(VT_BREAKDOWNS[breakdown])})")
            members.append(MemberMap(category, tuple(item.get("titles") or ()),
                                     tuple(str(c).strip() for c in item.get("codes") or ()),
                                     bool(item.get("remainder", False))))
        if not any(m.category == "totaal" for m in members):
            raise _config_error(f"tabel {table_id}: geen categorie 'totaal'")
        tables[table_id] = TableMap(table_id, spec.get("title") or f"CBS-tabel {table_id}",
                                    spec["dimension"], breakdown, tuple(members),
                                    tuple(str(c).strip() for c in spec.get("ignored_codes") or ()))
    return Config(measures, prefixes, tuple(cbs.get("ignored_measure_prefixes") or ()), tables)


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
        return tuple(t.dimension for t in load_config().tables.values())
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
        return _Parser(path, ctx, load_config()).run()


FORMAT = VeiligThuisFormat()


# --- parsing -------------------------------------------------------------------------------------

def _count(raw: str, path: Path, line: int, column: str) -> int | None:
    text = str(raw).strip().strip('"').strip()
    if text in ("", "."):
        return None
    if re.fullmatch(r"\d+", text):
        if int(text) > MAX_ABS_NUMBER:
            raise IngestError(str(NumberTooLarge(text)), file=path, row=line, column=column)
        return int(text)
    if re.fullmatch(r"-\d+(\.0+)?", text):
        raise IngestError(f"negatief aantal {text} is niet mogelijk", file=path, row=line, column=column)
    raise IngestError(f"'{text}' is geen geheel aantal (verwacht een geheel getal ≥ 0, of '.' voor "
                      "niet gepubliceerd)", file=path, row=line, column=column)


class _Parser:
    def __init__(self, path: Path, ctx: Context, config: Config) -> None:
        self.path, self.ctx, self.config = path, ctx, config
        self.notes: list[str] = []

    # The table, from its dimension column.
    def _table(self, columns: dict[str, int]) -> TableMap:
        found = [t for t in self.config.tables.values() if t.dimension in columns]
        named = table_id_from_name(self.path)
        if not found:
            if named in self.config.tables:  # the file name says which table, so which column
                dimension = self.config.tables[named].dimension
                raise IngestError(f"kolom '{dimension}' ontbreekt in de kopregel; zonder deze dimensie zijn "
                                  f"de cijfers van {named} niet te lezen. Download de tabel opnieuw als "
                                  "TypedDataSet van opendata.cbs.nl", file=self.path, row=1, column=dimension)
            expected = " of ".join(f"'{t.dimension}' ({t.table_id})" for t in self.config.tables.values())
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

    def _measures(self, header: list[str], table: TableMap) -> dict[int, tuple[str, str]]:
        measures: dict[int, tuple[str, str]] = {}
        ignored: list[str] = []
        by_kind: dict[str, str] = {}
        for index, name in enumerate(header):
            if name in BASE_COLUMNS or name == table.dimension:
                continue
            key = SUFFIX.sub("", name)
            kind = self.config.kind_for(key)
            if kind is None:
                if self.config.ignored(key):
                    ignored.append(name)
                    continue
                known = [*self.config.measures, *(p + "…" for p in self.config.measure_prefixes)]
                raise IngestError(
                    f"onbekende meetwaarde '{key}' (bekend: {', '.join(known)}). Hoort deze kolom bij "
                    f"Veilig Thuis, voeg '{key}' dan toe aan [cbs.measures] in {CONFIG_NAME}, of aan "
                    "ignored_measure_prefixes om hem over te slaan", file=self.path, row=1, column=name)
            if kind in by_kind:
                raise IngestError(f"twee kolommen voor '{kind}': '{by_kind[kind]}' en '{name}'",
                                  file=self.path, row=1, column=name)
            by_kind[kind] = name
            measures[index] = (name, kind)
        if not measures:
            raise IngestError("het bestand heeft geen Veilig Thuis-meetwaarden (zoals GestarteAdviezen, "
                              "OntvangenMeldingen)", file=self.path, row=1)
        if ignored:
            self.notes.append(f"Meetwaarde(n) overgeslagen (niet in het datacontract): {', '.join(ignored)}.")
        return measures

    def _metadata(self, table: TableMap) -> dict[str, str]:
        """Key → Title from <stem>.<dimension>.csv beside the data file (empty when absent)."""
        meta = self.path.with_name(f"{self.path.stem}.{table.dimension}.csv")
        if not meta.exists():
            return {}
        header, rows = read_rows(meta, read_text(meta), ";")
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
                                  f"in {CONFIG_NAME}", file=self.path, row=line, column=table.dimension)
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
                        f"metadatabestand {meta} (kolommen Key;Title, van https://opendata.cbs.nl/ODataApi/"
                        f"OData/{table.table_id}/{table.dimension}) naast het databestand, of voeg '{raw}' toe "
                        f"aan 'codes' van de juiste categorie (of aan 'ignored_codes' als het een onderverdeling is die "
                        f"niet meetelt) onder [cbs.tables.{table.table_id}] in {CONFIG_NAME}",
                        file=self.path, row=line, column=table.dimension)
                result = (category, raw)
            cache[raw] = result
            return result

        return resolve

    def run(self) -> Batch:
        path = self.path
        header, rows = read_rows(path, read_text(path), ";")
        columns = {name: index for index, name in enumerate(header)}
        for required in ("RegioS", "Perioden"):
            if required not in columns:
                raise IngestError(f"kolom '{required}' ontbreekt in de kopregel", file=path, row=1)
        table = self._table(columns)
        measures = self._measures(header, table)
        resolve = self._resolver(table, self._metadata(table))
        dim_at, region_at, period_at = columns[table.dimension], columns["RegioS"], columns["Perioden"]

        # values[(region, period, kind)][category][member] = (count, line, column)
        values: dict[tuple[str, str, str], dict[str, dict[str, tuple]]] = {}
        members_seen: dict[str, set[str]] = {}
        seen: dict[tuple[str, str, str], int] = {}
        skipped_regions: dict[str, int] = {}
        year_rows = 0
        unmapped: dict[str, int] = {}
        for row in rows.itertuples(index=False, name=None):
            line, cells = int(row[-1]), row[:-1]
            raw_region = str(cells[region_at]).strip()
            region = _region_code(raw_region, set(REGIONS))
            if region is None:
                skipped_regions[raw_region] = skipped_regions.get(raw_region, 0) + 1
                continue
            raw_period = str(cells[period_at]).strip()
            try:
                period = normalise_period(raw_period)
            except PeriodError as exc:
                raise IngestError(str(exc), file=path, row=line, column="Perioden") from None
            if len(period) == 4:
                year_rows += 1
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
                unmapped[member] = unmapped.get(member, 0) + 1
                continue
            where = (region, period, raw_member)
            if where in seen:
                raise IngestError(f"dubbele rij voor regio {raw_region}, periode {raw_period}, "
                                  f"{table.dimension} {raw_member} (ook in rij {seen[where]})",
                                  file=path, row=line, column=table.dimension)
            seen[where] = line
            members_seen.setdefault(category, set()).add(member)
            for index, (name, kind) in measures.items():
                count = _count(cells[index], path, line, name)
                cell = values.setdefault((region, period, kind), {}).setdefault(category, {})
                cell[member] = (count, line, name)

        if not values:
            raise IngestError("het bestand bevat geen halfjaarcijfers voor de regio's van de monitor "
                              "(Twentse gemeenten, GGD-regio Twente, Nederland)", file=path)
        records = self._records(table, values, members_seen)
        frame = pd.DataFrame(records)
        if not (frame["region_code"] == TWENTE).any():
            frame = self._derive_twente(frame)

        source = source_row(
            self.ctx, source_id=f"cbs-{table.table_id}", publisher="CBS", title=table.title,
            table_id=table.table_id, licence="CC BY 4.0",
            peildatum=period_end(max(frame["period"], key=period_end)),
            url=f"https://opendata.cbs.nl/ODataApi/OData/{table.table_id}/TypedDataSet",
        )
        frame["per_1000"] = None      # the protected view computes the rate from the published count
        frame["protected_by"] = None  # raw counts as far as the monitor knows: its own protection applies
        frame["is_sample"] = False
        frame["source_id"] = source["source_id"]
        self._summarise(table, frame, year_rows, unmapped, skipped_regions, members_seen)
        return Batch(source=source, frames={"vt_reports": frame}, notes=self.notes,
                     drop_sample_rows=("vt_reports",))

    def _records(self, table: TableMap, values, members_seen) -> list[dict]:
        records: list[dict] = []
        categories = VT_BREAKDOWNS[table.breakdown]
        remainder = table.remainder
        skipped_kinds: set[str] = set()
        for (region, period, kind), by_category in sorted(values.items()):
            total_line = min(line for cell in by_category.values() for _c, line, _n in cell.values())
            column = next(n for cell in by_category.values() for _c, _l, n in cell.values())

            def summed(category: str) -> tuple[int | None, int]:
                cell = by_category.get(category, {})
                expected = members_seen.get(category, set())
                line = min((entry[1] for entry in cell.values()), default=total_line)
                if not expected or set(cell) != expected or any(entry[0] is None for entry in cell.values()):
                    return None, line
                return sum(entry[0] for entry in cell.values()), line

            def add(breakdown: str, category: str, count: int | None, line: int) -> None:
                records.append({"region_code": region, "period": period, "kind": kind, "breakdown": breakdown,
                                "category": category, "count": count, ROW: line, COLUMN: column})

            total, line = summed("totaal")
            add("totaal", "totaal", total, line)
            if table.breakdown not in VT_KIND_BREAKDOWNS[kind]:
                skipped_kinds.add(kind)
                continue
            known: dict[str, int | None] = {}
            for category in categories:
                if category == remainder:
                    continue
                known[category], line = summed(category)
                add(table.breakdown, category, known[category], line)
            if remainder:
                rest = None
                if total is not None and all(v is not None for v in known.values()):
                    rest = total - sum(known.values())
                    rest = rest if rest >= 0 else None
                add(table.breakdown, remainder, rest, total_line)
        if skipped_kinds:
            self.notes.append(f"Voor {', '.join(sorted(skipped_kinds))} is alleen het totaal opgeslagen: de "
                              f"indeling '{table.breakdown}' hoort daar niet bij in het datacontract.")
        return records

    def _derive_twente(self, frame: pd.DataFrame) -> pd.DataFrame:
        gemeenten = frame[frame["region_code"].isin(GEMEENTE_CODES)]
        if gemeenten.empty:
            return frame
        key = ["period", "kind", "breakdown", "category"]
        grouped = gemeenten.groupby(key, sort=True)
        twente = grouped.agg(count=("count", lambda s: None if s.isna().any() else int(s.sum())),
                             n=("region_code", "nunique"), **{ROW: (ROW, "min"), COLUMN: (COLUMN, "first")})
        twente = twente[twente["n"] == len(GEMEENTE_CODES)].drop(columns="n").reset_index()
        if twente.empty:
            return frame
        twente["count"] = twente["count"].astype(object).where(twente["count"].notna(), None)
        twente.insert(0, "region_code", TWENTE)
        self.notes.append("Het bestand heeft geen rijen voor de GGD-regio Twente: GG_TWENTE is afgeleid als de "
                          "som van de 14 gemeenten, alleen voor perioden met alle 14 (niet gepubliceerd als het "
                          "cijfer van één gemeente ontbreekt).")
        return pd.concat([frame, twente], ignore_index=True)

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
