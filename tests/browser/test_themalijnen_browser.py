"""The Overzicht and themalijn pages in Chromium: pick a gemeente, the URL follows, a reload
gives the same view; a screenshot of each page is saved for review (not committed)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
TIMEOUT = 45_000
PAGES = {
    "bestaanszekerheid": ("Bestaanszekerheid", "Moeite met rondkomen"),
    "preventie-en-gezondheid": ("Preventie & gezondheid", "Overgewicht"),
    "mentale-gezondheid": ("Mentale gezondheid", "Matig tot ernstig eenzaam (65+)"),
    "ouderen": ("Ouderen", "Aandeel inwoners 65+"),
}


def _ready(page):
    page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=TIMEOUT)


def test_overzicht_cards_link_to_the_themalijn_pages(app_url, page):
    page.goto(f"{app_url}/")
    _ready(page)
    for name, _first in PAGES.values():
        page.get_by_role("heading", name=name, exact=True).first.wait_for(timeout=TIMEOUT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overzicht.png"), full_page=True)
    page.get_by_role("link", name="Naar Ouderen").click()
    page.wait_for_url(re.compile(r"/ouderen"), timeout=TIMEOUT)
    page.get_by_role("heading", name="Ouderen", exact=True).first.wait_for(timeout=TIMEOUT)


@pytest.mark.parametrize("path", list(PAGES))
def test_pick_gemeente_url_and_reload(app_url, page, path):
    title, first_indicator = PAGES[path]
    page.goto(f"{app_url}/{path}")
    _ready(page)
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=TIMEOUT)
    page.get_by_role("heading", name=first_indicator, exact=True).first.wait_for(timeout=TIMEOUT)

    box = page.get_by_role("combobox", name="Gemeente", exact=True)
    box.click()
    page.keyboard.type("Losser")
    page.get_by_role("option", name="Losser", exact=True).click()
    page.wait_for_url(re.compile(r"gemeente=Losser"), timeout=TIMEOUT)
    page.get_by_role("heading", name="Losser en Nederland door de tijd").first.wait_for(timeout=TIMEOUT)

    page.reload()
    _ready(page)
    page.get_by_role("heading", name="Losser en Nederland door de tijd").first.wait_for(timeout=TIMEOUT)
    assert page.get_by_role("combobox", name="Gemeente", exact=True).input_value() == "Losser"
    # Every figure has its source under it.
    assert page.get_by_text(re.compile(r"^(Voorbeelddata .*· )?Bron: ")).count() >= 2
    page.screenshot(path=str(SCREENSHOTS / f"{path}.png"), full_page=True)


def test_the_map_is_drawn_when_its_expander_is_opened_and_figures_when_asked(app_url, page):
    """Only what is open is drawn: per indicator the ranked bars, the map once its expander
    'De 14 gemeenten op een kaart' is opened (the bars stay); a chart's figures once its
    'Cijfers bij deze grafiek' is opened, by keyboard, with the focus kept on it."""
    from ui.indicator_sections import MAP_LABEL

    page.goto(f"{app_url}/preventie-en-gezondheid")
    _ready(page)
    drawn = "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].filter(c => c.checkVisibility())"
    page.wait_for_function(f"() => ({drawn})().length >= 3 && ({drawn})().every(c => c.querySelector('svg'))",
                           timeout=TIMEOUT)
    # a map has the boundaries' source under it
    maps = page.get_by_text(re.compile(r"^Bron: .*gemeentegrenzen"))
    charts = page.locator("[data-testid=stVegaLiteChart]")
    drawn = len(page.get_by_role("heading", name="Twente en Nederland door de tijd").all())  # one per indicator
    page.wait_for_function("n => document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= n",
                           arg=2 * drawn, timeout=TIMEOUT)  # the trend and the ranked bars of each
    before = charts.count()
    assert maps.count() == 0 and page.locator("[data-testid=stTable]").count() <= 2  # the KPI tables at most
    opener = page.locator("summary", has_text=MAP_LABEL).first
    opener.click()
    maps.first.wait_for(timeout=TIMEOUT)
    assert maps.count() == 1  # this indicator's, not every indicator's
    assert opener.evaluate("s => s.closest('details').open")
    box = page.locator("[data-testid=stExpander]").filter(has=opener).first
    box.locator("[data-testid=stVegaLiteChart] svg").first.wait_for(timeout=TIMEOUT)
    assert box.locator("[data-testid=stVegaLiteChart]").count() == 1
    page.wait_for_function("n => document.querySelectorAll('[data-testid=stVegaLiteChart]').length === n",
                           arg=before + 1, timeout=TIMEOUT)  # the bars stay, the map joins them

    before = page.locator("[data-testid=stTable]").count()
    summary = page.locator("summary", has_text="Cijfers bij deze grafiek").first
    summary.focus()
    page.keyboard.press("Enter")
    box = page.locator("[data-testid=stExpander]").filter(has=summary).first
    box.locator("[data-testid=stTable] table").first.wait_for(timeout=TIMEOUT)
    assert page.locator("[data-testid=stTable]").count() > before
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
