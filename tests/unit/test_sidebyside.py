"""bench.sidebyside without servers: which pages it opens, a commit's files, and its table."""

from __future__ import annotations

import subprocess

from bench import sidebyside
from bench.loadgen import EMPTY, PAGES as MAIN_PAGES
from dashboard import PAGES


def test_the_default_pages_are_the_main_pages_and_the_themalijnen_of_the_registry():
    pages = dict(sidebyside.default_pages())
    themalijnen = {p.url_path for p in PAGES if p.section == "Themalijnen"}
    assert themalijnen | {label for label, _ in MAIN_PAGES} == set(pages)
    assert pages["overzicht"] == "/" and pages["ouderen"] == "/ouderen"
    assert dict(sidebyside.registry_pages()).keys() == {p.url_path for p in PAGES}


def test_a_commit_is_exported_as_committed(tmp_path):
    copy = sidebyside.export("HEAD", tmp_path / "copy")
    committed = subprocess.run(["git", "show", "HEAD:dashboard.py"], cwd=sidebyside.REPO, capture_output=True,
                               check=True).stdout
    assert (copy / "dashboard.py").read_bytes() == committed
    assert (copy / ".streamlit" / "config.toml").is_file() and (copy / "datasets").is_dir()


def test_the_table_gives_medians_and_the_ratio_to_the_empty_page():
    samples = {"a": {"overzicht": [20.0, 30.0, 22.0], "ouderen": [40.0, 44.0, 41.0]},
               "b": {"overzicht": [10.0, 12.0, 11.0], "ouderen": [20.0, 22.0, 21.0]},
               EMPTY: {EMPTY: [5.0, 4.0, 6.0]}}
    text = sidebyside.table(samples, ["a", "b"], EMPTY, ["overzicht", "ouderen"])
    assert "| **empty page** (floor) | **5,0** | **5,0** |" in text
    assert "| overzicht | 22,0 (4,4×) | 11,0 (2,2×) |" in text
    assert "| **median of the pages** | **31,5 (6,3×)** | **16,0 (3,2×)** |" in text
