"""The Dutch index.html (<html lang="nl">) and the middleware that serves it where no nginx does."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.serving import static_nl
from tests.unit.test_memory_static import folder  # noqa: F401 - a fixture: a small frontend folder


def _streamlit_static() -> Path:
    from ui import streamlit_private

    return streamlit_private.static_folder()


def test_patch_index_makes_the_page_dutch():
    html = static_nl.patch_index((_streamlit_static() / "index.html").read_text(encoding="utf-8"))
    assert '<html lang="nl">' in html and 'lang="en"' not in html
    assert "<title>Twentse Koers Monitor</title>" in html
    assert static_nl.NOSCRIPT_NL in html and "You need to enable JavaScript" not in html
    head = html[:html.index("</head>")]
    assert head.count("<script>") >= 1 and "aria-roledescription" in head  # vega_aria_nl.js, inline


def test_the_head_scripts_are_whole_and_cannot_end_their_script_element():
    index = static_nl.patch_index((_streamlit_static() / "index.html").read_text(encoding="utf-8"))
    head = index[:index.index("</head>")]
    for path, marker in ((static_nl.VEGA_ARIA_SCRIPT, "group mark container"),
                         (static_nl.SCROLL_REGIONS_SCRIPT, "scrollable-region-focusable")):
        script = path.read_text(encoding="utf-8")
        assert "</script" not in script.lower() and marker in script
        assert head.count(script) == 1, path.name


def test_an_index_without_the_markup_fails_loudly():
    with pytest.raises(static_nl.IndexChanged, match="lang"):
        static_nl.patch_index("<!DOCTYPE html><html><head><title>Streamlit</title></head></html>")


def test_the_copy_is_complete_and_made_once(tmp_path):
    source = _streamlit_static()
    first = static_nl.dutch_static_dir(source, tmp_path)
    assert (first / "index.html").read_text(encoding="utf-8").count('lang="nl"') == 1
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in source.iterdir())
    some_js = next((source / "static" / "js").iterdir())
    assert (first / "static" / "js" / some_js.name).read_bytes() == some_js.read_bytes()
    assert static_nl.dutch_static_dir(source, tmp_path) == first
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no half-made folders left


class _Streamlit:
    """Stands in for Streamlit's routes behind the middleware: answers 204 and keeps the paths."""

    def __init__(self):
        self.paths = []

    async def __call__(self, scope, receive, send):
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def test_dutch_index_answers_the_documents_and_leaves_the_rest_to_streamlit(folder):  # noqa: F811 - the fixture
    from tests.unit.test_memory_static import call

    streamlit = _Streamlit()
    middleware = static_nl.DutchIndex(streamlit, folder)
    for path in ("/", "/index.html", "/ouderen", "/projecten", "/static/js/weg.js"):
        status, head, body = call(middleware, path)
        assert (status, body) == (200, b'<html lang="nl"><body>monitor</body></html>'), path
        assert head["cache-control"] == "no-cache" and head["content-type"].startswith("text/html")
    assert call(middleware, "/ouderen", method="HEAD")[2] == b""
    passed = ["/static/js/index.abc123.js", "/manifest.json", "/_stcore/health", "/ouderen/_stcore/host-config",
              "/media/abc.png", "/component/x/index.html", "/auth/login", "/oauth2callback", "/ouderen/", "//x",
              "/a/../index.html"]
    for path in passed:
        assert call(middleware, path)[0] == 204, path
    assert call(middleware, "/ouderen", method="POST")[0] == 204
    assert streamlit.paths == [*passed, "/ouderen"]
