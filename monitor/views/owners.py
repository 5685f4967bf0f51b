"""Owners and voortgangsmeldingen as the pages and commands read them (pure; the queries are
``queries/current_owners.sql`` and ``queries/checkins.sql``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from monitor.data import db


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
