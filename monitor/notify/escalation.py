"""Escalation to the themaleider: a project whose owner had a reminder at least
``MONITOR_ESCALATION_DAYS`` days ago and has not checked in since goes, with the others of its
themalijn, into one mail to the themaleider of that themalijn.

Read from the sent-ledger: the reminders that went (kind ``herinnering``, with the projects they
listed) and the escalations that went (kind ``escalatie``, with per project the day of the reminder
it was about). A project is escalated once per reminder: the next escalation about it needs a
newer reminder that was again left unanswered. A themaleider gets at most one such mail a day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from monitor.domain.checkin_rules import OpenCheckin
from monitor.notify import messages
from monitor.notify.ledger import Ledger
from monitor.notify.rounds import REMINDER, Mail, Report, not_to_send

ESCALATION = "escalatie"


def _reminders(ledger: Ledger) -> dict[tuple[str, str], list[date]]:
    """(owner address, project id) → the days a reminder listing that project went."""
    found: dict[tuple[str, str], list[date]] = {}
    for record in ledger.records(REMINDER):
        for project_id in record.get("projects", []):
            found.setdefault((str(record["email"]).lower(), project_id), []).append(date.fromisoformat(record["day"]))
    return found


def _escalated(ledger: Ledger) -> set[tuple[str, str, str]]:
    """(themaleider address, project id, reminder day) already escalated."""
    return {(str(record["email"]).lower(), project_id, day)
            for record in ledger.records(ESCALATION)
            for project_id, day in record.get("reminded", {}).items()}


def overdue(items: Sequence[OpenCheckin], ledger: Ledger, today: date, days: int) -> list[tuple[OpenCheckin, date]]:
    """(item, reminder day) for each open item whose owner's first reminder listing it after
    their last check-in is at least ``days`` old."""
    reminders = _reminders(ledger)
    found = []
    for item in items:
        if not item.owner_email:
            continue
        sent = [d for d in reminders.get((item.owner_email.lower(), item.project_id), [])
                if item.last_checkin is None or d > item.last_checkin]
        if sent and min(sent) <= today - timedelta(days=days):
            found.append((item, min(sent)))
    return found


def escalation_mails(items: Sequence[OpenCheckin], ledger: Ledger, today: date, days: int,
                     public_url: str, sender: str, report: Report) -> list[Mail]:
    """One mail per themaleider with the projects of their themalijn(en) left unreported after a
    reminder (``days`` 0: none)."""
    if days <= 0:
        return []
    done = _escalated(ledger)
    per_leader: dict[str, dict[str, messages.Overdue]] = {}
    for item, reminded in overdue(items, ledger, today, days):
        if not item.themaleider_email:
            report.add(f"Geen themaleider voor de themalijn van {item.name}: niet doorgezet "
                       "(stel een themaleider in op de pagina Beheer).")
            continue
        leader = item.themaleider_email.lower()
        if leader == item.owner_email.lower():
            continue  # the themaleider is the owner: their own reminders already asked them
        if (leader, item.project_id, reminded.isoformat()) not in done:
            per_leader.setdefault(leader, {}).setdefault(item.project_id, messages.Overdue(
                item.project_id, item.name, item.themalijn, item.owner_email, reminded))
    mails = []
    for leader, found in sorted(per_leader.items()):
        projects = sorted(found.values(), key=lambda o: (o.reminded, o.name))
        if not_to_send(ESCALATION, leader, today, ledger, report, "voor de themaleider",
                       "een mail over uitblijvende meldingen"):
            continue
        count = len(projects)
        mails.append(Mail(ESCALATION, leader, messages.escalation(leader, projects, public_url, sender, today),
                          {"reminded": {o.project_id: o.reminded.isoformat() for o in projects}},
                          f"doorzetting naar themaleider ({count} project{'en' if count != 1 else ''})"))
    return mails
