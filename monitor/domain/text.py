"""Dutch text helpers: numbers, dates and labels as a Dutch reader expects them.

Pure functions, no Streamlit. Decimal comma, thousands dot: 55.400 and 18,5%.
"""

from __future__ import annotations

import functools
import math
import re
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

    A rate per 1.000 shows the decimals it has (CBS publishes the Wmo rates as whole numbers):

    >>> format_value(78, "per 1.000"), format_value(4.25, "per 1.000")
    ('78 per 1.000', '4,2 per 1.000')
    """
    if decimals is None:
        decimals = 0 if unit in ("aantal", "euro") else 1
        if unit == "per 1.000" and value is not None and math.isfinite(float(value)) and float(value).is_integer():
            decimals = 0
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


# --- user text in Streamlit's Markdown ------------------------------------------------------------

WORD_JOINER = "\u2060"  # invisible and no line break: splits a sequence without changing what is read
_LINE_BREAK = re.compile(r"\s*[\n\r\v\f\x85\u2028\u2029]\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Streamlit's renderer (react-markdown with GFM, math, directives and its own plugins) also reads
# the text after the escapes are resolved: emoji and icon codes (':smile:', ':100:',
# ':material_home:', ':streamlit:'), directives (':red[…]', ':small'), the typographic arrows
# and dashes ('->', ' -- ', '>='), and GFM's bare links ('https://…', 'www.…', 'naam@domein.nl').
# A word joiner after their first character keeps them text.
_SPLIT = re.compile(r"(?<=:)(?=[A-Za-z_+/-]|\d+:)|(?<=@)(?=[\w.+-])|(?<=[<>~-])(?=[>=-])|(?<=www)(?=\.)",
                    re.IGNORECASE)
# Characters that are markup wherever they stand: escape, code, emphasis, link and image
# brackets, HTML and autolinks, headings, tables, strikethrough, formulas; '&' before an entity;
# '_' unless between two letters or digits (there it never emphasises: 'is_sample' stays).
_ACTIVE = re.compile(r"([\\`*\[\]<>#|~$]|&(?=#?\w+;)|(?<![^\W_])_|_(?![^\W_]))")
# Markup only at the start of a line: list items ('- ', '+ ', '1. ', '1) ').
_LINE_START = re.compile(r"^([+-]|\d+[.)])")


def md_literal(text: object) -> str:
    r"""Text a user or an import typed, for a place Streamlit renders as Markdown (``st.markdown``,
    ``st.caption``, alerts, titles, widget, tab and expander labels, ``help=``, metric values,
    ``st.table`` cells): it shows as the same text, never as markup, and ordinary text stays as
    it is. Escaped with a backslash: every character that is markup wherever it stands
    (``\ ` * [ ] < > # | ~ $``, '_' except inside a word, '&' before an entity) and a list marker
    at the start; a word joiner (U+2060, invisible) splits what Streamlit reads after the escapes (emoji and icon
    codes, directives, '->' arrows, bare links and e-mail addresses). Line breaks become one
    space (a label, a caption or a bold name is one line). ``None`` and NaN give ''.

    >>> md_literal("![x](http://a/b.png) **vet** :red[rood]")
    '!\\[x\\](http:\u2060//a/b.png) \\*\\*vet\\*\\* :\u2060red\\[rood\\]'
    >>> md_literal("Kinderarmoede: Definitie → Ontwerp per 01-03-2025.")
    'Kinderarmoede: Definitie → Ontwerp per 01-03-2025.'
    >>> md_literal("1. Borne\n\n# kop")
    '1\\. Borne \\# kop'
    """
    if type(text) is str:
        return _literal_text(text)
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _literal(str(text))


@functools.lru_cache(maxsize=4096)
def _literal_text(text: str) -> str:
    """``md_literal`` of a string, remembered: a page view escapes the same names, sentences and
    source lines as the one before it (60–120 a themalijn page, five regular expressions each)."""
    return _literal(text)


def _literal(text: str) -> str:
    flat = _CONTROL.sub("", _LINE_BREAK.sub(" ", text)).strip()
    escaped = _ACTIVE.sub(r"\\\1", _SPLIT.sub(WORD_JOINER, flat))
    return _LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped, count=1)


def shown_text(markdown_literal: str) -> str:
    """What a reader sees of ``md_literal``'s output: the escapes resolved and the word joiners
    left out (to compare a Markdown body with the text that was typed)."""
    return re.sub(r"\\(.)", r"\1", markdown_literal).replace(WORD_JOINER, "")
