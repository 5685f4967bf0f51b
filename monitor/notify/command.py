"""``python -m monitor herinneringen [--digest] [--dry-run]``: the reminders to owners (or the
digest to followers) as one round: read the secrets' ``[smtp]``, the datasets and the ledger,
send, report. Exit status 0: done (also when nothing was due); 2: bad settings, nothing sent;
4: at least one mail did not go (it goes again on the next run)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from monitor import settings
from monitor.data import secrets_check
from monitor.data.throttle import state_dir
from monitor.notify import rounds, smtp
from monitor.notify.ledger import Ledger

EXIT_BAD_SETTINGS = 2
EXIT_NOT_ALL_SENT = 4


def default_secrets() -> list[Path]:
    from monitor.data import auth

    return [Path.home() / ".streamlit" / "secrets.toml", auth.DEFAULT_SECRETS]


def _smtp_settings(paths: list[Path]) -> smtp.SmtpSettings:
    found = secrets_check.read(paths)
    if found.problems:
        raise smtp.SmtpSettingsError("\n".join(found.problems))
    if not found.found:
        raise smtp.SmtpSettingsError(f"Geen secrets-bestand ({', '.join(map(str, paths))}) en dus geen "
                                     "[smtp]-instellingen; er kan niets worden verstuurd.")
    return smtp.from_config(found.config, " + ".join(found.sources))


def _public_url() -> str:
    url = settings.text("MONITOR_PUBLIC_URL").strip()
    if not url.startswith(("https://", "http://")):
        raise smtp.SmtpSettingsError("MONITOR_PUBLIC_URL is niet gezet (of begint niet met https://); "
                                     "zonder dat adres kunnen de links in de mail nergens heen wijzen.")
    return url.rstrip("/")


def run(*, digest: bool, dry_run: bool, today: date, since: date | None, dataset_dir: Path | None,
        secrets: list[Path] | None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    paths = secrets or default_secrets()
    try:
        public_url = _public_url()
        problem = None
        try:
            config = _smtp_settings(paths)
        except smtp.SmtpSettingsError as exc:
            if not dry_run:
                raise
            config, problem = None, str(exc)
    except smtp.SmtpSettingsError as exc:
        print(str(exc), file=err)
        print("Er is niets verstuurd.", file=err)
        return EXIT_BAD_SETTINGS
    sender = config.sender if config else rounds.DRY_RUN_SENDER
    ledger = Ledger.under(state_dir(dataset_dir))
    report = rounds.Report()
    if problem:
        report.add(f"Let op: {problem} Een echte ronde stopt hierop.")
    with ledger.locked():
        if digest:
            from monitor.notify import digest_round

            mails = digest_round.digest_mails(today, since, dataset_dir, ledger, public_url, sender, report)
            open_items: list = []
        else:
            from monitor.domain.checkin_rules import by_owner, open_checkins
            from monitor.views.melden import load_project_states, max_age_days

            open_items = open_checkins(load_project_states(today, dataset_dir), today, max_age_days())
            interval = settings.integer("MONITOR_REMINDER_INTERVAL_DAYS", 7)
            mails = rounds.reminder_mails(by_owner(open_items), ledger, today, interval, public_url,
                                          sender, report)
            from monitor.notify.escalation import escalation_mails

            mails += escalation_mails(open_items, ledger, today, settings.integer("MONITOR_ESCALATION_DAYS", 14),
                                      public_url, sender, report)
        rounds.deliver(mails, config, ledger, today, dry_run, report)
    if not dry_run:
        rounds.summary(report, open_items)
    for line in report.lines:
        print(line, file=err if line.startswith("Niet verstuurd") else out)
    return EXIT_NOT_ALL_SENT if report.failed else 0
