"""Project logic for the Projecten page, on the real register."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.data import db
from monitor.data.contract import PHASES
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


@pytest.fixture(scope="module")
def projects():
    peildatum = date(2025, 7, 1)
    return with_status(db.query("project_overview", peildatum=peildatum), peildatum)


def test_all_29_projects_with_jaarplan_phases(projects):
    assert len(projects) == 29
    assert projects.groupby("themalijn").size().to_dict() == {
        "bestaanszekerheid": 7, "preventie-en-gezondheid": 8, "mentale-gezondheid": 4, "ouderen": 10}
    row = projects.set_index("project_id").loc["maatwerk-multiproblematiek"]
    assert (row["phase_start"], row["phase_expected"]) == ("Initiatie", "Voorbereiding")


def test_phase_summary_counts_every_project_three_times(projects):
    summary = phase_summary(projects)
    moments = plan_moments(projects)
    assert moments == ("01-01-2025", "nu (peildatum)", "verwacht 31-12-2025")
    assert set(summary["moment"]) == set(moments)
    for moment in moments:
        assert summary[summary["moment"] == moment]["count"].sum() == 29
    ouderen = summary[(summary["themalijn_label"] == "Ouderen") & (summary["moment"] == moments[2])]
    counts = dict(zip(ouderen["phase"], ouderen["count"]))
    assert counts["Borging"] == 5  # five Ouderen projects are expected in Borging at year end
    assert list(ouderen["phase"]) == list(PHASES)


def test_filters(projects):
    assert set(filter_projects(projects, themalijnen=["ouderen"])["themalijn"]) == {"ouderen"}
    assert filter_projects(projects, search="VALPREV")["project_id"].tolist() == ["valpreventie"]
    borne = filter_projects(projects, gemeente="GM0147")
    assert "kansrijke-start" in set(borne["project_id"])
    assert all("GM0147" in list(codes) for codes in borne["region_codes"])
    realisatie = filter_projects(projects, phases=["Realisatie"])
    assert set(realisatie["current_phase"]) == {"Realisatie"}
    stale = filter_projects(projects, statuses=[STALE_LABEL])
    assert stale["niet_bijgewerkt"].all() and len(stale) > 0
    assert len(filter_projects(projects)) == 29


def test_display_and_counts(projects):
    shown = projects_display(projects, date(2025, 7, 1))
    assert list(shown.columns)[:2] == ["Project", "Status"]  # what a reader looks for, first
    assert {"Fase nu", "Verwacht nu (minimaal)", "Verwacht 31-12-2025", "Fase 01-01-2025"} <= set(shown.columns)
    assert "Plan" not in shown.columns  # one plan: its dates name the columns
    assert (shown["Laatste registratie"] == "geen").all()  # nothing registered in the embedded data
    counts = status_counts(projects)
    assert sum(counts[s] for s in ("achter", "onbekend (geen registratie)", "op schema", "voor", "afgerond")) == 29


def test_past_the_horizon_the_expected_now_column_is_left_out():
    peildatum = date(2026, 12, 1)
    frame = with_status(db.query("project_overview", peildatum=peildatum), peildatum)
    shown = projects_display(frame, peildatum)
    assert "Verwacht nu (minimaal)" not in shown.columns
    assert "Verwacht 31-12-2025" in shown.columns


def test_status_summary_words_and_counts(projects):
    text = status_summary(projects)
    counts = status_counts(projects)
    assert text.startswith("29 projecten: ")
    for label in ("onbekend (geen registratie)", "op schema", "afgerond"):
        if counts[label]:
            assert f"{counts[label]} {label}" in text
    assert f"{counts[STALE_LABEL]} niet bijgewerkt (langer dan 90 dagen geen faseovergang)" in text
    assert status_summary(projects.iloc[0:0]) == "0 projecten"


def test_register_source_line_names_the_plan(projects):
    line = register_source_line(date(2025, 7, 1), projects)
    assert line.startswith("Bron: Twentse Koers Jaarplan 2025 (fase 01-01-2025 en verwachte fase 31-12-2025)")
    assert line.endswith("peildatum 1 juli 2025")


def test_kpi_periods_only_begun_periods_newest_first():
    found = kpi_periods(date(2025, 8, 3))
    assert found == ["2025Q3", "2025H2", "2025Q2", "2025Q1", "2025H1", "2025"]
    assert "2025Q4" not in found


def test_assignment_matrix_has_the_jaarplan_assignments():
    matrix = assignment_matrix(db.query("project_local_assignments"))
    assert matrix.loc["Borne", "Kansrijke start en kansrijk opgroeien"] == "●"
    assert "GGD Twente (organisatie)" in matrix.index
    assert (matrix == "●").sum().sum() == len(db.query("project_local_assignments"))


def test_realisation_bands_from_real_start_phases():
    from monitor.domain.projects import realisation_bands

    peildatum = date(2025, 12, 31)
    events = db.query("project_phase_events", peildatum=peildatum)
    projects = db.query("project_overview", peildatum=peildatum)
    ouderen = projects[projects["themalijn"] == "ouderen"]
    bands = realisation_bands(events, ouderen, peildatum)
    # Nine of the ten Ouderen projects are in Realisatie or Borging on 01-01-2025; Technologie in
    # woningen (Definitie) is not, so it is not in any band.
    assert len(bands) == 1
    band = bands.iloc[0]
    assert band["start"] == date(2025, 1, 1) and band["end"] == peildatum
    assert len(band["projects"]) == 9
    assert "Technologie in woningen" not in band["projects"]
    assert band["project_name"] == "9 projecten in Realisatie vanaf 01-01-2025"


def test_phase_counts_and_behind_text(projects):
    from monitor.domain.projects import behind_text, phase_counts

    ouderen = projects[projects["themalijn"] == "ouderen"]
    counts = phase_counts(ouderen)
    # One row per phase: all six fit a narrow card.
    assert list(counts["Fase"]) == list(PHASES)
    assert list(counts.columns) == ["Fase", "Nu", "Verwacht 31-12-2025"]
    assert counts.set_index("Fase").loc["Borging", "Verwacht 31-12-2025"] == 5 and counts["Nu"].sum() == 10
    # Without a registration Kinderarmoede is onbekend, not behind; a registration that leaves it in
    # Definitie makes it behind.
    kinderarmoede = projects[projects["project_id"] == "kinderarmoede"]
    assert behind_text(kinderarmoede) == "geen"
    registered = kinderarmoede.assign(status="achter")
    assert behind_text(registered) == "Kinderarmoede (Definitie, hoort minstens Ontwerp)"  # peildatum 01-07-2025
    assert behind_text(projects.iloc[0:0]) == "geen"
