"""Which source each point of a trend comes from, for the trend chart (pure).

A trend may join figures of different sources: the Gezondheidsmonitor's 2016 and 2020 editions
(CBS) and a figure of another publisher (a quote of the jaarplan is never one: it is no
measurement, see ``monitor.domain.quotes``). Those are not one series:
the chart draws a line only between points of the same publisher (one series, perhaps several
editions), marks every point whose source differs from the region's main series with that
source's name, names every publisher with its periods in the subtitle, and gives each point its
source in the tooltip.
"""

from __future__ import annotations

import pandas as pd

from monitor.domain.periods import period_label

JOIN_NOTE = "Lijnen verbinden alleen cijfers uit dezelfde bron."


def _text(value, fallback: str) -> str:
    return value if isinstance(value, str) and value.strip() else fallback


def with_sources(data: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``data`` (trend rows: region_name, period, optional source_title, source_publisher,
    source_id) with three columns added, and the subtitle lines about sources:

    * ``bron``: the source's title (for the tooltip);
    * ``reeks``: region and publisher, the line's grouping (a line never crosses publishers);
    * ``bron_label``: the source's title on points outside the region's main series, else ''.

    The subtitle lines are empty when every point comes from one publisher.
    """
    out = data.copy()
    titles = out["source_title"] if "source_title" in out else pd.Series([None] * len(out), index=out.index)
    ids = out["source_id"] if "source_id" in out else pd.Series(["onbekende bron"] * len(out), index=out.index)
    out["bron"] = [_text(t, _text(i, "onbekende bron")) for t, i in zip(titles, ids)]
    publishers = out["source_publisher"] if "source_publisher" in out else out["bron"]
    out["_uitgever"] = [_text(p, b) for p, b in zip(publishers, out["bron"])]
    out["reeks"] = out["region_name"].astype(str) + " · " + out["_uitgever"]
    main = out.groupby("region_name")["_uitgever"].agg(lambda p: p.value_counts().index[0])
    out["bron_label"] = [b if u != main[r] else "" for r, u, b in zip(out["region_name"], out["_uitgever"], out["bron"])]
    lines: list[str] = []
    if out["_uitgever"].nunique() > 1:
        # Per publisher with its periods: short enough for a chart's subtitle (the full titles are
        # in the tooltip and in the source lines under the chart).
        parts = []
        for publisher, group in out.groupby("_uitgever", sort=False):
            periods = sorted(set(group["period"].astype(str)), key=lambda p: (p[:4], p))
            parts.append(f"{publisher} ({', '.join(period_label(p) for p in periods)})")
        lines = ["Bronnen: " + "; ".join(parts) + ".", JOIN_NOTE]
    return out.drop(columns=["_uitgever"]), lines
