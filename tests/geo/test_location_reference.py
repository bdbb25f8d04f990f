"""Brute-force references for the location models, and the instances the tests share.

Every reference enumerates all site sets with :func:`itertools.combinations`:
slow, obviously right, and only used on instances of a few sites.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

# Relative tolerance of "equal" objectives: the solvers' optimality tolerance
# plus float summation-order noise.
REL = 1e-7


def _free(m: int, fixed: Iterable[int]) -> list[int]:
    return [j for j in range(m) if j not in set(fixed)]


def brute_mclp(cost: np.ndarray, w: np.ndarray, threshold: float, k: int, fixed=()) -> float:
    covers = cost <= threshold
    best = -math.inf
    for combo in itertools.combinations(_free(cost.shape[1], fixed), k):
        open_ = list(fixed) + list(combo)
        best = max(best, float(w[covers[:, open_].any(axis=1)].sum()))
    return best


def brute_lscp(cost: np.ndarray, threshold: float, fixed=()) -> int:
    covers = cost <= threshold
    coverable = covers.any(axis=1)
    free = _free(cost.shape[1], fixed)
    for size in range(len(free) + 1):
        for combo in itertools.combinations(free, size):
            open_ = list(fixed) + list(combo)
            if covers[coverable][:, open_].any(axis=1).all():
                return len(open_)
    raise AssertionError("all sites always cover every coverable point")


def brute_p_median(cost: np.ndarray, w: np.ndarray, k: int, fixed=()) -> float:
    return min(
        float(w @ cost[:, list(fixed) + list(combo)].min(axis=1))
        for combo in itertools.combinations(_free(cost.shape[1], fixed), k)
    )


def brute_p_center(cost: np.ndarray, k: int, fixed=()) -> float:
    return min(
        float(cost[:, list(fixed) + list(combo)].min(axis=1).max())
        for combo in itertools.combinations(_free(cost.shape[1], fixed), k)
    )


@st.composite
def instances(draw, *, max_demand: int = 9, max_sites: int = 6, inf: bool = False):
    """(cost, weights, k, fixed): small integer minutes, so that ties are frequent."""
    n = draw(st.integers(1, max_demand))
    m = draw(st.integers(1, max_sites))
    values = st.integers(0, 60).map(float)
    if inf:
        values = values | st.just(math.inf)
    cost = np.array(draw(st.lists(values, min_size=n * m, max_size=n * m))).reshape(n, m)
    weights = np.array(draw(st.lists(st.integers(0, 30), min_size=n, max_size=n)), dtype=float)
    fixed = sorted(draw(st.sets(st.integers(0, m - 1), max_size=min(2, m))))
    k = draw(st.integers(0, m - len(fixed)))
    return cost, weights, k, fixed


def check_min_bounds(solution, optimum: float) -> None:
    """Bounds, gap and optimality of a minimisation against the true optimum."""
    tol = REL * max(1.0, abs(optimum))
    assert solution.lower_bound <= optimum + tol
    assert solution.objective >= optimum - tol
    assert solution.upper_bound == solution.objective
    true_gap = (solution.objective - optimum) / max(abs(solution.objective), 1e-12)
    assert solution.gap >= true_gap - REL
    if solution.optimal:
        assert solution.objective == pytest.approx(optimum, rel=REL, abs=1e-9)
        assert solution.gap == 0.0


def check_max_bounds(solution, optimum: float) -> None:
    tol = REL * max(1.0, abs(optimum))
    assert solution.upper_bound >= optimum - tol
    assert solution.objective <= optimum + tol
    assert solution.lower_bound == solution.objective
    true_gap = (optimum - solution.objective) / max(abs(solution.upper_bound), 1e-12)
    assert solution.gap >= true_gap - REL
    if solution.optimal:
        assert solution.objective == pytest.approx(optimum, rel=REL, abs=1e-9)


def check_sites(solution, cost: np.ndarray, fixed, size: int | None) -> None:
    """Selected sites: sorted, distinct, fixed ones included; assignment = nearest open."""
    selected = list(solution.selected)
    assert selected == sorted(set(selected))
    assert set(fixed) <= set(selected)
    assert list(solution.new) == [j for j in selected if j not in set(fixed)]
    if size is not None:
        assert len(selected) == size
    if not selected:
        assert set(solution.assignment) <= {-1}
        return
    nearest = cost[:, selected].min(axis=1)
    assigned = cost[np.arange(cost.shape[0]), list(solution.assignment)]
    np.testing.assert_array_equal(assigned, nearest)


def san_francisco() -> tuple[np.ndarray, np.ndarray] | None:
    """spopt's real-world test instance: 205 census tracts × 16 stores, network metres.

    Read from the spopt package's test data when it is installed (the
    ``bench`` extra), without importing spopt; None otherwise.
    """
    spec = importlib.util.find_spec("spopt")
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "tests" / "test_locate" / "data"
    distances = data / "SF_network_distance_candidateStore_16_censusTract_205_new.csv"
    demand = data / "SF_demand_205_centroid_uniform_weight.csv"
    if not (distances.exists() and demand.exists()):
        return None
    with distances.open(newline="") as f:
        rows = list(csv.DictReader(f))
    tracts = sorted({r["DestinationName"] for r in rows})
    stores = sorted({r["name"] for r in rows})
    cost = np.full((len(tracts), len(stores)), np.nan)
    t_index = {t: i for i, t in enumerate(tracts)}
    s_index = {s: j for j, s in enumerate(stores)}
    for r in rows:
        cost[t_index[r["DestinationName"]], s_index[r["name"]]] = float(r["distance"])
    with demand.open(newline="") as f:
        population = {r["NAME"]: float(r["POP2000"]) for r in csv.DictReader(f)}
    return cost, np.array([population[t] for t in tracts])


# --- the references themselves ----------------------------------------------


def test_references_on_a_hand_solved_instance() -> None:
    # Three villages on a line, a site at each: 0 --10-- 1 --10-- 2.
    cost = np.array([[0.0, 10.0, 20.0], [10.0, 0.0, 10.0], [20.0, 10.0, 0.0]])
    w = np.array([1.0, 1.0, 5.0])
    assert brute_p_median(cost, w, 1) == 30.0  # site 2: 20 + 10 + 0
    assert brute_p_center(cost, 1) == 10.0  # the middle site
    assert brute_mclp(cost, w, 5.0, 1) == 5.0
    assert brute_lscp(cost, 10.0) == 1
    assert brute_lscp(cost, 5.0) == 3
    assert brute_lscp(cost, 5.0, fixed=[0]) == 3


def test_reference_lscp_ignores_unreachable_points() -> None:
    cost = np.array([[5.0, 50.0], [50.0, 50.0]])
    assert brute_lscp(cost, 10.0) == 1
