"""AppTest: the Veilig Thuis page's one block beyond Twente, "Twente tussen de Veilig Thuis-regio's"
(committed datasets: CBS 84847NED for every Veilig Thuis-regio): the rate per 1.000 as CBS
publishes it, the rank from the highest, the neutral statement with the funnel rule, the chart of
every region, what the funnel's inhabitants are, and the source with its peildatum."""

from __future__ import annotations

from tests.hostile_text import own_markup_removed
from tests.pages.app import chart_rows, headings, open_page, open_regions
from ui.components import LINE_BREAK

TITLE = "Twente tussen de Veilig Thuis-regio's (1e halfjaar 2024)"
JUDGEMENTS = ("gunstig", "slechter", "zorgelijk", "verslechter")


def _texts(at) -> list[str]:
    """Every paragraph and line shown, each as a text of its own (a sentence shares its element
    with its source lines, small and grey: ``ui.indicator_sections.text_block``)."""
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts = [line for text in texts for paragraph in text.split("\n\n") for line in paragraph.split(LINE_BREAK)]
    return [own_markup_removed(part) for part in parts]


def _ranked(at) -> list[dict]:
    """The ranked chart's rows, one per region (Twente's outline is a layer of its own), once the
    chart's expander is opened."""
    open_regions(at)
    rows = [row for row in chart_rows(at) if "rank" in row and row.get("region_kind") == "vt_regio"]
    return list({row["region_code"]: row for row in rows}.values())


def test_twente_among_the_vt_regios_for_the_kind_and_half_year_chosen():
    at = open_page("veilig_thuis", None, timeout=90)
    assert TITLE in headings(at)
    texts = _texts(at)
    assert ("Twente: 3,40 meldingen per 1.000 inwoners in 1e halfjaar 2024, de 13e hoogste van de 25 Veilig "
            "Thuis-regio's; lager dan Nederland (3,56 per 1.000); dat verschil is meer dan toeval (buiten de "
            "95%-grenzen van de trechter).") in texts
    assert any("afgeleid uit het aantal en het cijfer per 100.000 inwoners van CBS" in t for t in texts)
    assert any(t.startswith("Bron: Huiselijk geweld; kerncijfers Veilig Thuis, regio · Twente (Veilig Thuis-regio)")
               and "peildatum 30 juni 2024" in t for t in texts)
    ranked = _ranked(at)
    assert len(ranked) == 25
    names = {row["region_name"] for row in ranked}
    assert {"Twente (Veilig Thuis-regio)", "Amsterdam-Amstelland", "Zuid-Limburg"} <= names
    assert {row["comparison"] for row in ranked} <= {"hoger", "lager", "geen verschil", "onbekend"}
    assert not any(word in t.lower() for t in texts for word in JUDGEMENTS)

    at.selectbox(key="soort").select("advies")
    at.run()
    assert not at.exception
    assert ("Twente: 3,13 adviezen per 1.000 inwoners in 1e halfjaar 2024, de 23e hoogste van de 25 Veilig "
            "Thuis-regio's; lager dan Nederland (4,19 per 1.000); dat verschil is meer dan toeval (buiten de "
            "99,8%-grenzen van de trechter).") in _texts(at)

    at.selectbox(key="halfjaar").select("2019H1")
    at.run()
    assert "Twente tussen de Veilig Thuis-regio's (1e halfjaar 2019)" in headings(at)
    assert len(_ranked(at)) == 24  # Brabant Noordoost (VT) of the older indeling has no region in 2024's
