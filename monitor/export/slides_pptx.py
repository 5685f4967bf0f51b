"""A deck as a PowerPoint file (python-pptx): 16:9, editable text, charts as sharp images.

Per slide: the title in the layout's real title placeholder (PowerPoint's outline and screen
readers find it), the lead, key figures and bullets as editable text boxes, the chart as a PNG
rendered on the server (``slide_charts``, scale 2) with its duiding sentence as alt text, a
footer text box with the sources and peildatum on every slide, the voorbeelddata mark where
it applies, and speaker notes where the deck has them. Positions come from ``slide_layout``,
the same layout the PDF uses.
"""

from __future__ import annotations

import io

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from monitor.export.slide_charts import render_charts
from monitor.export.slide_layout import (COLORS, SLIDE_HEIGHT, SLIDE_WIDTH, Box, fit_image, footer_lines,
                                         layout)
from monitor.views.presentatie import APP_TITLE, Deck, Slide
from monitor.domain.text import SAMPLE_MARK, format_date

TITLE_ONLY_LAYOUT = 5  # in python-pptx's default template
FONT = "Calibri"
FOOTER_NAME = "Voettekst"
SAMPLE_BADGE_NAME = "Voorbeelddata"


def _color(name: str) -> RGBColor:
    return RGBColor.from_string(COLORS[name])


def _place(shape, box: Box) -> None:
    shape.left, shape.top = Inches(box.left), Inches(box.top)
    shape.width, shape.height = Inches(box.width), Inches(box.height)


def _frame(text_frame, *, anchor=MSO_ANCHOR.TOP) -> None:
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint/LibreOffice shrink what still overflows
    text_frame.vertical_anchor = anchor
    text_frame.margin_left = text_frame.margin_right = Inches(0.05)
    text_frame.margin_top = text_frame.margin_bottom = Inches(0.03)


def _write(text_frame, paragraphs: list[str], size: float, *, color: str = "text", bold: bool = False,
           bullet: bool = False, align=None, space_after: float = 0.35) -> None:
    for i, text in enumerate(paragraphs):
        paragraph = text_frame.paragraphs[0] if i == 0 else text_frame.add_paragraph()
        paragraph.text = ("• " if bullet else "") + text
        paragraph.space_after = Pt(size * space_after)
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = FONT
            run.font.color.rgb = _color(color)


def _text_box(slide, box: Box, paragraphs: list[str], size: float, name: str, **style):
    shape = slide.shapes.add_textbox(Inches(box.left), Inches(box.top), Inches(box.width), Inches(box.height))
    shape.name = name
    _frame(shape.text_frame)
    _write(shape.text_frame, paragraphs, size, **style)
    return shape


def _figure_tile(slide, box: Box, figure, index: int) -> None:
    tile = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(box.left), Inches(box.top), Inches(box.width),
                                  Inches(box.height))
    tile.name = f"Kerncijfer {index + 1}"
    tile.fill.solid()
    tile.fill.fore_color.rgb = _color("tile")
    tile.line.fill.background()
    frame = tile.text_frame
    _frame(frame, anchor=MSO_ANCHOR.MIDDLE)
    label_size = 13 if len(figure.label) < 32 else 11
    _write(frame, [figure.label], label_size, color="muted", space_after=0.1, align=PP_ALIGN.CENTER)
    value = frame.add_paragraph()
    value.text = figure.value
    value.space_after = Pt(2)
    value.alignment = PP_ALIGN.CENTER
    for run in value.runs:
        run.font.size, run.font.bold, run.font.name = Pt(30), True, FONT
        run.font.color.rgb = _color("accent")
    note = frame.add_paragraph()
    note.text = figure.note
    note.alignment = PP_ALIGN.CENTER
    for run in note.runs:
        run.font.size, run.font.name = Pt(11), FONT
        run.font.color.rgb = _color("text")


def _sample_badge(slide, box: Box) -> None:
    badge = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(box.left), Inches(box.top),
                                   Inches(box.width), Inches(box.height))
    badge.name = SAMPLE_BADGE_NAME
    badge.fill.solid()
    badge.fill.fore_color.rgb = _color("sample_fill")
    badge.line.color.rgb = _color("sample_line")
    _frame(badge.text_frame, anchor=MSO_ANCHOR.MIDDLE)
    _write(badge.text_frame, [SAMPLE_MARK], 14, bold=True, color="sample_line", align=PP_ALIGN.CENTER)


def _add_slide(prs, deck: Deck, index: int, slide: Slide, image: bytes | None) -> None:
    spec = layout(slide)
    page = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    title = page.shapes.title
    _place(title, spec.title)
    title.text_frame.word_wrap = True
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE if slide.kind == "titel" else MSO_ANCHOR.TOP
    _write(title.text_frame, [slide.title], spec.title_size, color="title", bold=True,
           align=PP_ALIGN.CENTER if slide.kind == "titel" else PP_ALIGN.LEFT)
    centred = PP_ALIGN.CENTER if slide.kind == "titel" else None
    if spec.badge:
        _sample_badge(page, spec.badge)
    if spec.lead:
        _text_box(page, spec.lead, [slide.lead], spec.lead_size, "Inleiding", color="muted" if centred else "text",
                  align=centred)
    for i, (box, figure) in enumerate(zip(spec.figures, slide.figures)):
        _figure_tile(page, box, figure, i)
    if spec.bullets:
        bullet = slide.kind != "titel"
        if slide.heading:  # a heading of its own, then the items as bullets under it
            box = _text_box(page, spec.bullets, [slide.heading], spec.bullet_size, "Tekst", bold=True, align=centred)
            _append(box.text_frame, slide.bullets, spec.bullet_size, bullet=bullet)
        else:
            _text_box(page, spec.bullets, slide.bullets, spec.bullet_size, "Tekst", bullet=bullet, align=centred)
    if spec.chart and image:
        with Image.open(io.BytesIO(image)) as picture:
            width, height = picture.size
        box = fit_image(spec.chart, width, height)
        shape = page.shapes.add_picture(io.BytesIO(image), Inches(box.left), Inches(box.top), Inches(box.width),
                                        Inches(box.height))
        shape.name = "Grafiek"
        # The text alternative: PowerPoint reads the picture's description (cNvPr/@descr).
        shape._element.nvPicPr.cNvPr.set("descr", slide.chart_text or slide.title)
    lines = footer_lines(slide, deck.footer(index))
    footer = _text_box(page, spec.footer, lines[:1], 10, FOOTER_NAME, color="muted", space_after=0.1)
    _write_more(footer.text_frame, lines[1:], 9)
    if slide.notes:
        page.notes_slide.notes_text_frame.text = slide.notes


def _append(text_frame, paragraphs: list[str], size: float, *, bullet: bool) -> None:
    """More paragraphs in the body style after those already in ``text_frame``."""
    for text in paragraphs:
        paragraph = text_frame.add_paragraph()
        paragraph.text = ("• " if bullet else "") + text
        paragraph.space_after = Pt(size * 0.35)
        for run in paragraph.runs:
            run.font.size, run.font.name = Pt(size), FONT
            run.font.color.rgb = _color("text")


def _write_more(text_frame, paragraphs: list[str], size: float) -> None:
    for text in paragraphs:
        paragraph = text_frame.add_paragraph()
        paragraph.text = text
        for run in paragraph.runs:
            run.font.size, run.font.name = Pt(size), FONT
            run.font.color.rgb = _color("muted")


CORE_PROPERTY_LIMIT = 255  # characters: python-pptx (and Office) refuse a longer title


def _core_property(text: str) -> str:
    """A document property (the title) from names as imported: at most 255 characters, else
    shortened with '…' (a long themalijn name must not make the download fail)."""
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[:CORE_PROPERTY_LIMIT - 1] + "…"


def deck_pptx(deck: Deck, images: list[bytes | None] | None = None) -> bytes:
    """The deck as a .pptx file. ``images``: the charts as rendered by ``render_charts`` (rendered
    here when not given)."""
    if images is None:
        images = render_charts(deck)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_WIDTH), Inches(SLIDE_HEIGHT)
    for index, (slide, image) in enumerate(zip(deck.slides, images)):
        _add_slide(prs, deck, index, slide, image)
    props = prs.core_properties
    props.title = _core_property(deck.title)
    props.author = APP_TITLE
    props.last_modified_by = APP_TITLE
    props.subject = f"peildatum {format_date(deck.peildatum)}"
    props.keywords = "Twentse Koers; BO" + ("; voorbeelddata" if deck.is_sample else "")
    props.language = "nl-NL"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
