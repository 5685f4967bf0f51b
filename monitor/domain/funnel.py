"""Funnel plots: control limits around a target by population size. Pure (scipy), no Streamlit.

A funnel plot compares figures of areas of very different size (a gemeente of 20.000 inhabitants
with one of 160.000) with a target, here the national value. For each population size ``n`` it
draws the range within which an area's figure falls by chance alone when its true value is the
target: 95% (about 2 standard errors) and 99,8% (about 3). A figure outside the 95% limits
"verschilt", outside the 99,8% limits "verschilt duidelijk"; inside, the difference is not
demonstrable.

Method: Spiegelhalter, D.J. (2005), *Funnel plots for comparing institutional performance*,
Statistics in Medicine 24:1185–1202, appendix A.1.1, as the APHO technical guide (Flowers, 2008,
*Statistical methods for quality assurance: funnel plots*) applies it:

- **rates per N inhabitants** (a register count divided by the population): the count is Poisson
  with mean ``λ = θ·n`` (θ the target rate per inhabitant);
- **proportions** (a percentage of a population): the count is Binomial(n, θ);

and the exact limit for tail probability ``p`` is the quantile ``r_p`` of that distribution,
interpolated between the discrete counts: ``α = (F(r_p) − p) / (F(r_p) − F(r_p − 1))`` and the
limit ``(r_p − α) / n``, on the figure's scale (× 100 for a percentage, × N for a rate per N).

:func:`poisson_interval` gives the exact (Garwood) interval of an observed count through the
chi-square distribution, the form the APHO guide tabulates; tests check both against each other
and against published values.
"""

from __future__ import annotations

import math
import re

import numpy as np
# scipy.special, not scipy.stats: the same functions scipy.stats's Poisson, binomial and chi-square
# distributions call, without importing scipy.stats (about a second at a server's start).
from scipy import special

LEVELS: tuple[float, ...] = (0.95, 0.998)
LEVEL_LABELS: dict[float, str] = {0.95: "95%", 0.998: "99,8%"}

DIFFERS = "verschilt"
DIFFERS_CLEARLY = "verschilt duidelijk"
NOT_DEMONSTRABLE = "verschilt niet aantoonbaar"
UNKNOWN = "onbekend"


def funnel_kind(unit: str) -> tuple[str, float] | None:
    """How an indicator's figures are counted, from its unit: ("proportion", 100) for a
    percentage, ("rate", N) for a figure per N inhabitants, None when a funnel does not apply
    (euro, hours, plain counts).

    >>> funnel_kind("%"), funnel_kind("per 1.000"), funnel_kind("per 100.000 inwoners"), funnel_kind("euro")
    (('proportion', 100.0), ('rate', 1000.0), ('rate', 100000.0), None)
    """
    unit = str(unit or "").strip()
    if unit == "%":
        return ("proportion", 100.0)
    found = re.match(r"per\s+([\d.]+)", unit)
    if found:
        return ("rate", float(found.group(1).replace(".", "")))
    return None


def _quantile(cdf, inverse, p: float, upper: float = math.inf) -> float:
    """The quantile ``r_p`` of a discrete distribution on 0, 1, 2 …: the smallest count whose
    cumulative probability reaches ``p``, from the continuous inverse of the cdf (as
    ``scipy.stats``'s Poisson and binomial ``ppf`` find it). ``upper``: the largest count."""
    found = float(inverse(p))
    if math.isnan(found):  # a distribution with all its mass on one count (a target of 0% or 100%)
        return 0.0 if cdf(0) >= p else float(math.ceil(upper))
    r = math.ceil(found)
    below = max(r - 1, 0)
    return float(below if cdf(below) >= p else r)


def _interpolated(cdf, inverse, p: float, upper: float = math.inf) -> float:
    """Spiegelhalter's interpolated quantile ``r_p − α`` of a discrete distribution given by its
    ``cdf`` and the continuous ``inverse`` of it."""
    r = _quantile(cdf, inverse, p, upper)
    below = float(cdf(r - 1)) if r > 0 else 0.0
    at = float(cdf(r))
    if at == below:
        return r
    return r - (at - p) / (at - below)


def limit(target: float, population: float, p: float, kind: str = "rate", per: float = 1000.0) -> float:
    """The control limit at tail probability ``p`` (0.025 and 0.975 for 95%; 0.001 and 0.999 for
    99,8%) for an area of ``population`` when the true figure is ``target`` (on the figure's
    scale: a percentage, or a rate per ``per``).

    >>> round(limit(4.0, 1000, 0.975), 4)
    7.8778
    """
    if population is None or not population > 0 or target is None or math.isnan(target):
        return math.nan
    theta = target / per
    n = float(population)
    if kind == "rate":  # Poisson(θ·n)
        mean = theta * n
        quantile = _interpolated(lambda k: special.pdtr(k, mean), lambda q: special.pdtrik(q, mean), p)
    elif kind == "proportion":  # Binomial(n, θ)
        if not 0 <= theta <= 1:
            raise ValueError(f"Een percentage moet tussen 0 en 100 liggen, niet {target}")
        trials = int(round(n))
        quantile = _interpolated(lambda k: special.bdtr(k, trials, theta),
                                 lambda q: special.bdtrik(q, trials, theta), p, trials)
    else:
        raise ValueError(f"Onbekende soort trechter: {kind!r}")
    return quantile / n * per


def limits(target: float, population: float, level: float = 0.95, kind: str = "rate",
           per: float = 1000.0) -> tuple[float, float]:
    """The (lower, upper) control limits at ``level`` (0.95 or 0.998)."""
    tail = (1 - level) / 2
    return (limit(target, population, tail, kind, per), limit(target, population, 1 - tail, kind, per))


def funnel_curve(target: float, low: float, high: float, kind: str = "rate", per: float = 1000.0,
                 points: int = 80, levels: tuple[float, ...] = LEVELS) -> list[dict]:
    """The limits along population sizes from ``low`` to ``high`` (log-spaced), for drawing: rows
    of population, level (0.95 …), lower and upper."""
    low = max(float(low), 1.0)
    high = max(float(high), low * 1.01)
    sizes = np.unique(np.round(np.geomspace(low, high, points)))
    return [{"population": float(n), "level": level, "lower": lo, "upper": hi}
            for level in levels for n in sizes
            for lo, hi in [limits(target, n, level, kind, per)]]


def poisson_interval(count: float, level: float = 0.95) -> tuple[float, float]:
    """The exact (Garwood) interval of an observed Poisson count, through chi-square:
    lower ``χ²(α/2; 2O)/2``, upper ``χ²(1 − α/2; 2O + 2)/2``.

    >>> [round(x, 3) for x in poisson_interval(10)]
    [4.795, 18.39]
    """
    alpha = 1 - level
    # χ²(q; df) is the chi-square quantile: ``chdtri(df, 1 − q)`` (the inverse of its upper tail).
    lower = 0.0 if count <= 0 else float(special.chdtri(2 * count, 1 - alpha / 2)) / 2
    upper = float(special.chdtri(2 * count + 2, alpha / 2)) / 2
    return (lower, upper)


def funnel_position(value: float | None, population: float | None, target: float | None,
                    kind: str = "rate", per: float = 1000.0) -> tuple[str, str]:
    """Where a figure lies in the funnel: (comparison, strength).

    comparison "hoger"/"lager" than the target, "geen verschil" inside the 95% limits,
    "onbekend" without value, population or target; strength :data:`DIFFERS_CLEARLY` outside
    99,8%, :data:`DIFFERS` outside 95%, :data:`NOT_DEMONSTRABLE` inside, :data:`UNKNOWN`.

    >>> funnel_position(11.0, 10000, 10.0)
    ('geen verschil', 'verschilt niet aantoonbaar')
    >>> funnel_position(12.0, 100000, 10.0)
    ('hoger', 'verschilt duidelijk')
    """
    numbers = [value, population, target]
    if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in numbers) or not population > 0:
        return ("onbekend", UNKNOWN)
    low95, high95 = limits(target, population, 0.95, kind, per)
    if low95 <= value <= high95:
        return ("geen verschil", NOT_DEMONSTRABLE)
    low998, high998 = limits(target, population, 0.998, kind, per)
    word = "hoger" if value > high95 else "lager"
    clearly = value > high998 or value < low998
    return (word, DIFFERS_CLEARLY if clearly else DIFFERS)
