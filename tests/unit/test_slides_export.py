"""The BO deck as PowerPoint (opened with python-pptx) and as PDF (read with pypdf), built from
the fixture store (tests/fixture_store.py) at its peildatum."""

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
from monitor.export.slides_pdf import deck_pdf, fitted_texts
from monitor.export.slides_pptx import FOOTER_NAME, SAMPLE_BADGE_NAME, deck_pptx
from monitor.views.presentatie import APP_TITLE, Deck, KeyFigure, Slide, build_deck
from tests import fixture_store as fx

PEILDATUM = fx.PEILDATUM
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def deck(fixture_store):
    return build_deck("bestaanszekerheid", PEILDATUM, fixture_store)


@pytest.fixture(scope="module")
def programme(fixture_store):
    return build_deck(None, PEILDATUM, fixture_store)


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


def _structure(pdf) -> list[tuple[str, int | None, object]]:
    """The structure tree in reading order: (type, page index or None, /Alt)."""
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(pdf.pages)}
    out = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if "/S" in node:
            page = node.get("/Pg")
            out.append((str(node["/S"]), pages.get(page.idnum) if page is not None else None, node.get("/Alt")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
            walk(kid)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    return out


def test_pdf_is_tagged_pdf_ua(pdf, deck):
    catalog = pdf.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean)
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()
    tree = _structure(pdf)
    assert [kind for kind, _page, _alt in tree].count("/Sect") == len(deck.slides)
    headings = [(kind, page) for kind, page, _alt in tree if kind in ("/H1", "/H2")]
    # the title slide's title is the one H1, every other slide's title an H2 on its own page
    assert headings == [("/H1", 0)] + [("/H2", index) for index in range(1, len(deck.slides))]
    figures = [(page, alt) for kind, page, alt in tree if kind == "/Figure"]
    assert figures == [(index, slide.chart_text) for index, slide in enumerate(deck.slides)
                       if slide.chart is not None]
    assert all(alt for _page, alt in figures)
    bullets = sum(len(slide.bullets) for slide in deck.slides if slide.kind != "titel")
    assert [kind for kind, _page, _alt in tree].count("/LI") == bullets


def test_pdf_content_is_all_tagged_and_its_fonts_embedded(pdf):
    """PDF/UA: every text and image drawn is marked content of the structure tree (an MCID) or
    an artifact; every font is embedded."""
    from pypdf.generic import ContentStream

    drawn = {b"Tj", b"TJ", b"'", b'"', b"Do"}
    for index, page in enumerate(pdf.pages):
        stack: list[bool] = []  # per open marked-content sequence: tagged or artifact
        counted = 0
        for operands, operator in ContentStream(page.get_contents(), pdf).operations:
            if operator in (b"BDC", b"BMC"):
                tag = operands[0]
                properties = operands[1] if operator == b"BDC" else {}
                stack.append(tag == "/Artifact" or (hasattr(properties, "get") and "/MCID" in properties))
            elif operator == b"EMC":
                stack.pop()
            elif operator in drawn:
                assert any(stack), (index, operator, operands)
                counted += 1
        assert counted > 0 and not stack
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font


def test_pdf_sets_text_smaller_until_it_fits_and_marks_voorbeelddata():
    long = "Een lange zin over de voortgang van de projecten in de gemeenten van Twente. "
    slides = [
        Slide("titel", "Een titeldia", lead="Met een ondertitel", bullets=["Eerste onderdeel", "Tweede"],
              sources=["Bron: test"]),
        Slide("tekst", "Een titel die zo lang is dat hij op de dia niet op één regel past, ook niet als hij "
              "al wat kleiner gezet is", bullets=[long * 6] * 8, sources=["Bron: test · peildatum 1 juni 2026"],
              is_sample=True, figures=[KeyFigure("Label", "12,5%", "toelichting")]),
    ]
    deck = Deck("Testdeck", None, PEILDATUM, slides)
    texts = {text.key: text for text in fitted_texts(deck, [None, None])}
    for text in texts.values():
        assert text.height <= text.box.height + 1e-3 or text.size == text.smallest, text
    body = texts["s1-body"]
    assert body.size < layout(slides[1]).bullet_size and body.height > 0.5 * body.box.height
    pdf = PdfReader(io.BytesIO(deck_pdf(deck, [None, None])))
    assert len(pdf.pages) == 2
    text = _flat(pdf.pages[1].extract_text())
    assert "Voorbeelddata" in text and "12,5%" in text and _flat(long * 6) in text
    # the title slide's title is centred in its box, below the box's top
    title = texts["s0-title"]
    assert title.middle and title.height < title.box.height


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


def test_pdf_without_pango_gives_a_dutch_error(monkeypatch, deck):
    import sys

    from monitor.export import slides_pdf

    class NoPango:  # what importing WeasyPrint does when cffi cannot load Pango
        def __getattr__(self, name):
            raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setitem(sys.modules, "weasyprint", NoPango())
    with pytest.raises(slides_pdf.PdfUnavailableError, match="Pango ontbreekt.*PowerPoint"):
        deck_pdf(deck, [None] * len(deck.slides))


def test_pdf_unavailable_reason_looks_for_pango(monkeypatch):
    import ctypes.util

    from monitor.export import slides_pdf

    slides_pdf.unavailable_reason.cache_clear()
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "pangoft2-1.0" else f"lib{name}.so")
    assert slides_pdf.unavailable_reason() == slides_pdf.NO_PANGO
    slides_pdf.unavailable_reason.cache_clear()
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: f"lib{name}.so")
    assert slides_pdf.unavailable_reason() is None
    slides_pdf.unavailable_reason.cache_clear()


def test_bo_files_show_the_measurement_and_the_quote_as_a_quote(fixture_store):
    """Preventie's key figure in PPTX and PDF: the newest measurement with its interval (50,5% of
    2022), the jaarplan's "51%" (Regiobeeld 2023) beside it as a quote, never "51,0%"."""
    deck = build_deck("preventie-en-gezondheid", PEILDATUM, fixture_store)
    images = render_charts(deck)
    slides = Presentation(io.BytesIO(deck_pptx(deck, images))).slides
    index = next(i for i, s in enumerate(deck.slides) if s.kind == "kerncijfers")
    pptx_text = _flat(_texts(slides[index]))
    pdf_text = _flat(PdfReader(io.BytesIO(deck_pdf(deck, images))).pages[index].extract_text())
    for text in (pptx_text, pdf_text):
        assert "50,5% [49,5–51,5]" in text
        assert "Jaarplan 2025: 51% (Regiobeeld 2023)" in text
        assert "51,0%" not in text
