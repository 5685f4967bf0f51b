"""The Overzicht's cards: per themalijn what its card shows, worked out from the query results
(pure; the page caches it with ``ui.memo``)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from monitor.indicators import headline_status
from monitor.projects import behind_text, phase_counts, register_source_line, status_summary, with_status


def overview_cards(themalijnen: pd.DataFrame, headline_ids: list[str], observations: pd.DataFrame, meta: pd.DataFrame,
          goals: pd.DataFrame, overview: pd.DataFrame, changes: pd.DataFrame, peildatum: date) -> list[dict]:
    """What each themalijn's card shows, from the query results (pure; computed once per input).

    The project lines use the Projecten page's words and counts (``projects.status_summary``):
    the Overzicht, the Projecten page and the slides never disagree."""
    meta = meta.set_index("indicator_id")
    projects = with_status(overview, peildatum)
    out = []
    for info, indicator_id in zip(themalijnen.itertuples(index=False), headline_ids):
        indicator = {"indicator_id": indicator_id, **meta.loc[indicator_id].to_dict()}
        rows = observations[(observations["indicator_id"] == indicator_id)
                            & (observations["subgroup"].isin(["totaal", "65+"]))]
        goal = goals[goals["indicator_id"] == indicator_id]
        mine = projects[projects["themalijn"] == info.themalijn]
        out.append({
            "info": info._asdict(), "indicator": indicator,
            "headline": headline_status(indicator, rows, None if goal.empty else goal.iloc[0].to_dict()),
            "phases": phase_counts(mine), "behind": behind_text(mine), "count": len(mine),
            "status": status_summary(mine), "projects_source": register_source_line(peildatum, mine),
            "changed": [(r.project_name, r.phase, r.effective_date)
                        for r in changes[changes["themalijn"] == info.themalijn].itertuples()],
        })
    return out
