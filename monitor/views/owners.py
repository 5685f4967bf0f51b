"""Owners and voortgangsmeldingen as the pages and commands read them (pure; the queries are
``queries/current_owners.sql`` and ``queries/checkins.sql``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from monitor.data import db
from monitor.domain.owners import disagreement
from monitor.domain.status import add_status


def load_current_owners(dataset_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per project, themalijn and KPI with its current owner (email NULL: none named; a
    KPI without its own has the projectleider, ``inherited`` true) and, per row, the themaleider
    of its themalijn. Columns: subject_type, subject_id, subject_name, project_id, themalijn,
    role, email, name, inherited, since, themaleider_email, themaleider_name."""
    return db.query("current_owners", dataset_dir)


def load_checkins(project_id: str | None = None, dataset_dir: str | Path | None = None) -> pd.DataFrame:
    """The voortgangsmeldingen that count, latest first (every project's when ``project_id`` is
    None). Columns: event_id, project_id, project_name, themalijn, checkin_date, period,
    judgement, note, phase, phase_date, recorded_at, recorded_by, recorded_by_email."""
    return db.query("checkins", dataset_dir, project_id=project_id)


def projects_without_owner(owners: pd.DataFrame) -> pd.DataFrame:
    """The projects of ``load_current_owners`` with no projectleider named (themalijn, name order)."""
    rows = owners[(owners["subject_type"] == "project") & owners["email"].isna()]
    return rows.sort_values(["themalijn", "subject_name"]).reset_index(drop=True)


@dataclass(frozen=True)
class CheckinTimeline:
    """A project's voortgangsmeldingen beside the status the monitor computes."""

    rows: pd.DataFrame  # load_checkins up to the peildatum, latest first, plus ``status_then``
    owner: pd.Series | None  # the project's row of load_current_owners (None: no such project)
    status: str | None  # the computed status at the peildatum
    disagreement: str | None  # the latest judgement against that status, in Dutch; None: they agree


def status_on(project_id: str, day: date, dataset_dir: str | Path | None = None) -> str | None:
    """The status the monitor computes for a project on a date (None: no such project)."""
    rows = add_status(db.query("project_overview", dataset_dir, peildatum=day), day)
    found = rows.loc[rows["project_id"] == project_id, "status"]
    return str(found.iloc[0]) if not found.empty else None


def load_checkin_timeline(project_id: str, peildatum: date, dataset_dir: str | Path | None = None
                          ) -> CheckinTimeline:
    rows = load_checkins(project_id, dataset_dir)
    shown = pd.Series([pd.Timestamp(d).date() <= peildatum for d in rows["checkin_date"]], index=rows.index, dtype=bool)
    rows = rows[shown].copy()
    rows["status_then"] = [status_on(project_id, pd.Timestamp(d).date(), dataset_dir) for d in rows["checkin_date"]]
    owners = load_current_owners(dataset_dir)
    mine = owners[(owners["subject_type"] == "project") & (owners["subject_id"] == project_id)]
    status = status_on(project_id, peildatum, dataset_dir)
    latest = rows.iloc[0]["judgement"] if not rows.empty else None
    return CheckinTimeline(rows=rows.reset_index(drop=True), owner=mine.iloc[0] if not mine.empty else None,
                           status=status, disagreement=disagreement(latest, status))
