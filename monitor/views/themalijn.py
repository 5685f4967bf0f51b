"""The themalijn page's view model (pure): what one themalijn page shows, from the shared query
bundle (``monitor.views.inputs``): the ambition, per headline indicator its target, trend and
gemeenten blocks (rows, sentences, source lines), the themalijn's projects and KPI status.

The page, ``pages/themalijn.py``, draws it; the four themalijn pages are that one module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from monitor.data import db
from monitor.data.catalogue import headline_indicators, twente_method
from monitor.domain import compare, targets
from monitor.domain.indicator import Indicator
from monitor.domain.indicators import (TargetFigure, for_group, gemeenten_comparison, latest_period, periods, pick,
                                       target_figure, trend_frame)
from monitor.domain.quotes import Quote, quotes_of, reference_line
from monitor.domain.projects import projects_display, realisation_bands
from monitor.domain.regions import GEMEENTE_CODES, NEDERLAND, TWENTE, region_name, title_with_twente, twente_focus_name
from monitor.domain.periods import period_label
from monitor.domain.text import format_short_date, format_value
from monitor.views.inputs import ThemalijnenInputs, ThemalijnInfo, load_themalijnen
from monitor.views.vergelijken import RegionView, region_views

LATEST = "meest recent"


@dataclass(frozen=True)
class TargetBlock:
    """The figure against its target: Twente's newest figure (None: none), the target row (None:
    the jaarplan sets none), how old the figure is, and the figure against the path."""

    latest: pd.Series | None
    goal: targets.Target | None
    age: str | None
    figure: TargetFigure | None


@dataclass(frozen=True)
class TrendBlock:
    """Twente, Nederland (and the chosen gemeente) through time; the rest is empty when
    ``series`` is."""

    series: pd.DataFrame
    sentence: str = ""
    edition_2016: bool = False
    sources: list[tuple] = field(default_factory=list)
    twente_method: str | None = None


@dataclass(frozen=True)
class GemeentenBlock:
    """The 14 gemeenten compared in ``period``; ``values`` None: no gemeente has figures then."""

    period: str | None
    values: pd.DataFrame | None = None
    references: pd.DataFrame | None = None
    highlight: str | None = None
    is_sample: bool = False
    sentence: str = ""
    sources: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class IndicatorSection:
    """One headline indicator's section. ``indicator`` None: the datasets do not have it; the
    blocks are None when it has no figures in the group (``note`` may say why)."""

    indicator_id: str
    indicator: Indicator | None
    note: str | None = None
    target: TargetBlock | None = None
    trend: TrendBlock | None = None
    gemeenten: GemeentenBlock | None = None
    # The figures the jaarplan quotes for it (Twente, Nederland): beside the series, never in it.
    quotes: list[Quote] = field(default_factory=list)
    reference: str = ""  # those quotes as one sentence ("Citaat, geen meting: …"), "" without

    @property
    def empty(self) -> bool:
        return self.trend is None


@dataclass
class ThemalijnView:
    """One themalijn page. ``info`` is None for an unknown themalijn (the page says so)."""

    themalijn: str
    info: ThemalijnInfo | None
    sections: list[IndicatorSection] = field(default_factory=list)
    projects: pd.DataFrame | None = None  # the themalijn's projects, with status
    table: pd.DataFrame | None = None  # the projects as the table shows them (with id and Themalijn)
    shown: pd.DataFrame | None = None  # ``table`` as the page shows it: without id and Themalijn
    bands: pd.DataFrame | None = None  # the Realisatie periods of its projects
    kpis: pd.DataFrame | None = None
    kpi_stand: list[str] = field(default_factory=list)  # per KPI row its status text
    kpi_table: pd.DataFrame | None = None  # the KPIs as the page's table shows them, with "Stand"
    kpi_sample: bool = False
    # per indicator id: Twente among the regions of its figure's kind (monitor.views.vergelijken)
    regions: dict[str, RegionView] = field(default_factory=dict)


def themalijn_info(inputs: ThemalijnenInputs, themalijn: str) -> ThemalijnInfo | None:
    return inputs.info(themalijn)


def indicator_ids(inputs: ThemalijnenInputs, themalijn: str) -> list[str]:
    """The jaarplan's own headline indicators first, then the real ones of the catalogue."""
    info = themalijn_info(inputs, themalijn)
    return [] if info is None else headline_indicators(themalijn, info.headline_indicators)


def observations_of(inputs: ThemalijnenInputs, themalijn: str) -> pd.DataFrame:
    return inputs.observations[inputs.observations["indicator_id"].isin(indicator_ids(inputs, themalijn))]


def period_options(inputs: ThemalijnenInputs, themalijn: str) -> list[str]:
    """The periods of the themalijn's figures (the Periode choice)."""
    return periods(observations_of(inputs, themalijn))


def build_themalijn(inputs: ThemalijnenInputs, themalijn: str, gemeente: str | None, periode: str, groep: str,
                    peildatum: date, kpis: pd.DataFrame | None = None) -> ThemalijnView:
    info = themalijn_info(inputs, themalijn)
    if info is None:
        return ThemalijnView(themalijn, None)
    observations = observations_of(inputs, themalijn)
    projects = inputs.projects[inputs.projects["themalijn"] == themalijn]
    bands = realisation_bands(inputs.events, projects, peildatum)
    sections = []
    for indicator_id in indicator_ids(inputs, themalijn):
        indicator = inputs.indicator(indicator_id)
        if indicator is None:
            sections.append(IndicatorSection(indicator_id, None))
            continue
        rows = observations[observations["indicator_id"] == indicator_id]
        goals = inputs.goals[inputs.goals["indicator_id"] == indicator_id]
        sections.append(section_data(indicator, rows, goals, gemeente, periode, groep, peildatum,
                                     quotes_of(inputs.quotes, indicator_id, (TWENTE, NEDERLAND))))
    table = projects_display(projects, peildatum)
    view = ThemalijnView(themalijn, info, sections, projects, table, table.drop(columns=["id", "Themalijn"]), bands)
    if kpis is not None and not kpis.empty:
        view.kpis = kpis
        view.kpi_stand = [targets.kpi_status(t, d, v, p, unit=u, is_sample=s is True, peildatum=peildatum)
                          for t, d, v, p, u, s in zip(kpis["target_value"], kpis["deadline"], kpis["value"],
                                                      kpis["period"], kpis["unit"], kpis["is_sample"])]
        view.kpi_table = kpi_summary(kpis).assign(Stand=view.kpi_stand)
        view.kpi_sample = bool(kpis["is_sample"].fillna(False).astype(bool).any())
    return view


def kpi_summary(kpis: pd.DataFrame) -> pd.DataFrame:
    """Per KPI: project, KPI, target and deadline, the latest realisation and its period."""
    return pd.DataFrame({
        "Project": kpis["project_name"],
        "KPI": kpis["kpi_name"],
        "Doel": [f"{format_value(t, u)} uiterlijk {format_short_date(d)}"
                 for t, u, d in zip(kpis["target_value"], kpis["unit"], kpis["deadline"])],
        "Laatste realisatie": ["–" if pd.isna(v) else format_value(v, u) + (" (voorbeelddata)" if s is True else "")
                               for v, u, s in zip(kpis["value"], kpis["unit"], kpis["is_sample"])],
        "Periode": ["–" if pd.isna(p) else period_label(p) for p in kpis["period"]],
    })


def gemeente_shapes(shapes: pd.DataFrame) -> pd.DataFrame:
    """The boundaries of the 14 gemeenten for the maps (a national dataset holds every gemeente's)."""
    return shapes[shapes["region_code"].isin(GEMEENTE_CODES)]


def load_gemeente_shapes() -> pd.DataFrame:
    """The 14 gemeenten's boundaries (region_shapes), for the maps of the themalijn and Indicatoren pages."""
    return gemeente_shapes(db.query("region_shapes"))


def load_themalijn_kpis(themalijn: str) -> pd.DataFrame:
    """The KPIs of the themalijn's projects with their latest realisation (themalijn_kpis)."""
    return db.query("themalijn_kpis", themalijn=themalijn)


def section_data(indicator: Indicator, observations: pd.DataFrame, goals: pd.DataFrame, gemeente: str | None,
                 periode: str, groep: str, peildatum: date | None = None,
                 quotes: list[Quote] | None = None) -> IndicatorSection:
    """What an indicator section shows, from the query results (pure): the group's note, and per
    block (target, trend, gemeenten) its rows, sentences and source lines. ``quotes`` (the
    jaarplan's) stand beside the measurements as a reference; without measurements the section
    still shows them and the target."""
    quotes = list(quotes or [])
    reference = reference_line(quotes, _QUOTE_REGIONS)
    rows, note = for_group(observations, groep)
    if rows.empty:
        target = None if goals.empty else _target_data(indicator, rows, goals, peildatum)
        return IndicatorSection(indicator.indicator_id, indicator, note, target, quotes=quotes, reference=reference)
    return IndicatorSection(indicator.indicator_id, indicator, note, _target_data(indicator, rows, goals, peildatum),
                            _trend_data(indicator, rows, gemeente), _gemeenten_data(indicator, rows, gemeente, periode),
                            quotes, reference)


_QUOTE_REGIONS = {TWENTE: "Twente", NEDERLAND: "Nederland"}


def _source_lines(rows: pd.DataFrame) -> list[tuple]:
    """Source and peildatum of the rows shown, with the voorbeelddata mark where it applies:
    (title, peildatum, is_sample) for the page's source captions."""
    return [(title_with_twente(title, group), peildatum, bool(group["is_sample"].any()))
            for (title, peildatum), group in rows.groupby(["source_title", "source_peildatum"], sort=False)]


def _target_data(indicator: Indicator, rows: pd.DataFrame, goals: pd.DataFrame,
                 peildatum: date | None = None) -> TargetBlock:
    twente = rows[rows["region_code"] == TWENTE] if not rows.empty else rows
    goal = None if goals.empty else targets.Target.from_row(goals.iloc[0])
    latest = pick(twente, TWENTE) if not twente.empty else None
    return TargetBlock(latest, goal,
                       None if latest is None else targets.age_text(latest["period"], peildatum or date.today()),
                       None if goal is None else target_figure(twente, goal, indicator.unit, peildatum))


def _trend_data(indicator: Indicator, rows: pd.DataFrame, gemeente: str | None) -> TrendBlock:
    focus = gemeente or TWENTE
    codes = [TWENTE, NEDERLAND] + ([gemeente] if gemeente else [])
    series = trend_frame(rows, codes, indicator.unit)
    if series.empty:
        return TrendBlock(series)
    focus_name = region_name(focus) if gemeente else twente_focus_name(series)
    sentence = compare.trend_sentence(series, indicator, focus_name) if (series["region_code"] == focus).any() \
        else f"Voor {region_name(focus)} zijn er geen cijfers door de tijd."
    return TrendBlock(series, sentence, "19-64" in set(series["subgroup"]), _source_lines(series),
                      twente_method(indicator.indicator_id))


def _gemeente_duiding(indicator: Indicator, rows: pd.DataFrame, gemeente: str, period: str, twente) -> list[str]:
    """The chosen gemeente against Nederland and against Twente (or Nederland when Twente has no figure)."""
    mine = pick(rows, gemeente, period)
    if mine is None:
        return []
    reference = twente if twente is not None else pick(rows, NEDERLAND, period)
    ref_name = "Twente" if twente is not None else "Nederland"
    nl = pick(rows, NEDERLAND, period)
    name, sample = region_name(gemeente), bool(mine["is_sample"])
    parts = []
    if nl is not None:
        parts.append(compare.duiding(indicator, name, period, mine["value"], mine["ci_low"], mine["ci_high"],
                                     "Nederland", nl["value"], nl["ci_low"], nl["ci_high"], is_sample=sample))
    parts.append(compare.duiding(indicator, name, period, mine["value"], mine["ci_low"], mine["ci_high"], ref_name,
                                 None if reference is None else reference["value"],
                                 None if reference is None else reference["ci_low"],
                                 None if reference is None else reference["ci_high"], is_sample=sample))
    return parts


def _gemeenten_data(indicator: Indicator, rows: pd.DataFrame, gemeente: str | None, periode: str) -> GemeentenBlock:
    period = latest_period(rows) if periode == LATEST else periode
    if period is None or rows[(rows["level"] == "gemeente") & (rows["period"] == period)].empty:
        return GemeentenBlock(period)
    found = gemeenten_comparison(rows, indicator, period)
    sentence = found.sentence
    if gemeente:
        # each thing said once (the missing interval, voorbeelddata), not in every sentence
        sentence = compare.paragraph([*_gemeente_duiding(indicator, rows, gemeente, period, found.twente), sentence])
    shown = found.values if found.twente is None else pd.concat([found.values, found.twente.to_frame().T])
    return GemeentenBlock(period, found.values, found.references, region_name(gemeente) if gemeente else None,
                          found.is_sample, sentence, _source_lines(shown))


# The page's view model per widget values (the page caches it with ``shell.view_cache``, keyed on the
# data version and these values): loaded and built.

def themalijn_choices(themalijn: str, peildatum: date) -> tuple[ThemalijnInfo | None, list[str]]:
    """The page's heading and its periods: (``themalijn_info``, ``period_options``)."""
    inputs = load_themalijnen(peildatum)
    return themalijn_info(inputs, themalijn), period_options(inputs, themalijn)


def themalijn_view(themalijn: str, gemeente: str | None, periode: str, groep: str, peildatum: date) -> ThemalijnView:
    view = build_themalijn(load_themalijnen(peildatum), themalijn, gemeente, periode, groep, peildatum,
                           load_themalijn_kpis(themalijn))
    view.regions = region_views([section.indicator for section in view.sections])
    return view
