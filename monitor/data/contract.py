"""The data contract: one Arrow schema per curated table, with its key.

Every dataset file ``datasets/<table>.parquet`` is written with exactly this schema
(column order included), so DuckDB, pages and analysts see the same names and types.
The meaning of every column is documented in ``datasets/README.md``.
"""

from __future__ import annotations

import re

import pyarrow as pa

# The domain's words the contract's columns hold: owned by the domain (the bottom layer), named here
# too for the contract's users.
from monitor.domain.owners import FOLLOW_SUBJECTS, JUDGEMENTS, OWNER_ROLES  # noqa: F401
from monitor.domain.phases import PHASES  # noqa: F401
from monitor.domain.vocabulary import COMPARATORS, VT_BREAKDOWNS, VT_KIND_BREAKDOWNS, VT_KINDS  # noqa: F401

THEMALIJNEN: dict[str, str] = {
    "bestaanszekerheid": "Bestaanszekerheid",
    "preventie-en-gezondheid": "Preventie & gezondheid",
    "mentale-gezondheid": "Mentale gezondheid",
    "ouderen": "Ouderen",
}

# A duiding phrase (indicators.phrase) is a Dutch predicate with this placeholder for the
# formatted value: "had {waarde} van de volwassenen overgewicht".
PHRASE_PLACEHOLDER = "{waarde}"

UNITS: tuple[str, ...] = ("%", "aantal", "per 1.000", "uren per week", "euro")
DIRECTIONS: tuple[str, ...] = ("lower_is_better", "higher_is_better", "neutral")
# How an indicator's figures come about: "steekproef" (a survey estimate such as the
# Gezondheidsmonitor: compared through its 95% interval) or "telling" (a full count from a
# register, such as the population shares of CBS 70072NED: compared directly).
MEASUREMENTS: tuple[str, ...] = ("steekproef", "telling")
OBSERVATION_STATUSES: tuple[str, ...] = ("definitief", "voorlopig")
# The kinds of region (regions.level, observations.region_kind). Every gemeente of the CBS
# indeling and every region of the kinds CBS publishes (85385NED "Gebieden in Nederland"):
# COROP-gebied, GGD-regio, jeugdzorgregio, Veilig Thuis-regio, arbeidsmarktregio, provincie,
# landsdeel, and Nederland. "wijk" is kept for files that key a wijk.
REGION_LEVELS: tuple[str, ...] = ("wijk", "gemeente", "ggd_regio", "corop", "jeugdzorgregio", "vt_regio",
                                  "arbeidsmarktregio", "provincie", "landsdeel", "land")


_str = pa.string()
_bool = pa.bool_()
_f64 = pa.float64()
_i64 = pa.int64()
_date = pa.date32()
_ts = pa.timestamp("s", tz="UTC")


def _schema(*fields: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, typ, nullable=nullable) for name, typ, nullable in fields])


# The columns every event table of a later version ends with: when, by whom, and an undo.
_RECORDED = (
    ("recorded_at", _ts, False),
    ("recorded_by", _str, False),
    ("source_id", _str, False),
    ("undoes", _str, True),
    ("recorded_by_email", _str, True),
    ("recorded_by_sub", _str, True),
)

SCHEMAS: dict[str, pa.Schema] = {
    "regions": _schema(
        ("region_code", _str, False),
        ("name", _str, False),
        ("level", _str, False),
        ("parent_code", _str, True),
        # For gemeenten, from CBS 85385NED (NULL for other regions): gemeentegrootte (1..7),
        # stedelijkheid (1 zeer sterk .. 5 niet stedelijk), inhabitants as 85385NED counts them.
        ("size_class", _i64, True),
        ("size_class_name", _str, True),
        ("urbanity", _i64, True),
        ("urbanity_name", _str, True),
        ("inhabitants", _i64, True),
    ),
    "population": _schema(
        ("region_code", _str, False),
        ("year", _i64, False),
        ("age_group", _str, False),
        ("inhabitants", _i64, False),
        ("source_id", _str, False),
    ),
    "indicators": _schema(
        ("indicator_id", _str, False),
        ("name", _str, False),
        ("themalijn", _str, True),
        ("unit", _str, False),
        ("direction", _str, False),
        ("source_id", _str, False),
        ("description", _str, False),
        ("phrase", _str, True),
        ("measurement", _str, False),
    ),
    "observations": _schema(
        ("indicator_id", _str, False),
        ("region_code", _str, False),
        ("period", _str, False),
        ("subgroup", _str, False),
        ("value", _f64, True),
        ("ci_low", _f64, True),
        ("ci_high", _f64, True),
        ("status", _str, False),
        ("is_sample", _bool, False),
        ("source_id", _str, False),
        # The kind of region that produced the figure (a REGION_LEVELS word). For GG_TWENTE the
        # Twente region the source published (corop for "Twente (CR)", …); otherwise the region's
        # level. Filled by every import (monitor/ingest/regionkind.py); never NULL in a build.
        ("region_kind", _str, True),
    ),
    "targets": _schema(
        ("indicator_id", _str, False),
        ("region_code", _str, False),
        ("comparator", _str, False),
        ("target_value", _f64, False),
        ("deadline", _date, False),
        ("baseline_value", _f64, True),
        ("baseline_period", _str, True),
        ("source_id", _str, False),
    ),
    "projects": _schema(
        ("project_id", _str, False),
        ("name", _str, False),
        ("themalijn", _str, False),
        ("parent_project_id", _str, True),
        ("doelstelling", _str, False),
        ("speerpunten", pa.list_(_str), False),
        ("source_id", _str, False),
    ),
    # One row per project and plan year (a jaarplan): its phase at the start of the plan and
    # the phase expected at its end. A status uses the plan of the peildatum's year.
    "project_plans": _schema(
        ("project_id", _str, False),
        ("plan_year", _i64, False),
        ("plan_start", _date, False),
        ("plan_end", _date, False),
        ("phase_start", _str, False),
        ("phase_expected", _str, False),
        ("source_id", _str, False),
    ),
    "phase_events": _schema(
        ("event_id", _str, False),
        ("project_id", _str, False),
        ("phase", _str, False),
        ("effective_date", _date, False),
        ("recorded_at", _ts, False),
        ("recorded_by", _str, False),
        ("note", _str, True),
        ("source_id", _str, False),
        ("undoes", _str, True),
        ("recorded_by_email", _str, True),
        ("recorded_by_sub", _str, True),
    ),
    "project_kpis": _schema(
        ("kpi_id", _str, False),
        ("project_id", _str, False),
        ("name", _str, False),
        ("unit", _str, False),
        ("target_value", _f64, False),
        ("deadline", _date, False),
        ("source_id", _str, False),
    ),
    "kpi_realisations": _schema(
        ("event_id", _str, False),
        ("kpi_id", _str, False),
        ("period", _str, False),
        ("value", _f64, False),
        ("recorded_at", _ts, False),
        ("recorded_by", _str, False),
        ("note", _str, True),
        ("is_sample", _bool, False),
        ("source_id", _str, False),
        ("undoes", _str, True),
        ("recorded_by_email", _str, True),
        ("recorded_by_sub", _str, True),
        # The voortgangsmelding (checkins.event_id) the value was given with; NULL otherwise.
        ("checkin_id", _str, True),
    ),
    # Who owns what (append-only): the latest event per (subject_type, subject_id, role) counts;
    # an event with email NULL removes the owner.
    "owner_events": _schema(
        ("event_id", _str, False),
        ("subject_type", _str, False),
        ("subject_id", _str, False),
        ("role", _str, False),
        ("email", _str, True),
        ("name", _str, True),
        ("note", _str, True),
        *_RECORDED,
    ),
    # Voortgangsmeldingen: the owner's judgement of a project for a period, with the phase it
    # confirms or changes (which counts as a phase event, see queries/materialised).
    "checkins": _schema(
        ("event_id", _str, False),
        ("project_id", _str, False),
        ("checkin_date", _date, False),
        ("period", _str, False),
        ("judgement", _str, False),
        ("note", _str, True),
        ("phase", _str, False),
        ("phase_date", _date, False),
        *_RECORDED,
    ),
    # Who follows a themalijn or project (for the digest): the latest event per (email,
    # subject_type, subject_id) counts.
    "follow_events": _schema(
        ("event_id", _str, False),
        ("email", _str, False),
        ("subject_type", _str, False),
        ("subject_id", _str, False),
        ("follow", _bool, False),
        *_RECORDED,
    ),
    # The dates of the bestuurlijk overleg (BO) the beheerder records.
    "bo_dates": _schema(
        ("event_id", _str, False),
        ("bo_date", _date, False),
        ("note", _str, True),
        *_RECORDED,
    ),
    "local_assignments": _schema(
        ("region_code", _str, False),
        ("project_id", _str, False),
        ("description", _str, False),
        ("source_id", _str, False),
    ),
    "themalijnen": _schema(
        ("themalijn", _str, False),
        ("name", _str, False),
        ("ambition", _str, False),
        ("ambition_short", _str, False),
        ("headline_indicators", pa.list_(_str), False),
        ("source_id", _str, False),
    ),
    "region_shapes": _schema(
        ("region_code", _str, False),
        ("name", _str, False),
        ("geometry", _str, False),
        ("source_id", _str, False),
    ),
    "vt_reports": _schema(
        ("region_code", _str, False),
        ("period", _str, False),
        ("kind", _str, False),
        ("breakdown", _str, False),
        ("category", _str, False),
        ("count", _i64, True),
        ("per_1000", _f64, True),
        ("protected_by", _str, True),
        ("is_sample", _bool, False),
        ("source_id", _str, False),
        ("region_kind", _str, True),  # as observations.region_kind
    ),
    "sources": _schema(
        ("source_id", _str, False),
        ("publisher", _str, False),
        ("title", _str, False),
        ("table_id", _str, True),
        ("licence", _str, False),
        ("peildatum", _date, False),
        ("retrieved", _date, False),
        ("checksum", _str, True),
        ("is_sample", _bool, False),
        ("url", _str, True),
        ("note", _str, True),
    ),
}

# The columns that identify a row. An import replaces rows with the same key.
KEYS: dict[str, tuple[str, ...]] = {
    "regions": ("region_code",),
    "population": ("region_code", "year", "age_group"),
    "indicators": ("indicator_id",),
    "observations": ("indicator_id", "region_code", "period", "subgroup"),
    "targets": ("indicator_id", "region_code", "deadline"),
    "projects": ("project_id",),
    "project_plans": ("project_id", "plan_year"),
    "phase_events": ("event_id",),
    "project_kpis": ("kpi_id",),
    "kpi_realisations": ("event_id",),
    "owner_events": ("event_id",),
    "checkins": ("event_id",),
    "follow_events": ("event_id",),
    "bo_dates": ("event_id",),
    "local_assignments": ("region_code", "project_id"),
    "themalijnen": ("themalijn",),
    "region_shapes": ("region_code",),
    "vt_reports": ("region_code", "period", "kind", "breakdown", "category"),
    "sources": ("source_id",),
}

# Sort order in the Parquet files: makes files deterministic and lookups fast.
SORT: dict[str, tuple[str, ...]] = dict(KEYS)
SORT["kpi_realisations"] = ("kpi_id", "period", "event_id")

# Tables that users change through recorded events (append-only files under
# datasets/events/<table>/). The Parquet file of the table holds the built history; the
# table as queried is that history plus every recorded event. An event with ``undoes`` set
# withdraws the event it names; nothing is ever rewritten. ``recorded_by_email`` and
# ``recorded_by_sub`` (the OIDC subject) say who recorded an event beside ``recorded_by`` (the
# name shown); NULL in the built history and in event files written before they existed.
EVENT_TABLES: tuple[str, ...] = ("phase_events", "kpi_realisations", "owner_events", "checkins",
                                  "follow_events", "bo_dates")
# What the writer names a recorded event (``events._new_name``) and its temporary file.
EVENT_NAME = re.compile(r"^(\d{8}T\d{12}-[0-9a-f]{32})\.parquet$")
PARTIAL_NAME = re.compile(r"^\.\d{8}T\d{12}-\w+\.parquet\.tmp$")

TABLES: tuple[str, ...] = tuple(SCHEMAS)

# Tables whose rows no page, query, download, export or SQL sandbox may ever see as they
# are. monitor/data/private_schema.py loads them only into its private schema, where the protected views
# (queries/views/vt_*.sql) read them; tests/unit/test_vt_privacy.py holds every query to it.
PRIVATE_TABLES: tuple[str, ...] = ("vt_reports",)
