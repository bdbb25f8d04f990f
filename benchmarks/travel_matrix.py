"""Benchmark: 35,000 × 1,000 travel-time matrix versus a naive haversine.

Run with ``.venv/bin/python benchmarks/travel_matrix.py``. Prints timings; it
asserts nothing, since timings depend on the machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import shapely

from maillage.geo import EARTH_RADIUS_KM, TravelModel, TravelTimeTable, distance_matrix_km

N_ORIG, N_DEST, N_OVERRIDES, SEED = 35_000, 1_000, 100_000, 20_240_601

# A coarse outline of metropolitan France (lon, lat), enough to keep random
# points off the sea and out of neighbouring countries.
HEXAGON = shapely.Polygon(
    [(-4.8, 48.4), (-1.6, 48.7), (1.6, 50.9), (2.6, 51.1), (4.2, 49.9), (8.2, 49.0),
     (7.6, 47.6), (6.9, 46.4), (7.7, 43.8), (3.1, 43.1), (3.0, 42.4), (-1.8, 43.4)]
)  # fmt: skip


def random_points(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` uniform random (lat, lon) inside the outline, by rejection sampling."""
    lats: list[np.ndarray] = []
    lons: list[np.ndarray] = []
    count = 0
    while count < n:
        lon = rng.uniform(-4.8, 8.2, 2 * n)
        lat = rng.uniform(42.4, 51.1, 2 * n)
        inside = shapely.contains_xy(HEXAGON, lon, lat)
        lats.append(lat[inside])
        lons.append(lon[inside])
        count += int(inside.sum())
    return np.concatenate(lats)[:n], np.concatenate(lons)[:n]


def naive_minutes(
    model: TravelModel,
    o_lat: np.ndarray,
    o_lon: np.ndarray,
    o_cls: np.ndarray,
    d_lat: np.ndarray,
    d_lon: np.ndarray,
    d_cls: np.ndarray,
) -> np.ndarray:
    """Haversine by broadcasting (n_orig, 1) against (1, n_dest): the obvious way."""
    phi1, phi2 = np.radians(o_lat)[:, None], np.radians(d_lat)[None, :]
    dlam = np.radians(d_lon)[None, :] - np.radians(o_lon)[:, None]
    h = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))
    road = km * model.circuity
    local = np.minimum(road / 2, model.local_km)
    inv_speed = np.array([0.0] + [1 / model.speed_kmh[k] for k in range(1, 8)])
    ends = inv_speed[o_cls][:, None] + inv_speed[d_cls][None, :]
    return 60.0 * (local * ends + (road - 2 * local) / model.road_speed_kmh)


def timed(label: str, func: Callable[[], object], repeat: int = 3) -> float:
    best = min(_once(func) for _ in range(repeat))
    print(f"{label:<48} {best:8.3f} s (best of {repeat})")
    return best


def _once(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    rng = np.random.default_rng(SEED)
    o_lat, o_lon = random_points(rng, N_ORIG)
    d_lat, d_lon = random_points(rng, N_DEST)
    o_cls, d_cls = rng.integers(1, 8, N_ORIG), rng.integers(1, 8, N_DEST)
    model = TravelModel()
    print(f"{N_ORIG:,} origins × {N_DEST:,} destinations, seed {SEED}")

    def fast() -> np.ndarray:
        return model.matrix_minutes(o_lat, o_lon, o_cls, d_lat, d_lon, d_cls)

    def naive() -> np.ndarray:
        return naive_minutes(model, o_lat, o_lon, o_cls, d_lat, d_lon, d_cls)

    t_fast = timed("TravelModel.matrix_minutes (float64)", fast)
    timed(
        "TravelModel.matrix_minutes (float32)",
        lambda: model.matrix_minutes(o_lat, o_lon, o_cls, d_lat, d_lon, d_cls, dtype=np.float32),
    )
    timed("distance_matrix_km", lambda: distance_matrix_km(o_lat, o_lon, d_lat, d_lon))
    t_naive = timed("naive haversine with broadcasting", naive)
    print(f"{'speed-up (naive / matrix_minutes)':<48} {t_naive / t_fast:8.1f} x")

    minutes = fast()
    print(f"{'max |difference| with naive (minutes)':<48} {np.abs(minutes - naive()).max():8.1e}")

    o_codes = np.array([f"{i:05d}" for i in range(1_001, 1_001 + N_ORIG)])
    d_codes = o_codes[rng.choice(N_ORIG, N_DEST, replace=False)]
    cells = rng.choice(N_ORIG * N_DEST, N_OVERRIDES, replace=False)
    rows, cols = np.divmod(cells, N_DEST)
    values = rng.uniform(0.0, 300.0, N_OVERRIDES)
    t0 = time.perf_counter()
    table = TravelTimeTable(zip(o_codes[rows], d_codes[cols], values, strict=True))
    t_build = time.perf_counter() - t0
    print(f"{f'TravelTimeTable of {N_OVERRIDES:,} rows (validation)':<48} {t_build:8.3f} s")
    label = f"TravelTimeTable.apply ({N_OVERRIDES:,} overrides)"
    timed(label, lambda: table.apply(minutes, o_codes, d_codes))


if __name__ == "__main__":
    main()
