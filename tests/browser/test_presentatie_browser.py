"""The Presentatie page in Chromium: step through the slides with the keyboard (arrow keys and
the PageUp/PageDown a presenter clicker sends), download the PowerPoint and the PDF and open
them, and print the print view: one page per slide. Screenshots are saved for review."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pptx import Presentation
from pypdf import PdfReader

from monitor.views.presentatie import build_deck
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
TIMEOUT = 60_000
PEILDATUM = "2026-06-01"


def _ready(page):
    page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=TIMEOUT)


def _heading(page, name: str):
    page.get_by_role("heading", name=name, exact=True).first.wait_for(timeout=TIMEOUT)


def _deck(themalijn):
    return build_deck(themalijn, date.fromisoformat(PEILDATUM))


def test_keyboard_steps_through_the_slides(app_url, page):
    deck = _deck("ouderen")
    titles = [s.title for s in deck.slides]
    page.goto(f"{app_url}/presentatie?themalijn=Ouderen&peildatum={PEILDATUM}")
    _ready(page)
    _heading(page, titles[0])
    assert not page.get_by_test_id("stSidebar").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "presentatie-titel.png"))

    page.keyboard.press("ArrowRight")
    _heading(page, titles[1])
    page.wait_for_url(re.compile(r"dia=2"), timeout=TIMEOUT)
    page.keyboard.press("ArrowRight")
    _heading(page, titles[2])
    page.wait_for_url(re.compile(r"dia=3"), timeout=TIMEOUT)
    page.get_by_text(f"Dia 3 van {len(titles)} · ", exact=False).first.wait_for(timeout=TIMEOUT)
    page.get_by_text(deck.slides[2].figures[0].value, exact=True).first.wait_for(timeout=TIMEOUT)
    page.screenshot(path=str(SCREENSHOTS / "presentatie-kerncijfers.png"))
    page.keyboard.press("ArrowLeft")
    _heading(page, titles[1])
    page.wait_for_url(re.compile(r"dia=2"), timeout=TIMEOUT)

    # A presenter clicker sends PageDown/PageUp.
    page.keyboard.press("PageDown")
    _heading(page, titles[2])
    page.keyboard.press("PageDown")
    _heading(page, titles[3])
    page.wait_for_url(re.compile(r"dia=4"), timeout=TIMEOUT)
    page.get_by_role("img").first.wait_for(timeout=TIMEOUT)
    page.screenshot(path=str(SCREENSHOTS / "presentatie-trend.png"))
    page.keyboard.press("PageUp")
    _heading(page, titles[2])

    # The link holds the slide: a reload opens the same one.
    page.keyboard.press("ArrowRight")
    _heading(page, titles[3])
    page.wait_for_url(re.compile(r"dia=4"), timeout=TIMEOUT)
    page.reload()
    _ready(page)
    _heading(page, titles[3])

    # And the buttons do the same as the keys.
    page.get_by_role("button", name=re.compile(r"Volgende")).first.click()
    _heading(page, titles[4])
    page.screenshot(path=str(SCREENSHOTS / "presentatie-gemeenten.png"))


def test_download_powerpoint_and_pdf(app_url, page, tmp_path):
    page.goto(f"{app_url}/presentatie?themalijn=Bestaanszekerheid&peildatum={PEILDATUM}")
    _ready(page)
    _heading(page, "Bestaanszekerheid")

    deck = _deck("bestaanszekerheid")
    page.get_by_role("button", name="Instellingen").click()  # the downloads sit with the settings
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name=re.compile(r"PowerPoint · Bestaanszekerheid")).click()
    download = info.value
    assert download.suggested_filename == f"bo-bestaanszekerheid-{PEILDATUM}.pptx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    pptx = Presentation(str(path))
    assert len(pptx.slides) == len(deck.slides)
    assert [s.shapes.title.text_frame.text for s in pptx.slides] == [s.title for s in deck.slides]
    assert all(any("peildatum" in sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in pptx.slides)

    programme = _deck(None)
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name=re.compile(r"PDF · hele programma")).click()
    download = info.value
    assert download.suggested_filename == f"bo-twentse-koers-{PEILDATUM}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    pdf = PdfReader(str(path))
    assert len(pdf.pages) == len(programme.slides)
    assert "Twentse Koers" in pdf.pages[0].extract_text()
    assert all("peildatum" in p.extract_text() for p in pdf.pages)
    page.screenshot(path=str(SCREENSHOTS / "presentatie-downloads.png"), full_page=True)


@pytest.mark.parametrize("themalijn,label", [("preventie-en-gezondheid", "Preventie & gezondheid"),
                                             (None, "Hele programma")])
def test_print_view_gives_one_page_per_slide(app_url, page, themalijn, label):
    deck = _deck(themalijn)
    page.goto(f"{app_url}/presentatie?themalijn={label.replace('&', '%26')}&peildatum={PEILDATUM}"
              "&weergave=Afdrukken")
    _ready(page)
    slides = page.locator('[class*="st-key-afdruk-dia-"]')
    slides.nth(len(deck.slides) - 1).wait_for(timeout=TIMEOUT)
    assert slides.count() == len(deck.slides)
    page.wait_for_function(f"document.querySelectorAll('[class*=\"st-key-afdruk-dia-\"] img').length >= "
                           f"{sum(1 for s in deck.slides if s.chart is not None)}", timeout=TIMEOUT)
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=TIMEOUT)
    printed = PdfReader(io.BytesIO(page.pdf(print_background=True, prefer_css_page_size=True)))
    assert len(printed.pages) == len(deck.slides)
    for pdf_page, slide in zip(printed.pages, deck.slides):
        assert float(pdf_page.mediabox.width) > float(pdf_page.mediabox.height)  # landscape
        text = re.sub(r"\s+", " ", pdf_page.extract_text())
        assert re.sub(r"\s+", " ", slide.title) in text
        assert "peildatum" in text
    if themalijn is not None:
        page.screenshot(path=str(SCREENSHOTS / "presentatie-afdrukken.png"), full_page=True)
