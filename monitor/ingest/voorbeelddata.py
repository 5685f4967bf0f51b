"""Generated example data (voorbeelddata), only where no real figure exists.

Everything here is deterministic (a fixed seed per series, no clock) and marked
``is_sample = true`` with ``source_id = SAMPLE_SOURCE_ID``, so it is labelled on screen and in
every export. The generated figures are consistent with the real ones they stand beside:

* per-gemeente ``moeite_met_rondkomen`` and ``eenzaam_65plus`` for 2021–2024, only when their
  themalijn has no real indicator per gemeente (``sample_observations``; with the real CBS
  tables of ../shared none are generated): the
  population-weighted mean over the 14 gemeenten in 2023 equals the real Twente figure of the
  Regiobeeld 2023 (18% and 50%); the other years follow a mild trend around it. Weights are
  inhabitants (all ages for rondkomen, 65+ for eenzaamheid) from the real CBS population.
  No Twente-level figure is generated: Twente shows only the real one.
* quarterly ``kpi_realisations`` for every project KPI, cumulative within the KPI's period,
  from 2025Q1 up to the quarter before the build's reference date or the KPI's deadline.
* ``vt_reports``: Veilig Thuis adviezen, meldingen, onderzoeken and overdrachten per gemeente
  and half year (2019H1 to ``LATEST_VT_PERIOD``) in the shape of CBS 84849NED/84851NED, at
  realistic rates per 1.000 inwoners from the real population; see ``sample_vt_reports``.
  These rows have their own source (``SAMPLE_VT_SOURCE_ID``).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd

from monitor.data.contract import VT_BREAKDOWNS
from monitor.domain.regions import GEMEENTE_CODES, TWENTE

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


def real_gemeente_themalijnen(observations: pd.DataFrame) -> set[str]:
    """The themalijnen that have a real indicator with figures per gemeente."""
    from monitor.data.catalogue import load_catalogue

    themalijn = {i.indicator_id: i.themalijn for i in load_catalogue().indicators.values()}
    real = observations[~observations["is_sample"].astype(bool)
                        & observations["region_code"].isin(list(GEMEENTE_CODES))]
    return {themalijn[i] for i in set(real["indicator_id"]) if themalijn.get(i)}


def sample_observations(population: pd.DataFrame, observations: pd.DataFrame,
                        quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-gemeente series where only a Twente figure is real, and only for a themalijn without
    any real indicator per gemeente: generated figures never carry a section or slide where a
    real indicator of the themalijn exists (with wanbetalers, inkomen and the Gezondheidsmonitor
    2022 per gemeente, none are generated for the embedded data). The Twente anchor is the jaarplan's
    quote of the Regiobeeld 2023 (``quotes``) or a real 2023 observation."""
    latest = population[population["year"] == population["year"].max()]
    by_group = latest.pivot_table(index="region_code", columns="age_group", values="inhabitants", aggfunc="sum")
    inhabitants = by_group["totaal"]
    elderly = by_group["65-79"] + by_group["80+"]
    rows: list[dict] = []
    series = [
        ("moeite_met_rondkomen", "bestaanszekerheid", "totaal", inhabitants, 4.0, 2025_01),
        ("eenzaam_65plus", "mentale-gezondheid", "65+", elderly, 5.0, 2025_02),
    ]
    covered = real_gemeente_themalijnen(observations)
    for indicator_id, themalijn, subgroup, weights, spread, seed in series:
        if themalijn in covered:
            continue
        real = observations[(observations["indicator_id"] == indicator_id)
                            & (observations["region_code"] == TWENTE)
                            & (observations["period"] == "2023")
                            & (~observations["is_sample"])]
        if real.empty and quotes is not None:
            real = quotes[(quotes["indicator_id"] == indicator_id) & (quotes["region_code"] == TWENTE)]
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
    """Cumulative quarterly progress per KPI, some ahead of plan and some behind; whole numbers
    for counts, never 0 throughout; recorded at the reference date (not a realistic moment)."""
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
            value = round(value, 1) if kpi.unit == "%" else float(round(value))
            if kpi.unit != "%" and period == quarters[-1][0] and kpi.target_value >= 1:
                value = max(value, 1.0)  # a generated series never stays at 0 throughout
            previous = value
            # Not a realistic registration moment: every generated row carries the build's
            # fixed reference date, the peildatum of the voorbeelddata source.
            recorded = datetime.combine(reference, datetime.min.time(), tzinfo=timezone.utc)
            rows.append({
                "event_id": f"{kpi.kpi_id}-{period}-voorbeeld", "kpi_id": kpi.kpi_id, "period": period, "value": value, "recorded_at": recorded,
                "recorded_by": "voorbeelddata", "note": SAMPLE_NOTE, "is_sample": True,
                "source_id": SAMPLE_SOURCE_ID, "undoes": None,
            })
    return pd.DataFrame(rows)


_SAMPLE_SERIES = {"moeite_met_rondkomen": "moeite met rondkomen", "eenzaam_65plus": "eenzaamheid 65+"}


def sample_source(observations: pd.DataFrame | None = None,
                  kpi_realisations: pd.DataFrame | None = None) -> dict:
    """The sources row of the voorbeelddata, saying what this build generated: the per-gemeente
    series of ``sample_observations`` (none with the real CBS tables) and the KPI realisations.
    Without the generated frames the title stays general."""
    parts, notes = [], []
    if observations is None and kpi_realisations is None:
        parts = ["kwartaalrealisaties van project-KPI's, en gemeentecijfers alleen waar geen echt cijfer "
                 "per gemeente bestaat"]
        notes = ["Gegenereerd waar geen echt cijfer bestaat; deterministisch."]
    if observations is not None and not observations.empty:
        names = [_SAMPLE_SERIES.get(i, i) for i in dict.fromkeys(observations["indicator_id"])]
        parts.append(f"gemeentecijfers {' en '.join(names)}")
        notes.append("De gemeentecijfers zijn gegenereerd omdat hun themalijn geen echt cijfer per gemeente "
                     "heeft; hun gewogen gemiddelde is het echte Twentse cijfer (Regiobeeld 2023).")
    if kpi_realisations is not None and not kpi_realisations.empty:
        parts.append("kwartaalrealisaties van project-KPI's")
        notes.append("De kwartaalrealisaties van de project-KPI's zijn gegenereerd: er zijn nog geen echte "
                     "realisaties; deterministisch, tot het kwartaal vóór de peildatum.")
    return {
        "source_id": SAMPLE_SOURCE_ID,
        "publisher": "Twentse Koers Monitor (gegenereerd)",
        "title": "Voorbeelddata: " + (" en ".join(parts) if parts else "niets gegenereerd"),
        "table_id": None,
        "licence": "n.v.t. (gegenereerd)",
        "peildatum": REFERENCE_DATE,
        "retrieved": REFERENCE_DATE,
        "checksum": None,
        "is_sample": True,
        "url": None,
        "note": " ".join(notes + ["Niet gebruiken als feit."]),
    }


# --- Veilig Thuis ------------------------------------------------------------------------------

SAMPLE_VT_SOURCE_ID = "tk-voorbeelddata-veilig-thuis"
FIRST_VT_PERIOD = "2019H1"
LATEST_VT_PERIOD = "2026H1"

# How urban a gemeente is (0 = rural, 1 = Enschede), from public knowledge about the cities
# and the larger kernen; Veilig Thuis figures per 1.000 inwoners are higher in the cities.
_VT_URBAN: dict[str, float] = {
    "GM0153": 1.00,  # Enschede
    "GM0141": 0.90,  # Almelo
    "GM0164": 0.75,  # Hengelo
    "GM0173": 0.50,  # Oldenzaal
    "GM1700": 0.40,  # Twenterand
    "GM0147": 0.35,  # Borne
    "GM0163": 0.30,  # Hellendoorn
    "GM0158": 0.30,  # Haaksbergen
    "GM0189": 0.25,  # Wierden
    "GM0168": 0.25,  # Losser
    "GM1735": 0.25,  # Hof van Twente
    "GM1742": 0.15,  # Rijssen-Holten
    "GM1774": 0.10,  # Dinkelland
    "GM0183": 0.05,  # Tubbergen
}
# Rates per 1.000 inwoners per half year in 2025H1 as rural + urban * (urbanity). Enschede
# (urbanity 1) gets 3,25 adviezen and 4,6 meldingen per 1.000: about 525 and 745 on its
# 162.000 inwoners, its real 2025H1 figures. Nederland 2023: ~4,0 adviezen, ~3,6 meldingen.
_VT_RATE = {"advies": (2.80, 0.45), "melding": (2.40, 2.20)}
# Trend per year since 2019 (adviezen up, meldingen slightly down), anchored at 2025H1.
_VT_TREND = {"advies": 0.035, "melding": -0.012}
# Season: the second half year relative to the first (summer holidays: fewer signals from
# schools; meldingen from the police hold up).
_VT_SEASON_H2 = {"advies": 0.94, "melding": 0.98}
# Follow-up as a share of the meldingen of the same half year.
_VT_FOLLOW_UP = {"onderzoek": 0.08, "overdracht": 0.07}
# Shares within a breakdown, in the order of contract.VT_BREAKDOWNS.
_VT_CATEGORY_SHARES = (0.50, 0.30, 0.03, 0.10, 0.07)  # kinder, partner, ouderen, overig hg, anders
_VT_MELDER_SHARES = {  # politie, onderwijs, huisarts_zorg, burger_omgeving, overig
    "melding": (0.65, 0.04, 0.10, 0.08, 0.13),
    "advies": (0.06, 0.09, 0.13, 0.44, 0.28),
}


def vt_periods(first: str = FIRST_VT_PERIOD, last: str = LATEST_VT_PERIOD) -> list[str]:
    """Half years from ``first`` to ``last`` inclusive: ['2019H1', '2019H2', …]."""
    out, year, half = [], int(first[:4]), int(first[-1])
    while f"{year}H{half}" <= last:
        out.append(f"{year}H{half}")
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return out


def _stable_rng(*parts: str) -> np.random.Generator:
    """A numpy Generator seeded from a stable hash of the key (never Python's ``hash()``,
    which changes between runs)."""
    digest = hashlib.sha256("|".join(("veilig-thuis", *parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _inhabitants(population: pd.DataFrame, gemeenten: list[str], year: int) -> dict[str, int] | None:
    """Inhabitants (all ages) per gemeente: the latest population year ≤ ``year``, else the
    earliest year there is. None when a gemeente has no population."""
    totals = population[population["age_group"] == "totaal"]
    out = {}
    for code in gemeenten:
        rows = totals[totals["region_code"] == code]
        if rows.empty:
            return None
        earlier = rows[rows["year"] <= year]
        row = earlier.loc[earlier["year"].idxmax()] if not earlier.empty else rows.loc[rows["year"].idxmin()]
        out[code] = int(row["inhabitants"])
    return out


def _vt_gemeenten(regions: pd.DataFrame) -> list[str]:
    if regions is None or regions.empty:
        return list(GEMEENTE_CODES)
    rows = regions[(regions["level"] == "gemeente") & (regions["parent_code"] == TWENTE)]
    return sorted(rows["region_code"]) or list(GEMEENTE_CODES)


def sample_vt_reports(population: pd.DataFrame, regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Veilig Thuis voorbeelddata in the shape of the ``vt_reports`` contract.

    Per gemeente and half year: adviezen and meldingen drawn (Poisson) around a rate per
    1.000 inwoners that depends on urbanity, with trend and season; onderzoeken and
    overdrachten as binomial shares of the meldingen; categories and melders as multinomial
    splits, so every breakdown adds up exactly to its total. ``GG_TWENTE`` is the exact sum of
    the gemeenten. Small gemeenten get counts below 10 in several cells (ouderenmishandeling,
    onderwijs, onderzoek, overdracht). Deterministic: each (gemeente, half year) has its own
    generator seeded from a stable hash. No Nederland rows (only real data have those).
    """
    gemeenten = _vt_gemeenten(regions)
    categories = VT_BREAKDOWNS["categorie"]
    melders = VT_BREAKDOWNS["melder"]
    records: list[tuple] = []

    def add(region: str, period: str, kind: str, breakdown: str, category: str, count: int) -> None:
        records.append((region, period, kind, breakdown, category, int(count)))

    for period in vt_periods():
        year, half = int(period[:4]), int(period[-1])
        inhabitants = _inhabitants(population, gemeenten, year)
        if inhabitants is None:
            return pd.DataFrame()  # no population for every gemeente: generate nothing rather than guess
        t = year + (half - 1) / 2 - 2025.0  # years since 2025H1
        for code in gemeenten:
            rng = _stable_rng(code, period)
            urban = _VT_URBAN.get(code, 0.2)
            totals: dict[str, int] = {}
            for kind in ("advies", "melding"):
                rural, extra = _VT_RATE[kind]
                rate = (rural + extra * urban) * (1 + _VT_TREND[kind]) ** t
                rate *= _VT_SEASON_H2[kind] if half == 2 else 1.0
                totals[kind] = int(rng.poisson(rate * inhabitants[code] / 1000))
            for kind, share in _VT_FOLLOW_UP.items():
                totals[kind] = int(rng.binomial(totals["melding"], share))
            for kind in ("advies", "melding", "onderzoek", "overdracht"):
                add(code, period, kind, "totaal", "totaal", totals[kind])
                for category, n in zip(categories, rng.multinomial(totals[kind], _VT_CATEGORY_SHARES)):
                    add(code, period, kind, "categorie", category, n)
                if kind in _VT_MELDER_SHARES:
                    for melder, n in zip(melders, rng.multinomial(totals[kind], _VT_MELDER_SHARES[kind])):
                        add(code, period, kind, "melder", melder, n)
    frame = pd.DataFrame(records, columns=["region_code", "period", "kind", "breakdown", "category", "count"])
    twente = frame.groupby(["period", "kind", "breakdown", "category"], as_index=False, sort=False)["count"].sum()
    twente.insert(0, "region_code", TWENTE)
    frame = pd.concat([frame, twente], ignore_index=True)
    frame["count"] = frame["count"].astype("int64")
    frame["is_sample"] = True
    frame["source_id"] = SAMPLE_VT_SOURCE_ID
    return frame.sort_values(["region_code", "period", "kind", "breakdown", "category"]).reset_index(drop=True)


def sample_vt_source() -> dict:
    end = date(int(LATEST_VT_PERIOD[:4]), 6, 30) if LATEST_VT_PERIOD.endswith("H1") \
        else date(int(LATEST_VT_PERIOD[:4]), 12, 31)
    return {
        "source_id": SAMPLE_VT_SOURCE_ID,
        "publisher": "Twentse Koers Monitor (gegenereerd)",
        "title": ("Voorbeelddata Veilig Thuis: adviezen, meldingen, onderzoeken en overdrachten per "
                  "gemeente en halfjaar, gegenereerd naar het model van CBS 84849NED en 84851NED"),
        "table_id": None,
        "licence": "n.v.t. (gegenereerd)",
        "peildatum": end,
        "retrieved": REFERENCE_DATE,
        "checksum": None,
        "is_sample": True,
        "url": None,
        "note": ("Gegenereerd omdat hier geen echte Veilig Thuis-cijfers per gemeente beschikbaar zijn: "
                 "deterministisch, met realistische aantallen per 1.000 inwoners (echte bevolking, CBS "
                 "70072NED), seizoen en trend. Niet gebruiken als feit. Een import van de echte CBS-tabellen "
                 "vervangt deze rijen."),
    }
