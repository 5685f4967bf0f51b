"""The detail view of one project (``/projecten?project=<id>``): its loader and view model, pure
(drawn by ``ui/project_views.py``; unit-tested in ``tests/unit/test_views_project.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from monitor.data import db
from monitor.domain.projects import with_status


@dataclass(frozen=True)
class Kpi:
    """One KPI of the project with what was measured for it."""

    kpi_id: str
    name: str
    unit: str
    target_value: float
    deadline: object
    measured: pd.DataFrame  # period, value, is_sample, recorded_at of the realisations with a period
    history: pd.DataFrame  # every recorded realisation (project_kpi_history), newest first
    form_rows: pd.DataFrame  # the KPI's row of project_kpi_list (the recording form's choice)


@dataclass(frozen=True)
class ProjectView:
    project_id: str
    peildatum: date
    project: pd.Series | None  # project_detail's row; None: no such project
    overview: pd.DataFrame  # every project with its status at the peildatum (the phase form's list)
    status_rows: pd.DataFrame  # this project's rows of ``overview``
    kpis: list[Kpi]
    history: pd.DataFrame  # project_history: the phase changes
    assignments: pd.DataFrame  # this project's local assignments


def load_project(project_id: str, peildatum: date) -> ProjectView:
    """Every query the detail view reads, and what it shows."""
    found = db.query("project_detail", project_id=project_id)
    overview = with_status(db.query("project_overview", peildatum=peildatum), peildatum)
    assignments = db.query("project_local_assignments")
    if found.empty:
        return ProjectView(project_id, peildatum, None, overview, overview.iloc[0:0], [], pd.DataFrame(),
                           assignments.iloc[0:0])
    realisations = db.query("project_kpi_realisations", project_id=project_id)
    history = db.query("project_kpi_history", project_id=project_id)
    kpi_list = db.query("project_kpi_list")
    kpis = []
    for kpi_id, rows in realisations.groupby("kpi_id", sort=False):
        first = rows.iloc[0]
        kpis.append(Kpi(kpi_id=kpi_id, name=first["kpi_name"], unit=first["unit"],
                        target_value=first["target_value"], deadline=first["deadline"],
                        measured=rows.dropna(subset=["period"]), history=history[history["kpi_id"] == kpi_id],
                        form_rows=kpi_list[(kpi_list["project_id"] == project_id) & (kpi_list["kpi_id"] == kpi_id)]))
    return ProjectView(
        project_id=project_id, peildatum=peildatum, project=found.iloc[0], overview=overview,
        status_rows=overview[overview["project_id"] == project_id], kpis=kpis,
        history=db.query("project_history", project_id=project_id),
        assignments=assignments[assignments["project_id"] == project_id])


def load_kpi_list() -> pd.DataFrame:
    """Every project's KPIs, for the list page's recording form."""
    return db.query("project_kpi_list")
