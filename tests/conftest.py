"""Shared fixtures.

``shared_dir`` is the ``../shared`` folder beside the checkout with the real CBS/GGD files;
tests that need it skip with a clear reason when it is absent (a user's own clone); under
``CI=true`` they fail instead, so CI never passes without checking the rebuild.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from monitor import settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = Path(settings.raw("MONITOR_SHARED") or REPO.parent / "shared").resolve()
    if not (path / "data" / "cbs").is_dir():
        reason = "../shared ontbreekt: de echte CBS/GGD-bestanden staan niet naast deze checkout"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: daar hoort hij te staan)")
        pytest.skip(reason)
    return path


@pytest.fixture
def tmp_datasets(tmp_path: Path) -> Path:
    path = tmp_path / "datasets"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory) -> Path:
    """The small dataset folder of ``tests/fixture_store.py`` (explicit numbers, for logic
    tests): shared by the session's tests, which only read it."""
    from tests import fixture_store as fixture

    return fixture.write(tmp_path_factory.mktemp("fixture") / "datasets")


@pytest.fixture
def committed_copy(tmp_path: Path) -> Path:
    """A copy of the committed datasets (the built tables only, no recorded events)."""
    target = tmp_path / "datasets"
    target.mkdir()
    for path in (REPO / "datasets").glob("*.parquet"):
        shutil.copy2(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(autouse=True)
def private_login_throttle_state(tmp_path_factory, monkeypatch):
    """Every test counts login attempts in a folder of its own (``monitor.data.throttle``), never
    in the checkout's ``datasets/.state`` and never carried over from another test."""
    monkeypatch.setenv("MONITOR_STATE_DIR", str(tmp_path_factory.mktemp("state")))
