"""Project logic for the Projecten page, on the real register."""

from __future__ import annotations

from datetime import date

import pytest

from monitor import db
from monitor.contract import PHASES
from monitor.projects import (
    MOMENTS,
    STALE_LABEL,
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
    assert set(summary["moment"]) == set(MOMENTS)
    for moment in MOMENTS:
        assert summary[summary["moment"] == moment]["count"].sum() == 29
    ouderen = summary[(summary["themalijn_label"] == "Ouderen") & (summary["moment"] == MOMENTS[2])]
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
    shown = projects_display(projects)
    assert list(shown.columns)[:3] == ["Themalijn", "Project", "Fase 01-01-2025"]
    assert shown["Laatste wijziging"].str.match(r"^\d{2}-\d{2}-\d{4}$").all()
    counts = status_counts(projects)
    assert sum(counts[s] for s in ("achter", "op schema", "voor", "afgerond")) == 29


def test_assignment_matrix_has_the_jaarplan_assignments():
    matrix = assignment_matrix(db.query("project_local_assignments"))
    assert matrix.loc["Borne", "Kansrijke start en kansrijk opgroeien"] == "●"
    assert "GGD Twente (organisatie)" in matrix.index
    assert (matrix == "●").sum().sum() == len(db.query("project_local_assignments"))


def test_realisation_bands_from_real_start_phases():
    from monitor.projects import realisation_bands

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
    from monitor.projects import behind_text, phase_counts

    ouderen = projects[projects["themalijn"] == "ouderen"]
    counts = phase_counts(ouderen)
    assert list(counts.columns) == ["", *PHASES]
    assert counts.loc[1, "Borging"] == 5 and counts.iloc[0, 1:].sum() == 10
    text = behind_text(projects[projects["project_id"] == "kinderarmoede"])
    assert text == "Kinderarmoede (Definitie, hoort minstens Ontwerp)"  # peildatum 01-07-2025
    assert behind_text(projects.iloc[0:0]) == "geen"
