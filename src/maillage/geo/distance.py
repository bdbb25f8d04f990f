"""Great-circle distances on a spherical Earth, vectorised with numpy.

Coordinates are WGS84 latitudes and longitudes in decimal degrees. The Earth
is taken as a sphere of mean radius :data:`EARTH_RADIUS_KM` (IUGG mean radius
R1): for distances up to ~1,000 km the spherical error versus the ellipsoid
(≤ 0.5 %) is far below the uncertainty of any travel-time estimate built on
top of it, and it keeps everything a handful of array operations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_KM", "distance_matrix_km", "great_circle_km"]

EARTH_RADIUS_KM: Final[float] = 6371.0088
"""Mean Earth radius in km (IUGG R1 = (2a + b) / 3)."""

FloatArray = npt.NDArray[np.float64]

# Working chunks of about 64k cells (512 KiB of float64) stay in the L2 cache
# across the six passes made over them; measured ~2x faster than one pass over
# the whole matrix, while the Python loop overhead stays negligible.
_CHUNK_CELLS: Final[int] = 65_536


def _coordinates(
    lat: npt.ArrayLike, lon: npt.ArrayLike, what: str
) -> tuple[FloatArray, FloatArray]:
    """Validated float64 latitude and longitude arrays, in degrees."""
    lat_arr = np.asarray(lat, dtype=np.float64)
    lon_arr = np.asarray(lon, dtype=np.float64)
    # NaN would silently propagate into a whole row or column of the matrix;
    # a missing coordinate is a data problem the caller must see.
    if not (np.isfinite(lat_arr).all() and np.isfinite(lon_arr).all()):
        raise ValueError(f"{what}: coordinates must be finite (no NaN or infinity)")
    if (np.abs(lat_arr) > 90.0).any():
        raise ValueError(f"{what}: latitudes must lie in [-90, 90] degrees (swapped lat/lon?)")
    return lat_arr, lon_arr


def _points(lat: npt.ArrayLike, lon: npt.ArrayLike, what: str) -> FloatArray:
    """Unit 3-D vectors, shape (n, 3), of a 1-D list of points."""
    lat_arr, lon_arr = _coordinates(lat, lon, what)
    if lat_arr.ndim != 1 or lat_arr.shape != lon_arr.shape:
        raise ValueError(
            f"{what}: latitude and longitude must be 1-D arrays of the same length, "
            f"got shapes {lat_arr.shape} and {lon_arr.shape}"
        )
    phi = np.radians(lat_arr)
    lam = np.radians(lon_arr)
    cos_phi = np.cos(phi)
    return np.stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)], axis=1)


def _half_angle_chunks(
    orig_xyz: FloatArray, dest_xyz: FloatArray
) -> Iterator[tuple[int, int, FloatArray]]:
    """Yield ``(start, stop, half)`` with half the central angle (radians) of rows start:stop.

    The yielded buffer is reused: consume it before asking for the next chunk.
    """
    n_orig, n_dest = orig_xyz.shape[0], dest_xyz.shape[0]
    if n_orig == 0 or n_dest == 0:
        return
    # (chord / 2)² = |u - v|² / 4 = |u|²/4 + |v|²/4 - u·v/2. Taken from unit
    # vectors, this cancels to ~1e-16, i.e. ~0.1 m once square-rooted. Shifting
    # all points by their mean first makes the terms as small as the spread of
    # the points (~0.1 for France), so the error falls to about a centimetre. The two
    # extra columns let the one matrix product add the squared norms for free.
    centre = np.concatenate([orig_xyz, dest_xyz]).mean(axis=0)
    orig_c, dest_c = orig_xyz - centre, dest_xyz - centre
    lhs = np.empty((n_orig, 5), dtype=np.float64)
    lhs[:, :3] = orig_c * -0.5
    lhs[:, 3] = np.einsum("ij,ij->i", orig_c, orig_c) * 0.25
    lhs[:, 4] = 1.0
    rhs = np.empty((5, n_dest), dtype=np.float64)
    rhs[:3] = dest_c.T
    rhs[3] = 1.0
    rhs[4] = np.einsum("ij,ij->i", dest_c, dest_c) * 0.25
    chunk_rows = max(1, _CHUNK_CELLS // max(n_dest, 1))
    buffer = np.empty((min(chunk_rows, n_orig), n_dest), dtype=np.float64)
    for start in range(0, n_orig, chunk_rows):
        stop = min(start + chunk_rows, n_orig)
        half = buffer[: stop - start]
        np.matmul(lhs[start:stop], rhs, out=half)
        # Rounding can push (chord / 2)² slightly outside [0, 1] for identical
        # or antipodal points, where sqrt or arcsin would return NaN.
        np.clip(half, 0.0, 1.0, out=half)
        np.sqrt(half, out=half)
        # arcsin of the half chord keeps its precision at short distances,
        # where arccos(u·v) would lose half its digits.
        np.arcsin(half, out=half)
        yield start, stop, half


def great_circle_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in km between points, elementwise with broadcasting.

    Parameters
    ----------
    lat1, lon1 : array_like
        Latitude and longitude of the first points, in decimal degrees.
    lat2, lon2 : array_like
        Latitude and longitude of the second points, in decimal degrees.
        All four inputs are broadcast together.

    Returns
    -------
    numpy.ndarray
        float64 distances in km, with the broadcast shape of the inputs (a 0-d
        array for scalar inputs: use ``float()`` to get a Python number).

    Raises
    ------
    ValueError
        If a coordinate is not finite or a latitude lies outside [-90, 90].

    See Also
    --------
    distance_matrix_km : all origin × destination distances at once.

    Notes
    -----
    Uses ``2·atan2(|u - v|, |u + v|)`` on unit vectors ``u`` and ``v``, which is
    accurate for all distances, from coincident to antipodal points (haversine
    loses precision near the antipode).

    Examples
    --------
    Paris Notre-Dame to Marseille Vieux-Port:

    >>> print(f"{float(great_circle_km(48.8530, 2.3499, 43.2951, 5.3739)):.1f}")
    660.4

    A quarter of a meridian:

    >>> print(f"{float(great_circle_km(0, 0, 90, 0)):.3f}")
    10007.557

    Broadcasting one point against several:

    >>> great_circle_km(45.0, 5.0, [45.0, 46.0], [5.0, 5.0]).round(3)
    array([  0.   , 111.195])
    """
    phi1, lam1 = _coordinates(lat1, lon1, "lat1/lon1")
    phi2, lam2 = _coordinates(lat2, lon2, "lat2/lon2")
    phi1, lam1, phi2, lam2 = np.radians(phi1), np.radians(lam1), np.radians(phi2), np.radians(lam2)
    c1, c2 = np.cos(phi1), np.cos(phi2)
    x1, y1, z1 = c1 * np.cos(lam1), c1 * np.sin(lam1), np.sin(phi1)
    x2, y2, z2 = c2 * np.cos(lam2), c2 * np.sin(lam2), np.sin(phi2)
    # |u - v| = 2 sin(θ/2) and |u + v| = 2 cos(θ/2): their atan2 is θ/2 with
    # full precision everywhere.
    diff = np.sqrt((x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2)
    summ = np.sqrt((x1 + x2) ** 2 + (y1 + y2) ** 2 + (z1 + z2) ** 2)
    return np.asarray(2.0 * EARTH_RADIUS_KM * np.arctan2(diff, summ), dtype=np.float64)


def distance_matrix_km(
    orig_lat: npt.ArrayLike,
    orig_lon: npt.ArrayLike,
    dest_lat: npt.ArrayLike,
    dest_lon: npt.ArrayLike,
    *,
    dtype: type[np.float64] | type[np.float32] = np.float64,
) -> npt.NDArray[np.float64 | np.float32]:
    """Great-circle distances in km from every origin to every destination.

    Parameters
    ----------
    orig_lat, orig_lon : array_like
        1-D latitudes and longitudes of the ``n_orig`` origins, in degrees.
    dest_lat, dest_lon : array_like
        1-D latitudes and longitudes of the ``n_dest`` destinations, in degrees.
    dtype : {numpy.float64, numpy.float32}, optional
        dtype of the result. Computation is always done in float64;
        ``numpy.float32`` halves the memory of the result (about 1 m of
        rounding at 1,000 km).

    Returns
    -------
    numpy.ndarray
        Matrix of shape ``(n_orig, n_dest)``: ``result[i, j]`` is the distance
        from origin ``i`` to destination ``j``.

    Raises
    ------
    ValueError
        If the arrays are not 1-D pairs of equal length, a coordinate is not
        finite or a latitude lies outside [-90, 90].

    See Also
    --------
    great_circle_km : elementwise distances with broadcasting.

    Notes
    -----
    Points become unit 3-D vectors; one matrix product gives every dot product
    ``u·v``, from which the half chord ``sqrt((1 - u·v) / 2)`` and the angle
    ``2·arcsin(half chord)`` follow. Rows are processed in cache-sized chunks,
    so the only large allocation is the result. Agrees with haversine to well
    under 1 m from 10 m to 1,000 km; a 35,000 × 1,000 matrix takes ~0.2 s.

    Examples
    --------
    >>> d = distance_matrix_km([48.8530, 43.2951], [2.3499, 5.3739], [43.2951], [5.3739])
    >>> d.shape
    (2, 1)
    >>> d.round(1)
    array([[660.4],
           [  0. ]])
    """
    if dtype not in (np.float64, np.float32):
        raise ValueError(f"dtype must be numpy.float64 or numpy.float32, got {dtype!r}")
    orig_xyz = _points(orig_lat, orig_lon, "origins")
    dest_xyz = _points(dest_lat, dest_lon, "destinations")
    out = np.empty((orig_xyz.shape[0], dest_xyz.shape[0]), dtype=dtype)
    for start, stop, half in _half_angle_chunks(orig_xyz, dest_xyz):
        np.multiply(half, 2.0 * EARTH_RADIUS_KM, out=out[start:stop], casting="same_kind")
    return out
