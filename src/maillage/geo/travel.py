"""Car travel-time estimate from great-circle distance and density levels.

The model (see ``docs/adr/004-modele-temps-de-trajet.md``)::

    D = d × circuity                       (road km)
    e = min(D / 2, local_km)               (km driven "locally" at each end)
    minutes = 60 × (e / v_origin + e / v_destination + (D − 2e) / v_road)

where ``d`` is the great-circle distance in km, ``circuity`` the ratio of road
distance to great-circle distance, ``v_origin`` and ``v_destination`` the
average local speeds in km/h for the INSEE density level (grille communale de
densité, 1 = grands centres urbains … 7 = rural à habitat très dispersé) of
each end, and ``v_road`` the speed on the roads between communes.
Pairs known better, e.g. from a routing engine, are overridden with
:class:`maillage.geo.overrides.TravelTimeTable`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

from .distance import EARTH_RADIUS_KM, FloatArray, _half_angle_chunks, _points

__all__ = [
    "DEFAULT_LOCAL_KM",
    "DEFAULT_ROAD_SPEED_KMH",
    "DEFAULT_SPEED_KMH",
    "DENSITY_LEVELS",
    "TravelModel",
]

DENSITY_LEVELS: Final[tuple[int, ...]] = (1, 2, 3, 4, 5, 6, 7)
"""INSEE density levels, 1 = grands centres urbains … 7 = rural très dispersé."""

DEFAULT_SPEED_KMH: Final[Mapping[int, float]] = MappingProxyType(
    {1: 20.0, 2: 30.0, 3: 40.0, 4: 45.0, 5: 55.0, 6: 60.0, 7: 60.0}
)
"""Average local car speed (km/h) near a trip's end, by density level."""

DEFAULT_ROAD_SPEED_KMH: Final[float] = 75.0
"""Average speed between communes: departmental and national roads mixed."""

DEFAULT_LOCAL_KM: Final[float] = 5.0
"""Road km at each end of a trip driven at the local speed."""


def _default_speeds() -> Mapping[int, float]:
    return DEFAULT_SPEED_KMH


def _density_classes(classes: npt.ArrayLike, what: str) -> npt.NDArray[np.intp]:
    """Validated 1-D integer array of density levels 1..7."""
    arr = np.asarray(classes)
    if arr.ndim != 1:
        raise ValueError(f"{what}: density levels must be a 1-D array, got shape {arr.shape}")
    if arr.dtype.kind == "f" and np.isfinite(arr).all() and (arr == np.round(arr)).all():
        # Integral floats are what a nullable integer column becomes in many
        # data tools; accepting them avoids a pointless cast at every call site.
        arr = arr.astype(np.intp)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"{what}: density levels must be integers 1..7, got dtype {arr.dtype}")
    bad = np.unique(arr[(arr < 1) | (arr > 7)])
    if bad.size:
        shown = ", ".join(str(v) for v in bad[:5].tolist())
        raise ValueError(f"{what}: unknown INSEE density level(s) {shown}; expected 1..7")
    return arr.astype(np.intp, copy=False)


@dataclass(frozen=True)
class TravelModel:
    """Car travel-time model: great-circle distance, circuity and speed by density level.

    Parameters
    ----------
    circuity : float, default 1.3
        Road distance divided by great-circle distance; must be ≥ 1.
    speed_kmh : Mapping[int, float], optional
        Average local speed in km/h (> 0) near a trip's end for each INSEE
        density level 1..7; all seven levels are required. Defaults to
        :data:`DEFAULT_SPEED_KMH`. Stored as a read-only copy.
    road_speed_kmh : float, default 75
        Average speed (> 0) on the roads between communes.
    local_km : float, default 5
        Road km (≥ 0) at each end of a trip driven at the local speed.

    Raises
    ------
    ValueError
        If the circuity is below 1 or not finite, a speed is not a finite
        positive number, or a density level is missing or unknown.

    Notes
    -----
    The first and last ``local_km`` of road (or half the trip, if shorter)
    are driven at each end's local speed, the rest at ``road_speed_kmh``::

        D = d × circuity;  e = min(D/2, local_km)
        minutes = 60 × (e/v_o + e/v_d + (D − 2e)/v_road)

    This is symmetric (A → B takes as long as B → A), makes short trips as
    slow as their surroundings, and does not make a 40 km trip into a small
    town as slow as city driving: only its last kilometres are.

    Examples
    --------
    A 10 km great-circle trip (13 km of road) from a rural commune (level 7,
    60 km/h) to a grand centre urbain (level 1, 20 km/h): 5 km at each
    local speed and 3 km at 75 km/h:

    >>> model = TravelModel()
    >>> minutes = model.minutes_for_distance(10.0, 7, 1)
    >>> print(f"{float(minutes):.2f}")
    22.40
    >>> TravelModel(circuity=0.8)
    Traceback (most recent call last):
    ...
    ValueError: circuity must be a finite number >= 1 (road / great-circle distance), got 0.8
    """

    circuity: float = 1.3
    speed_kmh: Mapping[int, float] = field(default_factory=_default_speeds)
    road_speed_kmh: float = DEFAULT_ROAD_SPEED_KMH
    local_km: float = DEFAULT_LOCAL_KM

    def __post_init__(self) -> None:
        circuity = float(self.circuity)
        if not (math.isfinite(circuity) and circuity >= 1.0):
            raise ValueError(
                "circuity must be a finite number >= 1 (road / great-circle distance), "
                f"got {self.circuity!r}"
            )
        speeds = dict(self.speed_kmh)
        unknown = [k for k in speeds if isinstance(k, bool) or k not in DENSITY_LEVELS]
        if unknown:
            raise ValueError(
                f"speed_kmh has unknown density level(s) {', '.join(map(repr, unknown))}; "
                "expected the integers 1..7"
            )
        missing = [level for level in DENSITY_LEVELS if level not in speeds]
        if missing:
            raise ValueError(
                f"speed_kmh is missing density level(s) {', '.join(map(str, missing))}; "
                "a speed is required for each of 1..7"
            )
        checked: dict[int, float] = {}
        for level in DENSITY_LEVELS:
            speed = float(speeds[level])
            if not (math.isfinite(speed) and speed > 0.0):
                raise ValueError(
                    f"speed_kmh[{level}] must be a finite speed > 0 km/h, got {speeds[level]!r}"
                )
            checked[level] = speed
        road = float(self.road_speed_kmh)
        if not (math.isfinite(road) and road > 0.0):
            raise ValueError(f"road_speed_kmh must be a finite speed > 0, got {road!r}")
        local = float(self.local_km)
        if not (math.isfinite(local) and local >= 0.0):
            raise ValueError(f"local_km must be a finite distance >= 0, got {local!r}")
        object.__setattr__(self, "road_speed_kmh", road)
        object.__setattr__(self, "local_km", local)
        # The dataclass is frozen: bypass it once to store normalised values,
        # and a read-only copy so that the caller's dict cannot change it later.
        object.__setattr__(self, "circuity", circuity)
        object.__setattr__(self, "speed_kmh", MappingProxyType(checked))

    def __hash__(self) -> int:
        # The generated hash would fail on the mapping proxy (unhashable).
        return hash(
            (self.circuity, tuple(self.speed_kmh.items()), self.road_speed_kmh, self.local_km)
        )

    def _extra_local_minutes(self, classes: npt.NDArray[np.intp]) -> FloatArray:
        """Minutes per local km beyond what the same km takes at road speed."""
        by_level = np.zeros(len(DENSITY_LEVELS) + 1, dtype=np.float64)
        for level, speed in self.speed_kmh.items():
            by_level[level] = 60.0 / speed - 60.0 / self.road_speed_kmh
        return by_level[classes]

    def _minutes_from_road_km(self, road_km: FloatArray, extra: FloatArray) -> FloatArray:
        """60·D/v_road + e·(extra_o + extra_d), with e = min(D/2, local_km)."""
        local = np.minimum(road_km * 0.5, self.local_km)
        return np.asarray(road_km * (60.0 / self.road_speed_kmh) + local * extra)

    def minutes_for_distance(
        self, distance_km: npt.ArrayLike, orig_class: npt.ArrayLike, dest_class: npt.ArrayLike
    ) -> FloatArray:
        """Travel minutes for great-circle distances, elementwise with broadcasting.

        Parameters
        ----------
        distance_km : array_like
            Great-circle distances in km (≥ 0).
        orig_class, dest_class : array_like of int
            INSEE density levels (1..7) of the origins and destinations.

        Returns
        -------
        numpy.ndarray
            float64 minutes, with the broadcast shape of the inputs.

        Raises
        ------
        ValueError
            If a density level is not an integer in 1..7 or a distance is
            negative or not finite.

        Examples
        --------
        10 km with circuity 1.3 is 13 km of road: 2 × 5 km at 40 km/h (level 3)
        and 3 km at 75 km/h, 17.4 min:

        >>> TravelModel().minutes_for_distance([10.0, 0.0], 3, 3).round(2)
        array([17.4,  0. ])
        """
        dist = np.asarray(distance_km, dtype=np.float64)
        if not (np.isfinite(dist).all() and (dist >= 0).all()):
            raise ValueError("distance_km must be finite and >= 0")
        orig = np.asarray(orig_class)
        dest = np.asarray(dest_class)
        extra_o = self._extra_local_minutes(_density_classes(orig.ravel(), "orig_class"))
        extra_d = self._extra_local_minutes(_density_classes(dest.ravel(), "dest_class"))
        extra = extra_o.reshape(orig.shape) + extra_d.reshape(dest.shape)
        return np.asarray(self._minutes_from_road_km(dist * self.circuity, extra), dtype=np.float64)

    def matrix_minutes(
        self,
        orig_lat: npt.ArrayLike,
        orig_lon: npt.ArrayLike,
        orig_class: npt.ArrayLike,
        dest_lat: npt.ArrayLike,
        dest_lon: npt.ArrayLike,
        dest_class: npt.ArrayLike,
        *,
        dtype: type[np.float64] | type[np.float32] = np.float64,
    ) -> npt.NDArray[np.float64 | np.float32]:
        """Estimated travel minutes from every origin to every destination.

        Parameters
        ----------
        orig_lat, orig_lon : array_like
            1-D coordinates of the ``n_orig`` origins, in decimal degrees.
        orig_class : array_like of int
            1-D INSEE density levels (1..7) of the origins.
        dest_lat, dest_lon : array_like
            1-D coordinates of the ``n_dest`` destinations, in decimal degrees.
        dest_class : array_like of int
            1-D INSEE density levels (1..7) of the destinations.
        dtype : {numpy.float64, numpy.float32}, optional
            dtype of the result, float64 by default. Computation is always in
            float64; float32 halves the memory (140 MB instead of 280 MB for
            35,000 × 1,000) and rounds to well under a second.

        Returns
        -------
        numpy.ndarray
            Matrix of shape ``(n_orig, n_dest)`` of minutes.

        Raises
        ------
        ValueError
            If a density level is not an integer in 1..7, the arrays of one
            side differ in length, or a coordinate is invalid.

        Examples
        --------
        Two communes ~10 km apart along a meridian, rural (7) and urban (1):

        >>> model = TravelModel()
        >>> lat, lon = [45.0, 45.0 + 10 / 111.19508], [5.0, 5.0]
        >>> model.matrix_minutes(lat, lon, [7, 1], lat, lon, [7, 1]).round(2)
        array([[ 0. , 22.4],
               [22.4,  0. ]])
        """
        if dtype not in (np.float64, np.float32):
            raise ValueError(f"dtype must be numpy.float64 or numpy.float32, got {dtype!r}")
        orig_xyz = _points(orig_lat, orig_lon, "origins")
        dest_xyz = _points(dest_lat, dest_lon, "destinations")
        orig_levels = _density_classes(orig_class, "orig_class")
        dest_levels = _density_classes(dest_class, "dest_class")
        if orig_levels.shape[0] != orig_xyz.shape[0]:
            raise ValueError(
                f"orig_class has {orig_levels.shape[0]} values for {orig_xyz.shape[0]} origins"
            )
        if dest_levels.shape[0] != dest_xyz.shape[0]:
            raise ValueError(
                f"dest_class has {dest_levels.shape[0]} values for {dest_xyz.shape[0]} destinations"
            )
        extra_o = self._extra_local_minutes(orig_levels)
        extra_d = self._extra_local_minutes(dest_levels)
        out = np.empty((orig_xyz.shape[0], dest_xyz.shape[0]), dtype=dtype)
        # Road km per radian of half angle: D = 2R·(θ/2)·circuity.
        km_per_half = 2.0 * EARTH_RADIUS_KM * self.circuity
        buffers: tuple[FloatArray, FloatArray] | None = None
        for start, stop, half in _half_angle_chunks(orig_xyz, dest_xyz):
            # Reused buffers: a fresh temporary per chunk would be mmap-ed and
            # page-faulted each time.
            if buffers is None:
                buffers = (np.empty_like(half), np.empty_like(half))
            road, local = buffers[0][: stop - start], buffers[1][: stop - start]
            np.multiply(half, km_per_half, out=road)
            np.multiply(road, 0.5, out=local)
            np.minimum(local, self.local_km, out=local)
            np.multiply(local, extra_o[start:stop, None], out=half)
            np.multiply(local, extra_d[None, :], out=local)
            np.add(half, local, out=half)
            np.multiply(road, 60.0 / self.road_speed_kmh, out=road)
            np.add(road, half, out=out[start:stop], casting="same_kind")
        return out
