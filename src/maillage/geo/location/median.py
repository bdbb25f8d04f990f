"""p-median: ``k`` new sites minimising the total weighted travel time.

Heuristic first (greedy, then best-improvement interchange), then a Benders
decomposition of the *radius* formulation (Elloumi 2010; Duran-Mateluna,
Ales and Elloumi 2023). For demand point ``i`` with distinct travel times
``a_1 < a_2 < …`` to the sites, and ``z_t = 1`` when no open site is within
``a_t``::

    cost_i = a_1 + Σ_t (a_{t+1} − a_t) · z_t,   z_t >= 1 − Σ_{c_ij <= a_t} x_j

Projecting the ``z`` out leaves one family of cuts per demand point (see
:class:`_Cuts`), generated only where violated: the master problem has one
column per site and per demand point, and a few thousand rows where the
full formulation would have millions. Its LP value is the LP bound of the
classical formulation, which on geographic data is usually integral; when
it is not, the same master is solved as a MILP, with cuts added until its
solution is exact.
"""

from __future__ import annotations

import math
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
    check_weights,
)
from ._highs import Model
from .solution import Solution, build

__all__ = ["p_median"]

_MAX_ROUNDS = 200
# Cells per chunk when separating cuts: bounded temporaries.
_CHUNK_CELLS = 1 << 21
# Cumulative open mass counted as "reached 1" despite LP rounding.
_MASS_TOL = 1e-6
# Relative violation for a cut to be added: above the LP's tolerances, so
# that rounding noise cannot make the loop add the same cut forever.
_CUT_TOL = 1e-7
# Relative gap at which the search stops (the solution reports its own gap).
_CLOSE_TOL = 1e-10
# In-out stabilisation: weight of the LP point in the separation point, and
# share of the uniform point (p / m everywhere) in the initial core point.
_IN_OUT = 0.3
_CORE_MIX = 0.2


def _greedy(dist: FloatArray, w: FloatArray, cap: FloatArray, k: int) -> list[int]:
    """Add, k times, the site that lowers the weighted total the most."""
    served = cap.copy()
    chosen: list[int] = []
    for _ in range(k):
        # Nothing open yet (served is inf): compare the sites' own totals.
        totals = w @ (dist if np.isinf(served).any() else np.minimum(served[:, None], dist))
        totals[chosen] = np.inf
        j = int(np.argmin(totals))
        chosen.append(j)
        served = np.minimum(served, dist[:, j])
    return chosen


def _interchange(
    dist: FloatArray, w: FloatArray, cap: FloatArray, chosen: list[int], deadline: Deadline
) -> list[int]:
    """Best-improvement swaps (Teitz–Bart, with Whitaker's bookkeeping).

    Swapping open ``s`` for closed ``c`` changes the total by::

        Σ_i w_i (min(d1_i, c_ic) − d1_i)                         (gain of c)
        + Σ_{i: nearest is s} w_i (min(d2_i, c_ic) − min(d1_i, c_ic))

    with ``d1``, ``d2`` the first and second nearest open travel times
    (fixed sites included through ``cap``): two passes over the matrix give
    every pair at once.
    """
    chosen = list(chosen)
    n, m = dist.shape
    if not chosen or len(chosen) >= m:
        return chosen
    tol = 1e-12 * max(1.0, float(w @ dist.min(axis=1)))
    rows = np.arange(n)
    while not deadline.expired():
        sel = np.asarray(chosen, dtype=np.intp)
        sub = dist[:, sel]
        near = np.argmin(sub, axis=1)
        d1 = sub[rows, near]
        if sel.size > 1:
            sub[rows, near] = np.inf
            d2 = sub.min(axis=1)
        else:
            d2 = np.full(n, np.inf)
        # The fixed sites are never swapped out: they act as a cap on both.
        from_cap = cap < d1
        d2 = np.where(from_cap, d1, np.minimum(d2, cap))
        d1 = np.minimum(d1, cap)
        owner = np.where(from_cap, sel.size, near)
        closer = np.minimum(d1[:, None], dist)
        gain = w @ closer - float(w @ d1)
        loss = w[:, None] * (np.minimum(d2[:, None], dist) - closer)
        owners = sp.csr_array((np.ones(n), (owner, rows)), shape=(sel.size + 1, n))
        delta = gain[None, :] + (owners @ loss)[: sel.size]
        delta[:, sel] = np.inf
        best = int(np.argmin(delta))
        s, c = divmod(best, m)
        if delta[s, c] >= -tol:
            break
        chosen[s] = c
    return chosen


class _Cuts:
    """Benders cuts of the radius formulation, from each row's sorted travel times.

    For demand row ``i`` and any radius ``r``, every solution satisfies::

        θ_i >= r − Σ_j max(0, r − c_ij) · x_j

    (``θ_i`` = minutes to the nearest open site). At a fractional ``x`` the
    tightest one takes ``r`` where the open mass within ``r`` reaches 1; its
    value is the radius formulation's cost of row ``i`` at ``x``.
    """

    def __init__(self, dist: FloatArray) -> None:
        self.order = np.argsort(dist, axis=1, kind="stable").astype(np.int32)
        self.sorted = np.take_along_axis(dist, self.order, axis=1)
        m = dist.shape[1]
        self.step = max(1, _CHUNK_CELLS // max(m, 1))

    def separate(self, x: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Radius ``r`` of the tightest cut of each row at ``x``, and its value there."""
        n = self.sorted.shape[0]
        radius = np.empty(n)
        value = np.empty(n)
        for lo in range(0, n, self.step):
            hi = min(n, lo + self.step)
            mass = x[self.order[lo:hi]]
            reached = np.cumsum(mass, axis=1) >= 1.0 - _MASS_TOL
            # Rows that never reach 1 (Σx < 1 by rounding) take the nearest site:
            # any radius gives a valid cut.
            at = np.argmax(reached, axis=1)
            r = self.sorted[lo:hi][np.arange(hi - lo), at]
            saving = np.maximum(r[:, None] - self.sorted[lo:hi], 0.0)
            radius[lo:hi] = r
            value[lo:hi] = r - (saving * mass).sum(axis=1)
        return radius, value

    def value(self, x: FloatArray, radius: FloatArray) -> FloatArray:
        """Right-hand side of each row's cut of the given radius, at ``x``."""
        n = self.sorted.shape[0]
        out = np.empty(n)
        for lo in range(0, n, self.step):
            hi = min(n, lo + self.step)
            saving = np.maximum(radius[lo:hi, None] - self.sorted[lo:hi], 0.0)
            out[lo:hi] = radius[lo:hi] - (saving * x[self.order[lo:hi]]).sum(axis=1)
        return out

    def rows(self, which: IntArray, radius: FloatArray) -> sp.csr_array:
        """The cuts of rows ``which`` as CSR rows over the columns (x, θ)."""
        n, m = self.sorted.shape
        saving = np.maximum(radius[which, None] - self.sorted[which], 0.0)
        ii, ee = np.nonzero(saving)
        cols = np.concatenate([self.order[which][ii, ee], m + which])
        rows = np.concatenate([ii, np.arange(which.size)])
        vals = np.concatenate([saving[ii, ee], np.ones(which.size)])
        return sp.csr_array((vals, (rows, cols)), shape=(which.size, m + n))


def _integral(x: FloatArray) -> bool:
    return bool(np.all(np.minimum(x, 1.0 - x) <= 1e-6))


def _solve_exact(
    dist: FloatArray,
    w: FloatArray,
    fixed: IntArray,
    start: IntArray,
    deadline: Deadline,
) -> tuple[IntArray, float, str]:
    """Benders decomposition on the radius formulation: LP cutting planes, then MILP.

    ``dist`` covers all sites (fixed ones included, forced open); ``start``
    is the heuristic's open sites. Returns the best open sites, a lower bound
    valid for the p-median problem, and a note on how it was closed.
    """
    n, m = dist.shape
    cuts = _Cuts(dist)
    p = start.size
    col_lower = np.concatenate([np.zeros(m), dist.min(axis=1)])
    col_lower[fixed] = 1.0
    col_upper = np.concatenate([np.ones(m), np.full(n, np.inf)])
    card = sp.csr_array((np.ones(m), (np.zeros(m, dtype=np.intp), np.arange(m))), shape=(1, m + n))
    model = Model(np.concatenate([np.zeros(m), w]), card, [p], [p], col_lower, col_upper)

    best = start
    best_value = float(w @ dist[:, best].min(axis=1))
    # Everyone at their nearest site: a bound that needs no solver.
    lower = float(w @ col_lower[m:])

    def add_cuts(at: FloatArray, x: FloatArray | None, theta: FloatArray | None) -> bool:
        """Add the cuts separated at ``at`` that (x, theta) violates; all if None."""
        radius, _ = cuts.separate(at)
        if x is None or theta is None:
            violated = np.arange(n)
        else:
            value = cuts.value(x, radius)
            violated = np.flatnonzero(value > theta + _CUT_TOL * np.maximum(1.0, value))
        if violated.size:
            model.add_rows(
                cuts.rows(violated, radius), radius[violated], np.full(violated.size, np.inf)
            )
        return violated.size > 0

    def closed() -> bool:
        return lower >= best_value - _CLOSE_TOL * max(1.0, abs(best_value))

    x_best = np.zeros(m)
    x_best[best] = 1.0
    add_cuts(x_best, None, None)
    # In-out stabilisation (Ben-Ameur and Neto 2007): cuts are separated
    # between the LP point and a core point that moves towards it, which
    # avoids the wild oscillations of plain cutting planes.
    core = (1.0 - _CORE_MIX) * x_best + _CORE_MIX * p / m
    how = "lp"
    for _ in range(_MAX_ROUNDS):
        result = model.run(deadline.remaining())
        if not result.optimal or result.x is None:
            break
        lower = max(lower, result.value)
        x, theta = result.x[:m], result.x[m:]
        if _integral(x):
            sites = np.flatnonzero(x > 0.5)
            value = float(w @ dist[:, sites].min(axis=1))
            if value < best_value:
                best, best_value = sites, value
        if closed():
            break
        between = _IN_OUT * x + (1.0 - _IN_OUT) * core
        core = 0.5 * (core + between)
        # Nothing cut off from between: the LP point itself, plain Kelley.
        if not add_cuts(between, x, theta) and not add_cuts(x, x, theta):
            break
    if not closed() and not deadline.expired():
        how = "milp"
        model.set_integer(np.arange(m))
        for _ in range(_MAX_ROUNDS):
            served = dist[:, best].min(axis=1)
            x_best = np.zeros(m)
            x_best[best] = 1.0
            model.set_start(np.concatenate([x_best, served]))
            result = model.run(deadline.remaining())
            lower = max(lower, result.bound)
            if result.x is None:
                break
            sites = np.flatnonzero(result.x[:m] > 0.5)
            value = float(w @ dist[:, sites].min(axis=1))
            if value < best_value:
                best, best_value = sites, value
            x = np.zeros(m)
            x[sites] = 1.0
            if closed() or not result.optimal or not add_cuts(x, x, result.x[m:]):
                break
    return best, lower, how


def p_median(
    cost: npt.ArrayLike,
    weights: npt.ArrayLike,
    k: int,
    *,
    fixed: Iterable[int] = (),
    time_limit: float | None = None,
) -> Solution:
    """p-median: ``k`` new sites minimising ``Σ_i weights_i · (minutes to nearest open site)``.

    Parameters
    ----------
    cost : array_like, shape (n_demand, n_sites)
        Travel minutes, finite and ``>= 0``.
    weights : array_like, shape (n_demand,)
        Demand weight (e.g. population), ``>= 0``.
    k : int
        Number of **new** sites, in addition to ``fixed``.
    fixed : iterable of int, optional
        Sites that are open anyway.
    time_limit : float, optional
        Seconds; the best solution found is returned with its proven bound.

    Returns
    -------
    Solution
        ``objective`` is the weighted total of minutes (spopt's PMedian
        objective), ``assignment`` the site serving each demand point.

    Raises
    ------
    ValueError
        On a malformed or non-finite matrix, bad weights, ``k`` too large,
        no site to open at all, or a fixed index out of range.

    Examples
    --------
    >>> cost = [[0.0, 10.0, 20.0], [10.0, 0.0, 10.0], [20.0, 10.0, 0.0]]
    >>> s = p_median(cost, [1, 1, 5], k=1)
    >>> s.selected, s.objective, s.optimal
    ((2,), 30.0, True)
    >>> p_median(cost, [1, 1, 5], k=1, fixed=[2]).selected
    (0, 2)
    """
    deadline = Deadline(time_limit)
    matrix: CostArray = check_cost(cost, finite=True)
    n, m = matrix.shape
    w_all = check_weights(weights, n)
    fixed_idx = check_fixed(fixed, m)
    k = check_k(k, m, fixed_idx.size)
    if k + fixed_idx.size == 0:
        raise ValueError("p_median needs at least one open site: k >= 1 or some fixed sites")
    free = np.setdiff1d(np.arange(m), fixed_idx).astype(np.intp)
    rows = np.flatnonzero(w_all > 0)
    method = "fixed-sites"
    selected = fixed_idx
    lower = -math.inf
    if k and rows.size:
        # Zero-weight demand changes nothing: solve on the weighted rows only.
        dist = np.asarray(matrix[rows], dtype=np.float64)
        w = w_all[rows]
        cap = dist[:, fixed_idx].min(axis=1) if fixed_idx.size else np.full(rows.size, np.inf)
        sub = np.ascontiguousarray(dist[:, free])
        chosen = _interchange(sub, w, cap, _greedy(sub, w, cap, k), deadline)
        selected = np.concatenate([fixed_idx, free[np.asarray(chosen, dtype=np.intp)]])
        method = "greedy+swap"
        if not deadline.expired():
            selected, lower, how = _solve_exact(dist, w, fixed_idx, selected, deadline)
            method = f"greedy+swap+benders-{how}"
    elif k:
        # No weighted demand: every choice costs 0.
        selected = np.concatenate([fixed_idx, free[:k]])
    served = np.asarray(matrix[:, selected], dtype=np.float64).min(axis=1)
    objective = float(w_all @ served)
    if not (k and rows.size):
        lower = objective
    return build(
        cost=matrix,
        selected=selected,
        fixed=fixed_idx,
        objective=objective,
        bound=lower,
        sense="min",
        seconds=deadline.elapsed(),
        method=method,
    )
