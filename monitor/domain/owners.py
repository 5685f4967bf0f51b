"""Owners, voortgangsmeldingen and who may record what: the rules, on plain inputs.

* Every project has a projectleider, every themalijn a themaleider, named by e-mail address (as
  the login knows them, compared without regard to case). A KPI has its project's projectleider
  unless a kpi-eigenaar is named for it.
* Who may record for a project (a phase change, a KPI value, a voortgangsmelding, an undo):
  a ``beheerder`` always; the project's projectleider; the themaleider of its themalijn; the
  kpi-eigenaar of one of its KPIs (for that KPI); and a ``redacteur`` only while the project has
  no projectleider and its themalijn no themaleider (the monitor keeps working before owners are
  named; once they are, recording is theirs). Everyone else records nothing: access fails closed.
* Only a beheerder names owners and records BO dates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

BEHEERDER = "beheerder"
REDACTEUR = "redacteur"

# What can be owned, and the role its owner has (owner_events.subject_type → role).
OWNER_ROLES: dict[str, str] = {"project": "projectleider", "themalijn": "themaleider", "kpi": "kpi-eigenaar"}
# The owner's judgement in a voortgangsmelding (checkins.judgement), as the jaarplan's phasing sees it.
JUDGEMENTS: tuple[str, ...] = ("op koers", "risico", "achter", "afgerond")
# What a user can follow (follow_events.subject_type).
FOLLOW_SUBJECTS: tuple[str, ...] = ("themalijn", "project")

MAX_EMAIL_LENGTH = 254
# Deliberately plain: one @, no spaces or markup characters, a dotted domain with a 2+ letter end.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")


class EmailError(ValueError):
    """Not an e-mail address; the message is Dutch."""


def normalise_email(value: object) -> str:
    """The address in lower case without surrounding spaces; EmailError when it is none."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise EmailError("Het e-mailadres is leeg.")
    if len(text) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(text) or ".." in text:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise EmailError(f"'{shown}' is geen geldig e-mailadres (bijvoorbeeld naam@gemeente.nl).")
    return text.lower()


def check_domain(email: str, domains: tuple[str, ...]) -> None:
    """EmailError when ``domains`` (lower case) is not empty and the address belongs to none of
    them (a subdomain counts): an address the organisations do not know."""
    if not domains:
        return
    host = email.rsplit("@", 1)[-1].lower()
    if not any(host == domain or host.endswith("." + domain) for domain in domains):
        raise EmailError(f"Onbekend e-mailadres '{email}': het domein {host} hoort niet bij de organisaties van "
                         f"de monitor ({', '.join(domains)}).")


def parse_domains(value: str | None) -> tuple[str, ...]:
    """The domains of a comma-separated list, lower case, without '@' or spaces."""
    return tuple(d.strip().lstrip("@").lower() for d in (value or "").split(",") if d.strip())


def is_email(value: object) -> bool:
    try:
        normalise_email(value)
    except EmailError:
        return False
    return True


def _same(email: str | None, owner: str | None) -> bool:
    return bool(email and owner) and email.strip().lower() == str(owner).strip().lower()


def may_record(role: str | None, email: str | None, project_owner: str | None,
               themalijn_owner: str | None, kpi_owners: Mapping[str, str | None] | None = None,
               kpi_id: str | None = None) -> bool:
    """Whether a user (role from the login, e-mail address) may record for one project.

    ``project_owner``/``themalijn_owner``: the current projectleider of the project and
    themaleider of its themalijn (None when none is named); ``kpi_owners``: the named
    kpi-eigenaars of the project's KPIs (kpi_id → e-mail); ``kpi_id``: the KPI the recording is
    for (a kpi-eigenaar records only for their KPI)."""
    if role == BEHEERDER:
        return True
    if _same(email, project_owner) or _same(email, themalijn_owner):
        return True
    if kpi_id is not None and _same(email, (kpi_owners or {}).get(kpi_id)):
        return True
    return role == REDACTEUR and not project_owner and not themalijn_owner


# What the owner's judgement contradicts in the monitor's computed status (monitor.domain.status).
_CONTRADICTS = {
    "op koers": {"achter"},
    "risico": set(),  # a risk looks ahead: it contradicts no status
    "achter": {"op schema", "voor", "afgerond"},
    "afgerond": {"achter", "op schema", "voor"},
}


def disagreement(judgement: str | None, status: str | None) -> str | None:
    """The Dutch sentence that says the owner's judgement and the computed status disagree, or
    None when they agree (or either is missing; "onbekend" has nothing to disagree with).

    >>> disagreement("op koers", "achter")
    "De eigenaar meldt 'op koers', maar volgens het jaarplan is het project 'achter'."
    >>> disagreement("risico", "op schema") is None
    True
    """
    if not judgement or not status or status not in _CONTRADICTS.get(judgement, set()):
        return None
    return f"De eigenaar meldt '{judgement}', maar volgens het jaarplan is het project '{status}'."
