"""The query bundle the Overzicht, the themalijn pages, the presentation and the server's warm
start all read: one loader, :func:`load_themalijnen`, instead of the same five queries by hand.

``db.query`` caches every result (keyed on the dataset files' fingerprint), so a page can call
:func:`load_themalijnen` on every rerun: a warm call costs a few milliseconds and an import shows at
once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from monitor.data import db
from monitor.data.catalogue import headline_indicators
from monitor.domain.indicator import Indicator
from monitor.domain.projects import with_status


@dataclass(frozen=True)
class ThemalijnInfo:
    """One themalijn as the ``themalijnen`` query gives it: its slug and name, the ambition in
    the jaarplan's words (and its short form), the jaarplan's headline indicators and the
    jaarplan's source line."""

    themalijn: str
    name: str
    ambition: str
    ambition_short: str
    headline_indicators: tuple[str, ...]
    source_title: str | None
    source_peildatum: date | None

    @classmethod
    def from_row(cls, row) -> ThemalijnInfo:
        return cls(row["themalijn"], row["name"], row["ambition"], row["ambition_short"] or "",
                   tuple(row["headline_indicators"]), row["source_title"], row["source_peildatum"])


@dataclass
class ThemalijnenInputs:
    """Everything a deck, the Overzicht or a themalijn page is built from: the named queries'
    results for every themalijn's headline indicators (see :func:`load_themalijnen`)."""

    themalijnen: pd.DataFrame
    observations: pd.DataFrame
    meta: pd.DataFrame  # indexed by indicator_id
    goals: pd.DataFrame
    projects: pd.DataFrame  # with status at the peildatum
    events: pd.DataFrame
    assignments: pd.DataFrame
    changes: pd.DataFrame | None = None  # phase changes between ``since`` and the peildatum, if asked
    quotes: pd.DataFrame | None = None  # figures the jaarplan quotes (``indicator_quotes``): never measurements

    def infos(self) -> list[ThemalijnInfo]:
        """Every themalijn, in the navigation's order."""
        return [ThemalijnInfo.from_row(row) for row in self.themalijnen.to_dict("records")]

    def info(self, themalijn: str) -> ThemalijnInfo | None:
        """One themalijn, or None when there is no such themalijn."""
        return next((info for info in self.infos() if info.themalijn == themalijn), None)

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The indicator's ``indicator_meta`` row, or None when the datasets do not have it."""
        if indicator_id not in self.meta.index:
            return None
        return Indicator.from_row({"indicator_id": indicator_id, **self.meta.loc[indicator_id].to_dict()})


def all_headline_ids(themalijnen: pd.DataFrame) -> list[str]:
    """Every themalijn's headline indicators: the jaarplan's and the catalogue's real ones."""
    return sorted({i for t, ids in zip(themalijnen["themalijn"], themalijnen["headline_indicators"])
                   for i in headline_indicators(t, ids)})


def load_themalijnen(peildatum: date, dataset_dir: str | Path | None = None, *, since: date | None = None) -> ThemalijnenInputs:
    """The bundle at ``peildatum``; with ``since`` also the phase changes since then (Overzicht)."""
    themalijnen = db.query("themalijnen", dataset_dir)
    ids = all_headline_ids(themalijnen)
    changes = None if since is None else db.query("changes_between", dataset_dir, since=since, peildatum=peildatum)
    return ThemalijnenInputs(
        themalijnen=themalijnen,
        observations=db.query("indicator_observations", dataset_dir, indicator_ids=ids),
        meta=db.query("indicator_meta", dataset_dir, indicator_ids=ids).set_index("indicator_id"),
        goals=db.query("indicator_targets", dataset_dir, indicator_ids=ids),
        projects=with_status(db.query("project_overview", dataset_dir, peildatum=peildatum), peildatum),
        events=db.query("project_phase_events", dataset_dir, peildatum=peildatum),
        assignments=db.query("project_local_assignments", dataset_dir),
        changes=changes,
        quotes=db.query("indicator_quotes", dataset_dir, indicator_ids=ids),
    )
