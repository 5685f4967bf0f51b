"""Preparing indicator figures for the themalijn and overview pages.

Pure functions over the ``indicator_observations`` query result: choosing the age group,
the latest period, the rows for a trend and for the gemeenten compared, with preformatted
Dutch labels and the comparison word that colours a bar. The comparison method is
``monitor.domain.compare``; nothing here decides what is a difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from monitor.domain import targets
from monitor.domain.compare import compare, duiding, judgement, measurement, ranking_sentence
from monitor.domain.indicator import Indicator
from monitor.domain.periods import period_end
from monitor.domain.quotes import measured_text
from monitor.domain.regions import NEDERLAND, TWENTE
from monitor.domain.text import format_value

NO_TARGET_TEXT = "Het jaarplan noemt voor deze indicator geen streefwaarde."

# Age groups as a reader chooses them. The 2016 edition's younger group is 19–64 years,
# the 2020 edition's 18–64: both are shown as "18 tot 65 jaar" with a note where 2016 is used.
GROUPS: dict[str, tuple[str, ...]] = {
    "totaal": ("totaal",),
    "tot 65": ("18-64", "19-64"),
    "65+": ("65+",),
}
GROUP_LABELS: dict[str, str] = {
    "totaal": "Alle volwassenen",
    "tot 65": "18 tot 65 jaar",
    "65+": "65 jaar en ouder",
}
SUBGROUP_TEXT: dict[str, str] = {
    "totaal": "alle volwassenen",
    "18-64": "18 tot 65 jaar",
    "19-64": "19 tot 65 jaar (editie 2016)",
    "65+": "65 jaar en ouder",
}

# "totaal" is all adults only in the Gezondheidsmonitor (a survey of adults: 18+, 2016: 19+).
# Elsewhere (register counts: wanbetalers, jeugdzorg, Wmo, inkomen, population shares; figures
# cited from the jaarplan) it is everyone the figure counts: inhabitants, households, youths.
TOTAL_LABEL = "Totaal"


def adult_survey(indicator: Indicator | None) -> bool:
    """Whether the indicator's group "totaal" means all adults: a survey (``measurement``
    steekproef) of the Gezondheidsmonitor (its source, by title)."""
    if not indicator:
        return False
    title = indicator.source_title
    return (measurement(indicator) == "steekproef" and isinstance(title, str)
            and "gezondheidsmonitor" in title.lower())


def group_label(group: str, indicator: Indicator | None) -> str:
    """The label of a group choice for this indicator: "Alle volwassenen" only for the
    Gezondheidsmonitor's survey indicators, "Totaal" for the others."""
    if group == "totaal" and not adult_survey(indicator):
        return TOTAL_LABEL
    return GROUP_LABELS.get(group, group)


def subgroup_text(subgroup: str, indicator: Indicator | None) -> str:
    """A figure's subgroup in words (tables, notes), with the same rule as ``group_label``."""
    if subgroup == "totaal" and not adult_survey(indicator):
        return TOTAL_LABEL.lower()
    return SUBGROUP_TEXT.get(subgroup, subgroup)


def for_group(observations: pd.DataFrame, group: str, indicator: Indicator | None = None
              ) -> tuple[pd.DataFrame, str | None]:
    """The rows of one indicator in the chosen age group.

    When the indicator has no figures for that group (eenzaamheid exists only for 65+,
    rondkomen only for all inhabitants), its own group is used and a note says so (in the
    indicator's own words for "totaal" when ``indicator`` is given, see ``group_label``).
    """
    wanted = observations[observations["subgroup"].isin(GROUPS.get(group, ("totaal",)))]
    if not wanted.empty:
        return wanted, None
    available = list(dict.fromkeys(observations["subgroup"]))
    if not available:
        return observations, None
    own = "totaal" if "totaal" in available else available[0]
    if indicator is None:
        wanted_text, own_text = GROUP_LABELS.get(group, group).lower(), SUBGROUP_TEXT.get(own, own)
    else:
        wanted_text, own_text = group_label(group, indicator).lower(), subgroup_text(own, indicator)
    if wanted_text == "totaal":
        wanted_text = "het totaal"
    note = f"Voor deze indicator zijn er geen cijfers voor {wanted_text}; getoond: {own_text}."
    return observations[observations["subgroup"] == own], note


def latest_period(observations: pd.DataFrame, level: str | None = "gemeente",
                  real_only: bool = False) -> str | None:
    """The latest period with a figure (for regions of ``level``; real figures only if asked)."""
    rows = observations
    if level:
        rows = rows[rows["level"] == level]
    if real_only:
        rows = rows[~rows["is_sample"].astype(bool)]
    if rows.empty:
        return None
    return max(rows["period"], key=lambda p: (int(p[:4]), p))


def pick(observations: pd.DataFrame, region_code: str, period: str | None = None) -> pd.Series | None:
    """The figure for a region (in a period, else its latest), preferring a real one over voorbeelddata."""
    rows = observations[observations["region_code"] == region_code]
    if period is not None:
        rows = rows[rows["period"] == period]
    if rows.empty:
        return None
    rows = rows.assign(_order=[(int(p[:4]), p, not s) for p, s in zip(rows["period"], rows["is_sample"])])
    return rows.sort_values("_order").iloc[-1].drop("_order")


def with_labels(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    out = frame.copy()
    out["value_label"] = [format_value(v, unit) for v in out["value"]]
    out["ci_label"] = [f"{format_value(lo, unit)} – {format_value(hi, unit)}"
                       if pd.notna(lo) and pd.notna(hi) else "–"
                       for lo, hi in zip(out["ci_low"], out["ci_high"])]
    return out


def trend_frame(observations: pd.DataFrame, region_codes: list[str], unit: str) -> pd.DataFrame:
    """The rows for a trend chart: the given regions, every period, labelled."""
    rows = observations[observations["region_code"].isin(region_codes)]
    rows = rows.sort_values(["region_code", "period"])
    return with_labels(rows, unit).reset_index(drop=True)


def gemeente_frame(observations: pd.DataFrame, period: str, indicator: Indicator,
                   reference: pd.Series | None) -> pd.DataFrame:
    """The 14 gemeenten in a period, each with its judgement against the reference (Twente)."""
    rows = observations[(observations["level"] == "gemeente") & (observations["period"] == period)]
    rows = with_labels(rows, indicator.unit)
    if reference is None:
        rows["comparison"] = "onbekend"
    else:
        rows["comparison"] = [
            judgement(indicator.direction, compare(v, lo, hi, reference["value"], reference["ci_low"],
                                                      reference["ci_high"], measurement(indicator),
                                                      0 if indicator.unit == "aantal" else 1))
            for v, lo, hi in zip(rows["value"], rows["ci_low"], rows["ci_high"])]
    return rows.reset_index(drop=True)


def references_frame(observations: pd.DataFrame, period: str, unit: str) -> pd.DataFrame:
    """Twente and Nederland in a period, as reference lines."""
    rows = []
    for code, label in ((TWENTE, "Twente"), (NEDERLAND, "Nederland")):
        row = pick(observations, code, period)
        if row is not None:
            rows.append({"label": label, "value": row["value"], "value_label": format_value(row["value"], unit)})
    return pd.DataFrame(rows, columns=["label", "value", "value_label"])


def periods(observations: pd.DataFrame) -> list[str]:
    return sorted(set(observations["period"]), key=lambda p: (int(p[:4]), p))


def _real(observations: pd.DataFrame) -> pd.DataFrame:
    return observations[~observations["is_sample"].astype(bool)]


def target_history(real: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Measured figures as the target chart's history: ``period_end`` and ``value_label`` added."""
    history = real.assign(period_end=[period_end(p) for p in real["period"]])
    return history.assign(value_label=[format_value(v, unit) for v in history["value"]])


@dataclass(frozen=True)
class TargetFigure:
    """Twente's newest real figure against a target: its status word (``targets.STATUSES``) and
    sentence, the newest real row (or None), the measured ``history`` for ``charts.target_chart``
    and the ``trajectory`` from baseline to target."""

    status: str
    text: str
    latest: pd.Series | None
    history: pd.DataFrame
    trajectory: pd.DataFrame


def target_figure(twente: pd.DataFrame, goal: targets.Target, unit: str, peildatum=None) -> TargetFigure:
    """Twente's newest real figure against a target, with what the target chart needs.

    ``twente``: the indicator's Twente rows in one group. Voorbeelddata never counts against a target.
    """
    real = _real(twente)
    newest = pick(real, TWENTE)
    status = targets.target_status(goal, None if newest is None else newest["value"],
                                   None if newest is None else newest["period"], unit=unit,
                                   peildatum=peildatum or date.today())
    return TargetFigure(status.status, status.text, newest, target_history(real, unit),
                        targets.trajectory(goal, periods(real)))


@dataclass(frozen=True)
class HeadlineStatus:
    """The headline figure of an indicator: Twente's newest real row (None: no real figure), its
    status word against the target (None: no target) and the sentence that says how it stands."""

    latest: pd.Series | None
    status: str | None
    text: str


def headline_figure(row: pd.Series, unit: str) -> str:
    """A headline measurement as shown: its value with its interval, "52,6% [51,3–53,9]"."""
    return measured_text(row["value"], row.get("ci_low"), row.get("ci_high"), unit)


def headline_status(indicator: Indicator, rows: pd.DataFrame, goal: targets.Target | None, peildatum=None) -> HeadlineStatus:
    """The headline figure of an indicator: Twente's newest real figure and how it stands.

    ``rows``: the indicator's observations in the group to show. With a target: its status
    word and sentence (``targets.target_status``); without: the duiding against Nederland in
    the same period plus :data:`NO_TARGET_TEXT`, status None.
    """
    real = _real(rows)
    twente = pick(real, TWENTE)
    if twente is None:
        if goal is not None:  # the target (and its nulmeting) still say where the plan stands
            status = targets.target_status(goal, None, None, unit=indicator.unit)
            return HeadlineStatus(None, status.status, f"{indicator.name}. {status.text}")
        return HeadlineStatus(None, "geen meting", f"{indicator.name}: nog geen echt cijfer voor Twente.")
    if goal is not None:
        status = targets.target_status(goal, twente["value"], twente["period"], unit=indicator.unit,
                                       peildatum=peildatum or date.today())
        return HeadlineStatus(twente, status.status, status.text)
    nl = pick(real, NEDERLAND, twente["period"])
    sentence = duiding(indicator, "Twente", twente["period"], twente["value"], twente["ci_low"],
                       twente["ci_high"], "Nederland", None if nl is None else nl["value"],
                       None if nl is None else nl["ci_low"], None if nl is None else nl["ci_high"])
    age = targets.age_text(twente["period"], peildatum or date.today())
    return HeadlineStatus(twente, None, f"{sentence} {NO_TARGET_TEXT} {age}".strip())


@dataclass(frozen=True)
class GemeentenComparison:
    """The 14 gemeenten in a period against Twente: ``values`` (``gemeente_frame``), the Twente
    and Nederland reference lines, Twente's row (or None), the ranking sentence and whether any
    gemeente figure is voorbeelddata."""

    values: pd.DataFrame
    references: pd.DataFrame
    twente: pd.Series | None
    sentence: str
    is_sample: bool


def gemeenten_comparison(rows: pd.DataFrame, indicator: Indicator, period: str) -> GemeentenComparison:
    """The 14 gemeenten in a period against Twente: what the ranked bars and the map show."""
    twente = pick(rows, TWENTE, period)
    values = gemeente_frame(rows, period, indicator, twente)
    sentence = ranking_sentence(values, indicator, period,
                                None if twente is None else twente["value"],
                                None if twente is None else twente["ci_low"],
                                None if twente is None else twente["ci_high"])
    return GemeentenComparison(values, references_frame(rows, period, indicator.unit), twente, sentence,
                               bool(values["is_sample"].astype(bool).any()))
