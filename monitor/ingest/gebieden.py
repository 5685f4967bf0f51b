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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor import settings
from monitor.domain import regions
from monitor.data.errors import IngestError
from monitor.ingest.common import read_text
from monitor.ingest.csvrows import read_rows

TABLE_ID = "85385NED"
# Region kinds in StatLine titles ("Twente (VT)") → the name column of 85385NED for that kind.
KIND_COLUMNS: dict[str, str] = {
    "AM": "Naam_5",    # arbeidsmarktregio
    "CR": "Naam_11",   # COROP-gebied
    "GG": "Naam_17",   # GGD-regio
    "JZ": "Naam_19",   # jeugdzorgregio
    "PV": "Naam_29",   # provincie
    "VT": "Naam_47",   # Veilig Thuis-regio
}
KIND_NAMES: dict[str, str] = {
    "AM": "arbeidsmarktregio", "CR": "COROP-gebied", "GG": "GGD-regio", "JZ": "jeugdzorgregio",
    "PV": "provincie", "VT": "Veilig Thuis-regio",
}
# What 85385NED 2024 says of Twente (checked by tests/unit/test_ingest_cbstable.py): used when
# the file is not at hand.
_TWENTE_TITLES = ("Twente (AM)", "Twente (CR)", "GGD Twente (GG)", "Twente (JZ)", "Twente (VT)")
_TITLE = re.compile(r"^(?P<name>.+?)\s*\((?P<kind>[A-Z]{2})\)$")


@dataclass(frozen=True)
class Gebieden:
    gemeenten: dict[str, str]                      # normalised title → GM code
    members: dict[tuple[str, str], frozenset[str]]  # (kind, normalised name) → GM codes
    source: Path | None = None

    def region_kind(self, title: str) -> str | None:
        """'VT' for 'Twente (VT)', None for a title without a kind."""
        match = _TITLE.match(" ".join(str(title).split()))
        return match["kind"] if match else None

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
            found = self.gemeenten[key]
            return found if found in regions.GEMEENTE_CODES else None
        match = _TITLE.match(text)
        if match and match["kind"] in KIND_COLUMNS:
            name = match["name"].casefold().removeprefix("ggd ").strip() if match["kind"] == "GG" \
                else match["name"].casefold()
            gemeenten = self.members.get((match["kind"], name))
            if gemeenten == frozenset(regions.GEMEENTE_CODES):
                return regions.TWENTE
        return None

    def twente_titles(self) -> list[str]:
        """Every regional title whose gemeenten are the 14 of Twente."""
        found = []
        for (kind, name), codes in sorted(self.members.items()):
            if codes == frozenset(regions.GEMEENTE_CODES):
                found.append(f"{'GGD ' if kind == 'GG' else ''}{name.title()} ({kind})")
        return found


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def read(path: Path) -> Gebieden:
    """85385NED in the cbsodata shape (``ID;RegioS;Code_1;…``). Raises IngestError if it is not."""
    header, rows = read_rows(path, read_text(path), ";")
    need = ["RegioS", "Code_1", *KIND_COLUMNS.values()]
    missing = [c for c in need if c not in header]
    if missing:
        raise IngestError(f"kolom '{missing[0]}' ontbreekt: dit is niet CBS-tabel {TABLE_ID} (Gebieden in "
                          "Nederland) in de vorm van een cbsodata-download", file=path, row=1, column=missing[0])
    at = {name: header.index(name) for name in need}
    gemeenten: dict[str, str] = {}
    members: dict[tuple[str, str], set[str]] = {}
    for row in rows.itertuples(index=False, name=None):
        code = str(row[at["Code_1"]]).strip().upper()
        if not re.fullmatch(r"GM\d{4}", code):
            raise IngestError(f"'{code}' is geen gemeentecode (zoals GM0153)", file=path, row=int(row[-1]),
                              column="Code_1")
        gemeenten[_norm(row[at["RegioS"]])] = code
        for kind, column in KIND_COLUMNS.items():
            name = _norm(row[at[column]])
            if kind == "GG":
                name = name.removeprefix("ggd ").strip()
            members.setdefault((kind, name), set()).add(code)
    return Gebieden(gemeenten, {k: frozenset(v) for k, v in members.items()}, path)


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
