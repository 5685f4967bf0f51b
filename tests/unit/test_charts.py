"""Chart builders: the spec holds what matters (locale expressions, rules, markers, order)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pandas as pd
import pytest

from monitor import charts
from monitor.contract import PHASES
from tests.chart_spec import assert_tooltips_are_strings as _assert_tooltips_are_strings
from tests.chart_spec import layers as _layers
from tests.chart_spec import mark as _mark
from tests.chart_spec import tooltip_fields as _tooltip_fields
from tests.chart_spec import values as _values

PEILDATUM = date(2025, 7, 1)


# --- helpers ----------------------------------------------------------------------------











NODE = shutil.which("node")

_JS_SHIMS = """
const format = (v, spec) => {
  const m = /^,\\.(\\d+)f$/.exec(spec);
  if (!m) throw new Error('unsupported specifier ' + spec);
  const n = Number(m[1]);
  return v.toLocaleString('en-US', {minimumFractionDigits: n, maximumFractionDigits: n});
};
const replace = (s, pattern, replacement) => String(s).replace(pattern, replacement);
const regexp = (pattern, flags) => new RegExp(pattern, flags);
const date = (d) => new Date(d).getDate();
const month = (d) => new Date(d).getMonth();
const year = (d) => new Date(d).getFullYear();
"""


def _evaluate(expression: str, value_js: str) -> str:
    """Evaluate a Vega expression in Node with the few Vega functions it uses (as documented)."""
    if NODE is None:
        pytest.skip("node ontbreekt: de Vega-expressie kan niet worden uitgerekend")
    program = (_JS_SHIMS + f"const datum = {{value: {value_js}}};\n"
               f"process.stdout.write(JSON.stringify({expression}));\n")
    result = subprocess.run([NODE, "-e", program], capture_output=True, text=True, timeout=30,
                            env={"TZ": "Europe/Amsterdam", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- Dutch expressions ------------------------------------------------------------------

@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1234.5, 1, "1.234,5"),
    (1234567, 0, "1.234.567"),
    (0.5, 2, "0,50"),
    (20, 0, "20"),
    (-1234.25, 2, "-1.234,25"),
])
def test_dutch_number_expr_evaluates_to_dutch_notation(value, decimals, expected):
    assert _evaluate(charts.dutch_number_expr(decimals), repr(value)) == expected


def test_dutch_number_expr_uses_vega_functions_only():
    expr = charts.dutch_number_expr(1)
    assert "format(datum.value, ',.1f')" in expr
    assert "regexp(',', 'g')" in expr
    assert expr.count("replace(") == 3


@pytest.mark.parametrize(("js_date", "expected"), [
    ("new Date(2025, 0, 1).getTime()", "1 jan 2025"),
    ("new Date(2025, 2, 31).getTime()", "31 mrt 2025"),
    ("new Date(2025, 9, 15).getTime()", "15 okt 2025"),
    ("new Date(2026, 11, 31).getTime()", "31 dec 2026"),
])
def test_dutch_date_expr_evaluates_to_dutch_dates(js_date, expected):
    assert _evaluate(charts.dutch_date_expr(), js_date) == expected


def test_palettes():
    assert list(charts.PHASE_COLORS) == list(PHASES)
    assert len(set(charts.PHASE_COLORS.values())) == 6
    assert list(charts.STATUS_COLORS) == ["achter", "op schema", "voor", "afgerond"]


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
    spec = charts.phase_summary_chart(_summary()).to_dict()
    assert spec["description"]
    assert spec["facet"]["row"]["field"] == "themalijn_label"
    layers = _layers(spec)
    rect = next(layer for layer in layers if _mark(layer)["type"] == "rect")
    assert rect["encoding"]["x"]["sort"] == list(PHASES)
    assert rect["encoding"]["y"]["sort"] == ["01-01-2025", "nu (peildatum)", "verwacht 31-12-2025"]
    color = rect["encoding"]["color"]["condition"]
    assert color["scale"]["domain"] == list(PHASES)
    assert color["scale"]["range"] == [charts.PHASE_COLORS[p] for p in PHASES]
    values = _values(spec, rect)
    assert len(values) == 2 * 3 * 6  # zeros filled in for every phase
    cell = next(v for v in values if v["themalijn_label"] == "Bestaanszekerheid"
                and v["moment"] == "01-01-2025" and v["phase"] == "Realisatie")
    assert cell["count"] == 4 and cell["aantal_label"] == "4"
    _assert_tooltips_are_strings(spec)


def test_phase_summary_rejects_unknown_phase():
    frame = _summary()
    frame.loc[0, "phase"] = "Uitvoering"
    with pytest.raises(ValueError, match="Uitvoering"):
        charts.phase_summary_chart(frame)


# --- timeline ---------------------------------------------------------------------------

def _projects() -> pd.DataFrame:
    return pd.DataFrame({
        "project_id": ["kinderarmoede", "valpreventie", "bennie-oud"],
        "project_name": ["Kinderarmoede", "Valpreventie", "Bennie Oud"],
        "themalijn_label": ["Bestaanszekerheid", "Preventie & gezondheid", "Ouderen"],
        "phase_expected": ["Realisatie", "Realisatie", "Realisatie"],
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
    chart = charts.timeline_chart(_events(), _projects(), PEILDATUM)
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

    markers = next(layer for layer in layers if _mark(layer).get("shape") == "diamond")
    assert markers["encoding"]["color"]["field"] == "phase"
    marker_values = _values(spec, markers)
    assert {v["date"][:10] for v in marker_values} == {"2025-12-31"}
    assert "Verwacht op 31-12-2025: Realisatie" in {v["verwacht_label"] for v in marker_values}
    assert "verwacht_label" in _tooltip_fields(markers)

    rule = next(layer for layer in layers if _mark(layer)["type"] == "rule")
    assert [v["date"][:10] for v in _values(spec, rule)] == ["2025-07-01"]
    text = next(layer for layer in layers if _mark(layer)["type"] == "text")
    assert [v["label"] for v in _values(spec, text)] == ["peildatum"]
    assert _values(spec, text)[0]["date"][:10] == "2025-07-01"
    _assert_tooltips_are_strings(spec)


def test_timeline_domain_covers_year_end_and_peildatum():
    spec = charts.timeline_chart(_events(), _projects(), date(2026, 3, 1)).to_dict()
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
    spec = charts.kpi_chart(_realisations([True, True, True, True]), KPI).to_dict()
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
    assert y["scale"]["domain"][0] == 0
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
    spec = charts.kpi_chart(frame, kpi).to_dict()
    layers = _layers(spec)
    line = next(layer for layer in layers if _mark(layer)["type"] == "line")
    assert line["encoding"]["y"]["axis"]["labelExpr"] == charts.dutch_number_expr(1)
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
    spec = charts.kpi_chart(empty, KPI).to_dict()
    assert "nog geen realisatie" in spec["description"]
