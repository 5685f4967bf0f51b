"""Reading Vega-Lite specs in tests: the unit layers, their data rows, marks and tooltips."""

from __future__ import annotations


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
