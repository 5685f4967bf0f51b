"""AppTest: the app shell and the Bronnen page on the committed datasets."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def _app() -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_shell_runs_with_footer_peildatum():
    at = _app()
    captions = [c.value for c in at.caption]
    footer = [c for c in captions if "peildatum van de data" in c]
    assert footer, captions
    assert "voorbeelddata" in footer[0]
    assert "Twentse Koers Monitor" in at.sidebar.markdown[0].value


def test_bronnen_lists_real_sources_and_marks_sample():
    at = _app()
    at.switch_page("pages/bronnen.py").run()
    assert not at.exception
    assert at.title[0].value == "Bronnen en definities"
    sources = at.table[0].value
    assert {"85012NED", "83674NED", "70072NED"} <= set(sources["Tabel"])
    sample = sources[sources["Soort"].str.contains("Voorbeelddata")]
    # Only the generated figures where no real one exists (the KPI realisations); Veilig Thuis is
    # CBS's real 84847NED/85361NED now, no voorbeelddata.
    assert len(sample) == 1
    assert not sample["Titel"].str.contains("Veilig Thuis").any()
    assert {"84847NED", "85361NED", "85563NED"} <= set(sources["Tabel"])
    # Veilig Thuis rows are counted through the protected view: every region CBS publishes, as for
    # the other tables (the page itself shows Twente's).
    rows = sources.set_index("Tabel")["Rijen"].str.replace("\\", "")  # the table's Markdown escapes the dot
    assert (rows["84847NED"], rows["85361NED"]) == ("21.120", "7.680")
    assert sources.loc[sources["Tabel"] == "86050NED", "Volledigheid"].iloc[0].startswith("onvolledig")
    assert any("Onvolledig bestand" in w.value and "86050NED" in w.value for w in at.warning)
    assert (sources.loc[sources["Tabel"] == "85012NED", "Licentie"] == "CC BY 4.0").all()
    assert any("Voorbeelddata" in w.value for w in at.warning)


def test_bronnen_indicator_search_and_themalijn_filter():
    at = _app()
    at.switch_page("pages/bronnen.py").run()
    total = len(at.dataframe[0].value)
    assert total >= 30
    at.text_input(key="zoek").input("overgewicht").run()
    shown = at.dataframe[0].value
    assert 1 <= len(shown) < total
    assert all("vergewicht" in (n + d).lower() for n, d in zip(shown["Indicator"], shown["Definitie"]))
    at.text_input(key="zoek").input("").run()
    at.selectbox(key="themalijn").select("bestaanszekerheid").run()
    themed = at.dataframe[0].value
    assert set(themed["Themalijn"]) == {"Bestaanszekerheid"}
    assert "moeite_met_rondkomen" in set(themed["id"])


def test_over_page_with_real_counts():
    at = _app()
    at.switch_page("pages/over.py").run()
    assert at.title[0].value == "Twentse Koers Monitor"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Projecten"] == "29"
    assert metrics["Gemeenten"] == "14"
    # Dutch thousands separator on the number of real figures.
    assert "." in metrics["Echte cijfers"]
