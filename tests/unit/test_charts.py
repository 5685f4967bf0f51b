"""Chart helpers: the Dutch Vega expressions evaluate to Dutch notation. The project charts are in
test_project_charts.py, the indicator charts in test_charts_indicators.py."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from monitor.charts import common as charts

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
