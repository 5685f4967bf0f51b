"""Declared mappings of CBS tables onto the data contract: ``sources/cbs/*.toml``.

One file per CBS table (``sources/cbs/85563NED.toml``) says, for the long form the CBS reader
(``monitor/ingest/cbstable.py``) makes of a file, which measure and which dimension values
become which row of the contract:

- ``target``: ``observations`` (indicators), ``vt_reports`` (Veilig Thuis), ``population``
  (inhabitants per age group, from a StatLine web export: ``monitor/ingest/statline.py``) or
  ``gebieden`` (85385NED, the key from region titles to codes: only its source row is stored);
- ``[population]`` (StatLine exports): ``unit`` and ``total`` (the total's column title), ``bands``
  (the parent in the header whose columns are age bands), ``age_groups`` (the bands imported;
  empty: every band), ``note`` (the source's note, ``{year}`` = the year), ``[population.shares]``
  (indicator id → the bands summed in the numerator of a share of the total);
- ``[measures]``: CBS measure key (``Overgewicht_7``, or without CBS's numeric suffix,
  ``Overgewicht``) → an indicator id of ``sources/indicatoren.toml``, or a table with
  ``indicator``, ``scale`` (multiply by), ``twente`` (how Twente is made when the table has
  no Twente region: ``"som"`` for additive counts, ``"gewogen"`` with ``weight`` = the count
  measure for a rate), and for Veilig Thuis ``kind``/``breakdown``/``category`` and ``unit``:
  CBS's unit of the column as its DataProperties give it (``aantal``, ``per 100 000 inwoners``,
  ``per 1 000 inwoners``; see ``UNITS``), which says whether the column is a count or a rate and
  how a rate becomes the contract's per 1.000 (the older ``role`` = ``count``/``per_1000`` with
  ``scale`` says the same and must agree with ``unit`` when both are given). CBS publishes a
  count and its rate under one key with two suffixes (``GestarteAdviezen_1``, ``GestarteAdviezen_6``):
  such columns are declared by their full key, each with its unit; ``title``: CBS's title of the
  measure (its DataProperties ``Title``), by which a StatLine web export's column (``Gestarte
  adviezen (aantal)``: title and unit) is found (``monitor/ingest/statline_vt.py``);
- ``ignore``: measure keys that are not imported (named in a note);
- ``[dimensions.<Name>]``: ``role`` = ``subgroup`` (``values`` title or code → subgroup code),
  ``margin`` (→ ``value``, ``ci_low``, ``ci_high``), ``filter`` (``keep`` = the members
  imported; the others are skipped and counted in a note) or ``category`` (Veilig Thuis tables by
  member, 84851NED/84849NED: ``breakdown`` and ``[[...members]]`` with ``category``, ``titles``,
  ``codes``, or ``remainder = true`` for the category that is the total minus the others;
  ``ignored_codes``: keys of sub-items; ``title``: the dimension's column title in a StatLine
  export; read by ``monitor/ingest/veilig_thuis.py``); ``label``
  names the dimension in error messages;
- a measure key or ``ignore`` entry ending in ``…`` matches every key that starts with the text
  before it (CBS cuts long keys off: ``AfgerondeDienstenVoorwaardenEnVerv…``);
- ``twente``: the title of CBS's own Twente region to use when a table has several
  (``Twente (CR)`` beside ``Twente (AM)``);
- ``period``: the period of a table without ``Perioden`` (the Gezondheidsmonitor editions);
- ``periods``: ``"halfjaar"`` or ``"jaar"`` to import only the half years or only the years of a
  table that has both (a year and its half years are different measurements: never one trend);
- source fields: ``title``, ``publisher``, ``licence``, ``url``, ``note``, ``format_name``.

A table without a file of its own uses ``sources/cbs/standaard.toml``: its dimensions
(``Marges``, ``Leeftijd`` by code or title) and measures through the ``cbs`` keys of the
indicator catalogue. Adding a CBS table is adding a file here, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import tomllib

from monitor.data import store
from monitor.data.contract import VT_BREAKDOWNS, VT_KIND_BREAKDOWNS, VT_KINDS
from monitor.data.errors import IngestError

MAPPING_DIR = store.REPO_ROOT / "sources" / "cbs"
DEFAULT_NAME = "standaard"
TARGETS = ("observations", "vt_reports", "population", "gebieden")
ROLES = ("subgroup", "margin", "filter", "category")
MARGIN_VALUES = ("value", "ci_low", "ci_high")
SUFFIX = re.compile(r"_\d+$")
# CBS's units of a Veilig Thuis measure (the ``Unit`` of the table's DataProperties; spaces, dots
# and case do not matter) → (role in vt_reports, factor to the contract's per 1.000 inwoners).
UNITS: dict[str, tuple[str, float]] = {
    "aantal": ("count", 1.0),
    "per 1 000 inwoners": ("per_1000", 1.0),
    "per 100 000 inwoners": ("per_1000", 0.01),
}


def unit_key(unit: str) -> str:
    """'per 100.000 inwoners' → 'per100000inwoners' (how units compare)."""
    return re.sub(r"[\s.]+", "", str(unit)).casefold()


_UNIT_KEYS = {unit_key(u): u for u in UNITS}


def unit_of(unit: str | None) -> str | None:
    """The unit of ``UNITS`` that a unit text means, or None."""
    return _UNIT_KEYS.get(unit_key(unit)) if unit is not None else None


def measure_key(column: str) -> str:
    """A CBS measure key without its numeric suffix: 'Overgewicht_7' → 'Overgewicht'."""
    return SUFFIX.sub("", column.strip())


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class Measure:
    key: str
    indicator: str | None = None
    scale: float = 1.0
    twente: str | None = None       # None (CBS's own region), "som" or "gewogen"
    weight: str | None = None       # for "gewogen": the count measure (key)
    kind: str | None = None         # vt_reports
    breakdown: str = "totaal"
    category: str = "totaal"
    role: str = "count"             # vt_reports: count or per_1000
    unit: str | None = None         # vt_reports: CBS's unit (a key of UNITS), when declared
    title: str | None = None        # CBS's title of the measure (DataProperties Title): StatLine's column


@dataclass(frozen=True)
class Member:
    """Members of a ``category`` dimension that make one category (summed)."""
    category: str          # contract category, or "totaal"
    titles: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    remainder: bool = False


@dataclass(frozen=True)
class Dimension:
    name: str
    role: str
    label: str
    values: dict[str, str] = field(default_factory=dict)  # folded title or code → target value
    keep: tuple[str, ...] = ()
    breakdown: str | None = None              # role category: the vt breakdown
    members: tuple[Member, ...] = ()          # role category
    ignored_codes: tuple[str, ...] = ()       # role category: keys of sub-items to skip
    title: str | None = None                  # CBS's title of the dimension (StatLine's column)

    @property
    def remainder(self) -> str | None:
        return next((m.category for m in self.members if m.remainder), None)

    def resolve(self, raw: str) -> str | None:
        return self.values.get(_fold(raw))

    def kept(self, raw: str) -> bool:
        return _fold(raw) in {_fold(k) for k in self.keep}


@dataclass(frozen=True)
class Population:
    """Which columns of a StatLine export are population counts, and the shares made of them."""
    unit: str = "aantal"
    total: str = "Totale bevolking"
    bands: str = "Leeftijdsgroepen"
    age_groups: tuple[str, ...] = ()    # empty: every band
    shares: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class TableMapping:
    table_id: str | None
    target: str
    path: Path
    declared: bool                   # False: the standard mapping for a table without a file
    title: str | None = None
    publisher: str = "CBS"
    licence: str = "CC BY 4.0"
    url: str | None = None
    note: str | None = None
    format_name: str | None = None
    period: str | None = None
    twente: str | None = None
    measures: dict[str, Measure] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    protected_by: str | None = None  # vt_reports: who protected the published counts
    periods: str | None = None       # "halfjaar" or "jaar": import only periods of that length
    population: Population | None = None

    @property
    def file_name(self) -> str:
        return f"sources/cbs/{self.path.name}"

    def measure(self, column: str) -> Measure | None:
        """The declared measure of a column: by its full key, else without the suffix, else by a
        key ending in ``…`` (a prefix)."""
        found = self.measures.get(column) or self.measures.get(measure_key(column))
        if found is None:
            found = next((m for k, m in self.measures.items() if _prefix_matches(k, measure_key(column))), None)
        return found

    def ignored(self, column: str) -> bool:
        key = measure_key(column)
        return column in self.ignore or key in self.ignore or any(_prefix_matches(k, key) for k in self.ignore)

    @property
    def category_dimension(self) -> Dimension | None:
        return next((d for d in self.dimensions.values() if d.role == "category"), None)


def _prefix_matches(declared: str, key: str) -> bool:
    return declared.endswith("…") and key.startswith(declared[:-1])


def _error(path: Path, message: str) -> IngestError:
    return IngestError(f"{message}; pas sources/cbs/{path.name} aan", file=path)


def _measure(path: Path, target: str, key: str, spec) -> Measure:
    if isinstance(spec, str):
        spec = {"indicator": spec}
    if not isinstance(spec, dict):
        raise _error(path, f"meetwaarde '{key}': verwacht een indicator-id of een tabel")
    role, scale, unit = _unit(path, target, key, spec)
    measure = Measure(key=key, indicator=spec.get("indicator"), scale=scale,
                      twente=spec.get("twente"), weight=spec.get("weight"), kind=spec.get("kind"),
                      breakdown=spec.get("breakdown", "totaal"), category=spec.get("category", "totaal"),
                      role=role, unit=unit, title=spec.get("title"))
    if measure.twente not in (None, "som", "gewogen"):
        raise _error(path, f"meetwaarde '{key}': twente moet 'som' of 'gewogen' zijn, niet '{measure.twente}'")
    if measure.twente == "gewogen" and not measure.weight:
        raise _error(path, f"meetwaarde '{key}': twente = 'gewogen' vraagt 'weight' (de meetwaarde met de aantallen)")
    if target == "observations" and not measure.indicator:
        raise _error(path, f"meetwaarde '{key}' heeft geen 'indicator'")
    if target == "vt_reports":
        if measure.kind not in VT_KINDS:
            raise _error(path, f"meetwaarde '{key}': onbekende soort '{measure.kind}' (toegestaan: {', '.join(VT_KINDS)})")
        if measure.breakdown not in VT_KIND_BREAKDOWNS[measure.kind]:
            raise _error(path, f"meetwaarde '{key}': indeling '{measure.breakdown}' bestaat niet voor '{measure.kind}'")
        if measure.category not in VT_BREAKDOWNS[measure.breakdown]:
            raise _error(path, f"meetwaarde '{key}': onbekende categorie '{measure.category}' in indeling "
                               f"'{measure.breakdown}'")
        if measure.role not in ("count", "per_1000"):
            raise _error(path, f"meetwaarde '{key}': role moet 'count' of 'per_1000' zijn")
    return measure


def _unit(path: Path, target: str, key: str, spec: dict) -> tuple[str, float, str | None]:
    """(role, scale, unit) of a measure: from ``unit`` (Veilig Thuis), else ``role`` and ``scale``."""
    role, scale = spec.get("role", "count"), float(spec.get("scale", 1.0))
    if "unit" not in spec:
        return role, scale, None
    if target != "vt_reports":
        raise _error(path, f"meetwaarde '{key}': 'unit' geldt voor Veilig Thuis-tabellen (target vt_reports); "
                           "een indicator heeft haar eenheid in sources/indicatoren.toml")
    unit = unit_of(spec["unit"])
    if unit is None:
        raise _error(path, f"meetwaarde '{key}': onbekende eenheid '{spec['unit']}' (bekend: {', '.join(UNITS)})")
    unit_role, unit_scale = UNITS[unit]
    if ("role" in spec and role != unit_role) or ("scale" in spec and scale != unit_scale):
        raise _error(path, f"meetwaarde '{key}': unit '{unit}' betekent role '{unit_role}' met scale {unit_scale:g}, "
                           f"maar er staat role '{role}' met scale {scale:g}; laat role en scale weg")
    return unit_role, unit_scale, unit


def _dimension(path: Path, name: str, spec: dict) -> Dimension:
    role = spec.get("role")
    if role not in ROLES:
        raise _error(path, f"dimensie '{name}': role moet {', '.join(ROLES)} zijn, niet '{role}'")
    values = {_fold(k): str(v) for k, v in (spec.get("values") or {}).items()}
    if role == "margin":
        bad = sorted(set(values.values()) - set(MARGIN_VALUES))
        if bad:
            raise _error(path, f"dimensie '{name}': onbekende marge '{bad[0]}' (toegestaan: {', '.join(MARGIN_VALUES)})")
    if role == "filter" and not spec.get("keep"):
        raise _error(path, f"dimensie '{name}': een filter noemt in 'keep' de leden die worden geïmporteerd")
    if role == "category":
        return _category_dimension(path, name, spec)
    return Dimension(name, role, spec.get("label") or name, values, tuple(spec.get("keep") or ()))


def _category_dimension(path: Path, name: str, spec: dict) -> Dimension:
    breakdown = spec.get("breakdown")
    if breakdown not in VT_BREAKDOWNS or breakdown == "totaal":
        raise _error(path, f"dimensie '{name}': onbekende indeling '{breakdown}'")
    members = []
    for item in spec.get("members") or []:
        category = item.get("category")
        if category != "totaal" and category not in VT_BREAKDOWNS[breakdown]:
            raise _error(path, f"dimensie '{name}': onbekende categorie '{category}' voor indeling '{breakdown}' "
                               f"(toegestaan: {', '.join(VT_BREAKDOWNS[breakdown])})")
        members.append(Member(category, tuple(item.get("titles") or ()),
                              tuple(str(c).strip() for c in item.get("codes") or ()), bool(item.get("remainder", False))))
    if not any(m.category == "totaal" for m in members):
        raise _error(path, f"dimensie '{name}': geen categorie 'totaal'")
    return Dimension(name, "category", spec.get("label") or name, breakdown=breakdown, members=tuple(members),
                     ignored_codes=tuple(str(c).strip() for c in spec.get("ignored_codes") or ()),
                     title=spec.get("title"))


def _population(path: Path, spec) -> Population | None:
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise _error(path, "[population] is geen tabel")
    shares = {}
    for indicator_id, bands in (spec.get("shares") or {}).items():
        if not isinstance(bands, list) or not bands:
            raise _error(path, f"aandeel '{indicator_id}': verwacht een lijst leeftijdsgroepen")
        shares[indicator_id] = tuple(str(b) for b in bands)
    groups = tuple(str(g) for g in spec.get("age_groups") or ())
    unknown = [b for bands in shares.values() for b in bands if groups and b not in groups]
    if unknown:
        raise _error(path, f"aandeel met leeftijdsgroep '{unknown[0]}' die niet bij age_groups staat")
    return Population(unit=spec.get("unit", "aantal"), total=spec.get("total", "Totale bevolking"),
                      bands=spec.get("bands", "Leeftijdsgroepen"), age_groups=groups, shares=shares,
                      note=spec.get("note"))


def parse_mapping(path: Path, declared: bool = True) -> TableMapping:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise IngestError(f"sources/cbs/{path.name} is geen geldige TOML: {exc}", file=path) from None
    target = data.get("target", "observations")
    if target not in TARGETS:
        raise _error(path, f"onbekend doel '{target}' (toegestaan: {', '.join(TARGETS)})")
    measures = {key: _measure(path, target, key, spec) for key, spec in (data.get("measures") or {}).items()}
    for measure in measures.values():
        if measure.weight and measure.weight not in measures:
            raise _error(path, f"meetwaarde '{measure.key}': gewicht '{measure.weight}' staat niet bij [measures]")
    dimensions = {name: _dimension(path, name, spec) for name, spec in (data.get("dimensions") or {}).items()}
    if data.get("periods") not in (None, "halfjaar", "jaar"):
        raise _error(path, f"periods moet 'halfjaar' of 'jaar' zijn, niet '{data.get('periods')}'")
    table_id = data.get("table_id")
    if declared and not table_id:
        raise _error(path, "table_id ontbreekt")
    return TableMapping(
        table_id=table_id, target=target, path=path, declared=declared, title=data.get("title"),
        publisher=data.get("publisher", "CBS"), licence=data.get("licence", "CC BY 4.0"), url=data.get("url"),
        note=data.get("note"), format_name=data.get("format_name"),
        period=str(data["period"]) if "period" in data else None, twente=data.get("twente"),
        measures=measures, ignore=tuple(data.get("ignore") or ()), dimensions=dimensions,
        protected_by=data.get("protected_by"), periods=data.get("periods"),
        population=_population(path, data.get("population")),
    )


@lru_cache(maxsize=4)
def _load(directory: str, stamp: tuple) -> tuple[dict[str, TableMapping], TableMapping | None]:
    tables: dict[str, TableMapping] = {}
    default = None
    for path in sorted(Path(directory).glob("*.toml")):
        if path.stem == DEFAULT_NAME:
            default = parse_mapping(path, declared=False)
            continue
        mapping = parse_mapping(path)
        if mapping.table_id in tables:
            raise _error(path, f"tabel {mapping.table_id} staat ook in {tables[mapping.table_id].file_name}")
        tables[mapping.table_id] = mapping
    return tables, default


def mappings(directory: Path | None = None) -> tuple[dict[str, TableMapping], TableMapping | None]:
    """Every declared table (table id → mapping) and the standard mapping."""
    folder = Path(directory or MAPPING_DIR)
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.toml"))) if folder.is_dir() else ()
    return _load(str(folder), stamp)


def declared(table_id: str | None) -> TableMapping | None:
    if not table_id:
        return None
    return mappings()[0].get(table_id)


def by_columns(columns: list[str]) -> TableMapping | None:
    """The declared table whose measures are exactly the measure columns of a file (for a file whose
    name has no table id); None when no table or more than one fits."""
    keys = {c for c in columns} | {measure_key(c) for c in columns}
    fits = []
    for mapping in mappings()[0].values():
        wanted = set(mapping.measures) | set(mapping.ignore)
        if wanted and all(k in keys for k in mapping.measures) and \
                all(c in wanted or measure_key(c) in wanted for c in columns):
            fits.append(mapping)
    return fits[0] if len(fits) == 1 else None


def standard() -> TableMapping:
    default = mappings()[1]
    if default is None:
        raise IngestError(f"sources/cbs/{DEFAULT_NAME}.toml ontbreekt; zonder deze standaardindeling zijn CBS-tabellen "
                          "zonder eigen declaratie niet te lezen")
    return default
