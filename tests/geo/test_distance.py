"""Great-circle distances, checked against an independent haversine."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage.geo import EARTH_RADIUS_KM, distance_matrix_km, great_circle_km

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
ONE_METRE_KM = 1e-3


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Textbook haversine, scalar and in plain math: the reference."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """Point reached from (lat, lon) after ``km`` along a great circle (spherical)."""
    phi, lam, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    delta = km / EARTH_RADIUS_KM
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), math.degrees(lam2)


def pairs_10m_to_1000km(n: int, seed: int) -> tuple[list[float], ...]:
    """Origins in France and destinations at log-spaced distances 10 m … 1,000 km."""
    rng = np.random.default_rng(seed)
    o_lat, o_lon, d_lat, d_lon = [], [], [], []
    for km in np.geomspace(0.01, 1000.0, n):
        lat, lon = rng.uniform(42.5, 51.0), rng.uniform(-4.5, 8.0)
        lat2, lon2 = destination(lat, lon, rng.uniform(0.0, 360.0), float(km))
        o_lat.append(lat)
        o_lon.append(lon)
        d_lat.append(lat2)
        d_lon.append(lon2)
    return o_lat, o_lon, d_lat, d_lon


def test_paris_notre_dame_to_marseille_vieux_port() -> None:
    reference = haversine_km(48.8530, 2.3499, 43.2951, 5.3739)
    assert reference == pytest.approx(660.43, abs=0.01)  # sanity check of the reference itself
    assert float(great_circle_km(48.8530, 2.3499, 43.2951, 5.3739)) == pytest.approx(
        reference, abs=1e-6
    )
    matrix = distance_matrix_km([48.8530], [2.3499], [43.2951], [5.3739])
    assert matrix[0, 0] == pytest.approx(reference, abs=1e-6)


def test_known_arcs() -> None:
    # A quarter meridian, one degree of latitude, half the equator: exact on a sphere.
    assert float(great_circle_km(0, 0, 90, 0)) == pytest.approx(math.pi / 2 * EARTH_RADIUS_KM)
    assert float(great_circle_km(45, 3, 46, 3)) == pytest.approx(KM_PER_DEGREE)
    assert float(great_circle_km(0, 0, 0, 180)) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    antipodes = distance_matrix_km([0.0, 45.0], [0.0, 5.0], [0.0, -45.0], [180.0, -175.0])
    assert antipodes[0, 0] == pytest.approx(math.pi * EARTH_RADIUS_KM, abs=ONE_METRE_KM)
    assert antipodes[1, 1] == pytest.approx(math.pi * EARTH_RADIUS_KM, abs=ONE_METRE_KM)


def test_ten_metres_is_ten_metres() -> None:
    lat2 = 46.0 + 0.01 / KM_PER_DEGREE
    assert float(great_circle_km(46.0, 2.0, lat2, 2.0)) == pytest.approx(0.01, abs=1e-6)
    assert distance_matrix_km([46.0], [2.0], [lat2], [2.0])[0, 0] == pytest.approx(0.01, abs=1e-6)


def test_not_degrees_times_111() -> None:
    # At 46°N a degree of longitude is ~77 km, not 111 km.
    assert float(great_circle_km(46.0, 2.0, 46.0, 3.0)) == pytest.approx(77.24, abs=0.01)


def test_matrix_agrees_with_haversine_from_10m_to_1000km() -> None:
    o_lat, o_lon, d_lat, d_lon = pairs_10m_to_1000km(60, seed=1)
    matrix = distance_matrix_km(o_lat, o_lon, d_lat, d_lon)
    expected = np.array(
        [
            [haversine_km(a, b, c, d) for c, d in zip(d_lat, d_lon, strict=True)]
            for a, b in zip(o_lat, o_lon, strict=True)
        ]
    )
    assert matrix.shape == (60, 60)
    assert matrix.dtype == np.float64
    assert np.abs(matrix - expected).max() < ONE_METRE_KM
    # The diagonal holds the built pairs: 10 m … 1,000 km.
    assert np.diag(matrix) == pytest.approx(np.geomspace(0.01, 1000.0, 60), abs=ONE_METRE_KM)


def test_elementwise_agrees_with_haversine_from_10m_to_1000km() -> None:
    o_lat, o_lon, d_lat, d_lon = pairs_10m_to_1000km(60, seed=2)
    got = great_circle_km(o_lat, o_lon, d_lat, d_lon)
    expected = [haversine_km(*p) for p in zip(o_lat, o_lon, d_lat, d_lon, strict=True)]
    assert got.shape == (60,)
    assert np.abs(got - expected).max() < ONE_METRE_KM


def test_matrix_across_chunk_boundaries() -> None:
    # 1,000 destinations give chunks of 65 rows: 150 origins end in a partial chunk.
    rng = np.random.default_rng(3)
    o_lat, o_lon = rng.uniform(42.5, 51.0, 150), rng.uniform(-4.5, 8.0, 150)
    d_lat, d_lon = rng.uniform(42.5, 51.0, 1000), rng.uniform(-4.5, 8.0, 1000)
    matrix = distance_matrix_km(o_lat, o_lon, d_lat, d_lon)
    expected = great_circle_km(o_lat[:, None], o_lon[:, None], d_lat[None, :], d_lon[None, :])
    np.testing.assert_allclose(matrix, expected, rtol=0, atol=ONE_METRE_KM / 100)


def test_matrix_of_a_set_with_itself_is_symmetric_with_zero_diagonal() -> None:
    rng = np.random.default_rng(4)
    lat, lon = rng.uniform(41.4, 51.1, 300), rng.uniform(-5.1, 9.6, 300)
    matrix = distance_matrix_km(lat, lon, lat, lon)
    np.testing.assert_allclose(matrix, matrix.T, rtol=0, atol=1e-6)
    assert np.abs(np.diag(matrix)).max() < 5e-5  # 5 cm: rounding of near-cancelling terms


def test_float32_result() -> None:
    matrix = distance_matrix_km(
        [48.8530], [2.3499], [43.2951, 48.8530], [5.3739, 2.3499], dtype=np.float32
    )
    assert matrix.dtype == np.float32
    assert matrix[0, 0] == pytest.approx(haversine_km(48.8530, 2.3499, 43.2951, 5.3739), abs=1e-3)


def test_empty_inputs() -> None:
    assert distance_matrix_km([], [], [45.0], [5.0]).shape == (0, 1)
    assert distance_matrix_km([45.0], [5.0], [], []).shape == (1, 0)


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ([45.0, math.nan], [5.0, 5.0], "finite"),
        ([45.0, 95.0], [5.0, 5.0], r"\[-90, 90\]"),
        ([45.0, 46.0], [5.0], "same length"),
        ([[45.0]], [[5.0]], "1-D"),
    ],
)
def test_invalid_coordinates(lat: list[float], lon: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        distance_matrix_km(lat, lon, [45.0], [5.0])
    if message != "same length" and message != "1-D":
        with pytest.raises(ValueError, match=message):
            great_circle_km(lat, lon, 45.0, 5.0)


def test_invalid_dtype() -> None:
    with pytest.raises(ValueError, match="dtype"):
        distance_matrix_km([45.0], [5.0], [45.0], [5.0], dtype=np.int64)  # type: ignore[arg-type]


latitudes = st.floats(-90.0, 90.0, allow_nan=False)
longitudes = st.floats(-180.0, 180.0, allow_nan=False)
points = st.tuples(latitudes, longitudes)


@given(points, points)
def test_property_symmetric_and_agrees_with_haversine(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    ab = float(great_circle_km(a[0], a[1], b[0], b[1]))
    ba = float(great_circle_km(b[0], b[1], a[0], a[1]))
    assert ab == ba
    assert 0.0 <= ab <= math.pi * EARTH_RADIUS_KM + 1e-9
    assert ab == pytest.approx(haversine_km(*a, *b), abs=ONE_METRE_KM)
    matrix = distance_matrix_km([a[0], b[0]], [a[1], b[1]], [a[0], b[0]], [a[1], b[1]])
    assert matrix[0, 1] == pytest.approx(ab, abs=ONE_METRE_KM)
    assert matrix[1, 0] == pytest.approx(ab, abs=ONE_METRE_KM)


@given(points, points, points)
def test_property_triangle_inequality(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]
) -> None:
    lat = [a[0], b[0], c[0]]
    lon = [a[1], b[1], c[1]]
    d = distance_matrix_km(lat, lon, lat, lon)
    assert d[0, 2] <= d[0, 1] + d[1, 2] + ONE_METRE_KM
    e = great_circle_km(lat, lon, [b[0], c[0], a[0]], [b[1], c[1], a[1]])
    assert float(great_circle_km(*a, *c)) <= e[0] + e[1] + 1e-9
