"""The project detail's loader and view model (monitor/views/project.py), without Streamlit.

On the fixture store (tests/fixture_store.py): schuldhulp has one KPI (schuldhulp-trajecten,
realised 30 in 2025Q1) and local assignments in Enschede and Hengelo."""

from __future__ import annotations

import pytest

from monitor.views.project import ProjectView, load_project
from tests import fixture_store as fx

pytestmark = pytest.mark.usefixtures("on_fixture_store")


def test_the_detail_holds_only_this_projects_rows():
    view = load_project("schuldhulp", fx.PEILDATUM)
    assert isinstance(view, ProjectView) and view.project["project_id"] == "schuldhulp"
    assert list(view.status_rows["project_id"].unique()) == ["schuldhulp"]
    assert sorted(view.assignments["region_code"]) == [fx.ENSCHEDE, fx.HENGELO]
    assert set(view.assignments["project_id"]) == {"schuldhulp"}
    assert [kpi.kpi_id for kpi in view.kpis] == ["schuldhulp-trajecten"]
    kpi = view.kpis[0]
    assert set(kpi.form_rows["kpi_id"]) == {kpi.kpi_id} and set(kpi.form_rows["project_id"]) == {"schuldhulp"}
    assert set(kpi.history["kpi_id"]) <= {kpi.kpi_id}
    assert kpi.measured[["period", "value"]].values.tolist() == [["2025Q1", 30.0]]


def test_an_unknown_project_is_none_not_an_error():
    view = load_project("bestaat-niet", fx.PEILDATUM)
    assert view.project is None and view.kpis == [] and view.status_rows.empty
