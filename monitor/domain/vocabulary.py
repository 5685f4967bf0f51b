"""Words of the field that the domain rules reason with and the data contract's columns hold.

The domain owns them (it is the bottom layer); ``monitor.data.contract`` names them again for
its own users.
"""

from __future__ import annotations

# How a target compares a value with its threshold (indicator_targets.comparator).
COMPARATORS: tuple[str, ...] = ("<", "≤", "≥", ">")

# Veilig Thuis (vt_reports): what is counted, and the breakdowns CBS publishes. Every
# breakdown has the row ("totaal", "totaal") as its total; within a breakdown the
# categories are meant to add up to that total (see monitor/domain/privacy.py).
VT_KINDS: tuple[str, ...] = ("advies", "melding", "casus", "onderzoek", "overdracht")
VT_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "totaal": ("totaal",),
    "categorie": ("kindermishandeling", "partnergeweld", "ouderenmishandeling",
                  "overig_huiselijk_geweld", "anders_onbekend"),
    "melder": ("politie", "onderwijs", "huisarts_zorg", "burger_omgeving", "overig"),
    # CBS 85361NED: meldingen by earlier involvement of Veilig Thuis with the people concerned.
    "betrokkenheid": ("niet_bekend", "al_bekend", "lopend_of_kort_geleden", "niet_ingedeeld"),
}
# Which breakdowns exist for which kind (CBS 84849NED gives reporters only for adviezen
# and meldingen; 84851NED gives the category for the four kinds it has; 84847NED gives the
# totals of all five, 85361NED the earlier involvement for meldingen).
# vt_reports.per_1000: the rate as the source publishes it (CBS 84847NED: per 100.000 / 100),
# NULL for raw counts (the protected view then computes it from the published count).
# vt_reports.protected_by: who protected the counts before they reached the monitor ("CBS":
# rounded to 5, hidden cells empty; shown as published), NULL for raw counts, which the
# monitor's own protection (monitor/domain/privacy.py) rounds and suppresses.
VT_KIND_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "advies": ("totaal", "categorie", "melder"),
    "melding": ("totaal", "categorie", "melder", "betrokkenheid"),
    "casus": ("totaal",),
    "onderzoek": ("totaal", "categorie"),
    "overdracht": ("totaal", "categorie"),
}
