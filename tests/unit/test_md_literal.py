"""md_literal: user and import text for Streamlit's Markdown stays text.

Checked with a CommonMark parser (markdown-it-py, GFM tables and strikethrough on) plus the
patterns Streamlit's renderer reads in the text itself (``tests/hostile_text.markup_problems``);
the browser test renders the same strings in Streamlit's own frontend.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
import pytest

from monitor.charts.common import tooltip_title
from monitor.domain.text import WORD_JOINER, md_literal, shown_text
from tests.hostile_text import HOSTILE, PAYLOAD, flat, hostile, markup_problems, random_texts, shown
from ui.components import literal_table

PLAIN = [
    "Kinderarmoede",
    "Faseovergang vastgelegd voor Kinderarmoede: Definitie → Ontwerp per 01-03-2025.",
    "Preventie & gezondheid",
    "Matig tot ernstig eenzaam (65+), 2024",
    "Rijssen-Holten",
    "Collectieve zorgverzekering - gemeentepolis",
    "18,5% · 55.400 · € 1.234,57",
    "(Onafhankelijke) cliëntondersteuning",
    "Bron: CBS 70072NED · peildatum 1 januari 2025",
    "is_sample, snake_case_name",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_plain_text_that_reads_as_typed(text):
    body = md_literal(text)
    assert markup_problems(body) == [], body
    assert shown(body) == flat(text)
    assert shown_text(body) == shown(body)


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("context", ["**{}** · fase nu", "- {}", "*{}*", "Maak ongedaan: **{}**",
                                     "{}  \nvastgelegd door {}", "# {}"])
def test_in_the_markup_around_it(text, context):
    """Inside our own emphasis, list items and headings the text stays text and ends where it should."""
    body = context.format(md_literal(text), md_literal(text))
    allowed_heading = context.startswith("#")
    problems = [p for p in markup_problems(body) if not (allowed_heading and p.startswith("heading"))]
    assert problems == [], body
    assert flat(text) in shown(body)


@pytest.mark.parametrize("text", PLAIN)
def test_ordinary_text_is_left_as_it_is(text):
    assert md_literal(text) == text


def test_random_text_never_becomes_markup():
    """Two thousand strings from every ASCII punctuation character, letters, digits, spaces and
    line breaks: never markup, always read as typed (line breaks as one space)."""
    for text in random_texts(2000):
        body = md_literal(text)
        assert markup_problems(body) == [], (text, body)
        assert shown(body) == flat(text), (text, body)


def test_line_breaks_become_one_space_and_nothing_is_empty_markup():
    assert md_literal("a\n\n\n b\r\nc") == "a b c"
    assert md_literal(None) == md_literal(float("nan")) == ""
    assert md_literal(12.5) == "12\\.5" and shown_text(md_literal(12.5)) == "12.5"  # not a list item "12."
    assert WORD_JOINER not in md_literal("a: b, 13:05 uur")  # only where a code could start


def test_literal_table_escapes_cells_headers_and_index():
    frame = pd.DataFrame({"**Kolom**": [hostile("cel"), 3]}, index=[hostile("index"), "b"])
    out = literal_table(frame)
    assert markup_problems(out.columns[0]) == [] and markup_problems(out.iloc[0, 0]) == []
    assert markup_problems(out.index[0]) == [] and out.iloc[1, 0] == 3
    assert frame.iloc[0, 0] == hostile("cel")  # the frame itself is not changed
    from_arrow = literal_table(pa.Table.from_pandas(frame.astype(str)))
    assert markup_problems(from_arrow.column(0)[0].as_py()) == []
    plain = pd.DataFrame({"is_sample": ["Twente"]})
    assert literal_table(plain) is plain  # nothing to escape: the same table, drawn as st.table draws it


@pytest.mark.parametrize("name", ["eindigt op \\", 'x\\"+alert(1)+"', "regel\nnieuw", "a\u2028b", PAYLOAD])
def test_tooltip_titles_from_data_keep_the_chart_working(name):
    """Vega-Lite writes tooltip titles into an expression without escaping backslashes or line
    breaks: a title from data is made safe, and the tooltip shows it as typed."""
    import vl_convert

    spec = {"data": {"values": [{"a": 1}]}, "mark": "point",
            "encoding": {"x": {"field": "a", "type": "quantitative"},
                         "tooltip": [{"field": "a", "type": "quantitative", "title": tooltip_title(name)}]}}
    vl_convert.vegalite_to_svg(spec)  # raised "Expression parse error" before
    signal = vl_convert.vegalite_to_vega(spec)["marks"][0]["encode"]["update"]["tooltip"]["signal"]
    key = re.match(r'\{("(?:[^"\\]|\\.)*"):', signal).group(1)
    assert json.loads(key) == re.sub(r"[\n\u2028]", " ", name)


def test_a_string_is_escaped_once_and_remembered(monkeypatch):
    """A page view escapes the same names and sentences as the one before it: a string's
    escape is remembered; other values are escaped each time, and all give the same text."""
    from monitor.domain import text

    escaped = []
    real = text._literal

    def counting(value):
        escaped.append(value)
        return real(value)

    monkeypatch.setattr(text, "_literal", counting)
    text._literal_text.cache_clear()
    for _ in range(3):
        assert text.md_literal("**Borne** :red[x]") == "\\*\\*Borne\\*\\* :\u2060red\\[x\\]"
        assert text.md_literal(12) == "12"
    assert escaped == ["**Borne** :red[x]", "12", "12", "12"]
