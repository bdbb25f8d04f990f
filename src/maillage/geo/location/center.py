"""p-center: ``k`` new sites minimising the longest travel time to the nearest open site.

The optimum is one of the matrix's values, and "can ``k`` sites bring
everyone within ``r``?" is a set cover, monotone in ``r``: a binary search
over the sorted distinct values finds the smallest feasible one. Each check
is screened cheaply before any solver: a greedy cover of at most ``k`` sites
proves feasibility, more than ``k`` demand points with pairwise disjoint
covering sets prove infeasibility; only the undecided ones go to HiGHS (a
feasibility MILP on the reduced cover, stopped at its first solution).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy ships no stubs

from ._checks import (
    CostArray,
    Deadline,
    FloatArray,
    IntArray,
    check_cost,
    check_fixed,
    check_k,
)
from ._cover import coverage, greedy_cover, packing_bound, prune_cover, reduce_cover
from ._highs import solve_mip
from .solution import Solution, build

__all__ = ["p_center"]


def _greedy_center(dist: FloatArray, cap: FloatArray, k: int) -> list[int]:
    """Add, k times, the site that lowers the current longest travel time most.

    Ties (frequent once the farthest point is fixed) go to the lower total.
    """
    served = cap.copy()
    chosen: list[int] = []
    for _ in range(k):
        candidate = np.minimum(served[:, None], dist)
        worst = candidate.max(axis=0)
        total = candidate.sum(axis=0)
        worst[chosen] = np.inf
        j = int(np.lexsort((total, worst))[0])
        chosen.append(j)
        served = np.minimum(served, dist[:, j])
    return chosen


class _Checker:
    """Feasibility of a radius: can ``k`` free sites cover what the fixed ones miss?"""

    def __init__(
        self, matrix: CostArray, fixed: IntArray, free: IntArray, k: int, deadline: Deadline
    ) -> None:
        self.matrix, self.free, self.k, self.deadline = matrix, free, k, deadline
        self.cap = (
            np.asarray(matrix[:, fixed], dtype=np.float64).min(axis=1)
            if fixed.size
            else np.full(matrix.shape[0], np.inf)
        )
        self.milp_calls = 0

    def __call__(self, radius: float) -> tuple[bool | None, IntArray]:
        """(True, sites) when feasible, (False, []) when not, (None, []) out of time."""
        nothing = np.zeros(0, dtype=np.intp)
        rows = np.flatnonzero(self.cap > radius)
        if rows.size == 0:
            return True, nothing
        a = coverage(self.matrix[rows], radius, self.free)
        if (np.diff(a.indptr) == 0).any():
            return False, nothing
        red = reduce_cover(a, np.arange(rows.size), np.arange(self.free.size))
        sub = red.matrix
        ones = np.ones(sub.shape[0])
        chosen = prune_cover(sub, greedy_cover(sub, ones, sub.shape[1]))
        if len(chosen) <= self.k:
            return True, self.free[red.columns[chosen]]
        if packing_bound(sub) > self.k:
            return False, nothing
        if self.deadline.expired():
            return None, nothing
        self.milp_calls += 1
        q = sub.shape[1]
        # Σ x <= k with the objective Σ x: the LP bound prunes early, and the
        # run stops at the first cover found.
        matrix = sp.vstack([sub.astype(np.float64), sp.csr_array(np.ones((1, q)))], format="csr")
        result = solve_mip(
            np.ones(q),
            matrix,
            np.append(ones, -np.inf),
            np.append(np.full(sub.shape[0], np.inf), self.k),
            np.zeros(q),
            np.ones(q),
            np.ones(q, dtype=bool),
            time_limit=self.deadline.remaining(),
            first_feasible=True,
        )
        if result.x is not None:
            return True, self.free[red.columns[np.flatnonzero(result.x > 0.5)]]
        if result.infeasible:
            return False, nothing
        return None, nothing


def p_center(
    cost: npt.ArrayLike,
    k: int,
    *,
    fixed: Iterable[int] = (),
    time_limit: float | None = None,
) -> Solution:
    """p-center: ``k`` new sites minimising the maximal travel time to the nearest open site.

    Parameters
    ----------
    cost : array_like, shape (n_demand, n_sites)
        Travel minutes, finite and ``>= 0``.
    k : int
        Number of **new** sites, in addition to ``fixed``.
    fixed : iterable of int, optional
        Sites that are open anyway.
    time_limit : float, optional
        Seconds; the best solution found is returned with its proven bound
        (the smallest radius not yet proven infeasible).

    Returns
    -------
    Solution
        ``objective`` is the longest travel time in minutes (spopt's PCenter
        objective). Many site sets usually share the optimal radius: the one
        returned is the first found, not the best on any other criterion.

    Raises
    ------
    ValueError
        On a malformed or non-finite matrix, ``k`` too large, no site to
        open at all, or a fixed index out of range.

    Examples
    --------
    >>> cost = [[0.0, 10.0, 20.0], [10.0, 0.0, 10.0], [20.0, 10.0, 0.0]]
    >>> s = p_center(cost, k=1)
    >>> s.selected, s.objective, s.optimal
    ((1,), 10.0, True)
    """
    deadline = Deadline(time_limit)
    matrix = check_cost(cost, finite=True)
    m = matrix.shape[1]
    fixed_idx = check_fixed(fixed, m)
    k = check_k(k, m, fixed_idx.size)
    if k + fixed_idx.size == 0:
        raise ValueError("p_center needs at least one open site: k >= 1 or some fixed sites")
    free = np.setdiff1d(np.arange(m), fixed_idx).astype(np.intp)
    check = _Checker(matrix, fixed_idx, free, k, deadline)
    dist = np.asarray(matrix[:, free], dtype=np.float64)
    chosen = free[_greedy_center(dist, check.cap, k)] if k else free[:0]
    best = np.concatenate([fixed_idx, chosen])
    upper = float(np.asarray(matrix[:, best], dtype=np.float64).min(axis=1).max())
    # Everyone needs a site: no radius below the farthest nearest site works.
    lower = float(np.asarray(matrix, dtype=np.float64).min(axis=1).max())
    values = np.unique(matrix[(matrix >= lower) & (matrix <= upper)]).astype(np.float64)
    lo, hi = 0, values.size - 1  # values[hi] is feasible (it is upper)
    method = "greedy"
    while lo < hi and not deadline.expired():
        mid = (lo + hi) // 2
        feasible, sites = check(float(values[mid]))
        if feasible is None:
            break
        if feasible:
            best = np.concatenate([fixed_idx, sites])
            reached = float(np.asarray(matrix[:, best], dtype=np.float64).min(axis=1).max())
            # The cover found may do better than asked: jump to its radius.
            hi = int(np.searchsorted(values, reached))
        else:
            lo = mid + 1
        method = "binary-search+highs" if check.milp_calls else "binary-search"
    if best.size < fixed_idx.size + k:
        # A cover of fewer than k new sites: complete it, it can only help.
        spare = np.setdiff1d(free, best)
        best = np.concatenate([best, spare[: fixed_idx.size + k - best.size]])
    objective = float(np.asarray(matrix[:, best], dtype=np.float64).min(axis=1).max())
    return build(
        cost=matrix,
        selected=best,
        fixed=fixed_idx,
        objective=objective,
        # Every value below values[lo] is proven infeasible (or below `lower`).
        bound=float(values[lo]),
        sense="min",
        seconds=deadline.elapsed(),
        method=method,
    )
