"""Unit tests run on data they build (``tests/fixture_store.py``), never on the committed
``datasets/``, which changes with every refresh of the real data.

While a unit-test module runs, ``MONITOR_DATASETS`` points at an empty folder, so a call that
falls back to the default dataset folder finds nothing instead of the committed tables. Only
the modules in ``COMMITTED_DATA_READERS`` keep the default; each says why on its first line
(``tests/unit/test_fixture_data.py`` checks both, and that no other module names the folder).
"""

from __future__ import annotations

import pytest

# module -> why it reads the committed datasets/ (the same words stand on its first line)
COMMITTED_DATA_READERS = {
    "test_build": "the integration test: a rebuild from ../shared equals the committed tables, and what "
                  "the app ships works on them (query files, SQL examples, no voorbeelddata on a slide).",
    "test_s3_store": "the S3 store mirrors the real folder: its queries must give the committed figures.",
    "test_s3_cache": "the S3 object cache is filled from a mirror of the real folder, every table at full size.",
    "test_s3_safety": "the S3 failure cases run on a mirror of the real folder, as a deployment has it.",
    "test_bench": "the benchmark's smoke run measures the real pages on the data the app ships.",
    "test_national_store": "the whole country in the store: every committed CBS figure equals its cell in the source file.",
    "test_page_registry": "a page test: it opens every page of the real app, on the data the app ships.",
}

EMPTY = "no-committed-datasets"


def reads_committed_data(module_name: str) -> bool:
    return module_name.rsplit(".", 1)[-1] in COMMITTED_DATA_READERS


@pytest.fixture(scope="module", autouse=True)
def committed_datasets_out_of_reach(request, tmp_path_factory):
    """Module-scoped, so it is in place before the module's own module-scoped fixtures."""
    if reads_committed_data(request.module.__name__):
        yield
        return
    empty = tmp_path_factory.mktemp(EMPTY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MONITOR_DATASETS", str(empty))
        patch.delenv("MONITOR_DATA_URL", raising=False)
        yield


@pytest.fixture(scope="session")
def fixture_store_vt(tmp_path_factory):
    """The fixture store with its Veilig Thuis raw counts (``tests/fixture_store.py``), shared by
    the session's tests, which only read it."""
    from tests import fixture_store

    return fixture_store.write(tmp_path_factory.mktemp("fixture-vt") / "datasets", veilig_thuis=True)


@pytest.fixture
def on_fixture_store(fixture_store_vt, monkeypatch):
    """``fixture_store_vt`` as the default dataset folder, for loaders that take no folder."""
    monkeypatch.setenv("MONITOR_DATASETS", str(fixture_store_vt))
    return fixture_store_vt
