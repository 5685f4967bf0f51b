"""The charts of a deck as sharp PNG images, rendered on the server (vl-convert, offline).

The chart column of a slide decides the image's width: 90 pixels per inch, so the chart's
type (``presentation.slide_chart``, 14 to 15 px) reads on the slide at about 11 pt; ``scale`` 2
makes the image sharp on a projector and in print.
"""

from __future__ import annotations

import altair as alt

from monitor.export.charts import chart_png
from monitor.export.slide_layout import layout
from monitor.views.presentatie import Deck, Slide

PIXELS_PER_INCH = 90


def slide_png(chart: alt.TopLevelMixin, width: int, scale: float = 2) -> bytes:
    """A slide chart as PNG, ``width`` pixels wide where the chart fills its container."""
    if getattr(chart, "width", alt.Undefined) == "container":
        chart = chart.properties(width=width)
    return chart_png(chart, scale=scale)


def slide_image(slide: Slide, scale: float = 2) -> bytes | None:
    """The slide's chart as PNG, sized for its place on the slide; None without a chart."""
    if slide.chart is None:
        return None
    return slide_png(slide.chart, int(layout(slide).chart.width * PIXELS_PER_INCH), scale)


def render_charts(deck: Deck, scale: float = 2) -> list[bytes | None]:
    """One PNG per slide (None for a slide without a chart), in slide order.

    Sequential on purpose: vl-convert holds the GIL, threads gained nothing (measured).
    """
    return [slide_image(slide, scale) for slide in deck.slides]
