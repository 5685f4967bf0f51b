"""Where a region stands among its peers: its rank, whether it differs, and the Dutch sentence.

Pure functions, no Streamlit. The significance rule (:func:`difference`):

- a survey figure (``steekproef``) with a 95% interval differs from a reference (the national
  value, the peer group's median) only when its interval excludes the reference; without an
  interval nothing is said;
- a register figure (``telling``) that is a percentage of a population or a rate per N
  inhabitants is placed in the funnel around the national value
  (:mod:`monitor.domain.funnel`): outside the 95% limits it "verschilt", outside the 99,8% limits
  it "verschilt duidelijk", otherwise the difference is "niet aantoonbaar";
  Published figures are rounded (a percentage to one decimal): the figure is first moved one
  unit of its last decimal towards the reference (both may be off by half a unit), so a
  difference the rounding could make is never called one; without the population a figure is
  counted over, nothing is said;
- any other register figure (euro, a plain count): a count has no sampling error, so a
  difference at the precision shown is a difference (as in :mod:`monitor.domain.compare`).

Ranks follow the indicator's direction: 1e is the most favourable figure ("lower_is_better": the
lowest). A neutral indicator is ranked from high to low, "op plaats 3", never better or worse.
Equal figures (at the precision shown) share the best rank of their group: "gedeeld 3e".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from monitor.domain.compare import compare, judgement, measurement
from monitor.domain.funnel import (DIFFERS, DIFFERS_CLEARLY, NOT_DEMONSTRABLE, UNKNOWN, funnel_kind,
                                   funnel_position)
from monitor.domain.indicator import Indicator
from monitor.domain.periods import period_label
from monitor.domain.text import format_value

# The plural a rank statement uses for the regions of a kind ("19e van de 25 GGD-regio's").
KIND_PLURALS: dict[str, str] = {
    "gemeente": "gemeenten",
    "ggd_regio": "GGD-regio's",
    "corop": "COROP-gebieden",
    "jeugdzorgregio": "jeugdzorgregio's",
    "vt_regio": "Veilig Thuis-regio's",
    "arbeidsmarktregio": "arbeidsmarktregio's",
    "provincie": "provincies",
    "landsdeel": "landsdelen",
}


def kind_plural(kind: str) -> str:
    """The plural of a kind of region, for rank statements.

    >>> kind_plural("ggd_regio")
    "GGD-regio's"
    """
    return KIND_PLURALS.get(kind, kind)


@dataclass(frozen=True)
class Difference:
    """How a figure relates to a reference: ``comparison`` hoger/lager/geen verschil/onbekend,
    ``strength`` (verschilt duidelijk, verschilt, verschilt niet aantoonbaar, onbekend) and the
    ``method`` that decided it: "interval", "trechter", "telling" or "geen"."""

    comparison: str
    strength: str
    method: str


def _num(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def difference(indicator: Indicator, value, ci_low=None, ci_high=None, reference=None,
               population=None, decimals: int | None = None) -> Difference:
    """The significance rule of this module for one figure against a reference value.
    ``decimals``: the precision the figures are published with, when it is not the unit's usual
    one (a Veilig Thuis rate per 1.000 from CBS's whole rate per 100.000 has two).

    >>> ind = Indicator("x", "X", "%", "lower_is_better")
    >>> difference(ind, 52.6, 51.3, 53.9, 50.1)
    Difference(comparison='hoger', strength='verschilt', method='interval')
    >>> difference(ind, 52.6, 49.3, 55.9, 50.1).strength
    'verschilt niet aantoonbaar'
    """
    own, ref = _num(value), _num(reference)
    if own is None or ref is None:
        return Difference("onbekend", UNKNOWN, "geen")
    if measurement(indicator) == "steekproef":
        if _num(ci_low) is None or _num(ci_high) is None:
            return Difference("onbekend", UNKNOWN, "geen")
        found = compare(own, ci_low, ci_high, ref, None, None)
        return Difference(found, NOT_DEMONSTRABLE if found == "geen verschil" else DIFFERS, "interval")
    if decimals is None:
        decimals = 0 if indicator.unit in ("aantal", "euro") else 1
    kind = funnel_kind(indicator.unit)
    if kind is not None:
        step = 10.0 ** -decimals
        shown = max(own - step, ref) if own > ref else min(own + step, ref)
        found, strength = funnel_position(shown, _num(population), ref, kind[0], kind[1])
        if strength == NOT_DEMONSTRABLE or strength == UNKNOWN:
            return Difference("geen verschil" if strength == NOT_DEMONSTRABLE else "onbekend", strength, "trechter")
        return Difference("hoger" if own > ref else "lager", strength, "trechter")
    found = compare(own, None, None, ref, None, None, "telling", decimals)
    return Difference(found, DIFFERS if found in ("hoger", "lager") else NOT_DEMONSTRABLE, "telling")


def rank(frame: pd.DataFrame, direction: str, decimals: int = 1) -> pd.DataFrame:
    """``frame`` (a ``value`` column) with ``rank`` (1 = most favourable, or highest for a neutral
    indicator; equal figures at ``decimals`` share the best rank) and ``tied`` (how many others
    share it). Rows without a value are left out.

    >>> rank(pd.DataFrame({"value": [3.0, 1.0, 3.0]}), "lower_is_better")[["rank", "tied"]].values.tolist()
    [[2, 1], [1, 0], [2, 1]]
    """
    out = frame[frame["value"].notna()].copy()
    shown = out["value"].astype(float).round(decimals)
    ascending = direction == "lower_is_better"
    out["rank"] = shown.rank(method="min", ascending=ascending).astype(int)
    out["tied"] = out.groupby("rank")["rank"].transform("size").astype(int) - 1
    return out


def rank_text(position: int, total: int, plural: str, direction: str, tied: int = 0) -> str:
    """'19e van de 25 GGD-regio's' (directional) or 'op plaats 7 van de 25 …' (neutral).

    >>> rank_text(19, 25, "GGD-regio's", "lower_is_better")
    "19e van de 25 GGD-regio's"
    >>> rank_text(3, 12, "gemeenten", "higher_is_better", tied=1)
    'gedeeld 3e van de 12 gemeenten'
    >>> rank_text(7, 25, "GGD-regio's", "neutral")
    "op plaats 7 van de 25 GGD-regio's"
    """
    if direction == "neutral":
        where = f"op {'gedeelde ' if tied else ''}plaats {position}"
    else:
        where = f"{'gedeeld ' if tied else ''}{position}e"
    return f"{where} van de {total} {plural}"


def rank_key(direction: str) -> str:
    """What rank 1 means, for a chart's subtitle or a table's column."""
    if direction == "neutral":
        return "plaats 1 = hoogste cijfer (neutrale indicator: niet beter of slechter)"
    return "1e = gunstigste cijfer"


def difference_clause(found: Difference, direction: str, ref_name: str, ref_text: str) -> str:
    """The part of a sentence that says whether a figure differs from a reference.

    >>> d = Difference("hoger", DIFFERS_CLEARLY, "trechter")
    >>> difference_clause(d, "lower_is_better", "Nederland", "6,1 per 1.000")
    'duidelijk ongunstiger dan Nederland (6,1 per 1.000)'
    >>> difference_clause(Difference("geen verschil", NOT_DEMONSTRABLE, "interval"), "neutral", "Nederland", "50,1%")
    'het verschil met Nederland (50,1%) is niet aantoonbaar'
    """
    if found.strength == UNKNOWN:
        reason = ("onbekend over hoeveel inwoners het cijfer gaat" if found.method == "trechter"
                  else "geen betrouwbaarheidsinterval")
        return f"over het verschil met {ref_name} ({ref_text}) doen we geen uitspraak ({reason})"
    if found.strength == NOT_DEMONSTRABLE:
        if found.method == "telling":
            return f"even hoog als {ref_name} ({ref_text})"
        return f"het verschil met {ref_name} ({ref_text}) is niet aantoonbaar"
    word = judgement(direction, found.comparison)
    clearly = "duidelijk " if found.strength == DIFFERS_CLEARLY else ""
    return f"{clearly}{word} dan {ref_name} ({ref_text})"


def standing_sentence(region_name: str, ranked: pd.DataFrame, region_code: str, indicator: Indicator,
                      period: str, plural: str, ref_name: str = "Nederland", reference=None,
                      population=None) -> str:
    """One sentence: the region's rank among ``ranked`` (the output of :func:`rank`, with
    region_code, value, ci_low, ci_high) and whether it differs from the reference.

    "Twente staat 19e van de 25 GGD-regio's met 52,6% (2022); ongunstiger dan Nederland (50,1%)."
    """
    rows = ranked[ranked["region_code"] == region_code]
    when = period_label(period)
    if rows.empty:
        return f"Voor {region_name} is er geen cijfer ({indicator.name}, {when})."
    row = rows.iloc[0]
    where = rank_text(int(row["rank"]), len(ranked), plural, indicator.direction, int(row["tied"]))
    text = f"{region_name} staat {where} met {format_value(row['value'], indicator.unit)} ({when})"
    ref = _num(reference)
    if ref is None:
        return text + "."
    found = difference(indicator, row["value"], row.get("ci_low"), row.get("ci_high"), ref, population)
    return f"{text}; {difference_clause(found, indicator.direction, ref_name, format_value(ref, indicator.unit))}."


def judgement_word(direction: str, found: Difference) -> str:
    """The word a chart colours a figure by: gunstiger/ongunstiger (hoger/lager for a neutral
    indicator) only when it differs, else "geen verschil" or "onbekend".

    >>> judgement_word("lower_is_better", Difference("hoger", DIFFERS, "interval"))
    'ongunstiger'
    """
    if found.strength in (DIFFERS, DIFFERS_CLEARLY):
        return judgement(direction, found.comparison)
    return "onbekend" if found.strength == UNKNOWN else "geen verschil"


def difference_sentence(region_name: str, found: Difference, direction: str, ref_name: str, ref_text: str) -> str:
    """The difference with a reference as a sentence of its own.

    >>> lower = Difference("lager", DIFFERS, "interval")
    >>> difference_sentence("Enschede", lower, "lower_is_better", "Nederland", "50,1%")
    'Enschede is gunstiger dan Nederland (50,1%).'
    >>> same = Difference("geen verschil", NOT_DEMONSTRABLE, "interval")
    >>> difference_sentence("Enschede", same, "neutral", "Nederland", "50,1%")
    'Het verschil met Nederland (50,1%) is niet aantoonbaar.'
    """
    clause = difference_clause(found, direction, ref_name, ref_text)
    if found.strength in (DIFFERS, DIFFERS_CLEARLY):
        return f"{region_name} is {clause}."
    if found.strength == NOT_DEMONSTRABLE and found.method == "telling":
        return f"{region_name} is {clause}."
    return clause[:1].upper() + clause[1:] + "."
