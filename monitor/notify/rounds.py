"""One round of mail: decide who gets what, send it, record what went, report in Dutch.

Reminders: every owner with open check-ins (:mod:`monitor.domain.checkin_rules`) gets one mail,
unless the ledger says they had one within the reminder interval (so a second run the same
day sends nothing); a reminder left unanswered goes on to the themaleider
(:mod:`monitor.notify.escalation`). Digest: every follower with something new gets one mail per day.

A mail is recorded in the ledger only after the mail server accepted it; one that failed is
reported and goes again on the next run. ``dry_run`` prints every mail and records nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage

from monitor.domain.checkin_rules import OpenCheckin, OwnerDue
from monitor.domain.owners import is_email
from monitor.notify import messages, smtp
from monitor.notify.ledger import Ledger

REMINDER = "herinnering"
DIGEST = "overzicht"
DRY_RUN_SENDER = "Twentse Koers Monitor <monitor@localhost>"


@dataclass
class Report:
    """What a round did, as Dutch lines; ``failed`` > 0 makes the command exit non-zero."""
    lines: list[str] = field(default_factory=list)
    sent: int = 0
    failed: int = 0

    def add(self, line: str) -> None:
        self.lines.append(line)


@dataclass(frozen=True)
class Mail:
    kind: str
    email: str
    message: EmailMessage
    detail: dict
    what: str  # for the report: "herinnering (2 projecten)"


def _plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def deliver(mails: Sequence[Mail], settings: smtp.SmtpSettings | None, ledger: Ledger, today: date,
            dry_run: bool, report: Report, sender: Callable = smtp.send) -> Report:
    """Send (or, dry run, print) ``mails``; record each one that went."""
    if dry_run:
        for mail in mails:
            report.add(f"--- zou versturen: {mail.what} aan {mail.email}")
            report.add(f"Onderwerp: {mail.message['Subject']}")
            report.add(_plain(mail.message).rstrip())
        report.add(f"Proefronde: {len(mails)} mail(s) zouden gaan; niets verstuurd, niets vastgelegd.")
        return report
    assert settings is not None
    outcomes = sender(settings, [(str(i), mail.message) for i, mail in enumerate(mails)])
    for mail, outcome in zip(mails, outcomes):
        if outcome.sent:
            ledger.record(mail.kind, mail.email, today,
                          {**mail.detail, "subject": str(mail.message["Subject"]),
                           "message_id": str(mail.message["Message-ID"])})
            report.sent += 1
            report.add(f"Verstuurd: {mail.what} aan {mail.email}.")
        else:
            report.failed += 1
            report.add(f"Niet verstuurd: {mail.what} aan {mail.email}: {outcome.error}. "
                       "Deze mail gaat opnieuw bij de volgende ronde.")
    return report


def not_to_send(kind: str, email: str, today: date, ledger: Ledger, report: Report, whose: str,
                already: str) -> bool:
    """True (and reported) when ``email`` is no valid address or had its mail of ``kind`` today."""
    if not is_email(email):
        report.add(f"Geen geldig e-mailadres '{email}' {whose}: niets verstuurd.")
        return True
    if ledger.sent_on(kind, email, today):
        report.add(f"Overgeslagen: {email} kreeg vandaag al {already}.")
        return True
    return False


def reminder_mails(dues: Sequence[OwnerDue], ledger: Ledger, today: date, interval_days: int,
                   public_url: str, sender: str, report: Report) -> list[Mail]:
    """The reminders to send now; who is skipped (no owner, bad address, reminded recently) is
    reported."""
    mails = []
    interval = max(1, interval_days)
    for due in dues:
        names = ", ".join(item.name for item in due.items)
        if due.email is None:
            report.add(f"Geen eigenaar, dus geen herinnering: {names}. Stel een projectleider in "
                       "(pagina Beheer).")
            continue
        if not is_email(due.email):
            report.add(f"Geen geldig e-mailadres '{due.email}' voor {names}: niets verstuurd.")
            continue
        last = ledger.last_sent(REMINDER, due.email)
        if last is not None and last > today - timedelta(days=interval):
            report.add(f"Overgeslagen: {due.email} kreeg op {messages.nl_date(last)} al een herinnering "
                       f"(hooguit één per {interval} dag{'en' if interval != 1 else ''}).")
            continue
        count = len(due.items)
        mails.append(Mail(REMINDER, due.email, messages.reminder(due, public_url, sender, today),
                          {"projects": [item.project_id for item in due.items]},
                          f"herinnering ({count} project{'en' if count != 1 else ''})"))
    return mails


def summary(report: Report, open_items: Sequence[OpenCheckin]) -> Report:
    report.add(f"Klaar: {report.sent} verstuurd, {report.failed} niet verstuurd; "
               f"{len(open_items)} open voortgangsmelding(en).")
    return report
