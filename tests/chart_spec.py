"""Reading Vega-Lite specs in tests: the unit layers, their data rows, marks and tooltips."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest


def layers(spec: dict) -> list[dict]:
    """All unit specs of a layered or faceted spec, each with its data resolved (inherited or own)."""
    found: list[dict] = []

    def walk(node: dict, data: dict | None) -> None:
        data = node.get("data", data)
        if "spec" in node:
            walk(node["spec"], data)
        elif "layer" in node:
            for child in node["layer"]:
                walk(child, data)
        else:
            found.append({**node, "data": data})

    walk(spec, None)
    return found


def values(spec: dict, layer: dict) -> list[dict]:
    data = layer["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def mark(layer: dict) -> dict:
    kind = layer["mark"]
    return kind if isinstance(kind, dict) else {"type": kind}


def tooltip_fields(layer: dict) -> list[str]:
    tooltip = layer["encoding"].get("tooltip", [])
    return [t["field"] for t in (tooltip if isinstance(tooltip, list) else [tooltip])]


def assert_tooltips_are_strings(spec: dict) -> None:
    """Tooltips show preformatted Dutch strings, never raw floats."""
    for layer in layers(spec):
        fields = tooltip_fields(layer)
        for row in values(spec, layer):
            for field in fields:
                assert isinstance(row[field], str), (field, row[field])


# --- compiled and rendered by the Vega-Lite that Streamlit ships ----------------------------

_COMPILE_JS = r"""
import fs from 'fs';
import {pathToFileURL} from 'url';
let lib = null;
for (const file of fs.readdirSync(process.argv[2]).filter(f => /^embed\..*\.js$/.test(f))) {
  const module = await import(pathToFileURL(process.argv[2] + '/' + file).href);
  for (const value of Object.values(module)) {
    if (value && value.vegaLite && value.vega) lib = value;
  }
}
if (!lib) { console.log(JSON.stringify({missing: true})); process.exit(0); }
const specs = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const results = [];
for (const spec of specs) {
  if (spec.width === 'container') spec.width = 640;
  try {
    const compiled = lib.vegaLite.compile(spec).spec;
    const view = new lib.vega.View(lib.vega.parse(compiled), {renderer: 'none'});
    await view.runAsync();
    results.push({svg: await view.toSVG()});
  } catch (error) {
    results.push({error: String(error)});
  }
}
console.log(JSON.stringify(results));
"""


def render_svgs(charts_by_name: dict, tmp_path: Path) -> dict[str, str]:
    """Each chart through Vega-Lite → Vega → SVG with the bundle Streamlit serves, in Node.

    Skips (with a reason) where node or the bundle is missing; fails on any compile error.
    """
    node = shutil.which("node")
    if node is None:
        pytest.skip("node ontbreekt: de specs kunnen niet met Vega-Lite worden gecompileerd")
    import streamlit

    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    if not list(bundle.glob("embed.*.js")):
        pytest.skip("Streamlit's Vega-bundel niet gevonden")
    specs = tmp_path / "specs.json"
    specs.write_text(json.dumps([c.to_dict() for c in charts_by_name.values()]), encoding="utf-8")
    script = tmp_path / "compile.mjs"
    script.write_text(_COMPILE_JS, encoding="utf-8")
    result = subprocess.run([node, "--experimental-detect-module", str(script), str(bundle),
                             str(specs)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout.strip().splitlines()[-1])
    if isinstance(output, dict) and output.get("missing"):
        pytest.skip("Vega-Lite niet gevonden in Streamlit's bundel")
    svgs = {}
    for name, item in zip(charts_by_name, output):
        assert "error" not in item, (name, item.get("error"))
        svgs[name] = item["svg"]
    return svgs
