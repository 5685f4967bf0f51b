"""The Indicatoren page in Chromium: find an indicator by typing part of its name, pick two
gemeenten, and download what is shown: the CSV (checked byte for byte as Dutch Excel reads
it) and a chart as PNG rendered on the server."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
TIMEOUT = 45_000
INDICATOR = "Voldoet aan de beweegrichtlijn"
# CBS 85012NED (Gezondheidsmonitor 2020), 18 jaar en ouder: the real figures.
REAL_2020 = {"Enschede": "53,8", "Hengelo": "50,5"}


def _ready(page):
    page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=TIMEOUT)


def _pick(page, label: str, typed: str, option: str):
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    page.keyboard.type(typed)  # the list is filtered as you type
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def test_search_pick_two_gemeenten_and_download_csv(app_url, page):
    page.goto(f"{app_url}/indicatoren")
    _ready(page)
    page.get_by_role("heading", name="Indicatoren", exact=True).first.wait_for(timeout=TIMEOUT)

    _pick(page, "Indicator", "beweegricht", INDICATOR)  # part of the name
    page.wait_for_url(re.compile(r"indicator=Voldoet"), timeout=TIMEOUT)
    _pick(page, "Regio's", "Enschede", "Enschede")
    _pick(page, "Regio's", "Hengelo", "Hengelo")
    page.wait_for_url(re.compile(r"regio=Enschede.*regio=Hengelo"), timeout=TIMEOUT)
    # the table caption names what is shown once the rerun with the new choice is done
    page.get_by_text(re.compile(rf"^\d+ cijfers · {INDICATOR} .*Enschede, Hengelo$")).wait_for(timeout=TIMEOUT)

    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name="CSV (Excel)").click()
    download = info.value
    assert download.suggested_filename == "voldoet_beweegrichtlijn.csv"
    data = download.path().read_bytes()

    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel does not guess a code page
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.split(";")[:6] == ["Indicator", "Regio", "Periode", "Groep", "Soort", "Waarde"]
    rows = [r for r in csv.DictReader(io.StringIO(text), delimiter=";") if r.get("Regio")]
    by_key = {(r["Regio"], r["Periode"]): r for r in rows}
    for gemeente, value in REAL_2020.items():
        row = by_key[(gemeente, "2020")]
        assert row["Waarde"] == value  # decimal comma, no thousands dot
        assert row["Voorbeelddata"] == "nee"
        assert row["Peildatum"] == "31-12-2020"
    assert {"Enschede", "Hengelo"} <= {r["Regio"] for r in rows}
    assert "\r\n" in text
    assert "Bron: Gezondheidsmonitor Volwassenen en Ouderen 2020" in text  # the source footer line
    assert "peildatum 31 december 2020" in text
    assert "voorbeelddata" in text.lower()

    # a chart, rendered on the server at the click (vl-convert)
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name="PNG", exact=True).first.click()
    png = info.value.path().read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "indicatoren.png"), full_page=True)


def test_copied_link_reproduces_the_view(app_url, page):
    page.goto(f"{app_url}/indicatoren?indicator=Overgewicht&regio=Enschede&regio=Hengelo&periode=2020")
    _ready(page)
    page.get_by_text(re.compile(r"^\d+ cijfers · Overgewicht \(%\) · alle volwassenen · 2020 · Enschede, Hengelo$")) \
        .wait_for(timeout=TIMEOUT)
    assert page.get_by_role("combobox", name="Indicator", exact=True).input_value() == "Overgewicht"
    # the scatter plot is drawn (its text alternative names the gemeenten it compares)
    page.locator("[aria-label*='Spreidingsdiagram']").first.wait_for(timeout=TIMEOUT)


# Every download button's centre, after scrolling it into view, is the button itself (not a chart
# or a toolbar over it), and no chart offers a second, sourceless "Download as PNG".
_HIT = """b => { b.scrollIntoView({block: 'center'}); const r = b.getBoundingClientRect();
  const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return b.contains(e) ? null : (e ? e.tagName + ' ' + (e.getAttribute('data-testid') || e.getAttribute('class') || '') : 'none'); }"""


@pytest.mark.parametrize("width", [1400, 1280, 400])
def test_every_download_button_is_clickable(app_url, browser, width):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/indicatoren?indicator={INDICATOR}&regio=Enschede&regio=Hengelo")
        _ready(page)
        buttons = page.locator("[data-testid='stDownloadButton'] button:visible")
        buttons.first.wait_for(timeout=TIMEOUT)
        page.wait_for_timeout(1500)  # charts drawn
        labels = [buttons.nth(i).inner_text().split("\n")[-1] for i in range(buttons.count())]
        assert labels.count("PNG") >= 3 and "CSV (Excel)" in labels, labels
        covered = {}
        for i in range(buttons.count()):
            hit = buttons.nth(i).evaluate(_HIT)
            if hit:
                covered[f"{i}:{labels[i]}"] = hit
        assert covered == {}, covered
        assert page.get_by_role("button", name="Download as PNG").count() == 0
        # and the first PNG button a user would find by its name downloads the chart with its sources
        with page.expect_download(timeout=TIMEOUT) as info:
            page.get_by_role("button", name="PNG").first.click()
        assert info.value.path().read_bytes().startswith(b"\x89PNG")
    finally:
        context.close()
