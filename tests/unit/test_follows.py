"""Following and BO dates (``monitor.data.follows``): every bad input of the forms and of a
foreign file in ``events/follow_events`` is refused or set aside in Dutch and changes nothing;
a follow of a project removed from the register no longer counts and gets no digest."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from monitor.data import event_reader, follows, store
from monitor.data.contract import SCHEMAS
from monitor.data.events import ChangeRefused, PermissionDenied, User
from monitor.notify.digest_round import followed
from monitor.views.veranderd import load_follow_state
from tests import fixture_store as fixture
from tests.helpers import snapshot

NOW = datetime(2025, 7, 1, 10, 0, tzinfo=timezone.utc)
BEHEERDER = User("Bea Beheer", "beheerder", "bea@twentsekoers.nl")
PIET = User("Piet", "lezer", "piet@hengelo.nl")


@pytest.fixture
def ds(tmp_path: Path) -> Path:
    return fixture.write(tmp_path / "datasets")


def follow(ds, user, subject_type="project", subject_id="kinderarmoede", on=True):
    return follows.record_follow(user, subject_type, subject_id, on, dataset_dir=ds, now=NOW)


@pytest.mark.parametrize("user, message", [
    (None, "Log in om een themalijn of project te volgen."),
    (User("Piet", "lezer", "piet@hengelo.nl", blocked=True), "Log in om"),
    (User("Piet", "lezer", None), "Je account heeft geen e-mailadres"),
    (User("Piet", "lezer", "piet@"), "Je account heeft geen e-mailadres"),
    (User("Piet", "lezer", "piet de vries@hengelo.nl"), "Je account heeft geen e-mailadres"),
])
def test_only_a_logged_in_user_with_a_valid_address_follows(ds, user, message):
    before = snapshot(ds)
    with pytest.raises(PermissionDenied, match=re.escape(message)):
        follow(ds, user)
    assert snapshot(ds) == before


@pytest.mark.parametrize("subject_type, subject_id, message", [
    ("project", "opgeheven", "Onbekende project 'opgeheven'."),
    ("themalijn", "armoede", "Onbekende themalijn 'armoede'."),
    ("gemeente", "GM0153", "Onbekend soort onderwerp 'gemeente' (themalijn of project)."),
])
def test_following_what_does_not_exist_is_refused_and_changes_nothing(ds, subject_type, subject_id, message):
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match=re.escape(message)) as refused:
        follow(ds, PIET, subject_type, subject_id)
    assert refused.value.field == "onderwerp"
    assert snapshot(ds) == before


def test_a_follow_of_a_project_removed_from_the_register_no_longer_counts(ds):
    follow(ds, PIET)
    follow(ds, PIET, "themalijn", "ouderen")
    assert followed(ds) == {PIET.email: ({"ouderen"}, {"kinderarmoede"})}
    projects = store.read_frame("projects", ds)
    store.write_tables({"projects": store.to_table("projects", projects[projects["project_id"] != "kinderarmoede"])},
                       ds)
    assert followed(ds) == {PIET.email: ({"ouderen"}, set())}
    assert load_follow_state(PIET.email, date(2025, 7, 1), ds).projects == ()
    skipped = event_reader.skipped_report(ds)
    row = skipped[skipped["Tabel"] == "follow_events"].iloc[0]
    assert row["Kolom"] == "subject_id" and "'kinderarmoede'" in row["Reden"]


@pytest.mark.parametrize("email", ["<script>@x", "Piet@Hengelo.nl", "piet@"])
def test_a_foreign_follow_row_with_a_bad_address_is_set_aside_and_mailed_nothing(ds, email):
    stem = f"20250701T100000000000-{uuid.uuid4().hex}"
    row = {"event_id": stem, "email": email, "subject_type": "themalijn", "subject_id": "ouderen", "follow": True,
           "recorded_at": NOW, "recorded_by": "x", "source_id": "tk-registratie", "undoes": None,
           "recorded_by_email": None, "recorded_by_sub": None}
    folder = ds / "events" / "follow_events"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([row], schema=SCHEMAS["follow_events"]), folder / f"{stem}.parquet")
    assert followed(ds) == {}
    skipped = event_reader.skipped_report(ds)
    assert list(skipped.loc[skipped["Tabel"] == "follow_events", "Kolom"]) == ["email"]


@pytest.mark.parametrize("day, message", [
    (date(2019, 12, 31), "31-12-2019 ligt voor het programma."),
    (date(2027, 7, 2), "02-07-2027 ligt meer dan 2 jaar vooruit."),
    ("volgende week", "'volgende week' is geen geldige datum"),
    (date(2025, 6, 1), "De BO-datum 01-06-2025 is al vastgelegd."),
])
def test_a_bad_bo_date_is_refused_in_dutch_and_changes_nothing(ds, day, message):
    follows.record_bo_date(BEHEERDER, date(2025, 6, 1), "BO juni", dataset_dir=ds, now=NOW)
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match=re.escape(message)):
        follows.record_bo_date(BEHEERDER, day, None, dataset_dir=ds, now=NOW)
    assert snapshot(ds) == before


@pytest.mark.parametrize("user", [PIET, User("Rik", "redacteur", "rik@enschede.nl"), None,
                                  User("Bea", "beheerder", "bea@twentsekoers.nl", blocked=True)])
def test_only_a_beheerder_records_a_bo_date(ds, user):
    before = snapshot(ds)
    with pytest.raises(PermissionDenied):
        follows.record_bo_date(user, date(2025, 6, 1), None, dataset_dir=ds, now=NOW)
    assert snapshot(ds) == before
