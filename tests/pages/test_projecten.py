"""AppTest: the Projecten page, as a visitor and as a redacteur."""

from __future__ import annotations

import re

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import LOGIN_OPEN
from monitor.data import db, events
from monitor.data.auth import SESSION_KEY, hash_password
from tests.pages.app import copy_datasets

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = str(REPO / "dashboard.py")
EDITOR = events.User("redacteur-test", "redacteur")
SECRETS = {"users": {"redacteur-test": {"password_hash": hash_password("correct-horse-battery"),
                                        "role": "redacteur"},
                     "lezer-test": {"password_hash": hash_password("correct-horse-battery"),
                                    "role": "lezer"}}}


@pytest.fixture
def datasets(tmp_path, monkeypatch):
    return copy_datasets(tmp_path, monkeypatch)


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


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _keys(at) -> set[str]:
    return {w.key for kind in ("selectbox", "text_area", "text_input", "date_input") for w in at.get(kind)
            if w.key}


def _recorded(datasets: Path, table: str = "phase_events"):
    return events.load_events(table, datasets).query("source_id == 'tk-registratie'")


def test_visitor_sees_all_29_projects_and_no_form(datasets):
    at = _projecten({"peildatum": "2025-07-01"})
    table = _table(at)
    assert len(table) == 29
    assert list(table.columns)[:2] == ["Project", "Status"]  # the status is never off to the right
    assert {"Fase 01-01-2025", "Fase nu", "Verwacht 31-12-2025", "Status", "Laatste registratie",
            "Gemeenten"} <= set(table.columns)
    row = table[table["Project"] == "Kinderarmoede"].iloc[0]
    assert (row["Fase 01-01-2025"], row["Verwacht 31-12-2025"]) == ("Definitie", "Realisatie")
    # On 01-07-2025 Ontwerp is due, but nothing was registered: not known, not a delay.
    assert row["Status"] == "onbekend (geen registratie)"
    assert not at.get("form"), "a closed login expander draws no form"
    at.session_state[LOGIN_OPEN] = True  # the visitor opens "Inloggen voor redacteuren"
    at.run()
    forms = [f.proto.form.form_id for f in at.get("form")]
    assert forms == ["inloggen"], f"een bezoeker ziet alleen het inlogformulier, niet {forms}"
    assert not any("Wijziging vastleggen" in s.value for s in at.subheader)


def test_after_the_horizon_the_page_names_the_plan(datasets):
    at = _projecten({"peildatum": "2026-12-01"})
    notices = " ".join(i.value for i in at.info)
    assert "Twentse Koers Jaarplan 2025" in notices and "geen later jaarplan in de monitor" in notices
    table = _table(at)
    assert "Verwacht nu (minimaal)" not in table.columns  # the same column as 'Verwacht 31-12-2025'
    assert not table["Status"].str.startswith("achter").any()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Achter"] == "0" and int(metrics["Onbekend (geen registratie)"]) >= 1


def test_filters_from_the_url(datasets):
    # Bound widgets keep the option's label in the URL: ?themalijn=Ouderen&gemeente=Borne.
    at = _projecten({"peildatum": "2025-07-01", "themalijn": "Ouderen", "zoek": "zorg"})
    table = _table(at)
    assert set(table["Themalijn"]) == {"Ouderen"}
    assert all("zorg" in name.lower() for name in table["Project"])
    assert any("van 29 projecten" in c.value for c in at.caption)
    # The Details links keep the filters, so the list behind them is the same.
    assert all("themalijn=Ouderen" in link and "zoek=zorg" in link for link in table["Details"])


def _matrix(at: AppTest):
    return next(df.value for df in at.dataframe if df.value.index.name == "Gemeente")


def test_only_the_open_tab_is_drawn_and_the_url_names_it(datasets):
    """The tabs are kept in the URL (?tabblad=…) and only the open one is drawn: the
    table by default, the local assignments or the timeline when asked for."""
    at = _projecten({"peildatum": "2025-07-01"})
    assert _table(at) is not None and not at.get("vega_lite_chart")
    assert not [df for df in at.dataframe if df.value.index.name == "Gemeente"]
    local = _projecten({"peildatum": "2025-07-01", "tabblad": "Lokale opdrachten"})
    assert len(_matrix(local).columns) > 1 and "Project" not in {c for df in local.dataframe for c in df.value.columns}
    timeline = _projecten({"peildatum": "2025-07-01", "tabblad": "Tijdlijn"})
    assert len(timeline.get("vega_lite_chart")) == 1
    assert "Tijdlijn" in timeline.query_params.get("tabblad", [])  # kept for a copied link


def test_local_assignments_follow_the_themalijn_filter(datasets):
    everything = _projecten({"peildatum": "2025-07-01", "tabblad": "Lokale opdrachten"})
    all_columns = set(_matrix(everything).columns)
    at = _projecten({"peildatum": "2025-07-01", "themalijn": "Ouderen"})
    ouderen = set(_table(at)["Project"])
    at = _projecten({"peildatum": "2025-07-01", "themalijn": "Ouderen", "tabblad": "Lokale opdrachten"})
    matrix = _matrix(at)
    assert set(matrix.columns) <= ouderen
    assert set(matrix.columns) < all_columns


def test_gemeente_filter(datasets):
    at = _projecten({"peildatum": "2025-07-01", "gemeente": "Borne"})
    table = _table(at)
    assert "Kansrijke start en kansrijk opgroeien" in set(table["Project"])
    assert all("Borne" in g for g in table["Gemeenten"])


def test_list_form_needs_an_explicit_project_and_names_it(datasets):
    at = _projecten(user=EDITOR)
    assert any("Wijziging vastleggen" in s.value for s in at.subheader)
    box = at.selectbox(key="fw-lijst-project")
    assert box.value is None  # no project chosen for the user
    assert not any(b.label.startswith("Faseovergang vastleggen") for b in at.button)
    box.select("kinderarmoede").run()
    assert at.selectbox(key="fw-lijst-kinderarmoede-fase").value == "Ontwerp"  # the next phase after Definitie
    at.date_input(key="fw-lijst-kinderarmoede-datum").set_value(date(2025, 3, 1))
    at.text_area(key="fw-lijst-kinderarmoede-toelichting").input("Projectplan vastgesteld")
    _button(at, "Faseovergang vastleggen voor Kinderarmoede").click()
    at.run()
    assert not at.exception
    success = [s.value for s in at.success]
    assert success == ["Faseovergang vastgelegd voor Kinderarmoede: Definitie → Ontwerp per 01-03-2025."]
    recorded = _recorded(datasets)
    assert len(recorded) == 1
    mine = recorded.iloc[0]
    assert (mine["project_id"], mine["phase"], mine["note"]) == ("kinderarmoede", "Ontwerp", "Projectplan vastgesteld")
    assert mine["recorded_by"] == "redacteur-test"  # from the login, not from a form field
    # Cleared after success: the project box is empty again, no value of the form is left.
    assert at.selectbox(key="fw-lijst-project").value is None
    assert not any(k.startswith("fw-lijst-kinderarmoede") for k in _keys(at))  # no form without a project
    at.selectbox(key="fw-lijst-project").select("kinderarmoede").run()
    assert at.text_area(key="fw-lijst-kinderarmoede-toelichting").value == ""
    assert at.selectbox(key="fw-lijst-kinderarmoede-fase").value == "Voorbereiding"  # after the new phase
    table = _table(at)
    assert table[table["Project"] == "Kinderarmoede"].iloc[0]["Fase nu"] == "Ontwerp"


def test_refused_change_keeps_the_values_and_says_why_at_the_form(datasets):
    at = _projecten(user=EDITOR)
    at.selectbox(key="fw-lijst-project").select("kinderarmoede").run()
    at.selectbox(key="fw-lijst-kinderarmoede-fase").select("Initiatie")  # a step back without a note
    at.date_input(key="fw-lijst-kinderarmoede-datum").set_value(date(2025, 3, 1))
    _button(at, "Faseovergang vastleggen voor Kinderarmoede").click()
    at.run()
    assert any("toelichting" in e.value for e in at.error)
    assert _recorded(datasets).empty
    assert at.selectbox(key="fw-lijst-project").value == "kinderarmoede"  # kept, to correct
    assert at.selectbox(key="fw-lijst-kinderarmoede-fase").value == "Initiatie"


def test_no_form_submits_on_enter(datasets):
    """Streamlit writes the English 'Press Ctrl+Enter to submit form' under a text area in a form
    that submits on Enter; none of the recording forms does."""
    at = _projecten(user=EDITOR)
    at.selectbox(key="fw-lijst-project").select("kinderarmoede").run()
    at.selectbox(key="kr-lijst-kpi").select("participatie-naar-werk-2025").run()
    forms = {f.proto.form.form_id: f.proto.form.enter_to_submit for f in at.get("form")}
    recording = {k: v for k, v in forms.items() if k != "inloggen"}
    assert {"fasewijziging-lijst-kinderarmoede", "kpirealisatie-lijst-participatie-naar-werk-2025"} <= set(recording)
    assert not any(recording.values()), recording


def test_the_issue_scenario_detail_then_back_to_the_list(datasets):
    """Record on a project's detail page, go back to the list: the list's form is empty, its
    project box has no choice, and nothing of the other form came along."""
    at = _projecten({"project": "welzijn-op-recept"}, user=EDITOR)
    assert at.title[0].value == "Welzijn op recept"
    phase = at.selectbox(key="fw-detail-welzijn-op-recept-fase")
    assert phase.value == "Borging"  # Realisatie now: the next phase, not Initiatie
    at.text_area(key="fw-detail-welzijn-op-recept-toelichting").input("Borging geregeld bij de gemeenten")
    _button(at, "Faseovergang vastleggen voor Welzijn op recept").click()
    at.run()
    assert [s.value for s in at.success] == [
        f"Faseovergang vastgelegd voor Welzijn op recept: Realisatie → Borging per "
        f"{date.today():%d-%m-%Y}."]
    _button(at, "← Alle projecten").click()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Projecten"
    assert at.selectbox(key="fw-lijst-project").value is None
    assert not any(b.label.startswith("Faseovergang vastleggen") for b in at.button)
    assert all("Borging geregeld" not in (w.value or "") for w in at.text_area)
    assert not any(s.value.startswith("Faseovergang vastgelegd") for s in at.success)  # said once, at its form
    # The detail page's own form was cleared too.
    at.selectbox(key="project_openen").set_value("welzijn-op-recept").run()
    assert at.text_area(key="fw-detail-welzijn-op-recept-toelichting").value == ""
    recorded = _recorded(datasets)
    assert recorded[["project_id", "phase"]].values.tolist() == [["welzijn-op-recept", "Borging"]]


def test_each_project_has_its_own_form_values(datasets):
    at = _projecten(user=EDITOR)
    at.selectbox(key="fw-lijst-project").select("kinderarmoede").run()
    at.text_area(key="fw-lijst-kinderarmoede-toelichting").input("Alleen voor kinderarmoede")
    at.selectbox(key="fw-lijst-project").select("valpreventie").run()
    assert at.text_area(key="fw-lijst-valpreventie-toelichting").value == ""
    assert any(b.label == "Faseovergang vastleggen voor Valpreventie" for b in at.button)


def test_back_to_the_list_keeps_the_filters(datasets):
    at = _projecten({"peildatum": "2025-07-01", "themalijn": "Ouderen", "zoek": "zorg"})
    first = parse_qs(urlparse(_table(at)["Details"].iloc[0]).query)["project"][0]
    at.selectbox(key="project_openen").set_value(first).run()
    assert at.query_params.get("project") in (first, [first])
    assert at.title[0].value != "Projecten"
    _button(at, "← Alle projecten").click()
    at.run()
    assert "project" not in at.query_params
    assert at.query_params.get("themalijn") in ("Ouderen", ["Ouderen"])
    assert at.query_params.get("zoek") in ("zorg", ["zorg"])
    table = _table(at)
    assert set(table["Themalijn"]) == {"Ouderen"} and all("zorg" in n.lower() for n in table["Project"])


def test_undo_sits_next_to_the_history_row(datasets):
    events.record_phase_change(EDITOR, "kinderarmoede", "Ontwerp", date.today() - timedelta(days=3), "eerste",
                               dataset_dir=datasets)
    db.clear_cache()
    at = _projecten({"project": "kinderarmoede"}, user=EDITOR)
    undo = [p for p in at.get("popover") if p.proto.popover.label == "Ongedaan maken"]
    assert len(undo) == 1  # one recorded row; the jaarplan's start phase cannot be undone
    key = next(k for k in _keys(at) if k.startswith("og-phase_events-"))
    at.text_area(key=key).input("Verkeerd project")
    _button(at, "Ongedaan maken bevestigen").click()
    at.run()
    assert any(s.value.startswith("Ongedaan gemaakt: Kinderarmoede: fase Ontwerp") for s in at.success)
    assert len(_recorded(datasets)) == 2
    assert "Definitie" == db.query("project_overview", datasets, peildatum=date.today()).set_index(
        "project_id").loc["kinderarmoede", "current_phase"]


def test_kpi_realisation_needs_an_explicit_kpi_and_is_cleared(datasets):
    at = _projecten(user=EDITOR)
    assert at.selectbox(key="kr-lijst-kpi").value is None
    at.selectbox(key="kr-lijst-kpi").select("participatie-naar-werk-2025").run()
    prefix = "kr-lijst-participatie-naar-werk-2025"
    at.selectbox(key=f"{prefix}-periode").select("2025Q1")
    at.text_input(key=f"{prefix}-waarde").input("21")
    next(b for b in at.button if b.label.startswith("Realisatie vastleggen voor")).click()
    at.run()
    assert any(s.value.startswith("Realisatie vastgelegd voor Participatie naar vermogen") and
               "1e kwartaal 2025 = 21" in s.value for s in at.success)
    recorded = _recorded(datasets, "kpi_realisations")
    assert recorded[["kpi_id", "period", "value"]].values.tolist() == [["participatie-naar-werk-2025", "2025Q1", 21.0]]
    assert at.selectbox(key="kr-lijst-kpi").value is None
    at.selectbox(key="kr-lijst-kpi").select("participatie-naar-werk-2025").run()
    assert at.text_input(key=f"{prefix}-waarde").value == "" and at.selectbox(key=f"{prefix}-periode").value is None


def test_kpi_undo_next_to_its_row_on_the_detail_page(datasets):
    events.record_kpi_realisation(EDITOR, "participatie-naar-werk-2025", "2025Q1", 21, None, dataset_dir=datasets)
    db.clear_cache()
    at = _projecten({"project": "participatie-naar-vermogen"}, user=EDITOR)
    key = next(k for k in _keys(at) if k.startswith("og-kpi_realisations-"))
    at.text_area(key=key).input("Dubbel ingevoerd")
    _button(at, "Ongedaan maken bevestigen").click()
    at.run()
    assert any(s.value.startswith("Ongedaan gemaakt:") and "1e kwartaal 2025" in s.value for s in at.success)
    assert len(_recorded(datasets, "kpi_realisations")) == 2


def test_lezer_sees_no_form(datasets):
    at = _projecten(user=events.User("lezer-test", "lezer"))
    assert not any("Wijziging vastleggen" in s.value for s in at.subheader)


def test_project_detail(datasets):
    at = _projecten({"project": "participatie-naar-vermogen"})
    assert at.title[0].value == "Participatie naar vermogen"
    texts = " ".join(m.value for m in at.markdown)
    assert "100 mensen met psychische kwetsbaarheid" in texts  # doelstelling, verbatim
    assert any(s.value == "KPI's" for s in at.subheader)
    captions = " ".join(c.value for c in at.caption)
    assert "Voorbeelddata" in captions and "geen peildatum" in captions  # sample realisations are marked
    # The KPI's honest state, as on the themalijn page: voorbeelddata said, and the figure's age.
    stand = [m.value for m in at.markdown if m.value.startswith("**Stand:**")]
    assert stand and all("Voorbeelddata: geen echte realisatie." in line for line in stand), stand
    assert all(re.search(r"Het cijfer is van .*vóór de peildatum", line) for line in stand), stand
    # the first tables are the figures under the charts; the history is the one with "Door"
    history = next(t.value for t in at.table if "Door" in t.value.columns)
    assert history.iloc[-1]["Door"] == "Jaarplan 2025"
    assert history.iloc[-1]["Vastgelegd op"] == "01-12-2024 01:00"  # Europe/Amsterdam, not UTC


def test_unknown_project_detail(datasets):
    at = _projecten({"project": "bestaat-niet"})
    assert any("bestaat niet" in e.value for e in at.error)
