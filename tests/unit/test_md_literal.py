"""md_literal: user and import text for Streamlit's Markdown stays text (issue 28.3).

Checked with a CommonMark parser (markdown-it-py, GFM tables and strikethrough on) plus the
patterns Streamlit's renderer reads in the text itself (``tests/hostile_text.markup_problems``);
the browser test renders the same strings in Streamlit's own frontend.
"""

from __future__ import annotations

import json
import random
import re
import string

import pandas as pd
import pyarrow as pa
import pytest

from monitor.charts.common import tooltip_title
from monitor.domain.text import WORD_JOINER, md_literal, shown_text
from tests.hostile_text import NOTE, PAYLOAD, USER_NAME, flat, hostile, markup_problems, shown
from ui.components import literal_table

HOSTILE = [
    PAYLOAD, NOTE, USER_NAME,
    "![](https://evil.example/beacon.png)",
    "[klik](javascript:alert(1))",
    "<https://evil.example>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&lt;img src=x&gt; &amp; &#60; &#x3C;",
    ":red[rood] :blue-background[blauw] :rainbow[regenboog] :red-badge[badge] :small[klein] :shimmer[glans]",
    ":color[x]{foreground=\"red\"}",
    "::leaf[x]",
    ":::container\ninhoud\n:::",
    ":material/home: :material_home: :streamlit: :smile: :+1: :-1: :100: :thumbsup:",
    "$x^2$ en $$\\int_0^1 x\\,dx$$ en \\$5",
    "**vet** __vet__ *schuin* _schuin_ ~~weg~~ ~weg~",
    "`code` ``co`de``",
    "```\ncode block\n```",
    "    ingesprongen code",
    "# kop", "## kop", "###### kop", "Titel\n=====", "Titel\n-----",
    "- item", "+ item", "* item", "1. item", "12) item", "> citaat", "---", "***", "___",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[^1] voetnoot\n\n[^1]: tekst",
    "[ref]\n\n[ref]: https://evil.example",
    "http://evil.example https://evil.example/x?y=1 www.evil.example WWW.EVIL.EXAMPLE",
    "mailto:jan@example.nl jan@example.nl xmpp:jan@example.nl",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "regel één\nregel twee\r\nregel drie\u2028vier",
    "eind met backslash \\",
    "\\*geen vet\\*",
    "tab\tin tekst",
    "nul\x00byte en \x1b[31mkleur",
]
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
    alphabet = string.punctuation * 3 + "abcxyzWw019 :@\n"
    rng = random.Random(28)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
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
    assert markup_problems(from_arrow.iloc[0, 0]) == []


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
