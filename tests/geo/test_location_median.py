"""p-median against brute force; bounds under a time limit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from maillage.geo.location import p_median
from tests.geo.test_location_coverage import random_instance
from tests.geo.test_location_reference import (
    brute_p_median,
    check_min_bounds,
    check_sites,
    instances,
    san_francisco,
)

QUICK = settings(max_examples=50, deadline=None, derandomize=True)


@QUICK
@given(instances())
def test_p_median_matches_brute_force(instance) -> None:
    cost, w, k, fixed = instance
    if k + len(fixed) == 0:
        k = 1
    solution = p_median(cost, w, k, fixed=fixed)
    optimum = brute_p_median(cost, w, k, fixed)
    assert solution.optimal
    check_min_bounds(solution, optimum)
    check_sites(solution, cost, fixed, len(fixed) + k)
    assert solution.uncovered == ()


@pytest.mark.parametrize(("seed", "k"), [(0, 2), (1, 3), (2, 4), (3, 5), (4, 3), (5, 2)])
def test_p_median_on_random_plane_instances(seed: int, k: int) -> None:
    cost, w = random_instance(seed, 80, 12)
    solution = p_median(cost, w, k)
    assert solution.optimal
    assert solution.objective == pytest.approx(brute_p_median(cost, w, k), rel=1e-9)


def test_p_median_with_a_fractional_lp_needs_the_milp() -> None:
    # Found by random search: the LP relaxation's optimum is fractional (below
    # 34), so the cutting planes alone cannot close the gap.
    cost = np.array(
        [
            [3.0, 6.0, 7.0, 3.0],
            [5.0, 7.0, 5.0, 8.0],
            [7.0, 3.0, 8.0, 6.0],
            [6.0, 4.0, 0.0, 1.0],
            [4.0, 3.0, 8.0, 6.0],
        ]
    )
    w = np.array([3.0, 2.0, 2.0, 2.0, 1.0])
    solution = p_median(cost, w, 2)
    assert solution.method.endswith("milp")
    assert solution.optimal
    assert solution.objective == 34.0 == brute_p_median(cost, w, 2)


def test_p_median_fixed_sites_are_kept() -> None:
    cost = np.array([[0.0, 10.0, 20.0], [10.0, 0.0, 10.0], [20.0, 10.0, 0.0]])
    solution = p_median(cost, [1, 1, 5], k=1, fixed=[2])
    assert solution.selected == (0, 2)
    assert solution.new == (0,)
    assert solution.objective == 10.0


def test_p_median_zero_weights_and_only_fixed_sites() -> None:
    cost = np.array([[0.0, 10.0], [10.0, 0.0]])
    assert p_median(cost, [0, 0], 1).objective == 0.0
    only_fixed = p_median(cost, [1, 2], 0, fixed=[1])
    assert only_fixed.selected == (1,)
    assert only_fixed.objective == 10.0
    assert only_fixed.optimal


def test_p_median_time_limit_returns_valid_bounds() -> None:
    cost, w = random_instance(21, 600, 150)
    full = p_median(cost, w, 12)
    limited = p_median(cost, w, 12, time_limit=1e-3)
    assert full.optimal
    assert limited.lower_bound <= full.objective * (1 + 1e-9)
    assert limited.objective >= full.objective * (1 - 1e-9)
    assert len(limited.selected) == 12


def test_p_median_is_deterministic() -> None:
    cost, w = random_instance(8, 200, 30)
    first, second = p_median(cost, w, 5), p_median(cost, w, 5)
    assert (first.selected, first.objective) == (second.selected, second.objective)


def test_p_median_on_the_san_francisco_instance() -> None:
    instance = san_francisco()
    if instance is None:
        pytest.skip("spopt's test data is not installed (pip install -e '.[bench]')")
    cost, population = instance
    solution = p_median(cost, population, 4)
    assert solution.optimal
    assert solution.objective == pytest.approx(brute_p_median(cost, population, 4), rel=1e-9)
