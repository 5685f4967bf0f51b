"""Chart downloads: PNG and SVG rendered on the server with vl-convert (no browser, offline).

``vl_convert`` bundles Vega, Vega-Lite and fonts in the Python wheel; nothing is fetched.
An exported image travels without the page around it, so it must carry its own source,
peildatum and voorbeelddata mark: :func:`with_source_footer` adds those lines under the chart
(a bottom title of a wrapping chart); the page exports only charts so wrapped.

Charts on the page fill their container (``width="container"``); an image has no container,
so the export gives every such view a fixed width (:data:`EXPORT_WIDTH` pixels).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import vl_convert

from monitor.charts.common import without_generated_aria

EXPORT_WIDTH = 760
FOOTER_FONT_SIZE = 11
FOOTER_COLOR = "#333333"


def _vegalite_version() -> str:
    """The Vega-Lite version (major.minor) of the spec Altair writes, as vl-convert names it."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    wanted = f"{major}.{minor}"
    available = vl_convert.get_vegalite_versions()
    if wanted in available:
        return wanted
    same_major = [v for v in available if v.split(".")[0] == major]
    if not same_major:
        raise RuntimeError(f"vl-convert kent Vega-Lite {wanted} niet (wel: {', '.join(available)})")
    return max(same_major, key=lambda v: tuple(int(p) for p in v.split(".")))


def with_source_footer(chart: alt.TopLevelMixin, lines: Sequence[str]) -> alt.VConcatChart:
    """The chart with ``lines`` (source, peildatum, voorbeelddata mark) printed under it.

    The chart is wrapped in a one-chart ``vconcat`` whose title sits at the bottom, left
    aligned, one line per entry; that in turn is wrapped in one that carries the chart's own
    title (a concatenated view would otherwise draw its legend above its title). The chart's
    text alternative (``description``) is kept on the outside.
    """
    lines = [str(line) for line in lines if str(line).strip()]
    if not lines:
        raise ValueError("een export zonder bron- en peildatumregels is niet toegestaan")
    title = getattr(chart, "title", alt.Undefined)
    description = getattr(chart, "description", alt.Undefined)
    bare = chart.copy(deep=True)
    bare.title = alt.Undefined
    bare.description = alt.Undefined
    footer = alt.Title(lines, orient="bottom", anchor="start", fontSize=FOOTER_FONT_SIZE,
                       fontWeight="normal", color=FOOTER_COLOR, offset=14, lineHeight=15, limit=0)
    wrapped = alt.vconcat(bare).properties(title=footer)
    wrapped = alt.vconcat(wrapped)
    if title is not alt.Undefined:
        wrapped.title = title
    if description is not alt.Undefined:
        wrapped.description = description
    return wrapped


def _fixed_widths(node, width: int):
    """A copy of a spec in which every ``width: "container"`` is ``width`` pixels."""
    if isinstance(node, dict):
        return {key: (width if key == "width" and value == "container" else _fixed_widths(value, width))
                for key, value in node.items()}
    if isinstance(node, list):
        return [_fixed_widths(item, width) for item in node]
    return node


def export_spec(chart: alt.TopLevelMixin, width: int = EXPORT_WIDTH) -> dict:
    """The Vega-Lite spec that is rendered: the chart's, with fixed widths, without Vega's
    generated English aria labels (``charts.common.without_generated_aria``); an SVG keeps the
    chart's Dutch ``description``."""
    return _fixed_widths(without_generated_aria(chart).to_dict(), width)


def chart_png(chart: alt.TopLevelMixin, scale: float = 2) -> bytes:
    """The chart as a PNG image (``scale`` 2: sharp on screens and in print)."""
    return vl_convert.vegalite_to_png(export_spec(chart), vl_version=_vegalite_version(), scale=scale)


def chart_svg(chart: alt.TopLevelMixin) -> bytes:
    """The chart as an SVG image (UTF-8), text kept as text."""
    svg = vl_convert.vegalite_to_svg(export_spec(chart), vl_version=_vegalite_version())
    return svg.encode("utf-8")


__all__ = ["EXPORT_WIDTH", "chart_png", "chart_svg", "export_spec", "with_source_footer"]
