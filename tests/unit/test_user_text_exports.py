"""The downloads carry user and import text as text: the PDF (HTML for WeasyPrint,
every text escaped: no element, no link annotation, the text readable as typed), the PowerPoint,
and the CSV and XLSX of the project list and of the recorded changes. On a hostile copy of the
fixture store (``tests/hostile_text.py``, ``tests/fixture_store.py``): its first themalijn,
bestaanszekerheid, becomes "Themalijn 0", its first project, schuldhulp, "Project 0"."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from monitor.data import db
from monitor.export.slide_charts import render_charts
from monitor.export.slides_pdf import deck_pdf
from monitor.export.slides_pptx import deck_pptx
from monitor.export.tables import to_dutch_csv, to_xlsx
from monitor.views.presentatie import build_deck
from monitor.views.projecten import Filters, build_projecten, load_projecten
from tests import fixture_store as fx
from tests.hostile_text import MARK, NOTE, PAYLOAD, USER_NAME, flat, hostile, hostile_datasets

PEILDATUM = date.today()
THEMALIJN, PROJECT, KPI = "bestaanszekerheid", "schuldhulp", "schuldhulp-trajecten"
assert list(fx.PROJECTS)[0] == PROJECT and fx.PROJECTS[PROJECT][1] == THEMALIJN


def _squeezed(text: str) -> str:
    """Text without any white space: a PDF breaks lines where its box ends."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def datasets(tmp_path_factory, fixture_store):
    return hostile_datasets(tmp_path_factory.mktemp("hostile") / "datasets", fixture_store, PROJECT, KPI)


@pytest.fixture(scope="module")
def deck(datasets):
    return build_deck(THEMALIJN, PEILDATUM, dataset_dir=datasets)


@pytest.fixture(scope="module")
def images(deck):
    return render_charts(deck)


def test_the_deck_holds_the_hostile_texts(deck):
    texts = [deck.title] + [s.title for s in deck.slides] + [b for s in deck.slides for b in s.bullets]
    assert any(MARK in text for text in texts)


def test_pdf_shows_the_text_as_typed_without_links_or_markup(deck, images):
    data = deck_pdf(deck, images)
    reader = PdfReader(io.BytesIO(data))
    text = _squeezed(" ".join(page.extract_text() for page in reader.pages))
    for tag in ("Themalijn 0", "Ambitie"):
        assert _squeezed(hostile(tag)) in text, f"'{tag}' staat niet letterlijk in de PDF"
    links = [annotation.get_object().get("/Subtype") for page in reader.pages
             for annotation in page.get("/Annots") or []]
    assert "/Link" not in links
    assert b"/URI" not in data
    # Not an element: WeasyPrint would have made an (empty) image of <img src=x>, not this text.
    assert _squeezed("<img src=x onerror=alert(1)>") in text


def test_pptx_carries_the_text_as_typed(deck, images):
    presentation = Presentation(io.BytesIO(deck_pptx(deck, images)))
    texts = [shape.text_frame.text for slide in presentation.slides for shape in slide.shapes if shape.has_text_frame]
    joined = _squeezed(" ".join(texts))
    for tag in ("Themalijn 0", "Ambitie"):
        assert _squeezed(hostile(tag)) in joined
    links = [run.hyperlink.address for slide in presentation.slides for shape in slide.shapes
             if shape.has_text_frame for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    assert not any(links)


def test_csv_and_xlsx_of_the_project_list_and_the_changes(datasets, monkeypatch):
    monkeypatch.setenv("MONITOR_DATASETS", str(datasets))
    db.clear_cache()
    # Today as the test runs, not as the module was imported: the events were recorded when the
    # fixture was made, which may be after midnight of PEILDATUM (a run across midnight).
    view = build_projecten(load_projecten(date.today()), Filters())
    for frame, expected in [(view.table, hostile("Project 0")), (view.changes, flat(NOTE))]:
        if frame is view.changes:
            frame = frame[["project_name", "recorded_by", "note"]].assign(note=frame["note"].fillna("").map(flat))
            assert USER_NAME in set(frame["recorded_by"])
        csv = to_dutch_csv(frame).decode("utf-8-sig")
        assert expected in csv
        workbook = load_workbook(io.BytesIO(to_xlsx(frame, title=hostile("Titel"))))
        cells = [c.value for row in workbook.active.iter_rows() for c in row if isinstance(c.value, str)]
        assert expected in cells and hostile("Titel") in cells
        assert not any(c.hyperlink for row in workbook.active.iter_rows() for c in row)
    db.clear_cache()


def test_payload_is_the_one_the_pages_are_tested_with():
    assert MARK in PAYLOAD and "<img" in PAYLOAD
