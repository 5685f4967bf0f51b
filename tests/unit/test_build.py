# Reads the committed datasets/: the integration test: a rebuild from ../shared equals the committed tables, and what the app ships works on them (query files, SQL examples, no voorbeelddata on a slide).
"""The embedded datasets: rebuilt from the sources they equal the committed ones.

The one integration test of the committed ``datasets/`` (logic tests use the fixture store,
tests/fixture_store.py): ``test_rebuild_equals_committed`` builds from ``../shared`` into a
temporary folder (as ``make rebuild`` does in place) and compares every table. Without
``../shared`` it is skipped with the reason, under ``CI=true`` it fails. Beside it, what the
app ships must work on the data it ships: every query file's documented example and every SQL
example of the SQL page return rows on the committed tables."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timezone

import pandas as pd
import pytest

from monitor.data import checkins, db, events, follows, sandbox, store
from monitor.data.build import build
from monitor.data.contract import SCHEMAS, TABLES


def test_committed_datasets_follow_the_contract():
    for name in TABLES:
        path = store.table_path(name)
        assert path.exists(), f"datasets/{name}.parquet ontbreekt: draai 'python -m monitor build'"
        table = store.read_table(name)
        assert table.schema == SCHEMAS[name], name


@pytest.fixture(scope="module")
def rebuilt(shared_dir, tmp_path_factory):
    target = tmp_path_factory.mktemp("rebuild") / "datasets"
    assert build(target, shared=shared_dir, log=lambda *_a: None) == 0
    return target


@pytest.mark.parametrize("name", TABLES)
def test_rebuild_equals_committed(rebuilt, name):
    committed = store.read_table(name)
    fresh = store.read_table(name, rebuilt)
    assert fresh.num_rows == committed.num_rows, name
    assert fresh.equals(committed), (
        f"datasets/{name}.parquet wijkt af van een verse build; draai 'make rebuild' en commit het resultaat")


def test_build_refuses_changed_source_file(shared_dir, tmp_path, monkeypatch):
    from monitor.data import build as build_mod

    fake_shared = tmp_path / "shared"
    shutil.copytree(shared_dir / "data", fake_shared / "data")
    target = fake_shared / "data" / "cbs" / "85012NED_gezondheidsmonitor_volwassenen_2020.csv"
    target.chmod(0o644)
    target.write_bytes(target.read_bytes().replace(b"79.1", b"79.2", 1))
    out = tmp_path / "datasets"
    with pytest.raises(build_mod.MonitorError, match="gewijzigd"):
        build(out, shared=fake_shared, log=lambda *_a: None)
    assert not out.exists() or not any(out.glob("*.parquet"))


def test_build_if_missing_keeps_existing(tmp_path):
    from tests import fixture_store

    target = fixture_store.write(tmp_path / "datasets")
    before = {p.name: p.stat().st_mtime_ns for p in target.iterdir()}
    assert build(target, shared=tmp_path / "nowhere", if_missing=True, log=lambda *_a: None) == 0
    assert {p.name: p.stat().st_mtime_ns for p in target.iterdir()} == before


@pytest.mark.parametrize("example", sandbox.examples(), ids=lambda e: e.title)
def test_every_sql_example_returns_rows_on_the_committed_datasets(example):
    """What the SQL page offers as an example runs as it stands on the data the app ships."""
    result = sandbox.run_select(example.sql)
    assert len(result.frame) > 0 and not result.truncated
    assert example.description


# Queries that rightly find nothing on the committed data, each with why (and where it is tested with rows).
EMPTY_ON_COMMITTED = {
    "changes_since_targets": "no Twente figure meets its target yet (rows: test_views_veranderd)",
    "vt_incomplete": "no cut-off Veilig Thuis file is embedded (rows: tests/pages/test_veilig_thuis_breakdowns.py)",
}


def test_every_query_file_runs_on_the_committed_datasets(tmp_path):
    """Each queries/*.sql runs against the real embedded datasets, plus one recorded phase
    change and KPI realisation, with its documented example, and returns rows.

    A query file documents its parameters in a line ``-- example: {"code": "GM0153"}``.
    """
    directory = tmp_path / "datasets"
    shutil.copytree(store.dataset_dir(), directory, ignore=shutil.ignore_patterns("events"))
    editor = events.User("test-redacteur", "redacteur")
    now = datetime(2025, 11, 1, 12, tzinfo=timezone.utc)
    events.record_phase_change(editor, "kinderarmoede", "Ontwerp", date(2025, 3, 1), "test",
                               dataset_dir=directory, now=now)
    events.record_kpi_realisation(editor, "participatie-naar-werk-2025", "2025Q3", 60, "test",
                                  dataset_dir=directory, now=now)
    checkins.record_checkin(editor, "kinderarmoede", checkin_date=date(2025, 10, 1), period="2025Q3",
                            judgement="op koers", note="test", phase="Ontwerp", dataset_dir=directory, now=now)
    beheerder = events.User("test-beheerder", "beheerder", "beheer@example.nl")
    follows.record_bo_date(beheerder, date(2025, 9, 1), "test", dataset_dir=directory, now=now)
    follows.record_follow(beheerder, "themalijn", "ouderen", True, dataset_dir=directory, now=now)
    db.clear_cache()
    files = sorted(store.REPO_ROOT.joinpath("queries").glob("*.sql"))
    assert files
    for path in files:
        params = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("-- example:"):
                params = json.loads(line.removeprefix("-- example:"))
        result = db.query(path.stem, directory, **params)
        assert isinstance(result, pd.DataFrame), path.name
        if path.stem in EMPTY_ON_COMMITTED:
            continue
        assert not result.empty, f"{path.name} geeft geen rijen op de ingebedde datasets"


def test_no_generated_figures_on_a_slide_where_a_real_indicator_exists():
    """On the committed data, bestaanszekerheid's "De 14 gemeenten vergeleken" shows a real
    indicator (wanbetalers zorgpremie, CBS 81064NED), not generated "moeite met rondkomen"
    figures; no slide of figures carries voorbeelddata (only the project KPIs' realisations are)."""
    from monitor.views.presentatie import build_deck

    decks = [build_deck(themalijn, date(2026, 6, 1)) for themalijn in (None, "bestaanszekerheid")]
    gemeenten = next(s for s in decks[1].slides if s.kind == "gemeenten")
    assert "Wanbetalers zorgpremie" in gemeenten.title and "voorbeelddata" not in gemeenten.chart_text.lower()
    for slide in decks[0].slides:
        if slide.kind in ("gemeenten", "trend", "kerncijfers"):
            assert not slide.is_sample and not any(line.startswith("Voorbeelddata") for line in slide.sources), slide.title


def test_the_committed_data_holds_no_generated_figures_but_the_kpi_realisations():
    """Real per-gemeente figures exist for every themalijn that would get generated ones, so
    nothing is generated; the Veilig Thuis figures are CBS's (protected by CBS); only the
    project KPIs' realisations are voorbeelddata (their shape is checked on the generator in
    test_voorbeelddata)."""
    from monitor.ingest import voorbeelddata

    observations = store.read_frame("observations")
    assert not observations["is_sample"].any()
    assert voorbeelddata.sample_observations(store.read_frame("population"), observations).empty
    assert voorbeelddata.real_gemeente_themalijnen(observations) >= {"bestaanszekerheid", "mentale-gezondheid"}
    vt = store.read_frame("vt_reports")
    assert not vt["is_sample"].any() and set(vt["protected_by"]) == {"CBS"}
    assert set(vt["source_id"]) == {"cbs-84847NED", "cbs-85361NED"}
    sources = store.read_frame("sources").set_index("source_id")
    assert voorbeelddata.SAMPLE_VT_SOURCE_ID not in sources.index
    assert sources.index[sources["is_sample"]].tolist() == [voorbeelddata.SAMPLE_SOURCE_ID]
    kpis = store.read_frame("project_kpis").set_index("kpi_id")
    realisations = store.read_frame("kpi_realisations")
    assert realisations["is_sample"].all() and set(realisations["kpi_id"]) <= set(kpis.index)
