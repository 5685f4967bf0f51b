"""Reading a project register (``monitor/ingest/register.py``): where each entry and key stands in
the TOML text, typed access to an entry's values with errors naming line and key, and the small
helpers the sections share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import tomllib

from monitor.domain import regions as regions_mod
from monitor.data.contract import (
    PHASES,
    SCHEMAS,
)
from monitor.data.errors import IngestError
from monitor.ingest.base import COLUMN, ROW
from monitor.domain.periods import PeriodError, iso_date, normalise_period

NAME = "Projectregister Twentse Koers (TOML)"

# (required keys, optional keys) per table. Unknown keys are an error: a typo such as
# "phase_strat" must not silently drop a value.
_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "register": (("title", "publisher", "licence", "peildatum", "source_id"),
                 ("short_title", "published", "url", "note", "plan_end")),
    "project": (("id", "name", "themalijn", "doelstelling", "speerpunten", "phase_start", "phase_expected"),
                ("parent", "source_name", "note", "quote")),
    "themalijn": (("id", "name", "ambition", "ambition_short", "headline_indicators"), ("note", "quote")),
    "indicator": (("id", "name", "unit", "direction", "description"),
                  ("themalijn", "source_id", "phrase", "measurement", "note", "quote")),
    "observation": (("indicator", "region", "period", "value"),
                    ("subgroup", "ci_low", "ci_high", "status", "is_sample", "note", "quote")),
    "quote": (("indicator", "region", "figure", "quoted_source", "quote"),
              ("subgroup", "quoted_edition", "note")),
    "target": (("indicator", "region", "comparator", "target_value", "deadline"),
               ("baseline", "baseline_period", "note", "quote")),
    "kpi": (("id", "project", "name", "unit", "target_value", "deadline"), ("note", "quote")),
    "local_assignment": (("region", "project", "description"), ("note", "quote")),
}
_ARRAYS = ("themalijn", "project", "indicator", "observation", "quote", "target", "kpi", "local_assignment")

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_COMPARATOR_ALIASES = {"<=": "≤", ">=": "≥", "=<": "≤", "=>": "≥"}
_MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
# How documents write the phases: "Realisatiefase", "Voorbereidingsfase".
_PHASE_WORDS = tuple(p + ("sfase" if p.endswith("ing") else "fase") for p in PHASES)
_REGISTER_HEADER = re.compile(rb"^\s*\[\s*register\s*\]\s*(?:#.*)?$", re.MULTILINE)
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_\-]+)\s*(\]\]?)\s*(?:#.*)?$")



# --- where things stand in the file ------------------------------------------------------------

class _Lines:
    """Finds the line of a table header and of a key inside a table in the raw TOML text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.blocks: dict[str, list[tuple[int, int]]] = {}  # kind -> [(first, last)] 1-based
        self.table_line: dict[str, int] = {}
        open_blocks: list[tuple[str, int]] = []
        in_string: str | None = None
        for number, line in enumerate(self.lines, start=1):
            if in_string:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            match = _HEADER.match(line)
            if match:
                kind = match.group(2)
                open_blocks.append((kind, number))
                if match.group(1) == "[":
                    self.table_line.setdefault(kind, number)
            for delimiter in ('"""', "'''"):
                if line.count(delimiter) % 2 == 1:
                    in_string = delimiter
                    break
        for index, (kind, first) in enumerate(open_blocks):
            last = open_blocks[index + 1][1] - 1 if index + 1 < len(open_blocks) else len(self.lines)
            self.blocks.setdefault(kind, []).append((first, last))

    def entry_line(self, kind: str, index: int) -> int | None:
        blocks = self.blocks.get(kind, [])
        return blocks[index][0] if index < len(blocks) else self.table_line.get(kind)

    def key_line(self, kind: str, index: int | None, key: str) -> int | None:
        if index is None:
            first = self.table_line.get(kind)
            last = None
            for start, end in self.blocks.get(kind, []):
                if start == first:
                    last = end
        else:
            blocks = self.blocks.get(kind, [])
            first, last = blocks[index] if index < len(blocks) else (None, None)
        if first is None:
            return None
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=")
        for number in range(first, (last or first) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return first


@dataclass
class _Entry:
    """One table of the file with helpers that raise errors pointing at the right line."""

    kind: str
    index: int | None
    data: dict
    lines: _Lines
    path: Path
    row: int | None = field(init=False)

    def __post_init__(self) -> None:
        self.row = (self.lines.entry_line(self.kind, self.index) if self.index is not None
                    else self.lines.table_line.get(self.kind))

    def error(self, message: str, key: str | None = None) -> IngestError:
        row = self.lines.key_line(self.kind, self.index, key) if key else self.row
        return IngestError(message, file=self.path, row=row, column=key)

    def check_keys(self) -> None:
        required, optional = _KEYS[self.kind]
        for key in self.data:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                raise self.error(f"onbekende sleutel '{key}' in [{self._label()}] (toegestaan: {allowed})", key)
        for key in required:
            if key not in self.data:
                raise IngestError(f"[{self._label()}] mist de verplichte sleutel '{key}'",
                                  file=self.path, row=self.row, column=key)

    def _label(self) -> str:
        return f"[{self.kind}]" if self.index is not None else self.kind

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise self.error(f"'{key}' moet tekst zijn (tussen aanhalingstekens)", key)
        value = value.strip()
        if required and not value:
            raise self.error(f"'{key}' is verplicht maar leeg", key)
        return value or None

    def number(self, key: str, required: bool = True) -> float | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(f"'{key}' moet een getal zijn (zonder aanhalingstekens), niet '{value}'", key)
        return float(value)

    def day(self, key: str, required: bool = True) -> date | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, datetime):
            raise self.error(f"'{key}' moet een datum zijn (JJJJ-MM-DD), zonder tijd", key)
        found = iso_date(value)
        if found is None:
            raise self.error(f"'{key}' moet een datum zijn in de vorm JJJJ-MM-DD, niet '{value}'", key)
        return found

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(f"'{key}' moet true of false zijn", key)
        return value

    def period(self, key: str, required: bool = True) -> str | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        try:
            return normalise_period(value)
        except PeriodError as exc:
            raise self.error(f"{exc} (verwacht bijvoorbeeld 2023, 2024H1, 2025Q3)", key) from None


def _entries(data: dict, kind: str, lines: _Lines, path: Path) -> list[_Entry]:
    raw = data.get(kind, [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise IngestError(f"'{kind}' moet als [[{kind}]]-tabellen geschreven zijn",
                          file=path, row=lines.key_line(kind, None, kind) or lines.entry_line(kind, 0))
    if len(lines.blocks.get(kind, [])) != len(raw):
        # Written in a form the line finder does not follow (inline tables): no line numbers.
        lines.blocks[kind] = []
    entries = [_Entry(kind, index, item, lines, path) for index, item in enumerate(raw)]
    for entry in entries:
        entry.check_keys()
    return entries


def _decode_error(exc: tomllib.TOMLDecodeError, text: str, path: Path) -> IngestError:
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    reason = re.sub(r"\s*\(at .*\)$", "", message)
    if match:
        return IngestError(
            f"geen geldige TOML (teken {match.group(2)} op deze regel; technische melding: '{reason}'). "
            "Controleer aanhalingstekens, komma's en haken.",
            file=path, row=int(match.group(1)))
    return IngestError(
        f"geen geldige TOML aan het eind van het bestand (technische melding: '{reason}'). "
        "Controleer of alle aanhalingstekens en haken gesloten zijn.",
        file=path, row=len(text.splitlines()) or None)


def _region(entry: _Entry, known: set[str]) -> str:
    raw = entry.text("region")
    code = regions_mod.code_for_name(raw)
    if code is None and raw in known:
        code = raw
    if code is None or code not in known:
        raise entry.error(f"onbekende regio '{raw}' (gebruik een CBS-code zoals GM0153, of GG_TWENTE, "
                          "PV_OVERIJSSEL, NL01)", "region")
    return code


def _recorded_at(entry: _Entry, peildatum: date) -> datetime:
    value = entry.data.get("published")
    if value is None:
        day = peildatum
    elif isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        match = re.fullmatch(r"\s*([A-Za-z]+)\s+(\d{4})\s*", str(value))
        month = _MONTHS.get(match.group(1).lower()) if match else None
        if not month:
            raise entry.error(f"'published' moet een datum zijn of een maand en jaar zoals "
                              f"'december 2024', niet '{value}'", "published")
        day = date(int(match.group(2)), month, 1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _paragraphs(text: str) -> str:
    """Multi-line TOML text as paragraphs: lines joined, paragraphs separated by one blank line."""
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(p for p in paragraphs if p)


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    columns = list(SCHEMAS[table].names) + [ROW, COLUMN]
    frame = pd.DataFrame(rows, columns=columns)
    frame[ROW] = frame[ROW].astype("Int64")
    frame[COLUMN] = frame[COLUMN].astype(object)
    return frame


def _where(entry: _Entry) -> dict:
    # _column stays empty: an entry is a whole TOML table, so validation names the key it checks.
    return {ROW: entry.row, COLUMN: None}


