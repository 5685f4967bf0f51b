"""Errors that reach a user: always Dutch, always naming file, row and column where known."""

from __future__ import annotations

from pathlib import Path

from monitor.domain.errors import MonitorError


class IngestError(MonitorError):
    """Bad input. The message names the file and, where it applies, the row and column.

    ``row`` is the line number in the file as a user sees it in a text editor or Excel
    (the header is line 1). ``row_label`` replaces "rij <row>" where a file has no lines to
    count, such as a JSON record (``record 3 (value[3])``), and ``column_label`` names its key.
    """

    row_label: str | None = None
    column_label = "kolom"  # "sleutel" for a key of a JSON record

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
            where.append(self.row_label or f"rij {self.row}")
        if self.column:
            where.append(f"{self.column_label} '{self.column}'")
        prefix = ", ".join(where)
        return f"Fout in {prefix}: {self.message}" if prefix else f"Fout: {self.message}"


# ---------------------------------------------------------------------------- the dataset folder

REBUILD_HINT = ("Bouw de datasets opnieuw op (python -m monitor build) of importeer het bronbestand "
                "opnieuw; de monitor gebruikt het herstelde bestand meteen, zonder herstart.")


class DatasetUnreadable(MonitorError):
    """A dataset file that cannot be read (truncated, not Parquet, a broken page, a schema that
    is not the contract's). Only what needs this file fails; the message names it."""

    def __init__(self, file: str | Path, reason: str) -> None:
        self.file = Path(file)
        self.reason = reason
        # An s3:// object keeps its URL whole (a Path would fold "s3://" into "s3:/").
        folder = str(file).rsplit("/", 1)[0] if str(file).startswith("s3://") else self.file.parent
        super().__init__(
            f"Het bestand {self.file.name} (map {folder}) kan niet worden gelezen: {reason}. "
            f"Wat dit bestand nodig heeft, wordt daarom niet getoond. {REBUILD_HINT}")


class StorageError(MonitorError):
    """Writing to the dataset folder failed (disk full, no permission, read-only); nothing changed."""

    def __init__(self, message: str, errno_code: int | None = None) -> None:
        self.errno = errno_code
        super().__init__(message)


def write_failure(exc: OSError, what: str, folder: str | Path) -> str:
    """The Dutch message for a failed write of ``what`` (e.g. "de import (sources.parquet)") into
    ``folder``. Raised before anything became visible, so it always ends in "nothing changed"."""
    import errno

    tail = f"{what} is niet opgeslagen (map {folder}); er is niets veranderd."
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"De schijf is vol: {tail} Maak ruimte vrij en probeer het opnieuw."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"Geen schrijfrechten: {tail} Vraag de beheerder om schrijfrechten op deze map."
    if exc.errno == errno.EROFS:
        return f"De schijf is alleen-lezen: {tail} Vraag de beheerder om de map beschrijfbaar te maken."
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"Schrijven is mislukt ({reason}): {tail}"


def unreadable_reason(exc: BaseException) -> str:
    """A short Dutch reason for a Parquet file that cannot be read."""
    text = str(exc)
    if "magic bytes" in text or "too small" in text or "size is 0" in text:
        return "het is geen volledig Parquet-bestand (afgebroken of leeg)"
    import pyarrow as pa  # here, not at the top: the launcher imports this module and not pyarrow

    if isinstance(exc, (pa.ArrowTypeError, pa.ArrowNotImplementedError)) or "schema" in text.lower():
        return "de kolommen kloppen niet met het datacontract (datasets/README.md)"
    return f"het bestand is beschadigd ({type(exc).__name__}: {text.splitlines()[0][:120] if text else '-'})"
