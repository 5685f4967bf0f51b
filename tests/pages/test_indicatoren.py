"""AppTest: the Indicatoren page (choices in the URL, trend, gemeenten, map, table, scatter, downloads)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from tests.pages.app import open_page

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def _open(query: dict | None = None) -> AppTest:
    return open_page("indicatoren", query, timeout=90)


def _charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def _chart_values(chart) -> list[dict]:
    """Every data row the chart was sent with (Streamlit sends its datasets as Arrow)."""
    rows: list[dict] = []
    for dataset in chart.proto.datasets:
        rows += pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
    return rows


def _titles(at) -> list[str]:
    titles = []
    for spec in _charts(at):
        title = spec.get("title", "")
        titles.append(title.get("text", "") if isinstance(title, dict) else title)
    return titles


def _table(at):
    return next(df.value for df in at.dataframe if "Regio" in df.value.columns)


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(parts)


def _downloads(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_default_view_renders():
    at = _open()
    assert at.title[0].value == "Indicatoren"
    assert at.selectbox(key="indicator").value == "overgewicht"
    assert at.multiselect(key="regio").value == ["GG_TWENTE", "NL01"]
    assert at.selectbox(key="groep").value == "totaal"
    headers = [h.value for h in at.header]
    assert headers == ["Door de tijd", "De 14 gemeenten vergeleken (2022)", "Tabel", "Twee indicatoren vergeleken"]
    assert len(at.get("vega_lite_chart")) == 4  # trend, ranked, map, scatter
    table = _table(at)
    assert set(table["Regio"]) == {"Twente (GGD-regio)", "Nederland"}
    assert {"Regio", "Periode", "Groep", "Waarde", "95%-interval", "Status", "Voorbeelddata", "Bron",
            "Peildatum"} <= set(table.columns)
    twente_2020 = table[(table["Regio"] == "Twente (GGD-regio)") & (table["Periode"] == "2020")].iloc[0]
    assert twente_2020["Waarde"] == "53,2%" and twente_2020["Status"] == "definitief"
    twente_2022 = table[(table["Regio"] == "Twente (GGD-regio)") & (table["Periode"] == "2022")].iloc[0]
    assert twente_2022["Waarde"] == "52,6%" and twente_2022["95%-interval"] == "51,3% – 53,9%"
    assert set(table["Voorbeelddata"]) == {"nee"}
    text = _texts(at)
    assert "Bron: Gezondheidsmonitor Volwassenen en Ouderen 2020" in text and "peildatum" in text
    # the source line names the region that produced the figure
    assert ("Bron: Gezondheidsmonitor Volwassenen en Ouderen 2022; per regio · Twente (GGD-regio) · "
            "peildatum 31 december 2022") in text
    assert not any("Voorbeelddata" in w.value for w in at.warning)
    downloads = _downloads(at)
    assert {"CSV (Excel)", "XLSX"} <= set(downloads)
    assert downloads.count("PNG") == 4 and downloads.count("SVG") == 4


def test_url_reproduces_the_selection():
    at = _open({"indicator": "Overgewicht", "regio": ["Enschede", "Hengelo"]})
    assert at.selectbox(key="indicator").value == "overgewicht"
    assert at.multiselect(key="regio").value == ["GM0153", "GM0164"]
    table = _table(at)
    assert set(table["Regio"]) == {"Enschede", "Hengelo"}
    enschede = table[(table["Regio"] == "Enschede") & (table["Periode"] == "2020")].iloc[0]
    assert enschede["Waarde"] == "51,1%" and enschede["95%-interval"] == "47,5% – 54,7%"
    enschede = table[(table["Regio"] == "Enschede") & (table["Periode"] == "2022")].iloc[0]
    assert enschede["Waarde"] == "48,3%" and enschede["95%-interval"] == "45,1% – 51,6%"
    assert "In Enschede had 48,3% van de volwassenen overgewicht (2022)" in _texts(at)
    trend = {row.get("region_name") for row in _chart_values(at.get("vega_lite_chart")[0])}
    assert trend == {"Enschede", "Hengelo"}


def test_url_with_period_and_group():
    at = _open({"indicator": "Rokers", "regio": ["Borne", "Twente (GGD-regio)"], "periode": "2020",
                "groep": "65 jaar en ouder"})
    assert at.multiselect(key="periode").value == ["2020"]
    table = _table(at)
    assert set(table["Periode"]) == {"2020"}
    assert set(table["Groep"]) == {"65 jaar en ouder"}


def test_scatter_shows_with_the_names_of_the_gemeenten():
    at = _open({"indicator": "Overgewicht"})
    assert at.selectbox(key="vergelijk").value == "voldoet_beweegrichtlijn"
    assert "Voldoet aan de beweegrichtlijn tegen Overgewicht (2022)" in _titles(at)
    scatter = at.get("vega_lite_chart")[_titles(at).index("Voldoet aan de beweegrichtlijn tegen Overgewicht (2022)")]
    labels = {row.get("label") for row in _chart_values(scatter)}
    assert {"Enschede", "Twenterand", "Twente"} <= labels  # the names on the points
    assert any(row.get("region_name") == "Enschede" and row.get("x_label") == "48,3%"
               for row in _chart_values(scatter))


def test_scatter_with_another_indicator_from_the_url():
    at = _open({"indicator": "Overgewicht", "vergelijk": "Wekelijks sporter"})
    assert at.selectbox(key="vergelijk").value == "wekelijks_sporter"
    assert "Wekelijks sporter tegen Overgewicht (2022)" in _titles(at)


def test_scatter_asks_for_another_indicator_when_both_are_the_same():
    at = _open({"indicator": "Overgewicht", "vergelijk": "Overgewicht"})
    assert any("Kies een andere indicator" in i.value for i in at.info)
    assert len(at.get("vega_lite_chart")) == 3


def test_choosing_another_indicator_keeps_the_page_working():
    at = _open({"periode": "2016"})
    at.selectbox(key="indicator").select("jeugdhulp")
    at.run()
    assert not at.exception
    # 2016 does not exist for this indicator (half years from 2021): the choice is dropped, all
    # periods are shown
    assert at.multiselect(key="periode").value == []
    assert "De 14 gemeenten vergeleken (1e halfjaar 2024)" in [h.value for h in at.header]


@pytest.fixture
def generated_series(tmp_path, monkeypatch):
    """A copy of the committed datasets plus the per-gemeente voorbeelddata series (rondkomen,
    eenzaamheid) as they are generated for a themalijn without real per-gemeente figures."""
    import shutil

    from monitor.data import db, store
    from tests.helpers import with_generated_series

    target = tmp_path / "datasets"
    shutil.copytree(store.dataset_dir(), target, ignore=shutil.ignore_patterns("events"))
    observations = with_generated_series(store.read_frame("observations", target))
    store.write_tables({"observations": store.to_table("observations", observations)}, target)
    monkeypatch.setenv("MONITOR_DATASETS", str(target))
    db.clear_cache()
    yield target
    db.clear_cache()


def test_real_figures_carry_no_voorbeelddata_label():
    at = _open({"indicator": "Wanbetalers zorgpremie", "regio": ["Enschede"]})
    table = _table(at)
    assert set(table["Voorbeelddata"]) == {"nee"}
    assert not any("Voorbeelddata" in w.value for w in at.warning)
    assert not any(c.value.startswith("Voorbeelddata") for c in at.caption)


def test_voorbeelddata_is_marked(generated_series):
    at = _open({"indicator": "Moeite met rondkomen", "regio": ["Enschede"]})
    table = _table(at)
    assert set(table["Voorbeelddata"]) == {"ja"}
    assert any("Voorbeelddata" in w.value for w in at.warning)
    assert any(c.value.startswith("Voorbeelddata") for c in at.caption)


def test_more_than_three_gemeenten_in_the_trend_is_explained():
    regions = ["Almelo", "Borne", "Dinkelland", "Enschede", "Hengelo"]
    at = _open({"regio": regions})
    assert any("Niet in de grafiek: Enschede, Hengelo" in i.value for i in at.info)
    assert set(_table(at)["Regio"]) == set(regions)  # the table has them all


def test_no_regions_chosen():
    at = _open({"regio": ""})
    assert at.multiselect(key="regio").value == []
    assert any("Kies een of meer regio's" in i.value for i in at.info)


def test_the_group_totaal_is_all_adults_only_for_the_gezondheidsmonitor():
    at = _open({"indicator": "Overgewicht"})
    assert at.selectbox(key="groep").options[0] == "Alle volwassenen"
    assert set(_table(at)["Groep"]) == {"alle volwassenen"}
    # A register count (CBS jeugdzorg): its total is every youth counted, not the adults.
    at.selectbox(key="indicator").select("jeugdhulp")
    at.run()
    assert not at.exception
    assert at.selectbox(key="groep").value == "totaal"
    assert at.selectbox(key="groep").options == ["Totaal", "18 tot 65 jaar", "65 jaar en ouder"]
    assert set(_table(at)["Groep"]) == {"totaal"}
    assert "volwassenen" not in " ".join(c.value for c in at.caption)


def test_the_periods_show_dutch_labels_and_the_url_takes_them():
    at = _open({"indicator": "Jongeren met jeugdhulp", "periode": "2e halfjaar 2023"})
    periods = at.multiselect(key="periode")
    assert "1e halfjaar 2024" in periods.options and "2024H1" not in periods.options
    assert periods.value == ["2023H2"]
    assert set(_table(at)["Periode"]) == {"2e halfjaar 2023"}
