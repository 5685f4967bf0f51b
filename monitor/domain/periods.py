"""Period codes.

The monitor writes periods as ``2020`` (year), ``2024H1``/``2024H2`` (half year),
``2025Q3`` (quarter) and ``2024M06`` (month). CBS open data writes ``2024JJ00``,
``2024HJ01``, ``2025KW03`` and ``2024MM06``; ``normalise_period`` accepts both.
"""

from __future__ import annotations

import re
from datetime import date, datetime

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


def period_sort_key(period: object) -> tuple[int, str]:
    """A sort key that puts period codes in time order within a kind: year first, then the code.

    >>> sorted(["2020H1", "2019H2", "2016"], key=period_sort_key)
    ['2016', '2019H2', '2020H1']
    """
    return int(str(period)[:4]), str(period)


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


def period_end(period: str) -> date:
    """The last day of a period code ('2020' → 2020-12-31, '2025Q3' → 2025-09-30).

    >>> period_end("2020"), period_end("2024H1"), period_end("2025Q3"), period_end("2024M02")
    (datetime.date(2020, 12, 31), datetime.date(2024, 6, 30), datetime.date(2025, 9, 30), datetime.date(2024, 2, 29))
    """
    year = int(period[:4])
    rest = period[4:]
    if not rest:
        return date(year, 12, 31)
    if rest[0] == "H":
        return date(year, 6, 30) if rest == "H1" else date(year, 12, 31)
    if rest[0] == "Q":
        month = int(rest[1]) * 3
    else:
        month = int(rest[1:])
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def kpi_periods(today: date, first_year: int = 2025) -> list[str]:
    """The periods a KPI realisation can be recorded for, newest first: every quarter, half
    year and year from ``first_year`` that has begun by ``today`` (the contract's codes:
    2025Q3, 2025H2, 2025; shown as Dutch words with :func:`period_label`). Within the same
    start quarters come first, then half years, then the year."""
    found: list[tuple[date, int, str]] = []
    for year in range(first_year, today.year + 1):
        candidates = [(date(year, 1, 1), 0, str(year))]
        candidates += [(date(year, 1 + 6 * (h - 1), 1), 1, f"{year}H{h}") for h in (1, 2)]
        candidates += [(date(year, 1 + 3 * (q - 1), 1), 2, f"{year}Q{q}") for q in (1, 2, 3, 4)]
        found += [c for c in candidates if c[0] <= today]
    return [code for _start, _kind, code in sorted(found, key=lambda c: (c[0], c[1]), reverse=True)]


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")


def cbs_period(raw: object) -> tuple[str, str]:
    """A CBS period as a code or as a StatLine title → (period code, status).

    Codes: '2024JJ00', '2024HJ01', '2025KW03', '2024MM06' (and the monitor's own forms).
    Titles: '2024', '1e halfjaar 2024', '2024 1e halfjaar', '3e kwartaal 2025', '2024 juni',
    'juni 2024'. A trailing '*' (StatLine's mark for provisional figures) gives status
    'voorlopig', else 'definitief'. Raises PeriodError for anything else.

    >>> cbs_period("1e halfjaar 2024")
    ('2024H1', 'definitief')
    >>> cbs_period("2024*")
    ('2024', 'voorlopig')
    """
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = " ".join(str(raw if raw is not None else "").split())
    status = "definitief"
    if text.endswith("*"):
        status = "voorlopig"
        text = text.rstrip("*").strip()
    lower = text.lower().replace("half jaar", "halfjaar")
    if m := (re.fullmatch(r"(\d{4}) (\d)e (kwartaal|halfjaar)", lower)
             or re.fullmatch(r"(\d)e (kwartaal|halfjaar) (\d{4})", lower)):
        year, n, kind = (m[1], m[2], m[3]) if m[1].isdigit() and len(m[1]) == 4 else (m[3], m[1], m[2])
        text = f"{year}{'KW' if kind == 'kwartaal' else 'HJ'}0{n}"
    elif (m := re.fullmatch(r"(\d{4}) ([a-z]+)", lower)) and m[2] in MONTHS:
        text = f"{m[1]}MM{MONTHS.index(m[2]) + 1:02d}"
    elif (m := re.fullmatch(r"([a-z]+) (\d{4})", lower)) and m[1] in MONTHS:
        text = f"{m[2]}MM{MONTHS.index(m[1]) + 1:02d}"
    try:
        return normalise_period(text), status
    except PeriodError:
        raise PeriodError(f"onbekende periode '{str(raw).strip()}'") from None


def period_label(period: object) -> str:
    """A period code as a Dutch reader writes it; '–' for none.

    >>> period_label("2025Q4"), period_label("2024H1"), period_label("2024M06"), period_label("2020")
    ('4e kwartaal 2025', '1e halfjaar 2024', 'juni 2024', '2020')
    >>> period_label(None)
    '–'
    """
    if period is None or period == "":
        return "–"
    text = str(period)
    match = _PERIOD_CODE.match(text)
    if not match:
        return text
    year, kind, number, month = match.groups()
    if kind == "Q":
        return f"{number}e kwartaal {year}"
    if kind == "H" and number in ("1", "2"):
        return f"{number}e halfjaar {year}"
    if month:
        return f"{MONTHS[int(month) - 1]} {year}"
    return text if kind else year


_PERIOD_CODE = re.compile(r"^(\d{4})(?:([HQ])([1-4])|M(0[1-9]|1[0-2]))?$")


def iso_date(value: object) -> date | None:
    """A date (not a datetime) as it is, or a text 'JJJJ-MM-DD' (spaces around allowed) as a
    date; None for anything else, which the caller refuses in its own words.

    >>> iso_date(" 2025-03-01 "), iso_date("1 maart"), iso_date(None)
    (datetime.date(2025, 3, 1), None, None)
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
