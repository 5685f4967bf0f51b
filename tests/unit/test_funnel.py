"""Funnel limits against worked examples: hand computations from the probability mass functions
(math only, no scipy), the chi-square form of the Poisson distribution, published exact Poisson
intervals, and the normal approximation for large populations."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from monitor.domain.funnel import (DIFFERS, DIFFERS_CLEARLY, NOT_DEMONSTRABLE, funnel_curve, funnel_kind,
                                   funnel_position, limit, limits, poisson_interval)


def _poisson_cdf(k: int, lam: float) -> float:
    return sum(math.exp(-lam) * lam ** i / math.factorial(i) for i in range(k + 1))


def _binom_cdf(k: int, n: int, theta: float) -> float:
    return sum(math.comb(n, i) * theta ** i * (1 - theta) ** (n - i) for i in range(k + 1))


def _hand_interpolated(cdf, p: float) -> float:
    """Spiegelhalter (2005) A.1.1 by hand: the smallest r with F(r) >= p, then r - alpha."""
    r = 0
    while cdf(r) < p:
        r += 1
    below = cdf(r - 1) if r > 0 else 0.0
    return r - (cdf(r) - p) / (cdf(r) - below)


@pytest.mark.parametrize("lam, p", [(4.0, 0.975), (4.0, 0.025), (4.0, 0.999), (25.0, 0.001), (0.5, 0.975)])
def test_poisson_limit_matches_a_hand_computation(lam, p):
    # 4 per 1.000 in an area of 1.000 inhabitants: lambda = 4
    population = 1000 * lam / 4
    expected = _hand_interpolated(lambda k: _poisson_cdf(k, lam), p) / population * 1000
    assert limit(4.0, population, p, "rate", 1000) == pytest.approx(expected, rel=1e-9)


def test_the_hand_checked_case():
    # F(7) = 0,94887, F(8) = 0,97864 for lambda 4: r = 8, alpha = (0,97864 - 0,975) / 0,02977
    assert limit(4.0, 1000, 0.975) == pytest.approx(8 - (0.9786366 - 0.975) / (0.9786366 - 0.9488664), abs=1e-5)


@pytest.mark.parametrize("lam", [0.7, 4.0, 37.5, 480.0])
@pytest.mark.parametrize("p", [0.001, 0.025, 0.975, 0.999])
def test_poisson_quantile_equals_the_chi_square_form(lam, p):
    # P(X <= k) = P(chi2 with 2(k+1) df > 2 lambda): the smallest such k reaching p
    k = 0
    while stats.chi2.sf(2 * lam, 2 * (k + 1)) < p:
        k += 1
    assert stats.poisson.ppf(p, lam) == k


def test_binomial_limit_matches_a_hand_computation():
    # 20 people, target 50%: limits as percentages
    for p in (0.025, 0.975, 0.001, 0.999):
        expected = _hand_interpolated(lambda k: _binom_cdf(k, 20, 0.5), p) / 20 * 100
        assert limit(50.0, 20, p, "proportion", 100) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("count, low, high", [(0, 0.0, 3.689), (1, 0.0253, 5.572), (10, 4.795, 18.390),
                                              (20, 12.217, 30.888)])
def test_exact_poisson_interval_matches_published_values(count, low, high):
    # Exact (Garwood) 95% limits as tabulated, e.g. in the APHO/PHE guide's Poisson table
    got = poisson_interval(count)
    assert got[0] == pytest.approx(low, abs=6e-4) and got[1] == pytest.approx(high, abs=6e-4)


def test_large_populations_approach_the_normal_approximation():
    n = 2_000_000
    lo, hi = limits(50.0, n, 0.95, "proportion", 100)
    se = math.sqrt(0.5 * 0.5 / n) * 100
    assert lo == pytest.approx(50 - 1.959964 * se, abs=se * 0.02)
    assert hi == pytest.approx(50 + 1.959964 * se, abs=se * 0.02)
    lo, hi = limits(8.0, n, 0.998, "rate", 1000)
    se = math.sqrt(8.0 / 1000 / n) * 1000
    assert hi == pytest.approx(8.0 + 3.090232 * se, abs=se * 0.02)
    assert lo == pytest.approx(8.0 - 3.090232 * se, abs=se * 0.02)


def test_the_funnel_narrows_with_population():
    rows = funnel_curve(10.0, 1000, 200_000, "rate", 1000, points=20)
    wide = [r["upper"] - r["lower"] for r in rows if r["level"] == 0.95]
    assert wide == sorted(wide, reverse=True)
    for small, big in zip((r for r in rows if r["level"] == 0.95), (r for r in rows if r["level"] == 0.998)):
        assert big["lower"] <= small["lower"] and big["upper"] >= small["upper"]


def test_position_in_the_funnel():
    # 10 per 1.000 nationally; 10.000 inhabitants: 95% limits about 8,04–11,96, 99,8% 7,01–13,18
    assert funnel_position(11.5, 10_000, 10.0) == ("geen verschil", NOT_DEMONSTRABLE)
    assert funnel_position(12.5, 10_000, 10.0) == ("hoger", DIFFERS)
    assert funnel_position(13.5, 10_000, 10.0) == ("hoger", DIFFERS_CLEARLY)
    assert funnel_position(7.5, 10_000, 10.0) == ("lager", DIFFERS)
    # the same 12,5 in a gemeente of 1.000 inhabitants is noise
    assert funnel_position(12.5, 1_000, 10.0) == ("geen verschil", NOT_DEMONSTRABLE)
    assert funnel_position(None, 1_000, 10.0)[1] == "onbekend"
    assert funnel_position(12.5, None, 10.0)[1] == "onbekend"


def test_kind_from_the_unit():
    assert funnel_kind("%") == ("proportion", 100.0)
    assert funnel_kind("per 1.000") == ("rate", 1000.0)
    assert funnel_kind("aantal") is None and funnel_kind("uren per week") is None
    with pytest.raises(ValueError, match="tussen 0 en 100"):
        limit(120.0, 100, 0.975, "proportion", 100)


@pytest.mark.parametrize("kind", ["rate", "proportion"])
def test_limits_equal_scipy_stats_distributions(kind):
    """The limits come from scipy.special; they are the ones scipy.stats's Poisson and binomial
    distributions give (the interpolated quantile of Spiegelhalter), over sizes and targets."""
    def reference(target, n, p, per):
        theta = target / per
        dist = stats.poisson(theta * n) if kind == "rate" else stats.binom(int(round(n)), theta)
        r = float(dist.ppf(p))
        below = float(dist.cdf(r - 1)) if r > 0 else 0.0
        at = float(dist.cdf(r))
        return (r if at == below else r - (at - p) / (at - below)) / n * per

    per = 1000.0 if kind == "rate" else 100.0
    for target in (0.4, 4.0, 23.5, 61.0):
        for n in (12, 850, 20_000, 158_000, 17_900_000):
            for p in (0.001, 0.025, 0.975, 0.999):
                assert limit(target, n, p, kind, per) == pytest.approx(reference(target, n, p, per), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("count", [0, 1, 7, 10, 250, 12_345])
def test_poisson_interval_equals_the_chi_square_quantiles(count):
    low, high = poisson_interval(count)
    assert low == pytest.approx(stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0, rel=1e-10)
    assert high == pytest.approx(stats.chi2.ppf(0.975, 2 * count + 2) / 2, rel=1e-10)


def test_the_funnel_does_not_import_scipy_stats():
    """scipy.stats takes about a second to import; the server imports this module at its start."""
    import subprocess
    import sys

    code = "import sys, monitor.domain.funnel; print('scipy.stats' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("target", [0.0, 100.0])
@pytest.mark.parametrize("p", [0.001, 0.025, 0.975, 0.999])
def test_a_target_of_0_or_100_percent_has_limits(target, p):
    """All the binomial's mass on one count (scipy.special's inverse gives NaN there): the limits
    are those of scipy.stats, not an error on the page."""
    dist = stats.binom(1000, target / 100)
    r = float(dist.ppf(p))
    below = float(dist.cdf(r - 1)) if r > 0 else 0.0
    at = float(dist.cdf(r))
    expected = (r if at == below else r - (at - p) / (at - below)) / 1000 * 100
    assert limit(target, 1000, p, "proportion", 100.0) == pytest.approx(expected, abs=1e-12)
