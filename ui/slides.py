"""Streamlit components of the Presentatie page (``pages/presentatie.py``): the deck cache, one
slide on screen, the print view and the downloads. The slides themselves are built in
``monitor.views.presentatie`` (pure)."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from ui import shell
from monitor.export.slide_charts import render_charts
from monitor.export.slide_screen import screen_png
from monitor.export.slides_pdf import deck_pdf, unavailable_reason as pdf_unavailable_reason
from monitor.export.slides_pptx import deck_pptx
from monitor.views.presentatie import Deck, Slide, build_deck, file_name
from monitor.domain.text import SAMPLE_MARK, md_literal as md

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_CACHE_SIZE = 12

# CSS of the page. On screen a slide fills the window (16:9 at 1280×720 and 1920×1080): a slim
# bar with the controls (folded into a popover) above it, a slim bar with Vorige/Volgende below
# it, the sources at the slide's foot. Type is sized in viewport heights, so a slide scales with
# the screen as a slide in PowerPoint does: at 1080 pixels every text is at least 18 px (the
# sources 1,75vh ≈ 19 px), readable from the back of a room. The chart is an image rendered
# for the screen (``export.slide_screen``: type ≥ 20 design pixels, shown at about its design
# width). In print one slide per landscape page.
PAGE_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarNav"], [data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.4rem 1.2rem 0.3rem 1.2rem; max-width: none; }
[data-testid="stMainBlockContainer"] > div > [data-testid="stVerticalBlock"] { gap: 0.35rem; }
.st-key-bediening { min-height: 0; }
.st-key-bediening [data-testid="stCaptionContainer"] p { margin: 0; }
.st-key-dia-weergave { height: calc(100vh - 8rem) !important; flex: 0 0 auto !important; padding: 1.8vh 2.2vw 1.2vh 2.2vw !important;
                       gap: 1.1vh !important; overflow: hidden; }
.st-key-dia-weergave h1 { color: #1F3A5F; font-size: 4.6vh; line-height: 1.2; padding: 0 0 0.4vh 0; margin: 0; }
.st-key-dia-weergave [class*="st-key-lead-"] p { font-size: 2.7vh; line-height: 1.35; margin: 0; }
.st-key-dia-weergave [class*="st-key-tekst-"] p, .st-key-dia-weergave [class*="st-key-tekst-"] li {
  font-size: var(--dia-tekst, 2.4vh); line-height: 1.4; }
.st-key-dia-weergave [class*="st-key-tekst-"] li { margin-bottom: 0.5vh; }
.st-key-dia-weergave [class*="st-key-tekst-"] ul { margin-bottom: 0; }
.st-key-dia-weergave [class*="st-key-tekst-"][class*="-kolommen"] ul { columns: 2; column-gap: 3vw; }
.st-key-dia-weergave [class*="st-key-tekst-"][class*="-ruim"] { --dia-tekst: 2.7vh; }
.st-key-dia-weergave [class*="st-key-tekst-"][class*="-vol"] { --dia-tekst: 2.25vh; }
.st-key-dia-weergave [class*="st-key-tekst-"][class*="-dicht"] { --dia-tekst: 1.85vh; }
.st-key-dia-weergave [data-testid="stMetricLabel"] p { font-size: 2.1vh; white-space: normal !important; }
.st-key-dia-weergave [data-testid="stMetricLabel"], .st-key-dia-weergave [data-testid="stMetricLabel"] * {
  overflow: visible !important; text-overflow: clip !important; }
.st-key-dia-weergave [data-testid="stMetricValue"] { font-size: 4.4vh; }
.st-key-dia-weergave [data-testid="stCaptionContainer"] p,
.st-key-dia-weergave [data-testid="stCaptionContainer"] { font-size: 1.75vh; line-height: 1.35; }
.st-key-dia-weergave .stMarkdownBadge, .st-key-dia-weergave .stMarkdownBadge * { font-size: 1.9vh !important; }
.st-key-dia-weergave img { width: auto !important; max-width: 100%; max-height: 60vh; object-fit: contain; }
.st-key-dia-weergave [class*="st-key-grafiek-"][class*="-laag"] img { max-height: 41vh; }
@media (max-height: 800px) {  /* a projector of 1280×720: the same slide, a little less chart under the figures */
  .st-key-dia-weergave [class*="st-key-grafiek-"][class*="-laag"] img { max-height: 30vh; }
}
/* the sources at the foot of the slide */
.st-key-dia-weergave > div:has(> [class*="st-key-bronnen-"]), .st-key-dia-weergave > [class*="st-key-bronnen-"] {
  margin-top: auto; }
/* Streamlit pulls a paragraph's last 1rem up (margin-bottom: -1rem); with no margin under the
   paragraph that would cut the lead's last line */
.st-key-dia-weergave [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
.st-key-dia-weergave [data-testid="stMarkdownContainer"] p:last-child { margin-bottom: 0; }
.st-key-navigatie { min-height: 0; }
.st-key-verborgen-toetsen { display: none !important; }
[class*="st-key-afdruk-dia-"] h1 { color: #1F3A5F; }
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
  /* a full slide's text smaller on paper too, so it stays one page (as on screen: -vol, -dicht) */
  [class*="st-key-afdruk-dia-"] [class*="st-key-tekst-"][class*="-vol"] :is(p, li) { font-size: 11pt; line-height: 1.3; }
  [class*="st-key-afdruk-dia-"] [class*="st-key-tekst-"][class*="-dicht"] :is(p, li) { font-size: 9.5pt; line-height: 1.25; }
  [class*="st-key-afdruk-dia-"] [class*="st-key-tekst-"] li { margin-bottom: 0.1rem; }
  .st-key-afdruk-uitleg { display: none !important; }
}
</style>
"""

# How much text a slide carries decides its type size (class of the text block): short texts
# large, long lists smaller, never below 1,85vh (20 px at 1080 pixels).
_ROOMY, _FULL = 700, 1400
MANY_ITEMS = 8  # more items than this: two columns


def text_density(slide: Slide) -> str:
    """'ruim', 'vol' or 'dicht': how full the slide's text is (beside a chart it counts double)."""
    chars = len(slide.lead) + len(slide.heading) + sum(len(b) for b in slide.bullets)
    score = chars * (1.7 if slide.chart is not None else 1.0) + 60 * len(slide.bullets)
    if slide.figures:
        score += 400
    return "ruim" if score < _ROOMY else "vol" if score < _FULL else "dicht"


def page_style() -> None:
    st.html(PAGE_CSS)


# --- Decks and files: view models of the Presentatie page (``shell.view_cache``) ---------------------
# Their own bound: rendering one deck's chart images costs 1,5 s CPU (bestaanszekerheid, measured)
# and they and the files are about 1 MB a deck, so at most _CACHE_SIZE decks' files stay, not the
# 256 entries of a view model.

@shell.view_cache(max_entries=_CACHE_SIZE)
def deck(themalijn: str | None, peildatum: date) -> Deck:
    """The deck, built once per themalijn, peildatum and state of the datasets (treat as read-only)."""
    return build_deck(themalijn, peildatum)


@shell.view_cache(max_entries=4 * _CACHE_SIZE)
def _file(kind: str, themalijn: str | None, peildatum: date, index: int | None = None):
    if kind == "png":
        return render_charts(deck(themalijn, peildatum))
    if kind == "pptx":
        return deck_pptx(deck(themalijn, peildatum), _file("png", themalijn, peildatum))
    if kind == "pdf":
        return deck_pdf(deck(themalijn, peildatum), _file("png", themalijn, peildatum))
    if kind == "print":
        return [None if image is None else shell.image_for_screen(image) for image in _file("png", themalijn, peildatum)]
    if kind == "screen":
        return shell.image_for_screen(screen_png(deck(themalijn, peildatum).slides[index]))
    raise ValueError(kind)


def pptx_file(themalijn: str | None, peildatum: date) -> bytes:
    return _file("pptx", themalijn, peildatum)


def pdf_file(themalijn: str | None, peildatum: date) -> bytes:
    return _file("pdf", themalijn, peildatum)


def chart_images(themalijn: str | None, peildatum: date) -> list[bytes | None]:
    """The slides' charts as PNG (the same images as in the PowerPoint and the PDF)."""
    return _file("png", themalijn, peildatum)


def print_images(themalijn: str | None, peildatum: date) -> list[bytes | None]:
    """``chart_images`` as the print view shows them (``shell.image_for_screen``: scaled once, not
    on every run)."""
    return _file("print", themalijn, peildatum)


def screen_image(themalijn: str | None, peildatum: date, index: int) -> bytes | None:
    """A slide's chart as the screen shows it (``slide_screen.screen_png``: large type, sized to
    its place), rendered once per deck; None for a slide without a chart."""
    if deck(themalijn, peildatum).slides[index].chart is None:
        return None
    return _file("screen", themalijn, peildatum, index=index)


# --- Showing a slide ------------------------------------------------------------------------

def show_slide(slide: Slide, footer: str, key: str, image: bytes | None = None) -> None:
    """One slide: voorbeelddata mark, title, lead, key figures, text beside the chart, sources.

    ``image``: the chart as an image (the screen's, from ``screen_image``, or the print view's).
    """
    low = "-laag" if slide.figures else ""
    with st.container(key=key, border=True):
        if slide.is_sample:
            st.badge(SAMPLE_MARK, icon=":material/warning:", color="orange")
        st.title(md(slide.title), anchor=False)
        if slide.lead:
            with st.container(key=f"lead-{key}"):
                st.markdown(md(slide.lead))
        if slide.figures:
            for column, figure in zip(st.columns(len(slide.figures)), slide.figures):
                column.metric(md(figure.label), md(figure.value), border=True)
                column.caption(md(figure.note))
        has_chart = slide.chart is not None and image is not None
        has_text = bool(slide.bullets or slide.heading)
        if has_chart and has_text:
            text, chart = st.columns([2, 3], gap="large")
        else:
            text = chart = st.container()
        if has_text:
            columns = "-kolommen" if len(slide.bullets) > MANY_ITEMS and not has_chart else ""
            with text, st.container(key=f"tekst-{key}-{text_density(slide)}{columns}"):
                if slide.heading:  # a heading above its items, not a bullet among them
                    st.markdown(f"**{md(slide.heading)}**")
                if slide.kind == "titel":
                    st.markdown("  \n".join(md(b) for b in slide.bullets))
                else:
                    st.markdown("\n".join(f"- {md(b)}" for b in slide.bullets))
        if has_chart:
            with chart, st.container(key=f"grafiek-{key}{low}"):
                st.image(image, width="stretch", alt=slide.chart_text or slide.title)
        with st.container(key=f"bronnen-{key}"):
            st.caption("  \n".join(md(line) for line in [*slide.sources, footer]))


def downloads(themalijn: str | None, peildatum: date, label: str) -> None:
    """PowerPoint and PDF of the chosen themalijn and of the whole programme, one click each
    (built on the click, then kept for the same data)."""
    with st.container(key="downloads"):
        st.markdown("**Downloaden**")
        choices = [(themalijn, label)] if themalijn is not None else []
        choices.append((None, "hele programma"))
        missing = pdf_unavailable_reason()  # WeasyPrint without Pango: say so, on the buttons
        for chosen, name in choices:
            tag = chosen or "programma"
            with st.container(horizontal=True):
                st.download_button(
                    f"PowerPoint · {name}", partial(pptx_file, chosen, peildatum),
                    file_name=file_name(chosen, peildatum, "pptx"), mime=PPTX_MIME, key=f"pptx-{tag}",
                    on_click="ignore", icon=":material/slideshow:",
                    help="16:9, titels en duiding als bewerkbare tekst, grafieken als scherpe afbeeldingen, "
                         "bron en peildatum op elke dia.")
                st.download_button(
                    f"PDF · {name}", b"" if missing else partial(pdf_file, chosen, peildatum),
                    file_name=file_name(chosen, peildatum, "pdf"), mime="application/pdf", key=f"pdf-{tag}",
                    on_click="ignore", icon=":material/picture_as_pdf:", disabled=bool(missing),
                    help=missing or "Eén pagina per dia (16:9), met echte tekst; getagd (PDF/UA) voor "
                                    "schermlezers, met de duiding als tekst bij elke grafiek.")
        if missing:
            st.caption(missing)  # once, under all the buttons

