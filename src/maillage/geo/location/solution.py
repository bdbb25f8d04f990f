"""The result of every location solver, with its proven bounds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from ._checks import CostArray, IntArray

__all__ = ["OPTIMALITY_TOLERANCE", "Solution"]

OPTIMALITY_TOLERANCE: Final[float] = 1e-9
"""Relative gap under which a solution is reported as proven optimal (gap 0)."""

# Denominator floor of the relative gap, for objectives of zero.
_TINY: Final[float] = 1e-12


@dataclass(frozen=True)
class Solution:
    """Sites chosen by a location model, with the bounds that certify them.

    Attributes
    ----------
    selected : tuple of int
        Sorted indices (columns of ``cost``) of all open sites, fixed ones included.
    objective : float
        Value of ``selected``, recomputed on the original matrix.
    lower_bound, upper_bound : float
        Proven bounds on the optimal value. For a minimisation
        ``upper_bound == objective``; for a maximisation (MCLP)
        ``lower_bound == objective``.
    gap : float
        Proven relative gap: ``(upper_bound - lower_bound) / upper_bound`` for a
        minimisation, ``(upper_bound - objective) / upper_bound`` for a
        maximisation; ``0.0`` when proven optimal, ``inf`` without a bound.
    optimal : bool
        True when the gap is closed (within :data:`OPTIMALITY_TOLERANCE`).
    seconds : float
        Wall-clock time of the call.
    method : str
        How the solution and its bound were obtained, e.g. ``"greedy+swap"``
        (the heuristic met a combinatorial bound) or ``"greedy+swap+highs"``.
    new : tuple of int
        Sorted indices of the open sites that are not fixed.
    assignment : tuple of int
        For each demand point, its nearest open site (lowest index on ties).
    uncovered : tuple of int
        Coverage models: demand points farther than the threshold from every
        open site. For LSCP these are exactly the points no site can reach.
    sense : {"min", "max"}
        Whether the model minimises or maximises ``objective``.

    Examples
    --------
    >>> from maillage.geo.location import p_median
    >>> s = p_median([[0.0, 10.0], [10.0, 0.0], [12.0, 2.0]], [1, 1, 1], k=1, fixed=[0])
    >>> s.selected, s.new, s.assignment, s.objective, s.gap
    ((0, 1), (1,), (0, 1, 1), 2.0, 0.0)
    """

    selected: tuple[int, ...]
    objective: float
    lower_bound: float
    upper_bound: float
    gap: float
    optimal: bool
    seconds: float
    method: str
    new: tuple[int, ...] = ()
    # One entry per demand point: too long to print.
    assignment: tuple[int, ...] = field(default=(), repr=False)
    uncovered: tuple[int, ...] = field(default=(), repr=False)
    sense: Literal["min", "max"] = "min"


def relative_gap(objective: float, bound: float, sense: Literal["min", "max"]) -> float:
    """Proven relative gap of ``objective`` against a bound on the optimum.

    >>> relative_gap(100.0, 99.0, "min"), relative_gap(99.0, 100.0, "max")
    (0.01, 0.01)
    """
    if math.isinf(bound) or math.isnan(bound):
        return math.inf
    upper = objective if sense == "min" else bound
    return max(0.0, (objective - bound) if sense == "min" else (bound - objective)) / max(
        abs(upper), _TINY
    )


def nearest_open(cost: CostArray, selected: IntArray) -> IntArray:
    """Index of the nearest open site of each demand point (lowest index on ties)."""
    if selected.size == 0:
        return np.full(cost.shape[0], -1, dtype=np.intp)
    sub = cost[:, selected]
    return np.asarray(selected[np.argmin(sub, axis=1)], dtype=np.intp)


def build(
    *,
    cost: CostArray,
    selected: npt.ArrayLike,
    fixed: IntArray,
    objective: float,
    bound: float,
    sense: Literal["min", "max"],
    seconds: float,
    method: str,
    uncovered: npt.ArrayLike = (),
) -> Solution:
    """Assemble a :class:`Solution`, closing the gap when within tolerance.

    ``bound`` is the proven bound on the optimum (lower for a minimisation,
    upper for a maximisation); it is clipped to the objective, since a valid
    bound can only be on that side of it, and rounding must not make it cross.
    """
    chosen = np.unique(np.asarray(selected, dtype=np.intp))
    bound = min(bound, objective) if sense == "min" else max(bound, objective)
    gap = relative_gap(objective, bound, sense)
    optimal = gap <= OPTIMALITY_TOLERANCE
    if optimal:
        gap, bound = 0.0, objective
    lower, upper = (bound, objective) if sense == "min" else (objective, bound)
    is_fixed = np.isin(chosen, fixed)
    return Solution(
        selected=tuple(chosen.tolist()),
        objective=float(objective),
        lower_bound=float(lower),
        upper_bound=float(upper),
        gap=float(gap),
        optimal=optimal,
        seconds=seconds,
        method=method,
        new=tuple(chosen[~is_fixed].tolist()),
        assignment=tuple(nearest_open(cost, chosen).tolist()),
        uncovered=tuple(np.asarray(uncovered, dtype=np.intp).tolist()),
        sense=sense,
    )
