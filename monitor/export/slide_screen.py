"""A slide's chart as an image for the screen: large type, sized to its place on the slide.

On a projector the slide is shown as an image that scales with the screen, exactly as a slide
in PowerPoint does: the chart is rendered (vl-convert, offline) in a design box of
:data:`BOXES` pixels with every font at least :data:`MIN_FONT` pixels, and the page shows the
image at the width of its column. A chart beside the text fills about 57% of a 1920 pixels wide
screen (≈ 1080 px for a design width of 1000), so its type reads at ≥ 20 px, readable from the
back of a room; at 1280×720 it is the same share of the screen.

The phase heatmap is sized to the box (its cells grow with the slide) instead of keeping its
small fixed cells. Pure: no Streamlit.
"""

from __future__ import annotations

import copy

import vl_convert

from monitor.export.charts import _vegalite_version, export_spec
from monitor.views.presentatie import Slide

# Design boxes (width, height in pixels): a chart beside the slide's text, or across the slide.
BOXES = {"beside": (1000, 600), "full": (1640, 560),
         # below a row of key figures: less height for the chart
         "beside-low": (1000, 420), "full-low": (1640, 400)}
MIN_FONT = 20
FONT_SCALE = 1.45  # the slide charts' own sizes (13–20 px) grow by this, to at least MIN_FONT
SCALE = 1.5  # pixels per design pixel: sharp when a 1920 screen shows it a little larger
_FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")
_LIMIT_KEYS = ("labelLimit", "limit")
PHASE_COLUMNS = 6


def place(slide: Slide) -> str:
    """Where the chart stands on the screen: 'beside' the text, or 'full' width; '-low' under a
    row of key figures."""
    where = "beside" if (slide.bullets or slide.heading) else "full"
    return where + ("-low" if slide.figures else "")


def _grow_fonts(node, scale: float = FONT_SCALE, minimum: int = MIN_FONT):
    """A copy of a Vega-Lite spec with every font size ``scale`` times larger, at least
    ``minimum``, and label widths grown alike (so longer type is not cut off earlier)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in _FONT_KEYS and isinstance(value, (int, float)):
                out[key] = max(round(value * scale), minimum)
            elif key in _LIMIT_KEYS and isinstance(value, (int, float)) and value > 0:
                out[key] = round(value * scale)
            else:
                out[key] = _grow_fonts(value, scale, minimum)
        return out
    if isinstance(node, list):
        return [_grow_fonts(item, scale, minimum) for item in node]
    return node


def font_sizes(node) -> list[float]:
    """Every font size in a Vega-Lite spec (config, marks, axes, legends, titles)."""
    if isinstance(node, dict):
        return [size for key, value in node.items()
                for size in ([value] if key in _FONT_KEYS and isinstance(value, (int, float)) else font_sizes(value))]
    if isinstance(node, list):
        return [size for item in node for size in font_sizes(item)]
    return []


def _datasets_rows(spec: dict) -> list[dict]:
    rows: list[dict] = []
    for values in spec.get("datasets", {}).values():
        rows.extend(values)
    return rows


def _size_facet(spec: dict, width: int, height: int) -> None:
    """The phase heatmap (a row facet of moment × phase cells): cells that fill the box."""
    rows = _datasets_rows(spec)
    facets = len({r.get("themalijn_label") for r in rows}) or 1
    moments = len({r.get("moment") for r in rows}) or 1
    label_width = 300  # the moments ('verwacht 31-12-2025') at 20+ px
    header = 130 + 50 * facets  # title, phase names on top, a header per facet
    cell_width = max(80, (width - label_width) // PHASE_COLUMNS)
    cell_height = max(30, min(110, (height - header) // (facets * moments)))
    inner = spec["spec"]
    inner["width"] = {"step": cell_width}
    inner["height"] = {"step": cell_height}


def _size_view(spec: dict, width: int, height: int) -> None:
    """A single or layered view: the box's width, and its height (or its bars' step)."""
    spec["width"] = width
    current = spec.get("height")
    if isinstance(current, dict) and "step" in current:
        bars = len({r.get("region_name") for r in _datasets_rows(spec)}) or 1
        spec["height"] = {"step": max(24, min(48, (height - 120) // bars))}
    else:
        spec["height"] = height - 130  # title, legend and axis labels take the rest


def screen_spec(slide: Slide) -> dict:
    """The Vega-Lite spec of the slide's chart as the screen shows it (see the module text)."""
    if slide.chart is None:
        raise ValueError("deze dia heeft geen grafiek")
    width, height = BOXES[place(slide)]
    spec = copy.deepcopy(export_spec(slide.chart, width=width))
    if "facet" in spec:
        _size_facet(spec, width, height)
    else:
        _size_view(spec, width, height)
    return _grow_fonts(spec)


def screen_png(slide: Slide) -> bytes | None:
    """The chart of a slide as a PNG for the screen; None for a slide without a chart."""
    if slide.chart is None:
        return None
    return vl_convert.vegalite_to_png(screen_spec(slide), vl_version=_vegalite_version(), scale=SCALE)
