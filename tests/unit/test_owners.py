"""Owners and rights: naming owners (Beheer page, declaration file), the current owners query,
and who may record for which project (checked at the moment of writing)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from monitor.data import checkins, event_reader, events, owners, rights, store
from monitor.data.events import ChangeRefused, PermissionDenied, User
from monitor.views.owners import load_current_owners, projects_without_owner
from tests import fixture_store as fixture
from tests.helpers import snapshot

NOW = datetime(2025, 7, 1, 10, 0, tzinfo=timezone.utc)
BEHEERDER = User("Bea Beheer", "beheerder", "bea@twentsekoers.nl", "sub-bea")
REDACTEUR = User("Rik Redacteur", "redacteur", "rik@enschede.nl")
LEIDER = User("Piet de Vries", None, "P.deVries@Hengelo.nl", "sub-piet")   # projectleider of kinderarmoede
THEMA = User("Anja Jansen", "lezer", "a.jansen@enschede.nl")               # themaleider ouderen
STRANGER = User("Sam", "lezer", "sam@almelo.nl")


@pytest.fixture
def ds(tmp_path: Path) -> Path:
    return fixture.write(tmp_path / "datasets")


def name(ds, kind, subject, email, label=None):
    return owners.record_owner(BEHEERDER, kind, subject, email, label, dataset_dir=ds, now=NOW)


def checkin(ds, user, project="kinderarmoede", **kwargs):
    values = {"checkin_date": date(2025, 7, 1), "period": "2025Q3", "judgement": "op koers", "note": None,
              "phase": "Ontwerp", "phase_date": date(2025, 6, 15)} | kwargs
    return checkins.record_checkin(user, project, dataset_dir=ds, now=NOW, **values)


# ------------------------------------------------------------------------ naming owners

def test_a_beheerder_names_owners_and_the_query_shows_them_kpis_inherit(ds):
    name(ds, "project", "schuldhulp", " P.deVries@Hengelo.nl ", "Piet de Vries")
    name(ds, "themalijn", "bestaanszekerheid", "a.jansen@enschede.nl")
    found = load_current_owners(ds).set_index(["subject_type", "subject_id"])
    assert found.loc[("project", "schuldhulp"), "email"] == "p.devries@hengelo.nl"  # lower case
    assert found.loc[("project", "schuldhulp"), "themaleider_email"] == "a.jansen@enschede.nl"
    kpi = found.loc[("kpi", "schuldhulp-trajecten")]
    assert kpi["email"] == "p.devries@hengelo.nl" and bool(kpi["inherited"])
    without = set(projects_without_owner(load_current_owners(ds))["subject_id"])
    assert without == set(fixture.PROJECTS) - {"schuldhulp"}


def test_removing_an_owner_is_an_event_with_no_email(ds):
    name(ds, "project", "schuldhulp", "p.devries@hengelo.nl")
    name(ds, "project", "schuldhulp", "")
    assert "schuldhulp" in set(projects_without_owner(load_current_owners(ds))["subject_id"])
    assert len(list((ds / "events" / "owner_events").glob("*.parquet"))) == 2  # append-only


@pytest.mark.parametrize("kind, subject, email, field, message", [
    ("project", "schuldhulp", "piet@", "email", "geen geldig e-mailadres"),
    ("project", "schuldhulp", "piet de vries@hengelo.nl", "email", "geen geldig e-mailadres"),
    ("project", "schuldhulp", "<b>x</b>@hengelo.nl", "email", "geen geldig e-mailadres"),
    ("project", "opgeheven-project", "p@hengelo.nl", "id", "staat niet (meer) in de monitor"),
    ("team", "schuldhulp", "p@hengelo.nl", "soort", "geen soort"),
])
def test_bad_owner_input_is_refused_in_dutch_and_changes_nothing(ds, kind, subject, email, field, message):
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match=re.escape(message)) as refused:
        name(ds, kind, subject, email)
    assert refused.value.field == field
    assert snapshot(ds) == before


@pytest.mark.parametrize("user", [REDACTEUR, LEIDER, STRANGER, None,
                                  User("Bea", "beheerder", "bea@twentsekoers.nl", blocked=True)])
def test_only_a_beheerder_names_owners(ds, user):
    name(ds, "project", "kinderarmoede", "p.devries@hengelo.nl")  # LEIDER owns something
    before = snapshot(ds)
    with pytest.raises(PermissionDenied):
        owners.record_owner(user, "project", "schuldhulp", "x@hengelo.nl", dataset_dir=ds, now=NOW)
    assert snapshot(ds) == before


# ------------------------------------------------------------------------ declaration file

def test_a_declaration_file_names_owners_and_a_second_import_changes_nothing(ds, tmp_path):
    path = tmp_path / "eigenaren.csv"
    path.write_text("soort;id;email;naam\nthemalijn;ouderen;a.jansen@enschede.nl;Anja Jansen\n"
                    "project;kinderarmoede;p.devries@hengelo.nl;Piet de Vries\nkpi;leefstijl-bereik;;\n",
                    encoding="utf-8")
    first = owners.import_declaration(BEHEERDER, path, dataset_dir=ds, now=NOW)
    assert (first.written, first.unchanged) == (2, 1)  # the empty kpi row removes nobody: none was named
    second = owners.import_declaration(BEHEERDER, path, dataset_dir=ds, now=NOW)
    assert (second.written, second.unchanged) == (0, 3)
    found = load_current_owners(ds).set_index(["subject_type", "subject_id"])
    assert found.loc[("themalijn", "ouderen"), "name"] == "Anja Jansen"


@pytest.mark.parametrize("body, message", [
    ("soort,id,email\nproject,kinderarmoede,p.devries@hengelo\n",
     "eigenaren.csv, rij 2, kolom email: 'p.devries@hengelo' is geen geldig e-mailadres"),
    ("soort;id;email\nproject;kinderarmoede;p@hengelo.nl\nproject;opgeheven;q@hengelo.nl\n",
     "eigenaren.csv, rij 3, kolom id: Onbekend project 'opgeheven'"),
    ("soort;id;email\nproject;kinderarmoede;p@hengelo.nl\nproject;kinderarmoede;q@hengelo.nl\n",
     "eigenaren.csv, rij 3, kolom id: 'kinderarmoede' staat al in rij 2"),
    ("soort;project;email\n", "eigenaren.csv: kolom id ontbreekt"),
])
def test_a_bad_declaration_file_is_refused_whole_naming_file_row_and_column(ds, tmp_path, body, message):
    path = tmp_path / "eigenaren.csv"
    path.write_text(body, encoding="utf-8")
    before = snapshot(ds)
    with pytest.raises(ChangeRefused) as refused:
        owners.import_declaration(BEHEERDER, path, dataset_dir=ds, now=NOW)
    assert message in refused.value.message
    assert snapshot(ds) == before


# ------------------------------------------------------------------------ rights

def test_a_projectleider_records_for_their_project_and_not_for_another(ds):
    name(ds, "project", "kinderarmoede", "p.devries@hengelo.nl")
    row = checkin(ds, LEIDER)
    assert row["recorded_by_email"] == LEIDER.email and row["project_id"] == "kinderarmoede"
    before = snapshot(ds)
    with pytest.raises(PermissionDenied, match="Valpreventie"):
        checkin(ds, LEIDER, project="valpreventie", phase="Realisatie")
    with pytest.raises(PermissionDenied):
        events.record_phase_change(LEIDER, "schuldhulp", "Ontwerp", date(2025, 6, 1), None, dataset_dir=ds, now=NOW)
    assert snapshot(ds) == before


def test_a_themaleider_records_for_every_project_of_their_themalijn(ds):
    name(ds, "themalijn", "ouderen", "a.jansen@enschede.nl")
    assert rights.may_record_project(THEMA, "valpreventie", ds)
    assert rights.may_record_project(THEMA, "mantelzorg", ds)
    assert not rights.may_record_project(THEMA, "kinderarmoede", ds)


def test_a_redacteur_records_only_where_no_owner_is_named(ds):
    assert rights.may_record_project(REDACTEUR, "kinderarmoede", ds)
    name(ds, "project", "kinderarmoede", "p.devries@hengelo.nl")
    assert not rights.may_record_project(REDACTEUR, "kinderarmoede", ds)
    assert rights.may_record_project(REDACTEUR, "schuldhulp", ds)
    name(ds, "themalijn", "bestaanszekerheid", "a.jansen@enschede.nl")
    assert not rights.may_record_project(REDACTEUR, "schuldhulp", ds)
    assert rights.may_record_project(BEHEERDER, "schuldhulp", ds)


def test_a_withdrawn_owner_records_nothing(ds):
    name(ds, "project", "kinderarmoede", "p.devries@hengelo.nl")
    withdrawn = User(LEIDER.name, None, LEIDER.email, LEIDER.sub, blocked=True)
    with pytest.raises(PermissionDenied):
        checkin(ds, withdrawn)
    assert not rights.may_record_project(withdrawn, "kinderarmoede", ds)


def test_the_owner_is_checked_at_the_moment_of_writing(ds):
    name(ds, "project", "kinderarmoede", "p.devries@hengelo.nl")
    name(ds, "project", "kinderarmoede", "iemand.anders@hengelo.nl")  # the beheerder moved it on
    with pytest.raises(PermissionDenied):
        checkin(ds, LEIDER)



def test_an_owner_of_a_project_removed_from_the_register_no_longer_counts_and_is_reported(ds):
    name(ds, "project", "kinderarmoede", "p.devries@hengelo.nl")
    projects = store.read_frame("projects", ds)
    store.write_tables({"projects": store.to_table("projects", projects[projects["project_id"] != "kinderarmoede"])},
                       ds)
    assert "kinderarmoede" not in set(load_current_owners(ds)["subject_id"])
    assert not rights.may_record_project(LEIDER, "kinderarmoede", ds)
    skipped = event_reader.skipped_report(ds)
    row = skipped[skipped["Tabel"] == "owner_events"].iloc[0]
    assert row["Kolom"] == "subject_id" and "onbekend project, themalijn of KPI 'kinderarmoede'" in row["Reden"]


def test_an_address_outside_the_organisations_domains_is_unknown_and_refused(ds, monkeypatch):
    monkeypatch.setenv("MONITOR_OWNER_DOMAINS", "hengelo.nl, @Enschede.nl")
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match=re.escape("Onbekend e-mailadres 'p@hengelo.nll': het domein hengelo.nll "
                                                      "hoort niet bij de organisaties van de monitor "
                                                      "(hengelo.nl, enschede.nl).")):
        name(ds, "project", "schuldhulp", "p@hengelo.nll")
    assert snapshot(ds) == before
    assert name(ds, "project", "schuldhulp", "p@wijk.enschede.nl")["email"] == "p@wijk.enschede.nl"


@pytest.mark.parametrize("change, column", [
    ({"email": "Piet@Hengelo.nl"}, "email"),            # not as the writer stores it
    ({"email": "<script>@x"}, "email"),
    ({"role": "beheerder"}, "role"),                    # a file that would give itself more
    ({"subject_type": "gemeente"}, "subject_type"),
])
def test_a_foreign_owner_row_is_set_aside_and_gives_no_right(ds, change, column):
    import uuid

    import pyarrow as pa
    import pyarrow.parquet as pq

    from monitor.data.contract import SCHEMAS

    stem = f"20250701T100000000000-{uuid.uuid4().hex}"
    row = {"event_id": stem, "subject_type": "project", "subject_id": "kinderarmoede", "role": "projectleider",
           "email": "piet@hengelo.nl", "name": None, "note": None, "recorded_at": NOW, "recorded_by": "x",
           "source_id": "tk-registratie", "undoes": None, "recorded_by_email": None, "recorded_by_sub": None} | change
    folder = ds / "events" / "owner_events"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([row], schema=SCHEMAS["owner_events"]), folder / f"{stem}.parquet")
    skipped = event_reader.skipped_report(ds)
    assert list(skipped.loc[skipped["Tabel"] == "owner_events", "Kolom"]) == [column]
    assert not rights.may_record_project(User("Piet", None, "piet@hengelo.nl"), "kinderarmoede", ds)


def test_a_declaration_file_with_an_address_outside_the_domains_is_refused_naming_row_and_column(
        ds, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_OWNER_DOMAINS", "hengelo.nl")
    path = tmp_path / "eigenaren.csv"
    path.write_text("soort;id;email\nproject;kinderarmoede;p@hengelo.nl\nproject;schuldhulp;q@gmail.com\n",
                    encoding="utf-8")
    before = snapshot(ds)
    with pytest.raises(ChangeRefused) as refused:
        owners.import_declaration(BEHEERDER, path, dataset_dir=ds, now=NOW)
    assert "eigenaren.csv, rij 3, kolom email: Onbekend e-mailadres 'q@gmail.com'" in refused.value.message
    assert snapshot(ds) == before  # the good row 2 is not written either
