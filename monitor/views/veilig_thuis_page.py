"""The Veilig Thuis page's loader and view model (pure). Words, labels, sentences and the table
are in ``monitor.views.veilig_thuis``; this module puts them together for one choice of
gemeente, soort, maat and halfjaar.

Only protected figures: every query reads the view ``vt_reports_protected``. A query that fails
does not break the page: the loader keeps a Dutch message for it and the section stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor.data import db
from monitor.data.errors import MonitorError
from monitor.domain import vt_labels
from monitor.domain.periods import period_label
from monitor.domain.region_sums import unassigned_note
from monitor.views import explorer
from monitor.views import veilig_thuis as vt
from monitor.views.vt_regions import VtRegions, build_vt_regions

READ_ERROR = ("De Veilig Thuis-cijfers konden niet worden gelezen; daarom staan hier geen cijfers. "
              "De andere pagina's werken gewoon.")


def try_query(name: str, dataset_dir: str | Path | None = None, **params) -> tuple[pd.DataFrame | None, str | None]:
    """A vt_* query: (result, None), or (None, a Dutch message) when it fails."""
    try:
        return db.query(name, dataset_dir, **params), None
    except MonitorError as exc:  # a storage or dataset failure: its own message names the object
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001 - a broken figure must not break the page
        return None, f"{READ_ERROR} ({type(exc).__name__})"


@dataclass
class VtInputs:
    """The three figure queries for one choice; a failed one is None, its message in ``errors``."""

    trend: pd.DataFrame | None
    gemeenten: pd.DataFrame | None
    breakdown: pd.DataFrame | None
    errors: list[str] = field(default_factory=list)
    incomplete: pd.DataFrame | None = None  # vt_incomplete: breakdowns from a cut-off file
    regions: pd.DataFrame | None = None  # vt_regions: every Veilig Thuis-regio and Nederland in the half year


def load_figures(region: str, kind: str, period: str, dataset_dir: str | Path | None = None) -> VtInputs:
    trend, e1 = try_query("vt_trend", dataset_dir, region_codes=vt.trend_region_codes(region), kind=kind)
    gemeenten, e2 = try_query("vt_gemeenten", dataset_dir, kind=kind, period=period)
    breakdown, e3 = try_query("vt_breakdown", dataset_dir, region_code=region, kind=kind, period=period)
    if breakdown is not None:
        # only what is drawn: no melder rows for a kind CBS publishes none for
        breakdown = breakdown[breakdown["breakdown"].isin(("totaal", *vt_labels.breakdowns_for(kind)))]
    incomplete, e4 = try_query("vt_incomplete", dataset_dir)
    regions, e5 = try_query("vt_regions", dataset_dir, period=period)
    return VtInputs(trend, gemeenten, breakdown, [e for e in dict.fromkeys((e1, e2, e3, e4, e5)) if e], incomplete,
                    regions)


@dataclass(frozen=True)
class VtSection:
    """A chart's words: its sentence (also the chart's text alternative) and source lines.
    ``breakdown``: which breakdown a breakdown chart shows; ``with_nederland``: whether the
    gemeenten chart has a Nederland reference line; ``incomplete``: for a breakdown from a
    cut-off file, what is not in it (shown beside the chart, never as a complete breakdown)."""

    sentence: str
    sources: list[tuple]
    breakdown: str | None = None
    with_nederland: bool = False
    incomplete: str | None = None


@dataclass(frozen=True)
class VtShown:
    """The rows shown on the page, whether they are voorbeelddata, whose protection applies
    (``by_cbs``: CBS's own) and the table of them (``table`` for files, ``display`` on screen)."""

    shown: pd.DataFrame
    all_sample: bool
    by_cbs: bool
    any_sample: bool
    table: pd.DataFrame
    display: pd.DataFrame | None
    sources: list[tuple]


@dataclass
class VeiligThuisView:
    """What the page shows besides its charts: per section its sentences and source lines, the
    rows shown and their table, the protection text."""

    inputs: VtInputs
    intro: str
    shown: VtShown
    trend: VtSection | None = None
    gemeenten: VtSection | None = None
    breakdowns: list[VtSection] = field(default_factory=list)  # the charted ones
    sample_note: str | None = None  # the voorbeelddata banner, when any figure shown is generated
    # How Twente's total differs from the sum of its gemeenten in the period (empty when it does not,
    # beyond rounding): shown wherever both stand together (the gemeenten chart, the table, its files).
    unassigned: list[str] = field(default_factory=list)
    # Twente tussen de Veilig Thuis-regio's (the one block beyond Twente's scope)
    regions: VtRegions | None = None


def build_veilig_thuis(inputs: VtInputs, kind: str, region: str, period: str, measure: str, min_count: int,
                       rounding: int) -> VeiligThuisView:
    shown = shown_data([f for f in (inputs.trend, inputs.gemeenten, inputs.breakdown) if f is not None], min_count)
    intro = vt.cbs_privacy_text() if shown.by_cbs else vt.privacy_text(min_count, rounding)
    view = VeiligThuisView(inputs, intro, shown, regions=build_vt_regions(inputs.regions, kind, period))
    if shown.all_sample:
        view.sample_note = ("alle Veilig Thuis-cijfers op deze pagina zijn gegenereerd naar het model van de "
                            "CBS-tabellen; het zijn geen echte meldingen of adviezen.")
    elif shown.any_sample:
        view.sample_note = ("een deel van de Veilig Thuis-cijfers op deze pagina is gegenereerd, geen echte "
                            "meldingen of adviezen.")
    if inputs.trend is not None and not inputs.trend.empty:
        view.trend = VtSection(vt_labels.trend_sentence(inputs.trend, measure, kind, min_count),
                               explorer.source_lines(inputs.trend))
    rows = inputs.gemeenten
    if rows is not None:
        note = unassigned_note(rows, vt.kind_label(kind).split(" (")[0].lower(), period_label(period), rounding)
        view.unassigned = [note] if note else []
        view.gemeenten = VtSection(vt_labels.ranking_sentence(rows, kind, period, min_count) if not rows.empty else "",
                                   explorer.source_lines(rows),
                                   with_nederland=bool((rows["region_code"] == "NL01").any()))
    rows = inputs.breakdown
    if rows is not None and not rows.empty:
        name = vt.region_label(region)
        breakdowns = vt_labels.breakdowns_for(kind)
        cut = vt.cut_off_titles(inputs.incomplete)
        for breakdown in [b for b in vt.CHART_BREAKDOWNS if b in breakdowns and (b in set(rows["breakdown"]) or b in cut)]:
            mine = rows[rows["breakdown"] == breakdown]
            sentence = vt_labels.breakdown_sentence(rows, breakdown, measure, name, period, min_count) \
                if not mine.empty else ""
            incomplete = vt.incomplete_text(breakdown, cut[breakdown], set(mine["category"]), name, period) \
                if breakdown in cut else None
            view.breakdowns.append(VtSection(
                sentence, explorer.source_lines(rows[rows["breakdown"].isin(["totaal", breakdown])]),
                breakdown=breakdown, incomplete=incomplete))
    return view


def shown_data(frames: list[pd.DataFrame], min_count: int) -> VtShown:
    """The rows shown on the page, whether they are voorbeelddata, and the table of them."""
    shown = vt.shown_rows(*frames)
    sample = shown["is_sample"].astype(bool) if not shown.empty else pd.Series(dtype=bool)
    table = vt.table_frame(shown, min_count)
    return VtShown(shown, bool(sample.all()) if not shown.empty else False, vt.protected_by_source(shown),
                   bool(sample.any()), table, vt.display_table(table) if not table.empty else None,
                   explorer.source_lines(shown))


def protection_line(shown: VtShown, min_count: int, rounding: int) -> str:
    """The protection that applies to the figures shown: CBS's own, or the monitor's."""
    return vt.cbs_privacy_line() if shown.by_cbs else vt.privacy_line(min_count, rounding)


# The page's view model per widget values (the page caches it with ``shell.view_cache``, keyed on the
# data version and these values): loaded and built.

def veilig_thuis_view(region: str, kind: str, period: str, measure: str, min_count: int,
                      rounding: int) -> VeiligThuisView:
    return build_veilig_thuis(load_figures(region, kind, period), kind, region, period, measure, min_count, rounding)
