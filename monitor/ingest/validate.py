"""Checks every imported row against the data contract before anything is written.

The first problem raises an IngestError naming the row and column of the file it came
from (the ``_row`` and ``_column`` the parser attached), so the user can find it. A message
quotes a value at most 60 characters long and lists at most :data:`EXAMPLES` places plus a
count, however many rows share the problem.

Besides the contract's own rules (keys once, known regions and indicators, units, intervals)
every batch is checked for what would be stored wrong or unsafe:

* numbers must be finite and below ``common.MAX_ABS_NUMBER`` (never ``inf``);
* a period (observations, Veilig Thuis, population years) may not lie in the future;
* text may not start like a spreadsheet formula (``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return; see ``monitor.export.tables.is_formula_like``): a downloaded table would
  carry it into Excel.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from monitor.domain import regions as regions_mod
from monitor.data import store
from monitor.data.catalogue import phrase_problem
from monitor.data.contract import (
    COMPARATORS,
    DIRECTIONS,
    KEYS,
    MEASUREMENTS,
    OBSERVATION_STATUSES,
    PHASES,
    REGION_LEVELS,
    SCHEMAS,
    THEMALIJNEN,
    UNITS,
    VT_BREAKDOWNS,
    VT_KIND_BREAKDOWNS,
    VT_KINDS,
)
from monitor.data.errors import IngestError
from monitor.export.tables import is_formula_like
from monitor.ingest.base import COLUMN, ROW, Batch, Context
from monitor.ingest.common import MAX_ABS_NUMBER, shorten
from monitor.domain.periods import PeriodError, normalise_period, period_start

EXAMPLES = 5


def _where(frame: pd.DataFrame, index, default_column: str | None = None) -> dict:
    row = frame.at[index, ROW] if ROW in frame.columns else None
    column = frame.at[index, COLUMN] if COLUMN in frame.columns else None
    return {
        "row": int(row) if row is not None and not pd.isna(row) else None,
        "column": column if isinstance(column, str) and column else default_column,
    }


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def known_regions(ctx: Context, batch: Batch) -> set[str]:
    codes = set(regions_mod.KNOWN_CODES)
    codes |= set(store.read_frame("regions", ctx.dataset_dir)["region_code"])
    if "regions" in batch.frames:
        codes |= set(batch.frames["regions"]["region_code"])
    return codes


def known_indicators(ctx: Context, batch: Batch) -> pd.DataFrame:
    frames = [store.read_frame("indicators", ctx.dataset_dir)]
    if "indicators" in batch.frames:
        frames.append(batch.frames["indicators"][list(SCHEMAS["indicators"].names)])
    combined = pd.concat(frames, ignore_index=True)
    return combined.drop_duplicates("indicator_id", keep="last").set_index("indicator_id")


def validate_batch(batch: Batch, ctx: Context) -> None:
    for name, frame in batch.frames.items():
        if name not in SCHEMAS:
            raise IngestError(f"onbekende tabel '{shorten(name)}'")
        _check_required(name, frame)
        _check_duplicates(name, frame)
        _check_numbers(frame)
        _check_formulas(frame)
    region_codes = known_regions(ctx, batch)
    indicators = known_indicators(ctx, batch)
    frames = batch.frames
    if "indicators" in frames:
        _check_indicators(frames["indicators"])
    if "observations" in frames:
        _check_not_future(frames["observations"], "period")
        _check_observations(frames["observations"], region_codes, indicators)
    if "quotes" in frames:
        _check_regions(frames["quotes"], region_codes)
    if "population" in frames:
        _check_not_future(frames["population"], "year")
        _check_regions(frames["population"], region_codes)
        _check_non_negative(frames["population"], "inhabitants", "aantal inwoners")
    if "targets" in frames:
        _check_targets(frames["targets"], region_codes, indicators)
    if "projects" in frames:
        _check_projects(frames["projects"])
    if "project_plans" in frames:
        _check_in(frames["project_plans"], "phase_start", PHASES, "onbekende fase")
        _check_in(frames["project_plans"], "phase_expected", PHASES, "onbekende fase")
    if "phase_events" in frames:
        _check_in(frames["phase_events"], "phase", PHASES, "onbekende fase")
    if "local_assignments" in frames:
        _check_regions(frames["local_assignments"], region_codes)
    if "themalijnen" in frames:
        _check_themalijnen(frames["themalijnen"], indicators)
    if "region_shapes" in frames:
        _check_regions(frames["region_shapes"], region_codes)
    if "regions" in frames:
        _check_in(frames["regions"], "level", REGION_LEVELS, "onbekend soort regio")
    for name in ("observations", "vt_reports"):
        if name in frames and "region_kind" in frames[name]:
            _check_in(frames[name][frames[name]["region_kind"].notna()], "region_kind", REGION_LEVELS,
                      "onbekend soort regio")
    if "vt_reports" in frames:
        _check_vt_reports(frames["vt_reports"], region_codes)
        _check_not_future(frames["vt_reports"], "period")


def _check_required(name: str, frame: pd.DataFrame) -> None:
    schema = SCHEMAS[name]
    for field in schema:  # a nullable column the parser does not give is NULL
        if field.nullable and field.name not in frame.columns:
            frame[field.name] = None
    missing = [f.name for f in schema if f.name not in frame.columns]
    if missing:
        raise IngestError(f"tabel {name} mist kolom(men): {', '.join(missing)}")
    for field in schema:
        if field.nullable:
            continue
        empty = frame[field.name].isna()
        if field.type == "string":
            empty |= frame[field.name].astype(str).str.strip().eq("")
        if empty.any():
            index = empty[empty].index[0]
            raise IngestError(f"'{field.name}' is verplicht maar leeg",
                              **_where(frame, index, field.name))


def _check_duplicates(name: str, frame: pd.DataFrame) -> None:
    key = list(KEYS[name])
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return
    rows = frame[dup]
    first = rows.index[0]
    same = rows[(rows[key] == rows.loc[first, key]).all(axis=1)]
    values = ", ".join(f"{k}={shorten(rows.loc[first, k])}" for k in key)
    places = []
    if ROW in frame.columns:
        places = sorted({int(r) for r in same[ROW].dropna()})
    place_text = ""
    if len(places) > 1:
        shown = ", ".join(map(str, places[:EXAMPLES]))
        more = f" en {len(places) - EXAMPLES} meer" if len(places) > EXAMPLES else ""
        place_text = f" (rijen {shown}{more})"
    groups = int(frame[dup].drop_duplicates(key).shape[0])
    others = f"; in totaal {groups} sleutels die meer dan één keer voorkomen" if groups > 1 else ""
    raise IngestError(f"dubbele sleutel {values}{place_text}: elke combinatie mag maar één keer voorkomen{others}",
                      **_where(frame, same.index[-1]))


def _more(bad: pd.Series) -> str:
    """' (en 41 rijen meer)' when more rows have the same problem."""
    count = int(bad.sum()) - 1
    return f" (en {count} {'rij' if count == 1 else 'rijen'} meer met hetzelfde probleem)" if count > 0 else ""


def _check_numbers(frame: pd.DataFrame) -> None:
    """Finite numbers below MAX_ABS_NUMBER in every numeric cell (never inf)."""
    for column in frame.columns:
        if column in (ROW, COLUMN) or frame[column].dtype.kind == "b":
            continue
        if frame[column].dtype.kind in "iuf":
            values = frame[column]
            bad_index = list(values.index[values.notna() & ~(values.abs() <= MAX_ABS_NUMBER)])
        else:  # text columns: only the numbers in them (a float parsed into an object column)
            bad_index = [i for i, v in frame[column].items()
                         if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v
                         and not abs(v) <= MAX_ABS_NUMBER]
        if bad_index:
            index = bad_index[0]
            extra = f" (en {len(bad_index) - 1} meer)" if len(bad_index) > 1 else ""
            raise IngestError(f"{shorten(frame.at[index, column])} is te groot of oneindig; een getal mag hoogstens "
                              f"15 cijfers vóór de komma hebben{extra}", **_where(frame, index, column))


def _period_start(period: str) -> date | None:
    try:
        return period_start(normalise_period(str(period)))
    except PeriodError:
        return None


def _check_not_future(frame: pd.DataFrame, column: str, today: date | None = None) -> None:
    """A figure for a period that has not begun cannot have been measured."""
    today = today or date.today()
    starts = frame[column].map(lambda p: _period_start(p) if not pd.isna(p) else None)
    bad = starts.map(lambda d: d is not None and d > today)
    if bad.any():
        index = bad[bad].index[0]
        raise IngestError(f"periode '{shorten(frame.at[index, column])}' ligt in de toekomst (vandaag is "
                          f"{today:%d-%m-%Y}); een cijfer kan pas na het begin van zijn periode bestaan{_more(bad)}",
                          **_where(frame, index, column))


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)) or hasattr(value, "tolist") and not isinstance(value, (int, float)):
        items = value.tolist() if hasattr(value, "tolist") else value
        if isinstance(items, list):
            for item in items:
                yield from _texts(item)


def _check_formulas(frame: pd.DataFrame) -> None:
    """No text cell that a spreadsheet would evaluate as a formula."""
    for column in frame.columns:
        if column in (ROW, COLUMN) or frame[column].dtype.kind in "biufcmM":
            continue
        bad = frame[column].map(lambda v: any(is_formula_like(t) for t in _texts(v)))
        if bad.any():
            index = bad[bad].index[0]
            text = next(t for t in _texts(frame.at[index, column]) if is_formula_like(t))
            raise IngestError(f"de tekst '{shorten(text.strip())}' begint met '{text.strip()[:1] or text[:1]!s}' en zou "
                              "in Excel als formule worden gelezen; zet er een ander teken voor of haal het weg"
                              f"{_more(bad)}", **_where(frame, index, column))


def _check_regions(frame: pd.DataFrame, codes: set[str]) -> None:
    bad = ~frame["region_code"].isin(codes)
    if bad.any():
        index = bad[bad].index[0]
        raise IngestError(f"onbekende regio '{shorten(frame.at[index, 'region_code'])}'{_more(bad)}",
                          **_where(frame, index, "region_code"))


def _check_in(frame: pd.DataFrame, column: str, allowed, message: str) -> None:
    bad = ~frame[column].isin(allowed)
    if bad.any():
        index = bad[bad].index[0]
        raise IngestError(f"{message} '{shorten(frame.at[index, column])}' (toegestaan: {', '.join(allowed)}){_more(bad)}",
                          **_where(frame, index, column))


def _check_non_negative(frame: pd.DataFrame, column: str, label: str) -> None:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values < 0
    if bad.any():
        index = bad[bad].index[0]
        raise IngestError(f"negatief {label} ({_fmt(values[index])}) is niet mogelijk",
                          **_where(frame, index, column))


def _check_indicators(frame: pd.DataFrame) -> None:
    _check_in(frame, "unit", UNITS, "onbekende eenheid")
    _check_in(frame, "direction", DIRECTIONS, "onbekende richting")
    _check_in(frame, "measurement", MEASUREMENTS, "onbekende meetwijze")
    themalijn = frame["themalijn"].dropna()
    bad = ~themalijn.isin(list(THEMALIJNEN))
    if bad.any():
        index = bad[bad].index[0]
        raise IngestError(f"onbekende themalijn '{shorten(frame.at[index, 'themalijn'])}'",
                          **_where(frame, index, "themalijn"))
    if "phrase" in frame.columns:
        for index, phrase in frame["phrase"].items():
            problem = phrase_problem(None if pd.isna(phrase) else phrase)
            if problem:
                raise IngestError(problem, **_where(frame, index, "phrase"))


def _check_themalijnen(frame: pd.DataFrame, indicators: pd.DataFrame) -> None:
    _check_in(frame, "themalijn", list(THEMALIJNEN), "onbekende themalijn")
    for index, ids in frame["headline_indicators"].items():
        ids = list(ids) if ids is not None and not isinstance(ids, str) else None
        if not ids:
            raise IngestError("'headline_indicators' moet een niet-lege lijst met indicator-id's zijn",
                              **_where(frame, index, "headline_indicators"))
        unknown = [i for i in ids if i not in indicators.index]
        if unknown:
            raise IngestError(f"onbekende indicator '{shorten(unknown[0])}' in headline_indicators",
                              **_where(frame, index, "headline_indicators"))


def _check_observations(frame: pd.DataFrame, codes: set[str], indicators: pd.DataFrame) -> None:
    _check_regions(frame, codes)
    unknown = ~frame["indicator_id"].isin(indicators.index)
    if unknown.any():
        index = unknown[unknown].index[0]
        raise IngestError(f"onbekende indicator '{shorten(frame.at[index, 'indicator_id'])}'{_more(unknown)}",
                          **_where(frame, index, "indicator_id"))
    _check_in(frame, "status", OBSERVATION_STATUSES, "onbekende status")
    units = frame["indicator_id"].map(indicators["unit"])
    for column in ("value", "ci_low", "ci_high"):
        values = pd.to_numeric(frame[column], errors="coerce")
        not_number = values.isna() & frame[column].notna()
        if not_number.any():
            index = not_number[not_number].index[0]
            raise IngestError(f"'{shorten(frame.at[index, column])}' is geen getal", **_where(frame, index, column))
        pct = (units == "%") & ((values < 0) | (values > 100))
        if pct.any():
            index = pct[pct].index[0]
            raise IngestError(f"percentage {_fmt(values[index])} ligt buiten 0–100",
                              **_where(frame, index, column))
        negative = (units != "%") & (values < 0)
        if negative.any():
            index = negative[negative].index[0]
            raise IngestError(f"negatieve waarde {_fmt(values[index])} is niet mogelijk voor "
                              f"eenheid '{units[index]}'", **_where(frame, index, column))
    value = pd.to_numeric(frame["value"], errors="coerce")
    low = pd.to_numeric(frame["ci_low"], errors="coerce")
    high = pd.to_numeric(frame["ci_high"], errors="coerce")
    bad = (low > value) | (value > high)
    if bad.any():
        index = bad[bad].index[0]
        raise IngestError(f"waarde {_fmt(value[index])} ligt niet binnen het betrouwbaarheidsinterval "
                          f"{_fmt(low[index])}–{_fmt(high[index])}", **_where(frame, index, "value"))


def _check_targets(frame: pd.DataFrame, codes: set[str], indicators: pd.DataFrame) -> None:
    _check_regions(frame, codes)
    _check_in(frame, "comparator", COMPARATORS, "onbekende vergelijking")
    unknown = ~frame["indicator_id"].isin(indicators.index)
    if unknown.any():
        index = unknown[unknown].index[0]
        raise IngestError(f"onbekende indicator '{shorten(frame.at[index, 'indicator_id'])}'",
                          **_where(frame, index, "indicator_id"))


def _check_projects(frame: pd.DataFrame) -> None:
    _check_in(frame, "themalijn", list(THEMALIJNEN), "onbekende themalijn")
    ids = set(frame["project_id"])
    parents = frame["parent_project_id"].dropna()
    bad = ~parents.isin(ids)
    if bad.any():
        index = bad[bad].index[0]
        raise IngestError(f"onbekend hoofdproject '{shorten(frame.at[index, 'parent_project_id'])}'",
                          **_where(frame, index, "parent_project_id"))


VT_REGIONS = frozenset(regions_mod.GEMEENTE_CODES) | {regions_mod.TWENTE, regions_mod.NEDERLAND}


def _check_vt_reports(frame: pd.DataFrame, region_codes: set[str]) -> None:
    """Veilig Thuis: figures a publisher protected (``protected_by``, CBS) for any known region;
    raw counts only for our gemeenten, Twente and Nederland (the monitor's own protection is built
    for that hierarchy); half years only (a year total minus one half year would reveal the
    other); kind/breakdown/category from the contract; counts whole and not negative, or missing."""
    raw = frame[frame["protected_by"].isna()] if "protected_by" in frame else frame
    _check_in(raw, "region_code", sorted(VT_REGIONS), "regio hoort niet bij de ruwe Veilig Thuis-aantallen:")
    _check_regions(frame, region_codes)
    bad = ~frame["period"].astype(str).str.fullmatch(r"\d{4}H[12]")
    if bad.any():
        index = bad[bad].index[0]
        raise IngestError(f"periode '{shorten(frame.at[index, 'period'])}' is geen halfjaar (zoals 2024H1); "
                          "Veilig Thuis-cijfers worden alleen per halfjaar opgeslagen", **_where(frame, index, "period"))
    _check_in(frame, "kind", VT_KINDS, "onbekende soort")
    for index, row in frame[["kind", "breakdown", "category"]].iterrows():
        if row["breakdown"] not in VT_KIND_BREAKDOWNS[row["kind"]]:
            raise IngestError(f"indeling '{row['breakdown']}' bestaat niet voor '{row['kind']}' (toegestaan: "
                              f"{', '.join(VT_KIND_BREAKDOWNS[row['kind']])})", **_where(frame, index, "breakdown"))
        if row["category"] not in VT_BREAKDOWNS[row["breakdown"]]:
            raise IngestError(f"onbekende categorie '{row['category']}' in indeling '{row['breakdown']}' "
                              f"(toegestaan: {', '.join(VT_BREAKDOWNS[row['breakdown']])})",
                              **_where(frame, index, "category"))
    counts = pd.to_numeric(frame["count"], errors="coerce")
    not_number = counts.isna() & frame["count"].notna()
    bad = not_number | (counts < 0) | (counts.notna() & (counts != counts.round()))
    if bad.any():
        index = bad[bad].index[0]
        raise IngestError(f"aantal '{shorten(frame.at[index, 'count'])}' is geen geheel getal ≥ 0",
                          **_where(frame, index, "count"))
