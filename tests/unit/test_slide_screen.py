"""Slides on screen (monitor/export/slide_screen.py) and a heading above bullets in the files;
the deck is built from the fixture store (tests/fixture_store.py)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pptx import Presentation
from pypdf import PdfReader

from monitor.export import slide_screen
from monitor.export.slides_pdf import deck_pdf
from monitor.export.slides_pptx import deck_pptx
from monitor.views.presentatie import Deck, Slide, build_deck
from tests import fixture_store as fx


@pytest.fixture(scope="module")
def deck(fixture_store):
    return build_deck(None, fx.PEILDATUM, fixture_store)


def test_every_screen_chart_has_large_type_and_fills_its_box(deck):
    for slide in deck.slides:
        if slide.chart is None:
            continue
        spec = slide_screen.screen_spec(slide)
        fonts = slide_screen.font_sizes(spec)
        assert fonts and min(fonts) >= slide_screen.MIN_FONT, slide.title
        width, height = slide_screen.BOXES[slide_screen.place(slide)]
        if "facet" in spec:  # the phase heatmap: its cells grow with the slide
            cells = spec["spec"]
            assert cells["width"]["step"] * slide_screen.PHASE_COLUMNS + 300 <= width + 60
            assert cells["width"]["step"] >= 110 and cells["height"]["step"] >= 30
        else:
            assert spec["width"] == width


def test_place_follows_the_slide():
    chart = object()
    assert slide_screen.place(Slide("trend", "t", bullets=["x"], chart=chart)) == "beside"
    assert slide_screen.place(Slide("doel", "t", chart=chart)) == "full"
    assert slide_screen.place(Slide("overzicht", "t", bullets=["x"], chart=chart,
                                    figures=[object()])) == "beside-low"


def test_grow_fonts_scales_and_keeps_a_minimum():
    spec = {"config": {"axis": {"labelFontSize": 14}}, "mark": {"type": "text", "fontSize": 11},
            "encoding": {"y": {"axis": {"labelLimit": 200}}}}
    grown = slide_screen._grow_fonts(spec)
    assert grown["config"]["axis"]["labelFontSize"] == 20
    assert grown["mark"]["fontSize"] == 20
    assert grown["encoding"]["y"]["axis"]["labelLimit"] == 290


def test_a_heading_above_bullets_is_no_bullet_in_the_files():
    slide = Slide("projecten", "Projecten per fase", lead="3 projecten", heading="Achter op schema (2):",
                  bullets=["A (Definitie, hoort minstens Ontwerp)", "B (Initiatie, hoort minstens Ontwerp)"],
                  sources=["Bron: test · peildatum 1 juni 2026"])
    deck = Deck("Test", None, date(2026, 6, 1), [slide])
    pptx = Presentation(io.BytesIO(deck_pptx(deck, [None])))
    body = next(shape for shape in pptx.slides[0].shapes if shape.name == "Tekst")
    paragraphs = [p.text for p in body.text_frame.paragraphs]
    assert paragraphs == ["Achter op schema (2):", "• A (Definitie, hoort minstens Ontwerp)",
                          "• B (Initiatie, hoort minstens Ontwerp)"]
    assert all(run.font.bold for run in body.text_frame.paragraphs[0].runs)
    text = PdfReader(io.BytesIO(deck_pdf(deck, [None]))).pages[0].extract_text()
    assert "Achter op schema (2):" in text and "• Achter op schema" not in text
