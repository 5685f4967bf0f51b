"""Veilig Thuis words and protected labels: the labels, a suppressed cell's '<10' or 'x', the sentences.

Pure functions over the rows of the ``vt_*`` queries, which read only the protected view
``vt_reports_protected`` (``queries/views/vt_reports_protected.sql``): ``count`` is rounded
(to a multiple of ``rounding``) or NULL when suppressed, ``suppression`` says why (``klein``:
the true count is below ``min_count`` or the source did not publish it; ``afgeschermd``: hidden
so that a small count cannot be recomputed from totals). Nothing here ever sees a true count,
and a suppressed cell is only ever written as ``<10`` or ``x``, never as a number. Used by the
page's view model (``monitor/views/veilig_thuis.py``) and the charts
(``monitor/charts/veilig_thuis.py``).

The direction of these figures is neutral: more meldingen can mean better signalling. No
word here says "beter" or "slechter" about a figure, and the charts use no red or green.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from monitor.domain.periods import period_label, period_sort_key
from monitor.domain.regions import NEDERLAND, TWENTE, region_name
from monitor.domain.text import format_number
from monitor.domain.vocabulary import VT_BREAKDOWNS, VT_KIND_BREAKDOWNS, VT_KINDS

# --- labels (one place; the shared design fixes the words) ------------------------------

KIND_LABELS: dict[str, str] = {
    "advies": "Adviezen",
    "melding": "Meldingen",
    "casus": "Casussen (gestart)",
    "onderzoek": "Onderzoeken (afgerond)",
    "overdracht": "Overdrachten (afgerond)",
}
CATEGORY_LABELS: dict[str, str] = {
    "totaal": "Totaal",
    # aard van het geweld
    "kindermishandeling": "Kindermishandeling",
    "partnergeweld": "Partnergeweld",
    "ouderenmishandeling": "Ouderenmishandeling",
    "overig_huiselijk_geweld": "Overig huiselijk geweld",
    "anders_onbekend": "Anders of onbekend",
    # soort melder
    "politie": "Politie en justitie",
    "onderwijs": "Onderwijs",
    "huisarts_zorg": "Huisarts en zorg",
    "burger_omgeving": "Burger of omgeving",
    "overig": "Overige melders",
    # eerdere betrokkenheid van Veilig Thuis (CBS 85361NED)
    "niet_bekend": "Geen betrokkene bekend bij Veilig Thuis",
    "al_bekend": "Eén of meer betrokkenen al bekend",
    "lopend_of_kort_geleden": "Tijdens of na veiligheidsbeoordeling of monitoring",
    "niet_ingedeeld": "Niet ingedeeld",
}
BREAKDOWN_LABELS: dict[str, str] = {
    "totaal": "Totaal",
    "categorie": "Aard van het geweld",
    "melder": "Soort melder",
    "betrokkenheid": "Eerdere betrokkenheid van Veilig Thuis",
}
MEASURE_LABELS: dict[str, str] = {
    "aantal": "Aantal",
    "per_1000": "Per 1.000 inwoners",
}
assert set(KIND_LABELS) == set(VT_KINDS)
assert {c for cats in VT_BREAKDOWNS.values() for c in cats} <= set(CATEGORY_LABELS)

SUPPRESSED = ("klein", "afgeschermd", "bron")
HIDDEN_MARK = "x"
# CBS's own mark for a figure it hid or does not have (StatLine writes '.').
SOURCE_MARK = "."
DEFAULT_MIN_COUNT = 10
DEFAULT_ROUNDING = 5

def region_label(code: str) -> str:
    """The name of a region on this page: 'Twente' (the sum of the 14 gemeenten) or the gemeente.

    >>> region_label("GG_TWENTE"), region_label("GM0183")
    ('Twente', 'Tubbergen')
    """
    return "Twente" if code == TWENTE else region_name(code)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def breakdown_label(breakdown: str) -> str:
    return BREAKDOWN_LABELS.get(breakdown, breakdown)


def measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure, measure)


def breakdowns_for(kind: str) -> tuple[str, ...]:
    """The breakdowns CBS publishes for a kind, without the total.

    >>> breakdowns_for("melding")
    ('categorie', 'melder', 'betrokkenheid')
    >>> breakdowns_for("onderzoek")
    ('categorie',)
    """
    return tuple(b for b in VT_KIND_BREAKDOWNS.get(kind, ()) if b != "totaal")


def sorted_periods(periods) -> list[str]:
    """Half years in time order, without duplicates.

    >>> sorted_periods(["2020H1", "2019H2", "2020H1", "2019H1"])
    ['2019H1', '2019H2', '2020H1']
    """
    return sorted({str(p) for p in periods if isinstance(p, str) and p},
                  key=period_sort_key)

# --- protected labels -------------------------------------------------------------------

def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def is_suppressed(count, suppression) -> bool:
    """A cell not to be shown as a number: suppressed, or without a count."""
    return (isinstance(suppression, str) and suppression in SUPPRESSED) or is_missing(count)


def suppressed_label(suppression, min_count: int = DEFAULT_MIN_COUNT) -> str:
    """'<10' for a small (or unpublished) count, 'x' for a count hidden to protect another.

    >>> suppressed_label("klein"), suppressed_label("afgeschermd")
    ('<10', 'x')
    """
    if suppression == "klein":
        return f"<{int(min_count)}"
    if suppression == "bron":
        return SOURCE_MARK
    return HIDDEN_MARK


def count_label(count, suppression=None, min_count: int = DEFAULT_MIN_COUNT) -> str:
    """A protected count as shown: '1.235', '<10' or 'x'.

    Never a number below ``min_count``: a count without a suppression mark that is below it
    anyway (which the view never sends) is written as '<10' too.

    >>> count_label(1235, None), count_label(None, "klein"), count_label(None, "afgeschermd")
    ('1.235', '<10', 'x')
    >>> count_label(5, None)
    '<10'
    >>> count_label(None, None)
    'x'
    """
    if isinstance(suppression, str) and suppression in SUPPRESSED:
        return suppressed_label(suppression, min_count)
    if is_missing(count):
        return HIDDEN_MARK
    if float(count) < float(min_count):
        return f"<{int(min_count)}"
    return format_number(int(round(float(count))))


def per_1000_label(value, count, suppression=None, min_count: int = DEFAULT_MIN_COUNT,
                   decimals: int | None = None) -> str:
    """A rate per 1.000 inwoners as shown: '4,6', or the count's '<10'/'x' when suppressed.

    One decimal, two below 1 (onderzoeken and overdrachten are rare).

    >>> per_1000_label(4.64, 745, None), per_1000_label(0.318, 205, None)
    ('4,6', '0,32')
    >>> per_1000_label(None, None, "klein")
    '<10'
    """
    if is_suppressed(count, suppression) or float(count) < float(min_count):
        return count_label(count, suppression, min_count)
    if is_missing(value):
        return HIDDEN_MARK
    if decimals is None:
        decimals = 2 if abs(float(value)) < 1 else 1
    return format_number(float(value), decimals)


def value_label(row, measure: str, min_count: int = DEFAULT_MIN_COUNT) -> str:
    """The label of a row (``count``, ``per_1000``, ``suppression``) in the chosen measure."""
    if measure == "per_1000":
        return per_1000_label(row["per_1000"], row["count"], row["suppression"], min_count)
    return count_label(row["count"], row["suppression"], min_count)


def shown_value(row, measure: str, min_count: int = DEFAULT_MIN_COUNT) -> float | None:
    """The number a chart may draw for a row, or None when the cell is suppressed."""
    count, suppression = row["count"], row["suppression"]
    if is_suppressed(count, suppression) or float(count) < float(min_count):
        return None
    value = row["per_1000"] if measure == "per_1000" else count
    return None if is_missing(value) else float(value)


def min_count_of(rows: pd.DataFrame, default: int = DEFAULT_MIN_COUNT) -> int:
    """The threshold the view reports (its ``min_count`` column), else ``default``."""
    if rows is None or rows.empty or "min_count" not in rows.columns:
        return default
    values = rows["min_count"].dropna()
    return int(values.iloc[0]) if not values.empty else default


def protection(status: pd.DataFrame | None) -> tuple[int, int, str | None]:
    """(min_count, rounding, error) from the ``vt_status`` query; the defaults without a row.

    >>> protection(pd.DataFrame({"min_count": [15], "rounding": [5], "error": [None]}))
    (15, 5, None)
    >>> protection(pd.DataFrame())
    (10, 5, None)
    """
    if status is None or status.empty:
        return DEFAULT_MIN_COUNT, DEFAULT_ROUNDING, None
    row = status.iloc[0]
    min_count = int(row["min_count"]) if not is_missing(row.get("min_count")) else DEFAULT_MIN_COUNT
    rounding = int(row["rounding"]) if not is_missing(row.get("rounding")) else DEFAULT_ROUNDING
    error = row.get("error")
    return min_count, rounding, error if isinstance(error, str) and error.strip() else None

# --- sentences (text alternatives of the charts) ----------------------------------------

def _label_list(items: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{name}: {label}" for name, label in items)


def trend_sentence(rows: pd.DataFrame, measure: str, kind: str,
                   min_count: int = DEFAULT_MIN_COUNT) -> str:
    """The trend's text alternative: the latest figure per region and which half years are hidden.

    ``rows``: region_code, region_name, period, count, per_1000, suppression.
    """
    if rows is None or rows.empty:
        return f"Geen cijfers over {kind_label(kind).lower()} door de tijd."
    parts = []
    for code in dict.fromkeys(rows["region_code"]):
        own = rows[rows["region_code"] == code].copy()
        own = own.assign(_order=[period_sort_key(p) for p in own["period"]])
        own = own.sort_values("_order")
        last = own.iloc[-1]
        name = _short_name(code, last["region_name"])
        text = f"{name} {value_label(last, measure, min_count)} ({period_label(last['period'])})"
        hidden = [str(p) for p, c, s in zip(own["period"], own["count"], own["suppression"])
                  if is_suppressed(c, s)]
        if hidden:
            text += f", niet als getal getoond in {len(hidden)} van de {len(own)} halfjaren"
        parts.append(text)
    unit = " per 1.000 inwoners" if measure == "per_1000" else ""
    return (f"{kind_label(kind)}{unit} per halfjaar. Laatste halfjaar: " + "; ".join(parts) + ".")


def ranking_sentence(rows: pd.DataFrame, kind: str, period: str,
                     min_count: int = DEFAULT_MIN_COUNT) -> str:
    """The gemeenten compared, per 1.000 inwoners: highest, lowest, reference, suppressed.

    Neutral words only: 'hoogst' and 'laagst' rank, they do not judge.
    """
    gemeenten = _gemeenten(rows)
    shown = gemeenten[[shown_value(r, "per_1000", min_count) is not None
                       for _, r in gemeenten.iterrows()]]
    hidden = gemeenten.drop(shown.index)
    head = f"{kind_label(kind)} per 1.000 inwoners, {period_label(period)}"
    if shown.empty:
        text = f"{head}: voor geen enkele gemeente als getal te tonen."
    else:
        ranked = shown.sort_values("per_1000", ascending=False, kind="stable")
        first, last = ranked.iloc[0], ranked.iloc[-1]
        text = (f"{head}: hoogst in {first['region_name']} "
                f"({per_1000_label(first['per_1000'], first['count'], first['suppression'], min_count)}), "
                f"laagst in {last['region_name']} "
                f"({per_1000_label(last['per_1000'], last['count'], last['suppression'], min_count)}).")
    for code, name in ((TWENTE, "Twente"), (NEDERLAND, "Nederland")):
        ref = rows[rows["region_code"] == code]
        if not ref.empty:
            r = ref.iloc[0]
            text += f" {name}: {per_1000_label(r['per_1000'], r['count'], r['suppression'], min_count)}."
    if not hidden.empty:
        text += " Niet als getal getoond: " + _label_list(
            [(r["region_name"], count_label(r["count"], r["suppression"], min_count))
             for _, r in hidden.iterrows()]) + "."
    return text


def breakdown_sentence(rows: pd.DataFrame, breakdown: str, measure: str, region: str,
                       period: str, min_count: int = DEFAULT_MIN_COUNT) -> str:
    """A breakdown's text alternative: every category with its label, in the contract's order."""
    items = []
    for category in VT_BREAKDOWNS.get(breakdown, ()):
        found = rows[(rows["breakdown"] == breakdown) & (rows["category"] == category)]
        if found.empty:
            continue
        items.append((category_label(category), value_label(found.iloc[0], measure, min_count)))
    unit = " (per 1.000 inwoners)" if measure == "per_1000" else ""
    if not items:
        return f"{breakdown_label(breakdown)}{unit}, {region}, {period_label(period)}: geen cijfers."
    return (f"{breakdown_label(breakdown)}{unit}, {region}, {period_label(period)}: "
            + _label_list(items) + ".")


def _short_name(code: str, name) -> str:
    if code == TWENTE:
        return "Twente"
    return name if isinstance(name, str) and name else region_name(code)


def _gemeenten(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["region_code"].astype(str).str.startswith("GM")]
