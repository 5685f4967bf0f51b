"""The SQL page's sandbox with one damaged dataset file: that table answers with the Dutch
message naming the file; every other table keeps working."""

from __future__ import annotations

import pytest

from monitor.data import sandbox
from tests.faults.faults import DAMAGE


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_table_leaves_the_rest_of_the_sandbox_working(ds, damage):
    DAMAGE[damage](ds / "projects.parquet")
    result = sandbox.run_select("select count(*) as n from observations", directory=ds)
    assert int(result.frame["n"].iloc[0]) > 0
    with pytest.raises(sandbox.SandboxError) as raised:
        sandbox.run_select("select * from projects", directory=ds)
    assert "projects.parquet" in raised.value.message
