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

from monitor.errors import IngestError

LINE = "_line"


def read_rows(path: Path, text: str, sep: str) -> tuple[list[str], pd.DataFrame]:
    """The header (stripped cells) and the data rows as strings, with column ``_line``.

    Blank lines and rows whose cells are all empty are dropped (their line numbers are not
    reused). A row with more cells than the header is an error naming its line.
    """
    try:
        raw = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False,
                          skip_blank_lines=False, quotechar='"', engine="c")
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            expected, line, saw = (int(g) for g in match.groups())
            raise IngestError(f"deze rij heeft {saw} cellen, de kopregel {expected}; "
                              f"controleer het scheidingsteken '{sep}' en de aanhalingstekens",
                              file=path, row=line) from None
        raise IngestError(f"het bestand is geen leesbaar '{sep}'-gescheiden bestand: {exc}",
                          file=path) from None
    except pd.errors.EmptyDataError:
        raise IngestError("het bestand is leeg", file=path) from None
    raw = raw.fillna("")
    header = [str(cell).strip().strip('"').strip() for cell in raw.iloc[0].tolist()]
    data = raw.iloc[1:].copy()
    data.columns = range(len(header))
    data[LINE] = data.index + 1
    cells = data.drop(columns=[LINE])
    empty = cells.apply(lambda col: col.astype(str).str.strip().eq("")).all(axis=1)
    data = data[~empty].reset_index(drop=True)
    return header, data
