"""The mails: Dutch plain text with a simple HTML alternative in which every text a user or
file typed (project names, notes, themalijnen, addresses) is escaped.

Links open the project's check-in form: ``<MONITOR_PUBLIC_URL>/projecten?project=<id>&
voortgangsmelding=1``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import urlencode

from monitor.domain.checkin_rules import OwnerDue
from monitor.domain.periods import MONTHS
from monitor.domain.text import themalijn_label
from monitor.notify.ledger import address_key

PRODUCT = "Twentse Koers Monitor"


def form_link(public_url: str, project_id: str) -> str:
    """The link that opens one project with its check-in form open."""
    query = urlencode({"project": project_id, "voortgangsmelding": "1"})
    return f"{public_url.rstrip('/')}/projecten?{query}"


def nl_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _message_id(kind: str, email: str, day: date, sender: str) -> str:
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<{kind}-{day.isoformat()}-{address_key(email)}@{domain}>"


def _envelope(kind: str, to: str, subject: str, sender: str, day: date) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = _message_id(kind, to, day, sender)
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = "nl"
    return message


def _html_page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f'</title></head><body style="font-family:sans-serif">{body}</body></html>')


def _compose(kind: str, to: str, subject: str, sender: str, day: date, lines: list[str], body: str) -> EmailMessage:
    """The mail: ``lines`` as plain text and ``body`` (escaped HTML) as its alternative, both
    with the same greeting at the end."""
    message = _envelope(kind, to, subject, sender, day)
    message.set_content("\n".join([*lines, "", "Met vriendelijke groet,", PRODUCT]))
    message.add_alternative(_html_page(subject, f"{body}<p>Met vriendelijke groet,<br>{PRODUCT}</p>"),
                            subtype="html")
    return message


def reminder(due: OwnerDue, public_url: str, sender: str, day: date) -> EmailMessage:
    """One mail to one owner with every project they still have to report for."""
    count = len(due.items)
    if count == 1:
        subject = f"Voortgangsmelding gevraagd: {due.items[0].name}"
    else:
        subject = f"Voortgangsmelding gevraagd voor {count} projecten"
    intro = ("Voor de volgende projecten van de Twentse Koers vragen we u om een voortgangsmelding: "
             "uw oordeel (op koers, risico, achter of afgerond), een korte toelichting, de fase en "
             "de KPI-waarden over de afgelopen periode. Het formulier staat achter de link.")
    closing = (f"U krijgt deze herinnering omdat u in de {PRODUCT} eigenaar bent van deze projecten. "
               "Is dat niet (meer) zo? Laat het de beheerder van de monitor weten.")
    lines = ["Goedendag,", "", intro, ""]
    items_html = []
    for item in due.items:
        link = form_link(public_url, item.project_id)
        lines += [f"- {item.name} ({themalijn_label(item.themalijn)})"]
        lines += [f"  {reason}" for reason in item.reasons]
        lines += [f"  Melden: {link}", ""]
        reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in item.reasons)
        items_html.append(f'<li><strong>{html.escape(item.name)}</strong> ({html.escape(themalijn_label(item.themalijn))})'
                          f'<ul>{reasons}</ul><p><a href="{html.escape(link)}">Voortgangsmelding doen voor '
                          f'{html.escape(item.name)}</a></p></li>')
    body = (f"<p>Goedendag,</p><p>{html.escape(intro)}</p><ul>{''.join(items_html)}</ul>"
            f"<p>{html.escape(closing)}</p>")
    return _compose("herinnering", due.email or "", subject, sender, day, [*lines, closing], body)


@dataclass(frozen=True)
class DigestSection:
    """One themalijn's part of a digest: a heading and its lines (plain text, unescaped)."""
    themalijn: str
    lines: tuple[str, ...]


def digest(to: str, sections: Sequence[DigestSection], since: date, public_url: str, sender: str,
           day: date) -> EmailMessage:
    """The digest for one follower: what changed since ``since`` in what they follow."""
    subject = f"Wat is er veranderd sinds {nl_date(since)} – {PRODUCT}"
    page = f"{public_url.rstrip('/')}/wat-is-er-veranderd?{urlencode({'sinds': since.isoformat()})}"
    intro = f"Wat er sinds {nl_date(since)} is veranderd in wat u volgt in de {PRODUCT}:"
    lines = ["Goedendag,", "", intro, ""]
    parts = []
    for section in sections:
        lines += [section.themalijn, *[f"- {line}" for line in section.lines], ""]
        items = "".join(f"<li>{html.escape(line)}</li>" for line in section.lines)
        parts.append(f"<h2>{html.escape(section.themalijn)}</h2><ul>{items}</ul>")
    closing = ("U krijgt dit overzicht omdat u een themalijn of project volgt. Volgen en ontvolgen "
               "doet u op de pagina 'Wat is er veranderd'.")
    body = (f"<p>Goedendag,</p><p>{html.escape(intro)}</p>{''.join(parts)}"
            f'<p><a href="{html.escape(page)}">Alles op één pagina</a></p><p>{html.escape(closing)}</p>')
    return _compose("overzicht", to, subject, sender, day, [*lines, f"Alles op één pagina: {page}", "", closing], body)


@dataclass(frozen=True)
class Overdue:
    """One project whose owner had a reminder ``reminded`` and has not checked in since."""
    project_id: str
    name: str
    themalijn: str
    owner_email: str
    reminded: date


def escalation(to: str, items: Sequence[Overdue], public_url: str, sender: str, day: date) -> EmailMessage:
    """One mail to a themaleider: the projects of their themalijn(en) still unreported after a reminder."""
    count = len(items)
    themalijnen = sorted({item.themalijn for item in items})
    named = " en ".join(themalijn_label(t) for t in themalijnen)
    subject = f"Nog geen voortgangsmelding na een herinnering: {count} project{'en' if count != 1 else ''}"
    intro = (f"Voor de volgende projecten van {named} kreeg de eigenaar een herinnering, maar er is "
             "sindsdien geen voortgangsmelding gedaan. Wilt u contact met hen opnemen?")
    query = f"?{urlencode({'themalijn': themalijn_label(themalijnen[0])})}" if len(themalijnen) == 1 else ""
    page = f"{public_url.rstrip('/')}/wie-moet-nog-melden{query}"
    closing = f"U krijgt deze mail omdat u in de {PRODUCT} themaleider bent van {named}."
    lines = ["Goedendag,", "", intro, ""]
    items_html = []
    for item in items:
        link = form_link(public_url, item.project_id)
        said = (f"{themalijn_label(item.themalijn)}; eigenaar {item.owner_email}, herinnering op "
                f"{nl_date(item.reminded)}")
        lines += [f"- {item.name} ({said})", f"  Project: {link}", ""]
        items_html.append(f'<li><strong>{html.escape(item.name)}</strong> ({html.escape(said)}) '
                          f'<a href="{html.escape(link)}">naar het project</a></li>')
    body = (f"<p>Goedendag,</p><p>{html.escape(intro)}</p><ul>{''.join(items_html)}</ul>"
            f'<p><a href="{html.escape(page)}">Wie moet nog melden</a></p><p>{html.escape(closing)}</p>')
    return _compose("escalatie", to, subject, sender, day, [*lines, f"Wie moet nog melden: {page}", "", closing], body)
