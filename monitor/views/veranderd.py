""""Wat is er veranderd sinds …": per themalijn the voortgangsmeldingen, phase and status
changes, KPI values, new figures imported and targets crossed between a date (by default the
previous BO date) and today. One view model for the page, the BO slide and the e-mail digest
to followers (``python -m monitor herinneringen --digest``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from monitor.data import db
from monitor.domain.periods import period_label
from monitor.domain.projects import with_status
from monitor.domain.regions import region_name
from monitor.domain.text import format_date, format_value, themalijn_label
from monitor.views.owners import load_checkins

PROGRAMME = "Hele programma"
FALLBACK_DAYS = 28
NOTE_LENGTH = 160
KINDS = ("Voortgangsmelding", "Fase", "Status", "KPI-waarde", "Doel", "Nieuwe cijfers")


@dataclass(frozen=True)
class Change:
    themalijn: str              # label; PROGRAMME for what belongs to no themalijn
    kind: str                   # one of KINDS
    day: date | None
    text: str                   # plain text (may hold what a user typed: show it as text)
    project_id: str | None = None
    themalijn_id: str | None = None


@dataclass(frozen=True)
class Section:
    themalijn: str
    themalijn_id: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class VeranderdInputs:
    since: date
    until: date
    since_is_bo: bool
    checkins: pd.DataFrame
    phases: pd.DataFrame
    before: pd.DataFrame        # project_overview with status on `since`
    after: pd.DataFrame         # … on `until`
    kpi_values: pd.DataFrame
    sources: pd.DataFrame
    targets: pd.DataFrame


@dataclass(frozen=True)
class VeranderdView:
    since: date
    until: date
    since_is_bo: bool
    sections: tuple[Section, ...]

    @property
    def count(self) -> int:
        return sum(len(s.changes) for s in self.sections)

    def heading(self) -> str:
        why = " (de vorige BO-datum)" if self.since_is_bo else ""
        return f"Wat is er veranderd sinds {format_date(self.since)}{why}"


def previous_bo_date(bo_dates: pd.DataFrame, today: date) -> date | None:
    """The latest recorded BO date before ``today``."""
    days = [pd.Timestamp(d).date() for d in bo_dates.get("bo_date", [])]
    earlier = [d for d in days if d < today]
    return max(earlier, default=None)


def default_since(today: date, dataset_dir: str | Path | None = None) -> tuple[date, bool]:
    """(the previous BO date, True), else (four weeks ago, False)."""
    bo = previous_bo_date(db.query("bo_dates", dataset_dir), today)
    return (bo, True) if bo else (today - timedelta(days=FALLBACK_DAYS), False)


def load_veranderd(until: date, since: date | None = None,
                   dataset_dir: str | Path | None = None) -> VeranderdInputs:
    since_is_bo = False
    if since is None:
        since, since_is_bo = default_since(until, dataset_dir)
    checkins = load_checkins(None, dataset_dir)
    return VeranderdInputs(
        since=since, until=until, since_is_bo=since_is_bo,
        checkins=checkins,
        phases=db.query("changes_since_phases", dataset_dir, since=since, until=until),
        before=with_status(db.query("project_overview", dataset_dir, peildatum=since), since),
        after=with_status(db.query("project_overview", dataset_dir, peildatum=until), until),
        kpi_values=db.query("changes_since_kpi_values", dataset_dir, since=since, until=until),
        sources=db.query("changes_since_sources", dataset_dir, since=since, until=until),
        targets=db.query("changes_since_targets", dataset_dir, since=since, until=until))


def _day(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _short(note: object) -> str:
    if not isinstance(note, str) or not note.strip():
        return ""
    text = " ".join(note.split())
    return f" – {text[:NOTE_LENGTH]}{'…' if len(text) > NOTE_LENGTH else ''}"


def _checkins(frame: pd.DataFrame, since: date, until: date) -> list[Change]:
    out = []
    for r in frame.itertuples(index=False):
        day = _day(r.checkin_date)
        if day is None or not since < day <= until:
            continue
        out.append(Change(themalijn_label(r.themalijn), "Voortgangsmelding", day,
                          f"{r.project_name}: {r.judgement} ({period_label(r.period)}), fase {r.phase}, "
                          f"door {r.recorded_by}{_short(r.note)}", r.project_id, r.themalijn))
    return out


def _from(previous) -> str:
    return f"van {previous} " if isinstance(previous, str) else ""


def _phases(frame: pd.DataFrame) -> list[Change]:
    return [Change(themalijn_label(r.themalijn), "Fase", _day(r.effective_date),
                   f"{r.project_name}: {_from(r.previous_phase)}naar {r.phase} per {format_date(_day(r.effective_date))}"
                   f"{' (met een voortgangsmelding)' if isinstance(r.checkin_id, str) else ''}",
                   r.project_id, r.themalijn) for r in frame.itertuples(index=False)]


def _statuses(before: pd.DataFrame, after: pd.DataFrame, until: date) -> list[Change]:
    was = dict(zip(before["project_id"], before["status"]))
    return [Change(themalijn_label(r.themalijn), "Status", until, f"{r.name}: {was[r.project_id]} → {r.status}",
                   r.project_id, r.themalijn)
            for r in after.itertuples(index=False) if r.project_id in was and was[r.project_id] != r.status]


def _kpis(frame: pd.DataFrame) -> list[Change]:
    out = []
    for r in frame.itertuples(index=False):
        text = f"{r.project_name} – {r.kpi_name}: {format_value(r.value, r.unit)} over {period_label(r.period)}"
        if bool(r.target_reached):
            text += f" (doel {format_value(r.target_value, r.unit)} gehaald)"
        if bool(r.is_sample):
            text += " (voorbeelddata)"
        out.append(Change(themalijn_label(r.themalijn), "KPI-waarde", _day(r.recorded_at), text, r.project_id,
                          r.themalijn))
    return out


def _targets(frame: pd.DataFrame) -> list[Change]:
    out = []
    for r in frame.itertuples(index=False):
        state = "nu gehaald" if bool(r.met_now) else "niet meer gehaald"
        out.append(Change(_label(r.themalijn), "Doel", None,
                          f"{r.indicator_name} ({region_name(r.region_code)}): doel {r.comparator} "
                          f"{format_value(r.target_value, r.unit)} {state} ({format_value(r.value_now, r.unit)} "
                          f"over {period_label(r.period_now)})", None, _id(r.themalijn)))
    return out


def _sources(frame: pd.DataFrame) -> list[Change]:
    out = []
    for (themalijn, source_id), group in frame.groupby([frame["themalijn"].fillna(""), "source_id"], sort=False):
        first = group.iloc[0]
        names = ", ".join(group["indicator_name"].head(4)) + (" …" if len(group) > 4 else "")
        out.append(Change(_label(themalijn), "Nieuwe cijfers", _day(first.retrieved),
                          f"{first.publisher}: {first.title} (peildatum {format_date(_day(first.peildatum))}), "
                          f"{len(group)} indicator{'en' if len(group) != 1 else ''}: {names}", None, _id(themalijn)))
    return out


def _label(themalijn) -> str:
    return themalijn_label(themalijn) if isinstance(themalijn, str) and themalijn else PROGRAMME


def _id(themalijn) -> str | None:
    return themalijn if isinstance(themalijn, str) and themalijn else None


def sections_of(changes: Iterable[Change]) -> tuple[Section, ...]:
    """Per themalijn (alphabetical, the programme last), each change by kind then newest first."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.themalijn, []).append(change)

    def order(c: Change):
        return (KINDS.index(c.kind), -(c.day or date.min).toordinal(), c.text)

    names = sorted(groups, key=lambda name: (name == PROGRAMME, name))
    return tuple(Section(name, groups[name][0].themalijn_id, tuple(sorted(groups[name], key=order)))
                 for name in names)


def build_veranderd(inputs: VeranderdInputs, themalijn: str | None = None) -> VeranderdView:
    """Every change in the window; with ``themalijn`` (an id) only that themalijn's."""
    changes = (_checkins(inputs.checkins, inputs.since, inputs.until) + _phases(inputs.phases)
               + _statuses(inputs.before, inputs.after, inputs.until) + _kpis(inputs.kpi_values)
               + _targets(inputs.targets) + _sources(inputs.sources))
    if themalijn is not None:
        changes = [c for c in changes if c.themalijn_id == themalijn]
    return VeranderdView(inputs.since, inputs.until, inputs.since_is_bo, sections_of(changes))


def for_follower(view: VeranderdView, themalijnen: set[str], projects: set[str]) -> tuple[Section, ...]:
    """The part of ``view`` a follower of these themalijnen (ids) and projects gets."""
    kept = [c for s in view.sections for c in s.changes
            if c.themalijn_id in themalijnen or (c.project_id is not None and c.project_id in projects)]
    return sections_of(kept)


SLIDE_BULLETS = 7


def _counts(changes: Iterable[Change]) -> str:
    found: dict[str, int] = {}
    for change in changes:
        found[change.kind] = found.get(change.kind, 0) + 1
    return ", ".join(f"{n}× {kind.lower()}" for kind, n in sorted(found.items(), key=lambda kv: KINDS.index(kv[0])))


def changes_slide(view: VeranderdView) -> dict:
    """The fields of the BO deck's slide "Wat is er veranderd" (``monitor.views.presentatie.Slide``):
    per themalijn what changed by kind (the programme deck) or the changes themselves (a
    themalijn's deck); every change in the speaker notes."""
    changes = [c for s in view.sections for c in s.changes]
    if not changes:
        bullets = [f"Niets veranderd sinds {format_date(view.since)}."]
    elif len(view.sections) > 1:
        bullets = [f"{s.themalijn}: {_counts(s.changes)}" for s in view.sections]
    else:
        bullets = [f"{c.kind}: {c.text}" for c in changes[:SLIDE_BULLETS]]
        if len(changes) > SLIDE_BULLETS:
            bullets.append(f"… en {len(changes) - SLIDE_BULLETS} meer (zie de notities en de pagina "
                           "'Wat is er veranderd').")
    why = ", de vorige BO-datum" if view.since_is_bo else ""
    title = "Wat is er veranderd sinds het vorige BO" if view.since_is_bo else "Wat is er recent veranderd"
    return {"title": title,
            "lead": f"{len(changes)} verandering(en) van {format_date(view.since)}{why}, tot {format_date(view.until)}.",
            "bullets": bullets,
            "notes": "\n".join(f"{c.themalijn} – {c.kind}: {c.text}" for c in changes),
            "sources": ["Bron: voortgangsmeldingen, registraties en imports in de monitor · peildatum "
                        f"{format_date(view.until)}"]}


@dataclass(frozen=True)
class FollowState:
    """What one address follows now, and what it could follow."""
    themalijnen: tuple[str, ...]
    projects: tuple[str, ...]
    project_names: dict[str, str]
    bo_dates: tuple[date, ...]  # recorded BO dates, latest first


def load_follow_state(email: str | None, today: date, dataset_dir: str | Path | None = None) -> FollowState:
    follows = db.query("current_follows", dataset_dir)
    mine = follows[follows["email"] == (email or "").strip().lower()]
    overview = db.query("project_overview", dataset_dir, peildatum=today)
    return FollowState(
        themalijnen=tuple(mine.loc[mine["subject_type"] == "themalijn", "subject_id"]),
        projects=tuple(mine.loc[mine["subject_type"] == "project", "subject_id"]),
        project_names=dict(sorted(zip(overview["project_id"], overview["name"]), key=lambda kv: kv[1])),
        bo_dates=tuple(_day(d) for d in db.query("bo_dates", dataset_dir)["bo_date"]))


def veranderd_view(until: date, since: date | None = None, themalijn: str | None = None) -> VeranderdView:
    """The page's view model from its widget values (the cache rule: ``shell.view_cache``)."""
    return build_veranderd(load_veranderd(until, since), themalijn)
