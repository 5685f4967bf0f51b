"""AppTest: the Vergelijken page on the committed (national) datasets: Enschede among comparable
gemeenten by default, the peer group widened or picked through the URL, the funnel for a register
rate, Twente among the GGD-regio's, the table with Dutch formats, and source lines."""

from __future__ import annotations

import json

import pyarrow as pa

from tests.pages.app import headings, open_figures, open_page, open_regions


def _open(query: dict | None = None):
    return open_page("vergelijken", query, timeout=120)


def _texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


def _titles(at) -> list[str]:
    out = []
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title", "")
        out.append(title.get("text", "") if isinstance(title, dict) else title)
    return out


def _chart_rows(chart) -> list[dict]:
    """Every data row a chart was sent with (Streamlit sends its datasets as Arrow)."""
    return [row for dataset in chart.proto.datasets
            for row in pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()]


def _table(at):
    return next(df.value for df in at.dataframe if "Plaats" in df.value.columns)


def test_default_compares_enschede_with_big_sterk_stedelijke_gemeenten():
    at = _open()
    assert at.title[0].value == "Vergelijken"
    assert at.selectbox(key="gemeente").value == "GM0153"
    assert at.selectbox(key="indicator").value == "overgewicht"
    assert at.selectbox(key="groep").value == "standaard"
    assert [h.value for h in at.header] == ["Tussen vergelijkbare gemeenten (2022)", "Twente tussen de regio's (2022)"]
    text = _texts(at)
    assert "Vergelijkbare gemeenten: gemeenten met 150.000–250.000 inwoners en sterk stedelijk (n = 10)." in text
    assert "Enschede staat gedeeld 5e van de 10 vergelijkbare gemeenten met 48,3% (2022)" in text
    assert "Twente staat 18e van de 25 GGD-regio's met 52,6% (2022); ongunstiger dan Nederland (50,3%)." in text
    assert "Bron: Gezondheidsmonitor Volwassenen en Ouderen 2022" in text and "peildatum 31 december 2022" in text
    table = _table(at)
    assert len(table) == 10 and "Enschede (Twente)" in set(table["Gemeente"])
    assert set(table["Overgewicht"].str.endswith("%"))
    assert _titles(at) == ["Overgewicht", "Overgewicht"]  # the peers' spread, the GGD-regio's ranked
    assert open_figures(at) >= 1 and not at.exception


def test_the_peer_group_is_read_from_the_url_and_widened():
    at = _open({"gemeente": "Enschede (Twente)", "indicator": "Overgewicht", "groep": "alle gemeenten"})
    assert at.selectbox(key="groep").value == "alle"
    assert "alle gemeenten van Nederland (n = 342)" in _texts(at)
    assert len(_table(at)) > 300


def test_picked_gemeenten_from_the_url():
    at = _open({"gemeente": "Hengelo (Twente)", "groep": "zelf gekozen gemeenten",
                "gekozen": ["Almelo (Twente)", "Deventer", "Zwolle"]})
    assert at.multiselect(key="gekozen").value == ["GM0141", "GM0150", "GM0193"]
    text = _texts(at)
    assert "zelf gekozen gemeenten (n = 4)" in text
    assert "Een kleine groep (n = 4)" in text
    assert set(_table(at)["Gemeente"]) == {"Hengelo (Twente)", "Almelo (Twente)", "Deventer", "Zwolle"}


def test_a_register_rate_gets_the_funnel_and_no_region_ranking_when_twente_is_computed():
    at = _open({"indicator": "Wmo-cliënten per 1.000 inwoners"})
    titles = _titles(at)
    assert "Wmo-cliënten per 1.000 inwoners: trechterplot" in titles
    text = _texts(at)
    assert "Wat de trechter laat zien." in text
    assert "Twente tussen de regio's" not in [h.value for h in at.header]  # Twente's figure is the monitor's sum
    assert set(_table(at)["Tegenover Nederland"]) <= {"verschilt duidelijk", "verschilt", "verschilt niet aantoonbaar"}


def test_twente_among_the_regions_on_a_themalijn_page_and_the_overzicht():
    at = open_page(None, url_path="preventie-en-gezondheid", timeout=120)
    text = _texts(at)
    assert ("Twente staat 18e van de 25 GGD-regio's met 52,6% (2022); ongunstiger dan Nederland (50,3%).") in text
    assert "Twente tussen de regio's (2022)" in headings(at)
    open_regions(at)
    regions = [c for c in at.get("vega_lite_chart")
               if json.loads(c.proto.spec).get("description", "").startswith("Twente staat 18e van de 25 GGD")]
    assert len(regions) == 1 and len({row.get("region_name") for row in _chart_rows(regions[0])} - {None}) == 25
    at = open_page("overzicht", timeout=120)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Tussen de regio's: Twente staat") and "COROP-gebieden" in c for c in captions)
