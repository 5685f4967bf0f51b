"""The Projecten page's view model (list view): inputs from one loader, the filters the reader
chose, and everything the page draws — pure, unit-tested without Streamlit
(``tests/unit/test_views_projecten.py``). The detail view of one project: ``monitor/views/project.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from monitor.data import db
from monitor.domain.projects import (STALE_LABEL, filter_projects, past_horizon, phase_summary, projects_display,
                                     register_source_line, status_counts, with_status)
from monitor.domain.status import STATUSES, plan_notice

CHANGES_LIMIT = 25


@dataclass
class ProjectenInputs:
    """The named queries the list view reads (``load_projecten``)."""

    peildatum: date
    projects: pd.DataFrame  # project_overview with the status at the peildatum
    events: pd.DataFrame  # project_phase_events
    assignments: pd.DataFrame  # project_local_assignments
    changes: pd.DataFrame  # recent_changes (at most CHANGES_LIMIT)


@dataclass(frozen=True)
class Filters:
    search: str | None = None
    gemeente: str | None = None
    themalijnen: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)


@dataclass
class ProjectenView:
    peildatum: date
    projects: pd.DataFrame  # all projects, with status
    shown: pd.DataFrame  # the projects the filters leave
    counts: dict[str, int]  # per status label, over the shown projects
    notice: str | None  # the plan's horizon has passed
    past_horizon: bool
    source: str  # the source line under everything on the page
    table: pd.DataFrame  # projects_display of the shown projects (with their id)
    phases: pd.DataFrame  # phase_summary of the shown projects
    events: pd.DataFrame  # their phase events
    assignments: pd.DataFrame  # their local assignments
    changes: pd.DataFrame  # their recent changes


def load_projecten(peildatum: date) -> ProjectenInputs:
    """The list view's queries (each cached by the query runner) and every project's status."""
    return ProjectenInputs(
        peildatum=peildatum,
        projects=with_status(db.query("project_overview", peildatum=peildatum), peildatum),
        events=db.query("project_phase_events", peildatum=peildatum),
        assignments=db.query("project_local_assignments"),
        changes=db.query("recent_changes", peildatum=peildatum, limit=CHANGES_LIMIT))


def _of(frame: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["project_id"].isin(shown["project_id"])]


def build_projecten(inputs: ProjectenInputs, filters: Filters) -> ProjectenView:
    """What the list view shows for these filters: the same counts, table and tabs as before."""
    shown = filter_projects(inputs.projects, themalijnen=filters.themalijnen, phases=filters.phases,
                            statuses=filters.statuses, gemeente=filters.gemeente, search=filters.search)
    counts = status_counts(shown)
    return ProjectenView(
        peildatum=inputs.peildatum, projects=inputs.projects, shown=shown,
        counts={label: counts[label] for label in [*STATUSES, STALE_LABEL]},
        notice=plan_notice(shown, inputs.peildatum), past_horizon=past_horizon(shown, inputs.peildatum),
        source=register_source_line(inputs.peildatum, shown), table=projects_display(shown, inputs.peildatum),
        phases=phase_summary(shown), events=_of(inputs.events, shown),
        assignments=_of(inputs.assignments, shown), changes=_of(inputs.changes, shown))


# The page's view model per widget values (the page caches it with ``shell.view_cache``, keyed on the
# data version and these values): loaded and built.

def projecten_view(peildatum: date, filters: Filters) -> ProjectenView:
    return build_projecten(load_projecten(peildatum), filters)
