"""The Veilig Thuis page's loader and view model (monitor/views/veilig_thuis_page.py), without
Streamlit, on the fixture store's Veilig Thuis raw counts (tests/fixture_store.py: three
gemeenten and Twente, half years 2019H1 to 2026H1), so the monitor's own protection applies."""

from __future__ import annotations

import pytest

from monitor.data import db
from monitor.domain import vt_labels
from monitor.views import veilig_thuis as vt
from monitor.views.veilig_thuis_page import VtInputs, build_veilig_thuis, load_figures, try_query

pytestmark = pytest.mark.usefixtures("on_fixture_store")


def _choice():
    period = vt.halfjaar_options(db.query("vt_periods")["period"])[0]
    min_count, rounding, error = vt_labels.protection(db.query("vt_status"))
    assert error is None
    return vt.DEFAULT_REGION, vt.DEFAULT_KIND, period, "aantal", min_count, rounding


def test_every_section_has_its_sentence_and_sources():
    region, kind, period, measure, min_count, rounding = _choice()
    inputs = load_figures(region, kind, period)
    assert inputs.errors == []
    view = build_veilig_thuis(inputs, kind, region, period, measure, min_count, rounding)
    assert view.trend.sentence and view.trend.sources
    assert view.gemeenten.sentence and view.gemeenten.sources
    assert view.intro == vt.privacy_text(min_count, rounding)  # raw counts: the monitor's protection
    assert not view.shown.table.empty and view.shown.display is not None
    for section in view.breakdowns:
        assert section.breakdown in vt.CHART_BREAKDOWNS and section.sentence


def test_a_failed_query_gives_a_dutch_message_and_an_empty_section():
    result, message = try_query("vt_trend", region_codes=["GG_TWENTE"])  # a parameter missing: it fails
    assert result is None and message.startswith("De Veilig Thuis-cijfers konden niet worden gelezen")
    region, kind, period, measure, min_count, rounding = _choice()
    figures = load_figures(region, kind, period)
    inputs = VtInputs(None, figures.gemeenten, None, [message])
    view = build_veilig_thuis(inputs, kind, region, period, measure, min_count, rounding)
    assert view.trend is None and view.breakdowns == [] and view.gemeenten is not None


def test_the_breakdown_keeps_only_what_is_drawn():
    region, kind, period, *_ = _choice()
    breakdown = load_figures(region, kind, period).breakdown
    assert set(breakdown["breakdown"]) <= {"totaal", *vt_labels.breakdowns_for(kind)}
