"""Status rules, on the jaarplan's real phases, and the plan of the peildatum's year."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from monitor.domain import status
from monitor.domain.status import ACHTER, AFGEROND, ONBEKEND, OP_SCHEMA, VOOR

Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize(("start", "expected", "current", "peildatum", "result"), [
    # Kinderarmoede: Definitie → Realisatie, with a registration.
    ("Definitie", "Realisatie", "Definitie", date(2025, 1, 1), OP_SCHEMA),
    ("Definitie", "Realisatie", "Definitie", date(2025, 5, 1), OP_SCHEMA),  # e ≈ 1,99: Ontwerp not yet due
    ("Definitie", "Realisatie", "Definitie", date(2025, 5, 15), ACHTER),    # e ≈ 2,1: Ontwerp is due
    ("Definitie", "Realisatie", "Ontwerp", date(2025, 7, 1), OP_SCHEMA),
    ("Definitie", "Realisatie", "Voorbereiding", date(2025, 7, 1), OP_SCHEMA),
    ("Definitie", "Realisatie", "Realisatie", date(2025, 7, 1), VOOR),
    ("Definitie", "Realisatie", "Voorbereiding", date(2025, 12, 31), ACHTER),
    ("Definitie", "Realisatie", "Realisatie", date(2026, 6, 1), OP_SCHEMA),
    # Maatwerk multiproblematiek: Initiatie → Voorbereiding (the jaarplan's "Vorbereidingsfase").
    ("Initiatie", "Voorbereiding", "Initiatie", date(2025, 12, 31), ACHTER),
    ("Initiatie", "Voorbereiding", "Voorbereiding", date(2025, 12, 31), OP_SCHEMA),
    # Welzijn op recept: Realisatie → Borging; reaching Borging is afgerond at any date.
    ("Realisatie", "Borging", "Realisatie", date(2025, 6, 1), OP_SCHEMA),
    ("Realisatie", "Borging", "Realisatie", date(2026, 1, 1), ACHTER),
    ("Realisatie", "Borging", "Borging", date(2025, 3, 1), AFGEROND),
    # Doorstroom Wlz: Borging at the start, afgerond throughout.
    ("Borging", "Borging", "Borging", date(2025, 1, 1), AFGEROND),
    # Bereik vergroten aanpak geldzorgen: Realisatie → Realisatie, a step back is achter.
    ("Realisatie", "Realisatie", "Realisatie", date(2025, 9, 1), OP_SCHEMA),
    ("Realisatie", "Realisatie", "Voorbereiding", date(2025, 9, 1), ACHTER),
    # Before the plan year the start phase is expected.
    ("Ontwerp", "Realisatie", "Ontwerp", date(2024, 6, 1), OP_SCHEMA),
    ("Ontwerp", "Realisatie", "Voorbereiding", date(2024, 6, 1), VOOR),
])
def test_project_status_with_a_registration(start, expected, current, peildatum, result):
    assert status.project_status(start, expected, current, peildatum, *Y2025, registered=True) == result


@pytest.mark.parametrize(("start", "expected", "peildatum", "result"), [
    # No registration since the start phase: the plan expects a move, the monitor does not know.
    ("Definitie", "Realisatie", date(2025, 5, 15), ONBEKEND),
    ("Definitie", "Realisatie", date(2025, 12, 31), ONBEKEND),
    ("Definitie", "Realisatie", date(2026, 12, 1), ONBEKEND),   # after the horizon: still not known
    ("Initiatie", "Voorbereiding", date(2025, 12, 31), ONBEKEND),
    ("Realisatie", "Borging", date(2026, 1, 1), ONBEKEND),
    # Nothing expected yet, or a plan that keeps the phase: op schema without a registration.
    ("Definitie", "Realisatie", date(2025, 1, 1), OP_SCHEMA),
    ("Definitie", "Realisatie", date(2025, 5, 1), OP_SCHEMA),
    ("Realisatie", "Realisatie", date(2026, 12, 1), OP_SCHEMA),
    ("Ontwerp", "Realisatie", date(2024, 6, 1), OP_SCHEMA),
    # Borging at the start is afgerond, registered or not.
    ("Borging", "Borging", date(2026, 12, 1), AFGEROND),
])
def test_without_a_registration_never_achter(start, expected, peildatum, result):
    assert status.project_status(start, expected, start, peildatum, *Y2025, registered=False) == result


def test_expected_phase_interpolates_through_the_plan_year():
    assert status.expected_phase("Definitie", "Realisatie", date(2025, 1, 1), *Y2025) == "Definitie"
    assert status.expected_phase("Definitie", "Realisatie", date(2025, 7, 1), *Y2025) == "Ontwerp"
    assert status.expected_phase("Definitie", "Realisatie", date(2025, 9, 15), *Y2025) == "Voorbereiding"
    assert status.expected_phase("Definitie", "Realisatie", date(2025, 12, 31), *Y2025) == "Realisatie"
    assert status.plan_fraction(date(2024, 1, 1), *Y2025) == 0.0
    assert status.plan_fraction(date(2030, 1, 1), *Y2025) == 1.0
    # A plan of another year runs through that year.
    y2026 = (date(2026, 1, 1), date(2026, 12, 31))
    assert status.expected_phase("Ontwerp", "Realisatie", date(2026, 7, 2), *y2026) == "Voorbereiding"
    assert status.plan_fraction(date(2026, 7, 2), *y2026) == pytest.approx(0.5, abs=0.01)


def test_stale_flag():
    assert status.is_stale(date(2025, 1, 1), date(2025, 4, 2), OP_SCHEMA)      # 91 days
    assert not status.is_stale(date(2025, 1, 1), date(2025, 4, 1), OP_SCHEMA)  # 90 days
    assert not status.is_stale(date(2025, 1, 1), date(2026, 1, 1), AFGEROND)
    assert not status.is_stale(date(2025, 1, 1), date(2026, 1, 1), ONBEKEND)  # the status says it already
    assert status.is_stale(None, date(2025, 1, 1), ACHTER)


def test_a_project_without_any_change_yet_has_a_status():
    """A project first named in the 2026 plan, at a peildatum in 2025: the overview gives that
    plan and no change yet (NaT, pandas' missing date, which is itself a ``date``): nothing was
    recorded, so it counts as not updated instead of failing on the subtraction."""
    frame = pd.DataFrame({"phase_start": ["Realisatie"], "phase_expected": ["Realisatie"],
                          "plan_start": [pd.Timestamp(2026, 1, 1)], "plan_end": [pd.Timestamp(2026, 12, 31)],
                          "current_phase": ["Realisatie"], "registrations_since_start": [0], "last_change": [pd.NaT]})
    shown = status.add_status(frame, date(2025, 7, 1))
    assert shown["status"].tolist() == [OP_SCHEMA] and shown["niet_bijgewerkt"].tolist() == [True]


@pytest.fixture(scope="module")
def plan_only(tmp_path_factory):
    """The fixture store with only the jaarplan's start phases: its registrations left out."""
    from monitor.data import store
    from tests import fixture_store

    directory = fixture_store.write(tmp_path_factory.mktemp("plan-only") / "datasets")
    built = store.read_frame("phase_events", directory)
    started = built[built["source_id"] == fixture_store.PLAN_SOURCE]
    assert len(started) == len(fixture_store.PROJECTS) < len(built)
    store.write_tables({"phase_events": store.to_table("phase_events", started)}, directory)
    return directory


def _overview(peildatum: date, dataset_dir) -> pd.DataFrame:
    from monitor.data import db
    from monitor.domain.projects import with_status

    return with_status(db.query("project_overview", dataset_dir, peildatum=peildatum), peildatum)


def test_register_without_registrations_is_onbekend_not_achter(plan_only):
    """With only the jaarplan's start phases (peildatum 1 December 2026), no project is
    achter: mantelzorg starts in Borging and is afgerond, every other project the plan expects
    to move is onbekend (geen registratie), and that is not also 'niet bijgewerkt'."""
    frame = _overview(date(2026, 12, 1), plan_only).set_index("project_id")
    assert (frame["registrations_since_start"] == 0).all()
    assert frame["status"].to_dict() == {
        "schuldhulp": ONBEKEND, "kinderarmoede": ONBEKEND, "valpreventie": ONBEKEND, "mantelzorg": AFGEROND,
        "leefstijl": ONBEKEND, "weerbaarheid": ONBEKEND}
    assert not frame["niet_bijgewerkt"].any()


def test_plan_notice_after_the_horizon(plan_only):
    frame = _overview(date(2026, 12, 1), plan_only)
    text = status.plan_notice(frame, date(2026, 12, 1))
    assert "Twentse Koers Jaarplan 2025" in text and "31-12-2025" in text
    assert "geen later jaarplan in de monitor" in text
    assert status.plan_notice(_overview(date(2025, 7, 1), plan_only), date(2025, 7, 1)) is None
