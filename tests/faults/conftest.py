"""Fixtures for the fault tests: a copy of the committed datasets per test, and the AppTest
navigation fixture of the page tests (so the AppTests here run the same way)."""

from __future__ import annotations

import pytest

from monitor.data import db
from tests.faults.faults import copy_datasets
from tests.pages.conftest import steady_state_navigation  # noqa: F401 - an autouse fixture


@pytest.fixture
def ds(tmp_path):
    """A copy of the committed datasets (built tables only, no recorded events)."""
    return copy_datasets(tmp_path / "datasets")


@pytest.fixture
def app_ds(ds, monkeypatch):
    """The copy as the dashboard's dataset folder (MONITOR_DATASETS), caches cleared."""
    monkeypatch.setenv("MONITOR_DATASETS", str(ds))
    db.clear_cache()
    return ds
