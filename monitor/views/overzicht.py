"""The Overzicht's cards: per themalijn what its card shows, worked out from the query results
(pure; the page caches it with ``shell.view_cache``): ``build_overzicht``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from monitor.data.catalogue import headline_indicators
from monitor.domain.indicator import Indicator
from monitor.domain.indicators import HeadlineStatus, for_group, headline_status, trend_frame
from monitor.domain.quotes import quotes_of, reference_line
from monitor.domain.regions import NEDERLAND, TWENTE
from monitor.domain.targets import Target
from monitor.views.inputs import ThemalijnenInputs, ThemalijnInfo, load_themalijnen
from monitor.views.vergelijken import RegionView, region_views
from monitor.domain.projects import behind_text, phase_counts, register_source_line, status_summary, with_status

# The Overzicht's default "Vorige peildatum": this many days before the peildatum.
SINCE_DAYS = 91


@dataclass(frozen=True)
class HeadlineFigure:
    """An indicator on a card: its headline status and (for the catalogue's real headline
    indicators) Twente's real figures through time, for the metric's sparkline."""

    indicator: Indicator
    headline: HeadlineStatus
    trend: list[float] = field(default_factory=list)
    # The jaarplan's quotes for it ("Citaat, geen meting: Jaarplan 2025: 56% (Regiobeeld 2023) voor
    # Twente."): beside the measured figure, never instead of it.
    reference: str = ""


@dataclass(frozen=True)
class Card:
    """One themalijn's card: its ``themalijnen`` row (``info``), the jaarplan's headline
    indicator, the real headline indicators, and its projects: counts per phase, the ones behind
    schedule, the status summary, the register's source line and the phase changes since the
    previous peildatum (project, phase, date)."""

    info: ThemalijnInfo
    headline: HeadlineFigure
    real: list[HeadlineFigure]
    phases: pd.DataFrame
    behind: str
    count: int
    status: str
    projects_source: str
    changed: list[tuple]


def overzicht_cards(themalijnen: pd.DataFrame, headline_ids: list[str], observations: pd.DataFrame, meta: pd.DataFrame,
          goals: pd.DataFrame, overview: pd.DataFrame, changes: pd.DataFrame, peildatum: date,
          quotes: pd.DataFrame | None = None) -> list[Card]:
    """What each themalijn's card shows, from the query results (pure; computed once per input).

    The project lines use the Projecten page's words and counts (``projects.status_summary``):
    the Overzicht, the Projecten page and the slides never disagree."""
    return cards_from(themalijnen, headline_ids, observations, meta.set_index("indicator_id"), goals,
                      with_status(overview, peildatum), changes, peildatum, quotes)


def cards_from(themalijnen: pd.DataFrame, headline_ids: list[str], observations: pd.DataFrame, meta: pd.DataFrame,
               goals: pd.DataFrame, projects: pd.DataFrame, changes: pd.DataFrame, peildatum: date,
               quotes: pd.DataFrame | None = None) -> list[Card]:
    """``overzicht_cards`` on ``meta`` indexed by indicator_id and projects with their status."""
    out = []
    for info, indicator_id in zip(map(ThemalijnInfo.from_row, themalijnen.to_dict("records")), headline_ids):
        mine = projects[projects["themalijn"] == info.themalijn]
        # The real headline indicators of the themalijn (catalogue), each with its Twente trend.
        real = [i for i in headline_indicators(info.themalijn, []) if i in meta.index and i != indicator_id]
        out.append(Card(
            info, _headline(indicator_id, meta, observations, goals, peildatum, quotes),
            [_real_headline(i, meta, observations, goals, peildatum, quotes) for i in real[:REAL_PER_CARD]],
            phase_counts(mine), behind_text(mine), len(mine), status_summary(mine),
            register_source_line(peildatum, mine),
            [(r.project_name, r.phase, r.effective_date)
             for r in changes[changes["themalijn"] == info.themalijn].itertuples()]))
    return out


REAL_PER_CARD = 2


def _headline(indicator_id: str, meta: pd.DataFrame, observations: pd.DataFrame, goals: pd.DataFrame,
              peildatum: date, quotes: pd.DataFrame | None = None) -> HeadlineFigure:
    indicator = Indicator.from_row({"indicator_id": indicator_id, **meta.loc[indicator_id].to_dict()})
    # One group: "totaal", or the indicator's own group when it has no total (eenzaamheid: 65+).
    # Both groups at once would let the 65+ figure stand as the headline of all adults.
    rows, _note = for_group(observations[observations["indicator_id"] == indicator_id], "totaal", indicator)
    goal = goals[goals["indicator_id"] == indicator_id]
    reference = reference_line(quotes_of(quotes, indicator_id, (TWENTE, NEDERLAND)),
                               {TWENTE: "Twente", NEDERLAND: "Nederland"})
    return HeadlineFigure(indicator, headline_status(indicator, rows, None if goal.empty else Target.from_row(goal.iloc[0]),
                                                     peildatum), reference=reference)


def _real_headline(indicator_id: str, meta: pd.DataFrame, observations: pd.DataFrame, goals: pd.DataFrame,
                   peildatum: date, quotes: pd.DataFrame | None = None) -> HeadlineFigure:
    """A real headline indicator on a card: its newest Twente figure, status text and Twente's trend."""
    figure = _headline(indicator_id, meta, observations, goals, peildatum, quotes)
    rows = observations[(observations["indicator_id"] == indicator_id) & (observations["subgroup"] == "totaal")
                        & ~observations["is_sample"].astype(bool)]
    trend = trend_frame(rows, [TWENTE], figure.indicator.unit)
    return HeadlineFigure(figure.indicator, figure.headline, list(trend["value"]), figure.reference)


def card_indicator_ids(themalijnen: pd.DataFrame) -> list[str]:
    """Every indicator the Overzicht's cards show: per themalijn the jaarplan's first headline and
    the catalogue's real headline indicators."""
    ids = []
    for themalijn, jaarplan in zip(themalijnen["themalijn"], themalijnen["headline_indicators"]):
        ids += [list(jaarplan)[0], *headline_indicators(themalijn, [])[:REAL_PER_CARD]]
    return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class OverzichtView:
    """The Overzicht page: one card per themalijn, in the order of the navigation."""

    peildatum: date
    since: date
    cards: list[Card]
    # per indicator id on a card: Twente among the regions of its figure's kind
    regions: dict[str, RegionView] = field(default_factory=dict)


def build_overzicht(inputs: ThemalijnenInputs, peildatum: date, since: date) -> OverzichtView:
    """The Overzicht from the shared bundle (``load_themalijnen(peildatum, since=since)``)."""
    themalijnen = inputs.themalijnen
    headline_ids = [list(ids)[0] for ids in themalijnen["headline_indicators"]]
    shown = inputs.observations["indicator_id"].isin(card_indicator_ids(themalijnen))
    cards = cards_from(themalijnen, headline_ids, inputs.observations[shown], inputs.meta, inputs.goals,
                       inputs.projects, inputs.changes, peildatum, inputs.quotes)
    return OverzichtView(peildatum, since, cards)


# The page's view model per widget values (the page caches it with ``shell.view_cache``, keyed on the
# data version and these values): loaded and built.

def overzicht_view(peildatum: date, since: date) -> OverzichtView:
    view = build_overzicht(load_themalijnen(peildatum, since=since), peildatum, since)
    shown = [figure.indicator for card in view.cards for figure in (card.headline, *card.real)]
    return replace(view, regions=region_views(list({i.indicator_id: i for i in shown}.values())))
