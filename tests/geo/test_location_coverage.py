"""Coverage models (LSCP, MCLP) against brute force, and their reductions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

from maillage.geo.location import _cover as cover
from maillage.geo.location import lscp, mclp
from tests.geo.test_location_reference import (
    brute_lscp,
    brute_mclp,
    check_max_bounds,
    check_min_bounds,
    check_sites,
    instances,
    san_francisco,
)

QUICK = settings(max_examples=50, deadline=None, derandomize=True)


def random_instance(seed: int, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in a 100 × 100 square: demand, then candidate sites; "minutes" = distance."""
    rng = np.random.default_rng(seed)
    demand, sites = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    return cost, rng.integers(1, 1000, n).astype(float)


# --- MCLP ----------------------------------------------------------------------


@QUICK
@given(instances(inf=True))
def test_mclp_matches_brute_force(instance) -> None:
    cost, w, k, fixed = instance
    solution = mclp(cost, w, 25.0, k, fixed=fixed)
    optimum = brute_mclp(cost, w, 25.0, k, fixed)
    assert solution.optimal
    check_max_bounds(solution, optimum)
    check_sites(solution, cost, fixed, len(fixed) + k)
    covered = (cost[:, list(solution.selected)] <= 25.0).any(axis=1)
    assert solution.objective == pytest.approx(w[covered].sum())
    assert list(solution.uncovered) == np.flatnonzero(~covered).tolist()
    assert solution.sense == "max"


@pytest.mark.parametrize("seed", range(6))
def test_mclp_on_random_plane_instances(seed: int) -> None:
    # 60 × 12 with k = 3: enough overlap that greedy alone is not always optimal.
    cost, w = random_instance(seed, 60, 12)
    solution = mclp(cost, w, 25.0, 3)
    assert solution.optimal
    assert solution.objective == brute_mclp(cost, w, 25.0, 3)


def test_mclp_needs_the_solver_when_greedy_is_not_optimal() -> None:
    # Greedy takes the middle site (weight 7) first and then one side (4):
    # 11, whereas the two sides together cover 12.
    covers = np.array(
        [[1, 1, 0], [1, 1, 0], [1, 1, 0], [0, 1, 1], [0, 1, 1], [0, 1, 1], [1, 0, 0], [0, 0, 1]],
        dtype=bool,
    )
    cost = np.where(covers, 10.0, 60.0)
    w = np.array([1, 1, 1, 1, 1, 1, 3, 3], dtype=float)
    solution = mclp(cost, w, 30.0, 2)
    assert solution.selected == (0, 2)
    assert solution.objective == 12.0 == brute_mclp(cost, w, 30.0, 2)
    assert solution.optimal


def test_mclp_k_counts_new_sites_and_fixed_coverage_counts() -> None:
    cost = np.array([[5.0, 50.0, 50.0], [50.0, 5.0, 50.0], [50.0, 50.0, 5.0]])
    w = np.array([100.0, 10.0, 50.0])
    solution = mclp(cost, w, 30, 1, fixed=[1])
    assert solution.selected == (0, 1)
    assert solution.new == (0,)
    assert solution.objective == 110.0
    assert solution.uncovered == (2,)


def test_mclp_fills_up_to_k_sites_when_everything_is_covered() -> None:
    cost = np.array([[5.0, 6.0, 50.0], [5.0, 6.0, 50.0]])
    solution = mclp(cost, [1.0, 1.0], 30, 3)
    assert solution.selected == (0, 1, 2)
    assert solution.objective == 2.0
    assert solution.optimal


def test_mclp_with_nothing_to_cover() -> None:
    cost = np.full((3, 2), 90.0)
    solution = mclp(cost, [1.0, 2.0, 3.0], 30, 1)
    assert solution.objective == 0.0
    assert solution.optimal
    assert solution.uncovered == (0, 1, 2)


def test_mclp_time_limit_returns_valid_bounds() -> None:
    cost, w = random_instance(7, 400, 80)
    full = mclp(cost, w, 15.0, 6)
    limited = mclp(cost, w, 15.0, 6, time_limit=1e-3)
    assert full.optimal
    assert limited.objective <= full.objective <= limited.upper_bound
    assert limited.gap == pytest.approx(
        (limited.upper_bound - limited.objective) / limited.upper_bound
    ) or (limited.optimal and limited.gap == 0.0)


def test_mclp_is_deterministic() -> None:
    cost, w = random_instance(3, 300, 40)
    first, second = mclp(cost, w, 20.0, 4), mclp(cost, w, 20.0, 4)
    assert (first.selected, first.objective) == (second.selected, second.objective)


def test_mclp_accepts_float32_and_integer_matrices() -> None:
    cost, w = random_instance(5, 50, 10)
    reference = mclp(cost, w, 20.0, 2)
    assert mclp(cost.astype(np.float32), w, 20.0, 2).objective == reference.objective
    rounded = np.round(cost).astype(int)
    assert mclp(rounded, w, 20, 2).objective == brute_mclp(rounded.astype(float), w, 20, 2)


# --- LSCP ----------------------------------------------------------------------


@QUICK
@given(instances(inf=True))
def test_lscp_matches_brute_force(instance) -> None:
    cost, _, _, fixed = instance
    solution = lscp(cost, 25.0, fixed=fixed)
    optimum = brute_lscp(cost, 25.0, fixed)
    assert solution.optimal
    check_min_bounds(solution, optimum)
    check_sites(solution, cost, fixed, optimum)
    unreachable = ~(cost <= 25.0).any(axis=1)
    assert list(solution.uncovered) == np.flatnonzero(unreachable).tolist()
    covered = (cost[:, list(solution.selected)] <= 25.0).any(axis=1)
    assert (covered | unreachable).all()


@pytest.mark.parametrize("seed", range(4))
def test_lscp_on_random_plane_instances(seed: int) -> None:
    cost, _ = random_instance(seed, 80, 14)
    solution = lscp(cost, 30.0)
    assert solution.optimal
    assert solution.objective == brute_lscp(cost, 30.0)


def test_lscp_reports_unreachable_points_instead_of_failing() -> None:
    cost = [[10.0, 40.0], [25.0, 12.0], [50.0, math.inf]]
    solution = lscp(cost, 30)
    assert solution.uncovered == (2,)
    assert solution.selected == (0,)
    assert solution.optimal


def test_lscp_objective_counts_fixed_sites() -> None:
    cost = np.array([[5.0, 50.0, 50.0], [50.0, 5.0, 50.0], [50.0, 50.0, 5.0]])
    solution = lscp(cost, 30, fixed=[0])
    assert solution.objective == 3.0
    assert solution.new == (1, 2)
    assert len(solution.new) == 2


def test_lscp_time_limit_keeps_a_valid_cover() -> None:
    cost, _ = random_instance(11, 500, 120)
    solution = lscp(cost, 12.0, time_limit=1e-3)
    covered = (cost[:, list(solution.selected)] <= 12.0).any(axis=1)
    assert (covered | ~(cost <= 12.0).any(axis=1)).all()
    assert solution.lower_bound <= solution.objective


# --- a textbook instance -----------------------------------------------------


def test_san_francisco_instance_from_spopt() -> None:
    instance = san_francisco()
    if instance is None:
        pytest.skip("spopt's test data is not installed (pip install -e '.[bench]')")
    cost, population = instance
    solution = mclp(cost, population, 5000.0, 4)
    assert solution.optimal
    assert solution.objective == brute_mclp(cost, population, 5000.0, 4)
    # spopt's own test: 21 of the 205 tracts stay uncovered.
    assert len(solution.uncovered) == 21
    cover_all = lscp(cost, 5000.0)
    assert cover_all.optimal
    assert cover_all.objective == brute_lscp(cost, 5000.0)


# --- reductions ----------------------------------------------------------------


def test_identical_rows_are_grouped_exactly_even_after_a_hash_collision(monkeypatch) -> None:
    rng = np.random.default_rng(0)
    dense = rng.random((200, 12)) < 0.2
    a = cover.coverage(np.where(dense, 1.0, 9.0), 5.0)
    group, first = cover.identical_rows(a)
    expected_group, expected_first = cover._identical_rows_exact(a)
    np.testing.assert_array_equal(group, expected_group)
    np.testing.assert_array_equal(first, expected_first)
    # Every row colliding: the exact check must notice and fall back.
    monkeypatch.setattr(cover, "_row_keys", lambda a: np.zeros((a.shape[0], 3), dtype=np.uint64))
    group, first = cover.identical_rows(a)
    np.testing.assert_array_equal(group, expected_group)


def test_dominated_columns_and_rows() -> None:
    covers = np.array([[1, 1, 0, 0], [0, 1, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0]], dtype=bool)
    a = cover.coverage(np.where(covers, 0.0, 1.0), 0.5)
    # Column 0 ⊂ column 1, column 2 ⊂ column 1, column 3 is empty.
    assert cover.dominated_columns(a).tolist() == [True, False, True, True]
    # Row 0 ⊃ row 1, rows 2 and 3 ⊃ row 1.
    assert cover.dominated_rows(a).tolist() == [True, False, True, True]
    red = cover.reduce_cover(a, np.arange(4), np.arange(4))
    assert red.columns.tolist() == [1]
    assert red.matrix.shape == (1, 1)
