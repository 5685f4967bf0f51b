"""Polygon geometry for maps: ring orientation as d3-geo wants it and where a name fits inside.

Pure functions over GeoJSON geometry dicts (lon/lat), used by :mod:`monitor.charts.maps`.
"""

from __future__ import annotations

import math

import numpy as np


def ring_area(ring: list) -> float:
    """Signed area with x = longitude, y = latitude (positive: counter-clockwise)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:])) / 2


def rewind(geometry: dict) -> dict:
    """Rings in d3-geo's order: outer rings clockwise, holes counter-clockwise.

    GeoJSON (RFC 7946) asks for the opposite; d3-geo (under Vega) would then fill the whole
    globe except the gemeente, and the fitted projection would show the world.
    """
    def polygon(rings: list) -> list:
        fixed = []
        for i, ring in enumerate(rings):
            clockwise = ring_area(ring) < 0
            want_clockwise = i == 0
            fixed.append(ring if clockwise == want_clockwise else ring[::-1])
        return fixed

    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": polygon(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [polygon(p) for p in geometry["coordinates"]]}
    raise ValueError(f"Onbekend geometrietype: {kind!r}")


def points_inside(x: np.ndarray, y: np.ndarray, ring: list) -> np.ndarray:
    """Ray casting, vectorised: which of the points (x, y) lie inside the ring?"""
    inside = np.zeros(x.shape, dtype=bool)
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]):
        if y0 == y1:
            continue
        crosses = ((y0 > y) != (y1 > y)) & (x < x0 + (y - y0) * (x1 - x0) / (y1 - y0))
        inside ^= crosses
    return inside


def label_point(geometry: dict, steps: int = 30, aspect: float = 3.0) -> tuple[float, float]:
    """Where a gemeente's name goes: a point well inside its largest polygon (lon, lat).

    A grid search for the point farthest from the boundary (a "pole of inaccessibility");
    horizontal distances count ``aspect`` times less, because a name is wider than tall.
    Longitude is scaled by cos(latitude). A centroid can lie near an edge or outside a
    concave gemeente, and the name would leave the shape.
    """
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" \
        else [geometry["coordinates"]]
    rings = max(polygons, key=lambda p: abs(ring_area(p[0])))
    outer = np.asarray([pt[:2] for pt in rings[0]], dtype=float)
    scale = math.cos(math.radians(float(outer[:, 1].mean()))) / aspect
    gx, gy = np.meshgrid(np.linspace(outer[:, 0].min(), outer[:, 0].max(), steps + 2)[1:-1],
                         np.linspace(outer[:, 1].min(), outer[:, 1].max(), steps + 2)[1:-1])
    x, y = gx.ravel(), gy.ravel()
    keep = points_inside(x, y, rings[0])
    for hole in rings[1:]:
        keep &= ~points_inside(x, y, hole)
    if not keep.any():
        return float(outer[:, 0].mean()), float(outer[:, 1].mean())
    x, y = x[keep], y[keep]
    px, py = x[:, None] * scale, y[:, None]
    distance = np.full(x.shape, np.inf)
    for ring in rings:
        pts = np.asarray([pt[:2] for pt in ring], dtype=float)
        ax, ay = pts[:-1, 0] * scale, pts[:-1, 1]
        dx, dy = pts[1:, 0] * scale - ax, pts[1:, 1] - ay
        length = np.where(dx * dx + dy * dy == 0, 1.0, dx * dx + dy * dy)
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / length, 0.0, 1.0)
        d = np.hypot(px - ax - t * dx, py - ay - t * dy).min(axis=1)
        distance = np.minimum(distance, d)
    best = int(distance.argmax())
    return float(x[best]), float(y[best])
