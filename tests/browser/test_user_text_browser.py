"""User text is text, in Chromium.

1. ``md_literal`` against Streamlit's own renderer: hostile and random texts shown through it
   in Markdown, a bold caption, a button, an expander and a table cell read exactly as typed,
   with no link, image, code, formula, coloured text, icon, emoji, heading or list made of them.
2. The dashboard on the hostile copy of the datasets (``tests/hostile_text.py``): the project
   page (as a visitor and as a redacteur), the list of changes, the themalijn page and the
   overview. No request leaves for any address but the app's own (the tracking image points at
   127.0.0.1:9), no image or link comes from the text, and the text is there as typed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from monitor.serving.netutil import HEALTH_PATH, free_port, wait_until_answers
from tests.browser.conftest import REPO, start_server, stop_server
from tests.browser.test_projecten_browser import TIMEOUT, log_in_as_editor
from tests.hostile_text import HOSTILE, PROJECT, flat, hostile, hostile_datasets, random_texts

pytestmark = pytest.mark.browser

# What a text must never become in the DOM: a link, an image, code, a formula, a heading, a list,
# a quote, a table of its own, struck-through, coloured or badge text, an icon or the logo.
MARKUP = ("a, img, code, pre, h1, h2, h3, h4, h5, h6, ul, ol, li, blockquote, del, s, hr, input, svg, "
          ".katex, span[role=img], [class*=stMarkdownColored], [class*=stMarkdownBadge], .stMarkdownShimmer")
WORD_JOINER = "\u2060"
def _box(page, selector: str, inner: str) -> dict:
    return page.evaluate("""([selector, inner, markup]) => {
      const box = document.querySelector(selector);
      if (!box) { return null; }
      const target = inner ? box.querySelector(inner) : box;
      return {text: target ? target.innerText : null,
              markup: [...box.querySelectorAll(markup)].map(e => e.outerHTML.slice(0, 200))};
    }""", [selector, inner, MARKUP])


def _wait_until_done(page) -> None:
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState"
                           " === 'notRunning'", timeout=TIMEOUT)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT)


@pytest.fixture(scope="module")
def renderer_app(chromium_path, tmp_path_factory):
    """``streamlit run tests/browser/md_literal_app.py`` with the texts of this test."""
    folder = tmp_path_factory.mktemp("md-literal")
    texts = HOSTILE + random_texts(60)
    (folder / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO), MD_LITERAL_TEXTS=str(folder / "texts.json"))
    with open(folder / "server.log", "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "tests" / "browser" / "md_literal_app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_until_answers(url + HEALTH_PATH, proc, 60, 0.3):
            pytest.fail((folder / "server.log").read_text(errors="replace"), pytrace=False)
        yield url, texts
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def hostile_app(chromium_path, tmp_path_factory, app_secrets):
    """The dashboard on the hostile copy of the datasets."""
    datasets = hostile_datasets(tmp_path_factory.mktemp("hostile") / "datasets")
    proc, url = start_server(datasets, app_secrets, tmp_path_factory.mktemp("hostile-log") / "server.log")
    try:
        yield url
    finally:
        stop_server(proc)


def _requests_elsewhere(page, base: str) -> list[str]:
    """Start recording every request of ``page`` that is not for ``base`` (nor data:/blob:)."""
    elsewhere: list[str] = []
    page.on("request", lambda request: None if request.url.startswith((base, "data:", "blob:"))
            else elsewhere.append(request.url))
    return elsewhere


def test_md_literal_in_streamlits_own_renderer(renderer_app, page):
    url, texts = renderer_app
    elsewhere = _requests_elsewhere(page, url)
    page.goto(url)
    page.get_by_text("klaar").wait_for(timeout=TIMEOUT)
    _wait_until_done(page)
    # Buttons and tables are drawn by code Streamlit loads on first use: wait until all are there.
    page.wait_for_function("(n) => document.querySelectorAll('[data-testid=stButton] button').length === n"
                           " && document.querySelectorAll('[data-testid=stTable] td').length === n"
                           " && !document.querySelector('[data-testid=stSkeleton]')", arg=len(texts),
                           timeout=TIMEOUT)
    wrong = []
    for number, text in enumerate(texts):
        expected = flat(text)
        places = {
            "markdown": _box(page, f".st-key-tekst-{number}", "[data-testid=stMarkdownContainer]"),
            "vet": _box(page, f".st-key-vet-{number}", "[data-testid=stCaptionContainer]"),
            "knop": _box(page, f".st-key-knop-{number}", "button"),
            "uitklap": _box(page, f".st-key-uitklap-{number}", "summary [data-testid=stMarkdownContainer]"),
            "tabel": _box(page, f".st-key-tabel-{number}", "td"),
        }
        for place, found in places.items():
            if found is None or found["text"] is None:
                wrong.append((place, text, "niet gevonden"))
                continue
            shown = " ".join(found["text"].replace(WORD_JOINER, "").split())
            want = f"{expected} · {expected}" if place == "vet" else expected
            # The expander's own arrow icon is not the text's.
            markup = [m for m in found["markup"] if not (place == "uitklap" and "stExpanderIcon" in m)]
            if shown != " ".join(want.split()) or markup:
                wrong.append((place, text, shown, markup[:3]))
    assert not wrong, "\n".join(map(repr, wrong[:20]))
    assert elsewhere == []


PAGES = {
    "project (bezoeker)": f"/projecten?project={PROJECT}",
    "themalijn": "/ouderen",
    "overzicht": "/?vorige=2020-01-01",
}


def _check_dashboard_page(page, base: str, path: str, expected: list[str]) -> None:
    elsewhere = _requests_elsewhere(page, base)
    if path:
        page.goto(base + path)
    page.get_by_text("peildatum van de data").wait_for(timeout=TIMEOUT)
    _wait_until_done(page)
    page.wait_for_timeout(500)  # what an image tag would fetch has had its chance to go out
    found = page.evaluate("""() => ({
      images: [...document.querySelectorAll('img')].map(i => i.getAttribute('src') || '')
                 .filter(src => !src.startsWith('data:') && !src.startsWith('blob:') && !src.startsWith('/')
                                && !src.startsWith(location.origin) && !src.startsWith('./')),
      // (a heading's own anchor, '#slug-of-its-text', stays on the page)
      links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
                 .filter(h => !h.startsWith('#') && /example\\.invalid|beacon|mailto:|127\\.0\\.0\\.1:9/.test(h)),
      // (our own small grey lines, ui.components.small_lines, are coloured spans holding the text as
      // typed: its ':red[rood]' shown whole, brackets and all)
      marked: [...document.querySelectorAll('.katex, [class*=stMarkdownColored], span[role=img]')]
                 .filter(e => !e.innerText.includes('[rood]'))
                 .map(e => e.outerHTML.slice(0, 200)).filter(h => /rood|home icon|katex/.test(h)),
      text: document.body.innerText.split('\\u2060').join(''),
    })""")
    assert found["images"] == [], found["images"]
    assert found["links"] == [], found["links"]
    assert found["marked"] == [], found["marked"]
    text = " ".join(found["text"].split())
    for literal in expected:
        assert " ".join(flat(literal).split()) in text, f"niet zichtbaar: {literal[:60]}"
    assert elsewhere == [], elsewhere


@pytest.mark.parametrize("name", list(PAGES))
def test_dashboard_pages_show_hostile_text_as_text(hostile_app, page, name):
    expected = {"project (bezoeker)": [hostile("Project 8"), hostile("Opdracht"), hostile("Gebruiker")],
                "themalijn": [hostile("Themalijn 2"), hostile("Ambitie")],
                "overzicht": [hostile("Korte ambitie")]}[name]
    _check_dashboard_page(page, hostile_app, PAGES[name], expected)


def test_redacteur_pages_show_hostile_text_as_text(hostile_app, page):
    log_in_as_editor(page, f"{hostile_app}/projecten?project={PROJECT}")
    page.get_by_text("Faseovergang vastleggen").first.wait_for(timeout=TIMEOUT)
    _check_dashboard_page(page, hostile_app, "", [hostile("Project 8"), hostile("Gebruiker")])
    _check_dashboard_page(page, hostile_app, "/projecten?tabblad=Wat+is+er+gewijzigd", [hostile("Gebruiker")])
