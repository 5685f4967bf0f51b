"""Table downloads: CSV as Dutch Excel opens it, and XLSX.

CSV (:func:`to_dutch_csv`): ``;`` between fields, decimal comma and no thousands separator
(Dutch Excel reads ``1234,5`` as a number; ``1.234,5`` would not survive every locale), dates
as ``dd-mm-jjjj``, UTF-8 with a byte order mark (so Excel does not guess a legacy code page)
and CRLF line endings.

XLSX (:func:`to_xlsx`): numbers and dates stay real numbers and dates, with number formats
(Excel shows them in the reader's own locale), a bold frozen header row and column widths.

Both: lists (speerpunten) are joined with ``"; "``, booleans become ``ja``/``nee``,
timestamps with a time zone are shown in Dutch time (Europe/Amsterdam), missing values stay
empty (never 0), and ``footer_lines`` (source, peildatum, voorbeelddata mark) come after
the table, separated by an empty row.

No download carries a live formula (CSV injection, as OWASP describes it): a text cell —
a value, a column name, a title or a footer line — that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return (after any spaces) and is not simply a number is
neutralised: in CSV it gets a leading ``'``; in XLSX it is stored as text with Excel's
quote prefix (shown as typed, never evaluated, not even after editing the cell). Numbers stay
numbers. Characters a spreadsheet cannot hold (control characters, U+FFFE/U+FFFF) become
U+FFFD in XLSX, which would otherwise refuse the whole file; an infinite or NaN number is
written as text in XLSX (Excel has no value for it), a whole number beyond ±2^53 as text
(Excel would round it).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from monitor.domain.text import format_number

BOM = b"\xef\xbb\xbf"
LIST_SEPARATOR = "; "
TIME_ZONE = "Europe/Amsterdam"
CSV_DATE_FORMAT = "%d-%m-%Y"
CSV_DATETIME_FORMAT = "%d-%m-%Y %H:%M"
XLSX_DATE_FORMAT = "dd-mm-yyyy"
XLSX_DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
MAX_DECIMALS = 4
MAX_WIDTH = 60

_DATE, _DATETIME, _INT, _FLOAT, _OTHER = "date", "datetime", "int", "float", "other"

# A text cell Excel (or LibreOffice) would read as a formula; and one that is just a number.
_FORMULA_START = re.compile(r"^[ ]*[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|[.,]\d+)([eE][+-]?\d+)?%?$")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EXACT_INT = 2**53


def is_formula_like(text: str) -> bool:
    r"""Whether a spreadsheet would evaluate ``text`` typed into a cell.

    >>> [is_formula_like(t) for t in ("=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\tx", "-5", "-1,5", "gewoon")]
    [True, True, True, True, True, False, False, False]
    """
    return bool(_FORMULA_START.match(text)) and not _PLAIN_NUMBER.match(text.strip())


def neutralise(value):
    r"""A text that cannot become a formula (OWASP: a leading ``'``); other values unchanged.

    >>> neutralise('=HYPERLINK("http://x")'), neutralise("-5"), neutralise(3)
    ('\'=HYPERLINK("http://x")', '-5', 3)
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def _missing(value) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return False


def _join_list(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        return LIST_SEPARATOR.join("" if _missing(v) else str(v) for v in value)
    return value


def _prepare(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """A copy with lists joined, booleans as ja/nee, times in Dutch time; and each column's kind."""
    out = pd.DataFrame(index=range(len(frame)))
    kinds: dict[str, str] = {}
    for name in frame.columns:
        col = frame[name].reset_index(drop=True)
        key = str(name)
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            col = col.dt.tz_convert(TIME_ZONE).dt.tz_localize(None)
        if pd.api.types.is_bool_dtype(col.dtype):
            out[key] = col.map(lambda v: None if _missing(v) else ("ja" if v else "nee"))
            kinds[key] = _OTHER
        elif pd.api.types.is_datetime64_any_dtype(col.dtype):
            values = col.dropna()
            only_dates = bool((values == values.dt.normalize()).all())
            out[key] = col
            kinds[key] = _DATE if only_dates else _DATETIME
        elif pd.api.types.is_integer_dtype(col.dtype):
            out[key] = col
            kinds[key] = _INT
        elif pd.api.types.is_float_dtype(col.dtype):
            out[key] = col.astype("float64")
            kinds[key] = _FLOAT
        else:
            values = [v for v in col if not _missing(v)]
            if values and all(isinstance(v, (date, datetime)) for v in values):
                stamps = pd.to_datetime(col)
                if isinstance(stamps.dtype, pd.DatetimeTZDtype):
                    stamps = stamps.dt.tz_convert(TIME_ZONE).dt.tz_localize(None)
                valid = stamps.dropna()
                out[key] = stamps
                kinds[key] = _DATE if bool((valid == valid.dt.normalize()).all()) else _DATETIME
            elif values and all(isinstance(v, (bool, np.bool_)) for v in values):
                out[key] = col.map(lambda v: None if _missing(v) else ("ja" if v else "nee"))
                kinds[key] = _OTHER
            else:
                out[key] = col.map(_join_list).astype(object)
                kinds[key] = _OTHER
    return out, kinds


# --- CSV --------------------------------------------------------------------------------

def to_dutch_csv(frame: pd.DataFrame, *, footer_lines: Sequence[str] = ()) -> bytes:
    """The table as CSV for Dutch Excel: ``;``, decimal comma, dd-mm-jjjj, UTF-8 BOM, CRLF.

    Read back with ``pd.read_csv(io.BytesIO(data), sep=';', decimal=',',
    encoding='utf-8-sig', nrows=len(frame))`` (``nrows`` leaves out the footer).
    """
    table, kinds = _prepare(frame)
    for name, kind in kinds.items():
        if kind in (_DATE, _DATETIME):
            fmt = CSV_DATE_FORMAT if kind == _DATE else CSV_DATETIME_FORMAT
            table[name] = [None if _missing(v) else v.strftime(fmt) for v in table[name]]
        elif kind == _OTHER:
            table[name] = [neutralise(v) for v in table[name]]
    table.columns = [neutralise(str(name)) for name in table.columns]
    text = table.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n", na_rep="")
    if footer_lines:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([])
        for line in footer_lines:
            writer.writerow([neutralise(str(line))])
        text += buffer.getvalue()
    return BOM + text.encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------

def _decimals(values: pd.Series) -> int:
    """The fewest decimals (at most MAX_DECIMALS) that show every value of a float column."""
    finite = [float(v) for v in values if not _missing(v) and math.isfinite(float(v))]
    for decimals in range(MAX_DECIMALS + 1):
        if all(abs(round(v, decimals) - v) < 1e-9 * max(1.0, abs(v)) for v in finite):
            return decimals
    return MAX_DECIMALS


def _number_format(kind: str, decimals: int = 0) -> str | None:
    if kind == _INT:
        return "#,##0"
    if kind == _FLOAT:
        return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
    if kind == _DATE:
        return XLSX_DATE_FORMAT
    if kind == _DATETIME:
        return XLSX_DATETIME_FORMAT
    return None


def _cell_value(value, kind: str):
    if _missing(value):
        return None
    if kind == _DATE:
        return pd.Timestamp(value).date()
    if kind == _DATETIME:
        return pd.Timestamp(value).to_pydatetime()
    if kind == _INT:
        number = int(value)
        return number if abs(number) <= _EXACT_INT else str(number)
    if kind == _FLOAT:
        number = float(value)
        if math.isfinite(number):
            return number
        return "NaN" if math.isnan(number) else ("inf" if number > 0 else "-inf")
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("\ufffd", value)
    return value


def _put(sheet, row: int, column: int, value):
    """Write a cell; text is always text (never a formula), with Excel's quote prefix where
    it would otherwise be read as one."""
    if isinstance(value, str):
        value = _XML_ILLEGAL.sub("\ufffd", value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def _shown_width(value, kind: str, decimals: int) -> int:
    if value is None:
        return 0
    if kind == _DATE:
        return 10
    if kind == _DATETIME:
        return 16
    if kind in (_INT, _FLOAT) and not isinstance(value, str):
        return len(format_number(value, decimals if kind == _FLOAT else 0))
    return max((len(part) for part in str(value).splitlines()), default=0)


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str) -> str:
    cleaned = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'")
    return (cleaned or "Data")[:31]


def to_xlsx(frame: pd.DataFrame, *, sheet_name: str = "Data", footer_lines: Sequence[str] = (),
            title: str | None = None) -> bytes:
    """The table as an Excel workbook with one sheet.

    Layout: optional ``title`` in A1 (bold, then an empty row), the bold header row (frozen,
    with an autofilter), the data, an empty row and the ``footer_lines`` in column A.
    """
    table, kinds = _prepare(frame)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_name)

    row = 1
    if title:
        _put(sheet, 1, 1, title).font = Font(bold=True, size=14)
        row = 3
    header_row = row
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E8E8E8")
    header_border = Border(bottom=Side(style="thin", color="808080"))
    columns = list(table.columns)
    decimals = {name: _decimals(table[name]) if kinds[name] == _FLOAT else 0 for name in columns}
    widths = {name: len(str(name)) for name in columns}
    for index, name in enumerate(columns, start=1):
        cell = _put(sheet, header_row, index, str(name))
        cell.font = header_font
        cell.fill = header_fill
        cell.border = header_border
        cell.alignment = Alignment(vertical="top", wrap_text=True)

    for offset, values in enumerate(table.itertuples(index=False, name=None), start=1):
        for index, (name, raw) in enumerate(zip(columns, values), start=1):
            kind = kinds[name]
            value = _cell_value(raw, kind)
            cell = _put(sheet, header_row + offset, index, value)
            number_format = _number_format(kind, decimals[name])
            if number_format and value is not None and not isinstance(value, str):
                cell.number_format = number_format
            if kind == _OTHER and isinstance(value, str) and len(value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[name] = max(widths[name], _shown_width(value, kind, decimals[name]))

    last_row = header_row + len(table)
    if columns:
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{max(last_row, header_row)}"
    for index, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widths[name] + 2, 8),
                                                                     MAX_WIDTH)

    if footer_lines:
        footer_font = Font(italic=True)
        for offset, line in enumerate(footer_lines, start=2):
            _put(sheet, last_row + offset, 1, str(line)).font = footer_font

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = ["LIST_SEPARATOR", "is_formula_like", "neutralise", "to_dutch_csv", "to_xlsx"]
