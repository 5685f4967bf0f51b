"""Small helpers the format modules share: decoding, Dutch numbers, source rows."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from monitor.data.errors import IngestError
from monitor.ingest.base import Context

TABLE_ID = re.compile(r"(\d{5}[A-Z]{3})")


def read_text(path: Path) -> str:
    """The file as text. UTF-8 (with or without BOM) only; anything else is a clear error."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(
            "het bestand is niet in UTF-8 opgeslagen (ongeldige byte "
            f"0x{data[exc.start]:02X}). Sla het in Excel op als 'CSV UTF-8 (door komma's "
            "gescheiden)' of exporteer opnieuw uit StatLine.",
            file=path, row=line,
        ) from None
    if not text.strip():
        raise IngestError("het bestand is leeg", file=path)
    return text


# No figure the monitor holds comes near this (the population of Nederland is 1,8e7); every
# whole number below it is exact in a float, and an integer column can hold it.
MAX_ABS_NUMBER = 1e15


class NumberTooLarge(ValueError):
    """A number that is infinite or beyond :data:`MAX_ABS_NUMBER` (``1e400``, 400 nines)."""

    def __str__(self) -> str:
        return (f"'{shorten(self.args[0])}' is te groot (meer dan 15 cijfers vóór de komma) of oneindig; "
                "controleer de cel")


def shorten(value: object, limit: int = 60) -> str:
    """A value as it may be quoted in a message: at most ``limit`` characters.

    >>> shorten("x" * 2_000_000)[-24:]
    'xxxx… (2.000.000 tekens)'
    """
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} tekens)".replace(",", ".")


def _checked(number: float, raw: object) -> float:
    if number != number:
        return number
    if abs(number) > MAX_ABS_NUMBER:  # also inf
        raise NumberTooLarge(raw)
    return number


def parse_number(raw: object, decimal: str = ",") -> float | None:
    """A number as Dutch files write it ('1.234,5', '12,3', '  7 '), None for empty or '.'.

    CBS writes '.' for "not published" and '' for missing; both stay missing, never 0.
    Raises ValueError for anything that is not a number, and :class:`NumberTooLarge` (a
    ValueError) for an infinite one or one beyond :data:`MAX_ABS_NUMBER` (``1e400``,
    ``99999999999999999999999``): stored, those became ``inf`` or broke a count column.
    """
    if raw is None:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw != raw:
            return None  # NaN stays missing
        if isinstance(raw, int) and abs(raw) > MAX_ABS_NUMBER:
            raise NumberTooLarge(raw)  # float() of a huge int would overflow
        return _checked(float(raw), raw)
    text = str(raw).strip().strip('"').strip()
    if text in ("", ".", "x", "-", "?"):
        return None
    if decimal == ",":
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
            text = text.replace(".", "")
        text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text):
        raise ValueError(shorten(text))
    return _checked(float(text), text)


def table_id_from_name(path: Path) -> str | None:
    match = TABLE_ID.search(path.name.upper())
    return match.group(1) if match else None


def source_row(ctx: Context, **defaults) -> dict:
    """The sources row: defaults from the format, overridden by command line / manifest."""
    row = {
        "source_id": None, "publisher": None, "title": None, "table_id": None,
        "licence": "CC BY 4.0", "peildatum": None, "retrieved": ctx.retrieved,
        "checksum": ctx.checksum, "is_sample": False, "url": None, "note": None,
    }
    row.update({k: v for k, v in defaults.items() if v is not None})
    row.update({k: v for k, v in ctx.overrides.items() if v is not None})
    for key in ("peildatum", "retrieved"):
        if isinstance(row[key], str):
            row[key] = date.fromisoformat(row[key])
    if row["peildatum"] is None:
        raise IngestError("de peildatum van deze bron is onbekend; geef hem op met --peildatum JJJJ-MM-DD")
    return row
