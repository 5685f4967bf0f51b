"""Chart builders for projects: the phase summary grid, the timeline of phases and the KPI
realisation chart. Pure functions (DataFrame in, Altair chart out), Dutch labels; the shared
notation helpers are in ``monitor.charts.common``.
"""

from __future__ import annotations

import json
from datetime import date

import altair as alt
import pandas as pd

from monitor.charts.axes import ticks
from monitor.charts.common import (LINE_COLOR, MEASURED_LABEL, REFERENCE_COLOR, SAMPLE_LABEL, as_timestamp,
                                   dutch_date_expr, dutch_number_expr, order_of_appearance, vl_datetime)
from monitor.data.contract import PHASES
from monitor.domain.status import STATUSES
from monitor.domain.periods import period_end, period_label
from monitor.domain.text import format_date, format_number, format_short_date, format_value

# Phases: a viridis ramp, light (Initiatie) to dark (Borging). Lightness increases
# monotonically, so the order reads in greyscale and for every kind of colour blindness.
PHASE_COLORS: dict[str, str] = {
    "Initiatie": "#c2df23",
    "Definitie": "#5ec962",
    "Ontwerp": "#21918c",
    "Voorbereiding": "#2c728e",
    "Realisatie": "#3b528b",
    "Borging": "#440154",
}

# Status: Okabe-Ito colours (safe for the common kinds of colour blindness).
STATUS_COLORS: dict[str, str] = {
    "achter": "#D55E00",     # vermilion/orange
    "onbekend (geen registratie)": "#CC79A7",  # reddish purple: not known, not a delay
    "op schema": "#0072B2",  # blue
    "voor": "#009E73",       # bluish green (teal)
    "afgerond": "#8C8C8C",   # grey
}
assert tuple(STATUS_COLORS) == STATUSES

# Phases whose colour is dark enough that a label on top of it must be white (contrast of
# white against the colour at least 4.5:1; on Ontwerp black has the better contrast, 5.5:1).
_DARK_PHASES: tuple[str, ...] = ("Voorbereiding", "Realisatie", "Borging")

# Every phase has a number (its place in the order), written in the timeline's bars and diamonds
# and in the legend ("3 Ontwerp"): the phase reads without its colour (WCAG 1.4.1).
PHASE_NUMBERS: dict[str, str] = {phase: str(i) for i, phase in enumerate(PHASES, start=1)}

# Rough width of a label character in the timeline (11 px bold sans-serif), to see whether a
# phase's name fits its bar.
_CHAR_PX = 7.0


def _phase_scale() -> alt.Scale:
    return alt.Scale(domain=list(PHASES), range=[PHASE_COLORS[p] for p in PHASES])


def phase_legend_expr() -> str:
    """A Vega expression for a legend of the phases: '3 Ontwerp' (number and name)."""
    expr = "datum.label"
    for phase, number in PHASE_NUMBERS.items():
        expr = f"datum.label === {json.dumps(phase)} ? {json.dumps(f'{number} {phase}')} : ({expr})"
    return expr


def _text_color(phases) -> list[str]:
    return ["white" if p in _DARK_PHASES else "black" for p in phases]


# --- Phase summary ----------------------------------------------------------------------

# Room above each panel of a faceted chart for its name (drawn as a text mark).
_ROW_LABEL_SPACE = 24

def phase_summary_title(moments: list[str]) -> str:
    """'Projecten per fase: 01-01-2025, nu en verwacht 31-12-2025' (the moments shown)."""
    words = [m.replace(" (peildatum)", "") for m in moments]
    listed = ", ".join(words[:-1]) + " en " + words[-1] if len(words) > 1 else "".join(words)
    return f"Projecten per fase: {listed}"


def phase_summary_chart(summary: pd.DataFrame, title: str | None = None) -> alt.FacetChart:
    """Heat-grid per themalijn: number of projects per phase at each moment.

    ``summary`` columns: themalijn_label, moment, phase, count. Moments and themalijnen
    appear in the order of their first row (so pass '01-01-2025', 'nu (peildatum)',
    'verwacht 31-12-2025' in that order); missing phase combinations count as 0.
    Returns a chart faceted in rows by themalijn (a FacetChart); its title names the moments
    unless ``title`` is given.
    """
    themalijnen = order_of_appearance(summary["themalijn_label"])
    moments = order_of_appearance(summary["moment"])
    unknown = set(summary["phase"]) - set(PHASES)
    if unknown:
        raise ValueError(f"Onbekende fase(n): {', '.join(sorted(unknown))}")

    grid = pd.MultiIndex.from_product([themalijnen, moments, list(PHASES)],
                                      names=["themalijn_label", "moment", "phase"])
    counts = (summary.groupby(["themalijn_label", "moment", "phase"])["count"].sum()
              .reindex(grid, fill_value=0).reset_index())
    counts["count"] = counts["count"].astype(int)
    counts["aantal_label"] = [format_number(c) for c in counts["count"]]
    counts["cel_fase"] = [p if c > 0 else "" for p, c in zip(counts["phase"], counts["count"])]
    counts["tekstkleur"] = ["white" if p in _DARK_PHASES and c > 0 else "black"
                            for p, c in zip(counts["phase"], counts["count"])]

    tooltip = [
        alt.Tooltip("themalijn_label:N", title="Themalijn"),
        alt.Tooltip("moment:N", title="Moment"),
        alt.Tooltip("phase:N", title="Fase"),
        alt.Tooltip("aantal_label:N", title="Aantal projecten"),
    ]
    base = alt.Chart(counts).encode(
        x=alt.X("phase:N", sort=list(PHASES), title="Fase",
                axis=alt.Axis(labelAngle=0, orient="top", offset=_ROW_LABEL_SPACE // 2)),
        y=alt.Y("moment:N", sort=moments, title=None, axis=alt.Axis(labelLimit=220)),
        tooltip=tooltip,
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.condition(
            alt.datum.count > 0,
            alt.Color("phase:N", scale=_phase_scale(), legend=None),
            alt.value("#f2f2f2"),
        ),
    )
    labels = base.mark_text(fontSize=13).encode(
        text=alt.Text("aantal_label:N"),
        color=alt.Color("tekstkleur:N", scale=None),
    )
    # The themalijn above its panel as a text mark, not as Vega-Lite's facet header: a header is
    # a Vega title that speaks English ("Title text '…'") and Vega-Lite's Header has no aria
    # property; marks are quiet under ``without_generated_aria``.
    first = (f"datum.moment === {json.dumps(moments[0])} && datum.phase === {json.dumps(PHASES[0])}"
             if moments else "false")  # no projects (a search without results): no panels
    row_label = alt.Chart(counts).transform_filter(first).mark_text(
        align="left", baseline="bottom", fontSize=14, fontWeight="bold", color="#000000",
        x=0, y=-8,
    ).encode(text="themalijn_label:N")
    total = int(counts["count"].sum())
    description = (
        "Aantal projecten per fase (Initiatie tot Borging) per themalijn, op de momenten "
        + ", ".join(moments) + f". {total} projecttellingen in totaal."
    )
    return (
        alt.layer(cells, labels, row_label)
        .properties(width=alt.Step(70), height=alt.Step(26))
        .facet(row=alt.Row("themalijn_label:N", sort=themalijnen, title=None,
                           header=alt.Header(labels=False)),
               spacing=_ROW_LABEL_SPACE + 4)
        .properties(title=title or phase_summary_title(moments), description=description)
    )


# --- Timeline ---------------------------------------------------------------------------

def _segments(events: pd.DataFrame, projects: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """One row per phase period: start at its effective_date, end at the next event or peildatum."""
    peil = as_timestamp(peildatum)
    names = projects.set_index("project_id")
    rows: list[dict] = []
    frame = events.copy()
    frame["start"] = pd.to_datetime(frame["effective_date"]).dt.normalize()
    frame = frame[frame["start"] <= peil]
    frame = frame.reset_index(drop=True).sort_values(["project_id", "start"], kind="stable")
    for project_id, group in frame.groupby("project_id", sort=False):
        if project_id not in names.index:
            continue
        starts = group["start"].tolist()
        previous = None
        for i, row in enumerate(group.itertuples(index=False)):
            end = starts[i + 1] if i + 1 < len(starts) else peil
            is_last = i + 1 == len(starts)
            if end <= row.start and not is_last:
                continue  # superseded on the same day
            note = row.note if isinstance(row.note, str) and row.note.strip() else "–"
            rows.append({
                "project_name": names.at[project_id, "project_name"],
                "themalijn_label": names.at[project_id, "themalijn_label"],
                "phase": row.phase,
                "start": row.start,
                # a phase that starts on the peildatum still gets a visible sliver
                "end": max(end, row.start + pd.Timedelta(days=1)),
                "van_label": format_date(row.start),
                "tot_label": (f"peildatum ({format_date(peil)})" if is_last
                              else format_date(end)),
                "recorded_by": row.recorded_by,
                "note": note,
                # a change of phase (not the first phase, not the same phase again in a new plan)
                "is_change": previous is not None and row.phase != previous,
                "is_last": is_last,
                "plan_end": as_timestamp(names.at[project_id, "plan_end"]),
            })
            previous = row.phase
    columns = ["project_name", "themalijn_label", "phase", "start", "end", "van_label",
               "tot_label", "recorded_by", "note", "is_change", "is_last", "plan_end"]
    frame = pd.DataFrame(rows, columns=columns)
    # what the bar says about its phase without colour: its number, its name where it fits
    frame["fase_nummer"] = [PHASE_NUMBERS.get(p, "") for p in frame["phase"]]
    frame["fase_label"] = [f"{PHASE_NUMBERS.get(p, '')} {p}" for p in frame["phase"]]
    frame["label_px"] = [len(t) * _CHAR_PX + _LABEL_DX + 4 for t in frame["fase_label"]]
    frame["tekstkleur"] = _text_color(frame["phase"])
    return frame


# The width of a bar in pixels, as a Vega expression (the layers share the scale named 'x').
# A long bar's room ends before the diamond at the plan's end, when that falls inside it.
_BAR_PX = ("(min(scale('x', toDate(datum.end)), scale('x', toDate(datum.plan_end)) - 9)"
           " - scale('x', toDate(datum.start)))")
# The project names beside the timeline: 260 px, but 110 px in a narrow container (a phone, 320 px
# reflow), so the bars keep room; without a container (exports) the full 260 px.
_NARROW = "(containerSize()[0] > 0 && containerSize()[0] < 560)"
_NAME_LIMIT = f"{_NARROW} ? 110 : 260"

# Labels start this far into their bar: past a change's triangle; a number needs the bar this wide.
_LABEL_DX = 12
_NUMBER_PX = _LABEL_DX + 10


def _phase_labels(segments: pd.DataFrame, x_axis: alt.Axis, y: alt.Y) -> list[alt.Chart]:
    """The phase in text at the start of each bar (past a change's triangle, and away from the
    diamond at the plan's end, which may fall inside a long bar): '3 Ontwerp' where the name
    fits, '3' where only the number does. A last phase too short for its number (one that began
    just before the peildatum) is named beside its end, in the empty space after the peildatum."""
    inside = (f"{_BAR_PX} >= datum.label_px ? datum.fase_label : "
              f"({_BAR_PX} >= {_NUMBER_PX} ? datum.fase_nummer : '')")
    beside = f"datum.is_last && {_BAR_PX} < {_NUMBER_PX} ? datum.fase_label : ''"
    base = alt.Chart(segments)
    return [
        base.mark_text(fontSize=11, fontWeight="bold", baseline="middle", align="left", dx=_LABEL_DX,
                       text=alt.expr(inside))
        .encode(x=alt.X("start:T", axis=x_axis), y=y, color=alt.Color("tekstkleur:N", scale=None)),
        base.mark_text(fontSize=11, fontWeight="bold", baseline="middle", align="left", dx=9,
                       color="#000000", text=alt.expr(beside))
        .encode(x=alt.X("end:T", axis=x_axis), y=y),
    ]


def timeline_changes_text(events: pd.DataFrame, peildatum: date) -> str:
    """A sentence per project whose phase changed after its first event (the text alternative).

    >>> frame = pd.DataFrame({"project_name": ["A", "A", "B"],
    ...     "phase": ["Definitie", "Ontwerp", "Realisatie"],
    ...     "effective_date": [date(2025, 1, 1), date(2025, 3, 4), date(2025, 1, 1)]})
    >>> timeline_changes_text(frame, date(2025, 12, 31))
    'Faseovergangen na de start: A: Ontwerp per 04-03-2025.'
    """
    known = events[pd.to_datetime(events["effective_date"]) <= pd.Timestamp(peildatum)]
    parts = []
    for name, group in known.sort_values("effective_date", kind="stable").groupby("project_name", sort=True):
        later = group.iloc[1:]
        if not later.empty:
            steps = ", ".join(f"{r.phase} per {format_short_date(pd.Timestamp(r.effective_date).date())}"
                              for r in later.itertuples())
            parts.append(f"{name}: {steps}")
    if not parts:
        return "Na de startfase zijn nog geen faseovergangen vastgelegd."
    return "Faseovergangen na de start: " + "; ".join(parts) + "."


def timeline_chart(events: pd.DataFrame, projects: pd.DataFrame, peildatum: date) -> alt.LayerChart:
    """Per project the phases it went through, the expected phase at its plan's end, the peildatum.

    ``events`` columns: project_id, project_name, phase, effective_date, recorded_by, note
    (effective events only: undone ones already removed). Events after the peildatum are
    ignored. ``projects`` columns: project_id, project_name, themalijn_label,
    phase_expected, plan_end, status. Rows are the projects, sorted by themalijn then name.

    Every change of phase also gets a marker (a triangle at its date): a change dated on the
    peildatum itself has a bar of no width, the marker shows it.
    """
    projects = projects.sort_values(["themalijn_label", "project_name"], kind="stable")
    order = projects["project_name"].tolist()
    segments = _segments(events, projects, peildatum)
    peil = as_timestamp(peildatum)
    plan_ends = [as_timestamp(d) for d in projects["plan_end"]]
    last_plan_end = max(plan_ends) if plan_ends else peil

    starts = segments["start"].tolist() + [as_timestamp(date(d.year, 1, 1)) for d in plan_ends]
    domain_start = min(starts) if starts else peil
    domain_end = max(peil, last_plan_end) + pd.Timedelta(days=20)
    # domainMin/domainMax, not domain=[…]: a DateTime domain list on a bar with x2 makes
    # Vega-Lite warn about conflicting domains and an infinite extent (seen in Chromium).
    # Set on the first layer only; the layers share the scale.
    x_scale = alt.Scale(domainMin=vl_datetime(domain_start), domainMax=vl_datetime(domain_end))
    x_axis = alt.Axis(labelExpr=dutch_date_expr(), title=None, tickCount="month",
                      labelAngle=-40, labelOverlap=True, grid=True)
    y = alt.Y("project_name:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=alt.ExprRef(_NAME_LIMIT)))
    color = alt.Color("phase:N", scale=_phase_scale(), title="Fase",
                      legend=alt.Legend(orient="top", direction="horizontal",
                                        columns=alt.ExprRef(f"{_NARROW} ? 1 : 3"),
                                        values=list(PHASES), labelExpr=phase_legend_expr(),
                                        symbolType="square"))
    segment_tooltip = [
        alt.Tooltip("project_name:N", title="Project"),
        alt.Tooltip("themalijn_label:N", title="Themalijn"),
        alt.Tooltip("phase:N", title="Fase"),
        alt.Tooltip("van_label:N", title="Van"),
        alt.Tooltip("tot_label:N", title="Tot"),
        alt.Tooltip("recorded_by:N", title="Vastgelegd door"),
        alt.Tooltip("note:N", title="Toelichting"),
    ]

    bars = alt.Chart(segments).mark_bar(height={"band": 0.7}).encode(
        x=alt.X("start:T", scale=x_scale, axis=x_axis),
        x2="end:T",
        y=y,
        color=color,
        tooltip=segment_tooltip,
    )
    changes = segments[segments["is_change"]].drop(columns=["end"])
    change_marks = alt.Chart(changes).mark_point(
        shape="triangle-right", filled=True, size=170, stroke="black", strokeWidth=1, opacity=1,
    ).encode(x=alt.X("start:T", axis=x_axis), y=y, color=color, tooltip=segment_tooltip)

    markers = _expected_markers(projects, plan_ends, x_axis, y, color)
    labels = _phase_labels(segments, x_axis, y)

    rule, rule_text = _peildatum_rule(peil, x_axis)

    n = len(order)
    ends = sorted({format_date(d) for d in plan_ends})
    when = ends[0] if len(ends) == 1 else "het einde van het plan"
    description = (
        f"Tijdlijn van {n} projecten, gegroepeerd per themalijn: per project de fasen die het "
        f"doorliep met hun datum (een driehoek bij elke faseovergang), de verwachte fase op {when} als "
        f"ruit, en de peildatum {format_date(peil)} als verticale lijn. {timeline_changes_text(events, peildatum)}"
    )
    short_ends = sorted({format_short_date(d) for d in plan_ends})
    short_when = short_ends[0] if len(short_ends) == 1 else "einde plan"
    return (
        alt.layer(bars, *labels, change_marks, *markers, rule, rule_text)
        .properties(width="container", height=alt.Step(22),
                    title=alt.Title("Fasen per project", subtitle=(
                        "Balk: fase (met haar nummer) vanaf de datum van de wijziging; driehoek: "
                        f"faseovergang; ruit: verwachte fase op {short_when}; stippellijn: peildatum")),
                    description=description)
    )


# --- KPI --------------------------------------------------------------------------------

def _kpi_decimals(unit: str, values: list[float]) -> int:
    if unit == "aantal" and all(float(v).is_integer() for v in values if pd.notna(v)):
        return 0
    return 1


def kpi_chart(realisations: pd.DataFrame, kpi: dict) -> alt.LayerChart:
    """A KPI's realisation over time against its target and deadline.

    ``realisations`` columns: period ('2025Q1', '2025', '2025H1', …), value, is_sample.
    ``kpi``: name, unit, target_value, deadline (date). x = end date of the period.
    Voorbeelddata points are hollow and the line dashed; the legend says "voorbeelddata".
    """
    unit = kpi["unit"]
    target = float(kpi["target_value"])
    deadline = as_timestamp(kpi["deadline"])
    data, decimals = _kpi_data(realisations, unit, target)
    any_sample = bool(data["is_sample"].any())

    start = min(data["date"].tolist() + [as_timestamp(date(deadline.year, 1, 1))])
    end = max(data["date"].tolist() + [deadline]) + pd.Timedelta(days=20)
    x_scale = alt.Scale(domainMin=vl_datetime(start), domainMax=vl_datetime(end))
    x_axis = alt.Axis(labelExpr=dutch_date_expr(), title=None, tickCount="month",
                      labelAngle=-40, labelOverlap=True)
    y_max = max(data["value"].tolist() + [target]) * 1.1 or 1
    # Ticks that fit the unit: whole steps for counts (never "0, 1, 1"), decimals that keep
    # every label distinct otherwise.
    tick_values, tick_decimals, y_domain = ticks(0.0, y_max, count=5, integer=decimals == 0)
    # The KPI name is the chart title; a long rotated axis title would eat the plot height
    # when Streamlit fits the chart into its container.
    y_title = "aantal" if unit == "aantal" else unit
    y_scale = alt.Scale(domain=y_domain, nice=False)
    y_axis = alt.Axis(values=tick_values, labelExpr=dutch_number_expr(tick_decimals), title=y_title)

    x = alt.X("date:T", scale=x_scale, axis=x_axis)  # first layer: the shared scale
    x_shared = alt.X("date:T", axis=x_axis)
    y = alt.Y("value:Q", scale=y_scale, axis=y_axis)
    tooltip = [
        alt.Tooltip("periode_label:N", title="Periode"),
        alt.Tooltip("waarde_label:N", title="Waarde"),
        alt.Tooltip("soort:N", title="Soort"),
    ]
    line = alt.Chart(data).mark_line(
        color=LINE_COLOR, strokeWidth=2, strokeDash=[5, 4] if any_sample else [1, 0],
    ).encode(x=x, y=y)
    points = alt.Chart(data).mark_point(size=80, filled=True, strokeWidth=2,
                                        stroke=LINE_COLOR).encode(
        x=x_shared, y=y,
        fill=alt.Fill("soort:N", title=None,
                      scale=alt.Scale(domain=[MEASURED_LABEL, SAMPLE_LABEL],
                                      range=[LINE_COLOR, "white"]),
                      legend=alt.Legend(orient="top", symbolStrokeColor=LINE_COLOR,
                                        symbolStrokeWidth=2)),
        tooltip=tooltip,
    )

    target_rule, target_text, deadline_rule, deadline_text = _kpi_target_layers(
        target, deadline, unit, decimals, y_scale, y_axis, x_shared)

    if data.empty:
        latest = "Er is nog geen realisatie vastgelegd."
    else:
        last = data.iloc[-1]
        latest = (f"Laatste realisatie: {last['waarde_label']} ({last['periode_label']}"
                  + (", voorbeelddata" if last["is_sample"] else "") + ").")
    description = (
        f"KPI {kpi['name']}: realisatie per periode tegen het doel van "
        f"{format_value(target, unit, decimals)} uiterlijk {format_date(deadline)}. {latest}"
        + (" Bevat voorbeelddata, geen echte metingen." if any_sample else "")
    )
    subtitle = ["Voorbeelddata: geen echte metingen (open punten, stippellijn)"] if any_sample else []
    return (
        alt.layer(line, points, target_rule, target_text, deadline_rule, deadline_text)
        .properties(width="container", height=300,
                    title=alt.Title(kpi["name"], subtitle=subtitle),
                    description=description)
    )


def _expected_markers(projects: pd.DataFrame, plan_ends: list[pd.Timestamp], x_axis: alt.Axis, y: alt.Y,
                      color: alt.Color) -> list[alt.Chart]:
    """A diamond per project, with the number of the phase expected at its plan's end in it."""
    expected = projects[["project_name", "themalijn_label", "phase_expected", "status"]].copy()
    expected = expected.rename(columns={"phase_expected": "phase"})
    expected["date"] = plan_ends
    expected["verwacht_label"] = [f"Verwacht op {format_short_date(d)}: {p}"
                                  for d, p in zip(plan_ends, expected["phase"])]
    expected["status"] = expected["status"].fillna("–")
    expected["fase_nummer"] = [PHASE_NUMBERS.get(p, "") for p in expected["phase"]]
    expected["tekstkleur"] = _text_color(expected["phase"])
    x = alt.X("date:T", axis=x_axis)
    markers = alt.Chart(expected).mark_point(
        shape="diamond", filled=True, size=300, stroke="black", strokeWidth=1, opacity=1,
    ).encode(
        x=x,
        y=y,
        color=color,
        tooltip=[
            alt.Tooltip("project_name:N", title="Project"),
            alt.Tooltip("verwacht_label:N", title="Verwacht"),
            alt.Tooltip("status:N", title="Status"),
        ],
    )
    numbers = alt.Chart(expected).mark_text(fontSize=10, fontWeight="bold", baseline="middle").encode(
        x=x, y=y, text="fase_nummer:N", color=alt.Color("tekstkleur:N", scale=None))
    return [markers, numbers]


def _peildatum_rule(peil: pd.Timestamp, x_axis: alt.Axis) -> tuple[alt.Chart, alt.Chart]:
    """The peildatum as a dashed vertical line, named at its top."""
    peil_frame = pd.DataFrame({"date": [peil], "label": ["peildatum"],
                               "peildatum_label": [format_date(peil)]})
    rule_base = alt.Chart(peil_frame)
    rule = rule_base.mark_rule(color=REFERENCE_COLOR, strokeWidth=2, strokeDash=[4, 3]).encode(
        x=alt.X("date:T", axis=x_axis),
        tooltip=[alt.Tooltip("peildatum_label:N", title="Peildatum")],
    )
    rule_text = rule_base.mark_text(align="left", baseline="bottom", dx=4, dy=-4,
                                    color=REFERENCE_COLOR, fontWeight="bold").encode(
        x=alt.X("date:T", axis=x_axis),
        y=alt.value(0),
        text="label:N",
    )
    return rule, rule_text


def _kpi_data(realisations: pd.DataFrame, unit: str, target: float) -> tuple[pd.DataFrame, int]:
    """The realisations at the end of their period, in time order, with labels; and the decimals."""
    data = realisations[["period", "value", "is_sample"]].copy()
    data = data[data["value"].notna()]
    data["date"] = [as_timestamp(period_end(p)) for p in data["period"]]
    data = data.sort_values("date", kind="stable").reset_index(drop=True)
    decimals = _kpi_decimals(unit, data["value"].tolist() + [target])
    data["is_sample"] = data["is_sample"].astype(bool)
    data["soort"] = [SAMPLE_LABEL if s else MEASURED_LABEL for s in data["is_sample"]]
    data["periode_label"] = [period_label(p) for p in data["period"]]
    data["waarde_label"] = [format_value(v, unit, decimals) for v in data["value"]]
    data["value"] = data["value"].astype(float)
    return data, decimals


def _kpi_target_layers(target: float, deadline: pd.Timestamp, unit: str, decimals: int, y_scale: alt.Scale,
                       y_axis: alt.Axis, x_shared: alt.X) -> tuple[alt.Chart, alt.Chart, alt.Chart, alt.Chart]:
    """The target as a dashed horizontal rule and the deadline as a vertical one, labelled."""
    target_label = f"doel: {format_value(target, unit, decimals)}"
    target_frame = pd.DataFrame({"target": [target], "label": [target_label],
                                 "doel_label": [format_value(target, unit, decimals)],
                                 "deadline_label": [format_date(deadline)]})
    target_rule = alt.Chart(target_frame).mark_rule(
        color=REFERENCE_COLOR, strokeDash=[6, 3], strokeWidth=1.5,
    ).encode(
        y=alt.Y("target:Q", scale=y_scale, axis=y_axis),
        tooltip=[alt.Tooltip("doel_label:N", title="Doel"),
                 alt.Tooltip("deadline_label:N", title="Uiterlijk")],
    )
    target_text = alt.Chart(target_frame).mark_text(
        align="left", baseline="bottom", dx=4, dy=-3, color=REFERENCE_COLOR, fontWeight="bold",
    ).encode(y=alt.Y("target:Q", scale=y_scale, axis=y_axis), x=alt.value(0), text="label:N")

    deadline_frame = pd.DataFrame({"date": [deadline],
                                   "label": [f"uiterlijk {format_short_date(deadline)}"],
                                   "deadline_label": [format_date(deadline)]})
    deadline_rule = alt.Chart(deadline_frame).mark_rule(
        color=REFERENCE_COLOR, strokeWidth=1.5,
    ).encode(x=x_shared, tooltip=[alt.Tooltip("deadline_label:N", title="Deadline doel")])
    # at the bottom of the plot, away from the target label and rule at the top
    deadline_text = alt.Chart(deadline_frame).mark_text(
        align="right", baseline="bottom", dx=-4, dy=-4, color=REFERENCE_COLOR,
    ).encode(x=x_shared, y=alt.YValue(alt.ExprRef("height")), text="label:N")
    return target_rule, target_text, deadline_rule, deadline_text
