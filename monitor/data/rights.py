"""Who may record what, checked at the moment of writing against the owners as recorded then.

The rule is ``monitor.domain.owners.may_record`` (beheerder: everything; projectleider: their
projects; themaleider: every project of their themalijn; kpi-eigenaar: their KPI; redacteur: the
projects nobody owns yet). This module reads the owners the way the writer's validation reads
every event table, through ``monitor.data.event_reader`` (fresh, under the writer's lock), and
raises ``PermissionDenied`` with a Dutch message. Pages use :func:`may_record_project` to decide
whether to draw a form; the writer checks again when the button is clicked.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from monitor.data import event_reader, store
from monitor.data.users import BEHEERDER_ROLE, PermissionDenied, User
from monitor.domain.owners import may_record

NOT_YOURS = ("Je mag voor {name} niets vastleggen: dat doen de projectleider ({owner}), de themaleider "
             "van de themalijn en de beheerder. Er is niets vastgelegd.")
NOT_BEHEERDER = "Alleen een beheerder mag eigenaren en BO-datums vastleggen. Er is niets vastgelegd."


def owner_state(dataset_dir: str | Path | None = None) -> pd.DataFrame:
    """The current owner per (subject_type, subject_id): columns subject_type, subject_id, email,
    name, since. Latest effective owner event counts; email NULL removes (such rows are dropped)."""
    frame = event_reader.read_events("owner_events", dataset_dir).table.to_pandas()
    is_undo = frame["undoes"].notna()
    frame = frame[~is_undo & ~frame["event_id"].isin(set(frame.loc[is_undo, "undoes"]))]
    if frame.empty:
        return pd.DataFrame(columns=["subject_type", "subject_id", "email", "name", "since"])
    latest = (frame.sort_values(["recorded_at", "event_id"])
              .groupby(["subject_type", "subject_id"], as_index=False).last())
    latest = latest[latest["email"].notna()]
    return latest[["subject_type", "subject_id", "email", "name", "recorded_at"]].rename(
        columns={"recorded_at": "since"}).reset_index(drop=True)


def owners_of(project_id: str, dataset_dir: str | Path | None = None,
              state: pd.DataFrame | None = None) -> tuple[str | None, str | None, dict[str, str]]:
    """(projectleider, themaleider of its themalijn, {kpi_id: kpi-eigenaar}) of one project."""
    state = owner_state(dataset_dir) if state is None else state
    projects = store.read_frame("projects", dataset_dir)
    row = projects[projects["project_id"] == project_id]
    themalijn = str(row.iloc[0]["themalijn"]) if not row.empty else None
    kpis = store.read_frame("project_kpis", dataset_dir)
    kpi_ids = set(kpis.loc[kpis["project_id"] == project_id, "kpi_id"])
    owned = {(t, s): e for t, s, e in zip(state["subject_type"], state["subject_id"], state["email"])}
    kpi_owners = {k: owned[("kpi", k)] for k in kpi_ids if ("kpi", k) in owned}
    return owned.get(("project", project_id)), owned.get(("themalijn", themalijn)), kpi_owners


def may_record_project(user: User | None, project_id: str, dataset_dir: str | Path | None = None,
                       kpi_id: str | None = None, state: pd.DataFrame | None = None) -> bool:
    """Whether ``user`` may record for the project (for ``kpi_id``: that KPI's value)."""
    if not isinstance(user, User) or user.blocked or not str(user.name or "").strip():
        return False
    project_owner, themaleider, kpi_owners = owners_of(project_id, dataset_dir, state)
    return may_record(user.role, user.email, project_owner, themaleider, kpi_owners, kpi_id)


def owns_anything(user: User | None, dataset_dir: str | Path | None = None) -> bool:
    """Whether a named owner (projectleider, themaleider, kpi-eigenaar) is this user."""
    if not isinstance(user, User) or user.blocked or not user.email:
        return False
    emails = set(owner_state(dataset_dir)["email"].astype(str))
    return user.email.strip().lower() in emails


def check_may_record(user: User, project_id: str, name: str | None = None,
                     dataset_dir: str | Path | None = None, kpi_id: str | None = None) -> None:
    """Raise PermissionDenied (Dutch) unless ``user`` may record for the project now."""
    if may_record_project(user, project_id, dataset_dir, kpi_id):
        return
    owner = owners_of(project_id, dataset_dir)[0]
    raise PermissionDenied(NOT_YOURS.format(name=name or project_id, owner=owner or "nog niet benoemd"))


def check_project(user: User, project_id: str, dataset_dir: str | Path | None = None,
                  kpi_id: str | None = None) -> None:
    """``check_may_record`` with the project's name in the message."""
    projects = store.read_frame("projects", dataset_dir)
    match = projects.loc[projects["project_id"] == project_id, "name"]
    check_may_record(user, project_id, str(match.iloc[0]) if not match.empty else project_id, dataset_dir, kpi_id)


def check_undo(user: User, table: str, original: pd.Series, dataset_dir: str | Path | None = None) -> None:
    """Undoing needs the right to record the original: for its project, as beheerder (owners and
    BO dates), or as the follower themselves."""
    if table in ("phase_events", "checkins"):
        check_project(user, str(original["project_id"]), dataset_dir)
    elif table == "kpi_realisations":
        kpis = store.read_frame("project_kpis", dataset_dir)
        match = kpis.loc[kpis["kpi_id"] == original["kpi_id"], "project_id"]
        check_project(user, str(match.iloc[0]) if not match.empty else "", dataset_dir, str(original["kpi_id"]))
    elif not (table == "follow_events" and user.email and str(original["email"]) == user.email.strip().lower()):
        check_beheerder(user)


def check_beheerder(user: object) -> User:
    """The user when they are a beheerder (not withdrawn); PermissionDenied otherwise."""
    if not isinstance(user, User) or user.blocked or user.role != BEHEERDER_ROLE:
        raise PermissionDenied(NOT_BEHEERDER)
    return user
