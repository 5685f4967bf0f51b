"""AppTest: headlines say what the source says, on the committed datasets.

The headline is the newest measurement with its interval; the jaarplan's quote of the Regiobeeld
stands beside it in its own words and never with a decimal it did not write; Veilig Thuis says
where Twente's total exceeds the sum of its gemeenten.
"""

from __future__ import annotations

from monitor.domain.text import shown_text
from tests.pages.app import open_page


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(parts)


def _metrics(at) -> dict[str, str]:
    """Label → value as shown (the first metric of a label: the page's first indicator section)."""
    found: dict[str, str] = {}
    for m in at.metric:
        found.setdefault(shown_text(m.label), shown_text(m.value))
    return found


def test_preventie_headline_is_the_measurement_and_the_quote_a_reference():
    at = open_page(None, url_path="preventie-en-gezondheid")
    metrics = _metrics(at)
    assert metrics["Twente (2022)"] == "52,6% [51,3–53,9]"  # CBS Gezondheidsmonitor 2022, not the quote
    text = _texts(at)
    assert "Citaat, geen meting: Jaarplan 2025: 56% (Regiobeeld 2023) voor Twente." in text
    assert "Jaarplan 2025: 12% (Regiobeeld 2023) voor Twente; Jaarplan 2025: 10% (Regiobeeld 2023) voor Nederland" in text
    shown = text + "\n".join(metrics.values()) + "\n".join(metrics)
    assert "56,0%" not in shown and "12,0%" not in shown and "(2023)" not in "\n".join(metrics)


def test_eenzaamheid_shows_the_jaarplans_words():
    at = open_page(None, url_path="mentale-gezondheid")
    text = _texts(at)
    assert "Citaat, geen meting: Jaarplan 2025: meer dan 50% (Regiobeeld 2023) voor Twente." in text
    assert "Er zijn nog geen metingen voor deze indicator." in text
    assert "50,0%" not in text


def test_bestaanszekerheid_target_without_a_measurement_keeps_the_plans_precision():
    at = open_page(None, url_path="bestaanszekerheid")
    text = _texts(at)
    assert "Twente: nog geen meting; doel onder 17% uiterlijk 31 december 2026. Nulmeting: 18% (2023)." in text
    assert "Jaarplan 2025: 18% (Regiobeeld 2023)" in text and "18,0%" not in text


def test_overzicht_cards_show_measurements_with_their_interval_and_quotes_beside_them():
    at = open_page(None)
    metrics = _metrics(at)
    assert metrics["Overgewicht · Twente (2022)"] == "52,6% [51,3–53,9]"
    assert metrics["Wmo-cliënten per 1.000 inwoners · Twente (1e halfjaar 2024)"] == "78 per 1.000"
    text = _texts(at)
    assert "Citaat, geen meting: Jaarplan 2025: 56% (Regiobeeld 2023) voor Twente." in text
    assert "Citaat, geen meting: Jaarplan 2025: meer dan 50% (Regiobeeld 2023) voor Twente." in text
    assert "56,0%" not in text and "50,0%" not in text


def test_indicatoren_table_marks_the_quote():
    at = open_page("indicatoren", {"indicator": "Overgewicht", "regio": ["Twente (GGD-regio)"]})
    table = next(df.value for df in at.dataframe if "Regio" in df.value.columns)
    quote = table[table["Soort"] == "citaat"]
    assert quote["Waarde"].tolist() == ["56%"]
    assert set(table.loc[table["Soort"] == "meting", "Periode"]) >= {"2016", "2020", "2022"}
    assert "Citaat, geen meting: Jaarplan 2025: 56% (Regiobeeld 2023) voor Twente (GGD-regio)." in _texts(at)


def test_veilig_thuis_says_where_twente_exceeds_its_gemeenten():
    at = open_page("veilig_thuis")
    at.selectbox(key="soort").select("advies")
    at.selectbox(key="halfjaar").select("2022H2")
    at.run()
    assert not at.exception
    text = _texts(at)
    note = ("Twente telt in 2e halfjaar 2022 1.580 adviezen, 615 meer dan de som van de 14 gemeenten (965). "
            "Het verschil zijn adviezen die CBS wel aan de Veilig Thuis-regio Twente maar niet aan een gemeente "
            "kon toewijzen")
    assert note in "\n".join(i.value for i in at.info)  # beside the gemeenten chart
    assert text.count(note) >= 2  # and with the table (its files carry it in the footer)
    # meldingen: the sum agrees within CBS's rounding, so nothing is said
    at.selectbox(key="soort").select("melding")
    at.run()
    assert "meer dan de som van de" not in _texts(at)
