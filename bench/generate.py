"""A national-scale dataset store in the data contract, for the benchmark.

``python -m bench.generate <folder> [--scale national|smoke]`` writes every contract table to
``<folder>`` with the project's own writer (``monitor.data.store.write_tables``: the same sort
order, row groups and atomic write as an import), starting from the embedded datasets and
adding, deterministically (fixed seeds, no clock):

* regions: the embedded store's own regions when it holds the whole country (the real 342
  gemeenten, 25 GGD-regio's, 12 provinces, COROP-gebieden, jeugdzorgregio's, …, as the
  committed datasets do), else generated ones (Nederland, provinces, GGD regions, gemeenten:
  the smoke scale), and about 3.000 wijken (level ``wijk``, parent the gemeente);
* 150 indicators (the embedded ones plus generated ones), 20 years (2006–2025), three groups
  (``totaal``, ``18-64``, ``65+``) for gemeenten and larger regions and ``totaal`` for wijken:
  about 12,7 million observations; the embedded (real) rows are kept as they are (the real
  national figures included) and only the other keys are generated;
* population for every region and year; gemeente boundaries (simple polygons);
* 500 projects with phase history (built file plus recorded event files under
  ``events/``), KPIs and realisations, local assignments;
* Veilig Thuis counts (``vt_reports``) for every gemeente, GGD region and Nederland, 15 half
  years, in the contract's breakdowns, adding up exactly (categories to totals, gemeenten to
  their GGD region, GGD regions to Nederland).

Everything generated is voorbeelddata (``is_sample``, source ``bench-generator``); the store
is for measuring only and is never committed (the benchmark writes it to a temporary folder).
``--scale smoke`` writes a small store of the same shape for the smoke test in ``make test``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from monitor.data import store
from monitor.data.contract import PHASES, SCHEMAS, TABLES, THEMALIJNEN, VT_BREAKDOWNS, VT_KIND_BREAKDOWNS
from monitor.domain.regions import NEDERLAND, OVERIJSSEL, TWENTE, TWENTE_GEMEENTEN

SOURCE_ID = "bench-generator"
SUBGROUPS = ("18-64", "65+", "totaal")
YEARS = tuple(range(2006, 2026))
VT_PERIODS = tuple(f"{y}H{h}" for y in range(2019, 2026) for h in (1, 2)) + ("2026H1",)


@dataclass(frozen=True)
class Scale:
    gemeenten: int = 342
    wijken_per_gemeente: float = 9.0
    indicators: int = 150
    years: tuple[int, ...] = YEARS
    projects: int = 500
    recorded_events: int = 400
    provinces: int = 12
    ggd_regions: int = 25


SCALES = {
    "national": Scale(),
    "smoke": Scale(gemeenten=40, wijken_per_gemeente=2.0, indicators=40, years=tuple(range(2016, 2026)),
                   projects=60, recorded_events=20, provinces=3, ggd_regions=4),
}


def _rng(*parts: object) -> np.random.Generator:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _strings(dictionary: list[str], indices: np.ndarray) -> pa.Array:
    """A string column from a small dictionary and indices, built without Python strings."""
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), pa.array(dictionary)).cast(pa.string())


def _table(name: str, columns: dict) -> pa.Table:
    """The columns as table ``name``; a nullable column not given (or left empty) is null."""
    schema = SCHEMAS[name]
    rows = max(len(values) for values in columns.values())

    def column(field: pa.Field) -> pa.Array:
        values = columns.get(field.name)
        if field.nullable and (values is None or (rows and len(values) == 0)):
            return pa.nulls(rows, field.type)
        return values if isinstance(values, pa.Array) else pa.array(values, type=field.type)

    return pa.table({f.name: column(f) for f in schema}, schema=schema)


def _concat(name: str, *tables: pa.Table) -> pa.Table:
    return pa.concat_tables([t.cast(SCHEMAS[name]) for t in tables if t.num_rows])


# --- regions -------------------------------------------------------------------------------

def _real_regions(embedded: pa.Table | None, scale: Scale) -> list[tuple] | None:
    """The embedded store's own regions when it holds the whole country (the real 342
    gemeenten, 25 GGD-regio's, provinces, COROP-gebieden, …), else None."""
    if embedded is None or embedded.num_rows == 0:
        return None
    frame = embedded.select(["region_code", "name", "level", "parent_code"]).to_pylist()
    rows = [(r["region_code"], r["name"], r["level"], r["parent_code"]) for r in frame]
    if sum(1 for r in rows if r[2] == "gemeente") != scale.gemeenten:
        return None  # a smaller store (the smoke scale) generates its own
    return rows


def regions(scale: Scale, embedded: pa.Table | None = None) -> dict[str, list]:
    """The region hierarchy: Nederland → provinces → GGD regions → gemeenten → wijken: the
    embedded store's real regions when it holds the whole country, else generated ones."""
    real = _real_regions(embedded, scale)
    if real is not None:
        gemeenten = sorted(r for r in real if r[2] == "gemeente")
        return _with_wijken(list(real), gemeenten, [r[0] for r in real if r[2] == "ggd_regio"],
                            [r[0] for r in real if r[2] == "provincie"], scale)
    rows: list[tuple[str, str, str, str | None]] = [(NEDERLAND, "Nederland", "land", None)]
    provinces = [OVERIJSSEL] + [f"PV_B{i:02d}" for i in range(1, scale.provinces)]
    rows += [(OVERIJSSEL, "Overijssel", "provincie", NEDERLAND)]
    rows += [(code, f"Provincie {i:02d}", "provincie", NEDERLAND) for i, code in enumerate(provinces[1:], 1)]
    ggds = [TWENTE] + [f"GG_B{i:02d}" for i in range(1, scale.ggd_regions)]
    rows += [(TWENTE, "Twente (GGD-regio)", "ggd_regio", OVERIJSSEL)]
    rows += [(code, f"GGD-regio {i:02d}", "ggd_regio", provinces[i % len(provinces)])
             for i, code in enumerate(ggds[1:], 1)]
    gemeenten = [(code, name, "gemeente", TWENTE) for code, name in sorted(TWENTE_GEMEENTEN.items())]
    for i in range(scale.gemeenten - len(TWENTE_GEMEENTEN)):
        gemeenten.append((f"GM{5000 + i:04d}", f"Gemeente {i + 1:03d}", "gemeente", ggds[1 + i % (len(ggds) - 1)]))
    rows += gemeenten
    return _with_wijken(rows, gemeenten, ggds, provinces, scale)


def _with_wijken(rows: list[tuple], gemeenten: list[tuple], ggds: list[str], provinces: list[str],
                 scale: Scale) -> dict[str, list]:
    rng = _rng("wijken")
    counts = rng.poisson(scale.wijken_per_gemeente - 1, len(gemeenten)) + 1
    for (code, name, _level, _parent), n in zip(gemeenten, counts):
        rows += [(f"WK{code[2:]}{k:02d}", f"{name} wijk {k:02d}", "wijk", code) for k in range(int(n))]
    return {"rows": rows, "gemeenten": [g[0] for g in gemeenten], "ggds": ggds, "provinces": provinces}


# --- observations --------------------------------------------------------------------------

def indicators(embedded: pa.Table, scale: Scale) -> pa.Table:
    n = max(0, scale.indicators - embedded.num_rows)
    themes = list(THEMALIJNEN) + [None]
    generated = _table("indicators", {
        "indicator_id": [f"bench_{i:03d}" for i in range(n)],
        "name": [f"Benchmarkindicator {i:03d}" for i in range(n)],
        "themalijn": [themes[i % len(themes)] for i in range(n)],
        "unit": ["%"] * n,
        "direction": [("lower_is_better", "higher_is_better", "neutral")[i % 3] for i in range(n)],
        "source_id": [SOURCE_ID] * n,
        "description": ["Gegenereerde indicator voor de benchmark (voorbeelddata)."] * n,
        "phrase": ["had {waarde} als benchmarkwaarde"] * n,
        "measurement": ["steekproef"] * n,
    })
    return _concat("indicators", embedded, generated)


def observations(indicator_ids: list[str], region_rows: list[tuple], embedded: pa.Table, scale: Scale) -> pa.Table:
    """Every indicator × region × year × group, except the keys the embedded data already has."""
    codes = [r[0] for r in region_rows]
    levels = np.array([r[2] for r in region_rows])
    twente_scope = {NEDERLAND, OVERIJSSEL, TWENTE, *TWENTE_GEMEENTEN}
    embedded_ids = set(embedded.column("indicator_id").to_pylist())
    # the regions the embedded (real) data has figures for, per indicator: kept as they are
    real_regions: dict[str, set[str]] = {}
    for indicator, code in zip(embedded.column("indicator_id").to_pylist(), embedded.column("region_code").to_pylist()):
        real_regions.setdefault(indicator, set()).add(code)
    periods = [str(y) for y in scale.years]
    # (region index, subgroup index) pairs: wijken only 'totaal'.
    big = np.flatnonzero(levels != "wijk")
    small = np.flatnonzero(levels == "wijk")
    pairs_r = np.concatenate([np.repeat(big, len(SUBGROUPS)), small])
    pairs_s = np.concatenate([np.tile(np.arange(len(SUBGROUPS)), len(big)),
                              np.full(len(small), SUBGROUPS.index("totaal"))])
    chunks = []
    for i, indicator in enumerate(indicator_ids):
        keep = np.ones(len(pairs_r), dtype=bool)
        if indicator in embedded_ids:  # keep the real Twente rows; generate the rest of the country
            keep = ~np.isin(np.array(codes, dtype=object)[pairs_r], list(twente_scope | real_regions[indicator]))
        r, s = pairs_r[keep], pairs_s[keep]
        n = len(r) * len(periods)
        rng = _rng("obs", indicator)
        base = rng.uniform(5, 60)
        region_effect = rng.normal(0, base * 0.15, len(codes))
        value = (base + region_effect[np.repeat(r, len(periods))]
                 + np.tile(np.linspace(-2, 2, len(periods)), len(r)) + rng.normal(0, 1, n))
        value = np.clip(value, 0, 100).round(1)
        half = np.where(np.repeat(levels[r] == "wijk", len(periods)), 4.0, 1.5)
        chunks.append({
            "indicator": np.full(n, i), "region": np.repeat(r, len(periods)),
            "period": np.tile(np.arange(len(periods)), len(r)), "subgroup": np.repeat(s, len(periods)),
            "value": value, "low": np.clip(value - half, 0, 100), "high": np.clip(value + half, 0, 100),
        })
    col = {k: np.concatenate([c[k] for c in chunks]) for k in chunks[0]}
    n = len(col["value"])
    generated = pa.table({
        "indicator_id": _strings(indicator_ids, col["indicator"]),
        "region_code": _strings(codes, col["region"]),
        "period": _strings(periods, col["period"]),
        "subgroup": _strings(list(SUBGROUPS), col["subgroup"]),
        "value": pa.array(col["value"]),
        "ci_low": pa.array(col["low"]),
        "ci_high": pa.array(col["high"]),
        "status": _strings(["definitief"], np.zeros(n, dtype=np.int32)),
        "is_sample": pa.array(np.ones(n, dtype=bool)),
        "source_id": _strings([SOURCE_ID], np.zeros(n, dtype=np.int32)),
        "region_kind": _strings(sorted(set(levels)), np.searchsorted(sorted(set(levels)),
                                                                        levels[col["region"]]).astype(np.int32)),
    }, schema=SCHEMAS["observations"])
    return _concat("observations", embedded, generated)


def population(region_rows: list[tuple], embedded: pa.Table, scale: Scale) -> pa.Table:
    age_groups = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-44", "45-64", "65-79", "80+", "totaal"]
    embedded_keys = {(r, y) for r, y in zip(embedded.column("region_code").to_pylist(),
                                            embedded.column("year").to_pylist())}
    codes, years, groups, counts = [], [], [], []
    size = {"land": 18_000_000, "provincie": 1_500_000, "ggd_regio": 700_000, "gemeente": 50_000, "wijk": 5_000}
    for code, _name, level, _parent in region_rows:
        rng = _rng("pop", code)
        base = size.get(level, 400_000) * rng.uniform(0.5, 1.5)
        shares = rng.dirichlet(np.ones(len(age_groups) - 1) * 8)
        for year in scale.years:
            if (code, year) in embedded_keys:
                continue
            parts = np.round(shares * base * (1 + 0.003 * (year - 2015))).astype(np.int64)
            for group, n in zip(age_groups, [*parts, parts.sum()]):
                codes.append(code), years.append(year), groups.append(group), counts.append(int(n))
    generated = _table("population", {"region_code": codes, "year": years, "age_group": groups,
                                      "inhabitants": counts, "source_id": [SOURCE_ID] * len(codes)})
    return _concat("population", embedded, generated)


def region_shapes(gemeenten: list[str], names: dict[str, str], embedded: pa.Table) -> pa.Table:
    have = set(embedded.column("region_code").to_pylist())
    codes, geometries = [], []
    for i, code in enumerate(gemeenten):
        if code in have:
            continue
        x, y = 3.4 + (i % 20) * 0.18, 50.8 + (i // 20) * 0.12
        angles = np.linspace(0, 2 * np.pi, 80, endpoint=False)
        ring = [[round(x + 0.08 * np.cos(a), 5), round(y + 0.05 * np.sin(a), 5)] for a in angles]
        ring.append(ring[0])
        geometries.append(json.dumps({"type": "Polygon", "coordinates": [ring]}))
        codes.append(code)
    generated = _table("region_shapes", {"region_code": codes, "name": [names[c] for c in codes],
                                         "geometry": geometries, "source_id": [SOURCE_ID] * len(codes)})
    return _concat("region_shapes", embedded, generated)


# --- projects ------------------------------------------------------------------------------

def projects(embedded: dict[str, pa.Table], gemeenten: list[str], scale: Scale) -> dict[str, pa.Table]:
    n = max(0, scale.projects - embedded["projects"].num_rows)
    themes = list(THEMALIJNEN)
    rng = _rng("projects")
    start = rng.integers(0, 4, n)
    expected = np.minimum(start + rng.integers(0, 3, n), len(PHASES) - 1)
    ids = [f"bench-project-{i:04d}" for i in range(n)]
    project_rows = _table("projects", {
        "project_id": ids, "name": [f"Benchmarkproject {i:04d}" for i in range(n)],
        "themalijn": [themes[i % 4] for i in range(n)], "parent_project_id": [None] * n,
        "doelstelling": ["Gegenereerd project voor de benchmark."] * n, "speerpunten": [[]] * n,
        "source_id": [SOURCE_ID] * n,
    })
    plan_rows = _table("project_plans", {
        "project_id": ids, "plan_year": [2025] * n, "plan_start": [date(2025, 1, 1)] * n,
        "plan_end": [date(2025, 12, 31)] * n,
        "phase_start": [PHASES[s] for s in start], "phase_expected": [PHASES[e] for e in expected],
        "source_id": [SOURCE_ID] * n,
    })
    events: dict[str, list] = {k: [] for k in SCHEMAS["phase_events"].names}
    for i, pid in enumerate(ids):
        for step in range(int(expected[i] - start[i]) + 1):
            day = date(2025, 1, 1) + timedelta(days=120 * step)
            events["event_id"].append(f"{pid}-{step}")
            events["project_id"].append(pid)
            events["phase"].append(PHASES[int(start[i]) + step])
            events["effective_date"].append(day)
            events["recorded_at"].append(datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc))
            events["recorded_by"].append("benchmark")
            events["note"].append(None)
            events["source_id"].append(SOURCE_ID)
            events["undoes"].append(None)
    kpis = {k: [] for k in SCHEMAS["project_kpis"].names}
    real = {k: [] for k in SCHEMAS["kpi_realisations"].names}
    for i, pid in enumerate(ids):
        for k in range(3):
            kid = f"{pid}-kpi{k}"
            kpis["kpi_id"].append(kid), kpis["project_id"].append(pid)
            kpis["name"].append(f"KPI {k + 1}"), kpis["unit"].append("aantal")
            kpis["target_value"].append(100.0), kpis["deadline"].append(date(2026, 12, 31))
            kpis["source_id"].append(SOURCE_ID)
            for q in range(1, 9):
                period = f"{2024 + (q - 1) // 4}Q{(q - 1) % 4 + 1}"
                real["event_id"].append(f"{kid}-{period}"), real["kpi_id"].append(kid)
                real["period"].append(period), real["value"].append(float(q * 10))
                real["recorded_at"].append(datetime(2026, 1, 1, tzinfo=timezone.utc))
                real["recorded_by"].append("benchmark"), real["note"].append(None)
                real["is_sample"].append(True), real["source_id"].append(SOURCE_ID)
                real["undoes"].append(None)
    assignments = {"region_code": [], "project_id": [], "description": [], "source_id": []}
    for i, pid in enumerate(ids):
        for code in rng.choice(gemeenten, 3, replace=False):
            assignments["region_code"].append(str(code)), assignments["project_id"].append(pid)
            assignments["description"].append("Gegenereerde lokale opgave."), assignments["source_id"].append(SOURCE_ID)
    return {
        "projects": _concat("projects", embedded["projects"], project_rows),
        "project_plans": _concat("project_plans", embedded["project_plans"], plan_rows),
        "phase_events": _concat("phase_events", embedded["phase_events"], _table("phase_events", events)),
        "project_kpis": _concat("project_kpis", embedded["project_kpis"], _table("project_kpis", kpis)),
        "kpi_realisations": _concat("kpi_realisations", embedded["kpi_realisations"], _table("kpi_realisations", real)),
        "local_assignments": _concat("local_assignments", embedded["local_assignments"],
                                     _table("local_assignments", assignments)),
    }


def owners_and_checkins(plans: pa.Table) -> dict[str, pa.Table]:
    """A projectleider per project and a themaleider per themalijn, one voortgangsmelding per
    project (2025Q4, confirming its start phase), a follower per themalijn and two BO dates."""
    at = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    start_phase = dict(zip(plans.column("project_id").to_pylist(), plans.column("phase_start").to_pylist()))
    project_ids = sorted(start_phase)
    subjects = [("project", pid, "projectleider") for pid in project_ids]
    subjects += [("themalijn", theme, "themaleider") for theme in THEMALIJNEN]
    n = len(subjects)
    common = {"recorded_by": ["benchmark"] * n, "source_id": [SOURCE_ID] * n, "recorded_at": [at] * n}
    owner_rows = _table("owner_events", {
        "event_id": [f"owner-{kind}-{sid}" for kind, sid, _r in subjects], "subject_type": [k for k, _s, _r in subjects],
        "subject_id": [s for _k, s, _r in subjects], "role": [r for _k, _s, r in subjects],
        "email": [f"eigenaar-{i % 500}@gemeente.example" for i in range(n)], **common})
    m = len(project_ids)
    checkin_rows = _table("checkins", {
        "event_id": [f"checkin-{pid}-2025Q4" for pid in project_ids], "project_id": project_ids,
        "checkin_date": [date(2026, 1, 5)] * m, "period": ["2025Q4"] * m, "judgement": ["op koers"] * m,
        "phase": [start_phase[pid] for pid in project_ids], "phase_date": [date(2026, 1, 5)] * m,
        "recorded_by": ["benchmark"] * m, "source_id": [SOURCE_ID] * m, "recorded_at": [at] * m})
    themes = list(THEMALIJNEN)
    follow_rows = _table("follow_events", {
        "event_id": [f"follow-{t}" for t in themes], "email": [f"volger-{t}@gemeente.example" for t in themes],
        "subject_type": ["themalijn"] * 4, "subject_id": themes, "follow": [True] * 4,
        "recorded_by": ["benchmark"] * 4, "source_id": [SOURCE_ID] * 4, "recorded_at": [at] * 4})
    bo_rows = _table("bo_dates", {"event_id": ["bo-2025-12", "bo-2026-03"],
                                  "bo_date": [date(2025, 12, 11), date(2026, 3, 12)],
                                  "recorded_by": ["benchmark"] * 2, "source_id": [SOURCE_ID] * 2,
                                  "recorded_at": [at] * 2})
    return {"owner_events": owner_rows, "checkins": checkin_rows, "follow_events": follow_rows, "bo_dates": bo_rows}


def recorded_events(folder: Path, scale: Scale) -> None:
    """Recorded phase changes as users make them: one append-only file per event."""
    target = folder / "events" / "phase_events"
    target.mkdir(parents=True, exist_ok=True)
    import pyarrow.parquet as pq

    for i in range(scale.recorded_events):
        pid = f"bench-project-{i % max(1, scale.projects - 29):04d}"
        at = datetime(2026, 2, 1, tzinfo=timezone.utc) + timedelta(minutes=37 * i)
        stem = f"{at:%Y%m%dT%H%M%S%f}-{hashlib.sha256(str(i).encode()).hexdigest()[:32]}"
        row = _table("phase_events", {
            "event_id": [stem], "project_id": [pid], "phase": [PHASES[i % len(PHASES)]],
            "effective_date": [at.date()], "recorded_at": [at], "recorded_by": ["benchmark"],
            "note": ["Gegenereerde wijziging"], "source_id": ["tk-registratie"], "undoes": [None]})
        pq.write_table(row, target / f"{stem}.parquet")


# --- Veilig Thuis --------------------------------------------------------------------------

def vt_reports(region_info: dict, region_rows: list[tuple], scale: Scale) -> pa.Table:
    """Counts per gemeente; GGD regions and Nederland are the exact sums of their parts."""
    parent = {r[0]: r[3] for r in region_rows}
    rows: dict[str, list] = {k: [] for k in SCHEMAS["vt_reports"].names}

    def add(region: str, period: str, kind: str, breakdown: str, category: str, count: int) -> None:
        for key, value in zip(("region_code", "period", "kind", "breakdown", "category", "count"),
                              (region, period, kind, breakdown, category, count)):
            rows[key].append(value)

    cells = [(kind, b, c) for kind, bs in VT_KIND_BREAKDOWNS.items() for b in bs for c in VT_BREAKDOWNS[b]]
    for period in VT_PERIODS:
        totals: dict[str, np.ndarray] = {}
        for code in region_info["gemeenten"]:
            rng = _rng("vt", code, period)
            inhabitants = rng.uniform(8_000, 160_000)
            base = {"advies": 3.5, "melding": 3.6}
            counts = {}
            for kind in ("advies", "melding"):
                counts[kind] = int(rng.poisson(base[kind] * inhabitants / 1000))
            counts["casus"] = int(rng.binomial(counts["melding"], 0.7))
            counts["onderzoek"] = int(rng.binomial(counts["melding"], 0.09))
            counts["overdracht"] = int(rng.binomial(counts["melding"], 0.08))
            vector = []
            for kind, breakdown, category in cells:
                if breakdown == "totaal":
                    vector.append(counts[kind])
                    continue
                shares = np.ones(len(VT_BREAKDOWNS[breakdown]))
                split = _rng("vt-split", code, period, kind, breakdown).multinomial(counts[kind], shares / shares.sum())
                vector.append(int(split[VT_BREAKDOWNS[breakdown].index(category)]))
            totals[code] = np.array(vector)
        for code, vector in list(totals.items()):
            up = parent[code]
            while up is not None:  # every level is the exact sum of its parts
                totals[up] = totals.get(up, 0) + vector
                up = parent[up]
        for code, vector in totals.items():
            for (kind, breakdown, category), count in zip(cells, vector):
                add(code, period, kind, breakdown, category, int(count))
    n = len(rows["region_code"])
    # Raw counts (as a Veilig Thuis organisation would deliver them): the monitor's own protection
    # applies, which is what the benchmark measures; no source rate (per_1000 from the view).
    rows["per_1000"] = [None] * n
    rows["protected_by"] = [None] * n
    rows["is_sample"] = [True] * n
    rows["source_id"] = [SOURCE_ID] * n
    return _table("vt_reports", rows)


# --- the store -----------------------------------------------------------------------------

def generate(folder: Path, scale: Scale, source: Path | None = None) -> dict[str, int]:
    """Write the store to ``folder`` (replaced if it exists); returns rows per table."""
    source = store.dataset_dir(source)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    embedded = {name: store.read_table(name, source) for name in TABLES}
    info = regions(scale, embedded["regions"])
    region_rows = info["rows"]
    names = {r[0]: r[1] for r in region_rows}
    indicator_table = indicators(embedded["indicators"], scale)
    indicator_ids = sorted(indicator_table.column("indicator_id").to_pylist())
    tables = dict(embedded)
    generated_regions = _table("regions", {k: [r[i] for r in region_rows] for i, k in
                                           enumerate(SCHEMAS["regions"].names[:4])})
    known = set(embedded["regions"].column("region_code").to_pylist())
    # the embedded regions keep their columns (size class, urbanity, …); generated ones are added
    tables["regions"] = _concat("regions", embedded["regions"].filter(
        pa.array([c in {r[0] for r in region_rows} for c in embedded["regions"].column("region_code").to_pylist()])),
        generated_regions.filter(pa.array([c not in known for c in generated_regions.column("region_code").to_pylist()])))
    tables["indicators"] = indicator_table
    codes = pa.array(sorted({r[0] for r in region_rows}))
    # embedded figures of regions this store does not have (the smoke scale) are left out
    within = {name: embedded[name].filter(pc.is_in(embedded[name].column("region_code"), value_set=codes))
              for name in ("observations", "population")}
    tables["observations"] = observations(indicator_ids, region_rows, within["observations"], scale)
    tables["population"] = population(region_rows, within["population"], scale)
    tables["region_shapes"] = region_shapes(info["gemeenten"], names, embedded["region_shapes"])
    tables.update(projects(embedded, info["gemeenten"], scale))
    tables.update(owners_and_checkins(tables["project_plans"]))
    tables["vt_reports"] = vt_reports(info, region_rows, scale)
    tables["sources"] = _concat("sources", embedded["sources"], _table("sources", {
        "source_id": [SOURCE_ID], "publisher": ["Twentse Koers Monitor"],
        "title": ["Benchmark: gegenereerde landelijke gegevens (voorbeelddata)"], "table_id": [None],
        "licence": ["CC0"], "peildatum": [date(2026, 1, 1)], "retrieved": [date(2026, 1, 1)],
        "checksum": [None], "is_sample": [True], "url": [None],
        "note": ["Alleen voor de benchmark; nooit in de monitor zelf."]}))
    store.write_tables(tables, folder)
    recorded_events(folder, scale)
    return {name: table.num_rows for name, table in tables.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.folder, SCALES[args.scale])
    print(json.dumps({"folder": str(args.folder), "scale": args.scale, "rows": counts,
                      "seconds": round(time.perf_counter() - started, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
