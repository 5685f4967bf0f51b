"""Presenting from the browser: every slide of the programme deck fills a 16:9
screen at 1280×720 and at 1920×1080, its sources and Vorige/Volgende visible without
scrolling, the controls folded away, and at 1080 pixels every text and every chart label at
least 18 px. Screenshots of every kind of slide at both sizes are saved under
tests/browser/screenshots/ (not committed)."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.export import slide_screen
from monitor.views.presentatie import build_deck
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
TIMEOUT = 60_000
PEILDATUM = "2026-06-01"
SIZES = [(1280, 720), (1920, 1080)]
READABLE_PX = 18  # at 1080 pixels: readable from the back of a room

# What the page measures on the slide shown: its box, whether its content overflows, the
# smallest text in it, the controls and the chart image as shown.
MEASURE = """() => {
  const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
                      return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width,
                              height: r.height}; };
  const slide = document.querySelector('.st-key-dia-weergave');
  const sizes = [];
  for (const el of slide.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && el.getClientRects().length) sizes.push([parseFloat(getComputedStyle(el).fontSize),
                                                       el.textContent.trim().slice(0, 60)]);
  }
  sizes.sort((a, b) => a[0] - b[0]);
  const img = slide.querySelector('img');
  const button = name => [...document.querySelectorAll('button')].find(b => b.innerText.trim().startsWith(name));
  return {slide: box(slide), overflow: slide.scrollHeight - slide.clientHeight,
          sources: box(slide.querySelector('[class*="st-key-bronnen-"]')), smallest: sizes[0] || null,
          vorige: box(button('Vorige')), volgende: box(button('Volgende')),
          controls: box(document.querySelector('.st-key-bediening')),
          image: img ? {width: img.clientWidth, complete: img.complete} : null};
}"""


# The run is over and nothing of the previous slide is left on screen.
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
         && !document.querySelector('[data-stale="true"]');
}"""


@pytest.fixture(scope="module")
def deck():
    return build_deck(None, date.fromisoformat(PEILDATUM))


@pytest.fixture(scope="module")
def design_widths(deck) -> dict[int, float]:
    """Per slide with a chart: the width of its screen image in design pixels (type ≥ 20 there)."""
    from PIL import Image
    import io

    widths = {}
    for index, slide in enumerate(deck.slides):
        png = slide_screen.screen_png(slide)
        if png is not None:
            widths[index] = Image.open(io.BytesIO(png)).size[0] / slide_screen.SCALE
    return widths


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_slide_fills_the_screen_and_reads_from_the_back(app_url, browser, deck, design_widths, width, height):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    page = context.new_page()
    problems: list[str] = []
    shot_kinds: set[str] = set()
    try:
        page.goto(f"{app_url}/presentatie?themalijn=Hele%20programma&peildatum={PEILDATUM}")
        page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=TIMEOUT)
        # The controls are folded away: the settings open from a slim bar.
        assert not page.get_by_role("combobox", name="Themalijn", exact=True).is_visible()
        for index, slide in enumerate(deck.slides):
            if index:
                page.keyboard.press("ArrowRight")
            page.get_by_text(f"Dia {index + 1} van {len(deck.slides)} · ", exact=False).wait_for(timeout=TIMEOUT)
            page.get_by_role("heading", name=slide.title, exact=True).first.wait_for(timeout=TIMEOUT)
            if slide.chart is not None:
                page.wait_for_function("(() => { const i = document.querySelector('.st-key-dia-weergave img');"
                                       " return i && i.complete && i.clientWidth > 0; })()", timeout=TIMEOUT)
            page.wait_for_function(SETTLED, timeout=TIMEOUT)
            page.wait_for_timeout(250)
            found = page.evaluate(MEASURE)
            where = f"dia {index + 1} ({slide.kind}, {slide.title!r})"
            box = found["slide"]
            if box["width"] < 0.95 * width or box["height"] < 0.8 * height:
                problems.append(f"{where}: vult het scherm niet ({box['width']:.0f}×{box['height']:.0f})")
            # Content cut off at the slide's foot (a few pixels are the layout's own slack).
            if box["bottom"] > height or found["overflow"] > 8:
                problems.append(f"{where}: loopt over (onderkant {box['bottom']:.0f}, {found['overflow']} px te veel)")
            if found["sources"] is None or found["sources"]["bottom"] > box["bottom"]:
                problems.append(f"{where}: de bronnen staan niet (helemaal) op de dia")
            for name in ("vorige", "volgende"):
                if found[name] is None or found[name]["bottom"] > height:
                    problems.append(f"{where}: {name} niet zichtbaar zonder scrollen")
            if found["controls"]["height"] > 60:
                problems.append(f"{where}: de bediening is {found['controls']['height']:.0f} px hoog")
            if height >= 1080:
                size, text = found["smallest"]
                if size < READABLE_PX:
                    problems.append(f"{where}: tekst van {size:.1f} px ({text!r})")
                if slide.chart is not None:
                    shown = found["image"]["width"] / design_widths[index] * slide_screen.MIN_FONT
                    if shown < READABLE_PX:
                        problems.append(f"{where}: grafieklabels ≈ {shown:.1f} px")
            if slide.kind not in shot_kinds:
                shot_kinds.add(slide.kind)
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"presentatie-{width}x{height}-{slide.kind}.png"))
    finally:
        context.close()
    assert not problems, "\n".join(problems)
