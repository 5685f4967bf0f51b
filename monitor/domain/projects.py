"""Project logic for the Projecten page: status per project, phase summary, filters, display.

Pure functions over the query results (DataFrame in, DataFrame out); the status rules
themselves live in ``monitor.domain.status``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from monitor.domain.phases import PHASES
from monitor.domain.status import ACHTER, STALE_DAYS, STATUSES, add_status
from monitor.domain.text import format_date, format_short_date, themalijn_label

MOMENT_NOW = "nu (peildatum)"
STALE_LABEL = "niet bijgewerkt"
NO_REGISTRATION = "geen"


def _plans(projects: pd.DataFrame) -> list[tuple[str, date, date]]:
    """The plans the projects' statuses are measured against: (title, start, end), oldest first."""
    if projects.empty or "plan_title" not in projects:
        return []
    found = {(t, _day(a), _day(b)) for t, a, b in zip(projects["plan_title"], projects["plan_start"],
                                                        projects["plan_end"])}
    return sorted(found, key=lambda plan: plan[1])


def _day(value) -> date:
    return value.date() if isinstance(value, pd.Timestamp) else value


def plan_moments(projects: pd.DataFrame) -> tuple[str, str, str]:
    """The three moments of the phase summary: the plan's start, now, the plan's end.

    With one plan they are dates ('01-01-2025', 'nu (peildatum)', 'verwacht 31-12-2025');
    with projects measured against different plans, 'begin plan' and 'verwacht eind plan'."""
    plans = _plans(projects)
    if len({(a, b) for _t, a, b in plans}) == 1:
        _title, start, end = plans[0]
        return f"{start:%d-%m-%Y}", MOMENT_NOW, f"verwacht {end:%d-%m-%Y}"
    return "begin plan", MOMENT_NOW, "verwacht eind plan"


def register_source_line(peildatum: date, projects: pd.DataFrame | None = None) -> str:
    """The source line under anything that shows project phases: the plan(s) the phases and
    expectations come from, and the registrations."""
    plans = _plans(projects) if projects is not None else []
    if plans:
        named = "; ".join(f"{title} (fase {start:%d-%m-%Y} en verwachte fase {end:%d-%m-%Y})"
                          for title, start, end in plans)
    else:
        named = "Twentse Koers jaarplannen (startfase en verwachte fase)"
    return f"Bron: {named} en registraties in de monitor · peildatum {format_date(peildatum)}"


def with_status(overview: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """The overview query result plus expected_phase_now, status, niet_bijgewerkt, themalijn_label."""
    out = add_status(overview, peildatum)
    out["themalijn_label"] = [themalijn_label(t) for t in out["themalijn"]]
    return out


def phase_summary(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects per phase and themalijn at the plan's start, at the peildatum and expected at
    the plan's end (the moments of :func:`plan_moments`).

    Every (themalijn, moment, phase) combination is present, with 0 where no project is.
    """
    start, now, expected = plan_moments(projects)
    columns = {start: "phase_start", now: "current_phase", expected: "phase_expected"}
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

    ``statuses`` may contain ``niet bijgewerkt`` besides the statuses.
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


def past_horizon(projects: pd.DataFrame, peildatum: date) -> bool:
    """True when the peildatum lies after the end of every shown project's plan: the phase
    expected now is then the plan's expected phase, the same column twice."""
    return not projects.empty and all(_day(end) < peildatum for end in projects["plan_end"])


def projects_display(projects: pd.DataFrame, peildatum: date | None = None) -> pd.DataFrame:
    """The project table as shown and downloaded: Dutch headers, dates as dd-mm-jjjj.

    Project and status first (what a reader looks for), then the phases. The plan columns are
    named after the plan's dates when every project has the same plan; with several plans a
    column names each project's plan. Past the plan's horizon (``peildatum`` after its end)
    'Verwacht nu' is left out: it equals the expected phase.
    """
    start, _now, expected = plan_moments(projects)
    several = len(_plans(projects)) > 1
    columns = {
        "Project": projects["name"],
        "Status": [status_text(s, b) for s, b in zip(projects["status"], projects["niet_bijgewerkt"])],
        "Fase nu": projects["current_phase"],
    }
    if peildatum is None or not past_horizon(projects, peildatum):
        columns["Verwacht nu (minimaal)"] = projects["expected_phase_now"]
    columns["Verwacht " + expected.removeprefix("verwacht ")] = projects["phase_expected"]
    columns["Fase " + start] = projects["phase_start"]
    if several:
        columns["Plan"] = projects["plan_title"]
    columns["Themalijn"] = projects["themalijn_label"]
    columns["Laatste registratie"] = [NO_REGISTRATION if d is None or pd.isna(d) else format_short_date(d)
                                      for d in projects["last_registration"]]
    none = pd.Series([None] * len(projects), index=projects.index, dtype=object)
    columns["Laatste voortgangsmelding"] = [NO_REGISTRATION if d is None or pd.isna(d) else format_short_date(d)
                                            for d in projects.get("last_checkin_date", none)]
    columns["Oordeel eigenaar"] = ["–" if j is None or pd.isna(j) else j
                                   for j in projects.get("last_judgement", none)]
    columns["Gemeenten"] = projects["gemeenten"].replace("", "–")
    columns["id"] = projects["project_id"]
    return pd.DataFrame(columns).reset_index(drop=True)


def status_counts(projects: pd.DataFrame) -> dict[str, int]:
    """Projects per status, and the number niet bijgewerkt (a flag beside the status)."""
    counts = {status: int((projects["status"] == status).sum()) for status in STATUSES}
    counts[STALE_LABEL] = int(projects["niet_bijgewerkt"].sum())
    return counts


def status_label(status: str) -> str:
    """A status word as a heading or metric label: 'Onbekend (geen registratie)'."""
    return status[:1].upper() + status[1:]


def stale_phrase(count: int) -> str:
    """'3 niet bijgewerkt (langer dan 90 dagen geen faseovergang)'."""
    return f"{count} {STALE_LABEL} (langer dan {STALE_DAYS} dagen geen faseovergang)"


def status_summary(projects: pd.DataFrame) -> str:
    """The projects' statuses in one line, the same words and counts on every page and slide:
    '7 projecten: 4 onbekend (geen registratie), 3 op schema · 2 niet bijgewerkt (…)'.
    Statuses that do not occur are left out."""
    counts = status_counts(projects)
    stale = counts.pop(STALE_LABEL)
    parts = [f"{n} {status}" for status, n in counts.items() if n]
    text = f"{len(projects)} {'project' if len(projects) == 1 else 'projecten'}"
    if parts:
        text += ": " + ", ".join(parts)
    if stale:
        text += " · " + stale_phrase(stale)
    return text


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
    """Projects per phase now and expected at the plan's end: one row per phase (Initiatie to
    Borging), so that all six fit a narrow card, and a column per moment."""
    expected = plan_moments(projects)[2]
    return pd.DataFrame({
        "Fase": list(PHASES),
        "Nu": [int((projects["current_phase"] == phase).sum()) for phase in PHASES],
        expected[:1].upper() + expected[1:]: [int((projects["phase_expected"] == phase).sum()) for phase in PHASES],
    })


def behind_items(projects: pd.DataFrame) -> list[str]:
    """The projects behind schedule, each as 'Naam (fase, hoort minstens fase)'."""
    behind = projects[projects["status"] == ACHTER]
    return [f"{r.name} ({r.current_phase}, hoort minstens {r.expected_phase_now})" for r in behind.itertuples()]


def behind_text(projects: pd.DataFrame) -> str:
    """The projects behind schedule, each with its phase and the phase it should at least have."""
    return ", ".join(behind_items(projects)) or "geen"
