"""What every solver shares: input validation, the Solution and its gap."""

from __future__ import annotations

import math

import numpy as np
import pytest

from maillage.geo.location import Solution, lscp, mclp, p_center, p_median
from maillage.geo.location.solution import relative_gap

COST = np.array([[0.0, 10.0, 20.0], [10.0, 0.0, 10.0], [20.0, 10.0, 0.0]])
W = np.array([1.0, 1.0, 5.0])

SOLVERS = {
    "lscp": lambda cost, w, k, **kw: lscp(cost, 15.0, **kw),
    "mclp": lambda cost, w, k, **kw: mclp(cost, w, 15.0, k, **kw),
    "p_median": lambda cost, w, k, **kw: p_median(cost, w, k, **kw),
    "p_center": lambda cost, w, k, **kw: p_center(cost, k, **kw),
}


@pytest.mark.parametrize("name", SOLVERS)
@pytest.mark.parametrize(
    ("cost", "w", "k", "kwargs", "message"),
    [
        (COST[0], W, 1, {}, "2-D"),
        (np.zeros((0, 3)), np.zeros(0), 1, {}, "at least one demand point"),
        (np.where(np.eye(3) > 0, np.nan, COST), W, 1, {}, "NaN"),
        (COST - 5.0, W, 1, {}, ">= 0"),
        (COST, W, 1, {"fixed": [3]}, "fixed site index 3 out of range"),
        (COST, W, 1, {"fixed": ["a"]}, "integer site indices"),
        (COST, W, 1, {"time_limit": 0}, "time_limit"),
    ],
)
def test_every_solver_rejects_bad_input(name, cost, w, k, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        SOLVERS[name](cost, w, k, **kwargs)


@pytest.mark.parametrize("name", ["mclp", "p_median", "p_center"])
@pytest.mark.parametrize(
    ("k", "fixed", "message"),
    [(4, (), "more than the 3 candidate sites"), (3, (0,), "more than"), (-1, (), ">= 0")],
)
def test_k_must_fit_in_the_sites(name, k, fixed, message) -> None:
    with pytest.raises(ValueError, match=message):
        SOLVERS[name](COST, W, k, fixed=fixed)


@pytest.mark.parametrize("name", ["mclp", "p_median"])
@pytest.mark.parametrize(
    ("w", "message"),
    [(W[:2], "shape"), (-W, ">= 0"), (np.array([1.0, math.nan, 1.0]), "finite")],
)
def test_weights_are_checked(name, w, message) -> None:
    with pytest.raises(ValueError, match=message):
        SOLVERS[name](COST, w, 1)


@pytest.mark.parametrize("name", ["p_median", "p_center"])
def test_travel_time_models_need_finite_costs_and_a_site(name) -> None:
    with pytest.raises(ValueError, match="finite"):
        SOLVERS[name](np.where(np.eye(3) > 0, math.inf, COST), W, 1)
    with pytest.raises(ValueError, match="at least one open site"):
        SOLVERS[name](COST, W, 0)


def test_thresholds_are_checked() -> None:
    with pytest.raises(ValueError, match="threshold"):
        lscp(COST, -1.0)
    with pytest.raises(ValueError, match="threshold"):
        mclp(COST, W, math.nan, 1)


def test_k_must_be_an_integer() -> None:
    with pytest.raises(ValueError, match="integer"):
        mclp(COST, W, 15.0, 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="integer"):
        p_median(COST, W, True)


def test_duplicate_fixed_sites_count_once() -> None:
    solution = p_median(COST, W, 1, fixed=[2, 2])
    assert solution.selected == (0, 2)


def test_solution_is_frozen_and_prints_without_per_point_fields() -> None:
    solution = p_median(COST, W, 1)
    assert isinstance(solution, Solution)
    with pytest.raises(AttributeError):
        solution.objective = 0.0  # type: ignore[misc]
    assert "assignment" not in repr(solution)
    assert solution.assignment == (2, 2, 2)


def test_relative_gap() -> None:
    assert relative_gap(100.0, 90.0, "min") == pytest.approx(0.1)
    assert relative_gap(90.0, 100.0, "max") == pytest.approx(0.1)
    assert relative_gap(0.0, 0.0, "min") == 0.0
    assert relative_gap(10.0, -math.inf, "min") == math.inf
