"""Streamlit pieces of the Presentatie page: the deck cache, one slide on screen, the print view
and the downloads. The slides themselves are built in ``monitor.presentation`` (pure)."""

from __future__ import annotations

import copy
import re
import threading
from collections import OrderedDict
from datetime import date
from functools import partial

import altair as alt
import streamlit as st

from monitor import db, store, ui
from monitor.export.slide_charts import render_charts, slide_image
from monitor.export.slides_pdf import deck_pdf
from monitor.export.slides_pptx import deck_pptx
from monitor.presentation import Deck, Slide, build_deck, file_name
from monitor.text import SAMPLE_MARK

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+|$~])")
_CACHE_SIZE = 12
_SPEC_CACHE_SIZE = 64  # converted slide charts: small, one per slide

# CSS of the page: the sidebar hidden, the slide large; in print one slide per landscape page.
PAGE_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarNav"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 3.8rem; padding-bottom: 1rem; max-width: 1500px; }
.st-key-dia-weergave { min-height: 68vh; }
.st-key-dia-weergave h1, [class*="st-key-afdruk-dia-"] h1 { color: #1F3A5F; font-size: 2.3rem; padding-top: 0.2rem; }
.st-key-dia-weergave [class*="st-key-lead-"] p { font-size: 1.3rem; }
.st-key-dia-weergave [class*="st-key-tekst-"] li, .st-key-dia-weergave [class*="st-key-tekst-"] p { font-size: 1.15rem; }
.st-key-verborgen-toetsen { display: none !important; }
@media print {
  @page { size: landscape; margin: 10mm; }
  header, [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], .st-key-bediening, .st-key-navigatie, .st-key-downloads,
  .st-key-verborgen-toetsen { display: none !important; }
  html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"], section.main {
    overflow: visible !important; height: auto !important; min-height: 0 !important; position: static !important;
  }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: none !important; }
  [class*="st-key-afdruk-dia-"] { break-inside: avoid; page-break-inside: avoid; break-after: page;
                                  page-break-after: always; border: none !important; padding: 0 !important; }
  [class*="st-key-afdruk-dia-"][class*="-laatste"] { break-after: auto !important; page-break-after: auto !important; }
  /* nothing after the last slide (downloads, the app footer) may add a page */
  [class*="st-key-afdruk-dia-"][class*="-laatste"] ~ *,
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-afdruk-dia-"][class*="-laatste"]) ~ * {
    display: none !important; }
  [class*="st-key-afdruk-dia-"] img { max-height: 82mm; width: auto !important; max-width: 100%;
                                      object-fit: contain; }
  [class*="st-key-afdruk-dia-"], [class*="st-key-afdruk-dia-"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
  [class*="st-key-afdruk-dia-"] h1 { font-size: 22pt; }
  .st-key-afdruk-uitleg { display: none !important; }
}
</style>
"""


def md(text: str) -> str:
    """Text shown as Markdown without being read as Markdown (names, figures, '$', '*', …)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def page_style() -> None:
    st.html(PAGE_CSS)


# --- Decks and files, cached per (themalijn, peildatum, dataset fingerprint) -------------------

_lock = threading.Lock()
_decks: OrderedDict = OrderedDict()
_files: OrderedDict = OrderedDict()
_specs: OrderedDict = OrderedDict()


def _key(themalijn: str | None, peildatum: date) -> tuple:
    directory = store.dataset_dir(None).resolve()
    return (themalijn, peildatum, str(directory), db.fingerprint(directory))


def _remember(cache: OrderedDict, key, make, size: int = _CACHE_SIZE):
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = make()
    with _lock:
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)
    return value


def deck(themalijn: str | None, peildatum: date) -> Deck:
    """The deck, built once per themalijn, peildatum and state of the datasets (treat as read-only)."""
    return _remember(_decks, _key(themalijn, peildatum), lambda: build_deck(themalijn, peildatum))


def _images(themalijn: str | None, peildatum: date) -> list[bytes | None]:
    key = ("png", *_key(themalijn, peildatum))
    return _remember(_files, key, lambda: render_charts(deck(themalijn, peildatum)))


def pptx_file(themalijn: str | None, peildatum: date) -> bytes:
    key = ("pptx", *_key(themalijn, peildatum))
    return _remember(_files, key, lambda: deck_pptx(deck(themalijn, peildatum), _images(themalijn, peildatum)))


def pdf_file(themalijn: str | None, peildatum: date) -> bytes:
    key = ("pdf", *_key(themalijn, peildatum))
    return _remember(_files, key, lambda: deck_pdf(deck(themalijn, peildatum), _images(themalijn, peildatum)))


def chart_images(themalijn: str | None, peildatum: date) -> list[bytes | None]:
    """The slides' charts as PNG (the same images as in the PowerPoint and the PDF)."""
    return _images(themalijn, peildatum)


def print_images(themalijn: str | None, peildatum: date) -> list[bytes | None]:
    """``chart_images`` as the print view shows them (``ui.image_for_screen``: scaled once, not
    on every run)."""
    key = ("print", *_key(themalijn, peildatum))
    return _remember(_files, key, lambda: [None if image is None else ui.image_for_screen(image)
                                           for image in _images(themalijn, peildatum)])


def fixed_size(slide: Slide) -> bool:
    """Whether the slide's chart cannot follow the width of its column (the faceted phase grid)."""
    return slide.chart is not None and getattr(slide.chart, "width", alt.Undefined) != "container"


def chart_spec(themalijn: str | None, peildatum: date, index: int) -> dict | None:
    """The Vega-Lite spec of a slide's chart as ``st.altair_chart`` draws it, converted once per
    deck (a copy: drawing consumes it); None for a slide without a chart."""
    slide = deck(themalijn, peildatum).slides[index]
    if slide.chart is None:
        return None
    key = (index, *_key(themalijn, peildatum))
    return copy.deepcopy(_remember(_specs, key, lambda: ui.vega_lite_spec(slide.chart), _SPEC_CACHE_SIZE))


def screen_image(themalijn: str | None, peildatum: date, index: int) -> bytes | None:
    """For a chart of fixed size, its image (it scales with the column instead of overflowing)."""
    slide = deck(themalijn, peildatum).slides[index]
    if not fixed_size(slide):
        return None
    key = ("screen", index, *_key(themalijn, peildatum))
    return _remember(_files, key, lambda: ui.image_for_screen(slide_image(slide)))


# --- Showing a slide ------------------------------------------------------------------------

def show_slide(slide: Slide, footer: str, key: str, image: bytes | None = None, spec: dict | None = None) -> None:
    """One slide: title, voorbeelddata mark, lead, key figures, text beside the chart, sources.

    ``image``: show this PNG instead of the live chart (the print view: sized for paper; a chart of
    fixed size: scaled to its column). ``spec``: the live chart already converted (``chart_spec``),
    so a rerun does not convert it again.
    """
    with st.container(key=key, border=True):
        if slide.is_sample:
            st.badge(SAMPLE_MARK, icon=":material/warning:", color="orange")
        st.title(md(slide.title), anchor=False)
        if slide.lead:
            with st.container(key=f"lead-{key}"):
                st.markdown(md(slide.lead))
        if slide.figures:
            for column, figure in zip(st.columns(len(slide.figures)), slide.figures):
                column.metric(md(figure.label), figure.value, border=True)
                column.caption(md(figure.note))
        has_chart = slide.chart is not None
        if has_chart and slide.bullets:
            text, chart = st.columns([2, 3], gap="large")
        else:
            text = chart = st.container()
        if slide.bullets:
            with text, st.container(key=f"tekst-{key}"):
                if slide.kind == "titel":
                    st.markdown("  \n".join(md(b) for b in slide.bullets))
                else:
                    st.markdown("\n".join(f"- {md(b)}" for b in slide.bullets))
        if has_chart:
            with chart:
                if image is not None:
                    st.image(image, width="stretch", alt=slide.chart_text or slide.title)
                elif spec is not None:
                    ui.show_spec(spec)
                else:
                    st.altair_chart(slide.chart, width="stretch")
        st.caption("  \n".join(md(line) for line in [*slide.sources, footer]))


def downloads(themalijn: str | None, peildatum: date, label: str) -> None:
    """PowerPoint and PDF of the chosen themalijn and of the whole programme, one click each
    (built on the click, then kept for the same data)."""
    with st.container(key="downloads"):
        st.markdown("**Downloaden**")
        choices = [(themalijn, label)] if themalijn is not None else []
        choices.append((None, "hele programma"))
        for chosen, name in choices:
            tag = chosen or "programma"
            cols = st.columns([1, 1, 3])
            cols[0].download_button(
                f"PowerPoint · {name}", partial(pptx_file, chosen, peildatum),
                file_name=file_name(chosen, peildatum, "pptx"), mime=PPTX_MIME, key=f"pptx-{tag}", on_click="ignore",
                icon=":material/slideshow:",
                help="16:9, titels en duiding als bewerkbare tekst, grafieken als scherpe afbeeldingen, "
                     "bron en peildatum op elke dia.")
            cols[1].download_button(
                f"PDF · {name}", partial(pdf_file, chosen, peildatum), file_name=file_name(chosen, peildatum, "pdf"),
                mime="application/pdf", key=f"pdf-{tag}", on_click="ignore", icon=":material/picture_as_pdf:",
                help="Eén pagina per dia (16:9), met echte tekst.")
