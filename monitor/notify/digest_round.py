"""The digest round: every follower gets, once a day at most, what changed in the themalijnen
and projects they follow since their previous digest that went (the sent-ledger), or since the
previous BO date for a first digest (``--sinds``: that date for everyone); a follower with
nothing new gets nothing, and then the next digest still starts at the one that went."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from monitor.data import db
from monitor.notify import messages
from monitor.notify.ledger import Ledger
from monitor.notify.rounds import DIGEST, Mail, Report, not_to_send
from monitor.domain.text import format_date
from monitor.views.veranderd import VeranderdView, build_veranderd, for_follower, load_veranderd


def followed(dataset_dir: str | Path | None = None) -> dict[str, tuple[set[str], set[str]]]:
    """Per e-mail address: (themalijn ids, project ids) followed now."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for row in db.query("current_follows", dataset_dir).itertuples(index=False):
        themalijnen, projects = found.setdefault(row.email, (set(), set()))
        (themalijnen if row.subject_type == "themalijn" else projects).add(row.subject_id)
    return found


def follower_since(email: str, today: date, since: date | None, ledger: Ledger) -> date | None:
    """Where ``email``'s digest starts: ``since`` when given, else the day of their previous
    digest that went (changes are by day: that day's changes were in it), else None (the
    previous BO date)."""
    if since is not None:
        return since
    last = ledger.last_sent(DIGEST, email)
    return last if last is not None and last < today else None


def digest_mails(today: date, since: date | None, dataset_dir: str | Path | None, ledger: Ledger,
                 public_url: str, sender: str, report: Report) -> list[Mail]:
    views: dict[date | None, VeranderdView] = {}

    def view_from(start: date | None) -> VeranderdView:
        if start not in views:
            views[start] = build_veranderd(load_veranderd(today, start, dataset_dir))
            report.add(f"{views[start].heading()}: {views[start].count} verandering(en).")
        return views[start]

    mails = []
    for email, (themalijnen, projects) in sorted(followed(dataset_dir).items()):
        if not_to_send(DIGEST, email, today, ledger, report, "bij de volgers", "een overzicht"):
            continue
        view = view_from(follower_since(email, today, since, ledger))
        sections = for_follower(view, themalijnen, projects)
        if not sections:
            report.add(f"Niets nieuw voor {email} sinds {format_date(view.since)}: geen overzicht.")
            continue
        parts = [messages.DigestSection(s.themalijn, tuple(c.text for c in s.changes)) for s in sections]
        count = sum(len(s.changes) for s in sections)
        mails.append(Mail(DIGEST, email, messages.digest(email, parts, view.since, public_url, sender, today),
                          {"since": view.since.isoformat(), "changes": count},
                          f"overzicht ({count} verandering{'en' if count != 1 else ''}) sinds "
                          f"{format_date(view.since)}"))
    return mails
