"""Project chart builders (monitor/charts/projects.py): phase summary, timeline, KPI."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from monitor.charts import common as charts, projects as project_charts
from monitor.data.contract import PHASES
from tests.chart_spec import assert_tooltips_are_strings as _assert_tooltips_are_strings
from tests.chart_spec import layers as _layers
from tests.chart_spec import mark as _mark
from tests.chart_spec import tooltip_fields as _tooltip_fields
from tests.chart_spec import values as _values

PEILDATUM = date(2025, 7, 1)


def test_palettes():
    assert list(project_charts.PHASE_COLORS) == list(PHASES)
    assert len(set(project_charts.PHASE_COLORS.values())) == 6
    assert list(project_charts.STATUS_COLORS) == ["achter", "onbekend (geen registratie)", "op schema", "voor",
                                                  "afgerond"]
    assert len(set(project_charts.STATUS_COLORS.values())) == 5


# --- phase summary ----------------------------------------------------------------------

def _summary() -> pd.DataFrame:
    rows = [
        ("Bestaanszekerheid", "01-01-2025", "Definitie", 1),
        ("Bestaanszekerheid", "01-01-2025", "Realisatie", 4),
        ("Bestaanszekerheid", "nu (peildatum)", "Ontwerp", 1),
        ("Bestaanszekerheid", "nu (peildatum)", "Realisatie", 4),
        ("Bestaanszekerheid", "verwacht 31-12-2025", "Realisatie", 4),
        ("Bestaanszekerheid", "verwacht 31-12-2025", "Borging", 1),
        ("Ouderen", "01-01-2025", "Borging", 1),
        ("Ouderen", "nu (peildatum)", "Borging", 1),
        ("Ouderen", "verwacht 31-12-2025", "Borging", 1),
    ]
    return pd.DataFrame(rows, columns=["themalijn_label", "moment", "phase", "count"])


def test_phase_summary_chart_spec():
    spec = project_charts.phase_summary_chart(_summary()).to_dict()
    assert spec["description"]
    assert spec["facet"]["row"]["field"] == "themalijn_label"
    layers = _layers(spec)
    rect = next(layer for layer in layers if _mark(layer)["type"] == "rect")
    assert rect["encoding"]["x"]["sort"] == list(PHASES)
    assert rect["encoding"]["y"]["sort"] == ["01-01-2025", "nu (peildatum)", "verwacht 31-12-2025"]
    color = rect["encoding"]["color"]["condition"]
    assert color["scale"]["domain"] == list(PHASES)
    assert color["scale"]["range"] == [project_charts.PHASE_COLORS[p] for p in PHASES]
    values = _values(spec, rect)
    assert len(values) == 2 * 3 * 6  # zeros filled in for every phase
    cell = next(v for v in values if v["themalijn_label"] == "Bestaanszekerheid"
                and v["moment"] == "01-01-2025" and v["phase"] == "Realisatie")
    assert cell["count"] == 4 and cell["aantal_label"] == "4"
    _assert_tooltips_are_strings(spec)


def test_phase_summary_names_its_panels_with_quiet_text_not_facet_headers(tmp_path):
    """Vega-Lite's facet header is a Vega title that speaks English ("Title text '…'") and has no
    aria property: the themalijn is a text mark above its panel, the header draws no label."""
    from tests.chart_spec import render_svgs

    chart = project_charts.phase_summary_chart(_summary())
    spec = chart.to_dict()
    assert spec["facet"]["row"]["header"]["labels"] is False
    label = next(layer for layer in _layers(spec) if layer["encoding"].get("text", {}).get("field")
                 == "themalijn_label")
    assert "01-01-2025" in label["transform"][0]["filter"]  # one label per panel
    svg = render_svgs({"phases": charts.without_generated_aria(chart)}, tmp_path)["phases"]
    assert ">Bestaanszekerheid<" in svg and ">Ouderen<" in svg
    assert "Title text 'Bestaanszekerheid'" not in svg
    assert "Title text 'Ouderen'" not in svg


def test_phase_summary_without_projects_still_builds():
    """A search without results: an empty grid, not an error (the panel names need a first moment)."""
    spec = project_charts.phase_summary_chart(_summary().iloc[0:0]).to_dict()
    assert spec["facet"]["row"]["field"] == "themalijn_label"


def test_phase_summary_rejects_unknown_phase():
    frame = _summary()
    frame.loc[0, "phase"] = "Uitvoering"
    with pytest.raises(ValueError, match="Uitvoering"):
        project_charts.phase_summary_chart(frame)


# --- timeline ---------------------------------------------------------------------------

def _projects() -> pd.DataFrame:
    return pd.DataFrame({
        "project_id": ["kinderarmoede", "valpreventie", "bennie-oud"],
        "project_name": ["Kinderarmoede", "Valpreventie", "Bennie Oud"],
        "themalijn_label": ["Bestaanszekerheid", "Preventie & gezondheid", "Ouderen"],
        "phase_expected": ["Realisatie", "Realisatie", "Realisatie"],
        "plan_end": [date(2025, 12, 31)] * 3,
        "status": ["op schema", "achter", "op schema"],
    })


def _events() -> pd.DataFrame:
    rows = [
        ("kinderarmoede", "Kinderarmoede", "Definitie", date(2025, 1, 1), "Jaarplan 2025", None),
        ("kinderarmoede", "Kinderarmoede", "Ontwerp", date(2025, 5, 1), "anna", "Ontwerp klaar"),
        ("kinderarmoede", "Kinderarmoede", "Voorbereiding", date(2025, 9, 1), "anna", "later"),
        ("valpreventie", "Valpreventie", "Voorbereiding", date(2025, 1, 1), "Jaarplan 2025", None),
        ("bennie-oud", "Bennie Oud", "Realisatie", date(2025, 1, 1), "Jaarplan 2025", None),
    ]
    return pd.DataFrame(rows, columns=["project_id", "project_name", "phase", "effective_date",
                                       "recorded_by", "note"])


def test_timeline_chart_spec():
    chart = project_charts.timeline_chart(_events(), _projects(), PEILDATUM)
    spec = chart.to_dict()
    assert spec["description"] and "1 juli 2025" in spec["description"]
    layers = _layers(spec)

    bars = next(layer for layer in layers if _mark(layer)["type"] == "bar")
    assert bars["encoding"]["y"]["sort"] == ["Kinderarmoede", "Bennie Oud", "Valpreventie"]
    assert bars["encoding"]["color"]["scale"]["domain"] == list(PHASES)
    assert bars["encoding"]["color"]["legend"]["values"] == list(PHASES)
    assert bars["encoding"]["x"]["axis"]["labelExpr"] == charts.dutch_date_expr()
    segments = [(v["project_name"], v["phase"], v["start"][:10], v["end"][:10])
                for v in _values(spec, bars)]
    assert ("Kinderarmoede", "Definitie", "2025-01-01", "2025-05-01") in segments
    assert ("Kinderarmoede", "Ontwerp", "2025-05-01", "2025-07-01") in segments
    assert not any(phase == "Voorbereiding" and name == "Kinderarmoede"
                   for name, phase, _, _ in segments)  # after the peildatum
    assert _tooltip_fields(bars) == ["project_name", "themalijn_label", "phase", "van_label",
                                     "tot_label", "recorded_by", "note"]
    changes = next(layer for layer in layers if _mark(layer).get("shape") == "triangle-right")
    assert [(v["project_name"], v["phase"], v["start"][:10]) for v in _values(spec, changes)] == [
        ("Kinderarmoede", "Ontwerp", "2025-05-01")]  # a change, not the start phase

    markers = next(layer for layer in layers if _mark(layer).get("shape") == "diamond")
    assert markers["encoding"]["color"]["field"] == "phase"
    marker_values = _values(spec, markers)
    assert {v["date"][:10] for v in marker_values} == {"2025-12-31"}
    assert "Verwacht op 31-12-2025: Realisatie" in {v["verwacht_label"] for v in marker_values}
    assert "verwacht_label" in _tooltip_fields(markers)

    rule = next(layer for layer in layers if _mark(layer)["type"] == "rule")
    assert [v["date"][:10] for v in _values(spec, rule)] == ["2025-07-01"]
    text = next(layer for layer in layers if _mark(layer)["type"] == "text"
                and _mark(layer).get("color") == charts.REFERENCE_COLOR)
    assert [v["label"] for v in _values(spec, text)] == ["peildatum"]
    assert _values(spec, text)[0]["date"][:10] == "2025-07-01"
    _assert_tooltips_are_strings(spec)


def _timeline_with_change_on_peildatum() -> project_charts.alt.LayerChart:
    events = pd.concat([_events(), pd.DataFrame([("valpreventie", "Valpreventie", "Borging", PEILDATUM, "anna",
                                                  "klaar")], columns=_events().columns)], ignore_index=True)
    return project_charts.timeline_chart(events, _projects(), PEILDATUM)


def test_timeline_phases_read_without_colour():
    """WCAG 1.4.1: each bar and each diamond says its phase in text (its number, and its name where
    it fits), and the legend gives number and name; colour is not the only carrier."""
    spec = _timeline_with_change_on_peildatum().to_dict()
    layers = _layers(spec)
    bars = next(layer for layer in layers if _mark(layer)["type"] == "bar")
    assert bars["encoding"]["color"]["legend"]["labelExpr"] == project_charts.phase_legend_expr()
    assert "'3 Ontwerp'" in project_charts.phase_legend_expr().replace('"', "'")
    texts = [layer for layer in layers if _mark(layer)["type"] == "text"
             and "fase_label" in str(_mark(layer).get("text", ""))]
    assert len(texts) == 2  # on the bar, and beside a last phase too short for its number
    for layer in texts:
        rows = _values(spec, layer)
        assert {(r["phase"], r["fase_nummer"], r["fase_label"]) for r in rows} >= {
            ("Definitie", "2", "2 Definitie"), ("Ontwerp", "3", "3 Ontwerp"), ("Borging", "6", "6 Borging")}
    inside = _mark(texts[0])["text"]["expr"]
    assert "datum.fase_nummer" in inside and "scale('x'" in inside
    assert "datum.plan_end" in inside  # a bar's room ends before the diamond inside it
    assert {r["plan_end"][:10] for r in _values(spec, texts[0])} == {"2025-12-31"}
    # at 320 px the project names take less room, the legend one column
    assert "containerSize()" in bars["encoding"]["y"]["axis"]["labelLimit"]["expr"]
    assert "containerSize()" in bars["encoding"]["color"]["legend"]["columns"]["expr"]
    diamond_numbers = next(layer for layer in layers if _mark(layer)["type"] == "text"
                           and layer["encoding"].get("text", {}).get("field") == "fase_nummer")
    assert {r["fase_nummer"] for r in _values(spec, diamond_numbers)} == {"5"}  # Realisatie expected
    assert "nummer" in spec["title"]["subtitle"]


def test_timeline_phase_names_are_drawn(tmp_path):
    """Through Vega-Lite and Vega: the names stand in the drawing, the late Borging beside its bar."""
    from tests.chart_spec import render_svgs

    svg = render_svgs({"timeline": _timeline_with_change_on_peildatum()}, tmp_path)["timeline"]
    for text in ("2 Definitie", "5 Realisatie", "4 Voorbereiding", "6 Borging", "1 Initiatie"):
        assert f">{text}<" in svg, text


def test_timeline_domain_covers_year_end_and_peildatum():
    spec = project_charts.timeline_chart(_events(), _projects(), date(2026, 3, 1)).to_dict()
    bars = next(layer for layer in _layers(spec) if _mark(layer)["type"] == "bar")
    scale = bars["encoding"]["x"]["scale"]
    start, end = scale["domainMin"], scale["domainMax"]
    assert (start["year"], start["month"], start["date"]) == (2025, 1, 1)
    assert (end["year"], end["month"]) == (2026, 3)


# --- KPI --------------------------------------------------------------------------------

KPI = {"name": "Theatervoorstellingen georganiseerd", "unit": "aantal", "target_value": 20.0,
       "deadline": date(2025, 12, 31)}


def _realisations(sample: list[bool]) -> pd.DataFrame:
    return pd.DataFrame({"period": ["2025Q1", "2025Q2", "2025Q3", "2025Q4"][:len(sample)],
                         "value": [2.0, 6.0, 11.0, 17.0][:len(sample)],
                         "is_sample": sample})


def test_kpi_chart_spec():
    spec = project_charts.kpi_chart(_realisations([True, True, True, True]), KPI).to_dict()
    assert "voorbeelddata" in spec["description"].lower()
    layers = _layers(spec)

    target = next(layer for layer in layers
                  if _mark(layer)["type"] == "rule" and "y" in layer["encoding"])
    assert [v["target"] for v in _values(spec, target)] == [20.0]
    label = next(layer for layer in layers
                 if _mark(layer)["type"] == "text" and "y" in layer["encoding"]
                 and layer["encoding"]["y"].get("field") == "target")
    assert [v["label"] for v in _values(spec, label)] == ["doel: 20"]

    deadline = next(layer for layer in layers
                    if _mark(layer)["type"] == "rule" and "x" in layer["encoding"])
    assert [v["date"][:10] for v in _values(spec, deadline)] == ["2025-12-31"]

    line = next(layer for layer in layers if _mark(layer)["type"] == "line")
    y = line["encoding"]["y"]
    assert y["axis"]["labelExpr"] == charts.dutch_number_expr(0)
    assert y["scale"]["domain"] == [0, 25] and y["axis"]["values"] == [0, 5, 10, 15, 20, 25]
    assert line["encoding"]["x"]["axis"]["labelExpr"] == charts.dutch_date_expr()
    assert [v["date"][:10] for v in _values(spec, line)] == [
        "2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]

    points = next(layer for layer in layers if _mark(layer)["type"] == "point")
    fill = points["encoding"]["fill"]
    assert fill["scale"]["domain"] == ["gerealiseerd", "voorbeelddata"]
    assert fill["scale"]["range"][1] == "white"  # hollow
    assert {v["soort"] for v in _values(spec, points)} == {"voorbeelddata"}
    assert _tooltip_fields(points) == ["periode_label", "waarde_label", "soort"]
    _assert_tooltips_are_strings(spec)
    assert spec["title"]["subtitle"]


def test_kpi_chart_percent_and_real_values():
    kpi = {"name": "Bereik", "unit": "%", "target_value": 25.0, "deadline": date(2026, 12, 31)}
    frame = pd.DataFrame({"period": ["2025Q1", "2025Q2"], "value": [2.4, 4.8],
                          "is_sample": [False, False]})
    spec = project_charts.kpi_chart(frame, kpi).to_dict()
    layers = _layers(spec)
    line = next(layer for layer in layers if _mark(layer)["type"] == "line")
    assert line["encoding"]["y"]["axis"]["labelExpr"] == charts.dutch_number_expr(0)  # ticks 0, 5, … 30
    assert _mark(line)["strokeDash"] == [1, 0]  # solid: no voorbeelddata
    points = next(layer for layer in layers if _mark(layer)["type"] == "point")
    assert [v["waarde_label"] for v in _values(spec, points)] == ["2,4%", "4,8%"]
    label = next(layer for layer in layers if _mark(layer)["type"] == "text"
                 and layer["encoding"]["y"].get("field") == "target")
    assert _values(spec, label)[0]["label"] == "doel: 25,0%"
    assert "voorbeelddata" not in spec["description"].lower()


def test_kpi_chart_without_realisations():
    empty = pd.DataFrame({"period": pd.Series([], dtype=str), "value": pd.Series([], dtype=float),
                          "is_sample": pd.Series([], dtype=bool)})
    spec = project_charts.kpi_chart(empty, KPI).to_dict()
    assert "nog geen realisatie" in spec["description"]


# --- a change dated on the peildatum, a plan of another year ------------------------------

def test_a_change_dated_on_the_peildatum_is_visible():
    """A phase that starts on the peildatum has a bar of no width on the peildatum line: the change
    marker stands there, on top of it."""
    today = date(2025, 7, 1)
    events = pd.concat([_events(), pd.DataFrame([("valpreventie", "Valpreventie", "Borging", today, "anna", "klaar")],
                                                 columns=_events().columns)], ignore_index=True)
    spec = project_charts.timeline_chart(events, _projects(), today).to_dict()
    layers = _layers(spec)
    changes = next(layer for layer in layers if _mark(layer).get("shape") == "triangle-right")
    found = {(v["project_name"], v["phase"], v["start"][:10]) for v in _values(spec, changes)}
    assert ("Valpreventie", "Borging", "2025-07-01") in found
    assert _mark(changes)["size"] >= 150 and _mark(changes)["filled"]
    names = [layer.get("mark", {}).get("shape") or _mark(layer)["type"] for layer in layers]
    assert names.index("triangle-right") > names.index("bar")  # drawn over the bars
    assert "driehoek" in spec["title"]["subtitle"]


def test_a_new_start_phase_of_the_same_phase_is_no_change_marker():
    events = pd.concat([_events(), pd.DataFrame([("bennie-oud", "Bennie Oud", "Realisatie", date(2026, 1, 1),
                                                  "Jaarplan 2026", None)], columns=_events().columns)],
                       ignore_index=True)
    spec = project_charts.timeline_chart(events, _projects(), date(2026, 3, 1)).to_dict()
    changes = next(layer for layer in _layers(spec) if _mark(layer).get("shape") == "triangle-right")
    assert not any(v["project_name"] == "Bennie Oud" for v in _values(spec, changes))


def test_timeline_marks_each_project_at_its_own_plan_end():
    projects = _projects().assign(plan_end=[date(2026, 12, 31), date(2025, 12, 31), date(2025, 12, 31)])
    spec = project_charts.timeline_chart(_events(), projects, date(2026, 3, 1)).to_dict()
    markers = next(layer for layer in _layers(spec) if _mark(layer).get("shape") == "diamond")
    dates = {v["project_name"]: v["date"][:10] for v in _values(spec, markers)}
    assert dates == {"Kinderarmoede": "2026-12-31", "Valpreventie": "2025-12-31", "Bennie Oud": "2025-12-31"}
    assert "einde plan" in spec["title"]["subtitle"]


def _tick_labels(spec: dict) -> list[str]:
    from monitor.domain.text import format_number

    line = next(layer for layer in _layers(spec) if _mark(layer)["type"] == "line")
    axis = line["encoding"]["y"]["axis"]
    decimals = next(d for d in range(4) if axis["labelExpr"] == charts.dutch_number_expr(d))
    return [format_number(v, decimals) for v in axis["values"]]


@pytest.mark.parametrize(("unit", "target", "values"), [
    ("aantal", 1.0, [0.0, 0.0, 1.0]),      # not "0, 1, 1"
    ("aantal", 3.0, [0.0, 1.0, 2.0]),
    ("aantal", 7.0, [2.0, 3.0, 5.0, 7.0]),
    ("aantal", 5000.0, [1167.0, 2204.0]),
    ("%", 25.0, [12.0, 22.0]),
    ("%", 2.0, [0.4, 1.1]),
])
def test_kpi_axis_ticks_fit_the_unit(unit, target, values):
    kpi = {"name": "KPI", "unit": unit, "target_value": target, "deadline": date(2025, 12, 31)}
    frame = pd.DataFrame({"period": ["2025Q1", "2025Q2", "2025Q3", "2025Q4"][:len(values)], "value": values,
                          "is_sample": [False] * len(values)})
    labels = _tick_labels(project_charts.kpi_chart(frame, kpi).to_dict())
    assert len(labels) == len(set(labels)), labels  # never "0, 1, 1"
    assert 3 <= len(labels) <= 8
    if unit == "aantal":
        assert all("," not in label for label in labels), labels  # whole numbers for counts


def test_kpi_chart_periods_in_dutch():
    spec = project_charts.kpi_chart(_realisations([False, False]), KPI).to_dict()
    points = next(layer for layer in _layers(spec) if _mark(layer)["type"] == "point")
    assert [v["periode_label"] for v in _values(spec, points)] == ["1e kwartaal 2025", "2e kwartaal 2025"]

