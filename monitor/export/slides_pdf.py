"""A deck as a PDF (reportlab): one 16:9 page per slide, real text, charts as images.

The same boxes as the PowerPoint (``slide_layout``); text is set as text (searchable,
copyable, read by screen readers), in DejaVu Sans where the system has it, else the Vera
face that ships with reportlab. Text that would not fit its box is set smaller until it does
(measured, not estimated). Every page has the footer with sources and peildatum, and the
voorbeelddata mark where it applies.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from monitor.export.slide_charts import render_charts
from monitor.export.slide_layout import COLORS, SLIDE_HEIGHT, SLIDE_WIDTH, Box, fit_image, footer_lines, layout
from monitor.views.presentation import APP_TITLE, Deck, Slide
from monitor.domain.text import SAMPLE_MARK, format_date

POINTS = 72
_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
_fonts: tuple[str, str] | None = None


def _register_fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered once."""
    global _fonts
    if _fonts is None:
        import reportlab

        bundled = Path(reportlab.__file__).parent / "fonts"
        pairs = [*_FONT_CANDIDATES, (str(bundled / "Vera.ttf"), str(bundled / "VeraBd.ttf"))]
        regular, bold = next((r, b) for r, b in pairs if Path(r).exists() and Path(b).exists())
        pdfmetrics.registerFont(TTFont("SlideSans", regular))
        pdfmetrics.registerFont(TTFont("SlideSans-Bold", bold))
        _fonts = ("SlideSans", "SlideSans-Bold")
    return _fonts


def _color(name: str) -> HexColor:
    return HexColor(f"#{COLORS[name]}")


class _Page:
    """Drawing on one page in the layout's inches (origin top left)."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.regular, self.bold = _register_fonts()

    def _rect(self, box: Box) -> tuple[float, float, float, float]:
        return (box.left * POINTS, (SLIDE_HEIGHT - box.bottom) * POINTS, box.width * POINTS, box.height * POINTS)

    def paragraphs(self, box: Box, texts: list[str], size: float, *, color: str = "text", bold: bool = False,
                   bullet: bool = False, align=TA_LEFT, smallest: float = 7, space: float = 0.35,
                   valign: str = "top", heading: str = "") -> None:
        """Texts as paragraphs in ``box``, at ``size`` or smaller until they fit; ``heading``: a
        bold line above them, not a bullet."""
        x, y, width, height = self._rect(box)
        while True:
            style = ParagraphStyle("p", fontName=self.bold if bold else self.regular, fontSize=size,
                                   leading=size * 1.2, textColor=_color(color), alignment=align,
                                   spaceAfter=size * space, leftIndent=size if bullet else 0,
                                   bulletIndent=0, bulletFontName=self.regular, bulletFontSize=size)
            flows = [Paragraph(escape(text), style, bulletText="•" if bullet else None) for text in texts]
            if heading:
                heading_style = ParagraphStyle("h", parent=style, fontName=self.bold, leftIndent=0)
                flows.insert(0, Paragraph(escape(heading), heading_style))
            sizes = [flow.wrap(width, height) for flow in flows]
            total = sum(h for _w, h in sizes) + style.spaceAfter * max(0, len(flows) - 1)
            if total <= height or size <= smallest:
                break
            size -= 0.5
        top = y + height if valign == "top" else y + (height + total) / 2
        for flow, (_w, h) in zip(flows, sizes):
            top -= h
            flow.drawOn(self.canvas, x, top)
            top -= style.spaceAfter

    def fill(self, box: Box, fill: str, stroke: str | None = None, radius: float = 0) -> None:
        c = self.canvas
        c.setFillColor(_color(fill))
        if stroke:
            c.setStrokeColor(_color(stroke))
        c.roundRect(*self._rect(box), radius, stroke=1 if stroke else 0, fill=1)

    def image(self, box: Box, data: bytes) -> None:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
        placed = fit_image(box, width, height)
        self.canvas.drawImage(reader, *self._rect(placed), mask="auto")


def _draw_slide(page: _Page, deck: Deck, index: int, slide: Slide, image: bytes | None) -> None:
    spec = layout(slide)
    title_slide = slide.kind == "titel"
    align = TA_CENTER if title_slide else TA_LEFT
    page.paragraphs(spec.title, [slide.title], spec.title_size, color="title", bold=True, align=align,
                    valign="middle" if title_slide else "top", space=0)
    if spec.badge:
        page.fill(spec.badge, "sample_fill", "sample_line", radius=6)
        page.paragraphs(spec.badge, [SAMPLE_MARK], 14, color="sample_line", bold=True, align=TA_CENTER,
                        valign="middle", space=0)
    if spec.lead:
        page.paragraphs(spec.lead, [slide.lead], spec.lead_size, color="muted" if title_slide else "text",
                        align=align)
    for box, figure in zip(spec.figures, slide.figures):
        page.fill(box, "tile")
        inner = Box(box.left + 0.1, box.top + 0.08, box.width - 0.2, box.height - 0.16)
        page.paragraphs(Box(inner.left, inner.top, inner.width, 0.4), [figure.label], 12, color="muted",
                        align=TA_CENTER, space=0)
        page.paragraphs(Box(inner.left, inner.top + 0.4, inner.width, 0.5), [figure.value], 28, color="accent",
                        bold=True, align=TA_CENTER, space=0)
        page.paragraphs(Box(inner.left, inner.top + 0.9, inner.width, 0.3), [figure.note], 11, align=TA_CENTER,
                        space=0)
    if spec.bullets:
        page.paragraphs(spec.bullets, slide.bullets, spec.bullet_size, bullet=not title_slide, align=align,
                        heading=slide.heading)
    if spec.chart and image:
        page.image(spec.chart, image)
    sources, deck_line = footer_lines(slide, deck.footer(index))
    footer = spec.footer
    page.paragraphs(Box(footer.left, footer.top, footer.width, footer.height - 0.2), [sources], 9, color="muted",
                    space=0)
    page.paragraphs(Box(footer.left, footer.bottom - 0.2, footer.width, 0.2), [deck_line], 8, color="muted",
                    space=0)


def deck_pdf(deck: Deck, images: list[bytes | None] | None = None) -> bytes:
    """The deck as a PDF, one 16:9 page per slide. ``images`` as for ``slides_pptx.deck_pptx``."""
    if images is None:
        images = render_charts(deck)
    out = io.BytesIO()
    # Dutch (/Lang: a screen reader reads it with a Dutch voice) and the title in the window
    # (DisplayDocTitle), as for an accessible PDF. Not tagged: reportlab writes no structure.
    canvas = Canvas(out, pagesize=(SLIDE_WIDTH * POINTS, SLIDE_HEIGHT * POINTS), pageCompression=1, lang="nl-NL")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    canvas.setTitle(deck.title)
    canvas.setAuthor(APP_TITLE)
    canvas.setCreator(APP_TITLE)
    canvas.setSubject(f"peildatum {format_date(deck.peildatum)}")
    canvas.setKeywords("Twentse Koers; BO" + ("; voorbeelddata" if deck.is_sample else ""))
    page = _Page(canvas)
    for index, (slide, image) in enumerate(zip(deck.slides, images)):
        _draw_slide(page, deck, index, slide, image)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
