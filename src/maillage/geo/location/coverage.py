"""Coverage models: fewest sites covering everyone (LSCP), most weight with k sites (MCLP).

A demand point is covered when an open site is within ``threshold``
minutes (``cost <= threshold``). Both models are solved on the reduced
problem of :mod:`._cover` (merged demand, no dominated sites), first by a
greedy heuristic, then by HiGHS when a bound does not already prove it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy ships no stubs

from ._checks import (
    Deadline,
    FloatArray,
    IntArray,
    check_cost,
    check_fixed,
    check_k,
    check_threshold,
    check_weights,
)
from ._cover import (
    Csr,
    coverage,
    covered_weight,
    greedy_cover,
    packing_bound,
    prune_cover,
    reduce_cover,
    reduce_rows,
    swap_cover,
)
from ._highs import solve_mip
from .solution import Solution, build

__all__ = ["lscp", "mclp"]


def _split(a: Csr, fixed: IntArray) -> tuple[npt.NDArray[np.bool_], IntArray]:
    """Rows already covered by a fixed site, and the free (not fixed) columns."""
    by_fixed = np.zeros(a.shape[0], dtype=bool)
    if fixed.size:
        by_fixed = np.asarray(a[:, fixed].sum(axis=1)).ravel() > 0
    free = np.setdiff1d(np.arange(a.shape[1]), fixed).astype(np.intp)
    return by_fixed, free


def _row_counts(a: Csr) -> npt.NDArray[np.int64]:
    indptr: npt.NDArray[np.int64] = np.asarray(a.indptr, dtype=np.int64)
    return indptr[1:] - indptr[:-1]


def lscp(
    cost: npt.ArrayLike,
    threshold: float,
    *,
    fixed: Iterable[int] = (),
    time_limit: float | None = None,
) -> Solution:
    """Location set covering: the fewest sites within ``threshold`` of every demand point.

    Parameters
    ----------
    cost : array_like, shape (n_demand, n_sites)
        Travel minutes, ``>= 0``; ``inf`` marks an unreachable pair.
    threshold : float
        Maximal travel minutes for a demand point to count as covered.
    fixed : iterable of int, optional
        Sites that are open anyway (existing structures).
    time_limit : float, optional
        Seconds; the best cover found is returned with its proven bound.

    Returns
    -------
    Solution
        ``objective`` counts **all** open sites, fixed ones included (so
        that it is comparable with and without them); ``len(new)`` is the
        number of sites to open. Demand points that no site can reach are
        listed in ``uncovered`` and ignored: the cover is of all the others.

    Raises
    ------
    ValueError
        On a malformed matrix, a negative or NaN threshold, or a fixed index
        out of range.

    Examples
    --------
    Three villages, two candidate sites; the third village is 50 minutes
    from everything:

    >>> cost = [[10.0, 40.0], [25.0, 12.0], [50.0, 55.0]]
    >>> s = lscp(cost, 30)
    >>> s.selected, s.objective, s.optimal, s.uncovered
    ((0,), 1.0, True, (2,))
    """
    deadline = Deadline(time_limit)
    matrix = check_cost(cost, finite=False)
    m = matrix.shape[1]
    limit = check_threshold(threshold)
    fixed_idx = check_fixed(fixed, m)
    a = coverage(matrix, limit)
    coverable = _row_counts(a) > 0
    by_fixed, free = _split(a, fixed_idx)
    rows = np.flatnonzero(coverable & ~by_fixed)
    method = "fixed-sites"
    new: list[int] = []
    bound = 0.0
    if rows.size:
        red = reduce_cover(a, rows, free)
        sub = red.matrix
        ones = np.ones(sub.shape[0])
        chosen = prune_cover(sub, greedy_cover(sub, ones, sub.shape[1]))
        bound = float(packing_bound(sub))
        method = "greedy"
        if len(chosen) > bound:
            method = "greedy+highs"
            q = sub.shape[1]
            start = np.zeros(q)
            start[chosen] = 1.0
            result = solve_mip(
                np.ones(q),
                sub.astype(np.float64),
                ones,
                np.full(sub.shape[0], np.inf),
                np.zeros(q),
                np.ones(q),
                np.ones(q, dtype=bool),
                time_limit=deadline.remaining(),
                start=start,
            )
            if result.x is not None and result.value < len(chosen) - 0.5:
                chosen = np.flatnonzero(result.x > 0.5).tolist()
            # Counting sites: any bound rounds up to the next integer.
            if math.isfinite(result.bound):
                bound = max(bound, math.ceil(result.bound - 1e-6))
        new = red.columns[chosen].tolist()
    selected = np.concatenate([fixed_idx, np.asarray(new, dtype=np.intp)])
    return build(
        cost=matrix,
        selected=selected,
        fixed=fixed_idx,
        objective=float(np.unique(selected).size),
        bound=fixed_idx.size + bound,
        sense="min",
        seconds=deadline.elapsed(),
        method=method,
        uncovered=np.flatnonzero(~coverable),
    )


def _mclp_milp(
    sub: Csr, weights: FloatArray, k: int, chosen: list[int], seconds: float
) -> tuple[list[int], float]:
    """Exact MCLP on the reduced problem: ``max w·y, y_g <= Σ x covering g, Σ x <= k``.

    Returns the best columns and HiGHS' proven upper bound.
    """
    r, q = sub.shape
    cover = sp.hstack([-sub.astype(np.float64), sp.eye_array(r)], format="csr")
    card = sp.hstack([sp.csr_array(np.ones((1, q))), sp.csr_array((1, r))], format="csr")
    matrix = sp.vstack([cover, card], format="csr")
    start = np.zeros(q + r)
    start[chosen] = 1.0
    start[q:] = np.asarray(sub[:, chosen].sum(axis=1)).ravel() > 0
    result = solve_mip(
        np.concatenate([np.zeros(q), weights]),
        matrix,
        np.full(r + 1, -np.inf),
        np.concatenate([np.zeros(r), [k]]),
        np.zeros(q + r),
        np.ones(q + r),
        np.arange(q + r) < q,
        maximize=True,
        time_limit=seconds,
        start=start,
        # Already reduced (merged rows, dominated sites): HiGHS' presolve
        # would only cost time (measured ~30 % on real instances).
        presolve=False,
    )
    if result.x is not None:
        found = np.flatnonzero(result.x[:q] > 0.5)
        if covered_weight(sub, weights, found) > covered_weight(
            sub, weights, np.asarray(chosen, dtype=np.intp)
        ):
            chosen = found.tolist()
    return chosen, result.bound


def mclp(
    cost: npt.ArrayLike,
    weights: npt.ArrayLike,
    threshold: float,
    k: int,
    *,
    fixed: Iterable[int] = (),
    time_limit: float | None = None,
) -> Solution:
    """Maximal covering location: ``k`` new sites covering the most demand weight.

    Parameters
    ----------
    cost : array_like, shape (n_demand, n_sites)
        Travel minutes, ``>= 0``; ``inf`` marks an unreachable pair.
    weights : array_like, shape (n_demand,)
        Demand weight (e.g. population), ``>= 0``.
    threshold : float
        Maximal travel minutes for a demand point to count as covered.
    k : int
        Number of **new** sites, opened in addition to ``fixed``
        (``len(selected) == len(fixed) + k``). spopt counts its predefined
        sites within its ``p_facilities`` instead.
    fixed : iterable of int, optional
        Sites that are open anyway; what they cover counts in the objective.
    time_limit : float, optional
        Seconds; the best solution found is returned with its proven bound.

    Returns
    -------
    Solution
        ``objective`` is the covered weight, ``upper_bound`` a proven bound
        on the best possible, ``uncovered`` the demand points left uncovered.
        When fewer than ``k`` sites already cover all coverable weight, the
        remaining ones are the free sites covering the most weight.

    Raises
    ------
    ValueError
        On a malformed matrix or weights, ``k`` too large, or a fixed index
        out of range.

    Examples
    --------
    >>> cost = [[5.0, 50.0, 50.0], [50.0, 5.0, 50.0], [50.0, 50.0, 5.0]]
    >>> s = mclp(cost, [100, 10, 50], threshold=30, k=2)
    >>> s.selected, s.objective, s.optimal, s.uncovered
    ((0, 2), 150.0, True, (1,))
    >>> mclp(cost, [100, 10, 50], threshold=30, k=1, fixed=[1]).selected
    (0, 1)
    """
    deadline = Deadline(time_limit)
    matrix = check_cost(cost, finite=False)
    n, m = matrix.shape
    w = check_weights(weights, n)
    limit = check_threshold(threshold)
    fixed_idx = check_fixed(fixed, m)
    k = check_k(k, m, fixed_idx.size)
    a = coverage(matrix, limit)
    by_fixed, free = _split(a, fixed_idx)
    reachable = np.asarray(a[:, free].sum(axis=1)).ravel() > 0
    rows = np.flatnonzero(reachable & ~by_fixed & (w > 0))
    red = reduce_rows(a, w, rows, free)
    sub, v = red.matrix, red.weights
    q = sub.shape[1]
    if k >= q:
        chosen, bound, method = list(range(q)), float(v.sum()), "all-useful-sites"
    else:
        chosen = swap_cover(sub, v, greedy_cover(sub, v, k))
        # Combinatorial bound: the k heaviest sites, as if they did not overlap.
        alone = np.sort(np.asarray(sub.T @ v, dtype=np.float64))[::-1]
        bound = min(float(v.sum()), float(alone[:k].sum()))
        method = "greedy+swap"
        if bound - covered_weight(sub, v, np.asarray(chosen)) > 1e-9 * max(bound, 1.0):
            method = "greedy+swap+highs"
            chosen, milp_bound = _mclp_milp(sub, v, k, chosen, deadline.remaining())
            bound = min(bound, milp_bound)
    new = red.columns[np.asarray(chosen, dtype=np.intp)]
    if new.size < k:
        # Extra sites add no coverage; take the free ones covering the most.
        spare = np.setdiff1d(free, new)
        reach = np.asarray(a[:, spare].T @ w).ravel()
        order = np.lexsort((spare, -reach))
        new = np.concatenate([new, spare[order[: k - new.size]]])
    selected = np.concatenate([fixed_idx, new])
    covered = np.asarray(a[:, selected].sum(axis=1)).ravel() > 0
    base = float(w[by_fixed].sum())
    return build(
        cost=matrix,
        selected=selected,
        fixed=fixed_idx,
        objective=float(w[covered].sum()),
        bound=base + bound,
        sense="max",
        seconds=deadline.elapsed(),
        method=method,
        uncovered=np.flatnonzero(~covered),
    )
