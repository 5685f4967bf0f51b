"""AppTest: the Overzicht page and the four themalijn pages."""

from __future__ import annotations


import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.app import headings, open_page

THEMALIJN_PAGES = {
    "bestaanszekerheid": "Bestaanszekerheid",
    "preventie-en-gezondheid": "Preventie & gezondheid",
    "mentale-gezondheid": "Mentale gezondheid",
    "ouderen": "Ouderen",
}


def _open(url_path: str | None, query: dict | None = None) -> AppTest:
    return open_page(None, query, url_path=url_path)


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(parts)


def test_overzicht_is_the_default_page_with_four_cards():
    at = _open(None)
    assert at.title[0].value == "Overzicht"
    headers = [s.value for s in at.subheader]
    for name in THEMALIJN_PAGES.values():
        assert name in headers
    text = _texts(at)
    assert "onder de 17%" in text  # the Bestaanszekerheid target, in the jaarplan's words
    assert "Bron:" in text


@pytest.mark.parametrize("themalijn", list(THEMALIJN_PAGES))
def test_themalijn_page_renders_with_sources(themalijn):
    at = _open(themalijn)
    assert at.title[0].value == THEMALIJN_PAGES[themalijn]
    text = _texts(at)
    assert "Bron:" in text and "peildatum" in text
    assert len(at.get("vega_lite_chart")) >= 2


def test_preventie_duiding_on_real_2020_figures_for_a_gemeente():
    at = _open("preventie-en-gezondheid", {"gemeente": "Enschede", "periode": "2020"})
    text = _texts(at)
    assert "In Enschede had 51,1% van de volwassenen overgewicht (2020)" in text


def test_bestaanszekerheid_shows_target_and_marks_sample():
    at = _open("bestaanszekerheid")
    text = _texts(at)
    assert "17%" in text and "31 december 2026" in text
    assert "Voorbeelddata" in text


def test_ouderen_lists_projects_and_their_kpis_with_sample_mark():
    at = _open("ouderen")
    kpis = next(t.value for t in at.table if "KPI" in t.value.columns)
    assert "Respijtzorg - Logeerszorg" in set(kpis["Project"]) or any("Respijtzorg" in p for p in kpis["Project"])
    assert any("7" in d for d in kpis["Doel"])  # 7 planbare bedden
    assert any("(voorbeelddata)" in r for r in kpis["Laatste realisatie"])


def test_the_map_of_the_gemeenten_is_drawn_once_its_expander_is_opened():
    """Per indicator the ranked bars; the map (with the boundaries' source) in a closed expander
    under them, drawn only once it is opened: a new visitor's page view does not carry it."""
    from ui.indicator_sections import MAP_KEY, MAP_LABEL

    at = _open("preventie-en-gezondheid")
    charts = len(at.get("vega_lite_chart"))
    assert not [c for c in at.caption if "gemeentegrenzen" in c.value]
    maps = [e for e in at.expander if e.label == MAP_LABEL]
    assert maps and not any(e.proto.expanded for e in maps)
    at.session_state[f"{MAP_KEY}-overgewicht"] = True
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == charts + 1  # the bars stay, the map joins them
    assert len([c for c in at.caption if "gemeentegrenzen" in c.value]) == 1


def test_twente_among_the_regions_is_a_dot_per_region_drawn_when_opened():
    """The rank statement shows; the chart of all regions is drawn once its expander is opened
    (a new visitor's page view does not carry it), and then every region is a dot with Twente
    named: half a page cannot carry 25-40 named bars (those are on Vergelijken)."""
    import json

    from tests.pages.app import open_regions

    def dot_charts(at):
        specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
        return [s for s in specs if str(s.get("title", {}).get("subtitle", "")).startswith("Elke stip is een van de ")]

    at = _open("preventie-en-gezondheid")
    assert any(h.startswith("Twente tussen de regio's") for h in headings(at))
    assert any("Twente staat" in m.value for m in at.markdown)
    assert not dot_charts(at)
    labels = [e.label for e in at.expander if e.label.startswith("Alle ")]
    assert labels and all(label.endswith(" in een grafiek") for label in labels)
    assert open_regions(at) == len(labels)
    assert len(dot_charts(at)) == len(labels)
