"""The Veilig Thuis page's view model: options, the page's texts, the selection and the table.

Pure functions over the rows of the ``vt_*`` queries, which read only the protected view
``vt_reports_protected`` (``queries/views/vt_reports_protected.sql``). The labels, a
suppressed cell's ``<10`` or ``x`` and the charts' sentences are in
``monitor/domain/vt_labels.py``; nothing here ever sees a true count either.

The direction of these figures is neutral: more meldingen can mean better signalling. No
word here says "beter" or "slechter" about a figure, and the charts use no red or green.
"""

from __future__ import annotations

import pandas as pd

from monitor.data.contract import VT_BREAKDOWNS, VT_KINDS
from monitor.domain.periods import period_label
from monitor.domain.regions import GEMEENTE_CODES, NEDERLAND, TWENTE, region_name
from monitor.domain.text import format_date, format_number
from monitor.domain.vt_labels import (DEFAULT_MIN_COUNT, DEFAULT_ROUNDING, MEASURE_LABELS, breakdown_label,
                                      category_label, count_label, is_missing, kind_label, min_count_of,
                                      region_label, shown_value, sorted_periods)

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
    if not is_missing(suppression):
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
            rates.append(None if is_missing(rate) else round(float(rate), 2))
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
        "Inwoners": pd.Series([None if is_missing(v) else int(v) for v in rows["inhabitants"]],
                              dtype="Int64"),
        "Inwoners (jaar)": pd.Series([None if is_missing(v) else int(v) for v in rows["population_year"]],
                                     dtype="Int64"),
        "Voorbeelddata": [bool(s) for s in rows["is_sample"]],
        "Bron": [t if isinstance(t, str) else "onbekend" for t in rows["source_title"]],
        "Peildatum": [None if is_missing(d) else pd.Timestamp(d).date() for d in rows["source_peildatum"]],
    }, columns=list(EXPORT_COLUMNS))


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The same rows as :func:`table_frame`, as Dutch strings for the screen."""
    def count_text(value) -> str:
        return value if isinstance(value, str) else format_number(int(value))

    return pd.DataFrame({
        "Regio": table["Regio"].tolist(),
        "Halfjaar": [period_label(p) for p in table["Halfjaar"]],  # '1e halfjaar 2024'; the export keeps the code
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


def cut_off_titles(incomplete: pd.DataFrame | None) -> dict[str, list[str]]:
    """Breakdown → the titles of the cut-off files it comes from (the ``vt_incomplete`` query)."""
    if incomplete is None or incomplete.empty:
        return {}
    found: dict[str, list[str]] = {}
    for breakdown, title, table_id in incomplete[["breakdown", "title", "table_id"]].itertuples(index=False):
        label = f"{title} ({table_id})" if isinstance(table_id, str) and table_id else str(title)
        found.setdefault(breakdown, []).append(label)
    return found


def incomplete_text(breakdown: str, titles: list[str], present: set[str], name: str, period: str) -> str | None:
    """What a breakdown from a cut-off file lacks for one region and half year; None when every
    category is there. Missing parts are not in the file: not hidden, not zero."""
    categories = VT_BREAKDOWNS.get(breakdown, ())
    missing = [category_label(c) for c in categories if c not in present]
    if not missing:
        return None
    source = " en ".join(f"‘{t}’" for t in titles)
    what = (f"de uitsplitsing naar {breakdown_label(breakdown).lower()}" if not set(categories) & set(present) else
            ", ".join(m.lower() for m in missing))
    return (f"Onvolledig: het CBS-bestand {source} is afgekapt (een CBS-download stopt na 10.000 rijen). "
            f"Voor {name} ({period_label(period)}) staat {what} er niet in. Die cijfers ontbreken hier; "
            "het zijn geen afgeschermde cijfers en geen nullen. Zie de pagina Bronnen.")


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

__all__ = [
    "CBS_METHOD_TEXT", "CHART_BREAKDOWNS", "cut_off_titles", "incomplete_text", "DEFAULT_KIND", "DEFAULT_MEASURE", "DEFAULT_REGION",
    "DISPLAY_COLUMNS", "EXPORT_COLUMNS", "INTRO", "KIND_OPTIONS", "MEASURE_OPTIONS",
    "NEUTRAL_TEXT", "REGION_OPTIONS", "cbs_privacy_line", "cbs_privacy_text", "display_table",
    "halfjaar_options", "method_text", "privacy_line", "privacy_text", "protected_by_source",
    "selection_text", "shown_rows", "suppression_note", "table_frame", "trend_region_codes",
]
