"""Cut-off downloads of the Veilig Thuis tables by member (84851NED, 84849NED).

CBS's feed returns at most 10.000 rows per request, and a download that does not ask for the
next page stops there. These tables list every region and period for one member of their
``Kenmerken…`` dimension before the next member (``Totaal`` first, then e.g.
``Kindermishandeling``), so a cut-off file holds a few members completely and stops inside the
next one, part-way through its regions (the real 84851NED download in dertje/cbs_datasets: the
total for all 404 regions, ``Kindermishandeling`` up to ``Neder-Betuwe``, nothing after it).

``detect`` finds the member the file stops in: its rows are the last of the file and are, in the
same order, the first regions and periods of a complete member; and either the file has exactly
10.000 rows or no other member is short (a member that lacks regions elsewhere was filtered, not
cut off). What the file does hold of that member is used for the regions whose periods are all
there; the rest, and the members after it, are not in the file and are reported as such,
never stored as "not published".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

FEED_LIMIT = 10_000  # rows per request of CBS's feed (also monitor.ingest.cbstable)


@dataclass(frozen=True)
class CutOff:
    member: str                    # the raw member (key or title) the file stops in
    complete_regions: frozenset    # raw regions of that member with every period of the file
    rows: int                      # rows of that member in the file
    expected: int                  # rows of a complete member
    at_limit: bool                 # the file has exactly FEED_LIMIT data rows
    last_region: str               # the raw region the file stops at

    def keeps(self, member: str, region: str) -> bool:
        return member != self.member or region in self.complete_regions


def detect(members: pd.Series, regions: pd.Series, periods: pd.Series) -> CutOff | None:
    """The member a cut-off file stops in, or None when the file is not cut off. The series are the
    raw cells of the dimension, region and period columns, in file order."""
    frame = pd.DataFrame({"m": members.astype(str).str.strip(), "r": regions.astype(str).str.strip(),
                          "p": periods.astype(str).str.strip()}).reset_index(drop=True)
    if frame.empty:
        return None
    sizes = frame.groupby("m", sort=False).size()
    full = sizes.idxmax()
    last = frame["m"].iloc[-1]
    short = sizes[sizes < sizes[full]]
    at_limit = len(frame) == FEED_LIMIT
    if last not in short.index or not (at_limit or len(short) == 1):
        return None
    mine = frame[frame["m"] == last]
    reference = frame[frame["m"] == full]
    if list(zip(mine["r"], mine["p"])) != list(zip(reference["r"], reference["p"]))[:len(mine)]:
        return None  # not the start of a complete member in the same order: filtered, not cut off
    wanted = reference.groupby("r")["p"].agg(frozenset)
    have = mine.groupby("r")["p"].agg(frozenset)
    complete = frozenset(r for r, p in have.items() if p == wanted.get(r))
    return CutOff(last, complete, len(mine), int(sizes[full]), at_limit, str(mine["r"].iloc[-1]))


def note(cut: CutOff, dimension: str, label: str, missing_regions: list[str], absent: list[str]) -> str:
    """The source's note for a cut-off file (``Bestand onvolledig``: the Bronnen page's mark)."""
    def number(n: int) -> str:
        return f"{n:,}".replace(",", ".")
    limit = f"precies {number(FEED_LIMIT)} gegevensrijen" if cut.at_limit else "een onvolledige reeks"
    text = (f"Bestand onvolledig (afgekapt download, {limit}): {dimension} = '{label}' stopt na regio "
            f"'{cut.last_region}' ({number(cut.rows)} van {number(cut.expected)} regio-periodes)")
    if missing_regions:
        text += f"; daarvan ontbreken {', '.join(missing_regions)}"
    text += "."
    if absent:
        text += f" Niet in het bestand: {', '.join(absent)}."
    return text + (" Alleen wat volledig in het bestand staat is geïmporteerd; de rest staat niet in de monitor "
                   "(niet als 'niet gepubliceerd'). Download de tabel opnieuw, gefilterd of in delen, voor de rest.")
