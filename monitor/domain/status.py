"""Project status: the one place where "op schema", "achter", "voor", "afgerond" and
"onbekend (geen registratie)" are decided.

Rules (documented in docs/using.md, "Project status", and on the Projecten page):

* A status is measured against the plan of the peildatum's year (``project_plans``: a
  jaarplan gives per project the phase at its start, 1 January, and the phase expected at its
  end, 31 December). Without a plan for that year the newest earlier plan is used: the
  peildatum then lies after that plan's horizon, and the page says so (:func:`plan_notice`).
* ``afgerond``: the current phase is Borging.
* Otherwise the phase the project should have at the peildatum is interpolated linearly
  through the plan year, from ``phase_start`` to ``phase_expected``, in phase steps
  (Initiatie = 0 … Borging = 5). Before the plan year the start phase is expected, after it
  the expected phase. With ``e`` that interpolated value:
  - ``onbekend (geen registratie)`` when nothing was registered since the plan's start phase
    and the plan expects the project past it by now (``floor(e)`` above the start phase): the
    monitor does not know whether the project moved, so it does not call it behind;
  - ``achter`` when the current phase is below ``floor(e)``: behind the phase the project
    should at least have reached by now. Only a registration can show that (without one the
    rule above applies);
  - ``voor`` when the current phase is above ``ceil(e)``: ahead of the phase the plan reaches
    only later;
  - ``op schema`` otherwise.
  Example: Kinderarmoede goes from Definitie (1) to Realisatie (4). On 1 July 2025 e ≈ 2,5:
  Ontwerp (2) or Voorbereiding (3) is op schema, Definitie is achter once a registration
  confirms it (without one it is onbekend), Realisatie is voor.
* ``niet bijgewerkt`` is a separate flag, not a status: for a project that is neither
  afgerond nor onbekend, nothing (no registration, no plan start) for more than
  ``STALE_DAYS`` days before the peildatum.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from monitor.domain.phases import PHASES

STALE_DAYS = 90

AFGEROND = "afgerond"
OP_SCHEMA = "op schema"
ACHTER = "achter"
VOOR = "voor"
ONBEKEND = "onbekend (geen registratie)"
STATUSES: tuple[str, ...] = (ACHTER, ONBEKEND, OP_SCHEMA, VOOR, AFGEROND)


def rank(phase: str) -> int:
    return PHASES.index(phase)


def plan_fraction(peildatum: date, plan_start: date, plan_end: date) -> float:
    """How far the plan year is at the peildatum: 0 at its start, 1 at its end and after."""
    span = (plan_end - plan_start).days
    return min(max((peildatum - plan_start).days / span, 0.0), 1.0)


def expected_rank(phase_start: str, phase_expected: str, peildatum: date, plan_start: date,
                  plan_end: date) -> float:
    start, end = rank(phase_start), rank(phase_expected)
    return start + (end - start) * plan_fraction(peildatum, plan_start, plan_end)


def expected_phase(phase_start: str, phase_expected: str, peildatum: date, plan_start: date,
                   plan_end: date) -> str:
    """The phase a project should at least have reached at the peildatum."""
    e = expected_rank(phase_start, phase_expected, peildatum, plan_start, plan_end)
    return PHASES[math.floor(e + 1e-9)]


def project_status(phase_start: str, phase_expected: str, current_phase: str, peildatum: date,
                   plan_start: date, plan_end: date, registered: bool = True) -> str:
    """The status of one project at the peildatum.

    ``registered``: whether any phase change was registered since the plan's start phase.

    >>> y = (date(2025, 1, 1), date(2025, 12, 31))
    >>> project_status("Definitie", "Realisatie", "Definitie", date(2025, 7, 1), *y)
    'achter'
    >>> project_status("Definitie", "Realisatie", "Definitie", date(2025, 7, 1), *y, registered=False)
    'onbekend (geen registratie)'
    >>> project_status("Definitie", "Realisatie", "Ontwerp", date(2025, 7, 1), *y)
    'op schema'
    >>> project_status("Realisatie", "Borging", "Borging", date(2025, 3, 1), *y)
    'afgerond'
    """
    current = rank(current_phase)
    if current == rank("Borging"):
        return AFGEROND
    e = expected_rank(phase_start, phase_expected, peildatum, plan_start, plan_end)
    due = math.floor(e + 1e-9)
    if not registered and due > rank(phase_start):
        return ONBEKEND
    if current < due:
        return ACHTER
    if current > math.ceil(e - 1e-9):
        return VOOR
    return OP_SCHEMA


def is_stale(last_change: date | None, peildatum: date, status: str) -> bool:
    """True when nothing was recorded for more than STALE_DAYS before the peildatum (not for a
    project that is afgerond, nor for one whose status already says nothing was registered)."""
    if status in (AFGEROND, ONBEKEND):
        return False
    if last_change is None:
        return True
    return (peildatum - last_change).days > STALE_DAYS


def add_status(projects: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """Add ``expected_phase_now``, ``status`` and ``niet_bijgewerkt`` to a project table.

    ``projects`` needs phase_start, phase_expected, plan_start, plan_end, current_phase,
    registrations_since_start and last_change (dates): the ``project_overview`` query.
    """
    out = projects.copy()
    starts = [_as_date(d) for d in out["plan_start"]]
    ends = [_as_date(d) for d in out["plan_end"]]
    out["expected_phase_now"] = [expected_phase(s, e, peildatum, a, b)
                                 for s, e, a, b in zip(out["phase_start"], out["phase_expected"], starts, ends)]
    out["status"] = [project_status(s, e, c, peildatum, a, b, registered=bool(n))
                     for s, e, c, a, b, n in zip(out["phase_start"], out["phase_expected"], out["current_phase"],
                                                 starts, ends, out["registrations_since_start"])]
    out["niet_bijgewerkt"] = [is_stale(_as_date(d), peildatum, s)
                              for d, s in zip(out["last_change"], out["status"])]
    return out


def plan_notice(projects: pd.DataFrame, peildatum: date) -> str | None:
    """The sentence a page shows when the peildatum lies after the horizon of the plan the
    statuses are measured against: which plan that is and that no later plan is in the monitor.
    None while every project's plan still runs at the peildatum (or lies ahead)."""
    if projects.empty:
        return None
    past = projects[[_as_date(end) < peildatum for end in projects["plan_end"]]]
    if past.empty:
        return None
    parts = []
    for (title, end), group in past.groupby(["plan_title", "plan_end"], sort=True):
        end = _as_date(end)
        who = "alle projecten" if len(group) == len(projects) else f"{len(group)} van de {len(projects)} projecten"
        parts.append(f"voor {who} komt de verwachte fase uit het {title} (verwacht op {end:%d-%m-%Y})")
    newest = int(projects["newest_plan_year"].max())
    later = ("Er staat geen later jaarplan in de monitor" if newest < peildatum.year
             else f"Het jaarplan {peildatum.year} noemt deze projecten niet")
    return (f"De peildatum ligt na de looptijd van het plan: {'; '.join(parts)}. {later}, dus na die datum "
            "geldt de verwachte fase van dat plan.")


def _as_date(value) -> date | None:
    if value is None or value is pd.NaT or (not isinstance(value, date) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value
