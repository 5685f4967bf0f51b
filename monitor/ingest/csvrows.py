"""Reading a delimited text file into raw string cells, with the line number of every row.

Used by the CBS open-data and the template importers. Every cell stays a string (no type
guessing, no "NA" → NaN), so the importer decides what is a number and what is missing, and
every row carries the line number a user sees in an editor (header = line 1).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from monitor.data.errors import IngestError
from monitor.ingest.common import shorten

LINE = "_line"


def _parser_error(path: Path, text: str, sep: str, exc: Exception) -> IngestError:
    """pandas' (English) parser error as a Dutch message with the line."""
    message = str(exc)
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if match:
        expected, line, saw = (int(g) for g in match.groups())
        return IngestError(f"deze rij heeft {saw} cellen, de kopregel {expected}; "
                           f"controleer het scheidingsteken '{sep}' en de aanhalingstekens", file=path, row=line)
    if "EOF inside string" in message or "unexpected end of data" in message:
        match = re.search(r"starting at row (\d+)", message)
        line = _unclosed_quote_line(text, sep) or (int(match.group(1)) + 1 if match else None)
        return IngestError('een tekst tussen aanhalingstekens (") wordt niet afgesloten: vanaf hier leest de rest '
                           'van het bestand als één cel. Sluit het aanhalingsteken of verwijder het', file=path,
                           row=line)
    return IngestError(f"het bestand is geen leesbaar '{sep}'-gescheiden bestand (de regels en cellen zijn "
                       "niet te scheiden); controleer het scheidingsteken en de aanhalingstekens", file=path)


def _unclosed_quote_line(text: str, sep: str) -> int | None:
    r"""The line on which the quoted cell that is never closed begins (a doubled quote inside a
    cell toggles twice, so it does not count).

    >>> _unclosed_quote_line('a;b\n1;"x\n2;y\n', ";")
    2
    """
    inside, start = False, None
    for number, line in enumerate(text.split("\n"), start=1):
        for _quote in range(line.count('"')):
            inside = not inside
            if inside:
                start = number
    return start if inside else None


def _check_header(path: Path, header: list[str]) -> None:
    """Every column name once: with two columns of one name, one of them would be lost."""
    seen: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        key = name.casefold()
        if not key:
            continue
        if key in seen:
            raise IngestError(f"de kolom '{shorten(name)}' staat twee keer in de kopregel (kolom {seen[key]} en "
                              f"{index}); één van beide zou verloren gaan. Verwijder of hernoem er één",
                              file=path, row=1, column=shorten(name))
        seen[key] = index


def read_rows(path: Path, text: str, sep: str) -> tuple[list[str], pd.DataFrame]:
    """The header (stripped cells) and the data rows as strings, with column ``_line``.

    Blank lines and rows whose cells are all empty are dropped (their line numbers are not
    reused). A row with more cells than the header is an error naming its line.
    """
    try:
        raw = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False,
                          skip_blank_lines=False, quotechar='"', engine="c")
    except pd.errors.ParserError as exc:
        raise _parser_error(path, text, sep, exc) from None
    except pd.errors.EmptyDataError:
        raise IngestError("het bestand is leeg", file=path) from None
    raw = raw.fillna("")
    header = [str(cell).strip().strip('"').strip() for cell in raw.iloc[0].tolist()]
    _check_header(path, header)
    data = raw.iloc[1:].copy()
    data.columns = range(len(header))
    data[LINE] = data.index + 1
    cells = data.drop(columns=[LINE])
    empty = cells.apply(lambda col: col.astype(str).str.strip().eq("")).all(axis=1)
    data = data[~empty].reset_index(drop=True)
    return header, data
