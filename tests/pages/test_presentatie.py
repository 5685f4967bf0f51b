"""AppTest: the Presentatie page (slides per themalijn, next/previous, print view, downloads)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import slides as presentation_view
from monitor.data.contract import THEMALIJNEN
from tests.pages.app import open_page

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")
PEILDATUM = "2026-06-01"


def _open(query: dict | None = None) -> AppTest:
    return open_page("presentatie", query, timeout=120)


def _deck(themalijn):
    return presentation_view.deck(themalijn, date.fromisoformat(PEILDATUM))


def _slide_title(at) -> str:
    """The slide's title as written (the page escapes Markdown: 'Eenzaam (65\\+)')."""
    return at.title[0].value.replace("\\", "")


@pytest.mark.parametrize("themalijn", [*THEMALIJNEN, None])
def test_each_themalijn_and_the_programme_render(themalijn):
    label = THEMALIJNEN.get(themalijn, "Hele programma")
    at = _open({"themalijn": label, "peildatum": PEILDATUM})
    deck = _deck(themalijn)
    assert _slide_title(at) == deck.slides[0].title
    captions = [c.value for c in at.caption]
    assert f"Dia 1 van {len(deck.slides)} · {deck.title}" in captions
    assert any("Bron:" in c and "peildatum" in c for c in captions)
    labels = [b.label for b in at.get("download_button")]
    expected = ["PowerPoint · hele programma", "PDF · hele programma"]
    if themalijn is not None:
        expected = [f"PowerPoint · {label}", f"PDF · {label}", *expected]
    assert labels == expected


def test_next_and_previous_change_the_slide_in_the_url():
    at = _open({"themalijn": "Preventie & gezondheid", "peildatum": PEILDATUM})
    deck = _deck("preventie-en-gezondheid")
    at.button(key="volgende").click().run()
    assert at.query_params["dia"] == ["2"] or at.query_params["dia"] == "2"
    assert _slide_title(at) == deck.slides[1].title
    at.button(key="volgende").click().run()
    assert _slide_title(at) == deck.slides[2].title
    assert str(at.query_params["dia"]).strip("[]'") == "3"
    at.button(key="vorige").click().run()
    assert _slide_title(at) == deck.slides[1].title
    assert str(at.query_params["dia"]).strip("[]'") == "2"
    # the presenter clicker's keys have their own (hidden) buttons
    at.button(key="volgende-pagina").click().run()
    assert _slide_title(at) == deck.slides[2].title
    at.button(key="vorige-pagina").click().run()
    assert _slide_title(at) == deck.slides[1].title


def test_steps_stop_at_the_ends():
    deck = _deck("ouderen")
    last = len(deck.slides)
    at = _open({"themalijn": "Ouderen", "peildatum": PEILDATUM, "dia": str(last)})
    assert _slide_title(at) == deck.slides[-1].title
    at.button(key="volgende").click().run()
    assert _slide_title(at) == deck.slides[-1].title
    at = _open({"themalijn": "Ouderen", "peildatum": PEILDATUM})
    at.button(key="vorige").click().run()
    assert _slide_title(at) == deck.slides[0].title


def test_a_link_opens_the_same_slide():
    deck = _deck("mentale-gezondheid")
    at = _open({"themalijn": "Mentale gezondheid", "peildatum": PEILDATUM, "dia": "4"})
    assert _slide_title(at) == deck.slides[3].title


def test_choosing_another_themalijn_starts_at_its_first_slide():
    at = _open({"themalijn": "Ouderen", "peildatum": PEILDATUM, "dia": "3"})
    at.selectbox(key="themalijn").select("bestaanszekerheid").run()
    assert not at.exception
    assert _slide_title(at) == "Bestaanszekerheid"


def test_print_view_shows_every_slide():
    deck = _deck("bestaanszekerheid")
    at = _open({"themalijn": "Bestaanszekerheid", "peildatum": PEILDATUM, "weergave": "Afdrukken"})
    assert [t.value.replace("\\", "") for t in at.title] == [s.title for s in deck.slides]
    assert len(at.get("image")) == sum(1 for s in deck.slides if s.chart is not None)
    assert not at.button  # no Vorige/Volgende in print
    texts = "\n".join(c.value for c in at.caption if not c.value.startswith("Afdrukweergave"))
    # every slide names its source; the real CBS figures carry no voorbeelddata label
    assert texts.count("Bestuurlijk Overleg – Bestaanszekerheid") == len(deck.slides)
    # the source line names the region that produced the figure
    assert "Bron: Betalingsachterstand zorgpremie; regio · Twente (COROP-gebied) · peildatum 31 december 2023" in texts
    assert not any(s.is_sample for s in deck.slides)
    assert "Voorbeelddata" not in texts.replace("bevat voorbeelddata (gemarkeerd waar getoond)", "")


def test_without_pango_the_pdf_buttons_say_why_and_the_powerpoint_works(monkeypatch):
    from monitor.export.slides_pdf import NO_PANGO

    monkeypatch.setattr(presentation_view, "pdf_unavailable_reason", lambda: NO_PANGO)
    label = next(iter(THEMALIJNEN.values()))
    at = _open({"themalijn": label, "peildatum": PEILDATUM})
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    for name in (label, "hele programma"):
        assert buttons[f"PDF · {name}"].disabled and buttons[f"PDF · {name}"].help == NO_PANGO
        assert not buttons[f"PowerPoint · {name}"].disabled
    assert [c.value for c in at.caption].count(NO_PANGO) == 1
