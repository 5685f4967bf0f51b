"""Reminders through a real SMTP server (aiosmtpd, tests/smtpserver.py): what arrives, the
ledger that keeps a second run from sending again, a refused address and a server that goes
down mid-run (reported, retried on the next run, nothing lost or doubled), STARTTLS with a login."""

from __future__ import annotations

import tomllib
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from monitor.domain.checkin_rules import ProjectState, by_owner, open_checkins
from monitor.domain.status import OP_SCHEMA, ONBEKEND
from monitor.notify import rounds, smtp
from monitor.notify.ledger import Ledger, LedgerBusy
from tests.smtpserver import MailServer

TODAY = date(2026, 12, 7)
URL = "https://monitor.twentsekoers.test"
HOSTILE = "Valpreventie <script>alert(1)</script> & co"

STATES = [
    ProjectState("valpreventie", HOSTILE, "Ouderen", OP_SCHEMA, "anna@twente.test", None, None),
    ProjectState("mantelzorg", "Mantelzorg", "Ouderen", ONBEKEND, "anna@twente.test", None, date(2026, 12, 1)),
    ProjectState("schuldhulp", "Schuldhulp", "Bestaanszekerheid", OP_SCHEMA, "bert@twente.test", None,
                 date(2026, 9, 1)),
    ProjectState("gemeld", "Gemeld", "Bestaanszekerheid", OP_SCHEMA, "carla@twente.test", None, date(2026, 12, 1)),
]


@pytest.fixture
def server():
    running = MailServer().start()
    yield running
    running.stop()


def _round(states, server: MailServer, ledger: Ledger, *, today=TODAY, settings=None) -> rounds.Report:
    settings = settings or smtp.from_config(tomllib.loads(server.secrets_toml()), "test")
    report = rounds.Report()
    with ledger.locked():
        mails = rounds.reminder_mails(by_owner(open_checkins(states, today, 30)), ledger, today, 7, URL,
                                      settings.sender, report)
        rounds.deliver(mails, settings, ledger, today, False, report)
    return report


def _links(message) -> list[str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return [word for word in text.split() if word.startswith("https://")]


def test_one_mail_per_owner_with_a_link_to_each_form_and_nothing_for_a_checked_in_project(server, tmp_path):
    report = _round(STATES, server, Ledger(tmp_path / "mail"))
    assert report.sent == 2 and report.failed == 0
    assert sorted(r.recipients[0] for r in server.received) == ["anna@twente.test", "bert@twente.test"]
    assert server.to("carla@twente.test") == []  # her project had a check-in six days ago

    anna = server.to("anna@twente.test")[0]
    assert anna["Subject"] == "Voortgangsmelding gevraagd voor 2 projecten"
    assert anna["From"] == "Twentse Koers Monitor <monitor@twentsekoers.test>"
    plain = anna.get_body(preferencelist=("plain",)).get_content()
    assert "Goedendag" in plain and "nog nooit een voortgangsmelding" in plain
    assert "status onbekend (geen registratie)" in plain
    links = _links(anna)
    assert [parse_qs(urlsplit(link).query) for link in links] == [
        {"project": ["valpreventie"], "voortgangsmelding": ["1"]},
        {"project": ["mantelzorg"], "voortgangsmelding": ["1"]}]
    assert all(urlsplit(link).path == "/projecten" for link in links)

    html = anna.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert 'lang="nl"' in html
    assert server.to("bert@twente.test")[0]["Subject"] == "Voortgangsmelding gevraagd: Schuldhulp"


def test_a_second_run_the_same_day_sends_nothing(server, tmp_path):
    ledger = Ledger(tmp_path / "mail")
    _round(STATES, server, ledger)
    again = _round(STATES, server, ledger)
    assert again.sent == 0 and len(server.received) == 2
    assert any(line.startswith("Overgeslagen: anna@twente.test") for line in again.lines)
    # Within the interval (7 days) nothing either; after it, the reminder goes again.
    assert _round(STATES, server, ledger, today=date(2026, 12, 13)).sent == 0
    assert _round(STATES, server, ledger, today=date(2026, 12, 14)).sent == 2


def test_a_refused_address_is_reported_and_retried_without_doubling(server, tmp_path):
    ledger = Ledger(tmp_path / "mail")
    server.handler.refuse = {"anna@twente.test"}
    report = _round(STATES, server, ledger)
    assert (report.sent, report.failed) == (1, 1)
    failed = [line for line in report.lines if line.startswith("Niet verstuurd")]
    assert failed == [line for line in failed if "anna@twente.test" in line and "weigert het adres" in line
                      and "opnieuw bij de volgende ronde" in line] and failed

    server.handler.refuse = set()
    retry = _round(STATES, server, ledger)
    assert (retry.sent, retry.failed) == (1, 0)
    assert [len(server.to(a)) for a in ("anna@twente.test", "bert@twente.test")] == [1, 1]


def test_a_server_that_goes_down_mid_run_leaves_a_retry_and_a_clear_report(server, tmp_path):
    ledger = Ledger(tmp_path / "mail")
    first = by_owner(open_checkins(STATES, TODAY, 30))[0].email
    second = by_owner(open_checkins(STATES, TODAY, 30))[1].email
    server.handler.go_down_at_rcpt = second
    report = _round(STATES, server, ledger)
    assert (report.sent, report.failed) == (1, 1)
    assert [r.recipients for r in server.received] == [[first]]
    line = next(line for line in report.lines if line.startswith("Niet verstuurd"))
    assert second in line and "mailserver" in line and "opnieuw bij de volgende ronde" in line
    server.stop()

    # The relay is back (a new server on the same port): only the mail that did not go, goes.
    back = MailServer(server.port).start()
    try:
        retry = _round(STATES, back, ledger)
        assert (retry.sent, retry.failed) == (1, 0)
        assert [r.recipients for r in back.received] == [[second]]
        assert _round(STATES, back, ledger).sent == 0
    finally:
        back.stop()
    assert sorted(r["email"] for r in ledger.records("herinnering")) == sorted([first, second])


def test_starttls_with_a_login(tmp_path):
    server = MailServer(tls_folder=tmp_path).start()
    try:
        settings = smtp.from_config(tomllib.loads(server.secrets_toml(security="starttls")), "test")
        assert settings.security == "starttls" and settings.user == "monitor"
        report = _round(STATES, server, Ledger(tmp_path / "mail"), settings=settings)
        assert (report.sent, report.failed) == (2, 0)
        wrong = smtp.SmtpSettings(**{**settings.__dict__, "password": "fout"})
        report = _round(STATES, server, Ledger(tmp_path / "other"), settings=wrong)
        assert report.failed == 2 and "inloggen bij de mailserver" in report.lines[-1]
    finally:
        server.stop()


def test_a_dry_run_prints_the_mails_and_records_nothing(tmp_path):
    ledger = Ledger(tmp_path / "mail")
    report = rounds.Report()
    mails = rounds.reminder_mails(by_owner(open_checkins(STATES, TODAY, 30)), ledger, TODAY, 7, URL,
                                  rounds.DRY_RUN_SENDER, report)
    rounds.deliver(mails, None, ledger, TODAY, True, report)
    text = "\n".join(report.lines)
    assert "zou versturen: herinnering (2 projecten) aan anna@twente.test" in text
    assert f"{URL}/projecten?project=schuldhulp&voortgangsmelding=1" in text
    assert "niets verstuurd, niets vastgelegd" in text
    assert ledger.records("herinnering") == []


def test_a_second_run_at_the_same_time_is_refused(tmp_path):
    ledger = Ledger(tmp_path / "mail")
    with ledger.locked():
        with pytest.raises(LedgerBusy, match="andere verzendronde"):
            with Ledger(tmp_path / "mail").locked():
                pass


@pytest.mark.parametrize("table, message", [
    ("", "geen [smtp]-tabel"),
    ('[smtp]\nhost = "relay"\n', "'[smtp] from' ontbreekt"),
    ('[smtp]\nhost = "relay"\nfrom = "geen adres"\n', "is geen e-mailadres"),
    ('[smtp]\nhost = "relay"\nfrom = "a@b.nl"\nport = "587"\n', "poortnummer"),
    ('[smtp]\nhost = "relay"\nfrom = "a@b.nl"\nsecurity = "tls"\n', "starttls, ssl, geen"),
    ('[smtp]\nhost = "relay"\nfrom = "a@b.nl"\nuser = "x"\n', "horen samen"),
    ('[smtp]\nhost = "relay"\nfrom = "a@b.nl"\nwachtwoord = "x"\n', "onbekende instelling '[smtp] wachtwoord'"),
])
def test_wrong_smtp_settings_are_named_in_dutch(table, message):
    with pytest.raises(smtp.SmtpSettingsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        smtp.from_config(tomllib.loads(table), "secrets.toml")


def test_check_secrets_reports_the_mail_server(tmp_path, capsys):
    from monitor.__main__ import main

    path = tmp_path / "secrets.toml"
    path.write_text('[smtp]\nhost = "smtp-relay.enschede.nl"\nfrom = "monitor@twentsekoers.nl"\nuser = "svc"\n'
                    'password = "x"\n', encoding="utf-8")
    assert main(["check-secrets", "--secrets", str(path)]) == 0
    assert "Mailserver ([smtp]): smtp-relay.enschede.nl:587 (starttls, als svc)." in capsys.readouterr().out
    path.write_text('[smtp]\nhost = "relay"\nfrom = "monitor@twentsekoers.nl"\nport = "25"\n', encoding="utf-8")
    assert main(["check-secrets", "--secrets", str(path)]) == 2
    assert "poortnummer" in capsys.readouterr().err
