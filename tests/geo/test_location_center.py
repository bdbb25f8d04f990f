"""p-center against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from maillage.geo.location import p_center
from tests.geo.test_location_coverage import random_instance
from tests.geo.test_location_reference import (
    brute_p_center,
    check_min_bounds,
    check_sites,
    instances,
    san_francisco,
)

QUICK = settings(max_examples=50, deadline=None, derandomize=True)


@QUICK
@given(instances())
def test_p_center_matches_brute_force(instance) -> None:
    cost, _, k, fixed = instance
    if k + len(fixed) == 0:
        k = 1
    solution = p_center(cost, k, fixed=fixed)
    optimum = brute_p_center(cost, k, fixed)
    assert solution.optimal
    check_min_bounds(solution, optimum)
    check_sites(solution, cost, fixed, len(fixed) + k)
    assert solution.objective == cost[:, list(solution.selected)].min(axis=1).max()


@pytest.mark.parametrize(("seed", "k"), [(0, 2), (1, 3), (2, 4), (3, 5)])
def test_p_center_on_random_plane_instances(seed: int, k: int) -> None:
    cost, _ = random_instance(seed, 120, 12)
    solution = p_center(cost, k)
    assert solution.optimal
    assert solution.objective == brute_p_center(cost, k)


def test_p_center_fixed_sites() -> None:
    cost = np.array([[0.0, 10.0, 20.0], [10.0, 0.0, 10.0], [20.0, 10.0, 0.0]])
    solution = p_center(cost, 1, fixed=[0])
    assert solution.selected in {(0, 1), (0, 2)}
    assert solution.objective == 10.0
    assert solution.optimal


def test_p_center_time_limit_bounds_the_optimum() -> None:
    cost, _ = random_instance(5, 400, 60)
    full = p_center(cost, 6)
    limited = p_center(cost, 6, time_limit=1e-3)
    assert full.optimal
    assert limited.lower_bound <= full.objective <= limited.objective


def test_p_center_on_the_san_francisco_instance() -> None:
    instance = san_francisco()
    if instance is None:
        pytest.skip("spopt's test data is not installed (pip install -e '.[bench]')")
    cost, _ = instance
    solution = p_center(cost, 4)
    assert solution.optimal
    assert solution.objective == brute_p_center(cost, 4)
