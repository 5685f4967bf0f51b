"""The project register: a TOML file such as ``sources/twentse-koers-jaarplan-2025.toml``.

It is the monitor's transcription of a Twentse Koers jaarplan. A ``[register]`` table at the
top describes the source (title, short_title, publisher, licence, peildatum, published,
source_id, url; optionally plan_end); that table is how the file is recognised. A register
is the plan of one year: ``peildatum`` is the date of its start phases (1 January), and the
expected phases hold at ``plan_end`` (default 31 December of that year). Registers of several
plan years (Jaarplan 2025, Jaarplan 2026) are imported side by side: each adds its own
``project_plans`` rows; a project's name, doelstelling and speerpunten and a themalijn's
ambition come from the newest plan in the monitor. Then, as arrays of tables:

- ``[[project]]``: id, name, themalijn, parent (optional), doelstelling, speerpunten,
  phase_start, phase_expected (as the jaarplan writes them: "Realisatiefase",
  "Vorbereidingsfase"; normalised with ``phases.normalise_phase``); ``source_name`` (optional):
  the name exactly as the jaarplan prints it, when ``name`` (a label) corrects a typo in it.
- ``[[themalijn]]``: id, name, ambition (the intro paragraphs of the themalijn's chapter,
  verbatim, paragraphs separated by a blank line), ambition_short (one sentence of the
  ambition, verbatim), headline_indicators (indicator ids).
- ``[[indicator]]``: indicators the register defines itself (keys as in the catalogue,
  including the optional duiding ``phrase`` with ``{waarde}`` and ``measurement``).
- ``[[observation]]``: indicator, region, period, subgroup, value, ci_low, ci_high, status,
  is_sample, note.
- ``[[quote]]``: a figure the register's document quotes from another publication (the
  jaarplan quoting the Regiobeeld): indicator, region, subgroup, figure (as written: "56%",
  "meer dan 50%"; it must stand in ``quote``), quoted_source, quoted_edition, quote (the
  sentence, verbatim). Stored in ``quotes``, never in ``observations``: a quote is not a
  measurement (``monitor.domain.quotes``).
- ``[[target]]``: indicator, region, comparator, target_value, deadline, baseline,
  baseline_period, note.
- ``[[kpi]]``: id, project, name, unit, target_value, deadline.
- ``[[local_assignment]]``: region, project, description.

Every entry may also carry ``quote`` (the source sentence, for checking; ignored except in ``[[quote]]``).
Each project also gets one phase event: its phase on the peildatum, recorded by the register,
and one ``project_plans`` row for the plan year.
Indicators used by observations, targets or headline_indicators that the register does not
define and the datasets do not have yet are taken from the catalogue (``sources/indicatoren.toml``).

Errors name the line in the file where the offending value stands and its key.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import tomllib

from monitor.domain import regions as regions_mod
from monitor.data import store
from monitor.data.catalogue import CATALOGUE_PATH, load_catalogue, phrase_problem
from monitor.data.contract import (
    COMPARATORS,
    DIRECTIONS,
    MEASUREMENTS,
    OBSERVATION_STATUSES,
    THEMALIJNEN,
    UNITS,
)
from monitor.data.errors import IngestError
from monitor.ingest.base import COLUMN, ROW, Batch, Context
from monitor.ingest.common import read_text, source_row
from monitor.domain.phases import normalise_phase
from monitor.domain.quotes import parse_figure
from monitor.ingest.register_entries import (
    _ARRAYS,
    _COMPARATOR_ALIASES,
    _KEBAB,
    _KEYS,
    _PHASE_WORDS,
    _REGISTER_HEADER,
    _SNAKE,
    NAME,
    _decode_error,
    _entries,
    _Entry,
    _frame,
    _Lines,
    _paragraphs,
    _recorded_at,
    _region,
    _where,
)


class RegisterFormat:
    name = NAME

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".toml" and bool(_REGISTER_HEADER.search(head))

    def parse(self, path: Path, ctx: Context) -> Batch:
        return parse_file(path, ctx)


FORMAT = RegisterFormat()


class _Parse:
    """One register file, section by section; the state the sections share (the register's
    source, the projects and indicators seen so far) lives here."""

    def __init__(self, path: Path, ctx: Context) -> None:
        self.path, self.ctx = path, ctx
        text = read_text(path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _decode_error(exc, text, path) from None
        lines = _Lines(text)
        for key in data:
            if key not in _KEYS:
                row = lines.entry_line(key, 0) or lines.table_line.get(key)
                raise IngestError(f"onbekende tabel '{key}' (verwacht: [register], "
                                  + ", ".join(f"[[{kind}]]" for kind in _ARRAYS) + ")", file=path, row=row)
        if not isinstance(data.get("register"), dict):
            raise IngestError("de tabel [register] ontbreekt", file=path, row=1)
        self.register = register = _Entry("register", None, data["register"], lines, path)
        register.check_keys()
        self.peildatum = peildatum = register.day("peildatum")
        self.own_source_id = register.text("source_id")
        self.title = register.text("title")
        self.short_title = register.text("short_title", required=False) or self.title
        published = register.data.get("published")
        self.recorded_at = _recorded_at(register, peildatum)
        self.plan_year = plan_year = peildatum.year
        self.plan_end = plan_end = register.day("plan_end", required=False) or date(plan_year, 12, 31)
        if plan_end <= peildatum or plan_end.year != plan_year:
            raise register.error(f"'plan_end' ({plan_end:%d-%m-%Y}) moet na de peildatum ({peildatum:%d-%m-%Y}) "
                                 f"liggen, in hetzelfde jaar {plan_year}: een register is het plan van één jaar",
                                 "plan_end")
        self.notes: list[str] = []
        self.source_notes: list[str] = []
        if published:
            self.source_notes.append(f"Gepubliceerd: {published}.")
        if register.text("note", required=False):
            self.source_notes.append(register.text("note"))
        self.entries = {kind: _entries(data, kind, lines, path) for kind in _ARRAYS}
        self.known_regions = set(regions_mod.KNOWN_CODES) | set(
            store.read_frame("regions", ctx.dataset_dir)["region_code"])
        # The sources row first: command-line overrides may change the source_id every row carries.
        # The note is completed at the end.
        self.source = source_row(ctx, source_id=self.own_source_id, publisher=register.text("publisher"),
                                 title=self.title, licence=register.text("licence"), peildatum=peildatum,
                                 url=register.text("url", required=False))
        self.source_id = self.source["source_id"]
        self.seen_projects: dict[str, int | None] = {}
        self.indicator_rows: list[dict] = []
        self.defined: dict[str, dict] = {}
        self.in_datasets = set(store.read_frame("indicators", ctx.dataset_dir)["indicator_id"])
        self.catalogue = None
        self.borrowed: list[str] = []

    def project_ref(self, entry: _Entry) -> str:
        project_id = entry.text("project")
        if project_id not in self.seen_projects:
            raise entry.error(f"onbekend project '{project_id}': geen [[project]] in dit register heeft dat id",
                              "project")
        return project_id

    def indicator_ref(self, entry: _Entry, indicator_id: str | None = None, key: str = "indicator") -> str:
        if indicator_id is None:
            indicator_id = entry.text(key)
        if indicator_id in self.defined or indicator_id in self.in_datasets or indicator_id in self.borrowed:
            return indicator_id
        if self.catalogue is None:
            try:
                self.catalogue = load_catalogue()
            except OSError:
                raise entry.error(f"indicator '{indicator_id}' staat niet in dit register en de indicatorcatalogus "
                                  f"{CATALOGUE_PATH.name} ontbreekt", key) from None
        found = self.catalogue.indicators.get(indicator_id)
        if found is None:
            raise entry.error(f"onbekende indicator '{indicator_id}': niet in dit register, niet in de catalogus "
                              f"{CATALOGUE_PATH.name} en niet in de datasets", key)
        self.indicator_rows.append({**found.row(), ROW: entry.row, COLUMN: None})
        self.borrowed.append(indicator_id)
        return indicator_id

    def projects(self) -> tuple[list[dict], list[dict], list[dict]]:
        """``projects``, their ``project_plans`` row and their start phase (``phase_events``)."""
        entries = self.entries
        source_id, peildatum, plan_year = self.source_id, self.peildatum, self.plan_year
        plan_end, recorded_at, short_title = self.plan_end, self.recorded_at, self.short_title
        project_rows: list[dict] = []
        plan_rows: list[dict] = []
        event_rows: list[dict] = []
        seen_projects = self.seen_projects
        for entry in entries["project"]:
            project_id = entry.text("id")
            if not _KEBAB.match(project_id):
                raise entry.error(f"project-id '{project_id}' moet kebab-case zijn (kleine letters, cijfers en "
                                  "koppeltekens, bijv. 'welzijn-op-recept')", "id")
            if project_id in seen_projects:
                raise entry.error(f"project-id '{project_id}' komt twee keer voor (ook op rij "
                                  f"{seen_projects[project_id]})", "id")
            seen_projects[project_id] = entry.lines.key_line("project", entry.index, "id")
            themalijn = entry.text("themalijn")
            if themalijn not in THEMALIJNEN:
                raise entry.error(f"onbekende themalijn '{themalijn}' (toegestaan: {', '.join(THEMALIJNEN)})",
                                  "themalijn")
            phases = {}
            for key in ("phase_start", "phase_expected"):
                raw = entry.text(key)
                phase = normalise_phase(raw)
                if phase is None:
                    raise entry.error(f"onbekende fase '{raw}' (toegestaan: {', '.join(_PHASE_WORDS)})", key)
                phases[key] = phase
            speerpunten = entry.data["speerpunten"]
            if not isinstance(speerpunten, list) or not all(isinstance(s, str) and s.strip() for s in speerpunten):
                raise entry.error("'speerpunten' moet een lijst met teksten zijn: [\"…\", \"…\"]", "speerpunten")
            project_rows.append({
                "project_id": project_id,
                "name": entry.text("name"),
                "themalijn": themalijn,
                "parent_project_id": entry.text("parent", required=False),
                "doelstelling": entry.text("doelstelling"),
                "speerpunten": [s.strip() for s in speerpunten],
                "source_id": source_id,
                **_where(entry),
            })
            plan_rows.append({
                "project_id": project_id, "plan_year": plan_year, "plan_start": peildatum, "plan_end": plan_end,
                "phase_start": phases["phase_start"], "phase_expected": phases["phase_expected"],
                "source_id": source_id, **_where(entry),
            })
            event_rows.append({
                "event_id": f"{project_id}-start-{peildatum.year}",
                "project_id": project_id,
                "phase": phases["phase_start"],
                "effective_date": peildatum,
                "recorded_at": recorded_at,
                "recorded_by": short_title,
                "note": f"Fase op {peildatum:%d-%m-%Y} volgens het {short_title}",
                "source_id": source_id,
                **_where(entry),
            })
        for entry, row in zip(entries["project"], project_rows):
            parent = row["parent_project_id"]
            if parent is not None and (parent not in seen_projects or parent == row["project_id"]):
                raise entry.error(f"onbekend hoofdproject '{parent}': geen ander project in dit register heeft "
                                  "dat id", "parent")
        return project_rows, plan_rows, event_rows

    def indicators(self) -> None:
        """The indicators the register defines itself (into ``self.indicator_rows``)."""
        entries = self.entries
        source_id, own_source_id = self.source_id, self.own_source_id
        indicator_rows, defined = self.indicator_rows, self.defined
        for entry in entries["indicator"]:
            indicator_id = entry.text("id")
            if not _SNAKE.match(indicator_id):
                raise entry.error(f"indicator-id '{indicator_id}' moet snake_case zijn (bijv. "
                                  "'moeite_met_rondkomen')", "id")
            if indicator_id in defined:
                raise entry.error(f"indicator '{indicator_id}' komt twee keer voor", "id")
            themalijn = entry.text("themalijn", required=False)
            if themalijn is not None and themalijn not in THEMALIJNEN:
                raise entry.error(f"onbekende themalijn '{themalijn}' (toegestaan: {', '.join(THEMALIJNEN)})",
                                  "themalijn")
            unit = entry.text("unit")
            if unit not in UNITS:
                raise entry.error(f"onbekende eenheid '{unit}' (toegestaan: {', '.join(UNITS)})", "unit")
            direction = entry.text("direction")
            if direction not in DIRECTIONS:
                raise entry.error(f"onbekende richting '{direction}' (toegestaan: {', '.join(DIRECTIONS)})",
                                  "direction")
            own = entry.text("source_id", required=False)
            if own is not None and own != own_source_id:
                raise entry.error(f"source_id '{own}' wijkt af van de bron van dit register ('{own_source_id}')",
                                  "source_id")
            phrase = entry.text("phrase", required=False)
            problem = phrase_problem(phrase)
            if problem:
                raise entry.error(problem, "phrase")
            measurement = entry.text("measurement", required=False) or "steekproef"
            if measurement not in MEASUREMENTS:
                raise entry.error(f"onbekende meetwijze '{measurement}' (toegestaan: {', '.join(MEASUREMENTS)})",
                                  "measurement")
            row = {"indicator_id": indicator_id, "name": entry.text("name"), "themalijn": themalijn,
                   "unit": unit, "direction": direction, "source_id": source_id,
                   "description": entry.text("description"), "phrase": phrase, "measurement": measurement,
                   **_where(entry)}
            defined[indicator_id] = row
            indicator_rows.append(row)
        return None

    def themalijnen(self) -> list[dict]:
        """``themalijnen``."""
        entries = self.entries
        source_id = self.source_id
        themalijn_rows: list[dict] = []
        seen_themalijnen: set[str] = set()
        for entry in entries["themalijn"]:
            themalijn = entry.text("id")
            if themalijn not in THEMALIJNEN:
                raise entry.error(f"onbekende themalijn '{themalijn}' (toegestaan: {', '.join(THEMALIJNEN)})", "id")
            if themalijn in seen_themalijnen:
                raise entry.error(f"themalijn '{themalijn}' komt twee keer voor", "id")
            seen_themalijnen.add(themalijn)
            ambition = _paragraphs(entry.text("ambition"))
            short = entry.text("ambition_short")
            if "\n" in short or re.search(r"[.!?]\s+[A-Z]", short):
                raise entry.error("'ambition_short' moet één zin zijn, zonder regeleinden", "ambition_short")
            if re.sub(r"\s+", " ", short) not in re.sub(r"\s+", " ", ambition):
                raise entry.error("'ambition_short' moet letterlijk een zin uit 'ambition' zijn", "ambition_short")
            headline = entry.data["headline_indicators"]
            if (not isinstance(headline, list) or not headline
                    or not all(isinstance(i, str) and i.strip() for i in headline)):
                raise entry.error("'headline_indicators' moet een niet-lege lijst met indicator-id's zijn: "
                                  "[\"…\", \"…\"]", "headline_indicators")
            headline = [i.strip() for i in headline]
            if len(set(headline)) != len(headline):
                raise entry.error("'headline_indicators' noemt een indicator twee keer", "headline_indicators")
            for indicator_id in headline:
                self.indicator_ref(entry, indicator_id, "headline_indicators")
            themalijn_rows.append({
                "themalijn": themalijn, "name": entry.text("name"), "ambition": ambition,
                "ambition_short": short, "headline_indicators": headline, "source_id": source_id,
                **_where(entry),
            })
        return themalijn_rows

    def observations(self) -> list[dict]:
        """``observations`` (a note is named in the source and the import's notes)."""
        entries = self.entries
        source_id, known_regions = self.source_id, self.known_regions
        notes, source_notes = self.notes, self.source_notes
        observation_rows: list[dict] = []
        for entry in entries["observation"]:
            indicator_id = self.indicator_ref(entry)
            region = _region(entry, known_regions)
            period = entry.period("period")
            subgroup = entry.text("subgroup", required=False) or "totaal"
            status = entry.text("status", required=False) or "definitief"
            if status not in OBSERVATION_STATUSES:
                raise entry.error(f"onbekende status '{status}' (toegestaan: {', '.join(OBSERVATION_STATUSES)})",
                                  "status")
            value = entry.number("value")
            observation_rows.append({
                "indicator_id": indicator_id, "region_code": region, "period": period, "subgroup": subgroup,
                "value": value, "ci_low": entry.number("ci_low", required=False),
                "ci_high": entry.number("ci_high", required=False), "status": status,
                "is_sample": entry.flag("is_sample", False), "source_id": source_id, **_where(entry),
            })
            note = entry.text("note", required=False)
            if note:
                text = (f"{indicator_id} {region} {period} ({subgroup}) = {value:g}: {note}")
                source_notes.append(f"Waarneming {text}.")
                notes.append(f"Let op: waarneming {text} (opgeslagen als {value:g}).")
        return observation_rows

    def quotes(self) -> list[dict]:
        """``quotes``: the figure as written, read into number, decimals and qualifier."""
        quote_rows: list[dict] = []
        for entry in self.entries["quote"]:
            indicator_id = self.indicator_ref(entry)
            figure, sentence = entry.text("figure"), entry.text("quote")
            try:
                value, decimals, qualifier = parse_figure(figure)
            except ValueError as exc:
                raise entry.error(str(exc), "figure") from None
            if figure not in sentence:
                raise entry.error(f"'figure' ('{figure}') staat niet letterlijk in 'quote'", "figure")
            quote_rows.append({
                "indicator_id": indicator_id, "region_code": _region(entry, self.known_regions),
                "subgroup": entry.text("subgroup", required=False) or "totaal", "figure": figure, "value": value,
                "decimals": decimals, "qualifier": qualifier, "sentence": sentence,
                "quoted_source": entry.text("quoted_source"),
                "quoted_edition": entry.text("quoted_edition", required=False),
                "cited_in": self.short_title, "source_id": self.source_id, **_where(entry),
            })
        return quote_rows

    def targets(self) -> list[dict]:
        """``targets``."""
        entries = self.entries
        source_id, known_regions, source_notes = self.source_id, self.known_regions, self.source_notes
        target_rows: list[dict] = []
        for entry in entries["target"]:
            indicator_id = self.indicator_ref(entry)
            region = _region(entry, known_regions)
            comparator = entry.text("comparator")
            comparator = _COMPARATOR_ALIASES.get(comparator, comparator)
            if comparator not in COMPARATORS:
                raise entry.error(f"onbekende vergelijking '{comparator}' (toegestaan: {', '.join(COMPARATORS)})",
                                  "comparator")
            target_value = entry.number("target_value")
            deadline = entry.day("deadline")
            target_rows.append({
                "indicator_id": indicator_id, "region_code": region, "comparator": comparator,
                "target_value": target_value, "deadline": deadline,
                "baseline_value": entry.number("baseline", required=False),
                "baseline_period": entry.period("baseline_period", required=False),
                "source_id": source_id, **_where(entry),
            })
            note = entry.text("note", required=False)
            if note:
                source_notes.append(f"Doel {indicator_id} {region} {comparator} {target_value:g} "
                                    f"vóór {deadline:%d-%m-%Y}: {note}")
        return target_rows

    def kpis(self) -> list[dict]:
        """``project_kpis``."""
        entries = self.entries
        source_id = self.source_id
        kpi_rows: list[dict] = []
        seen_kpis: set[str] = set()
        for entry in entries["kpi"]:
            kpi_id = entry.text("id")
            if not _KEBAB.match(kpi_id):
                raise entry.error(f"kpi-id '{kpi_id}' moet kebab-case zijn (bijv. 'wlz-netwerkbijeenkomsten')", "id")
            if kpi_id in seen_kpis:
                raise entry.error(f"kpi-id '{kpi_id}' komt twee keer voor", "id")
            seen_kpis.add(kpi_id)
            unit = entry.text("unit")
            if unit not in UNITS:
                raise entry.error(f"onbekende eenheid '{unit}' (toegestaan: {', '.join(UNITS)})", "unit")
            kpi_rows.append({
                "kpi_id": kpi_id, "project_id": self.project_ref(entry), "name": entry.text("name"), "unit": unit,
                "target_value": entry.number("target_value"), "deadline": entry.day("deadline"),
                "source_id": source_id, **_where(entry),
            })
        return kpi_rows

    def assignments(self) -> list[dict]:
        """``local_assignments``."""
        entries = self.entries
        source_id, known_regions = self.source_id, self.known_regions
        assignment_rows: list[dict] = []
        seen_assignments: dict[tuple[str, str], int | None] = {}
        for entry in entries["local_assignment"]:
            region = _region(entry, known_regions)
            project_id = self.project_ref(entry)
            if (region, project_id) in seen_assignments:
                raise entry.error(f"lokale opdracht voor {region} × {project_id} komt twee keer voor (ook op rij "
                                  f"{seen_assignments[(region, project_id)]}); voeg de teksten samen", "project")
            seen_assignments[(region, project_id)] = entry.row
            assignment_rows.append({"region_code": region, "project_id": project_id,
                                    "description": entry.text("description"), "source_id": source_id,
                                    **_where(entry)})
        return assignment_rows

    def batch(self) -> Batch:
        project_rows, plan_rows, event_rows = self.projects()
        self.indicators()
        themalijn_rows = self.themalijnen()
        observation_rows = self.observations()
        quote_rows = self.quotes()
        target_rows = self.targets()
        kpi_rows = self.kpis()
        assignment_rows = self.assignments()
        notes, ctx, source = self.notes, self.ctx, self.source
        if self.borrowed:
            notes.append("Indicatoren uit de catalogus toegevoegd (gebruikt door dit register): "
                         + ", ".join(self.borrowed) + ".")
        notes.insert(0, f"Register: {self.title} — {len(themalijn_rows)} themalijnen, "
                        f"{len(project_rows)} projecten, {len(kpi_rows)} KPI's, "
                        f"{len(assignment_rows)} lokale opdrachten.")
        if self.source_notes and not ctx.overrides.get("note"):
            source["note"] = " ".join(self.source_notes)
        project_rows, themalijn_rows, kept_notes = _newest_plan_wins(ctx, self.plan_year, self.source_id,
                                                                     project_rows, themalijn_rows)
        notes.extend(kept_notes)
        frames = {
            "themalijnen": _frame("themalijnen", themalijn_rows),
            "projects": _frame("projects", project_rows),
            "project_plans": _frame("project_plans", plan_rows),
            "phase_events": _frame("phase_events", event_rows),
            "indicators": _frame("indicators", self.indicator_rows),
            "observations": _frame("observations", observation_rows),
            "quotes": _frame("quotes", quote_rows),
            "targets": _frame("targets", target_rows),
            "project_kpis": _frame("project_kpis", kpi_rows),
            "local_assignments": _frame("local_assignments", assignment_rows),
        }
        return Batch(source=source, frames=frames, notes=notes)


def parse_file(path: Path, ctx: Context) -> Batch:
    return _Parse(path, ctx).batch()


def _newest_plan_wins(ctx: Context, plan_year: int, source_id: str, project_rows: list[dict],
                      themalijn_rows: list[dict]) -> tuple[list[dict], list[dict], list[str]]:
    """Leave out the descriptions a newer plan in the datasets already gives.

    A project's name, doelstelling and speerpunten (``projects``) and a themalijn's ambition
    (``themalijnen``) come from the newest plan year that has them, whatever the order of the
    imports: importing (a new edition of) the Jaarplan 2025 after the Jaarplan 2026 adds the
    2025 phases but keeps the 2026 texts.
    """
    plans = store.read_frame("project_plans", ctx.dataset_dir)
    plans = plans[plans["source_id"] != source_id]
    newer = plans[plans["plan_year"] > plan_year]
    if newer.empty:
        return project_rows, themalijn_rows, []
    newer_projects = set(newer["project_id"])
    newer_sources = set(newer["source_id"])
    kept_projects = [row for row in project_rows if row["project_id"] not in newer_projects]
    existing = store.read_frame("themalijnen", ctx.dataset_dir)
    newer_themalijnen = set(existing.loc[existing["source_id"].isin(newer_sources), "themalijn"])
    kept_themalijnen = [row for row in themalijn_rows if row["themalijn"] not in newer_themalijnen]
    left_out = len(project_rows) - len(kept_projects)
    note = (f"{left_out} projectbeschrijvingen en {len(themalijn_rows) - len(kept_themalijnen)} ambities "
            f"komen uit een nieuwer jaarplan in de monitor en blijven staan; de fasen van {plan_year} zijn "
            "toegevoegd.")
    return kept_projects, kept_themalijnen, [note]
