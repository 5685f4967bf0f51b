"""The indicator catalogue: ``sources/indicatoren.toml``.

Each ``[[indicator]]`` gives the stable ``id``, its Dutch name, themalijn, unit, direction,
description, duiding ``phrase`` (a predicate with ``{waarde}``), ``measurement`` (``steekproef``,
the default, or ``telling``) and source, and under ``cbs`` every CBS column or measure key that means this
indicator in any edition (``ErnstigOvergewicht`` in 2016 and ``ErnstigOvergewichtObesitas`` in
2020 are one indicator). Importers map source columns through it; staff extend it to import
a new CBS table without changing code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tomllib

from monitor.data.contract import MEASUREMENTS, PHRASE_PLACEHOLDER
from monitor.data.errors import IngestError
from monitor.domain.indicator import Indicator

CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "sources" / "indicatoren.toml"


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    by_cbs_key: dict[str, str]

    def for_cbs_key(self, key: str) -> Indicator | None:
        indicator_id = self.by_cbs_key.get(key.strip().lower())
        return self.indicators.get(indicator_id) if indicator_id else None


def phrase_problem(phrase: object) -> str | None:
    """Why a duiding phrase is not usable (Dutch), or None when it is fine (or absent)."""
    if phrase is None:
        return None
    if not isinstance(phrase, str) or not phrase.strip():
        return "'phrase' moet een niet-lege tekst zijn"
    if PHRASE_PLACEHOLDER not in phrase:
        return (f"'phrase' moet {PHRASE_PLACEHOLDER} bevatten waar het cijfer komt "
                f"(bijv. 'had {PHRASE_PLACEHOLDER} van de volwassenen overgewicht'), niet '{phrase}'")
    try:
        phrase.format(waarde="1")
    except (KeyError, IndexError, ValueError):
        return (f"'phrase' mag alleen {PHRASE_PLACEHOLDER} tussen accolades bevatten, niet '{phrase}'")
    return None


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    return _load(str(path or CATALOGUE_PATH))


# Kept: parsing and checking the catalogue costs 15 ms (measured) and the view models ask for it
# per headline indicator (monitor/views); the file changes only with a release (a restart).
@lru_cache(maxsize=4)
def _load(path: str) -> Catalogue:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise IngestError(f"de indicatorcatalogus is geen geldige TOML: {exc}", file=path) from exc
    indicators: dict[str, Indicator] = {}
    by_key: dict[str, str] = {}
    for entry in data.get("indicator", []):
        ind = Indicator(
            indicator_id=entry["id"],
            name=entry["name"],
            themalijn=entry.get("themalijn"),
            unit=entry["unit"],
            direction=entry["direction"],
            source_id=entry["source_id"],
            description=entry["description"],
            cbs=tuple(entry.get("cbs", ())),
            phrase=entry.get("phrase"),
            measurement=entry.get("measurement", "steekproef"),
            headline=entry.get("headline"),
            twente_method=entry.get("twente_method"),
        )
        if ind.measurement not in MEASUREMENTS:
            raise IngestError(f"indicator '{ind.indicator_id}' in de catalogus: onbekende meetwijze "
                              f"'{ind.measurement}' (toegestaan: {', '.join(MEASUREMENTS)})", file=path)
        problem = phrase_problem(ind.phrase)
        if problem:
            raise IngestError(f"indicator '{ind.indicator_id}' in de catalogus: {problem}", file=path)
        if ind.indicator_id in indicators:
            raise IngestError(f"indicator '{ind.indicator_id}' staat twee keer in de catalogus", file=path)
        indicators[ind.indicator_id] = ind
        for key in ind.cbs:
            by_key[key.strip().lower()] = ind.indicator_id
    return Catalogue(indicators, by_key)


def real_headlines(themalijn: str, catalogue: Catalogue | None = None) -> list[str]:
    """The catalogue's real headline indicators of a themalijn, by their ``headline`` rank."""
    catalogue = catalogue or load_catalogue()
    ranked = [(ind.headline, ind.indicator_id) for ind in catalogue.indicators.values()
              if ind.themalijn == themalijn and ind.headline is not None]
    return [indicator_id for _rank, indicator_id in sorted(ranked)]


def headline_indicators(themalijn: str, jaarplan_ids) -> list[str]:
    """What a themalijn shows: the jaarplan's own headline indicators first (they keep their
    place), then the catalogue's real headline indicators of the themalijn."""
    ids = [str(i) for i in list(jaarplan_ids if jaarplan_ids is not None else [])]
    return list(dict.fromkeys([*ids, *real_headlines(themalijn)]))


def twente_method(indicator_id: str) -> str | None:
    indicator = load_catalogue().indicators.get(indicator_id)
    return indicator.twente_method if indicator else None
