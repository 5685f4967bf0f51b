"""The shell's joined captions (``ui.components.caption_text``, ``small_lines``,
``ui.shell.source_captions``): every line as the text it is, one under the other, in one element."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from monitor.domain.text import md_literal, source_line
from tests.hostile_text import markup_problems, own_markup_removed, shown
from ui.components import LINE_BREAK, caption_text, small_lines

HOSTILE = "CBS [tabel] **vet** :red[rood] \\"
LINES = ["Grijs vlak: context, geen bewijs.", source_line(HOSTILE, date(2025, 1, 1)),
         source_line("Gegenereerd", date(2026, 11, 1), True)]


def test_caption_text_keeps_every_line_as_text_one_under_the_other():
    text = caption_text(["", *LINES])  # an empty line is left out
    assert text.split(LINE_BREAK) == [md_literal(line) for line in LINES]
    assert markup_problems(text) == []
    assert shown(text) == " ".join(LINES)


def test_small_lines_wrap_each_literal_line_and_nothing_else_is_markup():
    text = small_lines(LINES)
    assert text.split(LINE_BREAK) == [f":small[:gray[{md_literal(line)}]]" for line in LINES]
    assert markup_problems(own_markup_removed(text)) == []
    assert shown(own_markup_removed(text)) == " ".join(LINES)


def _sources_app():
    from datetime import date

    from ui import shell

    shell.source_captions([("CBS [tabel] **vet**", date(2025, 1, 1), False), ("Gegenereerd", date(2026, 11, 1), True)],
                          notes=["Grijs vlak: context."])
    shell.source_captions([])  # nothing to say: no element


def test_source_captions_draw_one_caption_holding_every_source_line():
    at = AppTest.from_function(_sources_app).run()
    assert not at.exception, at.exception
    (caption,) = at.caption
    assert caption.value.split(LINE_BREAK) == [
        "Grijs vlak: context.", md_literal(source_line("CBS [tabel] **vet**", date(2025, 1, 1))),
        md_literal(source_line("Gegenereerd", date(2026, 11, 1), True))]
    assert caption.value.split(LINE_BREAK)[2].startswith("Voorbeelddata")
