"""Input validation and the wall-clock budget shared by the solvers."""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

__all__ = ["Deadline", "check_cost", "check_fixed", "check_k", "check_weights"]

CostArray = npt.NDArray[np.float64] | npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]


def check_cost(cost: npt.ArrayLike, *, finite: bool, allow_empty: bool = False) -> CostArray:
    """The cost matrix as a 2-D float32/float64 array, without copying if possible.

    NaN and negative minutes are refused; ``+inf`` ("unreachable") only when
    ``finite`` is False.
    """
    arr = np.asarray(cost)
    if arr.dtype not in (np.float32, np.float64):
        if arr.dtype.kind not in "iuf":
            raise ValueError(f"cost must be a numeric matrix of minutes, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
    if arr.ndim != 2:
        raise ValueError(f"cost must be a 2-D (n_demand, n_sites) matrix, got shape {arr.shape}")
    if not allow_empty and (arr.shape[0] == 0 or arr.shape[1] == 0):
        raise ValueError(
            f"cost must have at least one demand point and one site, got shape {arr.shape}"
        )
    if arr.size:
        # min() propagates NaN: one pass finds both NaN and negative values.
        low = float(arr.min())
        if math.isnan(low):
            raise ValueError("cost contains NaN; mark unreachable pairs with a large value")
        if low < 0.0:
            raise ValueError(f"cost must be >= 0 minutes, found {low}")
        if finite and math.isinf(float(arr.max())):
            raise ValueError("cost must be finite for this model; use a large value instead of inf")
    return arr


def check_weights(weights: npt.ArrayLike, n_demand: int) -> FloatArray:
    """Finite, non-negative float64 weights, one per demand point."""
    arr = np.asarray(weights, dtype=np.float64)
    if arr.shape != (n_demand,):
        raise ValueError(
            f"weights must have shape ({n_demand},), one per row of cost, got {arr.shape}"
        )
    if not np.isfinite(arr).all():
        raise ValueError("weights must be finite (no NaN or infinity)")
    if (arr < 0).any():
        raise ValueError("weights must be >= 0")
    return arr


def check_threshold(threshold: float) -> float:
    value = float(threshold)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"threshold must be a finite number of minutes >= 0, got {threshold!r}")
    return value


def check_fixed(fixed: Iterable[int], n_sites: int) -> IntArray:
    """Sorted, de-duplicated indices of the sites forced open."""
    try:
        values = [operator.index(v) for v in fixed]
    except TypeError as exc:
        raise ValueError("fixed must be a sequence of integer site indices") from exc
    bad = [v for v in values if not 0 <= v < n_sites]
    if bad:
        raise ValueError(f"fixed site index {bad[0]} out of range: cost has {n_sites} site columns")
    return np.unique(np.asarray(values, dtype=np.intp))


def check_k(k: int, n_sites: int, n_fixed: int) -> int:
    """Number of new sites: an integer with ``n_fixed + k <= n_sites``."""
    if isinstance(k, bool):
        raise ValueError(f"k must be an integer number of sites, got {k!r}")
    try:
        value = operator.index(k)
    except TypeError as exc:
        raise ValueError(f"k must be an integer number of sites, got {k!r}") from exc
    if value < 0:
        raise ValueError(f"k must be >= 0, got {value}")
    if value + n_fixed > n_sites:
        raise ValueError(
            f"k = {value} new sites plus {n_fixed} fixed site(s) is more than the "
            f"{n_sites} candidate sites"
        )
    return value


class Deadline:
    """Wall-clock budget of one solver call (``None`` = unlimited)."""

    def __init__(self, time_limit: float | None) -> None:
        if time_limit is not None:
            limit = float(time_limit)
            if not (limit > 0.0 and not math.isnan(limit)):
                raise ValueError(f"time_limit must be a number of seconds > 0, got {time_limit!r}")
            time_limit = limit
        self.start = time.perf_counter()
        self.limit = time_limit

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def remaining(self) -> float:
        """Seconds left, ``inf`` without a limit, never negative."""
        if self.limit is None:
            return math.inf
        return max(0.0, self.limit - self.elapsed())

    def expired(self) -> bool:
        return self.remaining() <= 0.0
