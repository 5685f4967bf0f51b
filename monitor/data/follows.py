"""Following a themalijn or project (``follow_events``) and the BO dates (``bo_dates``):
append-only events written through :mod:`monitor.data.events`, like every change.

Anyone logged in with an e-mail address follows and unfollows for themselves; only a
beheerder records a BO date. Both are checked at the moment of writing (the page passes the
user as re-read at the click) and every refusal is Dutch and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from monitor.data import events, rights, store
from monitor.data.events import ChangeRefused
from monitor.data.users import BEHEERDER_ROLE, PermissionDenied, User
from monitor.domain.owners import is_email, normalise_email

BEHEERDER = BEHEERDER_ROLE
SUBJECTS = ("themalijn", "project")
BO_YEARS_AHEAD = 2


def _follower(user: object) -> User:
    if not isinstance(user, User) or user.blocked or not str(user.name or "").strip():
        raise PermissionDenied("Log in om een themalijn of project te volgen.")
    if not user.email or not is_email(user.email):
        raise PermissionDenied("Je account heeft geen e-mailadres; volgen kan alleen met een e-mailadres.")
    return user


def _subject_exists(subject_type: str, subject_id: str, dataset_dir) -> None:
    if subject_type not in SUBJECTS:
        raise ChangeRefused(f"Onbekend soort onderwerp '{subject_type}' (themalijn of project).", "onderwerp")
    table, column = ("themalijnen", "themalijn") if subject_type == "themalijn" else ("projects", "project_id")
    if subject_id not in set(store.read_frame(table, dataset_dir)[column]):
        raise ChangeRefused(f"Onbekende {subject_type} '{subject_id}'.", "onderwerp")


def record_follow(user: User, subject_type: str, subject_id: str, follow: bool,
                  *, dataset_dir: str | Path | None = None, now: datetime | None = None) -> dict:
    """``user`` follows (or stops following) a themalijn or project. Returns the row written."""
    user = _follower(user)

    def validate(clock: datetime) -> dict:
        _subject_exists(subject_type, subject_id, dataset_dir)
        return {"email": normalise_email(user.email), "subject_type": subject_type, "subject_id": subject_id,
                "follow": bool(follow), "recorded_at": clock, "source_id": events.REGISTRATION_SOURCE_ID,
                "undoes": None, **events.identity(user)}

    return events.record("follow_events", validate, dataset_dir, now)


def record_bo_date(user: User, bo_date: object, note: str | None,
                   *, dataset_dir: str | Path | None = None, now: datetime | None = None) -> dict:
    """The beheerder records the date of a bestuurlijk overleg."""
    rights.check_beheerder(user)
    day = events._as_date(bo_date)

    def validate(clock: datetime) -> dict:
        rights.check_beheerder(user)
        today = events._today(clock)
        if day > today + timedelta(days=365 * BO_YEARS_AHEAD):
            raise ChangeRefused(f"{events._nl_date(day)} ligt meer dan {BO_YEARS_AHEAD} jaar vooruit.", "datum")
        if day < date(2020, 1, 1):
            raise ChangeRefused(f"{events._nl_date(day)} ligt voor het programma.", "datum")
        known = events.effective_events(events.load_events("bo_dates", dataset_dir))
        if not known.empty and day in {d.date() if hasattr(d, "date") else d for d in known["bo_date"]}:
            raise ChangeRefused(f"De BO-datum {events._nl_date(day)} is al vastgelegd.", "datum")
        return {"bo_date": day, "note": events._note(note, False, ""), "recorded_at": clock,
                "source_id": events.REGISTRATION_SOURCE_ID, "undoes": None, **events.identity(user)}

    return events.record("bo_dates", validate, dataset_dir, now)
