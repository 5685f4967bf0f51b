"""Where things go on a 16:9 slide: one layout for the PowerPoint and the PDF export.

Pure functions. Positions are in inches on a 13,333 × 7,5 inch page (PowerPoint's 16:9),
origin top left. Text sizes are chosen so that the text fits its box, by an estimate of the
line count (average character width of a sans-serif face ≈ 0,5 em; a little generous so
the estimate errs on the side of fitting).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from monitor.views.presentatie import Slide

SLIDE_WIDTH = 13.333
SLIDE_HEIGHT = 7.5
MARGIN = 0.6
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
FOOTER_TOP = 6.72
BODY_BOTTOM = 6.6
TEXT_COLUMN = 4.7  # width of the text beside a chart
TILE_WIDTH = 3.6  # at most, for a key figure
GAP = 0.3
CHAR_WIDTH_EM = 0.52
BOLD_WIDTH_EM = 0.62
LINE_HEIGHT = 1.2
PARAGRAPH_SPACE = 0.35  # extra space after a paragraph, in lines

COLORS = {
    "title": "1F3A5F",
    "text": "222222",
    "muted": "555555",
    "accent": "0072B2",
    "tile": "EEF4FA",
    "sample_fill": "FFF1CC",
    "sample_line": "B26B00",
}


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


def text_height(paragraphs: list[str], width: float, size: float, em: float = CHAR_WIDTH_EM) -> float:
    """Estimated height (inches) of paragraphs at ``size`` points in a box ``width`` inches wide
    (``em``: average character width; bold type is wider)."""
    per_line = max(1, int(width * 72 / (size * em)))
    lines = sum(max(1, math.ceil(len(p) / per_line)) for p in paragraphs)
    extra = PARAGRAPH_SPACE * max(0, len(paragraphs) - 1)
    return (lines + extra) * size * LINE_HEIGHT / 72


def fit_size(paragraphs: list[str], box: Box, largest: float, smallest: float = 10,
             em: float = CHAR_WIDTH_EM) -> float:
    """The largest size (whole points, ``largest`` down to ``smallest``) at which the text fits."""
    size = largest
    while size > smallest and text_height(paragraphs, box.width, size, em) > box.height:
        size -= 1
    return size


@dataclass(frozen=True)
class SlideLayout:
    title: Box
    title_size: float
    badge: Box | None
    lead: Box | None
    lead_size: float
    figures: list[Box]
    bullets: Box | None
    bullet_size: float
    chart: Box | None
    footer: Box


def layout(slide: Slide) -> SlideLayout:
    """The boxes of a slide. Title slides centre their title; others stack title, lead, key
    figures and then text beside the chart (or text or chart across the full width)."""
    footer = Box(MARGIN, FOOTER_TOP, CONTENT_WIDTH, SLIDE_HEIGHT - FOOTER_TOP - 0.12)
    badge = Box(SLIDE_WIDTH - MARGIN - 1.9, 0.42, 1.9, 0.42) if slide.is_sample else None
    title_width = CONTENT_WIDTH - (2.1 if badge else 0)

    if slide.kind == "titel":
        title = Box(MARGIN, 1.5, CONTENT_WIDTH, 1.2)
        lead = Box(MARGIN, 2.75, CONTENT_WIDTH, 0.6) if slide.lead else None
        bullets = Box(MARGIN, 3.7, CONTENT_WIDTH, BODY_BOTTOM - 3.7) if slide.bullets else None
        return SlideLayout(title, 44, badge, lead, 22, [], bullets,
                           fit_size(slide.bullets, bullets, 20, 11) if bullets else 0, None, footer)

    title = Box(MARGIN, 0.35, title_width, 0.85)
    title_size = fit_size([slide.title], title, 30, 24, BOLD_WIDTH_EM)
    needed = text_height([slide.title], title_width, title_size, BOLD_WIDTH_EM)
    if needed > title.height:  # two lines
        title = Box(MARGIN, 0.35, title_width, min(needed + 0.1, 1.35))
    top = title.bottom + 0.1
    lead = None
    lead_size = 0.0
    if slide.lead:
        lead_size = 18
        while lead_size > 13 and text_height([slide.lead], CONTENT_WIDTH, lead_size) > 1.7:
            lead_size -= 1
        lead = Box(MARGIN, top, CONTENT_WIDTH, min(1.8, text_height([slide.lead], CONTENT_WIDTH, lead_size) + 0.1))
        top = lead.bottom + 0.15

    figures: list[Box] = []
    if slide.figures:
        n = len(slide.figures)
        width = min(TILE_WIDTH, (CONTENT_WIDTH - GAP * (n - 1)) / n)
        figures = [Box(MARGIN + i * (width + GAP), top, width, 1.35) for i in range(n)]
        top += 1.35 + 0.25

    body_height = BODY_BOTTOM - top
    chart = bullets = None
    if slide.chart is not None and slide.bullets:
        bullets = Box(MARGIN, top, TEXT_COLUMN, body_height)
        chart = Box(MARGIN + TEXT_COLUMN + GAP, top, CONTENT_WIDTH - TEXT_COLUMN - GAP, body_height)
    elif slide.chart is not None:
        chart = Box(MARGIN, top, CONTENT_WIDTH, body_height)
    elif slide.bullets:
        bullets = Box(MARGIN, top, CONTENT_WIDTH, body_height)
    body = ([slide.heading] if slide.heading else []) + slide.bullets
    bullet_size = fit_size(body, bullets, 18, 10) if bullets else 0
    return SlideLayout(title, title_size, badge, lead, lead_size, figures, bullets, bullet_size, chart, footer)


def fit_image(box: Box, pixel_width: int, pixel_height: int) -> Box:
    """The image's box inside ``box``: as large as fits, aspect ratio kept, centred at the top."""
    scale = min(box.width / pixel_width, box.height / pixel_height)
    width, height = pixel_width * scale, pixel_height * scale
    return Box(box.left + (box.width - width) / 2, box.top, width, height)


def footer_lines(slide: Slide, deck_line: str) -> list[str]:
    """The footer: the slide's sources (with peildatum and voorbeelddata mark), then the deck line."""
    return [" | ".join(slide.sources), deck_line]
