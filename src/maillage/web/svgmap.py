"""Inline SVG maps of commune outlines, drawn server-side from GeoJSON.

No tiles, no JavaScript: the picture works offline, prints, and carries a
text alternative. Coordinates use a local equirectangular projection
(longitude scaled by cos(latitude)), fine at the scale of an EPCI.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 400.0


@dataclass(frozen=True)
class Shape:
    geojson: str
    css_class: str
    title: str


def _rings(geometry: dict) -> Iterable[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        yield from geometry["coordinates"]
    elif geometry.get("type") == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def render(shapes: list[Shape]) -> dict[str, object] | None:
    """viewBox and path data for a template, or None without geometry."""
    parsed = [(s, list(_rings(json.loads(s.geojson)))) for s in shapes if s.geojson]
    points = [pt for _, rings in parsed for ring in rings for pt in ring]
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * kx, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = WIDTH / max(span_x, span_y)
    height = span_y * scale

    def xy(p: list[float]) -> str:
        return f"{(p[0] - min(lons)) * kx * scale:.1f},{(max(lats) - p[1]) * scale:.1f}"

    paths = []
    for shape, rings in parsed:
        d = " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for ring in rings)
        paths.append({"d": d, "css_class": shape.css_class, "title": shape.title})
    return {"width": round(WIDTH), "height": round(height), "paths": paths}
