"""A user opens /bronnen in Chromium and reads the real CBS sources."""

from __future__ import annotations

import re

import pytest

from monitor.data import store
from monitor.domain.text import format_number

pytestmark = pytest.mark.browser


def test_bronnen_shows_real_cbs_source_rows(app_url, page):
    page.goto(f"{app_url}/bronnen")
    table = page.locator("[data-testid='stTable']")
    table.wait_for(timeout=30_000)
    rows = table.locator("tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    gm2020 = [t for t in texts if "85012NED" in t]
    assert gm2020, f"geen rij voor 85012NED in {texts}"
    row = gm2020[0]
    assert "Gezondheidsmonitor" in row
    assert "CC BY 4.0" in row
    assert "Echte data" in row
    # The row count is the real number of 2020 figures in the datasets.
    observations = store.read_frame("observations")
    expected = int((observations["source_id"] == "cbs-85012NED").sum())
    *_, rows_shown, completeness = row.split()
    assert rows_shown == format_number(expected), row
    assert completeness == "volledig", row  # the Volledigheid column: a complete download
    sample = [t for t in texts if "Voorbeelddata" in t]
    assert sample, "voorbeelddata moet als aparte, gemarkeerde bron zichtbaar zijn"
    # The shared shell ran (deep link on a fresh server): sidebar title and footer peildatum.
    page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=15_000)
    assert "Twentse Koers Monitor" in page.locator("[data-testid='stSidebar']").inner_text()


def test_indicator_search_filters_the_list(app_url, page):
    page.goto(f"{app_url}/bronnen")
    box = page.get_by_label("Zoek een indicator")
    box.wait_for(timeout=30_000)
    box.fill("overgewicht")
    box.press("Enter")
    page.get_by_text(re.compile(r"^\d+ van \d+ indicatoren$")).first.wait_for()
    page.wait_for_function(
        "() => /^[1-9] van \\d+ indicatoren$/.test(([...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
        ".map(e => e.innerText).find(t => /indicatoren$/.test(t)) || ''))", timeout=15_000)
