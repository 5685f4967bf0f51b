"""Target trajectory and status, on an explicit target: the shape of a jaarplan target row
(moeite met rondkomen, Twente: onder 17% uiterlijk 31-12-2026, nulmeting 18% in 2023)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from monitor.domain.targets import Target, TargetStatus, expected_at, target_phrase, target_status, trajectory


ROW = {"indicator_id": "moeite_met_rondkomen", "region_code": "GG_TWENTE", "comparator": "<",
       "target_value": 17.0, "deadline": date(2026, 12, 31), "baseline_value": 18.0,
       "baseline_period": "2023", "source_id": "tk-jaarplan-2025"}


@pytest.fixture(scope="module")
def target() -> Target:
    """A ``targets`` row as the data layer gives it, as a target."""
    return Target.from_row(ROW)


def test_a_query_row_becomes_a_target():
    """The ``indicator_targets`` query's row: missing values (NaN, NaT) become None, the deadline
    and the source's peildatum dates, the target value a float."""
    row = pd.Series({**ROW, "target_value": 17, "deadline": pd.Timestamp("2026-12-31"), "baseline_value": float("nan"),
                     "baseline_period": None, "region_name": "Twente", "source_title": "Jaarplan",
                     "source_peildatum": pd.Timestamp("2025-01-01")})
    target = Target.from_row(row)
    assert target == Target("moeite_met_rondkomen", "GG_TWENTE", "<", 17.0, date(2026, 12, 31), None, None,
                            "tk-jaarplan-2025", "Jaarplan", date(2025, 1, 1))
    assert isinstance(target.target_value, float) and type(target.deadline) is date
    assert Target.from_row({**ROW, "source_peildatum": pd.NaT}).source_peildatum is None


@pytest.fixture(scope="module")
def latest() -> dict:
    """The newest real figure: the nulmeting itself (18%, 2023)."""
    return {"indicator_id": "moeite_met_rondkomen", "region_code": "GG_TWENTE", "period": "2023", "value": 18.0}


def test_trajectory_is_linear_from_baseline_to_deadline(target):
    path = trajectory(target, ["2021", "2023", "2024", "2025", "2026", "2027"])
    assert list(path.columns) == ["period", "period_end", "expected"]
    # 2021 lies before the baseline: no path there. 2026 ends on the deadline. 2027: stays at target.
    assert path["period_end"].tolist() == [date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31),
                                           date(2026, 12, 31), date(2027, 12, 31)]
    expected = path.expected.tolist()
    assert expected[0] == 18.0 and expected[3] == 17.0 and expected[4] == 17.0
    days = (date(2026, 12, 31) - date(2023, 12, 31)).days
    assert expected[1] == pytest.approx(18 - 366 / days)  # 2024 is a leap year
    assert expected[2] == pytest.approx(18 - (366 + 365) / days)
    assert all(a > b for a, b in zip(expected[:3], expected[1:4]))


def test_trajectory_always_has_baseline_and_deadline(target):
    path = trajectory(target)
    assert path["period_end"].tolist() == [date(2023, 12, 31), date(2026, 12, 31)]
    assert path.expected.tolist() == [18.0, 17.0]
    assert path["period"].iloc[0] == "2023"
    assert pd.isna(path["period"].iloc[1])


def test_trajectory_without_baseline_is_empty(target):
    no_base = replace(target, baseline_value=None, baseline_period=None)
    path = trajectory(no_base, ["2024"])
    assert path.empty and list(path.columns) == ["period", "period_end", "expected"]
    assert expected_at(no_base, date(2024, 12, 31)) is None


def test_expected_at_accepts_timestamps_and_quarters(target):
    as_timestamp = Target.from_row(dict(ROW, deadline=pd.Timestamp("2026-12-31")))
    assert expected_at(as_timestamp, pd.Timestamp("2026-12-31")) == 17.0
    assert expected_at(target, date(2023, 6, 30)) is None
    assert 17.0 < trajectory(target, ["2025Q3"]).expected.iloc[1] < 18.0


def test_status_when_the_latest_figure_is_the_baseline(target, latest):
    """The latest figure is the baseline itself (18%, 2023). Nothing has been measured since, so
    the status says so instead of "op koers", with the figure's age."""
    result = target_status(target, latest["value"], latest["period"], peildatum=date(2026, 12, 1))
    assert isinstance(result, TargetStatus)
    assert result.age == "Het cijfer is van 2023, bijna 3 jaar vóór de peildatum 1 december 2026."
    assert result.status == "alleen nulmeting"
    assert result.expected == 18.0
    assert result.text == ("Twente: 18,0% (2023), doel onder 17% uiterlijk 31 december 2026. "
                              "Alleen de nulmeting: er is nog geen nieuwe meting, dus niets zegt of de koers "
                              "wordt gehouden. Het cijfer is van 2023, bijna 3 jaar vóór de peildatum "
                              "1 december 2026.")


@pytest.mark.parametrize("period, value, status", [
    ("2023", 18.0, "alleen nulmeting"),   # the baseline itself
    ("2023", 17.5, "alleen nulmeting"),   # a figure for the baseline period is no new measurement
    ("2024", 17.6, "op koers"),           # a later figure on the path
    ("2024", 18.4, "niet op koers"),
    ("2025", 16.0, "gehaald"),
])
def test_a_status_is_only_as_strong_as_its_measurement(target, period, value, status):
    assert target_status(target, value, period).status == status


@pytest.mark.parametrize("period, peildatum, text", [
    ("2023", date(2026, 12, 1), "bijna 3 jaar"),
    ("2024H1", date(2024, 12, 1), "5 maanden"),
    ("2020", date(2024, 6, 1), "ruim 3 jaar"),
    ("2022", date(2023, 1, 15), "de maand van de peildatum"),
])
def test_every_status_says_how_old_its_figure_is(target, period, peildatum, text):
    result = target_status(target, 16.0, period, peildatum=peildatum)
    assert text in result.text and text in result.age


def test_project_kpi_status_is_honest():
    from monitor.domain.targets import kpi_status

    text = kpi_status(12, date(2026, 12, 31), 5, "2025Q3", unit="aantal", is_sample=True, peildatum=date(2026, 12, 1))
    assert text.startswith("5 van 12 uiterlijk 31 december 2026.")
    assert "Voorbeelddata: geen echte realisatie." in text and "1 jaar vóór de peildatum" in text
    assert kpi_status(12, date(2026, 12, 31), 12, "2026Q3", unit="aantal").startswith("12 van 12: doel gehaald.")


@pytest.mark.parametrize(("value", "period", "status"), [
    (16.9, "2024", "gehaald"),
    (17.0, "2024", "op koers"),      # "<": 17 itself does not meet "onder 17%"
    (17.6, "2024", "op koers"),      # path in 2024 ≈ 17,67
    (17.7, "2024", "niet op koers"),
    (18.0, "2024", "niet op koers"),
    (17.2, "2026", "niet op koers"),  # deadline reached, target not met
    (16.5, "2027", "gehaald"),
    (20.0, "2022", "geen meting"),    # older than the baseline
    (None, "2024", "geen meting"),
    (None, None, "geen meting"),
    (float("nan"), "2025", "geen meting"),
])
def test_status_lower_target(target, value, period, status):
    assert target_status(target, value, period).status == status


def test_status_texts(target):
    assert target_status(target, 17.9, "2024").text == (
        "Twente: 17,9% (2024), doel onder 17% uiterlijk 31 december 2026. "
        "Op het pad naar het doel hoort nu 17,7%; niet op koers.")
    assert target_status(target, 16.5, "2025").text == (
        "Twente: 16,5% (2025), doel onder 17% uiterlijk 31 december 2026. Doel gehaald.")
    assert target_status(target, 17.5, "2027").text == (
        "Twente: 17,5% (2027), doel onder 17% uiterlijk 31 december 2026. "
        "De termijn is verstreken en het doel is niet gehaald; niet op koers.")
    older = target_status(target, 20.0, "2022")
    assert older.expected is None
    assert older.text == ("Twente: geen meting na de nulmeting (18% in 2023); "
                             "doel onder 17% uiterlijk 31 december 2026.")
    assert target_status(target, None, None).text == (
        "Twente: nog geen meting; doel onder 17% uiterlijk 31 december 2026. Nulmeting: 18% (2023).")
    sample = target_status(target, 17.5, "2024Q2", region="Enschede", is_sample=True)
    assert sample.text == ("Enschede: 17,5% (2e kwartaal 2024), doel onder 17% uiterlijk 31 december 2026. "
                              "Op het pad naar het doel hoort nu 17,8%; op koers. "
                              "Let op: voorbeelddata, geen echte meting.")


def test_status_higher_targets():
    """"≥": minstens; on the path when the value is at least the expected value."""
    target = Target("voldoet_beweegrichtlijn", "GG_TWENTE", "≥", 55.0, date(2026, 12, 31), 49.0, "2020")
    assert target_phrase(target) == "doel minstens 55% uiterlijk 31 december 2026"
    assert target_status(target, 55.0, "2024").status == "gehaald"
    on = target_status(target, 53.1, "2024")  # path at end 2024: 49 + 6 * 1461/2191 ≈ 53,0
    assert on.expected == pytest.approx(49 + 6 * (date(2024, 12, 31) - date(2020, 12, 31)).days
                                           / (date(2026, 12, 31) - date(2020, 12, 31)).days)
    assert on.status == "op koers"
    assert target_status(target, 52.5, "2024").status == "niet op koers"
    strict = replace(target, comparator=">")
    assert target_status(strict, 55.0, "2024").status == "op koers"
    assert target_status(strict, 55.1, "2024").status == "gehaald"
    at_most = replace(target, comparator="≤", target_value=10.0, baseline_value=12.0)
    assert target_phrase(at_most) == "doel hoogstens 10% uiterlijk 31 december 2026"
    assert target_status(at_most, 10.0, "2022").status == "gehaald"
    assert target_phrase(replace(target, comparator=">", target_value=17.5)) == (
        "doel boven 17,5% uiterlijk 31 december 2026")


def test_status_without_baseline(target):
    no_base = replace(target, baseline_value=None, baseline_period=None)
    assert target_status(no_base, 16.0, "2024").status == "gehaald"
    result = target_status(no_base, 18.0, "2024")
    assert result.status == "niet op koers" and result.expected is None
    assert "geen nulmeting" in result.text


def test_unknown_comparator(target):
    with pytest.raises(ValueError):
        target_status(replace(target, comparator="="), 18.0, "2024")
