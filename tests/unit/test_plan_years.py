"""More than one plan year: a Jaarplan 2026 imported next to the Jaarplan 2025 by the same route
(``python -m monitor ingest``), and a status measured against the plan of the peildatum's year.

On the fixture store (tests/fixture_store.py: six projects of the 2025 plan); the 2026 plan
names kinderarmoede (in the fixture) and welzijn-op-recept (new), so seven projects in all."""

from __future__ import annotations

import subprocess
import tomllib
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

from monitor.data import db, events, store
from monitor.ingest import ingest_file
from monitor.domain.projects import plan_moments, projects_display, register_source_line, with_status
from monitor.domain.status import ONBEKEND, OP_SCHEMA, plan_notice
from tests import fixture_store

REPO = Path(__file__).resolve().parents[2]
PLAN_2026 = REPO / "tests" / "data" / "register" / "jaarplan-2026.toml"
PLAN_2025 = REPO / "sources" / "twentse-koers-jaarplan-2025.toml"
EDITOR = events.User("redacteur-test", "redacteur")


@pytest.fixture
def two_plans(tmp_path) -> Path:
    target = fixture_store.write(tmp_path / "datasets")
    done = subprocess.run([sys.executable, "-m", "monitor", "ingest", str(PLAN_2026), "--dataset-dir", str(target),
                           "--retrieved", "2026-01-05"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "project_plans: 2 rijen" in done.stdout
    db.clear_cache()
    return target


def _overview(directory: Path, peildatum: date):
    return with_status(db.query("project_overview", directory, peildatum=peildatum), peildatum)


def test_both_plans_are_in_the_register(two_plans):
    plans = store.read_frame("project_plans", two_plans)
    kinderarmoede = plans[plans["project_id"] == "kinderarmoede"].set_index("plan_year")
    assert list(kinderarmoede.index) == [2025, 2026]
    assert kinderarmoede.loc[2025, ["phase_start", "phase_expected"]].tolist() == ["Definitie", "Realisatie"]
    assert kinderarmoede.loc[2026, ["phase_start", "phase_expected"]].tolist() == ["Ontwerp", "Realisatie"]
    assert kinderarmoede.loc[2026, "plan_start"] == date(2026, 1, 1)
    assert kinderarmoede.loc[2026, "plan_end"] == date(2026, 12, 31)
    assert len(plans[plans["plan_year"] == 2025]) == len(fixture_store.PROJECTS)  # the 2025 plan is kept whole
    # The description comes from the newest plan; the other projects keep theirs.
    projects = store.read_frame("projects", two_plans).set_index("project_id")
    assert projects.loc["kinderarmoede", "doelstelling"].startswith("Testtekst 2026")
    assert projects.loc["kinderarmoede", "source_id"] == "tk-jaarplan-2026"
    assert projects.loc["valpreventie", "source_id"] == "tk-jaarplan-2025"
    # Its start phase is an event of the 2026 plan, not a registration.
    start = events.load_events("phase_events", two_plans)
    assert set(start.loc[start["project_id"] == "kinderarmoede", "event_id"]) == {
        "kinderarmoede-start-2025", "kinderarmoede-start-2026"}


def test_a_status_uses_the_plan_of_the_peildatum_year(two_plans):
    in_2026 = _overview(two_plans, date(2026, 7, 2)).set_index("project_id")
    row = in_2026.loc["kinderarmoede"]
    assert (row["plan_year"], row["phase_start"], row["current_phase"]) == (2026, "Ontwerp", "Ontwerp")
    assert row["expected_phase_now"] == "Voorbereiding"  # halfway from Ontwerp to Realisatie
    assert row["status"] == ONBEKEND  # nothing registered since 1 January 2026
    assert in_2026.loc["welzijn-op-recept", "status"] == OP_SCHEMA  # 2026: Realisatie stays Realisatie
    assert in_2026.loc["valpreventie", "plan_year"] == 2025  # not in the 2026 plan: the 2025 one
    in_2025 = _overview(two_plans, date(2025, 7, 1)).set_index("project_id")
    assert in_2025.loc["kinderarmoede", "plan_year"] == 2025
    assert in_2025.loc["kinderarmoede", "current_phase"] == "Definitie"


def test_a_registration_in_the_plan_year_counts(two_plans):
    events.record_phase_change(EDITOR, "kinderarmoede", "Voorbereiding", date(2026, 3, 1), "Plan klaar",
                               dataset_dir=two_plans, now=datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    db.clear_cache()
    row = _overview(two_plans, date(2026, 7, 2)).set_index("project_id").loc["kinderarmoede"]
    assert row["registrations_since_start"] == 1
    assert row["status"] == OP_SCHEMA
    assert pd.Timestamp(row["last_registration"]).date() == date(2026, 3, 1)


def test_the_page_says_which_plan_the_expectation_comes_from(two_plans):
    peildatum = date(2026, 7, 2)
    frame = _overview(two_plans, peildatum)
    text = plan_notice(frame, peildatum)
    assert "voor 5 van de 7 projecten komt de verwachte fase uit het Twentse Koers Jaarplan 2025" in text
    assert "Het jaarplan 2026 noemt deze projecten niet" in text
    mine = frame[frame["project_id"] == "kinderarmoede"]
    assert plan_notice(mine, peildatum) is None  # its own plan still runs
    # Two plans: generic moments, and a column that names each project's plan.
    assert plan_moments(frame) == ("begin plan", "nu (peildatum)", "verwacht eind plan")
    shown = projects_display(frame, peildatum)
    assert "Plan" in shown.columns and "Verwacht eind plan" in shown.columns
    line = register_source_line(peildatum, frame)
    assert "Twentse Koers Jaarplan 2025 (fase 01-01-2025" in line and "Twentse Koers Jaarplan 2026 (fase 01-01-2026" in line
    # After the end of 2026 and without a 2027 plan: the plan named, no later plan in the monitor.
    later = date(2027, 2, 1)
    assert "Er staat geen later jaarplan in de monitor" in plan_notice(_overview(two_plans, later), later)


def test_importing_the_older_plan_again_keeps_the_newer_descriptions(two_plans):
    edited = two_plans.parent / "jaarplan-2025-opnieuw.toml"
    edited.write_text(PLAN_2025.read_text(encoding="utf-8") + "\n# opnieuw ingelezen\n", encoding="utf-8")
    report = ingest_file(edited, two_plans, retrieved=date(2026, 2, 1))
    assert report.changed
    assert any("nieuwer jaarplan" in note for note in report.notes)
    projects = store.read_frame("projects", two_plans).set_index("project_id")
    assert projects.loc["kinderarmoede", "doelstelling"].startswith("Testtekst 2026")
    plans = store.read_frame("project_plans", two_plans)
    # the 2025 plan read again replaces the fixture's six with its own projects, next to the 2026 two
    assert len(plans) == len(tomllib.loads(PLAN_2025.read_text(encoding="utf-8"))["project"]) + 2


def test_a_plan_end_outside_the_plan_year_is_refused(tmp_path):
    from monitor.data.errors import IngestError

    bad = tmp_path / "plan.toml"
    bad.write_text(PLAN_2026.read_text(encoding="utf-8").replace('source_id = "tk-jaarplan-2026"',
                                                                 'source_id = "tk-jaarplan-2026"\nplan_end = 2027-03-31'),
                   encoding="utf-8")
    target = fixture_store.write(tmp_path / "datasets")
    with pytest.raises(IngestError, match="plan_end"):
        ingest_file(bad, target)
