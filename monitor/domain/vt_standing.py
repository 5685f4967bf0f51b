"""Twente among the Veilig Thuis-regio's: the rank statement, in neutral words. Pure.

Veilig Thuis figures have no good or bad direction (more meldingen can mean better signalling),
so the statement never says gunstiger or ongunstiger: it ranks ("de 19e hoogste van de 25
Veilig Thuis-regio's"), says whether Twente is hoger or lager dan Nederland, and whether that
difference is more than chance by the project's rule for register figures
(:func:`monitor.domain.ranking.difference`: the Poisson funnel around the national rate with
95% and 99,8% limits by population, :mod:`monitor.domain.funnel`).
"""

from __future__ import annotations

import math

import pandas as pd

from monitor.domain import ranking
from monitor.domain.funnel import DIFFERS, DIFFERS_CLEARLY, NOT_DEMONSTRABLE
from monitor.domain.indicator import Indicator
from monitor.domain.periods import period_label
from monitor.domain.regions import TWENTE
from monitor.domain.text import format_number, format_value

PLURAL = ranking.kind_plural("vt_regio")  # "Veilig Thuis-regio's"
# CBS publishes the rate per 100.000 inwoners as a whole number: per 1.000 it has two decimals.
DECIMALS = 2
UNIT = "per 1.000"
KIND_WORDS: dict[str, str] = {
    "advies": "adviezen", "melding": "meldingen", "casus": "gestarte casussen",
    "onderzoek": "afgeronde onderzoeken", "overdracht": "afgeronde overdrachten",
}


def indicator(kind: str) -> Indicator:
    """The Veilig Thuis figure of ``kind`` as an indicator of the ranking rules: a register count
    per 1.000 inwoners, neutral.

    >>> indicator("melding").name, indicator("melding").direction
    ('Meldingen per 1.000 inwoners', 'neutral')
    """
    words = KIND_WORDS.get(kind, kind)
    return Indicator(f"vt_{kind}", f"{words[:1].upper()}{words[1:]} per 1.000 inwoners", UNIT, "neutral",
                     measurement="telling")


def rank_words(position: int, total: int, tied: int = 0) -> str:
    """The rank from the highest figure down, never better or worse.

    >>> rank_words(1, 25), rank_words(19, 25), rank_words(3, 25, tied=1)
    ("de hoogste van de 25 Veilig Thuis-regio's", "de 19e hoogste van de 25 Veilig Thuis-regio's", "gedeeld de 3e hoogste van de 25 Veilig Thuis-regio's")
    """
    place = "hoogste" if position == 1 else f"{position}e hoogste"
    return f"{'gedeeld ' if tied else ''}de {place} van de {total} {PLURAL}"


def difference_words(found: ranking.Difference, higher: bool | None, national_text: str) -> str:
    """Whether Twente differs from Nederland, neutrally, and whether it is more than chance.

    >>> d = ranking.Difference("hoger", DIFFERS_CLEARLY, "trechter")
    >>> difference_words(d, True, "4,19 per 1.000")
    'hoger dan Nederland (4,19 per 1.000); dat verschil is meer dan toeval (buiten de 99,8%-grenzen van de trechter)'
    >>> difference_words(ranking.Difference("geen verschil", NOT_DEMONSTRABLE, "trechter"), False, "4,19 per 1.000")
    'lager dan Nederland (4,19 per 1.000), maar dat verschil kan toeval zijn (binnen de 95%-grenzen van de trechter)'
    """
    side = "even hoog als" if higher is None else "hoger dan" if higher else "lager dan"
    where = f"{side} Nederland ({national_text})"
    if found.strength == DIFFERS_CLEARLY:
        return f"{where}; dat verschil is meer dan toeval (buiten de 99,8%-grenzen van de trechter)"
    if found.strength == DIFFERS:
        return f"{where}; dat verschil is meer dan toeval (buiten de 95%-grenzen van de trechter)"
    if found.strength == NOT_DEMONSTRABLE:
        if higher is None:
            return where
        return f"{where}, maar dat verschil kan toeval zijn (binnen de 95%-grenzen van de trechter)"
    return f"{where}; of dat verschil meer is dan toeval is niet te zeggen (onbekend over hoeveel inwoners)"


def standing_sentence(ranked: pd.DataFrame, kind: str, period: str, national: float | None) -> str:
    """Twente's rate among the Veilig Thuis-regio's: value, rank and the difference with Nederland.

    ``ranked``: the output of :func:`monitor.domain.ranking.rank` over the Veilig Thuis-regio's
    (region_code, value, rank, tied, population).

    >>> ranked = pd.DataFrame({"region_code": ["GG_TWENTE", "VT01"], "value": [3.13, 2.24], "rank": [1, 2],
    ...                        "tied": [0, 0], "population": [640_575.0, 1_140_625.0]})
    >>> standing_sentence(ranked, "advies", "2024H1", 4.19)
    "Twente: 3,13 adviezen per 1.000 inwoners in 1e halfjaar 2024, de hoogste van de 2 Veilig Thuis-regio's; lager dan Nederland (4,19 per 1.000); dat verschil is meer dan toeval (buiten de 99,8%-grenzen van de trechter)."
    """
    when = period_label(period)
    words = KIND_WORDS.get(kind, kind)
    rows = ranked[ranked["region_code"] == TWENTE]
    if rows.empty:
        return f"Voor Twente heeft CBS in {when} geen cijfer over {words} gepubliceerd."
    row = rows.iloc[0]
    value = float(row["value"])
    text = (f"Twente: {format_number(value, DECIMALS)} {words} per 1.000 inwoners in {when}, "
            f"{rank_words(int(row['rank']), len(ranked), int(row['tied']))}")
    if national is None or (isinstance(national, float) and math.isnan(national)):
        return text + "."
    found = ranking.difference(indicator(kind), value, None, None, national, row.get("population"), DECIMALS)
    shown, reference = round(value, DECIMALS), round(float(national), DECIMALS)
    higher = None if shown == reference else shown > reference
    return f"{text}; {difference_words(found, higher, format_value(national, UNIT, DECIMALS))}."
