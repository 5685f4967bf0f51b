"""The query layer's shaping for national scale: small tables in memory, the
materialised tables of ``queries/materialised/`` and the lazily loaded Veilig Thuis cells.
Every shortcut must show a change of the data at once, without a restart.

On the fixture store with its Veilig Thuis raw counts (tests/fixture_store.py)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import pytest

from tests import fixture_store
from monitor.data import db, events, materialise, queryfiles, store
from monitor.domain import privacy
from monitor.data.events import User


@pytest.fixture
def ds(tmp_path):
    target = fixture_store.write(tmp_path / "datasets", veilig_thuis=True)
    db.clear_cache()
    return target


def _rewrite(name: str, directory, change) -> None:
    frame = store.read_frame(name, directory)
    store.write_tables({name: store.to_table(name, change(frame))}, directory)


def test_every_materialised_file_creates_the_table_it_is_named_after():
    names = queryfiles.materialised_names()
    assert {"monitor_observations", "observation_counts", "vt_published", "source_rows"} <= set(names)
    for name in names:
        text = (queryfiles.MATERIALISED_DIR / f"{name}.sql").read_text(encoding="utf-8")
        assert f"create or replace table {name} as" in text


def test_monitor_observations_holds_only_the_monitor_regions_and_follows_the_file(ds):
    before = db.query("indicator_observations", ds, indicator_ids=["overgewicht"])
    assert set(before["region_code"]) <= set(materialise.MONITOR_REGIONS)
    row = before.iloc[0]

    def change(frame):
        key = ((frame["indicator_id"] == row["indicator_id"]) & (frame["region_code"] == row["region_code"])
               & (frame["period"] == row["period"]) & (frame["subgroup"] == row["subgroup"]))
        frame.loc[key, "value"] = 99.5
        # A gemeente outside the monitor's regions: in the file, never on the pages.
        extra = frame[key].assign(region_code="GM0363")
        return pd.concat([frame, extra])

    _rewrite("observations", ds, change)
    after = db.query("indicator_observations", ds, indicator_ids=["overgewicht"])
    hit = after[(after["region_code"] == row["region_code"]) & (after["period"] == row["period"])
                & (after["subgroup"] == row["subgroup"])]
    assert hit["value"].tolist() == [99.5]
    assert "GM0363" not in set(after["region_code"])
    # The counts over all regions do see the extra row.
    assert db.query("monitor_summary", ds)["real_observations"].iloc[0] == \
        store.read_frame("observations", ds).pipe(lambda f: (~f["is_sample"]).sum())


def test_counts_follow_a_new_indicator_figure(ds):
    indicators = store.read_frame("indicators", ds)
    new = indicators.iloc[[0]].assign(indicator_id="nieuw_getal", name="Nieuw getal")
    store.write_tables({"indicators": store.to_table("indicators", pd.concat([indicators, new]))}, ds)
    listed = db.query("indicator_list", ds).set_index("indicator_id")
    assert not bool(listed.loc["nieuw_getal", "has_figures"])

    def change(frame):
        return pd.concat([frame, frame.iloc[[0]].assign(indicator_id="nieuw_getal", value=12.0, period="2024")])

    _rewrite("observations", ds, change)
    assert bool(db.query("indicator_list", ds).set_index("indicator_id").loc["nieuw_getal", "has_figures"])
    assert db.query("indicator_catalogue", ds).set_index("indicator_id").loc["nieuw_getal", "periods"] == "2024"


def test_comparison_coverage_equals_a_count_over_every_observation_and_follows_the_file(ds):
    """What can be compared is read from the materialised counts: the same as counting every
    observation with a value, and a new region's figure shows at once."""
    def counted(frame):
        kept = frame[frame["value"].notna() & (frame["subgroup"] == "totaal")]
        return {(i, p, None if pd.isna(k) else k): n for (i, p, k), n in
                kept.groupby(["indicator_id", "period", "region_kind"], dropna=False).size().items()}

    ids = sorted(store.read_frame("observations", ds)["indicator_id"].unique())

    def coverage():
        found = db.query("comparison_coverage", ds, indicator_ids=ids, subgroup="totaal")
        assert set(found["subgroup"]) <= {"totaal"}
        return {(i, p, None if pd.isna(k) else k): n for i, p, k, n in
                zip(found["indicator_id"], found["period"], found["region_kind"], found["regions"])}

    assert coverage() == counted(store.read_frame("observations", ds))
    row = store.read_frame("observations", ds).query("value.notna() and subgroup == 'totaal'").iloc[0]

    def change(frame):
        return pd.concat([frame, frame.iloc[[row.name]].assign(region_code="GM0363", region_kind="gemeente")])

    _rewrite("observations", ds, change)
    after = coverage()
    assert after == counted(store.read_frame("observations", ds))
    assert after[(row["indicator_id"], row["period"], "gemeente")] >= 1


def test_source_rows_follow_a_recorded_change(ds):
    def rows():
        return int(db.query("sources_overview", ds).set_index("source_id").loc["tk-registratie", "rows"])

    before = rows()
    editor = User("Anna de Redacteur", "redacteur")
    events.record_kpi_realisation(editor, "schuldhulp-trajecten", "2025Q4", 1, "Eerste pilot", dataset_dir=ds,
                                  now=datetime(2026, 1, 10, 9, tzinfo=timezone.utc))
    assert rows() == before + 1
    events.record_phase_change(editor, "kinderarmoede", "Realisatie", date(2025, 6, 1), "Gestart",
                               dataset_dir=ds, now=datetime(2025, 6, 2, 9, tzinfo=timezone.utc))
    # The in-memory copy of the event table shows it too.
    history = db.query("project_history", ds, project_id="kinderarmoede")
    assert "Realisatie" in set(history["phase"])


def test_a_small_table_in_memory_follows_its_file(ds):
    assert "Gemeente Test" not in set(db.query("project_local_assignments", ds)["region_name"])

    def change(frame):
        frame.loc[frame["region_code"] == fixture_store.ENSCHEDE, "name"] = "Gemeente Test"  # has assignments
        return frame

    _rewrite("regions", ds, change)
    assert "Gemeente Test" in set(db.query("project_local_assignments", ds)["region_name"])
    # ... and in the materialised project_facts behind the project overview.
    overview = db.query("project_overview", ds, peildatum="2025-07-01")
    assert overview["gemeenten"].str.contains("Gemeente Test").any()


def test_the_veilig_thuis_cells_load_only_when_a_query_needs_them(ds, monkeypatch):
    calls = []
    real = privacy.stored_pattern

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(privacy, "stored_pattern", counting)
    db.query("project_overview", ds, peildatum="2025-07-01")
    db.query("indicator_list", ds)
    assert calls == []
    assert queryfiles.needs_private(queryfiles.declaration(queryfiles.query_path("vt_trend")).reads)
    # via source_rows → vt_reports_protected
    assert queryfiles.needs_private(queryfiles.declaration(queryfiles.query_path("sources_overview")).reads)
    assert not queryfiles.needs_private(queryfiles.declaration(queryfiles.query_path("project_overview")).reads)
    db.query("vt_status", ds)
    assert calls == [1]


def test_vt_published_follows_the_privacy_settings(ds, tmp_path, monkeypatch):
    # the fixture's counts are raw (voorbeelddata): the monitor's own protection applies
    settings = tmp_path / "veilig-thuis.toml"
    settings.write_text("[privacy]\nmin_count = 10\nrounding = 5\n")
    monkeypatch.setattr(privacy, "SETTINGS_FILE", settings)
    first = db.query("vt_gemeenten", ds, kind="melding", period="2025H1")
    assert db.query("vt_status", ds)["min_count"].iloc[0] == 10
    # Tubbergen's meldingen in 2025H1 (55 in the fixture) are below 100, the others above
    settings.write_text("[privacy]\nmin_count = 100\nrounding = 5\n")
    assert db.query("vt_status", ds)["min_count"].iloc[0] == 100
    second = db.query("vt_gemeenten", ds, kind="melding", period="2025H1")
    assert first["count"].notna().all()
    assert second["count"].isna().sum() > first["count"].isna().sum()
    assert (second["count"].dropna() >= 100).all()


def test_a_real_kpi_value_beats_voorbeelddata_built_later(ds):
    """The build stamps voorbeelddata with its own date; a value a person recorded earlier for
    the same KPI and period still counts, the generated one never hides it."""
    def add_sample(frame: pd.DataFrame) -> pd.DataFrame:
        sample = frame.iloc[[0]].assign(event_id="voorbeeld-1", value=99.0, is_sample=True,
                                        recorded_at=pd.Timestamp("2026-11-01", tz="UTC"))
        return pd.concat([frame, sample])

    _rewrite("kpi_realisations", ds, add_sample)
    db.clear_cache()
    periods = db.query("kpi_real_periods", ds)
    assert ("schuldhulp-trajecten", "2025Q1") in set(zip(periods["kpi_id"], periods["period"]))
    values = db.query("changes_since_kpi_values", ds, since="2025-01-01", until="2026-12-07")
    mine = values[(values["kpi_id"] == "schuldhulp-trajecten") & (values["period"] == "2025Q1")]
    assert len(mine) == 1 and not mine.iloc[0]["is_sample"] and mine.iloc[0]["value"] != 99.0
