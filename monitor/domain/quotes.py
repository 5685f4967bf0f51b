"""Quotes and measurements: what a figure is, and the words it is shown with.

A *measurement* is a row of ``observations``: a publisher's own figure (CBS, the GGD), with the
period it measures and, for a survey, its interval. A *quote* is a row of ``quotes``: a figure
another document cites (the Jaarplan 2025 citing the Regiobeeld 2023), kept in the quoting
document's own words and precision ("56%", "meer dan 50%"). A quote is never a point of a
measured series: pages show it beside the series as a reference, never as the newest figure,
and a duiding never compares it with a measurement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from monitor.domain.periods import period_label
from monitor.domain.text import format_number, format_value

# A figure as a document writes it: optional words ("meer dan", "ruim"), a Dutch number
# ("56", "55.400", "10,4") and an optional "%".
_FIGURE = re.compile(r"^(?P<qualifier>[^\d]*?)\s*(?P<number>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s*(?P<percent>%?)$")


def parse_figure(figure: str) -> tuple[float, int, str | None]:
    """The number, its decimals and the words before it of a figure as written.

    >>> parse_figure("56%")
    (56.0, 0, None)
    >>> parse_figure("meer dan 50%")
    (50.0, 0, 'meer dan')
    >>> parse_figure("55.400")
    (55400.0, 0, None)
    >>> parse_figure("10,4%")
    (10.4, 1, None)
    """
    found = _FIGURE.match(figure.strip())
    if not found:
        raise ValueError(f"'{figure}' is geen getal zoals een bron het schrijft (bijv. '56%' of 'meer dan 50%')")
    number = found["number"]
    decimals = len(number.split(",")[1]) if "," in number else 0
    value = float(number.replace(".", "").replace(",", "."))
    return value, decimals, (found["qualifier"].strip() or None)


@dataclass(frozen=True)
class Quote:
    """One row of ``quotes`` (with the quoting document's title from the ``indicator_quotes`` query)."""

    indicator_id: str
    region_code: str
    subgroup: str
    figure: str
    value: float
    decimals: int
    qualifier: str | None
    sentence: str
    quoted_source: str
    quoted_edition: str | None
    cited_in: str
    source_id: str
    source_title: str | None = None

    @classmethod
    def from_row(cls, row: Mapping) -> Quote:
        def text(name):
            value = row.get(name)
            return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)

        return cls(str(row["indicator_id"]), str(row["region_code"]), str(row["subgroup"]), str(row["figure"]),
                   float(row["value"]), int(row["decimals"]), text("qualifier"), str(row["sentence"]),
                   str(row["quoted_source"]), text("quoted_edition"), str(row["cited_in"]), str(row["source_id"]),
                   text("source_title"))

    @property
    def quoted(self) -> str:
        """What the document quotes: "Regiobeeld 2023"."""
        return f"{self.quoted_source} {self.quoted_edition}" if self.quoted_edition else self.quoted_source

    @property
    def label(self) -> str:
        """The quote as a reference: "Jaarplan 2025: 56% (Regiobeeld 2023)"."""
        return f"{self.cited_in}: {self.figure} ({self.quoted})"

    def shown(self, unit: str) -> str:
        """The number as the quote wrote it, in the monitor's notation: "56%", "55.400" (never a
        decimal the quote did not write; the qualifier's words are in :attr:`figure`)."""
        return format_value(self.value, unit, self.decimals)


def quotes_of(frame: pd.DataFrame | None, indicator_id: str, regions: tuple[str, ...] | None = None) -> list[Quote]:
    """The quotes of one indicator (for the given regions), in the frame's order."""
    if frame is None or frame.empty:
        return []
    rows = frame[frame["indicator_id"] == indicator_id]
    if regions is not None:
        rows = rows[rows["region_code"].isin(list(regions))]
    return [Quote.from_row(row) for row in rows.to_dict("records")]


def reference_line(quotes: list[Quote], names: Mapping[str, str]) -> str:
    """The quotes of an indicator as one reference sentence beside the measured series:
    "Ter vergelijking, geen meting: Jaarplan 2025: 56% (Regiobeeld 2023) voor Twente." ("" without)."""
    if not quotes:
        return ""
    parts = [f"{q.label} voor {names.get(q.region_code, q.region_code)}" for q in quotes]
    return "Citaat, geen meting: " + "; ".join(parts) + "."


def measured_text(value, ci_low, ci_high, unit: str, period: str | None = None) -> str:
    """A measurement with its interval and period: "52,6% [51,3–53,9] (2022)"; without an
    interval "52,6% (2022)"; without a period no brackets at the end."""
    text = format_value(value, unit)
    if ci_low is not None and ci_high is not None and not pd.isna(ci_low) and not pd.isna(ci_high):
        decimals = 0 if unit in ("aantal", "euro") else 1
        text += f" [{format_number(ci_low, decimals)}–{format_number(ci_high, decimals)}]"
    if period:
        text += f" ({period_label(str(period))})"
    return text
