"""Quotes are not measurements: how a quote is read and worded, that it never becomes a point of a
measured series, and that the sums of Veilig Thuis say where Twente and its gemeenten differ."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from monitor.data import store
from monitor.data.errors import IngestError
from monitor.domain.indicator import Indicator
from monitor.domain.indicators import headline_figure, headline_status
from monitor.domain.quotes import Quote, measured_text, parse_figure, quotes_of, reference_line
from monitor.domain.region_sums import unassigned_note
from monitor.domain.regions import GEMEENTE_CODES, TWENTE
from monitor.domain.targets import Target, target_status
from monitor.ingest import ingest_file, voorbeelddata
from monitor.views import explorer
from monitor.views.indicatoren import build_indicatoren, load_indicator
from tests import fixture_store as fx
from tests.helpers import snapshot
from tests.unit.test_ingest_register import REGISTER


# --- reading and wording a quote -------------------------------------------------------------------

@pytest.mark.parametrize("figure, expected", [
    ("56%", (56.0, 0, None)),
    ("meer dan 50%", (50.0, 0, "meer dan")),
    ("55.400", (55400.0, 0, None)),
    ("10,4%", (10.4, 1, None)),
    ("ruim 1.250,5", (1250.5, 1, "ruim")),
])
def test_a_figure_is_read_as_written(figure, expected):
    assert parse_figure(figure) == expected


@pytest.mark.parametrize("figure", ["", "veel", "56 %%", "50% of meer"])
def test_a_figure_that_is_no_number_is_refused(figure):
    with pytest.raises(ValueError, match="geen getal"):
        parse_figure(figure)


def _quote(figure: str, region: str = TWENTE, indicator_id: str = "overgewicht") -> Quote:
    value, decimals, qualifier = parse_figure(figure)
    return Quote(indicator_id, region, "totaal", figure, value, decimals, qualifier,
                 f"{figure} van de Twentse volwassenen", "Regiobeeld", "2023", "Jaarplan 2025", "tk-jaarplan-2025")


def test_a_quote_keeps_its_own_words_and_precision():
    assert _quote("56%").label == "Jaarplan 2025: 56% (Regiobeeld 2023)"
    assert _quote("meer dan 50%").label == "Jaarplan 2025: meer dan 50% (Regiobeeld 2023)"
    assert _quote("56%").shown("%") == "56%"  # never "56,0%"
    assert _quote("55.400").shown("aantal") == "55.400"
    assert reference_line([_quote("12%"), _quote("10%", "NL01")], {TWENTE: "Twente", "NL01": "Nederland"}) == (
        "Citaat, geen meting: Jaarplan 2025: 12% (Regiobeeld 2023) voor Twente; "
        "Jaarplan 2025: 10% (Regiobeeld 2023) voor Nederland.")
    assert reference_line([], {}) == ""


def test_a_measurement_is_shown_with_its_interval():
    assert measured_text(52.6, 51.3, 53.9, "%", "2022") == "52,6% [51,3–53,9] (2022)"
    assert measured_text(1.0, None, None, "%", "2023") == "1,0% (2023)"
    assert measured_text(32800, None, None, "euro") == "€ 32.800"
    assert headline_figure(pd.Series({"value": 52.6, "ci_low": 51.3, "ci_high": 53.9}), "%") == "52,6% [51,3–53,9]"


def test_a_target_and_its_nulmeting_show_no_decimal_the_plan_did_not_give():
    goal = Target("moeite_met_rondkomen", TWENTE, "<", 17.0, date(2026, 12, 31), 18.0, "2023")
    text = target_status(goal, None, None).text
    assert text == "Twente: nog geen meting; doel onder 17% uiterlijk 31 december 2026. Nulmeting: 18% (2023)."


# --- a quote is never the newest point of a series -------------------------------------------------

def test_the_headline_is_the_newest_measurement_not_the_quote(fixture_store):
    """The fixture holds CBS-style measurements of 2020 and 2022 and the jaarplan's quote "51%"
    (Regiobeeld 2023): the headline is 2022's measurement, its duiding compares 2022 with 2022."""
    observations = store.read_frame("observations", fixture_store)
    assert not (observations["source_id"] == fx.PLAN_SOURCE).any()
    quotes = store.read_frame("quotes", fixture_store)
    assert quotes[["figure", "value", "decimals"]].values.tolist() == [["51%", 51.0, 0]]
    rows = observations[observations["indicator_id"] == "overgewicht"].assign(
        level=lambda f: ["ggd_regio" if c == TWENTE else "x" for c in f["region_code"]])
    indicator = Indicator("overgewicht", "Overgewicht", "%", "lower_is_better",
                          phrase="had {waarde} van de volwassenen overgewicht")
    headline = headline_status(indicator, rows[rows["subgroup"] == "totaal"], None, date(2025, 7, 1))
    assert (headline.latest["period"], headline.latest["value"]) == ("2022", 50.5)
    assert headline.text.startswith("In Twente had 50,5% van de volwassenen overgewicht (2022)")
    assert "Nederland (50,3%)" in headline.text  # the same series, the same period


def test_the_explorer_lists_a_quote_as_a_quote(fixture_store):
    view = build_indicatoren(load_indicator("overgewicht", fixture_store), "totaal", [TWENTE], [])
    assert view.reference == "Citaat, geen meting: Jaarplan 2025: 51% (Regiobeeld 2023) voor Twente (GGD-regio)."
    table = view.table.table
    quote = table[table["Soort"] == "citaat"].iloc[0]
    assert (quote["Waarde"], quote["Zoals geschreven"]) == (51.0, "51%")
    assert pd.isna(quote["Periode"]) and quote["Bron"].endswith("citeert Regiobeeld 2023")
    assert set(table.loc[table["Soort"] == "meting", "Periode"]) == {"2020", "2022"}
    shown = view.table.display
    assert shown.loc[shown["Soort"] == "citaat", "Waarde"].tolist() == ["51%"]  # not "51,0%"
    lines = explorer.footer_lines(view.table.selected, view.what, quotes=view.table.quotes)
    assert "Citaat, geen meting: Jaarplan 2025: 51% (Regiobeeld 2023)" in lines
    assert explorer.QUOTE_NOTE in lines


def test_quotes_of_filters_by_indicator_and_region():
    frame = pd.DataFrame([{**_quote("12%").__dict__}, {**_quote("10%", "NL01").__dict__}])
    assert [q.figure for q in quotes_of(frame, "overgewicht", (TWENTE,))] == ["12%"]
    assert quotes_of(None, "overgewicht") == [] and quotes_of(frame, "rokers") == []


def test_the_quote_still_anchors_the_generated_series():
    population = fx.twente_population()
    quotes = pd.DataFrame([{**_quote("18%", indicator_id="moeite_met_rondkomen").__dict__}])
    empty = store.empty_table("observations").to_pandas()
    sample = voorbeelddata.sample_observations(population, empty, quotes)
    assert set(sample["indicator_id"]) == {"moeite_met_rondkomen"}
    assert voorbeelddata.sample_observations(population, empty).empty


# --- the register ---------------------------------------------------------------------------------

def test_a_quote_whose_figure_is_not_in_its_sentence_is_refused(tmp_datasets, tmp_path):
    text = REGISTER.read_text(encoding="utf-8").replace('figure = "56%"', 'figure = "56,0%"', 1)
    path = tmp_path / "jaarplan.toml"
    path.write_text(text, encoding="utf-8")
    before = snapshot(tmp_datasets)
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets)
    assert "'figure' ('56,0%') staat niet letterlijk in 'quote'" in info.value.message
    assert info.value.file == str(path) and info.value.column == "figure"
    assert info.value.row == next(n for n, line in enumerate(text.splitlines(), 1) if '"56,0%"' in line)
    assert snapshot(tmp_datasets) == before


# --- sums that differ --------------------------------------------------------------------------------

def _vt(twente: float | None, gemeenten: dict[str, float | None]) -> pd.DataFrame:
    rows = [{"region_code": TWENTE, "count": twente}]
    rows += [{"region_code": code, "count": value} for code, value in gemeenten.items()]
    return pd.DataFrame(rows)


def test_twente_above_the_sum_of_its_gemeenten_is_said_with_the_numbers():
    gemeenten = {code: 70.0 for code in GEMEENTE_CODES}  # 14 × 70 = 980
    note = unassigned_note(_vt(1595.0, gemeenten), "adviezen", "2e halfjaar 2022")
    assert note == ("Twente telt in 2e halfjaar 2022 1.595 adviezen, 615 meer dan de som van de 14 gemeenten (980). "
                    "Het verschil zijn adviezen die CBS wel aan de Veilig Thuis-regio Twente maar niet aan een gemeente "
                    "kon toewijzen; ook het Twentse cijfer per 1.000 inwoners telt ze mee.")


def test_a_difference_within_rounding_is_not_a_difference():
    gemeenten = {code: 70.0 for code in GEMEENTE_CODES}
    assert unassigned_note(_vt(1015.0, gemeenten), "meldingen", "2022") == ""  # 35 ≤ 15 × 2,5
    assert unassigned_note(_vt(1020.0, gemeenten), "meldingen", "2022") != ""  # 40 > 37,5
    assert unassigned_note(_vt(None, gemeenten), "meldingen", "2022") == ""
    assert unassigned_note(_vt(100.0, {}), "meldingen", "2022") == ""


def test_missing_gemeenten_are_named_as_part_of_the_difference():
    gemeenten = {code: (30.0 if i < 4 else None) for i, code in enumerate(GEMEENTE_CODES)}
    note = unassigned_note(_vt(145.0, gemeenten), "overdrachten", "2022")
    assert note.startswith("Twente telt in 2022 145 overdrachten, 25 meer dan de som van de 4 gemeenten met een "
                           "gepubliceerd cijfer (120).")
    assert "10 gemeenten hebben geen of een afgeschermd cijfer; het verschil zit daar en in overdrachten" in note
