"""The README stays a map that fits on a page, and every link in it and in docs/ arrives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
MAX_README_LINES = 200


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, re.M)}


def test_the_readme_starts_with_the_two_commands_and_fits_on_a_page():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    block = "\n".join(lines[:8])
    assert lines[0] == "# Twentse Koers Monitor"
    assert "\nmake run " in block and "\nmake test " in block
    assert len(lines) <= MAX_README_LINES, f"README.md heeft {len(lines)} regels (hooguit {MAX_README_LINES})"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_link_arrives(path):
    broken = []
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        file, _sep, anchor = target.partition("#")
        destination = (path.parent / file).resolve() if file else path
        if not destination.exists():
            broken.append(target)
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(target)
    assert not broken, f"{path.relative_to(REPO)}: links die nergens heen gaan: {broken}"


def test_every_doc_is_linked_from_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in DOCS[1:]:
        assert f"(docs/{path.name})" in readme, f"README.md verwijst niet naar docs/{path.name}"
