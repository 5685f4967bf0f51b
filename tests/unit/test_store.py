"""Atomic, all-or-nothing writes of the curated tables."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from monitor.data import store
from monitor.data.contract import SCHEMAS
from monitor.data.errors import StorageError
from tests.helpers import snapshot


def _regions(*codes):
    return store.to_table("regions", pd.DataFrame({
        "region_code": list(codes), "name": list(codes), "level": ["gemeente"] * len(codes),
        "parent_code": [None] * len(codes)}))



def test_write_and_read_round_trip(tmp_datasets):
    store.write_tables({"regions": _regions("GM0153", "GM0141")}, tmp_datasets)
    table = store.read_table("regions", tmp_datasets)
    assert table.schema == SCHEMAS["regions"]
    assert table.column("region_code").to_pylist() == ["GM0141", "GM0153"]  # sorted by key


def test_failed_write_changes_nothing_and_leaves_no_temp_files(tmp_datasets, monkeypatch):
    store.write_tables({"regions": _regions("GM0153")}, tmp_datasets)
    before = snapshot(tmp_datasets)
    real_write = store.pq.write_table
    calls = []

    def failing_write(table, where, **kwargs):
        calls.append(where)
        if len(calls) == 2:
            raise OSError("schijf vol")
        return real_write(table, where, **kwargs)

    monkeypatch.setattr(store.pq, "write_table", failing_write)
    obs = store.empty_table("observations")
    with pytest.raises(StorageError, match="schijf vol"):  # the OSError, as a Dutch message
        store.write_tables({"regions": _regions("GM0153", "NL01"), "observations": obs}, tmp_datasets)
    assert snapshot(tmp_datasets) == before


def test_merge_replaces_rows_with_same_key():
    old = _regions("GM0153", "GM0141")
    new = store.to_table("regions", pd.DataFrame({"region_code": ["GM0153"], "name": ["Enschede"],
                                                  "level": ["gemeente"], "parent_code": ["GG_TWENTE"]}))
    merged = store.merge("regions", old, new).to_pandas().set_index("region_code")
    assert merged.loc["GM0153", "name"] == "Enschede"
    assert merged.loc["GM0141", "name"] == "GM0141"
    assert len(merged) == 2


def test_missing_table_reads_as_empty(tmp_datasets):
    table = store.read_table("observations", tmp_datasets)
    assert table.num_rows == 0 and table.schema == SCHEMAS["observations"]


def test_to_table_rejects_missing_column():
    with pytest.raises(ValueError, match="kolommen ontbreken"):
        store.to_table("regions", pd.DataFrame({"region_code": ["GM0153"]}))


def test_schema_is_enforced_on_write(tmp_datasets):
    bad = pa.table({"region_code": ["GM0153"]})
    with pytest.raises((pa.ArrowInvalid, ValueError, KeyError)):
        store.write_tables({"regions": bad}, tmp_datasets)
    assert not any(tmp_datasets.iterdir())
