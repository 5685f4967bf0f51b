"""Value axes whose ticks fit the unit: explicit tick values on a 1-2-5 step and the number of
decimals that keeps every label distinct (never "0, 1, 1" for ticks at 0; 0,5; 1). Pure."""

from __future__ import annotations

import math

_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_step(span: float, count: int = 5, integer: bool = False) -> float:
    """A tick step of 1, 2, 2,5 or 5 × 10^k giving about ``count`` intervals over ``span``;
    at least 1 for whole numbers (``integer``).

    >>> nice_step(1.1, 5), nice_step(1.1, 5, integer=True), nice_step(5000, 5)
    (0.25, 1.0, 1000.0)
    """
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in _STEPS if m * magnitude >= raw - 1e-12)
    if integer:
        step = max(1.0, float(math.ceil(step)))
        if step > 2:  # whole steps of 1, 2, 5, 10, 20, 25, 50 …
            magnitude = 10 ** math.floor(math.log10(step))
            step = next(m * magnitude for m in _STEPS if m * magnitude >= step and (m * magnitude).is_integer())
    return step


def step_decimals(step: float) -> int:
    """Decimals that show a tick step exactly: 0 for 1 or 5, 1 for 0,5, 2 for 0,25.

    >>> step_decimals(1.0), step_decimals(0.5), step_decimals(0.25), step_decimals(2.5)
    (0, 1, 2, 1)
    """
    for decimals in range(0, 7):
        if abs(round(step, decimals) - step) < 1e-9:
            return decimals
    return 6


def ticks(low: float, high: float, count: int = 5, integer: bool = False) -> tuple[list[float], int, list[float]]:
    """Tick values covering [low, high], their decimals and the rounded domain.

    >>> ticks(0, 1.1, integer=True)
    ([0.0, 1.0, 2.0], 0, [0.0, 2.0])
    >>> ticks(0, 1.1)
    ([0.0, 0.25, 0.5, 0.75, 1.0, 1.25], 2, [0.0, 1.25])
    """
    if high < low:
        low, high = high, low
    if high == low:
        high = low + 1
    step = nice_step(high - low, count, integer)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    values = []
    value = first
    while value <= last + step * 1e-6:
        values.append(round(value, 9))
        value += step
    decimals = step_decimals(step)
    return [float(v) for v in values], decimals, [float(values[0]), float(values[-1])]
