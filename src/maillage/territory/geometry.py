"""Commune geometry: representative point, area and a simplified outline.

shapely + numpy only (no GeoDjango, no PostGIS): `pip install` suffices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

EARTH_RADIUS_M = 6_371_008.8
# ~250 m: outlines stay recognisable at département scale while a commune
# weighs a few hundred bytes of GeoJSON.
SIMPLIFY_TOLERANCE_DEG = 0.003
COORD_GRID_DEG = 0.0001  # ~10 m: more decimals only add bytes
# A town-hall point farther than this from the commune outline is a geocoding
# error in the source; we fall back to the polygon's representative point.
TOWN_HALL_MAX_OFFSET_DEG = 0.02


@dataclass
class CommuneShapes:
    latitude: np.ndarray  # NaN where unknown
    longitude: np.ndarray
    from_town_hall: np.ndarray  # bool
    area_km2: np.ndarray  # NaN where unknown
    geojson: list[str]  # "" where unknown


def _sinusoidal(coords: np.ndarray) -> np.ndarray:
    """Sinusoidal projection: equal-area everywhere, so planar area is exact."""
    lon = np.radians(coords[:, 0])
    lat = np.radians(coords[:, 1])
    return np.column_stack((EARTH_RADIUS_M * lon * np.cos(lat), EARTH_RADIUS_M * lat))


def _simplify_group(geoms: np.ndarray) -> np.ndarray:
    """Simplify a set of neighbouring communes keeping shared borders shared."""
    present = ~shapely.is_missing(geoms)
    out = np.full(len(geoms), None, dtype=object)
    if not present.any():
        return out
    try:
        out[present] = shapely.coverage_simplify(geoms[present], SIMPLIFY_TOLERANCE_DEG)
    except shapely.errors.GEOSException:
        # Not a clean coverage (overlaps in the source): simplify one by one.
        out[present] = shapely.simplify(
            geoms[present], SIMPLIFY_TOLERANCE_DEG, preserve_topology=True
        )
    return out


def compute_shapes(
    geometry_wkb: list[str | None],
    child_wkb: list[list[str]],
    town_hall_wkb: list[str | None],
    groups: list[str],
) -> CommuneShapes:
    """Vectorised shapes of all communes; `groups` (département codes) are the
    units within which borders are simplified together."""
    geoms = shapely.from_wkb(np.array(geometry_wkb, dtype=object))
    # A few communes nouvelles have no outline of their own: use the union of
    # their former communes'.
    for i in np.flatnonzero(shapely.is_missing(geoms)):
        if child_wkb[i]:
            geoms[i] = shapely.union_all(shapely.from_wkb(child_wkb[i]))
    geoms = shapely.make_valid(geoms)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    geoms[missing] = None

    area = np.full(len(geoms), np.nan)
    ok = ~missing
    area[ok] = shapely.area(shapely.transform(geoms[ok], _sinusoidal)) / 1e6

    rep = shapely.point_on_surface(geoms)
    hall = shapely.from_wkb(np.array(town_hall_wkb, dtype=object))
    hall_ok = ~shapely.is_missing(hall)
    near = np.ones(len(geoms), dtype=bool)
    near[ok & hall_ok] = (
        shapely.distance(hall[ok & hall_ok], geoms[ok & hall_ok]) <= TOWN_HALL_MAX_OFFSET_DEG
    )
    use_hall = hall_ok & near
    point = np.where(use_hall, hall, rep)
    lon = np.where(shapely.is_missing(point), np.nan, shapely.get_x(point))
    lat = np.where(shapely.is_missing(point), np.nan, shapely.get_y(point))

    simplified = np.full(len(geoms), None, dtype=object)
    group_arr = np.array(groups)
    for g in np.unique(group_arr):
        idx = np.flatnonzero(group_arr == g)
        simplified[idx] = _simplify_group(geoms[idx])
    simplified = shapely.set_precision(simplified, COORD_GRID_DEG)
    geojson = [s or "" for s in shapely.to_geojson(simplified)]
    return CommuneShapes(lat, lon, use_hall, area, geojson)
