"""A small dataset folder with explicit numbers, written through the data contract.

Logic tests build on this instead of the committed ``datasets/`` (which changes whenever the
real data is refreshed): every figure a test asserts follows from the rows below, and the
comments say how.

Six projects of the 2025 plan (1 January to 31 December 2025); at the peildatum 1 July 2025
(181 of 364 days: fraction 0,497) their statuses by the rules of ``monitor.domain.status``:

==============  ===================  =======================  ==================  ===========================
project         themalijn            plan (start → expected)  registered          status on 1-7-2025
==============  ===================  =======================  ==================  ===========================
schuldhulp      bestaanszekerheid    Definitie → Realisatie   Definitie, 1-5      achter (due Ontwerp)
kinderarmoede   bestaanszekerheid    Definitie → Realisatie   nothing             onbekend (geen registratie)
valpreventie    ouderen              Realisatie → Borging     nothing             op schema, niet bijgewerkt
mantelzorg      ouderen              Borging → Borging        nothing             afgerond
leefstijl       preventie-en-gez.    Initiatie → Ontwerp      Ontwerp, 1-6        voor (plan reaches Definitie)
weerbaarheid    mentale-gezondheid   Ontwerp → Voorbereiding  Voorbereiding, 15-4 op schema
==============  ===================  =======================  ==================  ===========================

Indicator ``overgewicht`` (%, lower is better, a survey) for three gemeenten, Twente and
Nederland in 2020 and 2022 (two Gezondheidsmonitor editions), and the jaarplan's quote of the
Regiobeeld 2023 for Twente ("51%": a quote, stored in ``quotes``, never a point of the series);
``rondkomen`` (%, a count) for the three gemeenten in 2022;
``eenzaamheid`` and ``mantelzorgers`` (%, surveys) for Twente in 2022. Each themalijn has one
of them as its headline indicator.

With ``veilig_thuis=True`` the folder also holds the population of the three gemeenten and
Twente (their sum) and Veilig Thuis raw counts per half year: the deterministic generator of
``monitor.ingest.voorbeelddata`` run on that population (Tubbergen, the smallest, gets counts
below 10), the test bed of the monitor's own protection of small counts.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from monitor.data import store
from monitor.data.contract import TABLES
from monitor.data.events import REGISTRATION_SOURCE_ID

PEILDATUM = date(2025, 7, 1)
PLAN_START, PLAN_END = date(2025, 1, 1), date(2025, 12, 31)
PLAN_SOURCE = "tk-jaarplan-2025"
PLAN_TITLE = "Twentse Koers Jaarplan 2025"
ENSCHEDE, HENGELO, TUBBERGEN = "GM0153", "GM0164", "GM0183"
TWENTE, NEDERLAND = "GG_TWENTE", "NL01"

# project_id -> (name, themalijn, phase_start, phase_expected, registration (phase, date) or None)
PROJECTS: dict[str, tuple[str, str, str, str, tuple[str, date] | None]] = {
    "schuldhulp": ("Schuldhulp dichtbij", "bestaanszekerheid", "Definitie", "Realisatie",
                   ("Definitie", date(2025, 5, 1))),
    "kinderarmoede": ("Kinderarmoede", "bestaanszekerheid", "Definitie", "Realisatie", None),
    "valpreventie": ("Valpreventie", "ouderen", "Realisatie", "Borging", None),
    "mantelzorg": ("Mantelzorg", "ouderen", "Borging", "Borging", None),
    "leefstijl": ("Leefstijl op school", "preventie-en-gezondheid", "Initiatie", "Ontwerp",
                  ("Ontwerp", date(2025, 6, 1))),
    "weerbaarheid": ("Mentale weerbaarheid", "mentale-gezondheid", "Ontwerp", "Voorbereiding",
                     ("Voorbereiding", date(2025, 4, 15))),
}
STATUS_ON_PEILDATUM = {"schuldhulp": "achter", "kinderarmoede": "onbekend (geen registratie)",
                       "valpreventie": "op schema", "mantelzorg": "afgerond", "leefstijl": "voor",
                       "weerbaarheid": "op schema"}
STALE_ON_PEILDATUM = {"valpreventie"}  # its last change is the plan start, 181 days earlier
# the built phase events: one plan start per project, and the three registrations above
BUILT_PHASE_EVENTS = 9
# gemeente -> the projects with a local assignment there
ASSIGNMENTS = {ENSCHEDE: ["schuldhulp", "leefstijl"], HENGELO: ["schuldhulp"], TUBBERGEN: ["valpreventie"]}

# (region, period) -> (value, ci_low, ci_high) of overgewicht (adults, %)
OVERGEWICHT = {
    (ENSCHEDE, "2020"): (51.0, 48.0, 54.0), (ENSCHEDE, "2022"): (52.0, 49.0, 55.0),
    (HENGELO, "2020"): (47.0, 44.0, 50.0), (HENGELO, "2022"): (46.0, 43.0, 49.0),
    (TUBBERGEN, "2020"): (55.0, 50.0, 60.0), (TUBBERGEN, "2022"): (53.0, 48.0, 58.0),
    (TWENTE, "2020"): (50.0, 49.0, 51.0), (TWENTE, "2022"): (50.5, 49.5, 51.5),
    (NEDERLAND, "2020"): (49.0, 48.8, 49.2), (NEDERLAND, "2022"): (50.3, 50.1, 50.5),
}
# Twente as the jaarplan quotes the Regiobeeld 2023: a quote (table quotes), not a measurement
OVERGEWICHT_JAARPLAN_2023 = 51.0
OVERGEWICHT_JAARPLAN_FIGURE = "51%"
OVERGEWICHT_JAARPLAN_SENTENCE = "51% van de Twentse volwassenen heeft overgewicht"
# gemeente -> (west, south) of the one-tenth-degree square that stands in for its outline
SQUARES = {ENSCHEDE: (6.8, 52.2), HENGELO: (6.7, 52.25), TUBBERGEN: (6.8, 52.4)}
RONDKOMEN = {ENSCHEDE: 18.0, HENGELO: 12.0, TUBBERGEN: 9.0}  # 2022, % with trouble making ends meet
# indicator -> (themalijn, name, Twente's 2022 value): one figure each
# gemeente -> inhabitants (all ages) in POPULATION_YEAR; Twente's are their sum
POPULATION = {ENSCHEDE: 160_000, HENGELO: 87_000, TUBBERGEN: 21_500}
POPULATION_YEAR = 2024
# The 14 Twente gemeenten in 2025 (CBS 70072NED): inhabitants (all ages, 65-79, 80+), for the
# voorbeelddata generators that need every gemeente; written here, so a refresh of the real
# population moves no test
TWENTE_POPULATION_2025 = {
    "GM0141": (74776, 11721, 3913), "GM0147": (24741, 4218, 1495), "GM0153": (162317, 22670, 7572),
    "GM0158": (24225, 4567, 1747), "GM0163": (36213, 6610, 2173), "GM0164": (83655, 13153, 4551),
    "GM0168": (23469, 4645, 1391), "GM0173": (32021, 5971, 2144), "GM0183": (21507, 3601, 1189),
    "GM0189": (25342, 4291, 1518), "GM1700": (34113, 5509, 1692), "GM1735": (35660, 6752, 2659),
    "GM1742": (38836, 5704, 2044), "GM1774": (26728, 4915, 1699)}
TWENTE_ONLY = {"eenzaamheid": ("mentale-gezondheid", "Ernstig eenzaam", 11.0),
               "mantelzorgers": ("ouderen", "Mantelzorgers", 14.0)}


def _rows(name: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows) if rows else store.empty_table(name).to_pandas()


def _source(source_id: str, title: str, peildatum: date, publisher: str = "GGD Twente") -> dict:
    return {"source_id": source_id, "publisher": publisher, "title": title, "table_id": None,
            "licence": "CC-BY 4.0", "peildatum": peildatum, "retrieved": date(2025, 6, 30), "checksum": None,
            "is_sample": False, "url": None, "note": None}


def _event(event_id: str, project_id: str, phase: str, day: date, source_id: str) -> dict:
    return {"event_id": event_id, "project_id": project_id, "phase": phase, "effective_date": day,
            "recorded_at": datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc),
            "recorded_by": "test", "note": None, "source_id": source_id, "undoes": None,
            "recorded_by_email": None, "recorded_by_sub": None}


def population() -> pd.DataFrame:
    rows = {**POPULATION, TWENTE: sum(POPULATION.values())}
    return pd.DataFrame([{"region_code": code, "year": POPULATION_YEAR, "age_group": "totaal",
                          "inhabitants": n, "source_id": "cbs-bevolking"} for code, n in rows.items()])


def twente_population() -> pd.DataFrame:
    """``TWENTE_POPULATION_2025`` in the shape of the population table (age groups totaal,
    65-79 and 80+)."""
    return pd.DataFrame([{"region_code": code, "year": 2025, "age_group": group, "inhabitants": n,
                          "source_id": "cbs-70072NED"}
                         for code, counts in TWENTE_POPULATION_2025.items()
                         for group, n in zip(("totaal", "65-79", "80+"), counts)])


def vt_reports() -> pd.DataFrame:
    """Veilig Thuis raw counts (voorbeelddata) of the three gemeenten and Twente, their sum."""
    from monitor.ingest import voorbeelddata

    return voorbeelddata.sample_vt_reports(population(), frames()["regions"])


def frames(veilig_thuis: bool = False) -> dict[str, pd.DataFrame]:
    """Every table of the contract as a DataFrame (empty where the fixture has no rows)."""
    regions = [{"region_code": NEDERLAND, "name": "Nederland", "level": "land", "parent_code": None},
               {"region_code": TWENTE, "name": "Twente", "level": "ggd_regio", "parent_code": NEDERLAND}]
    regions += [{"region_code": code, "name": name, "level": "gemeente", "parent_code": TWENTE}
                for code, name in ((ENSCHEDE, "Enschede"), (HENGELO, "Hengelo"), (TUBBERGEN, "Tubbergen"))]
    sources = [_source(PLAN_SOURCE, PLAN_TITLE, PLAN_START, "Twentse Koers"),
               _source(REGISTRATION_SOURCE_ID, "Registraties in de monitor", PEILDATUM, "Twentse Koers"),
               _source("gm-2020", "Gezondheidsmonitor 2020", date(2020, 12, 31)),
               _source("gm-2022", "Gezondheidsmonitor 2022", date(2022, 12, 31)),
               _source("cbs-rondkomen", "CBS rondkomen 2022", date(2022, 12, 31), "CBS")]
    indicators = [
        {"indicator_id": "overgewicht", "name": "Overgewicht", "themalijn": "preventie-en-gezondheid",
         "unit": "%", "direction": "lower_is_better", "source_id": "gm-2022",
         "description": "Volwassenen met overgewicht.", "phrase": "had {waarde} van de volwassenen overgewicht",
         "measurement": "steekproef"},
        {"indicator_id": "rondkomen", "name": "Moeite met rondkomen", "themalijn": "bestaanszekerheid",
         "unit": "%", "direction": "lower_is_better", "source_id": "cbs-rondkomen",
         "description": "Huishoudens met moeite met rondkomen.", "phrase": None, "measurement": "telling"}]
    indicators += [{"indicator_id": indicator_id, "name": name, "themalijn": themalijn, "unit": "%",
                    "direction": "neutral", "source_id": "gm-2022", "description": f"{name}.", "phrase": None,
                    "measurement": "steekproef"} for indicator_id, (themalijn, name, _v) in TWENTE_ONLY.items()]
    observations = [{"indicator_id": "overgewicht", "region_code": region, "period": period, "subgroup": "totaal",
                     "value": v, "ci_low": lo, "ci_high": hi, "status": "definitief", "is_sample": False,
                     "source_id": f"gm-{period}"} for (region, period), (v, lo, hi) in OVERGEWICHT.items()]
    quotes = [{"indicator_id": "overgewicht", "region_code": TWENTE, "subgroup": "totaal",
               "figure": OVERGEWICHT_JAARPLAN_FIGURE, "value": OVERGEWICHT_JAARPLAN_2023, "decimals": 0,
               "qualifier": None, "sentence": OVERGEWICHT_JAARPLAN_SENTENCE, "quoted_source": "Regiobeeld",
               "quoted_edition": "2023", "cited_in": "Jaarplan 2025", "source_id": PLAN_SOURCE}]
    observations += [{"indicator_id": "rondkomen", "region_code": region, "period": "2022", "subgroup": "totaal",
                      "value": v, "ci_low": None, "ci_high": None, "status": "definitief", "is_sample": False,
                      "source_id": "cbs-rondkomen"} for region, v in RONDKOMEN.items()]
    observations += [{"indicator_id": indicator_id, "region_code": TWENTE, "period": "2022", "subgroup": "totaal",
                      "value": v, "ci_low": v - 1, "ci_high": v + 1, "status": "definitief", "is_sample": False,
                      "source_id": "gm-2022"} for indicator_id, (_t, _n, v) in TWENTE_ONLY.items()]
    targets = [{"indicator_id": "overgewicht", "region_code": TWENTE, "comparator": "≤", "target_value": 48.0,
                "deadline": date(2030, 12, 31), "baseline_value": 50.0, "baseline_period": "2020",
                "source_id": PLAN_SOURCE}]
    projects, plans, events = [], [], []
    for project_id, (name, themalijn, start, expected, registration) in PROJECTS.items():
        projects.append({"project_id": project_id, "name": name, "themalijn": themalijn, "parent_project_id": None,
                         "doelstelling": f"Doel van {name}.", "speerpunten": [], "source_id": PLAN_SOURCE})
        plans.append({"project_id": project_id, "plan_year": 2025, "plan_start": PLAN_START, "plan_end": PLAN_END,
                      "phase_start": start, "phase_expected": expected, "source_id": PLAN_SOURCE})
        events.append(_event(f"{project_id}-start-2025", project_id, start, PLAN_START, PLAN_SOURCE))
        if registration is not None:
            events.append(_event(f"{project_id}-reg-1", project_id, *registration, REGISTRATION_SOURCE_ID))
    kpis = [{"kpi_id": "schuldhulp-trajecten", "project_id": "schuldhulp", "name": "Trajecten gestart",
             "unit": "aantal", "target_value": 120.0, "deadline": date(2025, 12, 31), "source_id": PLAN_SOURCE},
            {"kpi_id": "leefstijl-bereik", "project_id": "leefstijl", "name": "Scholen bereikt", "unit": "%",
             "target_value": 40.0, "deadline": date(2025, 12, 31), "source_id": PLAN_SOURCE}]
    realisations = [{"event_id": "schuldhulp-trajecten-2025Q1", "kpi_id": "schuldhulp-trajecten", "period": "2025Q1",
                     "value": 30.0, "recorded_at": datetime(2025, 4, 2, 9, tzinfo=timezone.utc),
                     "recorded_by": "test", "note": None, "is_sample": False, "source_id": REGISTRATION_SOURCE_ID,
                     "undoes": None, "recorded_by_email": None, "recorded_by_sub": None}]
    assignments = [{"region_code": code, "project_id": project_id, "description": "lokale opdracht",
                    "source_id": PLAN_SOURCE} for code, ids in ASSIGNMENTS.items() for project_id in ids]
    themalijnen = [{"themalijn": "bestaanszekerheid", "name": "Bestaanszekerheid", "ambition": "Rondkomen.",
                    "ambition_short": "Rondkomen", "headline_indicators": ["rondkomen"], "source_id": PLAN_SOURCE},
                   {"themalijn": "preventie-en-gezondheid", "name": "Preventie & gezondheid",
                    "ambition": "Gezond gewicht.", "ambition_short": "Gezond gewicht",
                    "headline_indicators": ["overgewicht"], "source_id": PLAN_SOURCE},
                   {"themalijn": "mentale-gezondheid", "name": "Mentale gezondheid", "ambition": "Weerbaar.",
                    "ambition_short": "Weerbaar", "headline_indicators": ["eenzaamheid"], "source_id": PLAN_SOURCE},
                   {"themalijn": "ouderen", "name": "Ouderen", "ambition": "Thuis oud worden.",
                    "ambition_short": "Thuis oud worden", "headline_indicators": ["mantelzorgers"], "source_id": PLAN_SOURCE}]
    shapes = [{"region_code": code, "name": name, "source_id": "cbs-rondkomen",
               "geometry": json.dumps({"type": "MultiPolygon", "coordinates": [[[
                   [x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]]]})}
              for code, name, (x, y) in ((ENSCHEDE, "Enschede", SQUARES[ENSCHEDE]),
                                          (HENGELO, "Hengelo", SQUARES[HENGELO]),
                                          (TUBBERGEN, "Tubbergen", SQUARES[TUBBERGEN]))]
    given = {"regions": regions, "region_shapes": shapes, "sources": sources, "indicators": indicators, "observations": observations,
             "quotes": quotes, "targets": targets, "projects": projects, "project_plans": plans, "phase_events": events,
             "project_kpis": kpis, "kpi_realisations": realisations, "local_assignments": assignments,
             "themalijnen": themalijnen}
    tables = {name: _rows(name, given.get(name, [])) for name in TABLES}
    if veilig_thuis:
        from monitor.ingest import voorbeelddata

        tables["population"] = population()
        tables["vt_reports"] = vt_reports()
        extra = [_source("cbs-bevolking", "CBS bevolking 2024", date(2024, 1, 1), "CBS"),
                 voorbeelddata.sample_vt_source()]
        tables["sources"] = pd.concat([tables["sources"], pd.DataFrame(extra)], ignore_index=True)
    return tables


def write(directory: Path, veilig_thuis: bool = False) -> Path:
    """The fixture's tables written to ``directory`` (through the contract, as an import does);
    ``veilig_thuis``: with the population and the Veilig Thuis raw counts (see the top)."""
    directory.mkdir(parents=True, exist_ok=True)
    store.write_tables({name: store.to_table(name, frame) for name, frame in frames(veilig_thuis).items()},
                       directory)
    return directory
