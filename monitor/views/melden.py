""""Wie moet nog melden": owners with open voortgangsmeldingen, oldest first, for the whole
programme or one themalijn; and the project states the reminders read (``python -m monitor
herinneringen``). The rule itself is :mod:`monitor.domain.checkin_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from monitor import settings
from monitor.data import db
from monitor.domain.checkin_rules import (DEFAULT_MAX_AGE_DAYS, KpiState, OpenCheckin, OwnerDue,
                                          ProjectState, by_owner, open_checkins)
from monitor.domain.projects import with_status
from monitor.domain.text import themalijn_label
from monitor.views.owners import load_checkins, load_current_owners

NO_OWNER = "(geen eigenaar)"
COLUMNS = ("Eigenaar", "Project", "Themalijn", "Laatste voortgangsmelding", "Wat ontbreekt")


def max_age_days() -> int:
    return max(1, settings.integer("MONITOR_CHECKIN_DAYS", DEFAULT_MAX_AGE_DAYS))


def _email(value: object) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def _day(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _owners(owners: pd.DataFrame, subject_type: str) -> dict[str, str | None]:
    rows = owners[owners["subject_type"] == subject_type]
    return {str(r.subject_id): _email(r.email) for r in rows.itertuples(index=False)}


def project_states(projects: pd.DataFrame, owners: pd.DataFrame, checkins: pd.DataFrame,
                   kpis: pd.DataFrame, real_periods: pd.DataFrame) -> list[ProjectState]:
    """Plain inputs for the rule, from the query results (``projects`` with status)."""
    project_owner = _owners(owners, "project")
    kpi_owner = _owners(owners, "kpi")
    kpi_inherited = set(owners.loc[(owners["subject_type"] == "kpi") & owners["inherited"].fillna(False).astype(bool),
                                   "subject_id"].astype(str)) if "inherited" in owners else set()
    leader = _owners(owners, "themalijn")
    last = checkins.groupby("project_id")["checkin_date"].max() if len(checkins) else pd.Series(dtype=object)
    periods = real_periods.groupby("kpi_id")["period"].agg(frozenset) if len(real_periods) else {}
    kpis_of: dict[str, list[KpiState]] = {}
    for k in kpis.itertuples(index=False):
        own = None if k.kpi_id in kpi_inherited else kpi_owner.get(k.kpi_id)
        kpis_of.setdefault(k.project_id, []).append(
            KpiState(k.kpi_id, k.name, _day(k.deadline), own, periods.get(k.kpi_id, frozenset())))
    return [ProjectState(project_id=p.project_id, name=p.name, themalijn=p.themalijn,
                         status=p.status, owner_email=project_owner.get(p.project_id),
                         themaleider_email=leader.get(p.themalijn),
                         last_checkin=_day(last.get(p.project_id)), kpis=tuple(kpis_of.get(p.project_id, ())))
            for p in projects.itertuples(index=False)]


def load_project_states(today: date, dataset_dir: str | Path | None = None) -> list[ProjectState]:
    """Every project as the reminders and the page see it on ``today``."""
    projects = with_status(db.query("project_overview", dataset_dir, peildatum=today), today)
    return project_states(projects, load_current_owners(dataset_dir), load_checkins(None, dataset_dir),
                          db.query("project_kpi_list", dataset_dir), db.query("kpi_real_periods", dataset_dir))


@dataclass(frozen=True)
class MeldenView:
    today: date
    themalijn: str | None           # None: the whole programme
    owners: tuple[OwnerDue, ...]    # oldest first; the owner None (no owner) last
    table: pd.DataFrame             # one row per (owner, project), in the same order
    max_age_days: int

    @property
    def open_count(self) -> int:
        return len(self.table)


def _row(item: OpenCheckin) -> dict:
    return {"Eigenaar": item.owner_email or NO_OWNER, "Project": item.name, "Themalijn": themalijn_label(item.themalijn),
            "Laatste voortgangsmelding": item.last_checkin, "Wat ontbreekt": "; ".join(item.reasons),
            "project_id": item.project_id}


def build_melden(states: list[ProjectState], today: date, themalijn: str | None = None,
                 days: int | None = None) -> MeldenView:
    days = max_age_days() if days is None else days
    owners = tuple(by_owner(open_checkins(states, today, days), themalijn))
    rows = [_row(item) for due in owners for item in due.items]
    table = pd.DataFrame(rows, columns=[*COLUMNS, "project_id"])
    return MeldenView(today, themalijn, owners, table, days)


def themaleider_of(states: list[ProjectState], email: str | None) -> list[str]:
    """The themalijnen (ids) ``email`` leads."""
    mail = _email(email)
    return sorted({s.themalijn for s in states if mail and s.themaleider_email == mail})


def melden_view(today: date, themalijn: str | None = None) -> tuple[list[ProjectState], MeldenView]:
    """The page's project states and view model from its widget values (``shell.view_cache``)."""
    states = load_project_states(today)
    return states, build_melden(states, today, themalijn)
