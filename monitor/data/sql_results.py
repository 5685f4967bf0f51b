"""An SQL result as a table every screen and download can show, and what had to change for it.

The worker (``monitor.data.sql_worker``) sends the result as Arrow with every type Arrow cannot
hold exactly already turned into DuckDB's own text (UHUGEINT, BIGNUM, STRUCT, LIST, …). This
module makes the rest plain, and says what it changed, so the SQL page can tell the analyst:

* duplicate or empty column names get a suffix that no other column has (``k, k, k_2`` →
  ``k, k_3, k_2``): no column is ever dropped;
* characters a spreadsheet cell cannot hold (control characters, U+FFFE/U+FFFF, lone
  surrogates) are shown as U+FFFD (``�``) in names and values; tab and line breaks stay;
* DECIMAL is a whole number (int64) or a float where that keeps every value exactly, else
  exact text; an integer beyond ±2^63 is text;
* a DATE or TIMESTAMP that Python cannot hold (``'infinity'``, the year 294247) makes its
  column text (``infinity``, ``-infinity`` or DuckDB's ISO form);
* an INTERVAL is Dutch text (``1 maand 2 dagen 03:04:05``); a binary value is hex text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dt_time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

REPLACEMENT = "\ufffd"
# Not allowed in an XML 1.0 document (so not in an XLSX cell); tab, LF and CR are.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")

_DATE_LIMITS = (-719162, 2932896)            # 0001-01-01 and 9999-12-31, days since 1970
_INFINITY = {"date": 2**31 - 1, "timestamp": 2**63 - 1}


@dataclass
class Converted:
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def clean_text(value: str) -> tuple[str, bool]:
    """The text with unsafe characters as U+FFFD, and whether any was replaced.

    >>> clean_text("a\\x01b")
    ('a�b', True)
    """
    cleaned = UNSAFE_CHARS.sub(REPLACEMENT, value)
    return cleaned, cleaned != value


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique without taking a name another column already has.

    >>> unique_names(["k", "k", "k_2"])
    ['k', 'k_3', 'k_2']
    >>> unique_names(["", ""])
    ['kolom_1', 'kolom_2']
    """
    base = [name if name.strip() else f"kolom_{index}" for index, name in enumerate(names, start=1)]
    taken = set(base)
    seen: set[str] = set()
    out = []
    for name in base:
        if name not in seen:
            seen.add(name)
            out.append(name)
            continue
        number = 2
        while f"{name}_{number}" in taken:
            number += 1
        new = f"{name}_{number}"
        taken.add(new)
        seen.add(new)
        out.append(new)
    return out


def interval_text(value) -> str:
    """An INTERVAL as '1 maand 2 dagen 03:04:05'.

    >>> interval_text(pa.MonthDayNano([1, 2, 11_045_000_000_000]))
    '1 maand 2 dagen 03:04:05'
    """
    months, days, nanoseconds = value.months, value.days, value.nanoseconds
    parts = []
    if months:
        parts.append(f"{months} {'maand' if abs(months) == 1 else 'maanden'}")
    if days:
        parts.append(f"{days} {'dag' if abs(days) == 1 else 'dagen'}")
    if nanoseconds or not parts:
        seconds = nanoseconds / 1e9
        sign = "-" if seconds < 0 else ""
        whole = int(abs(seconds))
        text = f"{sign}{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
        fraction = abs(seconds) - whole
        if fraction > 1e-9:
            text += f"{fraction:.6f}"[1:].rstrip("0")
        parts.append(text)
    return " ".join(parts)


def _text_column(values: list) -> pd.Series:
    return pd.Series(values, dtype=object)


def _decimal(column: pa.ChunkedArray) -> pd.Series:
    kind = column.type
    if kind.scale == 0:
        try:
            return column.cast(pa.int64()).to_pandas()
        except pa.ArrowInvalid:
            return _text_column([None if v is None else str(v) for v in column.to_pylist()])
    floats = column.cast(pa.float64())
    try:
        back = floats.cast(kind)
        exact = bool(pc.all(pc.equal(back, column)).as_py() in (True, None))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        exact = False
    if exact:
        return floats.to_pandas()
    return _text_column([None if v is None else format(v, "f") for v in column.to_pylist()])


def _temporal(column: pa.ChunkedArray) -> pd.Series | None:
    """Text for a date/timestamp column with a value Python cannot hold; None when all fit."""
    kind = column.type
    if pa.types.is_date32(kind):
        storage, infinity, low, high = column.cast(pa.int32()), _INFINITY["date"], *_DATE_LIMITS
    elif pa.types.is_timestamp(kind):
        per_day = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}[kind.unit]
        storage, infinity = column.cast(pa.int64()), _INFINITY["timestamp"]
        low, high = _DATE_LIMITS[0] * per_day, (_DATE_LIMITS[1] + 1) * per_day - 1
    else:
        return None
    if pa.types.is_timestamp(kind) and kind.unit == "ns":
        return None  # nanoseconds always fit pandas' range (DuckDB clamps 'infinity' there)
    values = storage.to_pylist()
    if all(v is None or low <= v <= high for v in values):
        return None
    out = []
    for raw, value in zip(values, column.cast(pa.string(), safe=False).to_pylist()
                          if _castable(column) else [None] * len(values)):
        if raw is None:
            out.append(None)
        elif raw == infinity:
            out.append("infinity")
        elif raw == -infinity:
            out.append("-infinity")
        else:
            out.append(value if value is not None else str(raw))
    return _text_column(out)


def _castable(column: pa.ChunkedArray) -> bool:
    try:
        column.cast(pa.string(), safe=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, (str, int, float, bool, date, datetime, np.generic)):
        return value
    return str(value)


def _series(column: pa.ChunkedArray) -> pd.Series:
    kind = column.type
    if pa.types.is_decimal(kind):
        return _decimal(column)
    if pa.types.is_interval(kind):
        return _text_column([None if v is None else interval_text(v) for v in column.to_pylist()])
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_null(kind):
        return _text_column([None] * len(column))
    if pa.types.is_integer(kind) and kind.bit_width == 64 and not pa.types.is_signed_integer(kind):
        return column.to_pandas()
    text = _temporal(column)
    if text is not None:
        return text
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
        return _text_column([_plain(v) for v in column.to_pylist()])
    try:
        series = column.to_pandas()
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        return _text_column([_plain(v) for v in column.to_pylist()])
    if series.dtype == object or pd.api.types.is_timedelta64_dtype(series.dtype):
        series = _text_column([_plain(v) for v in series.astype(object)])
    return series


def to_frame(table: pa.Table, names: list[str] | None = None) -> Converted:
    """The result as a DataFrame of plain values, and Dutch notes on what was changed."""
    names = list(table.column_names if names is None else names)
    notes: list[str] = []
    cleaned_names = []
    renamed_chars = False
    for name in names:
        text, changed = clean_text(str(name))
        cleaned_names.append(text)
        renamed_chars |= changed
    final = unique_names(cleaned_names)
    if renamed_chars:
        notes.append("Een kolomnaam bevat een teken dat een spreadsheet niet kan bevatten (een stuurteken); "
                     f"het staat hier als {REPLACEMENT}.")
    doubles = [(old, new) for old, new in zip(cleaned_names, final) if old != new]
    if doubles:
        shown = ", ".join(f"{new}" for _old, new in doubles[:5])
        notes.append(f"Kolomnamen kwamen dubbel (of leeg) voor; hernoemd zodat geen kolom verloren gaat: {shown}"
                     + (f" en {len(doubles) - 5} meer." if len(doubles) > 5 else "."))
    columns = {}
    replaced = 0
    for name, column in zip(final, table.columns):
        series = _series(column)
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            values, before = [], replaced
            for value in series:
                if isinstance(value, str):
                    value, changed = clean_text(value)
                    replaced += changed
                values.append(value)
            if replaced > before:
                series = _text_column(values)
        columns[name] = series.reset_index(drop=True)
    if replaced:
        notes.append(f"{replaced} {'waarde bevat' if replaced == 1 else 'waarden bevatten'} een teken dat een "
                     f"spreadsheet niet kan bevatten (stuurteken of niet-teken zoals U+FFFE); dat staat hier en in "
                     f"de downloads als {REPLACEMENT}.")
    frame = pd.DataFrame(columns, index=range(table.num_rows))
    return Converted(frame, notes)


# --- the table on screen ------------------------------------------------------------------

MISSING = "–"
MAX_DECIMALS = 6
TIME_ZONE = "Europe/Amsterdam"
# Whole numbers in these columns are years, ids or codes: no thousands separator.
_PLAIN_INT_NAME = re.compile(r"(^|_)(year|jaar|id|code|nr|nummer|period|periode)($|_)", re.I)


def _dutch_number(value: float, decimals: int, thousands: bool = True) -> str:
    text = f"{value:,.{decimals}f}" if thousands else f"{value:.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _float_decimals(values: list[float]) -> int:
    """The fewest decimals (at most MAX_DECIMALS) that show every value as it is."""
    for decimals in range(MAX_DECIMALS + 1):
        if all(abs(round(v, decimals) - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return MAX_DECIMALS


def _float_text(value: float, decimals: int) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "oneindig" if value > 0 else "-oneindig"
    return _dutch_number(value, decimals)


def _cell_text(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nee"
    if isinstance(value, (int, np.integer)):
        return _dutch_number(int(value), 0)
    if isinstance(value, (float, np.floating)):
        return _float_text(float(value), _float_decimals([float(value)]) if math.isfinite(value) else 0)
    if isinstance(value, pd.Timestamp) or isinstance(value, datetime):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert(TIME_ZONE)
        return stamp.strftime("%d-%m-%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, dt_time):
        return value.isoformat()
    return str(value)


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The result as Dutch text for the screen: decimal comma and thousands dot (``59,5``,
    ``1.234``; years, ids and codes without the dot), ``ja``/``nee``, dd-mm-jjjj dates, times
    in Europe/Amsterdam, and ``–`` for a missing value (never "None"). Downloads keep the
    real numbers (``frame``).

    >>> display_frame(pd.DataFrame({"value": [59.5, None], "jaar": [2020, 2021], "n": [1234, 5]})).values.tolist()
    [['59,5', '2020', '1.234'], ['–', '2021', '5']]
    """
    out = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column.dtype):
            out[name] = [_cell_text(v) for v in column.astype(object)]
        elif pd.api.types.is_integer_dtype(column.dtype):
            plain = bool(_PLAIN_INT_NAME.search(str(name)))
            out[name] = [MISSING if pd.isna(v) else _dutch_number(int(v), 0, thousands=not plain)
                         for v in column.astype(object)]
        elif pd.api.types.is_float_dtype(column.dtype):
            finite = [float(v) for v in column if not pd.isna(v) and math.isfinite(float(v))]
            decimals = _float_decimals(finite)
            # NULL and NaN both arrive as NaN in a float column: both are shown as missing.
            out[name] = [MISSING if pd.isna(v) else _float_text(float(v), decimals) for v in column]
        else:
            out[name] = [_cell_text(v) for v in column.astype(object)]
    return pd.DataFrame(out, index=range(len(frame)), columns=list(frame.columns))


__all__ = ["Converted", "display_frame", "REPLACEMENT", "UNSAFE_CHARS", "clean_text", "interval_text", "to_frame", "unique_names"]
