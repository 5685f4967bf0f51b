"""Dutch text helpers: numbers, dates and labels as a Dutch reader expects them.

Pure functions, no Streamlit. Decimal comma, thousands dot: 55.400 and 18,5%.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from monitor.domain.periods import MONTHS, period_label


DIRECTION_LABELS = {
    "lower_is_better": "lager is beter",
    "higher_is_better": "hoger is beter",
    "neutral": "neutraal",
}

THEMALIJN_LABELS = {
    "bestaanszekerheid": "Bestaanszekerheid",
    "preventie-en-gezondheid": "Preventie & gezondheid",
    "mentale-gezondheid": "Mentale gezondheid",
    "ouderen": "Ouderen",
}

SAMPLE_MARK = "Voorbeelddata"
TIME_ZONE = ZoneInfo("Europe/Amsterdam")


def format_number(value: float | int | None, decimals: int = 0, missing: str = "–") -> str:
    """A number in Dutch notation.

    >>> format_number(55400)
    '55.400'
    >>> format_number(18.456, 1)
    '18,5'
    >>> format_number(-1234567.891, 2)
    '-1.234.567,89'
    >>> format_number(None)
    '–'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_value(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A value with its unit: '18,0%', '55.400', '11,6 uur per week'.

    >>> format_value(18, "%")
    '18,0%'
    >>> format_value(55400, "aantal")
    '55.400'
    """
    if decimals is None:
        decimals = 0 if unit in ("aantal", "euro") else 1
    number = format_number(value, decimals)
    if number == "–":
        return number
    if unit == "%":
        return f"{number}%"
    if unit == "aantal":
        return number
    if unit == "euro":
        return f"€ {number}"
    return f"{number} {unit}"


def _moment(value):
    """A date or datetime as Python's own (a pandas Timestamp converted), None for None/NaT."""
    if value is None:
        return None
    try:
        if value != value:  # NaT
            return None
    except TypeError:
        pass
    return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


def format_date(value: date | datetime | None, missing: str = "–") -> str:
    """A date as '1 januari 2025'.

    >>> format_date(date(2025, 1, 1))
    '1 januari 2025'
    """
    value = _moment(value)
    if value is None:
        return missing
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_short_date(value: date | datetime | None, missing: str = "–") -> str:
    """A date as '01-01-2025', the form the jaarplan uses.

    >>> format_short_date(date(2025, 12, 31))
    '31-12-2025'
    """
    if value is None:
        return missing
    try:
        if value != value:
            return missing
    except TypeError:
        pass
    return f"{value.day:02d}-{value.month:02d}-{value.year}"


def direction_label(direction: str) -> str:
    return DIRECTION_LABELS.get(direction, direction)


def themalijn_label(themalijn: str | None) -> str:
    if not themalijn or themalijn != themalijn:
        return "–"
    return THEMALIJN_LABELS.get(themalijn, themalijn)


def source_line(title: str, peildatum: date | None, is_sample: bool = False) -> str:
    """The line under a figure: 'Bron: …, peildatum 1 januari 2025' plus the sample mark.

    >>> source_line("CBS 70072NED", date(2025, 1, 1))
    'Bron: CBS 70072NED · peildatum 1 januari 2025'
    >>> source_line("Gegenereerd", date(2026, 11, 1), True).startswith("Voorbeelddata")
    True
    """
    line = f"Bron: {title} · peildatum {format_date(peildatum)}"
    if is_sample:
        return f"{SAMPLE_MARK} (geen echte cijfers) · {line}"
    return line


def format_timestamp(value, missing: str = "–") -> str:
    """A moment (stored in UTC) as Dutch local time: '22-11-2026 13:05' (Europe/Amsterdam,
    winter and summer time). A moment without a time zone is read as UTC.

    >>> format_timestamp(datetime(2026, 7, 1, 10, 30, tzinfo=timezone.utc))
    '01-07-2026 12:30'
    """
    value = _moment(value)
    if value is None:
        return missing
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(TIME_ZONE).strftime("%d-%m-%Y %H:%M")


def with_period(name: str, period: object) -> str:
    """A name and its period, without two brackets in a row: 'Overgewicht (2020)', but
    'Matig tot ernstig eenzaam (65+), 2024'. The period as Dutch words ('4e kwartaal 2025').

    >>> with_period("Overgewicht", "2020"), with_period("Matig tot ernstig eenzaam (65+)", "2024")
    ('Overgewicht (2020)', 'Matig tot ernstig eenzaam (65+), 2024')
    """
    label = period_label(period)
    if name.rstrip().endswith(")"):
        return f"{name.rstrip()}, {label}"
    return f"{name} ({label})"
