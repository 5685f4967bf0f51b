"""A deck as a tagged PDF (WeasyPrint, PDF/UA-1): one 16:9 page per slide, real text, charts
as images with their duiding sentence as alternative text.

The same boxes as the PowerPoint (``slide_layout``), set as HTML and laid out by WeasyPrint,
which writes the structure a screen reader needs: a section per slide with its title as a
heading (H1 for the title slide, H2 for the others, also the PDF's bookmarks), paragraphs,
lists with list items, a Figure with /Alt per chart, the language (nl-NL) and the title in
the window. Text that would not fit its box is set smaller until it does — measured in
WeasyPrint's own layout (the height of the box as laid out), not estimated.
Every page has the footer with sources and peildatum, and the voorbeelddata mark where it
applies.

WeasyPrint lays text out with Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0); it is
imported when a PDF is made, so the rest of the monitor runs without it.
"""

from __future__ import annotations

import functools
import io
import math
from base64 import b64encode
from dataclasses import dataclass, field
from html import escape

from monitor.export.slide_charts import render_charts
from monitor.export.slide_layout import COLORS, SLIDE_HEIGHT, SLIDE_WIDTH, Box, fit_image, footer_lines, layout
from monitor.views.presentatie import APP_TITLE, Deck, Slide
from monitor.domain.text import SAMPLE_MARK, format_date

CSS_PX = 96  # WeasyPrint's positions are CSS pixels, 96 to the inch
MAX_PASSES = 8
PARAGRAPH_SPACE = 0.35  # space after a paragraph, in em (as the PowerPoint)

MEASURING_HEIGHT = 60  # inches: a page on which any text that overflows its box is still measured



def _css(height: float) -> str:
    """The slides' style on pages ``height`` inches high."""
    return f"""
@page {{ size: {SLIDE_WIDTH}in {height}in; margin: 0; }}
html {{ font-family: "DejaVu Sans", sans-serif; color: #{COLORS['text']}; }}
body {{ margin: 0; }}
section {{ position: relative; width: {SLIDE_WIDTH}in; height: {height}in; overflow: hidden;
          page-break-after: always; }}
section:last-child {{ page-break-after: auto; }}
.box {{ position: absolute; margin: 0; padding: 0; line-height: 1.2; }}
.box p, .box ul, .box h1, .box h2 {{ margin: 0; font-size: inherit; }}
.box p + p, .box p + ul, .box li + li {{ margin-top: {PARAGRAPH_SPACE}em; }}
.box ul {{ padding-left: 1em; list-style: disc outside; }}
h1, h2, .strong {{ font-weight: bold; }}
.title {{ color: #{COLORS['title']}; }}
.muted {{ color: #{COLORS['muted']}; }}
.accent {{ color: #{COLORS['accent']}; }}
.center {{ text-align: center; }}
.fill {{ position: absolute; background: #{COLORS['tile']}; border-radius: 0; }}
.badge {{ position: absolute; box-sizing: border-box; background: #{COLORS['sample_fill']};
          border: 1pt solid #{COLORS['sample_line']}; border-radius: 6pt; }}
.badge-text {{ color: #{COLORS['sample_line']}; font-weight: bold; }}
img {{ position: absolute; }}
"""


@dataclass
class _TextBox:
    """A box of text on a slide: where it goes, its size now and how far it may shrink."""

    key: str
    box: Box
    size: float
    smallest: float = 7
    middle: bool = False  # centred vertically (the title slide's title, the badge)
    classes: str = ""
    tag: str = "div"
    body: str = ""  # the inner HTML, without the size
    height: float = 0.0  # measured, inches


@dataclass
class _SlideBoxes:
    texts: list[_TextBox] = field(default_factory=list)
    fills: list[str] = field(default_factory=list)  # tiles and the badge's frame: decoration, drawn first
    pictures: list[str] = field(default_factory=list)  # the chart, read after the body text


def _p(text: str, classes: str = "") -> str:
    return f'<p class="{classes}">{escape(text)}</p>' if classes else f"<p>{escape(text)}</p>"


def _style(box: Box) -> str:
    return f"left:{box.left:.4f}in;top:{box.top:.4f}in;width:{box.width:.4f}in"


def _rect(box: Box) -> str:
    return f"{_style(box)};height:{box.height:.4f}in"


def _image_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size


def _slide_boxes(index: int, slide: Slide, image: bytes | None, deck: Deck) -> _SlideBoxes:
    spec = layout(slide)
    title_slide = slide.kind == "titel"
    align = " center" if title_slide else ""
    out = _SlideBoxes()
    heading = "h1" if title_slide else "h2"
    out.texts.append(_TextBox(f"s{index}-title", spec.title, spec.title_size, smallest=7, middle=title_slide,
                              classes=f"title{align}", tag=heading, body=escape(slide.title)))
    if spec.badge:
        out.fills.append(f'<div class="badge" style="{_rect(spec.badge)}"></div>')
        out.texts.append(_TextBox(f"s{index}-badge", spec.badge, 14, middle=True, classes="badge-text center",
                                  body=_p(SAMPLE_MARK)))
    if spec.lead:
        out.texts.append(_TextBox(f"s{index}-lead", spec.lead, spec.lead_size,
                                  classes=("muted" if title_slide else "") + align, body=_p(slide.lead)))
    for number, (box, figure) in enumerate(zip(spec.figures, slide.figures)):
        out.fills.append(f'<div class="fill" style="{_rect(box)}"></div>')
        inner = Box(box.left + 0.1, box.top + 0.08, box.width - 0.2, box.height - 0.16)
        for part, (top, height, size, classes, text) in enumerate([
                (0, 0.4, 12, "muted", figure.label), (0.4, 0.5, 28, "accent strong", figure.value),
                (0.9, 0.3, 11, "", figure.note)]):
            if text:
                out.texts.append(_TextBox(f"s{index}-f{number}-{part}", Box(inner.left, inner.top + top, inner.width,
                                                                              height),
                                          size, classes=f"{classes} center", body=_p(text)))
    if spec.bullets:
        parts = [f'<p class="strong">{escape(slide.heading)}</p>'] if slide.heading else []
        if title_slide:
            parts += [_p(text) for text in slide.bullets]
        else:
            parts.append("<ul>" + "".join(f"<li>{escape(text)}</li>" for text in slide.bullets) + "</ul>")
        out.texts.append(_TextBox(f"s{index}-body", spec.bullets, spec.bullet_size, classes=align.strip(),
                                  body="".join(parts)))
    if spec.chart and image:
        placed = fit_image(spec.chart, *_image_size(image))
        source = "data:image/png;base64," + b64encode(image).decode("ascii")
        out.pictures.append(f'<img src="{source}" alt="{escape(slide.chart_text or slide.title)}" '
                         f'style="{_rect(placed)}">')
    sources, deck_line = footer_lines(slide, deck.footer(index))
    footer = spec.footer
    out.texts.append(_TextBox(f"s{index}-sources", Box(footer.left, footer.top, footer.width, footer.height - 0.2), 9,
                              classes="muted", tag="footer", body=_p(sources)))
    out.texts.append(_TextBox(f"s{index}-deck", Box(footer.left, footer.bottom - 0.2, footer.width, 0.2), 8,
                              classes="muted", tag="footer", body=_p(deck_line)))
    return out


def _text_html(text: _TextBox, final: bool) -> str:
    # A box is as high as its text, so its laid-out height shows whether the text fits; a
    # centred one moves down by half the room left, once measured (CSS flex centring would do
    # the same at several times the layout time).
    offset = max(0.0, (text.box.height - text.height) / 2) if final and text.middle else 0.0
    place = _style(Box(text.box.left, text.box.top + offset, text.box.width, text.box.height))
    return (f'<{text.tag} id="{text.key}" class="box {text.classes}" style="{place};font-size:{text.size:g}pt">'
            f"{text.body}</{text.tag}>")


def _html(deck: Deck, slides: list[_SlideBoxes], final: bool) -> str:
    """The deck as HTML; ``final``: with the charts and the centred boxes centred."""
    sections = []
    for boxes in slides:
        # Reading order: the texts in the layout's order, the chart after the body text, the
        # footer last (the fills carry no text).
        footers = [text for text in boxes.texts if text.tag == "footer"]
        texts = [text for text in boxes.texts if text.tag != "footer"]
        body = "".join(_text_html(text, final) for text in texts)
        foot = "".join(_text_html(text, final) for text in footers)
        pictures = "".join(boxes.pictures) if final else ""
        sections.append(f"<section>{''.join(boxes.fills)}{body}{pictures}{foot}</section>")
    # Measuring: pages so tall that text running past its box is laid out, not cut off.
    css = _css(SLIDE_HEIGHT if final else MEASURING_HEIGHT)
    keywords = "Twentse Koers, BO" + (", voorbeelddata" if deck.is_sample else "")
    return (f'<!doctype html><html lang="nl-NL"><head><meta charset="utf-8"><title>{escape(deck.title)}</title>'
            f'<meta name="author" content="{escape(APP_TITLE)}"><meta name="generator" content="{escape(APP_TITLE)}">'
            f'<meta name="description" content="peildatum {escape(format_date(deck.peildatum))}">'
            f'<meta name="keywords" content="{escape(keywords)}"><style>{css}</style></head>'
            f"<body>{''.join(sections)}</body></html>")


def _measure(document, slides: list[_SlideBoxes]) -> None:
    """Each text box's height (inches) in ``document``, from its laid-out box (WeasyPrint's
    anchors: the border box of each element with an id)."""
    anchors: dict[str, tuple] = {}
    for page in document.pages:
        anchors.update(page.anchors)
    for boxes in slides:
        for text in boxes.texts:
            _left, top, _right, bottom = anchors[text.key]
            text.height = (bottom - top) / CSS_PX


def _smaller(text: _TextBox) -> float:
    """A smaller size for a box that overflowed: text height goes about with the square of the
    size (more lines, each taller), never more than half a point at a time near the fit."""
    guess = text.size * math.sqrt(text.box.height / text.height)
    return max(text.smallest, min(text.size - 0.5, math.floor(guess * 2) / 2))


def _overflowing(slides: list[_SlideBoxes]) -> list[_TextBox]:
    return [text for boxes in slides for text in boxes.texts
            if text.height > text.box.height + 1e-3 and text.size > text.smallest]


NO_PANGO = ("De PDF kan op deze server niet gemaakt worden: de systeembibliotheek Pango ontbreekt "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0). De PowerPoint en de "
            "afdrukweergave werken wel.")


class PdfUnavailableError(RuntimeError):
    """WeasyPrint cannot run here: the system lacks Pango."""


def _weasyprint_html():
    try:
        from weasyprint import HTML
    except OSError as error:  # cffi could not load Pango
        raise PdfUnavailableError(NO_PANGO) from error
    return HTML


@functools.cache
def unavailable_reason() -> str | None:
    """Why no PDF can be made on this server (Dutch, for the screen), or None when it can.
    Looks for Pango's libraries rather than importing WeasyPrint (half a second, on the first
    view of the Presentatie in a process)."""
    from ctypes.util import find_library

    if all(find_library(name) for name in ("pango-1.0", "pangoft2-1.0")):
        return None
    return NO_PANGO


def _fitted(deck: Deck, images: list[bytes | None]):
    """The rendered document, with every text box at the largest size (in half points, down
    to its smallest) at which it fits, and the text boxes as set."""
    HTML = _weasyprint_html()  # noqa: N806 (WeasyPrint's class)

    slides = [_slide_boxes(index, slide, image, deck)
              for index, (slide, image) in enumerate(zip(deck.slides, images))]
    # Measured without the charts (placed absolutely, they move no text; decoding them is most
    # of a pass), then set once more with them and with the centred boxes centred.
    for passes in range(1, MAX_PASSES + 1):
        _measure(HTML(string=_html(deck, slides, final=False)).render(), slides)
        over = _overflowing(slides)
        if not over or passes == MAX_PASSES:
            break
        for text in over:
            text.size = _smaller(text)
    document = HTML(string=_html(deck, slides, final=True)).render()
    return document, [text for boxes in slides for text in boxes.texts]


def fitted_texts(deck: Deck, images: list[bytes | None] | None = None) -> list[_TextBox]:
    """The text boxes of the PDF as set: key, box, size and measured height (for tests)."""
    return _fitted(deck, render_charts(deck) if images is None else images)[1]


def deck_pdf(deck: Deck, images: list[bytes | None] | None = None) -> bytes:
    """The deck as a tagged PDF (PDF/UA-1), one 16:9 page per slide. ``images`` as for
    ``slides_pptx.deck_pptx``."""
    if images is None:
        images = render_charts(deck)
    document, _texts = _fitted(deck, images)
    # PDF/UA-1: tagged (structure tree, MarkInfo), /Lang from <html lang>, DisplayDocTitle.
    return document.write_pdf(pdf_variant="pdf/ua-1")
