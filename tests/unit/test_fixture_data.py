"""Logic tests run on the fixture store: no unit-test module reads the committed ``datasets/``
unless ``tests/unit/conftest.py`` lists it with its reason, which also stands on its first line.

Two checks: by text (a module that names the committed folder, or a helper that copies it),
and at run time (``MONITOR_DATASETS`` points at an empty folder for every other module, so a
call that falls back to the default folder reads nothing)."""

from __future__ import annotations

import re
from pathlib import Path

from monitor.data import store
from tests.unit.conftest import COMMITTED_DATA_READERS, EMPTY

UNIT = Path(__file__).resolve().parent
HEADER = "# Reads the committed datasets/: "
# Ways a test reaches the committed tables: the folder by path (its README.md, which documents
# the columns, is no data), the default folder, the shared fixtures and helpers that copy it.
NAMES_THE_FOLDER = re.compile(
    r"""(?:REPO|REPO_ROOT|repo_root)\s*/\s*["']datasets["'](?!\s*/\s*["']README\.md)"""
    r"""|\{REPO\}/datasets"""
    r"""|DEFAULT_DATASET_DIR"""
    r"""|\bdataset_dir\(\)"""
    r"""|\bcommitted_copy\b"""
    r"""|\bcommitted_datasets_prefix\("""
    r"""|\bhostile_datasets\((?![^\n]*,)"""  # without a base folder it copies the committed one
    r"""|\bsample_vt_datasets\("""
    r"""|\bsample_vt_frame\(""")


def _modules() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(UNIT.glob("test_*.py"))}


def test_only_the_listed_modules_name_the_committed_folder():
    offenders = {name: sorted(set(NAMES_THE_FOLDER.findall(text))) for name, text in _modules().items()
                 if name not in COMMITTED_DATA_READERS and name != Path(__file__).stem
                 and NAMES_THE_FOLDER.search(text)}
    assert not offenders, (
        f"deze unit-tests lezen de vastgelegde datasets/: {offenders}; bouw de gegevens met "
        "tests/fixture_store.py, of zet de module met de reden in COMMITTED_DATA_READERS")


def test_every_listed_module_exists_and_says_why_on_its_first_line():
    modules = _modules()
    for name, reason in COMMITTED_DATA_READERS.items():
        assert name in modules, f"{name}.py staat in COMMITTED_DATA_READERS maar bestaat niet"
        assert reason.strip(), name
        first = modules[name].splitlines()[0]
        assert first == HEADER + reason, f"{name}.py begint niet met '{HEADER}{reason}'"


def test_no_other_module_says_it_reads_the_committed_folder():
    claimed = {name for name, text in _modules().items() if text.startswith(HEADER)}
    assert claimed == set(COMMITTED_DATA_READERS)


def test_the_default_folder_is_empty_here():
    """This module is not listed: the default dataset folder is an empty one, not datasets/."""
    folder = store.dataset_dir()
    assert folder != store.DEFAULT_DATASET_DIR and folder.name.startswith(EMPTY)
    assert not any(folder.iterdir())
    assert store.read_frame("projects").empty
