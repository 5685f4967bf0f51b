"""AppTest: the Veilig Thuis page (choices in the URL, protected figures only, neutral words)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests.pages.app import chart_rows as _chart_rows, open_page, open_regions

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")
HEADERS_TWENTE = ["Door de tijd", "De 14 gemeenten vergeleken (1e halfjaar 2024)",
                  "Uitsplitsing: Twente (1e halfjaar 2024)", "Tabel"]
CBS_KERNCIJFERS = "Bron: Huiselijk geweld; kerncijfers Veilig Thuis, regio"


def _open(query: dict | None = None) -> AppTest:
    return open_page("veilig_thuis", query, timeout=90)


def _texts(at) -> str:
    parts = ([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
             + [w.value for w in at.warning] + [e.value for e in at.error])
    return "\n".join(parts)


def _table(at):
    return next(df.value for df in at.dataframe if "Aantal" in df.value.columns)


def _assert_protected(table) -> None:
    """The monitor's own protection of raw counts: every count on screen is '<10', 'x' or a
    multiple of 5 of at least 10."""
    for value in table["Aantal"]:
        if value in ("<10", "x"):
            continue
        number = int(value.replace(".", ""))
        assert number >= 10 and number % 5 == 0, value


def _assert_as_cbs_published(table) -> None:
    """CBS's figures as CBS published them: a multiple of 5 (CBS rounds) or CBS's own '.' for a
    cell it did not publish, explained as CBS's mark; never the monitor's '<10' or 'x'."""
    for _, row in table.iterrows():
        value = row["Aantal"]
        if value == ".":
            assert row["Afscherming"].startswith(".: door CBS niet gepubliceerd"), row.to_dict()
            assert row["Per 1.000 inwoners"] in (".", "–", ""), row.to_dict()
            continue
        assert int(value.replace(".", "")) % 5 == 0, value
        assert row["Afscherming"] == ""


def _row(table, **where):
    mask = True
    for column, value in where.items():
        mask = mask & (table[column] == value)
    rows = table[mask]
    assert len(rows) == 1, (where, len(rows))
    return rows.iloc[0]


def test_default_view_for_twente_shows_the_real_cbs_figures():
    at = _open()
    assert at.title[0].value == "Veilig Thuis"
    assert at.selectbox(key="gemeente").value == "GG_TWENTE"
    assert at.selectbox(key="soort").value == "melding"
    assert at.selectbox(key="maat").value == "aantal"
    assert at.selectbox(key="halfjaar").value == "2024H1"  # the latest CBS publishes
    assert at.selectbox(key="halfjaar").options[-1] == "1e halfjaar 2019"
    assert [h.value for h in at.header] == HEADERS_TWENTE
    # trend, gemeenten, eerdere betrokkenheid; Twente tussen de Veilig Thuis-regio's once opened
    assert len(at.get("vega_lite_chart")) == 3
    assert open_regions(at) == 1 and len(at.get("vega_lite_chart")) == 4
    text = _texts(at)
    assert "neutraal" in text and "beter worden gesignaleerd" in text
    assert "Echte cijfers van CBS" in text and "84847NED" in text and "85361NED" in text
    assert "Laatste halfjaar: Twente 2.180 (1e halfjaar 2024)" in text
    assert not any("Voorbeelddata" in w.value for w in at.warning)  # real figures: no banner
    captions = [c.value for c in at.caption]
    assert not any(c.startswith("Voorbeelddata") for c in captions)
    assert sum(c.startswith(CBS_KERNCIJFERS) for c in captions) >= 3  # trend, gemeenten, table
    assert any("meldingen naar eerdere betrokkenheid" in c for c in captions)  # the breakdown
    assert any("peildatum 30 juni 2024" in c for c in captions)
    assert any("Afscherming door CBS" in c for c in captions)
    table = _table(at)
    _assert_as_cbs_published(table)
    assert {"Twente", "Nederland"} <= set(table["Regio"]) and len(set(table["Regio"])) == 16
    assert set(table["Voorbeelddata"]) == {"nee"}
    assert _row(table, Regio="Twente", Halfjaar="1e halfjaar 2024", Categorie="Totaal")["Aantal"] == "2.180"
    enschede = _row(table, Regio="Enschede", Halfjaar="1e halfjaar 2024", Categorie="Totaal")
    assert enschede["Aantal"] == "735" and enschede["Per 1.000 inwoners"] == "4,53"
    # the breakdown of eerdere betrokkenheid adds up to the total meldingen
    parts = table[(table["Regio"] == "Twente") & (table["Halfjaar"] == "1e halfjaar 2024") & (table["Categorie"] != "Totaal")]
    assert sum(int(v.replace(".", "")) for v in parts["Aantal"]) == 2180
    downloads = [b.proto.label for b in at.get("download_button")]
    assert downloads == ["CSV (Excel)", "XLSX"]


def test_tubbergen_shows_what_cbs_did_not_publish_as_cbs_mark():
    at = _open({"gemeente": "Tubbergen"})
    assert at.selectbox(key="gemeente").value == "GM0183"
    headers = [h.value for h in at.header]
    assert "Uitsplitsing: Tubbergen (1e halfjaar 2024)" in headers
    table = _table(at)
    _assert_as_cbs_published(table)
    tubbergen = table[table["Regio"] == "Tubbergen"]
    assert _row(tubbergen, Halfjaar="1e halfjaar 2024", Categorie="Totaal")["Aantal"] == "45"
    hidden = _row(tubbergen, Halfjaar="1e halfjaar 2024", Categorie="Niet ingedeeld")
    assert hidden["Aantal"] == "."  # CBS 85361NED: not published
    assert ". = door CBS niet gepubliceerd" in _texts(at)
    # no chart draws a cell CBS did not publish as a number
    for row in _chart_rows(at):
        if row.get("suppressed"):
            assert row.get("value") is None and row.get("value_label") == "."


@pytest.mark.parametrize(("query", "expected"), [
    ({"gemeente": "Enschede", "soort": "Adviezen", "maat": "Per 1.000 inwoners",
      "halfjaar": "2e halfjaar 2023"},
     {"gemeente": "GM0153", "soort": "advies", "maat": "per_1000", "halfjaar": "2023H2"}),
    ({"gemeente": "Losser", "soort": "Overdrachten (afgerond)", "halfjaar": "1e halfjaar 2019"},
     {"gemeente": "GM0168", "soort": "overdracht", "maat": "aantal", "halfjaar": "2019H1"}),
    ({"gemeente": "Almelo", "soort": "Casussen (gestart)", "halfjaar": "2e halfjaar 2021"},
     {"gemeente": "GM0141", "soort": "casus", "maat": "aantal", "halfjaar": "2021H2"}),
])
def test_url_reproduces_the_selection(query, expected):
    at = _open(query)
    for key, value in expected.items():
        assert at.selectbox(key=key).value == value, key
    assert dict(at.query_params) == {k: v for k, v in query.items()}
    period_label = query["halfjaar"]
    assert f"De 14 gemeenten vergeleken ({period_label})" in [h.value for h in at.header]
    table = _table(at)
    _assert_as_cbs_published(table)
    assert query["halfjaar"] in set(table["Halfjaar"])  # as the picker shows it


def test_choices_change_the_view_and_a_link_with_their_labels_reopens_it():
    """Choosing in the widgets changes the view; the URL with the labels (what the browser
    writes for bound widgets, checked in tests/browser) opens the same view again."""
    at = _open()
    at.selectbox(key="gemeente").select("GM0183")
    at.selectbox(key="soort").select("onderzoek")
    at.selectbox(key="maat").select("per_1000")
    at.selectbox(key="halfjaar").select("2023H2")
    at.run()
    assert not at.exception
    headers = [h.value for h in at.header]
    assert "Uitsplitsing: Tubbergen (2e halfjaar 2023)" in headers
    shown = {key: at.selectbox(key=key).value for key in ("gemeente", "soort", "maat", "halfjaar")}
    link = {"gemeente": "Tubbergen", "soort": "Onderzoeken (afgerond)", "maat": "Per 1.000 inwoners",
            "halfjaar": "2e halfjaar 2023"}
    again = _open(link)
    assert {key: again.selectbox(key=key).value for key in shown} == shown
    assert [h.value for h in again.header] == headers
    # CBS publishes no breakdown of onderzoeken: the page says so
    assert any("geen uitsplitsing" in i.value for i in again.info)


# --- the monitor's own protection, on a dataset folder of generated raw counts ----------------

@pytest.fixture
def raw_counts(tmp_path, monkeypatch):
    from monitor.data import db
    from tests.helpers import sample_vt_datasets

    target = sample_vt_datasets(tmp_path / "datasets")
    monkeypatch.setenv("MONITOR_DATASETS", str(target))
    db.clear_cache()
    yield target
    db.clear_cache()


def test_raw_counts_are_protected_and_marked_as_voorbeelddata(raw_counts):
    at = _open()
    assert at.selectbox(key="halfjaar").value == "2026H1"  # the generated series' latest
    assert len(at.get("vega_lite_chart")) == 4  # trend, gemeenten, two breakdowns
    text = _texts(at)
    assert "veelvouden van 5" in text and "<10" in text
    assert any("Voorbeelddata" in w.value for w in at.warning)  # the sample banner
    captions = [c.value for c in at.caption]
    assert sum(c.startswith("Voorbeelddata (geen echte cijfers) · Bron: Voorbeelddata Veilig Thuis")
               for c in captions) >= 5  # under the trend, the gemeenten, both breakdowns, the table
    table = _table(at)
    _assert_protected(table)
    assert set(table["Voorbeelddata"]) == {"ja"}


def test_tubbergen_raw_counts_show_small_counts_as_less_than_ten(raw_counts):
    at = _open({"gemeente": "Tubbergen"})
    assert "Uitsplitsing: Tubbergen (1e halfjaar 2026)" in [h.value for h in at.header]
    table = _table(at)
    _assert_protected(table)
    tubbergen = table[table["Regio"] == "Tubbergen"]
    assert "<10" in set(tubbergen["Aantal"])
    hidden = tubbergen[tubbergen["Aantal"].isin(["<10", "x"])]
    assert not hidden.empty and (hidden["Afscherming"] != "").all()
    assert not hidden["Afscherming"].str.contains("CBS").any()  # the monitor's marks, not CBS's
    assert "<10" in _texts(at)
    # no chart draws a suppressed cell as a number
    for row in _chart_rows(at):
        if row.get("suppressed"):
            assert row.get("value") is None and row.get("value_label") in ("<10", "x")
        label = row.get("aantal_label")
        if isinstance(label, str) and re.fullmatch(r"[\d.]+", label):
            assert int(label.replace(".", "")) >= 10
    # onderzoeken have no breakdown by melder: only the one by aard of the geweld is drawn
    at.selectbox(key="soort").select("onderzoek")
    at.run()
    assert not at.exception
    assert [s.value for s in at.subheader if not s.value.startswith("Twente tussen")] == ["Aard van het geweld"]
    assert len(at.get("vega_lite_chart")) == 3


def test_no_judgement_words_on_the_page():
    at = _open({"gemeente": "Enschede"})
    text = _texts(at).lower()
    for word in ("slechter", "gunstig", "zorgelijk", "verslechter"):
        assert word not in text


def _datasets_copy(tmp_path, monkeypatch, vt_bytes: bytes | None) -> Path:
    """A copy of the committed datasets with the Veilig Thuis file replaced (or left out)."""
    import shutil

    from monitor.data import store

    target = tmp_path / "datasets"
    shutil.copytree(store.dataset_dir(), target, ignore=shutil.ignore_patterns("events", "vt_reports.parquet"))
    if vt_bytes is not None:
        (target / "vt_reports.parquet").write_bytes(vt_bytes)
    monkeypatch.setenv("MONITOR_DATASETS", str(target))
    return target


def test_without_veilig_thuis_figures_the_page_says_so(tmp_path, monkeypatch):
    _datasets_copy(tmp_path, monkeypatch, None)
    at = _open()
    assert any("nog geen Veilig Thuis-cijfers" in i.value for i in at.info)
    assert not at.get("vega_lite_chart") and not at.get("download_button")


def test_an_unreadable_file_gives_a_dutch_message(tmp_path, monkeypatch):
    _datasets_copy(tmp_path, monkeypatch, b"PAR1 dit is geen parquet")
    at = _open()
    assert at.error and "kan niet worden gelezen" in at.error[0].value
    assert not at.get("vega_lite_chart") and not at.get("download_button")
