"""``python -m monitor herinneringen``: a project whose owner had a reminder
``MONITOR_ESCALATION_DAYS`` ago and has not checked in since goes to the themaleider of its
themalijn, in one mail, once per reminder; a dry run shows it; against a real SMTP server."""

from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from monitor.__main__ import main
from monitor.data import events
from monitor.data.checkins import record_checkin
from monitor.data.owners import record_owner
from monitor.data.users import User
from tests.unit.test_herinneringen_cli import (ANNA, BEHEERDER, BERT, URL, folder, recorded,  # noqa: F401
                                               secrets, server)

DORA = "dora@twente.test"  # themaleider of bestaanszekerheid: Anna's schuldhulp and kinderarmoede


def _run(folder, secrets, day: date, *extra) -> int:  # noqa: F811
    return main(["herinneringen", "--dataset-dir", str(folder), "--secrets", str(secrets),
                 "--datum", day.isoformat(), *extra])


@pytest.fixture
def leader(folder, monkeypatch):  # noqa: F811
    monkeypatch.setenv("MONITOR_ESCALATION_DAYS", "14")
    record_owner(BEHEERDER, "themalijn", "bestaanszekerheid", DORA, dataset_dir=folder,
                 now=datetime(2025, 7, 1, 9, 0, tzinfo=timezone.utc))
    return folder


def test_an_unanswered_reminder_goes_to_the_themaleider_once(leader, server, secrets, capsys):  # noqa: F811
    assert _run(leader, secrets, date(2025, 7, 1)) == 0  # the first reminders
    assert sorted(r.recipients[0] for r in server.received) == [ANNA, BERT]
    assert _run(leader, secrets, date(2025, 7, 10)) == 0  # Anna again; 9 days: not yet escalated
    assert server.to(DORA) == [] and len(server.to(ANNA)) == 2
    anna = User(name="Anna", role="lezer", email=ANNA)
    record_checkin(anna, "schuldhulp", checkin_date=date(2025, 7, 12), period="2025Q3", judgement="achter",
                   note="Wachtlijst", phase=events.current_phase("schuldhulp", dataset_dir=leader),
                   dataset_dir=leader, now=datetime(2025, 7, 12, 9, 0, tzinfo=timezone.utc))
    capsys.readouterr()

    assert _run(leader, secrets, date(2025, 7, 15), "--dry-run") == 0  # shown, not sent
    out = capsys.readouterr().out
    assert f"zou versturen: doorzetting naar themaleider (1 project) aan {DORA}" in out
    assert server.to(DORA) == []

    assert _run(leader, secrets, date(2025, 7, 15)) == 0
    out = capsys.readouterr().out
    [mail] = server.to(DORA)
    assert mail["Subject"] == "Nog geen voortgangsmelding na een herinnering: 1 project"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"- Kinderarmoede (Bestaanszekerheid; eigenaar {ANNA}, herinnering op 1 juli 2025)" in text
    assert "Schuldhulp" not in text  # Anna checked in after her reminders
    links = [w for w in text.split() if w.startswith(URL)]
    assert parse_qs(urlsplit(links[0]).query)["project"] == ["kinderarmoede"]
    assert f"{URL}/wie-moet-nog-melden?themalijn=Bestaanszekerheid" in links
    assert "Geen themaleider voor de themalijn van Valpreventie: niet doorgezet" in out  # Bert, ouderen

    # Once per reminder: not again the same day, nor the next days for the same reminder.
    assert _run(leader, secrets, date(2025, 7, 15)) == 0
    assert _run(leader, secrets, date(2025, 7, 16)) == 0
    assert len(server.to(DORA)) == 1


def test_zero_days_never_escalates(leader, server, secrets, monkeypatch):  # noqa: F811
    monkeypatch.setenv("MONITOR_ESCALATION_DAYS", "0")
    assert _run(leader, secrets, date(2025, 7, 1)) == 0
    assert _run(leader, secrets, date(2025, 8, 1)) == 0
    assert server.to(DORA) == []


def test_who_gets_an_escalation_is_decided_from_the_ledger(tmp_path):
    from monitor.domain.checkin_rules import OpenCheckin
    from monitor.notify.escalation import escalation_mails
    from monitor.notify.ledger import Ledger
    from monitor.notify.rounds import REMINDER, Report

    ledger = Ledger(tmp_path / "mail")
    ledger.record(REMINDER, ANNA, date(2025, 7, 1), {"projects": ["kinderarmoede", "schuldhulp"]})
    ledger.record(REMINDER, DORA, date(2025, 7, 1), {"projects": ["mantelzorg"]})

    def item(project_id, owner, last=None, leader=DORA):
        return OpenCheckin(project_id, project_id.title(), "bestaanszekerheid", owner, last, ("geen melding",), leader)

    items = [item("kinderarmoede", ANNA), item("schuldhulp", ANNA, last=date(2025, 7, 2)),  # checked in since
             item("mantelzorg", DORA),           # the themaleider is the owner herself
             item("valpreventie", BERT)]         # no reminder to Bert listed it
    report = Report()
    [mail] = escalation_mails(items, ledger, date(2025, 7, 15), 14, URL, "m@x.test", report)
    assert mail.email == DORA and mail.detail == {"reminded": {"kinderarmoede": "2025-07-01"}}
    assert escalation_mails(items, ledger, date(2025, 7, 14), 14, URL, "m@x.test", report) == []  # 13 days
    assert escalation_mails(items, ledger, date(2025, 7, 15), 0, URL, "m@x.test", report) == []
