"""Project status: the one place where "op schema", "achter", "voor" and "afgerond" are decided.

Rules (documented in the README and on the Projecten page):

* ``afgerond``: the current phase is Borging.
* Otherwise the phase the project should have at the peildatum is interpolated linearly
  through the plan year, from the phase on 01-01-2025 (``phase_start``) to the expected phase
  on 31-12-2025 (``phase_expected``), in phase steps (Initiatie = 0 … Borging = 5). Before
  the plan year the start phase is expected, after it the expected phase.
  With ``e`` that interpolated value:
  - ``achter`` when the current phase is below ``floor(e)``: behind the phase the project
    should at least have reached by now;
  - ``voor`` when the current phase is above ``ceil(e)``: ahead of the phase the plan reaches
    only later;
  - ``op schema`` otherwise.
  Example: Kinderarmoede goes from Definitie (1) to Realisatie (4). On 1 July 2025 e ≈ 2,5:
  Ontwerp (2) or Voorbereiding (3) is op schema, Definitie is achter, Realisatie is voor.
* ``niet bijgewerkt`` is a separate flag, not a status: no recorded change for more than
  ``STALE_DAYS`` days before the peildatum (for projects that are not afgerond), so a missing
  update is not mistaken for a delay or for being on schedule.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from monitor.contract import PHASES

PLAN_START = date(2025, 1, 1)
PLAN_END = date(2025, 12, 31)
STALE_DAYS = 90

AFGEROND = "afgerond"
OP_SCHEMA = "op schema"
ACHTER = "achter"
VOOR = "voor"
STATUSES: tuple[str, ...] = (ACHTER, OP_SCHEMA, VOOR, AFGEROND)


def rank(phase: str) -> int:
    return PHASES.index(phase)


def plan_fraction(peildatum: date) -> float:
    """How far the plan year is at the peildatum: 0 on 01-01-2025, 1 on 31-12-2025 and after."""
    span = (PLAN_END - PLAN_START).days
    return min(max((peildatum - PLAN_START).days / span, 0.0), 1.0)


def expected_rank(phase_start: str, phase_expected: str, peildatum: date) -> float:
    start, end = rank(phase_start), rank(phase_expected)
    return start + (end - start) * plan_fraction(peildatum)


def expected_phase(phase_start: str, phase_expected: str, peildatum: date) -> str:
    """The phase a project should at least have reached at the peildatum."""
    return PHASES[math.floor(expected_rank(phase_start, phase_expected, peildatum) + 1e-9)]


def project_status(phase_start: str, phase_expected: str, current_phase: str, peildatum: date) -> str:
    """The status of one project at the peildatum.

    >>> project_status("Definitie", "Realisatie", "Definitie", date(2025, 7, 1))
    'achter'
    >>> project_status("Definitie", "Realisatie", "Ontwerp", date(2025, 7, 1))
    'op schema'
    >>> project_status("Realisatie", "Borging", "Borging", date(2025, 3, 1))
    'afgerond'
    """
    current = rank(current_phase)
    if current == rank("Borging"):
        return AFGEROND
    e = expected_rank(phase_start, phase_expected, peildatum)
    if current < math.floor(e + 1e-9):
        return ACHTER
    if current > math.ceil(e - 1e-9):
        return VOOR
    return OP_SCHEMA


def is_stale(last_change: date | None, peildatum: date, status: str) -> bool:
    """True when nothing was recorded for more than STALE_DAYS before the peildatum."""
    if status == AFGEROND:
        return False
    if last_change is None:
        return True
    return (peildatum - last_change).days > STALE_DAYS


def add_status(projects: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """Add ``expected_phase_now``, ``status`` and ``niet_bijgewerkt`` to a project table.

    ``projects`` needs phase_start, phase_expected, current_phase and last_change (date).
    """
    out = projects.copy()
    out["expected_phase_now"] = [expected_phase(s, e, peildatum)
                                 for s, e in zip(out["phase_start"], out["phase_expected"])]
    out["status"] = [project_status(s, e, c, peildatum)
                     for s, e, c in zip(out["phase_start"], out["phase_expected"], out["current_phase"])]
    out["niet_bijgewerkt"] = [is_stale(_as_date(d), peildatum, s)
                              for d, s in zip(out["last_change"], out["status"])]
    return out


def _as_date(value) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value
