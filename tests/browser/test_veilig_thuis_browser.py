"""The Veilig Thuis page in Chromium, for a small gemeente.

With CBS's real figures (the committed datasets): the page and its CSV show exactly what CBS
published, rounded to 5 by CBS, a cell CBS did not publish as CBS's '.', no voorbeelddata.

With raw counts (a dataset folder of generated counts, the monitor's own protection): a small
count reads '<10', and no exact small count appears anywhere, not in the page's text and not in
the CSV it downloads. The true counts are read from the raw file here, in the test, only to check
that none of the small ones comes through; the app itself only ever reads the protected view.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from monitor.domain.periods import period_label
from monitor.domain import vt_labels
from monitor.views import veilig_thuis as vt
from tests.browser.conftest import SCREENSHOTS, start_server, stop_server

pytestmark = pytest.mark.browser
TIMEOUT = 45_000
GEMEENTE, CODE = "Tubbergen", "GM0183"


def _ready(page):
    page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=TIMEOUT)


def _raw(app_datasets) -> pd.DataFrame:
    return pd.read_parquet(app_datasets / "vt_reports.parquet")


NAMES = sorted({*vt_labels.CATEGORY_LABELS.values(), *(vt_labels.region_label(c) for c in vt.REGION_OPTIONS),
                "Nederland", "Meldingen totaal", "Adviezen totaal"}, key=len, reverse=True)


def _pairs(text: str) -> list[tuple[str, int]]:
    """Every count written after a category or region name ('Partnergeweld: 25',
    'Twente 2.335 (1e halfjaar …)'), as (name, number).

    Rates per 1.000 have a decimal comma and are left out; '<10' and 'x' are not numbers.
    """
    names = "|".join(re.escape(n) for n in NAMES)
    found = re.findall(rf"({names}):? (\d[\d.]*)(?![\d,])", text)
    return [(name, int(number.replace(".", ""))) for name, number in found]


@pytest.fixture(scope="module")
def raw_datasets(tmp_path_factory) -> Path:
    from tests.helpers import sample_vt_datasets

    return sample_vt_datasets(tmp_path_factory.mktemp("raw") / "datasets")


@pytest.fixture(scope="module")
def raw_app_url(chromium_path, tmp_path_factory, raw_datasets, app_secrets):
    """A server on the dataset folder of generated raw counts."""
    log = tmp_path_factory.mktemp("streamlit-raw") / "server.log"
    proc, url = start_server(raw_datasets, app_secrets, log)
    try:
        yield url
    finally:
        stop_server(proc)


def _download_csv(page) -> tuple[str, str]:
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name="CSV (Excel)").click()
    download = info.value
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return download.suggested_filename, data.decode("utf-8-sig")


def test_small_gemeente_shows_what_cbs_published(app_url, app_datasets, page):
    page.goto(f"{app_url}/veilig-thuis?gemeente={GEMEENTE}")
    _ready(page)
    assert page.get_by_role("combobox", name="Halfjaar", exact=True).input_value() == "1e halfjaar 2024"
    page.get_by_role("heading", name=f"Uitsplitsing: {GEMEENTE} (1e halfjaar 2024)").wait_for(timeout=TIMEOUT)
    page.get_by_text("Echte cijfers van CBS", exact=False).first.wait_for(timeout=TIMEOUT)
    text = page.locator("body").inner_text()
    assert "Voorbeelddata (geen echte cijfers)" not in text
    assert f"{GEMEENTE} 45 (1e halfjaar 2024)" in text

    filename, content = _download_csv(page)
    assert filename == "veilig-thuis-melding-tubbergen-2024H1.csv"
    assert "Afscherming door CBS" in content and "Geen voorbeelddata" in content
    rows = [r for r in csv.DictReader(io.StringIO(content), delimiter=";") if r.get("Halfjaar")]
    assert {r["Voorbeelddata"] for r in rows} == {"nee"}
    raw = _raw(app_datasets)
    # the CSV holds what the page shows: the totals of every half year, the breakdown of the chosen one
    published = raw[(raw["region_code"] == CODE) & (raw["kind"] == "melding")
                    & ((raw["breakdown"] == "totaal") | (raw["period"] == "2024H1"))]
    by_key = {(r["Regio"], r["Halfjaar"], r["Uitsplitsing"], r["Categorie"]): r for r in rows}
    assert len(published) == len([k for k in by_key if k[0] == GEMEENTE])
    for row in published.itertuples():
        shown = by_key[(GEMEENTE, row.period, vt_labels.breakdown_label(row.breakdown), vt_labels.category_label(row.category))]
        if pd.isna(row.count):
            assert shown["Aantal"] == "." and shown["Afscherming"].startswith(".: door CBS"), shown
        else:
            assert shown["Aantal"] == str(int(row.count)) and shown["Afscherming"] == "", shown
    assert any(pd.isna(c) for c in published["count"])  # CBS left a cell of Tubbergen empty


def test_small_gemeente_raw_counts_show_less_than_ten_and_never_a_small_count(raw_app_url, raw_datasets, page):
    app_url, app_datasets = raw_app_url, raw_datasets
    page.goto(f"{app_url}/veilig-thuis?gemeente={GEMEENTE}")
    _ready(page)
    page.get_by_role("heading", name="Veilig Thuis", exact=True).first.wait_for(timeout=TIMEOUT)
    assert page.get_by_role("combobox", name="Gemeente", exact=True).input_value() == GEMEENTE
    latest = page.get_by_role("combobox", name="Halfjaar", exact=True).input_value()
    period = next(p for p in vt.halfjaar_options(_raw(app_datasets)["period"])
                  if period_label(p) == latest)
    page.get_by_role("heading", name=f"Uitsplitsing: {GEMEENTE} ({latest})").wait_for(timeout=TIMEOUT)
    # '<10' is on the page, in the text next to the charts
    page.get_by_text(re.compile(r": <10")).first.wait_for(timeout=TIMEOUT)
    page.locator("[aria-label*='Aard van het geweld']").first.wait_for(timeout=TIMEOUT)

    text = page.locator("body").inner_text()
    labels = " ".join(page.locator("[aria-label]").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('aria-label'))"))
    pairs = _pairs(text + "\n" + labels)
    assert len(pairs) >= 3  # the sentences name counts (Twente's, the published categories)
    for label, number in pairs:
        assert number >= 10, f"klein aantal op de pagina: {label}: {number}"

    raw = _raw(app_datasets)
    small = raw[(raw["region_code"] == CODE) & (raw["kind"] == "melding") & (raw["period"] == period)
                & (raw["count"].isna() | (raw["count"] < 10))]
    assert not small.empty, "de voorbeelddata heeft voor Tubbergen geen klein aantal in dit halfjaar"
    for row in small.itertuples():
        name = vt_labels.category_label(row.category)
        if row.breakdown != "totaal":
            # in the sentence under the breakdown: the label, never the true number
            assert re.search(rf"{re.escape(name)}: (<10|x)\b", text), name
            if pd.notna(row.count):
                assert not re.search(rf"{re.escape(name)}: {int(row.count)}\b", text), name

    filename, content = _download_csv(page)
    assert filename == f"veilig-thuis-melding-tubbergen-{period}.csv"
    assert "<10" in content
    rows = [r for r in csv.DictReader(io.StringIO(content), delimiter=";") if r.get("Halfjaar")]
    assert rows
    for r in rows:
        count = r["Aantal"]
        if count in ("<10", "x"):
            assert r["Per 1.000 inwoners"] == "" and r["Afscherming"].startswith(count)
            continue
        assert re.fullmatch(r"\d+", count), count
        assert int(count) >= 10 and int(count) % 5 == 0, count
    by_key = {(r["Regio"], r["Halfjaar"], r["Uitsplitsing"], r["Categorie"]): r for r in rows}
    for row in small.itertuples():
        key = (GEMEENTE, period, vt_labels.breakdown_label(row.breakdown), vt_labels.category_label(row.category))
        assert by_key[key]["Aantal"] in ("<10", "x"), key
    assert "Afscherming: aantallen afgerond op veelvouden van 5" in content
    assert "voorbeelddata" in content.lower()
    assert "peildatum" in content
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "veilig-thuis.png"), full_page=True)


def test_choices_are_kept_in_the_url(app_url, page):
    page.goto(f"{app_url}/veilig-thuis")
    _ready(page)
    box = page.get_by_role("combobox", name="Soort", exact=True)
    box.click()
    page.get_by_role("option", name="Adviezen", exact=True).click()
    page.wait_for_url(re.compile(r"soort=Adviezen"), timeout=TIMEOUT)
    page.get_by_text(re.compile(r"^Adviezen per halfjaar\. Laatste halfjaar")).wait_for(timeout=TIMEOUT)
    # the copied link opens the same view
    page.goto(page.url)
    _ready(page)
    assert page.get_by_role("combobox", name="Soort", exact=True).input_value() == "Adviezen"
