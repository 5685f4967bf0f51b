"""Where a region's total and the sum of its gemeenten differ, said in words (pure).

CBS publishes Veilig Thuis figures for the Veilig Thuis-regio Twente and for each of its 14
gemeenten. The region's total is not the sum of the gemeenten: adviezen and meldingen CBS could
not assign to a gemeente count for the region only. Each published count is rounded (CBS: to a
multiple of 5), so a difference within the sum of the rounding errors says nothing; a larger one
is named, computed from the figures shown.
"""

from __future__ import annotations

import pandas as pd

from monitor.domain.regions import GEMEENTE_CODES, TWENTE
from monitor.domain.text import format_number

# CBS publishes Veilig Thuis counts rounded to a multiple of 5.
CBS_ROUNDING = 5


def _count(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def rounding_margin(figures: int, rounding: int = CBS_ROUNDING) -> float:
    """The largest difference rounding alone can make between a total and the sum of ``figures - 1``
    parts, each rounded to a multiple of ``rounding``: half a step per figure.

    >>> rounding_margin(15)
    37.5
    """
    return figures * rounding / 2


def unassigned_note(rows: pd.DataFrame, what: str, period_text: str, rounding: int = CBS_ROUNDING) -> str:
    """The sentence that says how Twente's total differs from the sum of its gemeenten in one
    period ("" when it does not, beyond rounding, or when there is nothing to compare).

    ``rows``: one kind in one period, with ``region_code`` and ``count`` (NULL: not published or
    afgeschermd); ``what``: the kind in words ("adviezen"); ``period_text``: the period in words.
    """
    if rows is None or rows.empty:
        return ""
    twente = rows[rows["region_code"] == TWENTE]
    total = _count(twente["count"].iloc[0]) if not twente.empty else None
    gemeenten = rows[rows["region_code"].isin(GEMEENTE_CODES)]
    counts = [c for c in (_count(v) for v in gemeenten["count"]) if c is not None]
    if total is None or not counts:
        return ""
    summed = sum(counts)
    difference = total - summed
    margin = rounding_margin(len(counts) + 1, max(rounding, CBS_ROUNDING))
    if abs(difference) <= margin:
        return ""
    missing = len(GEMEENTE_CODES) - len(counts)
    parts = f"de {len(counts)} gemeenten" if not missing else f"de {len(counts)} gemeenten met een gepubliceerd cijfer"
    word = "meer" if difference > 0 else "minder"
    text = (f"Twente telt in {period_text} {format_number(total)} {what}, {format_number(abs(difference))} {word} "
            f"dan de som van {parts} ({format_number(summed)}).")
    unassigned = f"{what} die CBS wel aan de Veilig Thuis-regio Twente maar niet aan een gemeente kon toewijzen"
    if missing:
        text += (f" {missing} {'gemeente heeft' if missing == 1 else 'gemeenten hebben'} geen of een afgeschermd "
                 f"cijfer; het verschil zit daar" + (f" en in {unassigned}." if difference > 0 else "."))
    elif difference > 0:
        text += f" Het verschil zijn {unassigned}; ook het Twentse cijfer per 1.000 inwoners telt ze mee."
    return text
