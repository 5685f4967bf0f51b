"""``python -m monitor herinneringen`` end to end: owners and voortgangsmeldingen recorded as
events in a fixture dataset folder, the [smtp] table in a secrets file, a real SMTP server
(aiosmtpd): one mail per owner, links that open each project's form, nothing for a project that
was checked in, nothing twice, a dry run, a server that is down, and the digest to followers."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from monitor.__main__ import main
from monitor.data import events, follows
from monitor.data.checkins import record_checkin
from monitor.data.owners import record_owner
from monitor.data.users import User
from monitor.views.veranderd import build_veranderd, load_veranderd
from tests import fixture_store
from tests.smtpserver import MailServer

URL = "https://monitor.twentsekoers.test"
TODAY = date(2025, 7, 1)  # the fixture's peildatum
NOW = datetime(2025, 7, 1, 9, 0, tzinfo=timezone.utc)
BEHEERDER = User(name="Bea Beheer", role="beheerder", email="bea@twentsekoers.test")
ANNA, BERT, CARLA = "anna@twente.test", "bert@twente.test", "carla@twente.test"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """The fixture folder with owners (Anna: schuldhulp and kinderarmoede; Bert: valpreventie;
    Carla: leefstijl and themaleider of preventie-en-gezondheid), a check-in for leefstijl and
    weerbaarheid (no owner), followers and a BO date."""
    folder = fixture_store.write(tmp_path_factory.mktemp("cli") / "datasets")
    for subject_type, subject_id, email in [("project", "schuldhulp", ANNA), ("project", "kinderarmoede", ANNA),
                                            ("project", "valpreventie", BERT), ("project", "leefstijl", CARLA),
                                            ("themalijn", "preventie-en-gezondheid", CARLA)]:
        record_owner(BEHEERDER, subject_type, subject_id, email, dataset_dir=folder, now=NOW)
    carla = User(name="Carla", role="lezer", email=CARLA)
    record_checkin(carla, "leefstijl", checkin_date=date(2025, 6, 20), period="2025Q2", judgement="op koers",
                   note="Loopt <b>goed</b>", phase="Ontwerp", kpi_values={"leefstijl-bereik": 20},
                   dataset_dir=folder, now=NOW)
    follows.record_follow(carla, "themalijn", "preventie-en-gezondheid", True, dataset_dir=folder, now=NOW)
    follows.record_follow(User(name="Bert", role="lezer", email=BERT), "project", "valpreventie", True,
                          dataset_dir=folder, now=NOW)
    follows.record_bo_date(BEHEERDER, date(2025, 6, 1), "BO juni", dataset_dir=folder, now=NOW)
    events.record_phase_change(BEHEERDER, "weerbaarheid", "Realisatie", date(2025, 6, 25), "Gestart",
                               dataset_dir=folder, now=NOW)
    return folder


@pytest.fixture
def folder(recorded, tmp_path):
    copy = tmp_path / "datasets"
    shutil.copytree(recorded, copy, symlinks=True)
    return copy


@pytest.fixture
def server():
    running = MailServer().start()
    yield running
    running.stop()


def _run(folder, secrets, *extra) -> int:
    return main(["herinneringen", "--dataset-dir", str(folder), "--secrets", str(secrets),
                 "--datum", TODAY.isoformat(), *extra])


@pytest.fixture
def secrets(server, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_PUBLIC_URL", URL)
    monkeypatch.setenv("MONITOR_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "secrets.toml"
    path.write_text(server.secrets_toml(), encoding="utf-8")
    return path


def test_one_mail_per_owner_with_working_links_and_nothing_twice(folder, server, secrets, capsys):
    assert _run(folder, secrets) == 0
    out = capsys.readouterr().out
    recipients = sorted(r.recipients[0] for r in server.received)
    assert recipients == [ANNA, BERT]  # Carla checked in for leefstijl ten days ago
    anna = server.to(ANNA)[0]
    assert anna["Subject"] == "Voortgangsmelding gevraagd voor 2 projecten"
    text = anna.get_body(preferencelist=("plain",)).get_content()
    links = [w for w in text.split() if w.startswith(URL)]
    assert sorted(parse_qs(urlsplit(link).query)["project"][0] for link in links) == ["kinderarmoede", "schuldhulp"]
    assert all(parse_qs(urlsplit(link).query)["voortgangsmelding"] == ["1"] for link in links)
    assert "status onbekend (geen registratie)" in text  # kinderarmoede
    assert "geen waarde voor KPI 'Trajecten gestart' over 2025Q2" in text  # only 2025Q1 recorded
    assert text.startswith("Goedendag,") and "Met vriendelijke groet," in text
    assert "Geen eigenaar, dus geen herinnering" in out and "Weerbaarheid" in out.replace("weerbaarheid", "Weerbaarheid")
    assert f"Verstuurd: herinnering (2 projecten) aan {ANNA}." in out

    assert _run(folder, secrets) == 0
    assert len(server.received) == 2
    assert f"Overgeslagen: {ANNA}" in capsys.readouterr().out


def test_a_dry_run_sends_and_records_nothing(folder, server, secrets, capsys):
    assert _run(folder, secrets, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Let op" not in out  # [smtp] is fine
    assert f"zou versturen: herinnering (2 projecten) aan {ANNA}" in out and "niets verstuurd" in out
    assert server.received == []
    assert _run(folder, secrets) == 0 and len(server.received) == 2
    bare = secrets.with_name("leeg.toml")
    bare.write_text("require_login = false\n", encoding="utf-8")
    assert _run(folder, bare, "--dry-run") == 0  # a dry run works without [smtp], and says so
    out = capsys.readouterr().out
    assert "Let op: " in out and "geen [smtp]-tabel" in out and "Een echte ronde stopt hierop." in out


def test_a_server_that_is_down_is_reported_and_the_next_run_sends(folder, server, secrets, capsys):
    port = server.port
    server.stop()
    assert _run(folder, secrets) == 4
    err = capsys.readouterr().err
    assert err.count("Niet verstuurd") == 2 and "niet bereikbaar" in err and "opnieuw bij de volgende ronde" in err
    back = MailServer(port).start()
    try:
        assert _run(folder, secrets) == 0
        assert sorted(r.recipients[0] for r in back.received) == [ANNA, BERT]
    finally:
        back.stop()


def test_without_public_url_or_smtp_nothing_is_sent(folder, server, secrets, monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("MONITOR_PUBLIC_URL")
    assert _run(folder, secrets) == 2
    assert "MONITOR_PUBLIC_URL" in capsys.readouterr().err
    monkeypatch.setenv("MONITOR_PUBLIC_URL", URL)
    bad = tmp_path / "bad.toml"
    bad.write_text('[smtp]\nhost = "relay"\n', encoding="utf-8")
    assert _run(folder, bad) == 2
    assert "'[smtp] from' ontbreekt" in capsys.readouterr().err
    assert server.received == []


def test_the_digest_goes_to_followers_with_something_new_once(folder, server, secrets, capsys):
    assert _run(folder, secrets, "--digest") == 0
    out = capsys.readouterr().out
    assert [r.recipients for r in server.received] == [[CARLA]]  # nothing new for Bert's valpreventie
    mail = server.to(CARLA)[0]
    assert mail["Subject"].startswith("Wat is er veranderd sinds 1 juni 2025")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Preventie & gezondheid" in text and "Leefstijl op school: op koers (2e kwartaal 2025)" in text
    assert "Loopt <b>goed</b>" in text and "Scholen bereikt: 20,0% over 2e kwartaal 2025" in text
    assert "Mantelzorgers" not in text  # ouderen: Carla does not follow it
    assert f"{URL}/wat-is-er-veranderd?sinds=2025-06-01" in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "<b>goed</b>" not in html and "&lt;b&gt;goed&lt;/b&gt;" in html
    assert "naar Ontwerp" not in text  # her melding confirmed the phase: no phase change
    assert f"Niets nieuw voor {BERT}" in out
    view = build_veranderd(load_veranderd(TODAY, None, folder))
    phases = [c.text for s in view.sections for c in s.changes if c.kind == "Fase"]
    assert phases == ["Mentale weerbaarheid: van Voorbereiding naar Realisatie per 25 juni 2025"]
    assert _run(folder, secrets, "--digest") == 0 and len(server.received) == 1


def _digest_on(folder, secrets, day: date) -> int:
    return main(["herinneringen", "--dataset-dir", str(folder), "--secrets", str(secrets),
                 "--datum", day.isoformat(), "--digest"])


def test_a_later_digest_holds_only_what_changed_since_the_previous_one(folder, server, secrets, capsys):
    assert _digest_on(folder, secrets, TODAY) == 0 and len(server.to(CARLA)) == 1  # since the BO date
    carla = User(name="Carla", role="lezer", email=CARLA)
    record_checkin(carla, "leefstijl", checkin_date=date(2025, 7, 3), period="2025Q3", judgement="risico",
                   note="Twee scholen haken af", phase="Ontwerp", dataset_dir=folder,
                   now=datetime(2025, 7, 3, 10, 0, tzinfo=timezone.utc))
    capsys.readouterr()
    assert _digest_on(folder, secrets, date(2025, 7, 6)) == 0
    [first, second] = server.to(CARLA)
    assert second["Subject"].startswith("Wat is er veranderd sinds 1 juli 2025")
    text = second.get_body(preferencelist=("plain",)).get_content()
    assert "Twee scholen haken af" in text and "risico" in text
    assert "Loopt <b>goed</b>" not in text and "2e kwartaal 2025" not in text  # already in the first
    assert f"{URL}/wat-is-er-veranderd?sinds=2025-07-01" in text
    assert [r.recipients for r in server.received] == [[CARLA], [CARLA]]  # Bert: still nothing new

    # Nothing changed since: no mail, and the report says since when.
    assert _digest_on(folder, secrets, date(2025, 7, 9)) == 0
    assert len(server.received) == 2
    assert f"Niets nieuw voor {CARLA} sinds 6 juli 2025: geen overzicht." in capsys.readouterr().out


def test_a_first_digest_and_sinds_start_at_the_bo_date_or_the_given_date(folder, server, secrets, capsys):
    assert _digest_on(folder, secrets, TODAY) == 0
    capsys.readouterr()
    # --sinds wins over the previous digest, for everyone (and a day's digest goes once).
    assert main(["herinneringen", "--dataset-dir", str(folder), "--secrets", str(secrets),
                 "--datum", "2025-07-02", "--digest", "--sinds", "2025-06-01"]) == 0
    [_, again] = server.to(CARLA)
    assert again["Subject"].startswith("Wat is er veranderd sinds 1 juni 2025")


def test_every_link_in_a_reminder_opens_that_projects_form(folder, server, secrets, monkeypatch):
    from monitor.data import db
    from monitor.data.auth import SESSION_KEY, hash_password
    from tests.pages.app import open_page

    assert _run(folder, secrets) == 0
    text = server.to(ANNA)[0].get_body(preferencelist=("plain",)).get_content()
    links = [w for w in text.split() if w.startswith(URL)]
    monkeypatch.setenv("MONITOR_DATASETS", str(folder))
    db.clear_cache()
    anna = User(name="anna", role="lezer", email=ANNA)
    users = {"users": {"anna": {"password_hash": hash_password("correct-horse-battery"), "role": "lezer",
                                "email": ANNA}}}
    names = {"schuldhulp": "Schuldhulp dichtbij", "kinderarmoede": "Kinderarmoede"}
    assert len(links) == 2
    for link in links:
        parts = urlsplit(link)
        assert parts.path == "/projecten"
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        at = open_page("projecten", query, secrets=users, session={SESSION_KEY: anna})
        assert at.title[0].value == names[query["project"]]
        form = [e for e in at.expander if e.label == "Voortgangsmelding vastleggen"]
        assert len(form) == 1 and form[0].proto.expanded, query  # open at once, for Anna's own project
        assert any(b.label.startswith("Voortgangsmelding vastleggen") for b in at.button), query
