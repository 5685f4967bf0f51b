"""An indicator as every layer sees it: the catalogue, the view models, the charts, the pages and
the tests (one frozen dataclass, never a string-keyed dict)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class Indicator:
    """One indicator: its catalogue entry (``sources/indicatoren.toml``) or its row of the
    ``indicator_meta`` query. The one shape an indicator has in the catalogue, the view models,
    the charts, the pages and the tests."""

    indicator_id: str
    name: str
    unit: str
    direction: str = "neutral"
    description: str = ""
    themalijn: str | None = None
    source_id: str = ""
    # Predicate for duiding sentences, "In {region} " + phrase with {waarde} filled in:
    # "had {waarde} van de volwassenen overgewicht". None when not (yet) written.
    phrase: str | None = None
    # "steekproef" (survey estimate) or "telling" (full count from a register): how figures are
    # compared (monitor.domain.compare).
    measurement: str = "steekproef"
    # The source's title and peildatum (the ``indicator_meta`` query joins them).
    source_title: str | None = None
    source_peildatum: date | None = None
    # Catalogue only: every CBS column or measure key that means this indicator.
    cbs: tuple[str, ...] = field(default_factory=tuple)
    # Rank among the themalijn's real headline indicators (shown after the jaarplan's own), or None.
    headline: int | None = None
    # How Twente's figure is made when it is not CBS's own Twente region (Dutch, shown on screen).
    twente_method: str | None = None

    @classmethod
    def from_row(cls, row: Mapping) -> Indicator:
        """From a query row (``indicator_meta``): its known columns, a missing value as None."""
        names = {f.name for f in fields(cls)} - {"cbs"}
        values = {k: (None if not isinstance(v, (list, tuple)) and pd.isna(v) else v)
                  for k, v in row.items() if k in names}
        for text in ("description", "source_id"):
            if values.get(text) is None:
                values.pop(text, None)
        if values.get("measurement") not in ("telling", "steekproef"):
            values.pop("measurement", None)
        if values.get("direction") is None:
            values.pop("direction", None)
        return cls(**values)

    def row(self, source_id: str | None = None) -> dict:
        """The row of the ``indicators`` table."""
        return {"indicator_id": self.indicator_id, "name": self.name, "themalijn": self.themalijn,
                "unit": self.unit, "direction": self.direction, "source_id": source_id or self.source_id,
                "description": self.description, "phrase": self.phrase, "measurement": self.measurement}
