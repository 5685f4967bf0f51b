"""A corrupt or truncated Parquet file in datasets/: a Dutch message naming the file, only
for what needs it; everything else keeps working; a good file heals it without a restart."""

from __future__ import annotations

import pytest

from monitor.data import db, forensics, queryfiles
from monitor.data.contract import PRIVATE_TABLES, TABLES
from monitor.data.errors import DatasetUnreadable
from tests.faults.faults import DAMAGE, break_pages, heal, truncate
from tests.pages.app import open_page

PUBLIC = [name for name in TABLES if name not in PRIVATE_TABLES]


@pytest.fixture
def queries(tmp_path, monkeypatch):
    """Query files of the tests' own: everything of a table, and a filtered count."""
    folder = tmp_path / "queries"
    folder.mkdir()
    for name in TABLES:
        (folder / f"all_{name}.sql").write_text(f"-- params:\n-- reads: {name}\nselect * from {name}\n")
        (folder / f"count_{name}.sql").write_text(f"-- params:\n-- reads: {name}\nselect count(*) as n from {name} where {_first(name)} is not null\n")
    (folder / "vt_state.sql").write_text("-- params:\n-- reads: vt_privacy_status\nselect error from vt_privacy_status\n")
    (folder / "vt_rows.sql").write_text("-- params:\n-- reads: vt_reports_protected\nselect count(*) as n from vt_reports_protected\n")
    monkeypatch.setattr(queryfiles, "QUERIES_DIR", folder)
    db.clear_cache()
    return folder


def _first(name: str) -> str:
    from monitor.data.contract import SCHEMAS

    return SCHEMAS[name].names[0]


def _other(name: str) -> str:
    return "projects" if name != "projects" else "regions"


def _assert_names_file(error: DatasetUnreadable, name: str) -> None:
    text = str(error)
    assert f"{name}.parquet" in text
    assert "kan niet worden gelezen" in text
    assert "python -m monitor build" in text  # what to do about it


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("name", PUBLIC)
def test_a_damaged_table_fails_only_its_own_queries_and_heals(ds, queries, name, damage):
    path = ds / f"{name}.parquet"
    expected = len(db.query(f"all_{name}", ds))
    if damage == "kapotte-pagina" and expected == 0:
        pytest.skip(f"{name}.parquet is leeg (alleen gebeurtenisbestanden): geen gegevenspagina om te beschadigen")
    other = len(db.query(f"all_{_other(name)}", ds))
    DAMAGE[damage](path)

    with pytest.raises(DatasetUnreadable) as caught:
        db.query(f"all_{name}", ds)
    _assert_names_file(caught.value, name)
    assert caught.value.file == path.resolve()
    # A filtered query is refused too, never answered from an empty stand-in.
    with pytest.raises(DatasetUnreadable):
        db.query(f"count_{name}", ds)
    # What does not read the file keeps working, in the same process.
    assert len(db.query(f"all_{_other(name)}", ds)) == other
    # The sidebar notice lists the file (a broken page is known once a scan has failed).
    assert [p.file.name for p in forensics.dataset_problems(ds)] == [path.name]

    heal(path)
    assert len(db.query(f"all_{name}", ds)) == expected
    assert db.query(f"count_{name}", ds)["n"].iloc[0] == expected
    assert forensics.dataset_problems(ds) == []


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_private_file_shows_no_figures_and_nothing_else_breaks(ds, queries, damage):
    path = ds / "vt_reports.parquet"
    assert db.query("vt_rows", ds)["n"].iloc[0] > 0
    DAMAGE[damage](path)
    assert db.query("vt_rows", ds)["n"].iloc[0] == 0
    assert "vt_reports.parquet" in db.query("vt_state", ds)["error"].iloc[0]
    assert len(db.query("all_projects", ds)) == 29
    if damage != "kapotte-pagina":  # a broken page needs a full read; the snapshot catches it itself
        assert [p.file.name for p in forensics.dataset_problems(ds)] == ["vt_reports.parquet"]
    heal(path)
    assert db.query("vt_rows", ds)["n"].iloc[0] > 0
    assert db.query("vt_state", ds)["error"].iloc[0] is None


def test_a_damaged_built_history_fails_with_recorded_events_too(ds, queries):
    from datetime import date

    from monitor.data import events

    events.record_phase_change(events.User("Anna", "redacteur"), "alcoholontmoediging", "Ontwerp",
                               date(2025, 6, 1), None, dataset_dir=ds)
    assert len(db.query("all_phase_events", ds)) == 30
    truncate(ds / "phase_events.parquet")
    with pytest.raises(DatasetUnreadable, match="phase_events.parquet"):
        db.query("all_phase_events", ds)
    heal(ds / "phase_events.parquet")
    assert len(db.query("all_phase_events", ds)) == 30


@pytest.mark.parametrize("damage", ["afgebroken", "kapotte-pagina"])
def test_a_damaged_event_file_is_set_aside_and_named(ds, queries, damage):
    """A recorded event file that does not decode is left out (the other events still count)
    and named on the beheer view; the table itself keeps working (monitor.data.event_reader)."""
    from datetime import date

    from monitor.data import event_reader, events

    user = events.User("Anna", "redacteur")
    first = events.record_phase_change(user, "alcoholontmoediging", "Ontwerp", date(2025, 6, 1), None,
                                       dataset_dir=ds)
    second = events.record_phase_change(user, "alcoholontmoediging", "Voorbereiding", date(2025, 6, 2), None,
                                        dataset_dir=ds)
    event_file = ds / "events" / "phase_events" / f"{first['event_id']}.parquet"
    if damage == "afgebroken":
        truncate(event_file)
    else:
        break_pages(event_file, every_column=True)
    ids = set(db.query("all_phase_events", ds)["event_id"])
    assert second["event_id"] in ids and first["event_id"] not in ids and len(ids) == 30
    report = event_reader.skipped_report(ds)
    assert list(report["Bestand"]) == [event_file.name]
    assert "geen geldig Parquet-bestand" in report.iloc[0]["Reden"]
    assert forensics.dataset_problems(ds) == []


def test_a_wrong_schema_is_named_with_the_column(ds, queries):
    (ds / "regions.parquet").write_bytes((ds / "sources.parquet").read_bytes())  # another table's file
    with pytest.raises(DatasetUnreadable, match="regions.parquet.*kolommen ontbreken.*region_code"):
        db.query("all_regions", ds)
    assert len(db.query("all_projects", ds)) == 29


def test_an_error_in_a_query_itself_is_not_blamed_on_a_file(ds, queries):
    (queries / "wrong.sql").write_text("-- params:\n-- reads: projects\nselect no_such_column from projects\n")
    import duckdb

    with pytest.raises(duckdb.BinderException):
        db.query("wrong", ds)
    assert forensics.dataset_problems(ds) == []


# ------------------------------------------------------------------------------ the pages

def _main_errors(at) -> str:
    return "\n".join(e.value for e in at.main.error)


def _sidebar_errors(at) -> str:
    return "\n".join(e.value for e in at.sidebar.error)


def test_corrupt_observations_projecten_works_indicatoren_says_which_file(app_ds):
    truncate(app_ds / "observations.parquet")

    at = open_page("projecten", {"peildatum": "2025-07-01"})  # fails on any exception
    assert not _main_errors(at)
    table = next(df.value for df in at.dataframe if "Project" in df.value.columns)
    assert len(table) == 29
    assert "observations.parquet" in _sidebar_errors(at)  # the shell's notice

    at = open_page("indicatoren")
    message = _main_errors(at)
    assert "observations.parquet" in message and "python -m monitor build" in message
    assert not at.get("vega_lite_chart")  # no chart drawn from an empty stand-in
    assert any("peildatum van de data" in c.value for c in at.caption)  # the footer still shows


def test_broken_page_in_phase_events_indicatoren_works_projecten_says_which_file(app_ds):
    break_pages(app_ds / "phase_events.parquet", every_column=True)

    at = open_page("indicatoren")
    assert not _main_errors(at)
    assert at.title[0].value == "Indicatoren"
    assert len(at.get("vega_lite_chart")) == 4

    at = open_page("projecten", {"peildatum": "2025-07-01"})
    message = _main_errors(at)
    assert "phase_events.parquet" in message and "python -m monitor build" in message
    assert "phase_events.parquet" in _sidebar_errors(at)  # found while the page ran, listed at once

    heal(app_ds / "phase_events.parquet")
    at = open_page("projecten", {"peildatum": "2025-07-01"})
    assert not _main_errors(at) and not _sidebar_errors(at)


@pytest.mark.parametrize("broken", ["projects.parquet", "phase_events.parquet"])
def test_recording_against_an_unreadable_file_names_it_and_writes_nothing(ds, broken):
    from datetime import date

    from monitor.data import events
    from tests.helpers import snapshot

    user = events.User("Anna", "redacteur")
    events.record_phase_change(user, "alcoholontmoediging", "Ontwerp", date(2025, 6, 1), None, dataset_dir=ds)
    path = ds / broken
    truncate(path)
    before = snapshot(ds)
    with pytest.raises(DatasetUnreadable, match=path.name):
        events.record_phase_change(user, "alcoholontmoediging", "Voorbereiding", date(2025, 6, 2), None,
                                   dataset_dir=ds)
    assert snapshot(ds) == before


def test_recording_next_to_a_damaged_event_file_validates_against_the_rest(ds):
    """A damaged recorded event file is set aside for the writer's validation too: the next change
    is checked against the events that count, and the damaged file stays (never rewritten)."""
    from datetime import date

    from monitor.data import events

    user = events.User("Anna", "redacteur")
    first = events.record_phase_change(user, "alcoholontmoediging", "Ontwerp", date(2025, 6, 1), None,
                                       dataset_dir=ds)
    path = ds / "events" / "phase_events" / f"{first['event_id']}.parquet"
    truncate(path)
    damaged = path.read_bytes()
    assert events.current_phase("alcoholontmoediging", dataset_dir=ds) == "Definitie"
    events.record_phase_change(user, "alcoholontmoediging", "Ontwerp", date(2025, 6, 2), None, dataset_dir=ds)
    assert events.current_phase("alcoholontmoediging", dataset_dir=ds) == "Ontwerp"
    assert path.read_bytes() == damaged


def test_import_into_a_folder_with_an_unreadable_table_is_refused_by_name(ds, capsys):
    from monitor.__main__ import EXIT_DATASETS, main
    from tests.faults.faults import REPO
    from tests.helpers import snapshot

    garbage_path = ds / "sources.parquet"
    DAMAGE["geen-parquet"](garbage_path)
    before = snapshot(ds)
    code = main(["ingest", str(REPO / "tests" / "data" / "cbs" / "85012NED_mini.csv"), "--dataset-dir", str(ds)])
    err = capsys.readouterr().err
    assert code == EXIT_DATASETS
    assert "sources.parquet" in err and "kan niet worden gelezen" in err and "Er is niets gewijzigd" in err
    assert snapshot(ds) == before
