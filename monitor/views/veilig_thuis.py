"""The Veilig Thuis page's words and logic: labels, options, protected labels, sentences, table.

Pure functions over the rows of the ``vt_*`` queries, which read only the protected view
``vt_reports_protected`` (``queries/views/vt_reports_protected.sql``): ``count`` is rounded
(to a multiple of ``rounding``) or NULL when suppressed, ``suppression`` says why (``klein``:
the true count is below ``min_count`` or the source did not publish it; ``afgeschermd``: hidden
so that a small count cannot be recomputed from totals). Nothing here ever sees a true count,
and a suppressed cell is only ever written as ``<10`` or ``x``, never as a number.

The direction of these figures is neutral: more meldingen can mean better signalling. No
word here says "beter" or "slechter" about a figure, and the charts use no red or green.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from monitor.data.contract import VT_BREAKDOWNS, VT_KIND_BREAKDOWNS, VT_KINDS
from monitor.domain.periods import period_label, period_sort_key
from monitor.domain.regions import GEMEENTE_CODES, NEDERLAND, TWENTE, region_name
from monitor.domain.text import format_date, format_number

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

# --- options ----------------------------------------------------------------------------

# Twente first, then the 14 gemeenten by name (GEMEENTE_CODES is in name order).
REGION_OPTIONS: tuple[str, ...] = (TWENTE, *GEMEENTE_CODES)
KIND_OPTIONS: tuple[str, ...] = tuple(VT_KINDS)
MEASURE_OPTIONS: tuple[str, ...] = tuple(MEASURE_LABELS)
DEFAULT_REGION = TWENTE
DEFAULT_KIND = "melding"
DEFAULT_MEASURE = "aantal"
# The breakdowns drawn as charts (the total is the chart's subtitle, not a bar).
CHART_BREAKDOWNS: tuple[str, ...] = ("categorie", "melder", "betrokkenheid")

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


def halfjaar_options(periods) -> list[str]:
    """The half years for the picker, newest first (so the default is the latest)."""
    return sorted_periods(periods)[::-1]


def trend_region_codes(region_code: str) -> list[str]:
    """Twente, and the chosen gemeente when it is one.

    >>> trend_region_codes("GM0183")
    ['GG_TWENTE', 'GM0183']
    >>> trend_region_codes("GG_TWENTE")
    ['GG_TWENTE']
    """
    return [TWENTE] if region_code == TWENTE else [TWENTE, region_code]


# --- protected labels -------------------------------------------------------------------

def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def is_suppressed(count, suppression) -> bool:
    """A cell not to be shown as a number: suppressed, or without a count."""
    return (isinstance(suppression, str) and suppression in SUPPRESSED) or _missing(count)


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
    if _missing(count):
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
    if _missing(value):
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
    return None if _missing(value) else float(value)


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
    min_count = int(row["min_count"]) if not _missing(row.get("min_count")) else DEFAULT_MIN_COUNT
    rounding = int(row["rounding"]) if not _missing(row.get("rounding")) else DEFAULT_ROUNDING
    error = row.get("error")
    return min_count, rounding, error if isinstance(error, str) and error.strip() else None


# --- text -------------------------------------------------------------------------------

INTRO = (
    "Veilig Thuis is het advies- en meldpunt voor huiselijk geweld en kindermishandeling. "
    "Iedereen kan er advies vragen (een **advies**) of een vermoeden melden (een **melding**): "
    "buren, familie, leraren, huisartsen, de politie. Na een melding kan Veilig Thuis zelf "
    "**onderzoek** doen of de zorg **overdragen** aan het lokale team of de hulpverlening. "
    "Deze pagina toont die aantallen per halfjaar voor Twente en de 14 gemeenten, zoals CBS "
    "ze publiceert."
)

NEUTRAL_TEXT = (
    "**De richting van deze cijfers is neutraal.** Meer meldingen en adviezen kunnen betekenen dat "
    "huiselijk geweld en kindermishandeling beter worden gesignaleerd en gemeld, niet per se dat "
    "er meer geweld is; minder kan ook betekenen dat er minder wordt gesignaleerd. Daarom geeft "
    "deze pagina geen oordeel over hoger of lager en gebruikt ze geen kleuren die een oordeel "
    "suggereren."
)


def privacy_text(min_count: int = DEFAULT_MIN_COUNT, rounding: int = DEFAULT_ROUNDING) -> str:
    """How the figures are protected, for the page's introduction.

    >>> "veelvouden van 5" in privacy_text(10, 5) and "<10" in privacy_text(10, 5)
    True
    """
    return (
        "**Deze cijfers zijn beschermd**, omdat kleine aantallen in een kleine gemeente naar een "
        f"gezin kunnen wijzen. Alle aantallen zijn afgerond op veelvouden van {rounding}, zoals CBS "
        f"de cijfers van Veilig Thuis publiceert. Is het werkelijke aantal kleiner dan {min_count}, "
        f"dan staat er **<{min_count}**. Een **x** betekent dat een cijfer is afgeschermd, zodat "
        "een klein aantal niet uit totalen, andere categorieën, de andere gemeenten of een ander "
        "halfjaar is terug te rekenen. Jaartotalen worden daarom niet getoond."
    )


def privacy_line(min_count: int = DEFAULT_MIN_COUNT, rounding: int = DEFAULT_ROUNDING) -> str:
    """The privacy rule in one line, for the footer of every download.

    >>> privacy_line(10, 5)[:60]
    'Afscherming: aantallen afgerond op veelvouden van 5; <10 = m'
    """
    return (f"Afscherming: aantallen afgerond op veelvouden van {rounding}; <{min_count} = minder "
            f"dan {min_count}; x = afgeschermd, zodat een klein aantal niet uit andere cijfers is "
            "terug te rekenen.")


def suppression_note(suppression, min_count: int = DEFAULT_MIN_COUNT) -> str:
    """The explanation of a suppressed cell for the table ('' for a published one)."""
    if suppression == "klein":
        return f"<{min_count}: minder dan {min_count} (of niet gepubliceerd)"
    if suppression == "bron":
        return ".: door CBS niet gepubliceerd (afgeschermd of niet beschikbaar)"
    if not _missing(suppression):
        return "x: afgeschermd, zodat een klein aantal niet is terug te rekenen"
    return ""


def method_text(min_count: int = DEFAULT_MIN_COUNT, rounding: int = DEFAULT_ROUNDING) -> str:
    """How the figures are made and protected (the page's 'Hoe' expander)."""
    return (
        "- **Per halfjaar.** CBS publiceert de cijfers van Veilig Thuis per halfjaar. Jaartotalen "
        "staan hier niet: een jaartotaal min één halfjaar zou het andere halfjaar verraden.\n"
        "- **Adviezen en meldingen** zijn gestarte adviezen en ontvangen meldingen; **onderzoeken** "
        "en **overdrachten** zijn afgeronde onderzoeken en afgeronde overdrachten aan het lokale "
        "team of de hulpverlening.\n"
        f"- **Afronding.** Elk aantal is afgerond op een veelvoud van {rounding}. Daardoor tellen "
        "de categorieën niet altijd precies op tot het totaal, en de gemeenten niet precies tot "
        "Twente.\n"
        f"- **Kleine aantallen.** Een werkelijk aantal onder {min_count} staat als "
        f"<{min_count}; ook een aantal dat de bron niet publiceert.\n"
        "- **Afgeschermd (x).** Zou een klein aantal terug te rekenen zijn (het totaal min de "
        "andere categorieën, Twente min de andere gemeenten), dan is ook een ander cijfer in die "
        "optelling afgeschermd.\n"
        "- **Per 1.000 inwoners** is het afgeronde aantal gedeeld door het aantal inwoners van de "
        "gemeente (CBS, het meest recente jaar tot en met het jaar van het halfjaar), maal 1.000.\n"
        "- **Categorieën kunnen overlappen**: een melding kan over meer dan één vorm van geweld "
        "gaan. **Soort melder** publiceert CBS alleen voor adviezen en meldingen.\n"
        "- **Richting neutraal**: meer meldingen kunnen betekenen dat beter wordt gesignaleerd. "
        "Verschillen tussen gemeenten zeggen daarom niet zonder meer iets over het vóórkomen van "
        "geweld."
    )


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
        own = own.assign(_order=[(int(str(p)[:4]), str(p)) for p in own["period"]])
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


# --- the table of what is shown -----------------------------------------------------------

EXPORT_COLUMNS: tuple[str, ...] = (
    "Regio", "Halfjaar", "Soort", "Uitsplitsing", "Categorie", "Aantal", "Per 1.000 inwoners",
    "Afscherming", "Inwoners", "Inwoners (jaar)", "Voorbeelddata", "Bron", "Peildatum",
)
DISPLAY_COLUMNS: tuple[str, ...] = (
    "Regio", "Halfjaar", "Soort", "Uitsplitsing", "Categorie", "Aantal", "Per 1.000 inwoners",
    "Afscherming", "Voorbeelddata", "Bron", "Peildatum",
)
_KEY = ("region_code", "period", "kind", "breakdown", "category")


def _region_rank(code: str) -> tuple[int, str]:
    if code == TWENTE:
        return 0, ""
    if code == NEDERLAND:
        return 2, ""
    return 1, region_name(code)


def shown_rows(*frames: pd.DataFrame) -> pd.DataFrame:
    """The rows of every figure on the page, once each, in reading order.

    Order: Twente, the gemeenten by name, Nederland; then half year, kind, breakdown and
    category in the contract's order.
    """
    parts = [f for f in frames if f is not None and not f.empty]
    if not parts:
        return frames[0].iloc[0:0] if frames and frames[0] is not None else pd.DataFrame()
    rows = pd.concat(parts, ignore_index=True).drop_duplicates(list(_KEY), keep="first")
    kind_order = {k: i for i, k in enumerate(VT_KINDS)}
    breakdown_order = {b: i for i, b in enumerate(VT_BREAKDOWNS)}
    category_order = {c: i for cats in VT_BREAKDOWNS.values() for i, c in enumerate(cats)}
    order = [(_region_rank(r.region_code), (int(str(r.period)[:4]), str(r.period)),
              kind_order.get(r.kind, 99), breakdown_order.get(r.breakdown, 99),
              category_order.get(r.category, 99)) for r in rows.itertuples(index=False)]
    rows = rows.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")
    return rows.reset_index(drop=True)


def _note_mark(suppression, label: str) -> str:
    """The suppression whose note explains a hidden cell: the publisher's own mark stays the
    publisher's; otherwise the label decides ('<10' small, 'x' hidden to protect another)."""
    if suppression == "bron":
        return "bron"
    return "klein" if label.startswith("<") else "afgeschermd"


def table_frame(rows: pd.DataFrame, min_count: int | None = None) -> pd.DataFrame:
    """The protected figures as a table for CSV/XLSX (Dutch column names).

    ``Aantal`` holds the rounded count as a whole number, or the text '<10' / 'x' for a
    suppressed cell (never a number, never empty); ``Per 1.000 inwoners`` is a number (two
    decimals), empty exactly where ``Afscherming`` explains why. ``rows``: the columns of the
    ``vt_*`` queries (region_code, region_name, period, kind, breakdown, category, count,
    suppression, inhabitants, population_year, per_1000, is_sample, source_title,
    source_peildatum).
    """
    if min_count is None:
        min_count = min_count_of(rows)
    if rows is None or rows.empty:
        return pd.DataFrame(columns=list(EXPORT_COLUMNS))
    counts, rates, notes = [], [], []
    for _, row in rows.iterrows():
        value = shown_value(row, "aantal", min_count)
        if value is None:
            label = count_label(row["count"], row["suppression"], min_count)
            counts.append(label)
            rates.append(None)
            notes.append(suppression_note(_note_mark(row["suppression"], label), min_count))
        else:
            counts.append(int(round(value)))
            rate = row["per_1000"]
            rates.append(None if _missing(rate) else round(float(rate), 2))
            notes.append("")
    return pd.DataFrame({
        "Regio": [region_label(c) for c in rows["region_code"]],
        "Halfjaar": rows["period"].astype(str).tolist(),
        "Soort": [kind_label(k) for k in rows["kind"]],
        "Uitsplitsing": [breakdown_label(b) for b in rows["breakdown"]],
        "Categorie": [category_label(c) for c in rows["category"]],
        "Aantal": pd.Series(counts, dtype=object),
        "Per 1.000 inwoners": pd.Series(rates, dtype="float64"),
        "Afscherming": notes,
        "Inwoners": pd.Series([None if _missing(v) else int(v) for v in rows["inhabitants"]],
                              dtype="Int64"),
        "Inwoners (jaar)": pd.Series([None if _missing(v) else int(v) for v in rows["population_year"]],
                                     dtype="Int64"),
        "Voorbeelddata": [bool(s) for s in rows["is_sample"]],
        "Bron": [t if isinstance(t, str) else "onbekend" for t in rows["source_title"]],
        "Peildatum": [None if _missing(d) else pd.Timestamp(d).date() for d in rows["source_peildatum"]],
    }, columns=list(EXPORT_COLUMNS))


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The same rows as :func:`table_frame`, as Dutch strings for the screen."""
    def count_text(value) -> str:
        return value if isinstance(value, str) else format_number(int(value))

    return pd.DataFrame({
        "Regio": table["Regio"].tolist(),
        "Halfjaar": table["Halfjaar"].tolist(),
        "Soort": table["Soort"].tolist(),
        "Uitsplitsing": table["Uitsplitsing"].tolist(),
        "Categorie": table["Categorie"].tolist(),
        "Aantal": [count_text(v) for v in table["Aantal"]],
        "Per 1.000 inwoners": [a if isinstance(a, str) else format_number(r, 2)
                               for a, r in zip(table["Aantal"], table["Per 1.000 inwoners"])],
        "Afscherming": table["Afscherming"].tolist(),
        "Voorbeelddata": ["ja" if s else "nee" for s in table["Voorbeelddata"]],
        "Bron": table["Bron"].tolist(),
        "Peildatum": [format_date(d) if d is not None else "–" for d in table["Peildatum"]],
    }, columns=list(DISPLAY_COLUMNS))


def selection_text(kind: str, region_code: str, period: str) -> str:
    """What the page shows, for the first footer line of a download.

    >>> parts = selection_text("melding", "GM0183", "2026H1").split(" · ")
    >>> parts[:3]
    ['Veilig Thuis', 'Meldingen', 'trend: Twente en Tubbergen, alle halfjaren']
    >>> parts[3]
    'gemeenten vergeleken en uitsplitsing Tubbergen: 1e halfjaar 2026'
    """
    regions = " en ".join(region_label(c) for c in trend_region_codes(region_code))
    return (f"Veilig Thuis · {kind_label(kind)} · trend: {regions}, alle halfjaren · gemeenten "
            f"vergeleken en uitsplitsing {region_label(region_code)}: {period_label(period)}")


__all__ = [
    "BREAKDOWN_LABELS", "CATEGORY_LABELS", "CHART_BREAKDOWNS", "DEFAULT_KIND", "DEFAULT_MEASURE",
    "DEFAULT_MIN_COUNT", "DEFAULT_REGION", "DEFAULT_ROUNDING", "DISPLAY_COLUMNS", "EXPORT_COLUMNS",
    "HIDDEN_MARK", "INTRO", "KIND_LABELS", "KIND_OPTIONS", "MEASURE_LABELS", "MEASURE_OPTIONS",
    "NEUTRAL_TEXT", "REGION_OPTIONS", "breakdown_label", "breakdown_sentence", "breakdowns_for",
    "category_label", "count_label", "display_table", "halfjaar_options",
    "is_suppressed", "kind_label", "measure_label", "method_text", "min_count_of",
    "per_1000_label", "privacy_line", "protection", "region_label", "privacy_text", "ranking_sentence", "selection_text",
    "shown_rows", "shown_value", "sorted_periods", "suppressed_label", "suppression_note",
    "table_frame", "trend_region_codes", "trend_sentence", "value_label",
]


def cbs_privacy_text() -> str:
    """How CBS's own Veilig Thuis figures are protected, for the page's introduction.

    >>> "afgerond op 5" in cbs_privacy_text()
    True
    """
    return ("**Echte cijfers van CBS, zoals CBS ze publiceert.** CBS heeft de aantallen van Veilig Thuis al "
            "beschermd: elk aantal is afgerond op 5, en een cijfer dat CBS heeft afgeschermd of niet heeft, "
            "staat hier als **.** (de markering van CBS). De monitor rekent niets terug en voegt niets toe; "
            "per 1.000 inwoners is het cijfer van CBS (per 100.000 inwoners, gedeeld door 100). "
            "Jaartotalen staan hier niet, alleen halfjaren.")


def cbs_privacy_line() -> str:
    """The protection of CBS's figures in one line, for the footer of every download."""
    return ("Afscherming door CBS: aantallen afgerond op 5; . = door CBS niet gepubliceerd (afgeschermd of niet "
            "beschikbaar).")


def protected_by_source(rows: pd.DataFrame) -> bool:
    """Whether every row shown was protected by its publisher (CBS), not by the monitor."""
    if rows is None or rows.empty or "protected_by" not in rows.columns:
        return False
    return bool(rows["protected_by"].notna().all())


CBS_METHOD_TEXT = (
    "- **Bron.** CBS-tabellen 84847NED (kerncijfers Veilig Thuis: gestarte adviezen, ontvangen meldingen, "
    "gestarte casussen, afgeronde onderzoeken en overdrachten) en 85361NED (meldingen naar eerdere "
    "betrokkenheid van Veilig Thuis), per gemeente en halfjaar; Twente is de Veilig Thuis-regio Twente van CBS.\n"
    "- **Bescherming door CBS.** CBS publiceert deze aantallen afgerond op 5 en laat een afgeschermd cijfer "
    "leeg; hier staat dan **.**. Voor deze cijfers past de monitor zijn eigen afscherming (<10, x) niet toe: "
    "die geldt voor ruwe aantallen, zoals een Veilig Thuis-organisatie ze kan aanleveren.\n"
    "- **Per 1.000 inwoners** is het cijfer van CBS (per 100.000 inwoners, gedeeld door 100).\n"
    "- **Jaartotalen** publiceert CBS ook; ze staan hier niet, omdat een jaartotaal naast de halfjaren de "
    "afscherming van ruwe aantallen ongedaan kan maken."
)
