"""AppTest: the Veilig Thuis page (choices in the URL, protected figures only, neutral words)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from tests.pages.app import open_page

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")
HEADERS_TWENTE = ["Door de tijd", "De 14 gemeenten vergeleken (1e halfjaar 2026)",
                  "Uitsplitsing: Twente (1e halfjaar 2026)", "Tabel"]


def _open(query: dict | None = None) -> AppTest:
    return open_page("veilig_thuis", query, timeout=90)


def _texts(at) -> str:
    parts = ([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
             + [w.value for w in at.warning] + [e.value for e in at.error])
    return "\n".join(parts)


def _table(at):
    return next(df.value for df in at.dataframe if "Aantal" in df.value.columns)


def _chart_rows(at) -> list[dict]:
    rows: list[dict] = []
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            rows += pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
        spec = json.loads(chart.proto.spec)
        for layer in spec.get("layer", []):
            rows += layer.get("data", {}).get("values", [])
    return rows


def _assert_protected(table) -> None:
    """Every count on screen is '<10', 'x' or a multiple of 5 of at least 10."""
    for value in table["Aantal"]:
        if value in ("<10", "x"):
            continue
        number = int(value.replace(".", ""))
        assert number >= 10 and number % 5 == 0, value


def test_default_view_for_twente():
    at = _open()
    assert at.title[0].value == "Veilig Thuis"
    assert at.selectbox(key="gemeente").value == "GG_TWENTE"
    assert at.selectbox(key="soort").value == "melding"
    assert at.selectbox(key="maat").value == "aantal"
    assert at.selectbox(key="halfjaar").value == "2026H1"  # the latest
    assert [h.value for h in at.header] == HEADERS_TWENTE
    assert len(at.get("vega_lite_chart")) == 4  # trend, gemeenten, two breakdowns
    text = _texts(at)
    assert "neutraal" in text and "beter worden gesignaleerd" in text
    assert "veelvouden van 5" in text and "<10" in text
    assert any("Voorbeelddata" in w.value for w in at.warning)  # the sample banner
    captions = [c.value for c in at.caption]
    assert sum(c.startswith("Voorbeelddata (geen echte cijfers) · Bron: Voorbeelddata Veilig Thuis")
               for c in captions) >= 5  # under the trend, the gemeenten, both breakdowns, the table
    assert any("peildatum" in c for c in captions)
    table = _table(at)
    _assert_protected(table)
    assert "Twente" in set(table["Regio"]) and len(set(table["Regio"])) == 15
    downloads = [b.proto.label for b in at.get("download_button")]
    assert downloads == ["CSV (Excel)", "XLSX"]


def test_tubbergen_shows_small_counts_as_less_than_ten():
    at = _open({"gemeente": "Tubbergen"})
    assert at.selectbox(key="gemeente").value == "GM0183"
    headers = [h.value for h in at.header]
    assert "Uitsplitsing: Tubbergen (1e halfjaar 2026)" in headers
    table = _table(at)
    _assert_protected(table)
    tubbergen = table[table["Regio"] == "Tubbergen"]
    assert "<10" in set(tubbergen["Aantal"])
    hidden = tubbergen[tubbergen["Aantal"].isin(["<10", "x"])]
    assert (hidden["Afscherming"] != "").all()
    assert "<10" in _texts(at)
    # no chart draws a suppressed cell as a number
    for row in _chart_rows(at):
        if row.get("suppressed"):
            assert row.get("value") is None and row.get("value_label") in ("<10", "x")
        label = row.get("aantal_label")
        if isinstance(label, str) and re.fullmatch(r"[\d.]+", label):
            assert int(label.replace(".", "")) >= 10


@pytest.mark.parametrize(("query", "expected"), [
    ({"gemeente": "Enschede", "soort": "Adviezen", "maat": "Per 1.000 inwoners",
      "halfjaar": "2e halfjaar 2024"},
     {"gemeente": "GM0153", "soort": "advies", "maat": "per_1000", "halfjaar": "2024H2"}),
    ({"gemeente": "Losser", "soort": "Overdrachten (afgerond)", "halfjaar": "1e halfjaar 2019"},
     {"gemeente": "GM0168", "soort": "overdracht", "maat": "aantal", "halfjaar": "2019H1"}),
])
def test_url_reproduces_the_selection(query, expected):
    at = _open(query)
    for key, value in expected.items():
        assert at.selectbox(key=key).value == value, key
    assert dict(at.query_params) == {k: v for k, v in query.items()}
    period_label = query["halfjaar"]
    assert f"De 14 gemeenten vergeleken ({period_label})" in [h.value for h in at.header]
    _assert_protected(_table(at))


def test_choices_change_the_view_and_a_link_with_their_labels_reopens_it():
    """Choosing in the widgets changes the view; the URL with the labels (what the browser
    writes for bound widgets, checked in tests/browser) opens the same view again."""
    at = _open()
    at.selectbox(key="gemeente").select("GM0183")
    at.selectbox(key="soort").select("onderzoek")
    at.selectbox(key="maat").select("per_1000")
    at.selectbox(key="halfjaar").select("2025H2")
    at.run()
    assert not at.exception
    headers = [h.value for h in at.header]
    assert "Uitsplitsing: Tubbergen (2e halfjaar 2025)" in headers
    shown = {key: at.selectbox(key=key).value for key in ("gemeente", "soort", "maat", "halfjaar")}
    link = {"gemeente": "Tubbergen", "soort": "Onderzoeken (afgerond)", "maat": "Per 1.000 inwoners",
            "halfjaar": "2e halfjaar 2025"}
    again = _open(link)
    assert {key: again.selectbox(key=key).value for key in shown} == shown
    assert [h.value for h in again.header] == headers
    # onderzoeken have no breakdown by melder: the page says so
    assert any("alleen voor adviezen en meldingen" in i.value for i in again.info)


def test_no_judgement_words_on_the_page():
    at = _open({"gemeente": "Enschede"})
    text = _texts(at).lower()
    for word in ("slechter", "gunstig", "zorgelijk", "verslechter"):
        assert word not in text


def _datasets_copy(tmp_path, monkeypatch, vt_bytes: bytes | None) -> Path:
    """A copy of the committed datasets with the Veilig Thuis file replaced (or left out)."""
    import shutil

    from monitor import store

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
