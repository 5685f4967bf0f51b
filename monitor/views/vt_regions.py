"""Twente tussen de Veilig Thuis-regio's: the Veilig Thuis page's one block beyond Twente (pure).

For the kind and half year chosen: every Veilig Thuis-regio's rate per 1.000 inwoners as CBS
publishes it (its rate per 100.000 inwoners, stored × 0,01), Twente's rank and the statement of
:mod:`monitor.domain.vt_standing`, and the chart of all regions (the shared "Twente tussen de
regio's" view, :func:`monitor.views.vergelijken.build_region_view`). The funnel needs each
region's inhabitants; CBS's file has none, so they are CBS's count divided by CBS's rate
(``count × 1.000 / per_1000``, from the kind with the largest count): the population CBS itself
counted over, to within the rounding of both (half of 5 on the count, half a unit per 100.000 on
the rate). The page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from monitor.domain import vt_standing
from monitor.domain.periods import period_label
from monitor.domain.regions import NEDERLAND
from monitor.views.vergelijken import MIN_REGIONS, RegionView, build_region_view

KIND = "vt_regio"
POPULATION_NOTE = (
    "De plaats telt van het hoogste cijfer af; hoger of lager is geen oordeel (meer meldingen kan betere "
    "signalering betekenen). Of een verschil met Nederland meer is dan toeval: trechter met 95%- en "
    "99,8%-grenzen rond het cijfer van Nederland, naar het aantal inwoners van de regio. Dat aantal inwoners is "
    "afgeleid uit het aantal en het cijfer per 100.000 inwoners van CBS in dit halfjaar (de soort met het grootste "
    "aantal; beide afgerond, dus bij benadering): "
    "CBS publiceert de inwoners van de Veilig Thuis-regio's niet in deze tabel.")


@dataclass(frozen=True)
class VtRegions:
    """The block: its heading, the region view (None when fewer than ``MIN_REGIONS`` regions have
    a published rate: then ``message`` says why) and the note on rank and population."""

    title: str
    view: RegionView | None
    note: str = POPULATION_NOTE
    message: str = ""


def inhabitants(rows: pd.DataFrame) -> pd.Series:
    """region_code → the inhabitants CBS counted over: its count divided by its rate per inhabitant,
    from the kind with the largest count in the half year (the rounding weighs least there).

    >>> rows = pd.DataFrame({"region_code": ["VT01", "VT01"], "kind": ["melding", "onderzoek"],
    ...                      "count": [4000, 10], "per_1000": [3.2, 0.01]})
    >>> inhabitants(rows).to_dict()
    {'VT01': 1250000.0}
    """
    usable = rows[rows["per_1000"].notna() & rows["count"].notna() & (rows["per_1000"] > 0)]
    best = usable.sort_values("count", ascending=False, kind="stable").drop_duplicates("region_code")
    return pd.Series((best["count"].astype(float) * 1000 / best["per_1000"].astype(float)).to_numpy(),
                     index=best["region_code"].to_numpy())


def build_vt_regions(rows: pd.DataFrame | None, kind: str, period: str) -> VtRegions:
    """``rows``: the ``vt_regions`` query (every Veilig Thuis-regio and Nederland in one half year,
    every kind: region_code, region_name, region_kind, kind, count, per_1000, is_sample, source
    columns)."""
    title = f"Twente tussen de Veilig Thuis-regio's ({period_label(period)})"
    rows = pd.DataFrame(columns=["kind", "per_1000", "count", "region_kind"]) if rows is None else rows
    usable = rows[(rows["kind"] == kind) & rows["per_1000"].notna() & rows["count"].notna()]
    if (usable["region_kind"] == KIND).sum() < MIN_REGIONS:
        return VtRegions(title, None, message=(
            f"Voor {period_label(period)} zijn er geen cijfers per 1.000 inwoners van de andere Veilig "
            "Thuis-regio's: die publiceert alleen CBS (tabel 84847NED), voor adviezen, meldingen, casussen, "
            "onderzoeken en overdrachten."))
    values = usable.assign(value=usable["per_1000"].astype(float), ci_low=float("nan"), ci_high=float("nan"),
                           inhabitants=usable["region_code"].map(inhabitants(rows)))
    view = build_region_view(vt_standing.indicator(kind), period, KIND, values, None, vt_standing.DECIMALS)
    nl = values.loc[values["region_code"] == NEDERLAND, "value"]
    national = float(nl.iloc[0]) if not nl.empty else None
    return VtRegions(title, replace(view, sentence=vt_standing.standing_sentence(view.ranked, kind, period, national)))
