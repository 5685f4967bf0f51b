"""Every download button builds its file when clicked and does not rerun the page.

A download button with a callable and the default ``on_click="rerun"`` sends two messages on
a click: a rerun and the request for the file. The rerun draws the button again and revokes
the callable the request names; when the rerun gets there first (a busy server), the file is
"not found" and nothing downloads. ``on_click="ignore"`` sends only the request. A key keeps
the button the same widget when the page above it changes.

Read with ``ast``: every ``download_button(...)`` call in the Streamlit code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _streamlit_files() -> list[Path]:
    files = [REPO / "dashboard.py"]
    for folder in ("ui", "pages"):
        files += sorted((REPO / folder).rglob("*.py"))
    return files


def _offenders(source: str, name: str) -> list[str]:
    """``name:line: what is missing`` for each download_button call without
    ``on_click="ignore"`` or without a ``key``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "download_button"):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        on_click = keywords.get("on_click")
        if not (isinstance(on_click, ast.Constant) and on_click.value == "ignore"):
            found.append(f"{name}:{node.lineno}: on_click=\"ignore\" ontbreekt")
        if "key" not in keywords:
            found.append(f"{name}:{node.lineno}: key ontbreekt")
    return found


def test_the_check_sees_the_download_buttons():
    calls = sum(source.count(".download_button(") for source in
                (path.read_text(encoding="utf-8") for path in _streamlit_files()))
    assert calls >= 6  # charts (PNG, SVG), tables (CSV, XLSX), slides (PowerPoint, PDF)


@pytest.mark.parametrize("path", _streamlit_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_download_buttons_build_on_click_without_a_rerun(path: Path):
    assert _offenders(path.read_text(encoding="utf-8"), path.name) == []


def test_the_check_can_fail():
    source = (
        "st.download_button('CSV', lambda: b'', file_name='a.csv')\n"
        "row.download_button('PNG', make, on_click='rerun', key='png')\n"
        "row.download_button('SVG', make, on_click='ignore', key='svg')\n"
    )
    assert _offenders(source, "p.py") == [
        'p.py:1: on_click="ignore" ontbreekt', "p.py:1: key ontbreekt", 'p.py:2: on_click="ignore" ontbreekt']
