"""Screens that fit in Chromium: at 1280 and 1440 pixels the Overzicht's phase
tables show all six phases inside their cards, the project table shows Project and Status
without scrolling sideways; at 400 pixels nothing makes the page scroll sideways and the
Overzicht's cards come in the order of the navigation."""

from __future__ import annotations

import pytest

from monitor.data.contract import PHASES, THEMALIJNEN
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
TIMEOUT = 60_000

CARD_TABLES = """() => [...document.querySelectorAll('[data-testid="stTable"]')].map(table => {
  let box = table.parentElement;
  while (box && getComputedStyle(box).borderTopWidth === '0px') box = box.parentElement;
  const limit = (box || document.body).getBoundingClientRect();
  const cells = [...table.querySelectorAll('th, td')].map(c => {
    const r = c.getBoundingClientRect();
    return {text: c.textContent.trim(), right: r.right, left: r.left};
  });
  const scroller = table.querySelector('table').parentElement;
  return {cardLeft: limit.left, cardRight: limit.right, cells,
          scrolls: scroller.scrollWidth > scroller.clientWidth + 1};
})"""


def _open(browser, path: str, width: int, height: int = 900):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(path)
    page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=TIMEOUT)
    return context, page


@pytest.mark.parametrize("width", [1280, 1440, 400])
def test_overzicht_phase_tables_show_all_six_phases(app_url, browser, width):
    context, page = _open(browser, f"{app_url}/?peildatum=2026-06-01", width)
    try:
        page.wait_for_function("document.querySelectorAll('[data-testid=\"stTable\"]').length === 4 && "
                               "!document.querySelector('[data-stale=\"true\"]')", timeout=TIMEOUT)
        tables = page.evaluate(CARD_TABLES)
        assert len(tables) == 4
        for table in tables:
            texts = [c["text"] for c in table["cells"]]
            assert all(phase in texts for phase in PHASES)  # Realisatie and Borging too
            assert not table["scrolls"], "de fasetabel scrolt zijwaarts"
            for cell in table["cells"]:
                assert cell["right"] <= table["cardRight"] + 1, f"{cell['text']!r} valt buiten de kaart"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 400:
            # Stacked on a phone: the cards in the order of the navigation.
            tops = page.evaluate("""names => names.map(n => { const h = [...document.querySelectorAll('h3')]
                .find(e => e.textContent.trim() === n); return h ? h.getBoundingClientRect().top : null; })""",
                                 list(THEMALIJNEN.values()))
            assert None not in tops and tops == sorted(tops), tops
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"overzicht-{width}.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 400])
def test_projecten_status_is_in_view_and_the_page_does_not_scroll_sideways(app_url, browser, width):
    context, page = _open(browser, f"{app_url}/projecten?peildatum=2026-12-01", width)
    try:
        grid = page.get_by_test_id("stDataFrame").first
        grid.wait_for(timeout=TIMEOUT)
        page.wait_for_timeout(800)
        headers = page.evaluate("""() => [...document.querySelector('[data-testid="stDataFrame"]')
            .querySelectorAll('[role="columnheader"]')].map(h => h.textContent.trim())""")
        assert headers[:2] == ["Project", "Status"], headers  # drawn first, so never off to the right
        if width >= 1280:
            assert "Fase nu" in headers and any(h.startswith("Verwacht") for h in headers)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for label in ("CSV (Excel)", "XLSX"):
            button = page.get_by_role("button", name=label)
            assert button.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), f"'{label}' is afgekapt"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"projecten-{width}.png"))
    finally:
        context.close()
