"""The Vergelijken page's view model and "Twente tussen de regio's" (pure builders, loaders).

- :func:`build_peer_view`: one gemeente among its comparable gemeenten (:mod:`monitor.domain.peers`)
  for one indicator: its rank, the group's median and quartiles, the sentence by the significance
  rule (:mod:`monitor.domain.ranking`), for register rates and proportions the funnel around the
  national value (:mod:`monitor.domain.funnel`), and the table of the group.
- :func:`build_region_view`: Twente among the regions of the kind that produced its figure
  (GGD-regio's, COROP-gebieden, jeugdzorgregio's …), only when the source publishes others.

The funnel needs the population a figure is counted over. A rate per N inhabitants uses the
gemeente's inhabitants (CBS 85385NED); a figure with a count beside it in the store
(:data:`COUNT_PAIRS`) uses the exact denominator ``count × N / value``; otherwise no funnel is
drawn and nothing is said about a difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor.data import db
from monitor.domain import funnel, peers, ranking
from monitor.domain.indicator import Indicator
from monitor.domain.periods import period_end, period_label
from monitor.domain.regions import GEMEENTE_CODES, NEDERLAND, TWENTE, title_with_twente
from monitor.domain.regions import twente_name as twente_name_of
from monitor.domain.text import format_number, format_value

# Register figure → the count it is made of (same source, period and region).
COUNT_PAIRS: dict[str, str] = {
    "wanbetalers_zorgpremie": "wanbetalers_zorgpremie_aantal",
    "wmo_clienten_per_1000": "wmo_clienten",
}
SUBGROUP = "totaal"
MIN_REGIONS = 3  # fewer regions of Twente's kind: no "Twente tussen de regio's"
DEFAULT_GEMEENTE = "GM0153"  # Enschede
# An indicator is compared among gemeenten when more than the 14 Twente gemeenten have a figure.
NATIONAL_MINIMUM = len(GEMEENTE_CODES) + 1


@dataclass(frozen=True)
class PeerView:
    """One gemeente among its peers for one indicator in ``period``."""

    indicator: Indicator
    period: str
    group: peers.PeerGroup
    members: pd.DataFrame          # the group's gemeenten with a value: rank, labels, flags
    median: float | None
    quartiles: tuple[float, float] | None
    national: float | None
    sentences: list[str]
    funnel_points: pd.DataFrame | None = None   # every gemeente with a value and a population
    funnel_curve: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    sources: list[tuple] = field(default_factory=list)
    missing: int = 0               # group members without a figure
    population_title: str = "inwoners"  # what the funnel's population counts


@dataclass(frozen=True)
class RegionView:
    """Twente among the regions of ``kind`` for one indicator in ``period``."""

    indicator: Indicator
    period: str
    kind: str
    ranked: pd.DataFrame           # region_code, region_name, value, rank, comparison, labels
    national: float | None
    sentence: str
    twente_name: str               # Twente as the chart names it: "Twente (COROP-gebied)"
    sources: list[tuple] = field(default_factory=list)


# --- choosing the period and the kind ---------------------------------------------------------

def _newest(periods: list[str]) -> str | None:
    return max(periods, key=lambda p: (period_end(p), p)) if periods else None


def peer_period(coverage: pd.DataFrame, indicator_id: str, minimum: int = NATIONAL_MINIMUM) -> str | None:
    """The newest period with figures for at least ``minimum`` gemeenten (subgroup totaal)."""
    rows = coverage[(coverage["indicator_id"] == indicator_id) & (coverage["subgroup"] == SUBGROUP)
                    & (coverage["region_kind"] == "gemeente") & (coverage["regions"] >= minimum)]
    return _newest(rows["period"].tolist())


def twente_kind(coverage: pd.DataFrame, indicator_id: str, minimum: int = MIN_REGIONS) -> tuple[str, str] | None:
    """(period, kind) of the newest figure of Twente whose source also publishes at least
    ``minimum`` regions of Twente's kind; None when it publishes no others (then Twente cannot be
    ranked: a figure the monitor computes itself, a jaarplan quote)."""
    rows = coverage[(coverage["indicator_id"] == indicator_id) & (coverage["subgroup"] == SUBGROUP)
                    & coverage["has_twente"].astype(bool) & coverage["region_kind"].notna()
                    & (coverage["region_kind"] != "land")
                    & (coverage["regions"] >= minimum)]
    if rows.empty:
        return None
    period = _newest(rows["period"].tolist())
    return period, str(rows[rows["period"] == period]["region_kind"].iloc[0])


# --- shared pieces ----------------------------------------------------------------------------

def _labels(frame: pd.DataFrame, unit: str, decimals: int | None = None) -> pd.DataFrame:
    out = frame.copy()
    out["value_label"] = [format_value(v, unit, decimals) for v in out["value"]]
    out["ci_label"] = [f"{format_value(lo, unit, decimals)} – {format_value(hi, unit, decimals)}"
                       if pd.notna(lo) and pd.notna(hi)
                       else "–" for lo, hi in zip(out["ci_low"], out["ci_high"])]
    return out


def _decimals(unit: str) -> int:
    return 0 if unit in ("aantal", "euro") else 1


def _population(indicator: Indicator, values: pd.DataFrame, counts: pd.DataFrame | None) -> pd.Series:
    """The population each figure is counted over, for the funnel (NaN when unknown)."""
    kind = funnel.funnel_kind(indicator.unit)
    if kind is None or indicator.measurement != "telling":
        return pd.Series(float("nan"), index=values.index)
    if counts is not None and not counts.empty:
        count = values["region_code"].map(counts.set_index("region_code")["value"])
        return (count * kind[1] / values["value"]).where(values["value"] > 0)
    if kind[0] == "rate" and "inhabitants" in values.columns:
        return values["inhabitants"].astype(float)
    return pd.Series(float("nan"), index=values.index)


def _source_lines(rows: pd.DataFrame) -> list[tuple]:
    """(title, peildatum, is_sample) per source of ``rows``; the title names the Twente region a
    Twente figure comes from ('… · Twente (COROP-gebied)')."""
    rows = rows[rows["source_title"].notna()]
    return [(title_with_twente(title, group), peildatum, bool(group["is_sample"].fillna(False).astype(bool).any()))
            for (title, peildatum), group in rows.groupby(["source_title", "source_peildatum"], sort=False)]


def _compared(indicator: Indicator, frame: pd.DataFrame, reference: float | None,
              decimals: int | None = None) -> pd.DataFrame:
    """Each row's difference with ``reference``: ``comparison`` (a judgement word for the charts)
    and ``verschil`` (the strength, in words)."""
    found = [ranking.difference(indicator, v, lo, hi, reference, pop, decimals)
             for v, lo, hi, pop in zip(frame["value"], frame["ci_low"], frame["ci_high"], frame["population"])]
    out = frame.copy()
    out["comparison"] = [ranking.judgement_word(indicator.direction, d) for d in found]
    out["verschil"] = [d.strength for d in found]
    return out


# --- one gemeente among its peers -------------------------------------------------------------

def build_peer_view(indicator: Indicator, period: str, values: pd.DataFrame, national: float | None,
                    gemeente: str, rule: str = "standaard", picked: tuple[str, ...] = (),
                    counts: pd.DataFrame | None = None) -> PeerView:
    """The gemeente among its peers. ``values``: the ``peer_values`` rows (every gemeente with its
    classification); ``counts``: the same for the count of :data:`COUNT_PAIRS`, or None."""
    group = peers.peer_group(values, gemeente, rule, picked)
    frame = values.assign(population=_population(indicator, values, counts))
    frame["is_twente"] = frame["region_code"].isin(GEMEENTE_CODES)
    frame["is_gemeente"] = frame["region_code"] == gemeente
    members = frame[frame["region_code"].isin(group.members)]
    missing = int(members["value"].isna().sum())
    members = ranking.rank(members, indicator.direction, _decimals(indicator.unit))
    members = _compared(indicator, _labels(members, indicator.unit), national)
    name = group.gemeente_name
    if members.empty:
        return PeerView(indicator, period, group, members, None, None, national,
                        [f"Geen van de vergelijkbare gemeenten heeft een cijfer ({indicator.name}, "
                         f"{period_label(period)})."], missing=missing)
    median = float(members["value"].median())
    quartiles = (float(members["value"].quantile(0.25)), float(members["value"].quantile(0.75)))
    own = members[members["region_code"] == gemeente]
    population = own["population"].iloc[0] if not own.empty else None
    sentences = [ranking.standing_sentence(name, members, gemeente, indicator, period, "vergelijkbare gemeenten",
                                           "de mediaan van de groep", median, population)]
    if not own.empty and national is not None:
        row = own.iloc[0]
        found = ranking.difference(indicator, row["value"], row["ci_low"], row["ci_high"], national, population)
        sentences.append(ranking.difference_sentence(name, found, indicator.direction, "Nederland",
                                                     format_value(national, indicator.unit)))
    points, curve = _funnel(indicator, frame, national)
    return PeerView(indicator, period, group, members.reset_index(drop=True), median, quartiles, national,
                    sentences, points, curve, peer_table(members, indicator), _source_lines(members), missing,
                    "inwoners" if counts is None or counts.empty else "personen waarover het cijfer gaat")


def _funnel(indicator: Indicator, frame: pd.DataFrame, national: float | None):
    kind = funnel.funnel_kind(indicator.unit)
    points = frame[frame["value"].notna() & frame["population"].notna() & (frame["population"] > 0)]
    if kind is None or national is None or points.empty:
        return None, None
    points = _compared(indicator, _labels(points, indicator.unit), national)
    curve = pd.DataFrame(funnel.funnel_curve(national, points["population"].min() * 0.8,
                                             points["population"].max() * 1.2, kind[0], kind[1]))
    return points.reset_index(drop=True), curve


def peer_table(members: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """The group as the page's table shows it, Dutch formats, best first."""
    rows = members.sort_values(["rank", "region_name"])
    return pd.DataFrame({
        "Plaats": [f"{r}{' (gedeeld)' if t else ''}" for r, t in zip(rows["rank"], rows["tied"])],
        "Gemeente": [f"{n} (Twente)" if tw else n for n, tw in zip(rows["region_name"], rows["is_twente"])],
        indicator.name: rows["value_label"].tolist(),
        "95%-interval": rows["ci_label"].tolist(),
        "Inwoners": [format_number(v) for v in rows["inhabitants"]],
        "Grootteklasse": [peers.size_phrase(s) if isinstance(s, str) else "–" for s in rows["size_class_name"]],
        "Stedelijkheid": [peers.urbanity_phrase(s) if isinstance(s, str) else "–" for s in rows["urbanity_name"]],
        "Tegenover Nederland": rows["verschil"].tolist(),
    })


# --- Twente among the regions -----------------------------------------------------------------

def build_region_view(indicator: Indicator, period: str, kind: str, values: pd.DataFrame,
                      counts: pd.DataFrame | None = None, decimals: int | None = None) -> RegionView:
    """Twente among the regions of ``kind``. ``values``: the ``region_values`` rows (the regions
    of the kind and Nederland); ``counts``: the same for the count of :data:`COUNT_PAIRS`;
    ``decimals``: the precision the figures are published with, when not the unit's usual one."""
    nl = values[values["region_code"] == NEDERLAND]
    national = float(nl["value"].iloc[0]) if not nl.empty else None
    regions = values[values["region_kind"] == kind].copy()
    twente_name = twente_name_of(kind)
    regions.loc[regions["region_code"] == TWENTE, "region_name"] = twente_name
    regions["population"] = _population(indicator, regions, counts)
    decimals_shown = _decimals(indicator.unit) if decimals is None else decimals
    regions = ranking.rank(regions, indicator.direction, decimals_shown)
    regions = _compared(indicator, _labels(regions, indicator.unit, decimals), national, decimals)
    sentence = ranking.standing_sentence("Twente", regions, TWENTE, indicator, period, ranking.kind_plural(kind),
                                         "Nederland", national,
                                         _first(regions.loc[regions["region_code"] == TWENTE, "population"]))
    return RegionView(indicator, period, kind, regions.reset_index(drop=True), national, sentence, twente_name,
                      _source_lines(values))


def _first(series: pd.Series):
    return series.iloc[0] if not series.empty else None


# --- loaders (the queries) --------------------------------------------------------------------

def load_coverage(indicator_ids: list[str], dataset_dir: str | Path | None = None) -> pd.DataFrame:
    return db.query("comparison_coverage", dataset_dir, indicator_ids=list(indicator_ids), subgroup=SUBGROUP)


def _counts(indicator_id: str, query: str, dataset_dir: str | Path | None = None, **params) -> pd.DataFrame | None:
    pair = COUNT_PAIRS.get(indicator_id)
    if pair is None:
        return None
    rows = db.query(query, dataset_dir, indicator_id=pair, **params)
    return rows[rows["value"].notna()]


def load_peer_view(indicator: Indicator, gemeente: str, rule: str = "standaard",
                   picked: tuple[str, ...] = ()) -> PeerView | None:
    """The peer view in the newest period with gemeente figures; None when there is none."""
    period = peer_period(load_coverage([indicator.indicator_id]), indicator.indicator_id)
    if period is None:
        return None
    params = {"period": period, "subgroup": SUBGROUP}
    values = db.query("peer_values", indicator_id=indicator.indicator_id, **params)
    nl = db.query("region_values", indicator_id=indicator.indicator_id, kind="land", **params)
    national = float(nl["value"].iloc[0]) if not nl.empty else None
    return build_peer_view(indicator, period, values, national, gemeente, rule, picked,
                           _counts(indicator.indicator_id, "peer_values", **params))


def load_region_view(indicator: Indicator, coverage: pd.DataFrame | None = None,
                     dataset_dir: str | Path | None = None) -> RegionView | None:
    """Twente among the regions of its figure's kind; None when the source publishes no others."""
    coverage = load_coverage([indicator.indicator_id], dataset_dir) if coverage is None else coverage
    found = twente_kind(coverage, indicator.indicator_id)
    if found is None:
        return None
    period, kind = found
    params = {"period": period, "subgroup": SUBGROUP, "kind": kind}
    values = db.query("region_values", dataset_dir, indicator_id=indicator.indicator_id, **params)
    return build_region_view(indicator, period, kind, values,
                             _counts(indicator.indicator_id, "region_values", dataset_dir, **params))


# --- the page's choices and view (cached by the page with ``shell.view_cache``) ---------------

@dataclass(frozen=True)
class VergelijkenView:
    """The Vergelijken page: the indicator, the gemeente among its peers, Twente among the regions."""

    indicator: Indicator | None
    peer: PeerView | None = None
    regions: RegionView | None = None


def comparable_indicators() -> dict[str, str]:
    """Indicator id → name, for the indicators with figures for enough gemeenten to compare."""
    listed = db.query("indicator_list")
    coverage = load_coverage(listed["indicator_id"].tolist())
    return {i: n for i, n in zip(listed["indicator_id"], listed["name"]) if peer_period(coverage, i) is not None}


def gemeente_choices() -> dict[str, str]:
    """Region code → name of every gemeente (the Twente gemeenten named as such)."""
    rows = db.query("gemeenten")
    return {c: f"{n} (Twente)" if t else n for c, n, t in zip(rows["region_code"], rows["region_name"],
                                                                rows["is_twente"])}


def load_indicator(indicator_id: str) -> Indicator | None:
    meta = db.query("indicator_meta", indicator_ids=[indicator_id])
    return None if meta.empty else Indicator.from_row(meta.iloc[0].to_dict())


def vergelijken_view(indicator_id: str, gemeente: str, rule: str = "standaard",
                     picked: tuple[str, ...] = ()) -> VergelijkenView:
    indicator = load_indicator(indicator_id)
    if indicator is None:
        return VergelijkenView(None)
    coverage = load_coverage([indicator_id])
    return VergelijkenView(indicator, load_peer_view(indicator, gemeente, rule, tuple(picked)),
                           load_region_view(indicator, coverage))


def region_views(indicators: list[Indicator], dataset_dir: str | Path | None = None) -> dict[str, RegionView]:
    """Twente among the regions for each indicator whose source publishes other regions of Twente's
    kind (the themalijn pages, the Overzicht's cards, the BO deck): indicator id → view."""
    indicators = [i for i in indicators if i is not None]
    if not indicators:
        return {}
    coverage = load_coverage([i.indicator_id for i in indicators], dataset_dir)
    found = {i.indicator_id: load_region_view(i, coverage, dataset_dir) for i in indicators}
    return {key: view for key, view in found.items() if view is not None}
