"""Project logic for the Projecten page, on the fixture store (tests/fixture_store.py): six
projects whose statuses on 1 July 2025 are worked out in that module's table."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.data import db
from monitor.domain.periods import kpi_periods
from monitor.domain.projects import (
    STALE_LABEL,
    plan_moments,
    register_source_line,
    status_summary,
    assignment_matrix,
    filter_projects,
    phase_summary,
    projects_display,
    status_counts,
    with_status,
)
from tests.fixture_store import ENSCHEDE, PEILDATUM, STALE_ON_PEILDATUM, STATUS_ON_PEILDATUM

SIX_PHASES = ["Initiatie", "Definitie", "Ontwerp", "Voorbereiding", "Realisatie", "Borging"]


@pytest.fixture(scope="module")
def projects(fixture_store):
    return with_status(db.query("project_overview", fixture_store, peildatum=PEILDATUM), PEILDATUM)


def test_every_project_with_its_plan_phases(projects):
    assert len(projects) == 6
    assert projects.groupby("themalijn").size().to_dict() == {
        "bestaanszekerheid": 2, "preventie-en-gezondheid": 1, "mentale-gezondheid": 1, "ouderen": 2}
    row = projects.set_index("project_id").loc["schuldhulp"]
    assert (row["phase_start"], row["phase_expected"]) == ("Definitie", "Realisatie")


def test_statuses_follow_the_rules(projects):
    assert dict(zip(projects["project_id"], projects["status"])) == STATUS_ON_PEILDATUM
    assert set(projects.loc[projects["niet_bijgewerkt"], "project_id"]) == STALE_ON_PEILDATUM


def test_phase_summary_counts_every_project_three_times(projects):
    summary = phase_summary(projects)
    moments = plan_moments(projects)
    assert moments == ("01-01-2025", "nu (peildatum)", "verwacht 31-12-2025")
    assert set(summary["moment"]) == set(moments)
    for moment in moments:
        assert summary[summary["moment"] == moment]["count"].sum() == 6
    ouderen = summary[(summary["themalijn_label"] == "Ouderen") & (summary["moment"] == moments[2])]
    # Valpreventie (Realisatie → Borging) and Mantelzorg (Borging) are both expected in Borging.
    assert dict(zip(ouderen["phase"], ouderen["count"])) == {
        "Initiatie": 0, "Definitie": 0, "Ontwerp": 0, "Voorbereiding": 0, "Realisatie": 0, "Borging": 2}
    assert list(ouderen["phase"]) == SIX_PHASES


def test_filters(projects):
    assert set(filter_projects(projects, themalijnen=["ouderen"])["project_id"]) == {"valpreventie", "mantelzorg"}
    assert filter_projects(projects, search="VALPREV")["project_id"].tolist() == ["valpreventie"]
    enschede = filter_projects(projects, gemeente=ENSCHEDE)
    assert set(enschede["project_id"]) == {"schuldhulp", "leefstijl"}
    assert all(ENSCHEDE in list(codes) for codes in enschede["region_codes"])
    assert filter_projects(projects, phases=["Realisatie"])["project_id"].tolist() == ["valpreventie"]
    assert filter_projects(projects, statuses=[STALE_LABEL])["project_id"].tolist() == ["valpreventie"]
    assert len(filter_projects(projects)) == 6


def test_display_and_counts(projects):
    shown = projects_display(projects, PEILDATUM)
    assert list(shown.columns)[:2] == ["Project", "Status"]  # what a reader looks for, first
    assert {"Fase nu", "Verwacht nu (minimaal)", "Verwacht 31-12-2025", "Fase 01-01-2025"} <= set(shown.columns)
    assert "Plan" not in shown.columns  # one plan: its dates name the columns
    assert dict(zip(shown["Project"], shown["Laatste registratie"])) == {
        "Schuldhulp dichtbij": "01-05-2025", "Kinderarmoede": "geen", "Valpreventie": "geen",
        "Mantelzorg": "geen", "Leefstijl op school": "01-06-2025", "Mentale weerbaarheid": "15-04-2025"}
    assert status_counts(projects) == {"achter": 1, "onbekend (geen registratie)": 1, "op schema": 2, "voor": 1,
                                       "afgerond": 1, STALE_LABEL: 1}


def test_past_the_horizon_the_expected_now_column_is_left_out(fixture_store):
    peildatum = date(2026, 12, 1)
    frame = with_status(db.query("project_overview", fixture_store, peildatum=peildatum), peildatum)
    shown = projects_display(frame, peildatum)
    assert "Verwacht nu (minimaal)" not in shown.columns
    assert "Verwacht 31-12-2025" in shown.columns


def test_status_summary_words_and_counts(projects):
    assert status_summary(projects) == (
        "6 projecten: 1 achter, 1 onbekend (geen registratie), 2 op schema, 1 voor, 1 afgerond"
        " · 1 niet bijgewerkt (langer dan 90 dagen geen faseovergang)")
    ouderen = projects[projects["themalijn"] == "ouderen"]
    assert status_summary(ouderen) == (
        "2 projecten: 1 op schema, 1 afgerond · 1 niet bijgewerkt (langer dan 90 dagen geen faseovergang)")
    assert status_summary(projects.iloc[0:0]) == "0 projecten"


def test_register_source_line_names_the_plan(projects):
    line = register_source_line(PEILDATUM, projects)
    assert line.startswith("Bron: Twentse Koers Jaarplan 2025 (fase 01-01-2025 en verwachte fase 31-12-2025)")
    assert line.endswith("peildatum 1 juli 2025")


def test_kpi_periods_only_begun_periods_newest_first():
    found = kpi_periods(date(2025, 8, 3))
    assert found == ["2025Q3", "2025H2", "2025Q2", "2025Q1", "2025H1", "2025"]
    assert "2025Q4" not in found


def test_assignment_matrix_has_the_plan_assignments(fixture_store):
    matrix = assignment_matrix(db.query("project_local_assignments", fixture_store))
    assert matrix.to_dict(orient="index") == {
        "Enschede": {"Leefstijl op school": "●", "Schuldhulp dichtbij": "●", "Valpreventie": ""},
        "Hengelo": {"Leefstijl op school": "", "Schuldhulp dichtbij": "●", "Valpreventie": ""},
        "Tubbergen": {"Leefstijl op school": "", "Schuldhulp dichtbij": "", "Valpreventie": "●"}}


def test_realisation_bands_from_the_start_phases(fixture_store):
    from monitor.domain.projects import realisation_bands

    peildatum = date(2025, 12, 31)
    events = db.query("project_phase_events", fixture_store, peildatum=peildatum)
    projects = db.query("project_overview", fixture_store, peildatum=peildatum)
    ouderen = projects[projects["themalijn"] == "ouderen"]
    # Valpreventie starts the plan in Realisatie, Mantelzorg went straight past it (Borging).
    bands = realisation_bands(events, ouderen, peildatum)
    assert bands.to_dict("records") == [{
        "start": date(2025, 1, 1), "end": peildatum, "projects": ["Mantelzorg", "Valpreventie"],
        "project_name": "2 projecten in Realisatie vanaf 01-01-2025"}]
    # A project before Realisatie is in no band.
    assert realisation_bands(events, projects[projects["project_id"] == "kinderarmoede"], peildatum).empty


def test_phase_counts_and_behind_text(projects):
    from monitor.domain.projects import behind_text, phase_counts

    counts = phase_counts(projects[projects["themalijn"] == "ouderen"])
    # One row per phase: all six fit a narrow card.
    assert counts.to_dict("list") == {"Fase": SIX_PHASES, "Nu": [0, 0, 0, 0, 1, 1],
                                      "Verwacht 31-12-2025": [0, 0, 0, 0, 0, 2]}
    assert behind_text(projects) == "Schuldhulp dichtbij (Definitie, hoort minstens Ontwerp)"
    # Without a registration Kinderarmoede is onbekend, not behind; a registration that leaves it in
    # Definitie makes it behind.
    kinderarmoede = projects[projects["project_id"] == "kinderarmoede"]
    assert behind_text(kinderarmoede) == "geen"
    registered = kinderarmoede.assign(status="achter")
    assert behind_text(registered) == "Kinderarmoede (Definitie, hoort minstens Ontwerp)"  # peildatum 01-07-2025
    assert behind_text(projects.iloc[0:0]) == "geen"
