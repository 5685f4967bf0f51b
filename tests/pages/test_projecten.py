"""AppTest: the Projecten page, as a visitor and as a redacteur."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from monitor import db, events
from monitor.auth import SESSION_KEY, hash_password

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = str(REPO / "dashboard.py")
EDITOR = events.User("redacteur-test", "redacteur")
SECRETS = {"users": {"redacteur-test": {"password_hash": hash_password("correct-horse-battery"),
                                        "role": "redacteur"},
                     "lezer-test": {"password_hash": hash_password("correct-horse-battery"),
                                    "role": "lezer"}}}


@pytest.fixture
def datasets(tmp_path, monkeypatch):
    target = tmp_path / "datasets"
    shutil.copytree(REPO / "datasets", target, ignore=shutil.ignore_patterns("events"))
    monkeypatch.setenv("MONITOR_DATASETS", str(target))
    db.clear_cache()
    return target


def _projecten(query: dict | None = None, user: events.User | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets.update(SECRETS)
    if user is not None:
        at.session_state[SESSION_KEY] = user
    at.run()
    at.switch_page("pages/projecten.py")
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at) -> "object":
    return next(df.value for df in at.dataframe if "Project" in df.value.columns)


def test_visitor_sees_all_29_projects_and_no_form(datasets):
    at = _projecten({"peildatum": "2025-07-01"})
    table = _table(at)
    assert len(table) == 29
    assert {"Fase 01-01-2025", "Fase nu", "Verwacht 31-12-2025", "Status", "Laatste wijziging",
            "Gemeenten"} <= set(table.columns)
    row = table[table["Project"] == "Kinderarmoede"].iloc[0]
    assert (row["Fase 01-01-2025"], row["Verwacht 31-12-2025"]) == ("Definitie", "Realisatie")
    assert row["Status"].startswith("achter")  # on 01-07-2025 Ontwerp is due
    forms = [f.proto.form.form_id for f in at.get("form")]
    assert forms == ["inloggen"], f"een bezoeker ziet alleen het inlogformulier, niet {forms}"
    assert not any("Wijziging vastleggen" in s.value for s in at.subheader)


def test_filters_from_the_url(datasets):
    # Bound widgets keep the option's label in the URL: ?themalijn=Ouderen&gemeente=Borne.
    at = _projecten({"peildatum": "2025-07-01", "themalijn": "Ouderen", "zoek": "zorg"})
    table = _table(at)
    assert set(table["Themalijn"]) == {"Ouderen"}
    assert all("zorg" in name.lower() for name in table["Project"])
    assert any("van 29 projecten" in c.value for c in at.caption)


def test_gemeente_filter(datasets):
    at = _projecten({"peildatum": "2025-07-01", "gemeente": "Borne"})
    table = _table(at)
    assert "Kansrijke start en kansrijk opgroeien" in set(table["Project"])
    assert all("Borne" in g for g in table["Gemeenten"])


def test_redacteur_records_a_phase_change_and_sees_it(datasets):
    at = _projecten(user=EDITOR)
    assert any("Wijziging vastleggen" in s.value for s in at.subheader)
    at.selectbox(key="fw_project").select("kinderarmoede")
    at.selectbox(key="fw_fase").select("Ontwerp")
    at.date_input(key="fw_datum").set_value(date(2025, 3, 1))
    at.text_area(key="fw_toelichting").input("Projectplan vastgesteld")
    next(b for b in at.button if b.label == "Faseovergang vastleggen").click()
    at.run()
    assert not at.exception
    assert any("Faseovergang vastgelegd" in s.value for s in at.success)
    files = list((datasets / "events" / "phase_events").glob("*.parquet"))
    assert len(files) == 1
    recorded = events.load_events("phase_events", datasets)
    mine = recorded[recorded["note"] == "Projectplan vastgesteld"].iloc[0]
    assert mine["recorded_by"] == "redacteur-test"  # from the login, not from a form field
    table = _table(at)
    assert table[table["Project"] == "Kinderarmoede"].iloc[0]["Fase nu"] == "Ontwerp"


def test_refused_change_shows_dutch_error_and_writes_nothing(datasets):
    at = _projecten(user=EDITOR)
    at.selectbox(key="fw_project").select("kinderarmoede")
    at.selectbox(key="fw_fase").select("Initiatie")  # a step back without a note
    at.date_input(key="fw_datum").set_value(date(2025, 3, 1))
    next(b for b in at.button if b.label == "Faseovergang vastleggen").click()
    at.run()
    assert any("toelichting" in e.value for e in at.error)
    assert not (datasets / "events" / "phase_events").exists() or \
        not list((datasets / "events" / "phase_events").glob("*.parquet"))


def test_lezer_sees_no_form(datasets):
    at = _projecten(user=events.User("lezer-test", "lezer"))
    assert not any("Wijziging vastleggen" in s.value for s in at.subheader)


def test_project_detail(datasets):
    at = _projecten({"project": "participatie-naar-vermogen"})
    assert at.title[0].value == "Participatie naar vermogen"
    texts = " ".join(m.value for m in at.markdown)
    assert "100 mensen met psychische kwetsbaarheid" in texts  # doelstelling, verbatim
    assert any(s.value == "KPI's" for s in at.subheader)
    assert any("Voorbeelddata" in c.value for c in at.caption)  # sample realisations are marked
    history = at.table[0].value
    assert history.iloc[-1]["Door"] == "Jaarplan 2025"


def test_unknown_project_detail(datasets):
    at = _projecten({"project": "bestaat-niet"})
    assert any("bestaat niet" in e.value for e in at.error)
