"""The BO deck as PowerPoint (opened with python-pptx) and as PDF (read with pypdf)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.util import Inches
from pypdf import PdfReader

from monitor.export.slide_charts import render_charts
from monitor.export.slide_layout import (BODY_BOTTOM, FOOTER_TOP, SLIDE_HEIGHT, SLIDE_WIDTH, Box, fit_image,
                                         fit_size, layout, text_height)
from monitor.export.slides_pdf import deck_pdf
from monitor.export.slides_pptx import FOOTER_NAME, SAMPLE_BADGE_NAME, deck_pptx
from monitor.views.presentation import APP_TITLE, build_deck

PEILDATUM = date(2026, 6, 1)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def deck():
    return build_deck("bestaanszekerheid", PEILDATUM)


@pytest.fixture(scope="module")
def programme():
    return build_deck(None, PEILDATUM)


@pytest.fixture(scope="module")
def images(deck):
    return render_charts(deck)


@pytest.fixture(scope="module")
def pptx(deck, images):
    return Presentation(io.BytesIO(deck_pptx(deck, images)))


@pytest.fixture(scope="module")
def pdf(deck, images):
    return PdfReader(io.BytesIO(deck_pdf(deck, images)))


def _texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_charts_are_sharp_pngs(deck, images):
    assert len(images) == len(deck.slides)
    for slide, image in zip(deck.slides, images):
        assert (image is None) == (slide.chart is None)
        if image:
            assert image.startswith(PNG_MAGIC)
            width = int.from_bytes(image[16:20], "big")
            assert width >= 2 * 600  # rendered at scale 2


def test_pptx_is_16_9_with_one_slide_per_deck_slide(pptx, deck):
    assert (pptx.slide_width, pptx.slide_height) == (Inches(SLIDE_WIDTH), Inches(SLIDE_HEIGHT))
    assert abs(pptx.slide_width / pptx.slide_height - 16 / 9) < 0.001
    assert len(pptx.slides) == len(deck.slides)
    assert pptx.core_properties.title == deck.title
    assert pptx.core_properties.author == APP_TITLE


def test_pptx_titles_are_real_titles(pptx, deck):
    for page, slide in zip(pptx.slides, deck.slides):
        title = page.shapes.title
        assert title is not None and title.placeholder_format.type == PP_PLACEHOLDER.TITLE
        assert title.text_frame.text == slide.title


def test_pptx_texts_are_editable_text(pptx, deck):
    for page, slide in zip(pptx.slides, deck.slides):
        text = _texts(page)
        for part in slide.texts():
            assert part in text, part


def test_pptx_pictures_where_the_deck_has_charts(pptx, deck):
    for page, slide in zip(pptx.slides, deck.slides):
        pictures = [s for s in page.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == (1 if slide.chart is not None else 0), slide.title
        for picture in pictures:
            assert picture.image.content_type == "image/png"
            assert picture._element.nvPicPr.cNvPr.get("descr") == slide.chart_text
            # inside the slide, above the footer
            assert picture.left >= 0 and picture.left + picture.width <= pptx.slide_width
            assert picture.top + picture.height <= Inches(FOOTER_TOP)


def test_pptx_footer_on_every_slide(pptx, deck):
    for index, (page, slide) in enumerate(zip(pptx.slides, deck.slides)):
        footers = [s for s in page.shapes if s.name == FOOTER_NAME]
        assert len(footers) == 1
        text = footers[0].text_frame.text
        assert "Bron:" in text and "peildatum" in text
        for line in slide.sources:
            assert line in text
        assert deck.footer(index) in text
        badges = [s for s in page.shapes if s.name == SAMPLE_BADGE_NAME]
        assert len(badges) == (1 if slide.is_sample else 0)
        if slide.is_sample:
            assert "Voorbeelddata" in text


def test_pptx_speaker_notes_hold_the_full_ambition(pptx, deck):
    index = next(i for i, s in enumerate(deck.slides) if s.kind == "ambitie")
    assert pptx.slides[index].has_notes_slide
    assert deck.slides[index].notes in pptx.slides[index].notes_slide.notes_text_frame.text


def test_pdf_one_16_9_page_per_slide_with_real_text(pdf, deck):
    assert len(pdf.pages) == len(deck.slides)
    assert pdf.metadata.title == deck.title and pdf.metadata.author == APP_TITLE
    catalog = pdf.trailer["/Root"]
    assert catalog["/Lang"] == "nl-NL" and catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a PDF boolean)
    for index, (page, slide) in enumerate(zip(pdf.pages, deck.slides)):
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (960, 540)
        text = _flat(page.extract_text())
        assert _flat(slide.title) in text
        assert _flat(deck.footer(index)) in text
        assert "Bron:" in text and "peildatum" in text
        if slide.is_sample:
            assert "Voorbeelddata" in text
        images = list(page.images)
        assert len(images) == (1 if slide.chart is not None else 0)


def test_programme_files(programme):
    deck = programme
    shared = render_charts(deck)
    pptx = Presentation(io.BytesIO(deck_pptx(deck, shared)))
    pdf = PdfReader(io.BytesIO(deck_pdf(deck, shared)))
    assert len(pptx.slides) == len(pdf.pages) == len(deck.slides)
    assert [s.shapes.title.text_frame.text for s in pptx.slides] == [s.title for s in deck.slides]


def test_layout_boxes_stay_on_the_slide(deck, programme):
    for slide in [*deck.slides, *programme.slides]:
        spec = layout(slide)
        boxes = [spec.title, spec.lead, spec.bullets, spec.chart, *spec.figures]
        for box in boxes:
            if box is None:
                continue
            assert 0 <= box.left and box.right <= SLIDE_WIDTH + 1e-6
            assert 0 <= box.top and box.bottom <= BODY_BOTTOM + 1e-6, (slide.title, box)
        assert spec.footer.top >= BODY_BOTTOM and spec.footer.bottom <= SLIDE_HEIGHT
        if spec.bullets:
            assert text_height(slide.bullets, spec.bullets.width, spec.bullet_size) <= spec.bullets.height \
                or spec.bullet_size == 10


def test_fit_helpers():
    box = Box(0, 0, 4, 1)
    short, long = ["Kort."], ["Een lange zin die vele regels nodig heeft. " * 20]
    assert fit_size(short, box, 18) == 18
    assert fit_size(long, box, 18) < 18
    assert text_height(long, 4, 12) > text_height(short, 4, 12)
    placed = fit_image(Box(1, 1, 8, 4), 1600, 1000)  # wider than the box allows at full height
    assert placed.width == pytest.approx(6.4) and placed.height == pytest.approx(4)
    assert placed.left == pytest.approx(1 + (8 - 6.4) / 2)
