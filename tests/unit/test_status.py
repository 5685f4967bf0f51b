"""Status rules, on the jaarplan's real phases."""

from __future__ import annotations

from datetime import date

import pytest

from monitor import status
from monitor.status import ACHTER, AFGEROND, OP_SCHEMA, VOOR


@pytest.mark.parametrize(("start", "expected", "current", "peildatum", "result"), [
    # Kinderarmoede: Definitie → Realisatie.
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
def test_project_status(start, expected, current, peildatum, result):
    assert status.project_status(start, expected, current, peildatum) == result


def test_expected_phase_interpolates_through_the_year():
    assert status.expected_phase("Definitie", "Realisatie", date(2025, 1, 1)) == "Definitie"
    assert status.expected_phase("Definitie", "Realisatie", date(2025, 7, 1)) == "Ontwerp"
    assert status.expected_phase("Definitie", "Realisatie", date(2025, 9, 15)) == "Voorbereiding"
    assert status.expected_phase("Definitie", "Realisatie", date(2025, 12, 31)) == "Realisatie"
    assert status.plan_fraction(date(2024, 1, 1)) == 0.0
    assert status.plan_fraction(date(2030, 1, 1)) == 1.0


def test_stale_flag():
    assert status.is_stale(date(2025, 1, 1), date(2025, 4, 2), OP_SCHEMA)      # 91 days
    assert not status.is_stale(date(2025, 1, 1), date(2025, 4, 1), OP_SCHEMA)  # 90 days
    assert not status.is_stale(date(2025, 1, 1), date(2026, 1, 1), AFGEROND)
    assert status.is_stale(None, date(2025, 1, 1), ACHTER)


def test_real_register_status_at_year_end_without_recorded_changes():
    """With only the jaarplan's start phases, every project that should move is achter at
    31-12-2025, every project planned to stay is op schema, and Borging is afgerond."""
    from monitor import db
    from monitor.projects import with_status

    peildatum = date(2025, 12, 31)
    frame = with_status(db.query("project_overview", peildatum=peildatum), peildatum)
    frame = frame[frame["events"] == 1]  # only the built start event: no recorded change
    for row in frame.itertuples():
        if row.phase_start == "Borging":
            assert row.status == AFGEROND, row.name
        elif row.phase_start == row.phase_expected:
            assert row.status == OP_SCHEMA, row.name
        else:
            assert row.status == ACHTER, row.name
        assert row.niet_bijgewerkt == (row.status != AFGEROND)
