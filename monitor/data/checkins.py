"""Recording a voortgangsmelding (check-in): the owner's judgement of a project for a period, a
note, the phase (confirmed or changed, with its date) and the KPI values of the period.

One voortgangsmelding is one event of ``checkins`` plus one ``kpi_realisations`` event per KPI
value, each naming it in ``checkin_id``; written with ``events.record_linked`` (the values first,
the melding last), so a melding that could not be saved leaves no value that counts.

Rules (every refusal is a Dutch ``ChangeRefused`` naming the field; nothing is written):

* only for an existing project, by someone who may record for it (``monitor.data.rights``);
* the date of the melding is not in the future, and not before the project's previous melding;
* the period is a period in normal form (``2026Q4``) that has begun by the melding's date;
* one melding per project and period: a second one is **refused**, not replaced. A melding is
  what followers, the digest and the reminders were told; replacing it silently would change
  that story afterwards. The way to correct one is to undo it (with a reason, kept in the
  history) and record it again;
* the phase: the same phase as the project has is a confirmation (its date is the melding's
  date); another phase is a change, dated on or before the melding and not before the
  project's latest phase event, and a step back needs a note;
* a KPI value belongs to one of the project's KPIs and fits its unit (as a KPI realisation).

A confirmed phase counts as a registration: ``effective_phase_events`` holds it, so a project
that was "onbekend (geen registratie)" gets a status the moment its owner confirms a phase.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from monitor.data import event_reader, events, store
from monitor.data.contract import JUDGEMENTS, PHASES
from monitor.data.events import ChangeRefused, User
from monitor.domain.periods import PeriodError, normalise_period, period_label, period_start


def _effective(table: str, dataset_dir):
    return events.effective_events(event_reader.read_events(table, dataset_dir).table.to_pandas())


def _period(period: object, day: date) -> str:
    try:
        norm = normalise_period(str(period or "").strip())
    except PeriodError as exc:
        raise ChangeRefused(f"Periode: {exc} (gebruik bijvoorbeeld 2026Q4, 2026 of 2026M11).", "periode") from None
    if period_start(norm) > day:
        raise ChangeRefused(f"De periode {period_label(norm)} is op {events._nl_date(day)} nog niet begonnen.",
                            "periode")
    return norm


def _phase(project_id: str, phase: object, phase_date: object, day: date, note: str | None,
           dataset_dir) -> tuple[str, date]:
    """(phase, its date) of the melding, checked against the project's phase history."""
    if phase not in PHASES:
        raise ChangeRefused(f"'{phase}' is geen fase. Kies uit: {', '.join(PHASES)}.", "fase")
    history = events.phase_history(dataset_dir)
    mine = history[(history["project_id"] == project_id) & (history["effective_date"] <= day)]
    current = events.current_phase(project_id, day, frame=mine) if not mine.empty else None
    if current is None:
        plans = store.read_frame("project_plans", dataset_dir)
        first = plans[plans["project_id"] == project_id].sort_values("plan_year")
        current = str(first.iloc[0]["phase_start"]) if not first.empty else None
    if phase == current:
        return phase, day  # a confirmation: the phase as it is on the melding's date
    when = day if phase_date is None else events._as_date(phase_date)
    if when > day:
        raise ChangeRefused(f"De datum van de nieuwe fase ({events._nl_date(when)}) ligt na de datum van de "
                            f"melding ({events._nl_date(day)}).", "fasedatum")
    later = history[(history["project_id"] == project_id) & (history["effective_date"] > when)]
    if not later.empty:
        latest = later.sort_values(["effective_date", "recorded_at"]).iloc[-1]
        raise ChangeRefused(f"De datum van de nieuwe fase ({events._nl_date(when)}) ligt vóór de vorige "
                            f"fasewijziging van dit project ({events._nl_date(latest['effective_date'])}, fase "
                            f"{latest['phase']}).", "fasedatum")
    if current is not None and PHASES.index(phase) < PHASES.index(current) and not note:
        raise ChangeRefused(f"Een stap terug (van {current} naar {phase}) vraagt om een toelichting.",
                            "toelichting")
    return phase, when


def _kpi_rows(user: User, project_id: str, period: str, kpi_values: Mapping[str, object], now: datetime,
              checkin_id: str, dataset_dir) -> list[tuple[str, dict]]:
    kpis = store.read_frame("project_kpis", dataset_dir)
    mine = kpis[kpis["project_id"] == project_id].set_index("kpi_id")
    rows = []
    for kpi_id, value in kpi_values.items():
        if value is None or not str(value).strip():
            continue  # no value given for this KPI in this melding
        if kpi_id not in mine.index:
            raise ChangeRefused(f"KPI '{kpi_id}' hoort niet bij dit project.", "kpi")
        try:
            fields = events.kpi_fields(user, kpi_id, period, value, None, now, dataset_dir, checkin_id)
        except ChangeRefused as exc:
            raise ChangeRefused(f"KPI {mine.loc[kpi_id, 'name']}: {exc.message}", f"kpi-{kpi_id}") from None
        rows.append(("kpi_realisations", fields))
    return rows


def record_checkin(user: User, project_id: str, *, checkin_date: object, period: object, judgement: object,
                   note: str | None, phase: object, phase_date: object = None,
                   kpi_values: Mapping[str, object] | None = None, dataset_dir: str | Path | None = None,
                   now: datetime | None = None) -> dict:
    """Record a voortgangsmelding (see the module docstring). Returns the ``checkins`` row written;
    its KPI values are ``kpi_realisations`` rows with ``checkin_id`` = its ``event_id``."""
    user = events.check_user(user, dataset_dir)

    def validate(now: datetime, checkin_id: str) -> tuple[dict, list[tuple[str, dict]]]:
        projects = store.read_frame("projects", dataset_dir)
        if project_id not in set(projects["project_id"]):
            raise ChangeRefused(f"Onbekend project '{project_id}': het staat niet (meer) in het projectregister.",
                                "project")
        events._check_project(user, project_id, dataset_dir)
        day = events._as_date(checkin_date)
        if day > events._today(now):
            raise ChangeRefused(f"De datum van de melding ({events._nl_date(day)}) ligt in de toekomst.", "datum")
        norm = _period(period, day)
        if judgement not in JUDGEMENTS:
            raise ChangeRefused(f"'{judgement}' is geen oordeel. Kies uit: {', '.join(JUDGEMENTS)}.", "oordeel")
        text = events._note(note, False, "")
        earlier = _effective("checkins", dataset_dir)
        earlier = earlier[earlier["project_id"] == project_id]
        if not earlier.empty:
            last = earlier.sort_values(["checkin_date", "recorded_at"]).iloc[-1]
            if day < last["checkin_date"]:
                raise ChangeRefused(f"De datum van de melding ({events._nl_date(day)}) ligt vóór de vorige "
                                    f"voortgangsmelding van dit project ({events._nl_date(last['checkin_date'])}).",
                                    "datum")
            same = earlier[earlier["period"] == norm]
            if not same.empty:
                found = same.iloc[0]
                raise ChangeRefused(
                    f"Voor {period_label(norm)} is al een voortgangsmelding vastgelegd (op "
                    f"{events._nl_date(found['checkin_date'])} door {found['recorded_by']}). Er is er één per "
                    "periode; klopt die niet, maak haar dan ongedaan en leg de melding opnieuw vast.", "periode")
        chosen, when = _phase(project_id, phase, phase_date, day, text, dataset_dir)
        linked = _kpi_rows(user, project_id, norm, kpi_values or {}, now, checkin_id, dataset_dir)
        fields = {"project_id": project_id, "checkin_date": day, "period": norm, "judgement": judgement,
                  "note": text, "phase": chosen, "phase_date": when, "recorded_at": now,
                  "source_id": events.REGISTRATION_SOURCE_ID, "undoes": None, **events._identity(user)}
        return fields, linked

    return events.record_linked("checkins", validate, dataset_dir, now)[0]
