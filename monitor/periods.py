"""Period codes.

The monitor writes periods as ``2020`` (year), ``2024H1``/``2024H2`` (half year),
``2025Q3`` (quarter) and ``2024M06`` (month). CBS open data writes ``2024JJ00``,
``2024HJ01``, ``2025KW03`` and ``2024MM06``; ``normalise_period`` accepts both.
"""

from __future__ import annotations

import re
from datetime import date

_MONITOR = re.compile(r"^(?P<y>\d{4})(?:(?P<h>H[12])|(?P<q>Q[1-4])|M(?P<m>0[1-9]|1[0-2]))?$")
_CBS = re.compile(r"^(?P<y>\d{4})(?P<kind>JJ|HJ|KW|MM|X)(?P<n>\d{2})$")


class PeriodError(ValueError):
    """A period code that is not one of the known forms."""


def normalise_period(raw: object) -> str:
    """Normalise a period code to the monitor's form, or raise PeriodError.

    >>> normalise_period("2025KW03")
    '2025Q3'
    >>> normalise_period(" 2024JJ00 ")
    '2024'
    >>> normalise_period(2020)
    '2020'
    """
    if raw is None:
        raise PeriodError("lege periode")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().upper()
    if _MONITOR.match(text):
        return text
    match = _CBS.match(text)
    if not match:
        raise PeriodError(f"onbekende periodecode '{str(raw).strip()}'")
    year, kind, n = match["y"], match["kind"], int(match["n"])
    if kind == "JJ" and n == 0:
        return year
    if kind == "HJ" and n in (1, 2):
        return f"{year}H{n}"
    if kind == "KW" and 1 <= n <= 4:
        return f"{year}Q{n}"
    if kind == "MM" and 1 <= n <= 12:
        return f"{year}M{n:02d}"
    raise PeriodError(f"onbekende periodecode '{str(raw).strip()}'")


def period_year(period: str) -> int:
    return int(period[:4])


def period_start(period: str) -> date:
    """The first day of a normalised period code.

    >>> period_start("2025Q3"), period_start("2024H2"), period_start("2024M06"), period_start("2020")
    (datetime.date(2025, 7, 1), datetime.date(2024, 7, 1), datetime.date(2024, 6, 1), datetime.date(2020, 1, 1))
    """
    year, rest = int(period[:4]), period[4:]
    if not rest:
        return date(year, 1, 1)
    if rest[0] == "H":
        return date(year, 1 if rest == "H1" else 7, 1)
    if rest[0] == "Q":
        return date(year, (int(rest[1]) - 1) * 3 + 1, 1)
    return date(year, int(rest[1:]), 1)
