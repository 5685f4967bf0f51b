"""Which projects need a voortgangsmelding (check-in), and from whom: the one rule the
reminders (``python -m monitor herinneringen``) and the "Wie moet nog melden" page share.

A project that is not afgerond needs a check-in from its projectleider when

* it has had none in the last ``max_age_days`` days (or never had one), or
* its status is ``onbekend (geen registratie)``,

and a KPI of it needs a value from its owner (the kpi-eigenaar, else the projectleider) when
the last quarter that ended before ``today`` (and began on or before the KPI's deadline)
has no real value (voorbeelddata does not count).

Who still has to report (:func:`by_owner`): the open items grouped per owner, oldest first
(never checked in before the oldest check-in). Items without an owner are kept apart so
the page can list them; no mail goes to nobody.

Pure: plain dataclasses in, plain dataclasses out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from monitor.domain.status import AFGEROND, ONBEKEND

DEFAULT_MAX_AGE_DAYS = 30

REASON_NEVER = "nog nooit een voortgangsmelding"
REASON_STALE = "geen voortgangsmelding in de laatste {days} dagen (laatste: {last})"
REASON_UNKNOWN = "status onbekend (geen registratie)"
REASON_KPI = "geen waarde voor KPI '{kpi}' over {period}"


@dataclass(frozen=True)
class KpiState:
    kpi_id: str
    name: str
    deadline: date
    owner_email: str | None = None          # the kpi-eigenaar; None: the project's owner
    periods_with_value: frozenset[str] = frozenset()  # real values only, no voorbeelddata


@dataclass(frozen=True)
class ProjectState:
    project_id: str
    name: str
    themalijn: str
    status: str
    owner_email: str | None = None          # the projectleider
    themaleider_email: str | None = None
    last_checkin: date | None = None
    kpis: tuple[KpiState, ...] = ()


@dataclass(frozen=True)
class OpenCheckin:
    """What one owner still has to report for one project."""
    project_id: str
    name: str
    themalijn: str
    owner_email: str | None
    last_checkin: date | None
    reasons: tuple[str, ...]
    themaleider_email: str | None = None


@dataclass(frozen=True)
class OwnerDue:
    """One owner with everything they still have to report, oldest first."""
    email: str | None
    items: tuple[OpenCheckin, ...] = field(default_factory=tuple)

    @property
    def oldest(self) -> date | None:
        """The oldest last check-in among the items (None: at least one never had one)."""
        days = [item.last_checkin for item in self.items]
        return None if any(day is None for day in days) else min(days)


def due_period(today: date) -> str:
    """The last quarter that ended before ``today`` ('2026Q3' on 7 December 2026)."""
    quarter = (today.month - 1) // 3 + 1
    year, quarter = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    return f"{year}Q{quarter}"


def _quarter_start(period: str) -> date:
    return date(int(period[:4]), (int(period[5]) - 1) * 3 + 1, 1)


def _nl_date(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _project_reasons(project: ProjectState, today: date, max_age_days: int) -> list[str]:
    reasons = []
    if project.last_checkin is None:
        reasons.append(REASON_NEVER)
    elif project.last_checkin < today - timedelta(days=max_age_days):
        reasons.append(REASON_STALE.format(days=max_age_days, last=_nl_date(project.last_checkin)))
    if project.status == ONBEKEND:
        reasons.append(REASON_UNKNOWN)
    return reasons


def _missing_kpis(project: ProjectState, today: date) -> list[KpiState]:
    period = due_period(today)
    return [kpi for kpi in project.kpis
            if _quarter_start(period) <= kpi.deadline and period not in kpi.periods_with_value]


def open_checkins(projects: Iterable[ProjectState], today: date,
                  max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[OpenCheckin]:
    """Every (owner, project) with something to report; a KPI with its own owner gives that
    owner an item of their own. Afgerond projects need nothing."""
    period = due_period(today)
    found: list[OpenCheckin] = []
    for project in projects:
        if project.status == AFGEROND:
            continue
        per_owner: dict[str | None, list[str]] = {}
        reasons = _project_reasons(project, today, max_age_days)
        if reasons:
            per_owner[project.owner_email] = reasons
        for kpi in _missing_kpis(project, today):
            owner = kpi.owner_email or project.owner_email
            per_owner.setdefault(owner, []).append(REASON_KPI.format(kpi=kpi.name, period=period))
        found += [OpenCheckin(project.project_id, project.name, project.themalijn, owner,
                              project.last_checkin, tuple(owner_reasons), project.themaleider_email)
                  for owner, owner_reasons in per_owner.items()]
    return found


def _age_key(item: OpenCheckin) -> tuple:
    return (item.last_checkin is not None, item.last_checkin or date.min, item.name)


def by_owner(items: Iterable[OpenCheckin], themalijn: str | None = None) -> list[OwnerDue]:
    """The open items per owner (of one themalijn, or all), oldest first: owners whose oldest
    item never had a check-in first, then by their oldest last check-in. Items without an owner
    come last, under ``email=None``."""
    groups: dict[str | None, list[OpenCheckin]] = {}
    for item in items:
        if themalijn is None or item.themalijn == themalijn:
            groups.setdefault(item.owner_email, []).append(item)
    owners = [OwnerDue(email, tuple(sorted(group, key=_age_key))) for email, group in groups.items()]
    return sorted(owners, key=lambda due: (due.email is None, _age_key(due.items[0]), due.email or ""))
