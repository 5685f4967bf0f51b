"""Project logic for the Projecten page: status per project, phase summary, filters, display.

Pure functions over the query results (DataFrame in, DataFrame out); the status rules
themselves live in ``monitor.status``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from monitor.contract import PHASES
from monitor.status import PLAN_END, PLAN_START, STATUSES, add_status
from monitor.text import format_date, format_short_date, themalijn_label

MOMENT_START = f"{PLAN_START:%d-%m-%Y}"
MOMENT_NOW = "nu (peildatum)"
MOMENT_EXPECTED = f"verwacht {PLAN_END:%d-%m-%Y}"
MOMENTS = (MOMENT_START, MOMENT_NOW, MOMENT_EXPECTED)
STALE_LABEL = "niet bijgewerkt"


def register_source_line(peildatum: date) -> str:
    """The source line under anything that shows project phases."""
    return ("Bron: Twentse Koers Jaarplan 2025 (fase 01-01-2025 en verwachte fase 31-12-2025) en "
            f"registraties in de monitor · peildatum {format_date(peildatum)}")


def with_status(overview: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """The overview query result plus expected_phase_now, status, niet_bijgewerkt, themalijn_label."""
    out = add_status(overview, peildatum)
    out["themalijn_label"] = [themalijn_label(t) for t in out["themalijn"]]
    return out


def phase_summary(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects per phase and themalijn at 01-01-2025, at the peildatum and expected on 31-12-2025.

    Every (themalijn, moment, phase) combination is present, with 0 where no project is.
    """
    columns = {MOMENT_START: "phase_start", MOMENT_NOW: "current_phase", MOMENT_EXPECTED: "phase_expected"}
    rows = []
    for themalijn, group in projects.groupby("themalijn_label", sort=True):
        for moment, column in columns.items():
            counts = group[column].value_counts()
            for phase in PHASES:
                rows.append({"themalijn_label": themalijn, "moment": moment, "phase": phase,
                             "count": int(counts.get(phase, 0))})
    return pd.DataFrame(rows, columns=["themalijn_label", "moment", "phase", "count"])


def filter_projects(projects: pd.DataFrame, *, themalijnen=(), phases=(), statuses=(), gemeente=None,
                    search: str = "") -> pd.DataFrame:
    """Projects matching every given filter. Empty filters match all.

    ``statuses`` may contain ``niet bijgewerkt`` besides the four statuses.
    """
    result = projects
    if themalijnen:
        result = result[result["themalijn"].isin(list(themalijnen))]
    if phases:
        result = result[result["current_phase"].isin(list(phases))]
    if statuses:
        wanted = set(statuses)
        mask = result["status"].isin(wanted - {STALE_LABEL})
        if STALE_LABEL in wanted:
            mask |= result["niet_bijgewerkt"]
        result = result[mask]
    if gemeente:
        result = result[[gemeente in list(codes) for codes in result["region_codes"]]]
    text = (search or "").strip().lower()
    if text:
        result = result[result["name"].str.lower().str.contains(text, regex=False)]
    return result


def status_text(status: str, stale: bool) -> str:
    return f"{status} · {STALE_LABEL}" if stale else status


def projects_display(projects: pd.DataFrame) -> pd.DataFrame:
    """The project table as shown and downloaded: Dutch headers, dates as dd-mm-jjjj."""
    return pd.DataFrame({
        "Themalijn": projects["themalijn_label"],
        "Project": projects["name"],
        "Fase 01-01-2025": projects["phase_start"],
        "Fase nu": projects["current_phase"],
        "Verwacht nu (minimaal)": projects["expected_phase_now"],
        "Verwacht 31-12-2025": projects["phase_expected"],
        "Status": [status_text(s, b) for s, b in zip(projects["status"], projects["niet_bijgewerkt"])],
        "Laatste wijziging": [format_short_date(d) for d in projects["last_change"]],
        "Gemeenten": projects["gemeenten"].replace("", "–"),
        "id": projects["project_id"],
    }).reset_index(drop=True)


def status_counts(projects: pd.DataFrame) -> dict[str, int]:
    counts = {status: int((projects["status"] == status).sum()) for status in STATUSES}
    counts[STALE_LABEL] = int(projects["niet_bijgewerkt"].sum())
    return counts


def assignment_matrix(assignments: pd.DataFrame) -> pd.DataFrame:
    """Gemeente × project: '●' where the jaarplan gives a local assignment, '' elsewhere.

    Rows: the gemeenten (and GGD Twente as organisation); columns: projects with any assignment.
    """
    frame = assignments.assign(region_label=[
        "GGD Twente (organisatie)" if level == "ggd_regio" else name
        for name, level in zip(assignments["region_name"], assignments["level"])])
    matrix = pd.crosstab(frame["region_label"], frame["project_name"]).astype(bool)
    shown = matrix.apply(lambda col: col.map({True: "●", False: ""}))
    shown.index.name = "Gemeente"
    shown.columns.name = None
    return shown


def realisation_bands(events: pd.DataFrame, projects: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """When the given projects entered Realisatie (or went straight past it), up to the peildatum.

    ``events``: effective phase events (project_id, phase, effective_date); ``projects``: the
    projects to consider (project_id, name). One band per start date, naming the projects:
    the context shown behind an indicator's trend (not evidence of an effect). A project that
    was already in Realisatie on 01-01-2025 starts its band there: the jaarplan does not say
    since when.
    """
    realised = PHASES.index("Realisatie")
    names = dict(zip(projects["project_id"], projects["name"]))
    starts: dict[date, list[str]] = {}
    for project_id, group in events[events["project_id"].isin(names)].groupby("project_id"):
        group = group.sort_values("effective_date")
        reached = group[[PHASES.index(p) >= realised for p in group["phase"]]]
        reached = reached[pd.to_datetime(reached["effective_date"]) <= pd.Timestamp(peildatum)]
        if reached.empty:
            continue
        start = pd.Timestamp(reached["effective_date"].iloc[0]).date()
        starts.setdefault(start, []).append(names[project_id])
    rows = [{"start": start, "end": peildatum, "projects": sorted(items),
             "project_name": (f"{len(items)} projecten" if len(items) > 1 else items[0])
             + f" in Realisatie vanaf {format_short_date(start)}"}
            for start, items in sorted(starts.items())]
    return pd.DataFrame(rows, columns=["start", "end", "projects", "project_name"])


def phase_counts(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects per phase now and expected on 31-12-2025: two rows, one column per phase."""
    return pd.DataFrame({
        "": ["nu", f"verwacht {PLAN_END:%d-%m-%Y}"],
        **{phase: [int((projects["current_phase"] == phase).sum()), int((projects["phase_expected"] == phase).sum())]
           for phase in PHASES},
    })


def behind_items(projects: pd.DataFrame) -> list[str]:
    """The projects behind schedule, each as 'Naam (fase, hoort minstens fase)'."""
    behind = projects[projects["status"] == "achter"]
    return [f"{r.name} ({r.current_phase}, hoort minstens {r.expected_phase_now})" for r in behind.itertuples()]


def behind_text(projects: pd.DataFrame) -> str:
    """The projects behind schedule, each with its phase and the phase it should at least have."""
    return ", ".join(behind_items(projects)) or "geen"
