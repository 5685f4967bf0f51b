"""Display tables: query results turned into what a page shows (Dutch labels and formats).

Pure functions (DataFrame in, DataFrame out), unit tested; pages only render them.
"""

from __future__ import annotations

import pandas as pd

from monitor.domain.text import (
    SAMPLE_MARK,
    direction_label,
    format_number,
    format_short_date,
    themalijn_label,
)

SAMPLE_LABEL = "⚠ Voorbeelddata"
MEASUREMENT_LABELS = {"steekproef": "steekproef (enquête, met onzekerheidsmarge)",
                      "telling": "telling (volledige registratie)"}
REAL_LABEL = "Echte data"


INCOMPLETE_MARK = "Bestand onvolledig"
COMPLETE_MARK = "Volledig:"


def completeness(note) -> str:
    """What a source's note says about its completeness (the CBS reader writes it there).

    >>> completeness("… Bestand onvolledig (afgekapt download): …"), completeness("… Volledig: …"), completeness(None)
    ('onvolledig (afgekapt): alleen volledige reeksen', 'volledig', '–')
    """
    if not isinstance(note, str):
        return "–"
    if INCOMPLETE_MARK in note:
        return "onvolledig (afgekapt): alleen volledige reeksen"
    if COMPLETE_MARK in note:
        return "volledig"
    return "–"


def sources_display(sources: pd.DataFrame) -> pd.DataFrame:
    """The Bronnen table: one row per source, Dutch headers, voorbeelddata clearly marked."""
    return pd.DataFrame({
        "Soort": [SAMPLE_LABEL if s else REAL_LABEL for s in sources["is_sample"]],
        "Uitgever": sources["publisher"],
        "Titel": sources["title"],
        "Tabel": sources["table_id"].fillna("–"),
        "Licentie": sources["licence"],
        "Peildatum": [format_short_date(d) for d in sources["peildatum"]],
        "Opgehaald": [format_short_date(d) for d in sources["retrieved"]],
        "Rijen": [format_number(n) for n in sources["rows"]],
        "Volledigheid": [completeness(n) for n in (sources["note"] if "note" in sources.columns
                                                   else [None] * len(sources))],
    })


def indicators_display(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicator list: name, definition, unit, direction, how it is measured, themalijn, and
    every source of its figures with their periods."""
    return pd.DataFrame({
        "Indicator": indicators["name"],
        "Definitie": indicators["description"],
        "Eenheid": indicators["unit"],
        "Richting": [direction_label(d) for d in indicators["direction"]],
        "Themalijn": [themalijn_label(t) for t in indicators["themalijn"]],
        "Perioden": indicators["periods"].fillna("–"),
        "Meetwijze": [MEASUREMENT_LABELS.get(m, m) for m in indicators["measurement"]],
        # every source its figures come from, each with its periods (not only the newest)
        "Bronnen": indicators["sources"].fillna(indicators["source_title"]).fillna(indicators["source_id"]),
        "Voorbeelddata": ["ja (deels)" if s is True else "nee" for s in indicators["has_sample"]],
        "id": indicators["indicator_id"],
    })


def sample_heading(title: str) -> str:
    """The heading of a voorbeelddata source's notice: its title marked once, never
    'Voorbeelddata – Voorbeelddata: …'.

    >>> sample_heading("Voorbeelddata: gemeentecijfers"), sample_heading("Gegenereerde KPI's")
    ('Voorbeelddata: gemeentecijfers', "Voorbeelddata – Gegenereerde KPI's")
    """
    if title.strip().lower().startswith(SAMPLE_MARK.lower()):
        return title.strip()
    return f"{SAMPLE_MARK} – {title.strip()}"


def filter_indicators(indicators: pd.DataFrame, search: str = "", themalijn: str | None = None) -> pd.DataFrame:
    """Indicators whose name, id or definition contains ``search`` (any case), in a themalijn."""
    result = indicators
    if themalijn:
        result = result[result["themalijn"] == themalijn]
    text = search.strip().lower()
    if text:
        haystack = (result["name"].str.lower() + " " + result["indicator_id"].str.lower() + " "
                    + result["description"].str.lower())
        result = result[haystack.str.contains(text, regex=False)]
    return result
