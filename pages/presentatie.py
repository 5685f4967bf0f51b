"""Presentatie: the BO slides of a themalijn or of the whole programme, one at a time, filling
the screen, with the sidebar hidden; Vorige/Volgende by button and keyboard (arrow keys, and
PageUp/PageDown as presenter clickers send); a print view with one slide per landscape page;
PowerPoint and PDF.

The controls stay out of the way: a slim bar above the slide with the slide number and a
popover ("Instellingen") holding themalijn, peildatum, view and the downloads. Themalijn,
peildatum, slide number and view are kept in the URL (bound widgets), so a copied link opens the
same slide. The slides: ``monitor/views/presentatie.py``; showing them:
``ui/slides.py``; the files: ``monitor/export/slides_pptx.py`` and ``slides_pdf.py``.
"""

from datetime import date

import streamlit as st

from ui import slides as view
from ui import shell
from monitor.data.contract import THEMALIJNEN
from monitor.domain.text import md_literal
from monitor.views.presentatie import PROGRAMME_LABEL

view.page_style()

PROGRAMME = "programma"
CHOICES = {**THEMALIJNEN, PROGRAMME: PROGRAMME_LABEL}
VIEWS = {"dias": "Dia's", "afdrukken": "Afdrukken"}


def to_first_slide() -> None:
    st.session_state["dia"] = 1


def step(delta: int, count: int) -> None:
    st.session_state["dia"] = min(max(int(st.session_state.get("dia") or 1) + delta, 1), count)


with st.container(key="bediening", horizontal=True, vertical_alignment="center", gap="medium"):
    settings = st.popover("Instellingen", icon=":material/tune:", help="Themalijn, peildatum, weergave en downloads")
    with settings:
        choice = st.selectbox("Themalijn", list(CHOICES), key="themalijn", bind="query-params",
                              format_func=CHOICES.get, on_change=to_first_slide)
        peildatum = st.date_input("Peildatum", value=date.today(), max_value=date.today(), key="peildatum",
                                  bind="query-params", format="DD-MM-YYYY")
        weergave = st.radio("Weergave", list(VIEWS), key="weergave", bind="query-params", format_func=VIEWS.get,
                            horizontal=True)
    counter = st.empty()
    st.page_link("pages/overzicht.py", label="Terug naar het overzicht", icon=":material/arrow_back:")

themalijn = None if choice == PROGRAMME else choice
deck = view.deck(themalijn, peildatum)
count = len(deck.slides)
with settings:
    view.downloads(themalijn, peildatum, CHOICES[choice])

if weergave == "afdrukken":
    counter.caption(f"Afdrukweergave · {count} dia's · {md_literal(deck.title)}")
    with st.container(key="afdruk-uitleg"):
        st.caption("Druk af met de afdrukfunctie van de browser (Ctrl+P): elke dia komt op een eigen liggende "
                   f"pagina. {count} dia's.")
    images = view.print_images(themalijn, peildatum)
    for index, (slide, image) in enumerate(zip(deck.slides, images)):
        key = f"afdruk-dia-{index + 1}" + ("-laatste" if index == count - 1 else "")
        view.show_slide(slide, deck.footer(index), key=key, image=image)
else:
    if (st.session_state.get("dia") or 1) > count:
        st.session_state["dia"] = count
    stage = st.container()
    with st.container(key="navigatie"):
        left, middle, right = st.columns([1, 4, 1], vertical_alignment="center")
        left.button("Vorige", key="vorige", icon=":material/arrow_back:", shortcut="Left", on_click=step,
                    args=(-1, count), width="stretch", help="Vorige dia (pijltje links of Page Up)")
        right.button("Volgende", key="volgende", icon=":material/arrow_forward:", icon_position="right",
                     shortcut="Right", on_click=step, args=(1, count), width="stretch",
                     help="Volgende dia (pijltje rechts of Page Down)")
        with middle:
            number = st.pagination(count, key="dia", bind="query-params", max_visible_pages=None, width="stretch")
    with st.container(key="verborgen-toetsen"):
        # Presenter clickers send PageUp/PageDown: the same steps, on buttons the CSS hides.
        st.button("Vorige dia (Page Up)", key="vorige-pagina", shortcut="PageUp", on_click=step, args=(-1, count))
        st.button("Volgende dia (Page Down)", key="volgende-pagina", shortcut="PageDown", on_click=step,
                  args=(1, count))
    index = min(max(int(number or 1), 1), count) - 1
    counter.caption(f"Dia {index + 1} van {count} · {md_literal(deck.title)}")
    with stage:
        view.show_slide(deck.slides[index], deck.footer(index), key="dia-weergave",
                        image=view.screen_image(themalijn, peildatum, index))
