"""Hostile text for the tests of "user text is text": a copy of the committed datasets
in which everything a user or an import typed carries Markdown, HTML, Streamlit directives and a
tracking image, and the checks that such text is shown as text wherever it appears.

Used by ``tests/pages/test_user_text.py`` (every page in AppTest), the browser test
(``tests/browser/test_user_text_browser.py``) and the export tests.
"""

from __future__ import annotations

import random
import re
import shutil
import string
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.data import events
from monitor.data.contract import SCHEMAS
from monitor.domain.text import WORD_JOINER

REPO = Path(__file__).resolve().parents[1]
MARK = "beacon.png"  # in every hostile text: where it appears, the text must be inert
BEACON = "http://127.0.0.1:9/beacon.png"  # a port nothing listens on: a fetch would show as a request
PAYLOAD = (f"![x]({BEACON}) [link](http://example.invalid) :red[rood] <img src=x onerror=alert(1)> "
           "$x^2$ **vet** _schuin_ ~~weg~~ `code` # kop :material/home: :smile: :streamlit: "
           "www.example.invalid a@example.invalid <http://example.invalid/auto> -> &amp; | cel | \\")
# A note as a redacteur might type it, over several lines, with block Markdown at line starts.
NOTE_TAIL = "\n- lijst\n\n1. genummerd\n> citaat\n    ingesprongen\n---"

PROJECT = "gezond-zelfredzaam-ouder-worden"  # has a KPI and local assignments (themalijn Ouderen)
KPI = "gezond-ouder-bereik-inwoners"
THEMALIJN = "ouderen"


def hostile(tag: str) -> str:
    """The hostile text for one field: starts as a heading would, ``tag`` names the field."""
    return f"# {tag} {PAYLOAD}"


USER_NAME = hostile("Gebruiker")
NOTE = hostile("Toelichting") + NOTE_TAIL
UNDO_NOTE = hostile("Reden")


# More hostile texts, one kind of markup each (unit tests and the browser's renderer check).
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


def random_texts(count: int, seed: int = 28) -> list[str]:
    """``count`` strings of every ASCII punctuation character, letters, digits, spaces and line
    breaks (the same ones on every run)."""
    alphabet = string.punctuation * 3 + "abcxyzWw019 :@\n"
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def flat(text: str) -> str:
    """``text`` as it is shown on one line: line breaks and the spaces around them one space,
    control characters left out."""
    one_line = re.sub(r"\s*[\n\r\v\f\x85\u2028\u2029]+\s*", " ", text)
    return re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", "", one_line).strip()


def hostile_datasets(target: Path, base: Path | None = None, project: str = PROJECT, kpi: str = KPI) -> Path:
    """A copy of the committed datasets (or of the folder ``base``, such as the fixture store)
    in ``target`` (no recorded events) with hostile names, texts and titles, and recorded events
    whose user name and notes are hostile: a phase change for ``project`` and a KPI realisation
    for its ``kpi``, and a second realisation undone."""
    target.mkdir(parents=True, exist_ok=True)
    for path in (base or REPO / "datasets").glob("*.parquet"):
        shutil.copy2(path, target / path.name)

    def rewrite(name: str, change) -> None:
        frame = pd.read_parquet(target / f"{name}.parquet")
        change(frame)
        # through the contract's schema: a nullable integer column (regions.size_class) stays int64
        pq.write_table(pa.Table.from_pandas(frame, schema=SCHEMAS[name], preserve_index=False),
                       target / f"{name}.parquet")

    def projects(frame):
        frame["name"] = [hostile(f"Project {i}") for i in range(len(frame))]
        frame["doelstelling"] = hostile("Doelstelling") + NOTE_TAIL
        frame["speerpunten"] = [[hostile("Speerpunt")] for _ in range(len(frame))]

    def themalijnen(frame):
        frame["name"] = [hostile(f"Themalijn {i}") for i in range(len(frame))]
        frame["ambition"] = hostile("Ambitie")
        frame["ambition_short"] = hostile("Korte ambitie")

    def regions(frame):
        gemeente = (frame["level"] == "gemeente") & (frame["parent_code"] == "GG_TWENTE")  # the ones pages show
        frame.loc[gemeente, "name"] = [hostile(f"Gemeente {i}") for i in range(int(gemeente.sum()))]

    rewrite("projects", projects)
    rewrite("project_kpis", lambda f: f.__setitem__("name", [hostile(f"KPI {i}") for i in range(len(f))]))
    rewrite("themalijnen", themalijnen)
    rewrite("local_assignments", lambda f: f.__setitem__("description", hostile("Opdracht")))
    rewrite("sources", lambda f: (f.__setitem__("title", [hostile(f"Bron {i}") for i in range(len(f))]),
                                  f.__setitem__("note", hostile("Bronnotitie"))))
    rewrite("indicators", lambda f: (f.__setitem__("name", [hostile(f"Indicator {i}") for i in range(len(f))]),
                                     f.__setitem__("description", hostile("Definitie"))))
    rewrite("regions", regions)

    user = events.User(USER_NAME, "redacteur")
    today = date.today()
    events.record_phase_change(user, project, "Borging", today - timedelta(days=2), NOTE, dataset_dir=target)
    events.record_kpi_realisation(user, kpi, f"{today.year - 1}Q4", 12, NOTE, dataset_dir=target)
    second = events.record_kpi_realisation(user, kpi, f"{today.year - 1}Q3", 7, NOTE, dataset_dir=target)
    events.undo_event(user, "kpi_realisations", second["event_id"], UNDO_NOTE, dataset_dir=target)
    return target


# --- what Streamlit would read as markup -----------------------------------------------------------

# Streamlit's renderer reads these in the text after its Markdown is parsed (emoji, icons, its
# logo, typographic arrows, GFM's bare links and e-mail addresses) or in the source (directives).
_TEXT_LEVEL = {
    "emoji of icoon": re.compile(r":[\w+-][\w+-]*:"),
    "directive": re.compile(r":[A-Za-z]"),
    "pijl of streep": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
    "kale link": re.compile(r"https?://|www\.", re.IGNORECASE),
    "e-mailadres": re.compile(r"[-.\w+]+@[-\w]+(\.[-\w]+)+"),
}
_ALLOWED_TOKENS = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak",
                   "strong_open", "strong_close", "em_open", "em_close",
                   "bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close"}


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _tokens(tokens):
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


def shown(body: str) -> str:
    """The text a reader sees of a Markdown body (CommonMark), word joiners left out."""
    parts = [t.content if t.type == "text" else " " for t in _tokens(_parser().parse(body))
             if t.type in ("text", "softbreak", "hardbreak")]
    return "".join(parts).replace(WORD_JOINER, "")


# The markup our own code writes around text in one element (``ui.components.small_lines``,
# ``ui.indicator_sections.text_block``): a heading on the first line, and lines shown small and grey
# as ``:small[:gray[…]]`` around text whose brackets are escaped (an escape is read as one unit).
_OWN_HEADING = re.compile(r"\A#{2,3} ")  # h2, h3: the hostile text opens as an h1 ("# …")
_OWN_SMALL = re.compile(r":small\[:gray\[((?:\\.|[^\\\]])*)\]\]")


def own_markup_removed(body: str) -> str:
    """``body`` without the markup our code puts around the text (its heading mark, the small
    grey wrappers): what is left must be plain text like any other body."""
    return _OWN_SMALL.sub(lambda m: m.group(1), _OWN_HEADING.sub("", body))


def markup_problems(body: str) -> list[str]:
    """What in a Markdown body containing hostile text would not be plain text: any node but
    paragraphs, text, the emphasis and list items our own code writes around it (a link, an
    image, HTML, a heading, code, a table, a quote …), a formula, or what Streamlit reads in
    the text (emoji and icon codes, directives, bare links, arrows)."""
    problems = [f"{t.type}" for t in _tokens(_parser().parse(body)) if t.type not in _ALLOWED_TOKENS]
    texts = [t.content for t in _tokens(_parser().parse(body)) if t.type == "text"]
    for name, pattern in _TEXT_LEVEL.items():
        problems += [f"{name}: {m.group(0)!r}" for text in texts for m in pattern.finditer(text)]
    unescaped = re.sub(r"\\.", "", body)
    if "$" in unescaped:
        problems.append("formule ($)")
    if ":material/" in body:
        problems.append("icoon (:material/)")
    return problems


# --- every text an AppTest page shows --------------------------------------------------------------

# Proto fields Streamlit shows as plain text (never Markdown): choices of a box, typed values,
# st.text and st.code, a chart's spec (Vega draws text as text), an image's alt text, ids.
PLAIN_FIELDS = {"options", "default", "raw_values", "raw_value", "value", "placeholder", "code_text", "spec",
                "alt", "columns", "id", "form_id", "url", "data", "datasets", "formatted_options"}


def _strings(message, path=""):
    from google.protobuf.message import Message

    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item, f"{path}.{field.name}")
            elif isinstance(item, str):
                yield f"{path}.{field.name}", field.name, item


def page_texts(at) -> tuple[list[tuple[str, str]], list[str]]:
    """Every text of an AppTest run: (where, Markdown body) for what Streamlit renders as Markdown
    (bodies, labels, help, metric values, st.table cells), and the plain texts (st.text, box
    choices, st.dataframe cells)."""
    markdown, plain = [], []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "?")
        if proto is None:
            continue
        if kind == "table":
            frame = node.value
            cells = [*map(str, frame.columns), *map(str, frame.index),
                     *(v for v in frame.to_numpy().ravel() if isinstance(v, str))]
            markdown += [(f"{kind} cel", cell) for cell in cells]
            continue
        if kind in ("arrow_data_frame", "dataframe"):
            frame = node.value
            plain += [v for v in frame.to_numpy().ravel() if isinstance(v, str)] + list(map(str, frame.columns))
            continue
        for where, name, text in _strings(proto):
            if name in PLAIN_FIELDS or (kind == "text" and name == "body"):
                plain.append(text)
            elif kind == "html":
                markdown.append((f"{kind}{where} (HTML)", text))
            else:
                markdown.append((f"{kind}{where}", text))
    return markdown, plain


def check_page(at, expected_tags: list[str]) -> None:
    """Fails when any Markdown text of the run that holds hostile text is markup, or when a
    field named in ``expected_tags`` ('Project 3', 'Toelichting') is not findable as its literal
    text (in a Markdown text, as the reader sees it, or in a plain text)."""
    markdown, plain = page_texts(at)
    found = []
    for where, body in markdown:
        if MARK not in body.replace("\\", "").replace(WORD_JOINER, ""):
            continue
        assert not where.endswith("(HTML)"), f"hostile text in raw HTML ({where}): {body[:200]!r}"
        problems = markup_problems(own_markup_removed(body))
        assert not problems, f"{where} leest gebruikerstekst als opmaak: {problems}\n{body[:600]!r}"
        found.append(shown(own_markup_removed(body)))
    found += [text.replace(WORD_JOINER, "") for text in plain]
    for tag in expected_tags:
        literal = flat({"Toelichting": NOTE, "Gebruiker": USER_NAME, "Reden": UNDO_NOTE}.get(tag, hostile(tag)))
        if tag == "Doelstelling":
            literal = flat(hostile(tag) + NOTE_TAIL)
        assert any(literal in text for text in found), f"'{tag}' staat niet letterlijk op de pagina"
