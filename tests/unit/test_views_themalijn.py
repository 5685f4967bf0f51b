"""The themalijn page's view model (monitor/views/themalijn.py), without Streamlit, on the
embedded data."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.data import db
from monitor.views.inputs import all_headline_ids, load_themalijnen
from monitor.views.themalijn import LATEST, build_themalijn, indicator_ids, period_options

PEILDATUM = date(2026, 11, 1)


@pytest.fixture(scope="module")
def inputs():
    return load_themalijnen(PEILDATUM)


def test_unknown_themalijn_has_no_info(inputs):
    view = build_themalijn(inputs, "bestaat-niet", None, LATEST, "totaal", PEILDATUM)
    assert view.info is None and view.sections == []


@pytest.mark.parametrize("themalijn", ["bestaanszekerheid", "preventie-en-gezondheid", "mentale-gezondheid",
                                       "ouderen"])
def test_one_section_per_headline_indicator_and_only_its_projects(inputs, themalijn):
    view = build_themalijn(inputs, themalijn, None, LATEST, "totaal", PEILDATUM)
    assert view.info["themalijn"] == themalijn
    assert [s[0] for s in view.sections] == indicator_ids(inputs, themalijn)
    assert set(view.projects["themalijn"]) == {themalijn}
    assert len(view.table) == len(view.projects) == len(view.shown)
    assert "id" not in view.shown and "Themalijn" not in view.shown and "Project" in view.shown
    for _id, indicator, section in view.sections:
        assert indicator is not None and set(section) >= {"note", "empty"}


def test_periods_are_those_of_the_themalijns_own_indicators(inputs):
    ids = indicator_ids(inputs, "ouderen")
    rows = db.query("indicator_observations", indicator_ids=ids)
    assert period_options(inputs, "ouderen") == sorted(set(rows["period"]), key=lambda p: (int(p[:4]), p))
    assert set(ids) <= set(all_headline_ids(inputs.themalijnen))


def test_a_chosen_gemeente_gets_its_own_duiding(inputs):
    view = build_themalijn(inputs, "preventie-en-gezondheid", "GM0153", "2020", "totaal", PEILDATUM)
    texts = [s["gemeenten"]["sentence"] for _i, _ind, s in view.sections
             if not s["empty"] and s["gemeenten"]["values"] is not None]
    assert texts and any("Enschede" in t for t in texts)
    highlights = {s["gemeenten"].get("highlight") for _i, _ind, s in view.sections if not s["empty"]}
    assert "Enschede" in highlights


def test_kpis_get_a_status_per_row(inputs):
    kpis = db.query("themalijn_kpis", themalijn="bestaanszekerheid")
    view = build_themalijn(inputs, "bestaanszekerheid", None, LATEST, "totaal", PEILDATUM, kpis)
    if kpis.empty:
        assert view.kpis is None
    else:
        assert len(view.kpi_stand) == len(kpis) and all(view.kpi_stand)
        table = view.kpi_table
        assert list(table.columns) == ["Project", "KPI", "Doel", "Laatste realisatie", "Periode", "Stand"]
        assert list(table["Stand"]) == view.kpi_stand and list(table["KPI"]) == list(kpis["kpi_name"])
        assert all(" uiterlijk " in doel for doel in table["Doel"])
