"""Region titles → codes, through CBS 85385NED "Gebieden in Nederland".

Files in the ``cbsodata`` shape name regions by their StatLine *title* (``Hengelo (O.)``,
``Twente (VT)``, ``GGD Twente (GG)``, ``Twente (CR)``), not by code. 85385NED has one row per
gemeente: its title (``RegioS``), its code (``Code_1``, padded) and the code and name of every
region it belongs to (COROP, GGD-regio, Veilig Thuis-regio, jeugdzorgregio, …). From it:

- a gemeente title resolves to its code (``Hengelo (O.)`` → ``GM0164``);
- a regional title ``<name> (<XX>)`` resolves to the region of kind ``XX`` with that name; when
  its gemeenten are exactly the 14 Twente gemeenten it is Twente: ``GG_TWENTE`` in the monitor
  (``Twente (VT)``, ``Twente (JZ)``, ``Twente (CR)`` and ``GGD Twente (GG)`` are the same 14).

The file is looked up beside the file being imported, else in ``../shared/data/cbs`` (or
``$MONITOR_SHARED/data/cbs``). Without it the fixed names of ``monitor.domain.regions`` are used
(they know the Twente gemeenten, GGD Twente, Overijssel and Nederland) plus the Twente
regions of the kinds above, which 85385NED 2024 confirms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from monitor import settings
from monitor.domain import regions
from monitor.data.errors import IngestError
from monitor.ingest.common import read_text
from monitor.ingest.csvrows import read_rows

TABLE_ID = "85385NED"
# Region kinds in StatLine titles ("Twente (VT)") → the code and name columns of 85385NED for
# that kind, and the monitor's level (regions.level, observations.region_kind) for it.
KIND_COLUMNS: dict[str, str] = {
    "AM": "Naam_5",    # arbeidsmarktregio
    "CR": "Naam_11",   # COROP-gebied
    "GG": "Naam_17",   # GGD-regio
    "JZ": "Naam_19",   # jeugdzorgregio
    "LD": "Naam_27",   # landsdeel
    "PV": "Naam_29",   # provincie
    "VT": "Naam_47",   # Veilig Thuis-regio
}
CODE_COLUMNS: dict[str, str] = {kind: "Code_" + str(int(col.split("_")[1]) - 1) for kind, col in KIND_COLUMNS.items()}
KIND_NAMES: dict[str, str] = {
    "AM": "arbeidsmarktregio", "CR": "COROP-gebied", "GG": "GGD-regio", "JZ": "jeugdzorgregio",
    "LD": "landsdeel", "PV": "provincie", "VT": "Veilig Thuis-regio",
}
KIND_LEVELS: dict[str, str] = {
    "AM": "arbeidsmarktregio", "CR": "corop", "GG": "ggd_regio", "JZ": "jeugdzorgregio",
    "LD": "landsdeel", "PV": "provincie", "VT": "vt_regio",
}
# The gemeente columns of 85385NED: size class, urbanity and inhabitants.
GEMEENTE_COLUMNS = ("Naam_2", "Code_52", "Omschrijving_53", "Code_54", "Omschrijving_55", "Inwonertal_56")
# What 85385NED 2024 says of Twente (checked by tests/unit/test_ingest_cbstable.py): used when
# the file is not at hand.
_TWENTE_TITLES = ("Twente (AM)", "Twente (CR)", "GGD Twente (GG)", "Twente (JZ)", "Twente (VT)")
# Titles CBS shortens in its figure tables (StatLine titles have at most 40 characters) → the
# region's code in 85385NED.
TITLE_ALIASES: dict[str, str] = {
    "veiligh. en gez. gelderland-midden (gg)": "GG1911",
    "midden-brabant (hart van brabant) (jz)": "JZ35",
}
# Regions of older indelingen (Brabant Noordoost (VT), Veluwe Stedendriehoek (AM), …) are not in
# the indeling 2024 and are skipped, as are defunct gemeenten: their figures would have no region.
_TITLE = re.compile(r"^(?P<name>.+?)\s*\((?P<kind>[A-Z]{2})\)$")


@dataclass(frozen=True)
class Gebieden:
    gemeenten: dict[str, str]                      # normalised title → GM code
    members: dict[tuple[str, str], frozenset[str]]  # (kind, normalised name) → GM codes
    source: Path | None = None
    # (kind, normalised name) → the region's CBS code (GG0706); empty without the file
    codes: dict[tuple[str, str], str] = field(default_factory=dict)
    # GM code → the gemeente's row of 85385NED (GEMEENTE_COLUMNS and the region codes)
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    # every region: CBS code → (kind, name as CBS writes it)
    named: dict[str, tuple[str, str]] = field(default_factory=dict)

    def region_kind(self, title: str) -> str | None:
        """'VT' for 'Twente (VT)', None for a title without a kind."""
        match = _TITLE.match(" ".join(str(title).split()))
        return match["kind"] if match else None

    @cached_property
    def aliases(self) -> dict[str, str]:
        return self.twente_aliases()

    def twente_aliases(self) -> dict[str, str]:
        """The CBS codes of the regions that are exactly Twente's 14 gemeenten → GG_TWENTE, and
        Overijssel's province code → PV_OVERIJSSEL."""
        twente = frozenset(regions.GEMEENTE_CODES)
        found = {code: regions.TWENTE for key, code in self.codes.items() if self.members.get(key) == twente}
        found.update({code: regions.OVERIJSSEL for (kind, name), code in self.codes.items()
                      if kind == "PV" and name == "overijssel"})
        return found

    def monitor_code(self, code: str) -> str:
        """The monitor's code for a CBS region code: Twente's and Overijssel's have their own."""
        return self.aliases.get(code, code)

    def resolve(self, raw: str) -> str | None:
        """The monitor's region code for a CBS code or title, or None when the monitor has no such region."""
        text = " ".join(str(raw).split())
        if not text:
            return None
        code = regions.code_for_name(text)
        if code is not None:
            return code
        key = text.casefold()
        if key in self.gemeenten:
            return self.gemeenten[key]
        if key in TITLE_ALIASES and TITLE_ALIASES[key] in self.named:
            return self.monitor_code(TITLE_ALIASES[key])
        upper = text.upper()
        if upper in self.rows or upper in self.named:
            return self.monitor_code(upper)
        match = _TITLE.match(text)
        if match and match["kind"] in KIND_COLUMNS:
            name = _region_name_key(match["kind"], match["name"])
            if (match["kind"], name) in self.codes:
                return self.monitor_code(self.codes[(match["kind"], name)])
            if self.members.get((match["kind"], name)) == frozenset(regions.GEMEENTE_CODES):
                return regions.TWENTE
        return None

    def level(self, raw: str) -> str | None:
        """The kind of region a CBS code or title names, as a regions.level word: 'corop' for
        'Twente (CR)' and CR14, 'gemeente' for a gemeente, 'land' for Nederland."""
        text = " ".join(str(raw).split())
        kind = self.region_kind(text)
        if kind in KIND_LEVELS:
            return KIND_LEVELS[kind]
        code = text.upper()
        if code in self.named:
            return KIND_LEVELS[self.named[code][0]]
        if code[:2] in KIND_LEVELS:
            return KIND_LEVELS[code[:2]]
        resolved = self.resolve(text)
        if resolved is None:
            return None
        if resolved.startswith("GM"):
            return "gemeente"
        return {regions.NEDERLAND: "land", regions.OVERIJSSEL: "provincie", regions.TWENTE: "ggd_regio"}.get(resolved)

    def twente_titles(self) -> list[str]:
        """Every regional title whose gemeenten are the 14 of Twente."""
        found = []
        for (kind, name), codes in sorted(self.members.items()):
            if codes == frozenset(regions.GEMEENTE_CODES):
                found.append(f"{'GGD ' if kind == 'GG' else ''}{name.title()} ({kind})")
        return found


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _region_name_key(kind: str, name: str) -> str:
    name = _norm(name)
    return name.removeprefix("ggd ").strip() if kind == "GG" else name


def read(path: Path) -> Gebieden:
    """85385NED in the cbsodata shape (``ID;RegioS;Code_1;…``). Raises IngestError if it is not."""
    header, rows = read_rows(path, read_text(path), ";")
    need = ["RegioS", "Code_1", *KIND_COLUMNS.values(), *CODE_COLUMNS.values()]
    missing = [c for c in need if c not in header]
    if missing:
        raise IngestError(f"kolom '{missing[0]}' ontbreekt: dit is niet CBS-tabel {TABLE_ID} (Gebieden in "
                          "Nederland) in de vorm van een cbsodata-download", file=path, row=1, column=missing[0])
    extra = [c for c in GEMEENTE_COLUMNS if c in header]
    at = {name: header.index(name) for name in [*need, *extra]}
    gemeenten: dict[str, str] = {}
    members: dict[tuple[str, str], set[str]] = {}
    codes: dict[tuple[str, str], str] = {}
    named: dict[str, tuple[str, str]] = {}
    found_rows: dict[str, dict[str, str]] = {}
    for row in rows.itertuples(index=False, name=None):
        code = str(row[at["Code_1"]]).strip().upper()
        if not re.fullmatch(r"GM\d{4}", code):
            raise IngestError(f"'{code}' is geen gemeentecode (zoals GM0153)", file=path, row=int(row[-1]),
                              column="Code_1")
        gemeenten[_norm(row[at["RegioS"]])] = code
        found_rows[code] = {c: " ".join(str(row[at[c]]).split()) for c in [*extra, *CODE_COLUMNS.values()]}
        for kind, column in KIND_COLUMNS.items():
            title = " ".join(str(row[at[column]]).split())
            name = _region_name_key(kind, title)
            region = str(row[at[CODE_COLUMNS[kind]]]).strip().upper()
            members.setdefault((kind, name), set()).add(code)
            if region:
                codes[(kind, name)] = region
                named[region] = (kind, title)
    return Gebieden(gemeenten, {k: frozenset(v) for k, v in members.items()}, path, codes, found_rows, named)


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(float(text)) if text else None


def regions_frame(found: Gebieden) -> pd.DataFrame:
    """The regions table for the whole country: the monitor's own rows (Nederland, Overijssel,
    Twente, the 14 gemeenten, with their names), then every gemeente and every region of 85385NED.

    - A gemeente's parent is its GGD-regio (the 14 Twente gemeenten: GG_TWENTE).
    - A GGD-regio, COROP-gebied, jeugdzorgregio, Veilig Thuis-regio or arbeidsmarktregio has as
      parent the province holding all its gemeenten, else Nederland (a region across provinces).
    - A province and a landsdeel have Nederland as parent.
    - The Twente regions of every kind are one row, GG_TWENTE (their CBS codes are aliases), and
      Overijssel is PV_OVERIJSSEL (alias PV23).
    """
    rows: dict[str, dict] = {code: dict(region_code=code, name=name, level=level, parent_code=parent)
                             for code, name, level, parent in regions.REGION_ROWS}
    province_of = {gm: found.monitor_code(row[CODE_COLUMNS["PV"]]) for gm, row in found.rows.items()}
    for code, (kind, name) in sorted(found.named.items()):
        mine = found.monitor_code(code)
        if mine in rows:
            continue
        if kind in ("PV", "LD"):
            parent = regions.NEDERLAND
        else:
            gemeenten = found.members.get((kind, _region_name_key(kind, name)), frozenset())
            provinces = {province_of[gm] for gm in gemeenten if gm in province_of}
            parent = provinces.pop() if len(provinces) == 1 else regions.NEDERLAND
        rows[mine] = dict(region_code=mine, name=name, level=KIND_LEVELS[kind], parent_code=parent)
    for gm, row in sorted(found.rows.items()):
        entry = rows.setdefault(gm, dict(region_code=gm, name=row.get("Naam_2") or gm, level="gemeente"))
        entry["parent_code"] = found.monitor_code(row[CODE_COLUMNS["GG"]]) or None
        entry.update(size_class=_int(row.get("Code_52")), size_class_name=row.get("Omschrijving_53") or None,
                     urbanity=_int(row.get("Code_54")), urbanity_name=row.get("Omschrijving_55") or None,
                     inhabitants=_int(row.get("Inwonertal_56")))
    return pd.DataFrame(list(rows.values()))


def builtin() -> Gebieden:
    twente = frozenset(regions.GEMEENTE_CODES)
    members = {(kind, "twente"): twente for kind in ("AM", "CR", "GG", "JZ", "VT")}
    gemeenten = {_norm(name): code for code, name in regions.TWENTE_GEMEENTEN.items()}
    gemeenten["hengelo (o.)"] = "GM0164"
    return Gebieden(gemeenten, members, None)


def _candidates(beside: Path | None) -> list[Path]:
    folders = []
    if beside is not None:
        folders.append(beside.parent)
    shared = Path(settings.raw("MONITOR_SHARED") or Path(__file__).resolve().parents[3] / "shared")
    folders.append(shared / "data" / "cbs")
    found = []
    for folder in folders:
        if folder.is_dir():
            found += sorted(folder.glob(f"{TABLE_ID}*.csv"))
    return found


@lru_cache(maxsize=8)
def _cached(path: str, mtime: int) -> Gebieden:
    return read(Path(path))


def lookup(beside: Path | None = None) -> Gebieden:
    """85385NED from beside ``beside`` or from ../shared, else the built-in Twente regions."""
    for path in _candidates(beside):
        try:
            return _cached(str(path), path.stat().st_mtime_ns)
        except IngestError:
            continue
    return builtin()


TWENTE_TITLES = _TWENTE_TITLES
