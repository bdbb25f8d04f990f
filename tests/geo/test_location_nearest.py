"""Nearest site, overall and per category."""

from __future__ import annotations

import math

import numpy as np
import pytest

from maillage.geo.location import nearest


def test_nearest_matches_argmin_with_ties_to_the_lowest_index() -> None:
    cost = np.array([[3.0, 1.0, 1.0], [2.0, 5.0, 2.0], [0.0, 0.0, 0.0]])
    index, minutes = nearest(cost)
    assert index.tolist() == [1, 0, 0]
    assert minutes.tolist() == [1.0, 2.0, 0.0]
    assert minutes.dtype == np.float64


def test_nearest_marks_unreachable_points() -> None:
    index, minutes = nearest([[math.inf, math.inf], [math.inf, 4.0]])
    assert index.tolist() == [-1, 1]
    assert minutes.tolist() == [math.inf, 4.0]


def test_nearest_without_sites() -> None:
    index, minutes = nearest(np.zeros((2, 0)))
    assert index.tolist() == [-1, -1]
    assert minutes.tolist() == [math.inf, math.inf]


def test_nearest_per_category_uses_original_columns() -> None:
    rng = np.random.default_rng(0)
    cost = rng.uniform(0, 100, (1000, 37)).astype(np.float32)
    kinds = rng.choice(["tiers-lieu", "pépinière", "fablab"], 37)
    result = nearest(cost, kinds)
    assert list(result) == ["fablab", "pépinière", "tiers-lieu"]
    for kind, (index, minutes) in result.items():
        columns = np.flatnonzero(kinds == kind)
        expected = columns[cost[:, columns].argmin(axis=1)]
        np.testing.assert_array_equal(index, expected)
        np.testing.assert_array_equal(minutes, cost[np.arange(1000), expected])


def test_nearest_per_category_with_integer_labels_and_unreachable_sites() -> None:
    cost = np.array([[1.0, math.inf, 3.0], [math.inf, math.inf, 2.0]])
    result = nearest(cost, [7, 9, 7])
    assert result[7][0].tolist() == [0, 2]
    assert result[9][0].tolist() == [-1, -1]
    assert result[9][1].tolist() == [math.inf, math.inf]


@pytest.mark.parametrize(
    ("cost", "categories", "message"),
    [
        ([[1.0, math.nan]], None, "NaN"),
        ([[1.0, -2.0]], None, ">= 0"),
        ([1.0, 2.0], None, "2-D"),
        ([["a", "b"]], None, "numeric"),
        ([[1.0, 2.0]], ["x"], "one label per site"),
        ([[1.0, math.nan]], ["x", "y"], "NaN"),
    ],
)
def test_nearest_rejects_bad_input(cost, categories, message) -> None:
    with pytest.raises(ValueError, match=message):
        nearest(cost, categories)
