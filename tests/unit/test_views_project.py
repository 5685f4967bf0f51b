"""The project detail's loader and view model (monitor/views/project.py), without Streamlit."""

from __future__ import annotations

from datetime import date

from monitor.data import db
from monitor.views.project import ProjectView, load_project

PEILDATUM = date(2026, 11, 1)


def _a_project_with_kpis() -> str:
    realisations = db.query("project_kpi_list")
    return realisations["project_id"].iloc[0]


def test_the_detail_holds_only_this_projects_rows():
    project_id = _a_project_with_kpis()
    view = load_project(project_id, PEILDATUM)
    assert isinstance(view, ProjectView) and view.project["project_id"] == project_id
    assert list(view.status_rows["project_id"].unique()) == [project_id]
    assert set(view.assignments["project_id"]) <= {project_id}
    assert view.kpis, "het gekozen project heeft KPI's"
    for kpi in view.kpis:
        assert set(kpi.form_rows["kpi_id"]) == {kpi.kpi_id}
        assert set(kpi.form_rows["project_id"]) == {project_id}
        assert set(kpi.history["kpi_id"]) <= {kpi.kpi_id}
        assert kpi.measured["period"].notna().all()


def test_an_unknown_project_is_none_not_an_error():
    view = load_project("bestaat-niet", PEILDATUM)
    assert view.project is None and view.kpis == [] and view.status_rows.empty
