"""Generated example data (voorbeelddata), only where no real figure exists.

Everything here is deterministic (a fixed seed per series, no clock) and marked
``is_sample = true`` with ``source_id = SAMPLE_SOURCE_ID``, so it is labelled on screen and in
every export. The generated figures are consistent with the real ones they stand beside:

* per-gemeente ``moeite_met_rondkomen`` and ``eenzaam_65plus`` for 2021–2024: the
  population-weighted mean over the 14 gemeenten in 2023 equals the real Twente figure of the
  Regiobeeld 2023 (18% and 50%); the other years follow a mild trend around it. Weights are
  inhabitants (all ages for rondkomen, 65+ for eenzaamheid) from the real CBS population.
  No Twente-level figure is generated: Twente shows only the real one.
* quarterly ``kpi_realisations`` for every project KPI, cumulative within the KPI's period,
  from 2025Q1 up to the quarter before the build's reference date or the KPI's deadline.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pandas as pd

from monitor.regions import GEMEENTE_CODES, TWENTE

SAMPLE_SOURCE_ID = "tk-voorbeelddata"
REFERENCE_DATE = date(2026, 11, 1)  # fixed, so a rebuild gives the same rows
SAMPLE_NOTE = "Voorbeelddata: gegenereerd, geen echte meting"

# Relative deprivation / urbanity factor per gemeente, from public knowledge that the three
# cities have more financial stress; used only to shape the generated spread.
_URBAN = {"GM0153": 1.0, "GM0141": 0.9, "GM0164": 0.6}

_YEAR_SHIFT = {"2021": -0.8, "2022": 0.3, "2023": 0.0, "2024": -0.4}


def _weighted_series(indicator_id: str, subgroup: str, anchor: float, weights: pd.Series,
                     spread: float, seed: int) -> list[dict]:
    rng = random.Random(seed)
    weights = weights.reindex(list(GEMEENTE_CODES))
    if weights.isna().any():
        return []  # no population for every gemeente: generate nothing rather than guess
    base = {code: (_URBAN.get(code, 0.0) + rng.uniform(-0.6, 0.6)) * spread for code in GEMEENTE_CODES}
    total = float(weights.sum())
    mean_offset = sum(base[c] * weights[c] for c in GEMEENTE_CODES) / total
    rows = []
    for period, shift in _YEAR_SHIFT.items():
        noise = {code: rng.uniform(-0.3, 0.3) for code in GEMEENTE_CODES}
        noise_mean = sum(noise[c] * weights[c] for c in GEMEENTE_CODES) / total
        for code in GEMEENTE_CODES:
            value = anchor + shift + (base[code] - mean_offset) + (noise[code] - noise_mean)
            rows.append({
                "indicator_id": indicator_id, "region_code": code, "period": period,
                "subgroup": subgroup, "value": value, "ci_low": None, "ci_high": None,
                "status": "voorlopig", "is_sample": True, "source_id": SAMPLE_SOURCE_ID,
            })
    frame = pd.DataFrame(rows)
    # Rounded to one decimal: the weighted 2023 mean stays within 0,05 of the Twente figure.
    frame["value"] = frame["value"].round(1)
    return frame.to_dict("records")


def sample_observations(population: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Per-gemeente series where only a Twente figure is real."""
    latest = population[population["year"] == population["year"].max()]
    by_group = latest.pivot_table(index="region_code", columns="age_group", values="inhabitants", aggfunc="sum")
    inhabitants = by_group["totaal"]
    elderly = by_group["65-79"] + by_group["80+"]
    rows: list[dict] = []
    series = [
        ("moeite_met_rondkomen", "totaal", inhabitants, 4.0, 2025_01),
        ("eenzaam_65plus", "65+", elderly, 5.0, 2025_02),
    ]
    for indicator_id, subgroup, weights, spread, seed in series:
        real = observations[(observations["indicator_id"] == indicator_id)
                            & (observations["region_code"] == TWENTE)
                            & (observations["period"] == "2023")
                            & (~observations["is_sample"])]
        if real.empty:
            continue
        rows += _weighted_series(indicator_id, subgroup, float(real["value"].iloc[0]), weights,
                                 spread, seed)
    return pd.DataFrame(rows)


def _quarters(start: date, end: date) -> list[tuple[str, date]]:
    out = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while True:
        last_month = quarter * 3
        q_end = (date(year + (last_month == 12), last_month % 12 + 1, 1) - timedelta(days=1))
        if q_end > end:
            break
        out.append((f"{year}Q{quarter}", q_end))
        quarter += 1
        if quarter == 5:
            year, quarter = year + 1, 1
    return out


def sample_kpi_realisations(kpis: pd.DataFrame, reference: date = REFERENCE_DATE) -> pd.DataFrame:
    """Cumulative quarterly progress per KPI, some ahead of plan and some behind."""
    rows = []
    for kpi in kpis.sort_values("kpi_id").itertuples():
        rng = random.Random(f"{kpi.kpi_id}")
        deadline = kpi.deadline if isinstance(kpi.deadline, date) else pd.Timestamp(kpi.deadline).date()
        end = min(deadline, reference)
        quarters = _quarters(date(2025, 1, 1), end)
        if not quarters:
            continue
        pace = rng.uniform(0.7, 1.1)  # share of the plan reached by the deadline
        span_days = max((deadline - date(2025, 1, 1)).days, 1)
        previous = 0.0
        for period, q_end in quarters:
            planned = kpi.target_value * min((q_end - date(2025, 1, 1)).days / span_days, 1.0)
            value = max(previous, planned * pace * rng.uniform(0.9, 1.05))
            if kpi.unit == "%":
                value = min(value, 100.0)
            value = round(value, 1) if kpi.unit == "%" or kpi.target_value < 20 else float(round(value))
            if kpi.target_value < 20 and kpi.unit != "%":
                value = float(int(value))  # counts of meetings, beds, gemeenten are whole
            previous = value
            recorded = datetime.combine(q_end + timedelta(days=14), datetime.min.time(),
                                        tzinfo=timezone.utc).replace(hour=9)
            rows.append({
                "event_id": f"{kpi.kpi_id}-{period}-voorbeeld", "kpi_id": kpi.kpi_id, "period": period, "value": value, "recorded_at": recorded,
                "recorded_by": "voorbeelddata", "note": SAMPLE_NOTE, "is_sample": True,
                "source_id": SAMPLE_SOURCE_ID, "undoes": None,
            })
    return pd.DataFrame(rows)


def sample_source() -> dict:
    return {
        "source_id": SAMPLE_SOURCE_ID,
        "publisher": "Twentse Koers Monitor (gegenereerd)",
        "title": "Voorbeelddata: gemeentecijfers rondkomen en eenzaamheid, kwartaalrealisaties KPI's",
        "table_id": None,
        "licence": "n.v.t. (gegenereerd)",
        "peildatum": REFERENCE_DATE,
        "retrieved": REFERENCE_DATE,
        "checksum": None,
        "is_sample": True,
        "url": None,
        "note": ("Gegenereerd waar geen echt cijfer bestaat; deterministisch en in lijn met het echte "
                 "Twentse cijfer (Regiobeeld 2023). Niet gebruiken als feit."),
    }
