"""Targets: the path from baseline to target, and whether the latest figure is on it.

Pure functions, no Streamlit. A target is a :class:`Target`, made from a row of the
``targets`` table or the ``indicator_targets`` query (:meth:`Target.from_row`): indicator_id,
region_code, comparator ("<", "≤", "≥", ">"), target_value, deadline (date), baseline_value,
baseline_period and the source that sets it. Its status is a :class:`TargetStatus`.

The path (trajectory) is a straight line from ``baseline_value`` at the last day of
``baseline_period`` to ``target_value`` at ``deadline``; after the deadline it stays at the
target value. Status of the latest figure:

- "gehaald": the figure meets the target (for "<": value < target; "≤": ≤; "≥": ≥; ">": >).
- "op koers": not yet met, but on the path: value ≤ expected for "<"/"≤", value ≥ expected
  for "≥"/">", where expected is the path's value at the end of the figure's period.
- "niet op koers": neither; also when the deadline has passed without meeting the target, and
  when the target has no baseline (no path: only meeting the target itself counts).
- "alleen nulmeting": the latest figure is the baseline itself (same period): nothing has
  been measured since, so nothing says whether the course holds.
- "geen meting": no figure, or the latest figure is older than the baseline.

Every status sentence ends with how old its figure is against the peildatum ("Het cijfer is
van 2023, bijna 3 jaar vóór de peildatum 1 december 2026."); ``kpi_status`` does the same for
a project KPI's latest realisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from monitor.domain.compare import SAMPLE_SUFFIX, _num
from monitor.domain.periods import period_end, period_label
from monitor.domain.regions import NEDERLAND, OVERIJSSEL, TWENTE, region_name
from monitor.domain.text import format_date, format_value
from monitor.domain.vocabulary import COMPARATORS

STATUSES: tuple[str, ...] = ("gehaald", "op koers", "niet op koers", "alleen nulmeting", "geen meting")
BASELINE_ONLY = "alleen nulmeting"
COMPARATOR_WORDS: dict[str, str] = {"<": "onder", "≤": "hoogstens", "≥": "minstens", ">": "boven"}
SHORT_REGION_NAMES: dict[str, str] = {TWENTE: "Twente", OVERIJSSEL: "Overijssel", NEDERLAND: "Nederland"}
_EPS = 1e-9



def _date(value: object) -> date:
    if isinstance(value, datetime):  # pd.Timestamp too
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return pd.Timestamp(value).date()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class Target:
    """One target: a row of the ``targets`` table (with its source's title and peildatum when it
    comes from the ``indicator_targets`` query). ``baseline_value`` and ``baseline_period`` are
    None when the target has no nulmeting; the comparator is checked where it is used."""

    indicator_id: str
    region_code: str | None
    comparator: str
    target_value: float
    deadline: date
    baseline_value: float | None = None
    baseline_period: str | None = None
    source_id: str | None = None
    source_title: str | None = None
    source_peildatum: date | None = None

    @classmethod
    def from_row(cls, row: Mapping) -> Target:
        """From a query row or a dict of the ``targets`` columns; a missing value becomes None."""
        peildatum = row.get("source_peildatum")
        return cls(
            indicator_id=str(row.get("indicator_id") or ""), region_code=_text(row.get("region_code")),
            comparator=str(row["comparator"]), target_value=float(row["target_value"]),
            deadline=_date(row["deadline"]), baseline_value=_num(row.get("baseline_value")),
            baseline_period=_text(row.get("baseline_period")), source_id=_text(row.get("source_id")),
            source_title=_text(row.get("source_title")),
            source_peildatum=None if peildatum is None or pd.isna(peildatum) else _date(peildatum))


@dataclass(frozen=True)
class TargetStatus:
    """The latest figure against a target: ``status`` (one of :data:`STATUSES`), the path's value
    at the figure's period (``expected``; None for "geen meting" and without a baseline), the
    Dutch sentence ``text`` (ending with ``age``) and ``age``, how old the figure is ("" without)."""

    status: str
    expected: float | None
    text: str
    age: str = ""


def _baseline(target: Target) -> tuple[date, float] | None:
    value = target.baseline_value
    period = target.baseline_period
    if value is None or not period:
        return None
    return period_end(period), value


def _comparator(target: Target) -> str:
    comparator = target.comparator
    if comparator not in COMPARATORS:
        raise ValueError(f"onbekende vergelijking '{comparator}' in doel voor {target.indicator_id}")
    return comparator


def expected_at(target: Target, when: date) -> float | None:
    """The path's value on ``when``: None before the baseline or without a baseline."""
    base = _baseline(target)
    if base is None:
        return None
    start, start_value = base
    deadline, goal = target.deadline, target.target_value
    when = _date(when)
    if when < start:
        return None
    if when >= deadline or deadline <= start:
        return goal
    share = (when - start).days / (deadline - start).days
    return start_value + share * (goal - start_value)


def trajectory(target: Target, periods: Iterable[str] = ()) -> pd.DataFrame:
    """The path from baseline to target as rows (period, period_end, expected).

    Always the baseline (period = baseline_period) and the deadline (period = None), plus each
    of ``periods`` that ends on or after the baseline (after the deadline: the target value).
    Sorted by period_end. Empty (same columns) when the target has no baseline.
    """
    columns = ["period", "period_end", "expected"]
    base = _baseline(target)
    if base is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    start, start_value = base
    deadline = target.deadline
    rows = {start: (target.baseline_period, start_value)}
    for period in periods:
        end = period_end(str(period))
        if end >= start and end not in rows:
            rows[end] = (str(period), expected_at(target, end))
    if deadline not in rows:
        rows[deadline] = (None, target.target_value)
    ordered = sorted(rows.items())
    return pd.DataFrame({
        "period": [p for _e, (p, _v) in ordered],
        "period_end": [e for e, _ in ordered],
        "expected": [float(v) for _e, (_p, v) in ordered],
    })


def target_phrase(target: Target, unit: str = "%") -> str:
    """'doel onder 17% uiterlijk 31 december 2026'."""
    goal = target.target_value
    word = COMPARATOR_WORDS[_comparator(target)]
    return f"doel {word} {as_given(goal, unit)} uiterlijk {format_date(target.deadline)}"


def as_given(value: float, unit: str) -> str:
    """A number a plan sets or quotes (a target, a nulmeting), without a decimal it did not give:
    17 → "17%", 17,5 → "17,5%"."""
    return format_value(value, unit, 0 if float(value).is_integer() else 1)


def _meets(comparator: str, value: float, reference: float) -> bool:
    if comparator == "<":
        return value < reference - _EPS
    if comparator == "≤":
        return value <= reference + _EPS
    if comparator == "≥":
        return value >= reference - _EPS
    return value > reference + _EPS


def _on_path(comparator: str, value: float, expected: float) -> bool:
    if comparator in ("<", "≤"):
        return value <= expected + _EPS
    return value >= expected - _EPS


def age_text(period: str, peildatum: date | None) -> str:
    """How old a figure of ``period`` is on the peildatum, as a Dutch sentence.

    >>> age_text("2023", date(2026, 12, 1))
    'Het cijfer is van 2023, bijna 3 jaar vóór de peildatum 1 december 2026.'
    >>> age_text("2024H1", date(2024, 12, 1))
    'Het cijfer is van 1e halfjaar 2024, 5 maanden vóór de peildatum 1 december 2024.'
    """
    if peildatum is None or not period:
        return ""
    peildatum = _date(peildatum)
    end = period_end(str(period))
    months = (peildatum.year - end.year) * 12 + peildatum.month - end.month - (peildatum.day < end.day)
    label = period_label(str(period))
    if months < 0:
        return f"Het cijfer is van {label}, na de peildatum {format_date(peildatum)}."
    if months < 1:
        return f"Het cijfer is van {label}, de maand van de peildatum {format_date(peildatum)}."
    years, rest = divmod(months, 12)
    if months < 12:
        span = f"{months} {'maand' if months == 1 else 'maanden'}"
    elif rest >= 9:
        span = f"bijna {years + 1} jaar"
    elif rest <= 2:
        span = f"{years} jaar"
    else:
        span = f"ruim {years} jaar"
    return f"Het cijfer is van {label}, {span} vóór de peildatum {format_date(peildatum)}."


def target_status(target: Target, latest_value, latest_period: str | None, *, unit: str = "%",
                  region: str | None = None, is_sample: bool = False,
                  peildatum: date | None = None) -> TargetStatus:
    """:func:`_status` with the age of the figure against ``peildatum`` at the end of the text."""
    status, expected, text = _status(target, latest_value, latest_period, unit=unit, region=region,
                                     is_sample=is_sample)
    age = age_text(latest_period, peildatum) if latest_period else ""
    return TargetStatus(status, expected, f"{text} {age}" if age else text, age)


def _status(target: Target, latest_value, latest_period: str | None, *, unit: str = "%",
            region: str | None = None, is_sample: bool = False) -> tuple[str, float | None, str]:
    """Status of the latest figure against the target and its path.

    Returns (status: one of STATUSES, expected: path value at the latest period (None for
    "geen meting" and without a baseline), text: a Dutch sentence), for example "Twente: 18,0%
    (2023), doel onder 17% uiterlijk 31 december 2026. Op het pad naar het doel hoort nu 18,0%;
    op koers." ``region`` overrides the region's name; ``is_sample`` marks voorbeelddata.
    """
    comparator = _comparator(target)
    code = target.region_code
    name = region or SHORT_REGION_NAMES.get(code) or region_name(code)
    goal = target.target_value
    deadline = target.deadline
    doel = target_phrase(target, unit)
    suffix = SAMPLE_SUFFIX if is_sample else ""
    base = _baseline(target)
    value = _num(latest_value)

    if value is None or not latest_period:
        text = f"{name}: nog geen meting; {doel}."
        if base:
            text += f" Nulmeting: {as_given(base[1], unit)} ({period_label(target.baseline_period)})."
        return "geen meting", None, text
    latest_end = period_end(str(latest_period))
    if base and latest_end < base[0]:
        text = (f"{name}: geen meting na de nulmeting ({as_given(base[1], unit)} in "
                f"{period_label(target.baseline_period)}); {doel}.")
        return "geen meting", None, text + suffix

    head = f"{name}: {format_value(value, unit)} ({period_label(str(latest_period))}), {doel}."
    if base and str(latest_period) == str(target.baseline_period):
        text = (f"{head} Alleen de nulmeting: er is nog geen nieuwe meting, dus niets zegt of de koers "
                "wordt gehouden.")
        return BASELINE_ONLY, base[1], text + suffix
    if _meets(comparator, value, goal):
        expected = expected_at(target, latest_end) if base else None
        return "gehaald", expected, f"{head} Doel gehaald." + suffix
    if base is None:
        text = f"{head} Er is geen nulmeting, dus geen pad naar het doel; het doel is nog niet gehaald."
        return "niet op koers", None, text + suffix
    expected = expected_at(target, latest_end)
    if latest_end >= deadline:
        text = f"{head} De termijn is verstreken en het doel is niet gehaald; niet op koers."
        return "niet op koers", expected, text + suffix
    status = "op koers" if _on_path(comparator, value, expected) else "niet op koers"
    text = f"{head} Op het pad naar het doel hoort nu {format_value(expected, unit)}; {status}."
    return status, expected, text + suffix


def kpi_status(target_value, deadline, value, period: str | None, *, unit: str, is_sample: bool = False,
               peildatum: date | None = None) -> str:
    """The honest state of a project KPI: its latest realisation against the target, marked when it is
    voorbeelddata, with how old it is against the peildatum.

    >>> kpi_status(10, date(2026, 12, 31), None, None, unit="aantal")
    'Nog geen realisatie vastgelegd.'
    """
    if _num(value) is None or not period:
        return "Nog geen realisatie vastgelegd."
    shown = format_value(float(value), unit)
    goal = format_value(float(target_value), unit)
    if float(value) >= float(target_value) - _EPS:
        state = f"{shown} van {goal}: doel gehaald."
    else:
        state = f"{shown} van {goal} uiterlijk {format_date(_date(deadline))}."
    if is_sample:
        state += " Voorbeelddata: geen echte realisatie."
    age = age_text(period, peildatum)
    return f"{state} {age}".strip()
