"""Errors that reach a user: always Dutch, always naming file, row and column where known."""

from __future__ import annotations

from pathlib import Path


class MonitorError(Exception):
    """Base class for errors shown to users as they are."""


class IngestError(MonitorError):
    """Bad input. The message names the file and, where it applies, the row and column.

    ``row`` is the line number in the file as a user sees it in a text editor or Excel
    (the header is line 1).
    """

    def __init__(self, message: str, file: str | Path | None = None, row: int | None = None,
                 column: str | None = None) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        super().__init__(self.__str__())

    def located(self, file: str | Path) -> "IngestError":
        """The same error with the file filled in (when the parser did not know it)."""
        if self.file is None:
            self.file = str(file)
        return self

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"bestand {Path(self.file).name}")
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        prefix = ", ".join(where)
        return f"Fout in {prefix}: {self.message}" if prefix else f"Fout: {self.message}"
