"""Nearest site of every demand point, overall or per category of site."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Final, overload

import numpy as np
import numpy.typing as npt

from ._checks import FloatArray, IntArray

__all__ = ["nearest"]

# Rows per chunk when sites are split by category: one column gather per
# chunk, sized to stay in the last-level cache.
_CHUNK_CELLS: Final[int] = 1 << 18


def _matrix(cost: npt.ArrayLike) -> npt.NDArray[np.float64] | npt.NDArray[np.float32]:
    arr = np.asarray(cost)
    if arr.dtype not in (np.float32, np.float64):
        if arr.dtype.kind not in "iuf":
            raise ValueError(f"cost must be a numeric matrix of minutes, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
    if arr.ndim != 2:
        raise ValueError(f"cost must be a 2-D (n_demand, n_sites) matrix, got shape {arr.shape}")
    return arr


def _argmin(
    block: npt.NDArray[np.float64] | npt.NDArray[np.float32],
) -> tuple[IntArray, FloatArray]:
    """Column of the minimum of each row and its value; -1 and inf without a finite one."""
    n, m = block.shape
    if m == 0:
        return np.full(n, -1, dtype=np.intp), np.full(n, np.inf)
    index = np.argmin(block, axis=1)
    minutes = block[np.arange(n), index].astype(np.float64)
    # argmin returns the first NaN of a row holding one: checking the n
    # minima validates the whole matrix for free.
    if np.isnan(minutes).any():
        raise ValueError("cost contains NaN; mark unreachable pairs with inf")
    if n and float(minutes.min()) < 0.0:
        raise ValueError(f"cost must be >= 0 minutes, found {float(minutes.min())}")
    index[np.isinf(minutes)] = -1
    return index.astype(np.intp), minutes


@overload
def nearest(cost: npt.ArrayLike, categories: None = None) -> tuple[IntArray, FloatArray]: ...


@overload
def nearest(
    cost: npt.ArrayLike, categories: npt.ArrayLike
) -> dict[Hashable, tuple[IntArray, FloatArray]]: ...


def nearest(
    cost: npt.ArrayLike, categories: npt.ArrayLike | None = None
) -> tuple[IntArray, FloatArray] | dict[Hashable, tuple[IntArray, FloatArray]]:
    """Nearest site of each demand point and its travel minutes.

    Parameters
    ----------
    cost : array_like, shape (n_demand, n_sites)
        Travel minutes, ``>= 0``; ``inf`` marks an unreachable pair. A
        float32 matrix is used as is (no copy): half the memory traffic.
    categories : array_like, shape (n_sites,), optional
        A label per site (e.g. a kind of structure). When given, the nearest
        site of each category is returned.

    Returns
    -------
    (index, minutes) or dict
        ``index`` (int, the column of the nearest site, lowest on ties, -1
        when no site is reachable) and ``minutes`` (float64, ``inf`` when
        unreachable), one entry per demand point. With ``categories``, a dict
        mapping each label (sorted) to such a pair, indices still being
        columns of ``cost``.

    Raises
    ------
    ValueError
        If ``cost`` is not a 2-D numeric matrix, holds NaN or negative
        minutes, or ``categories`` does not have one label per site.

    Examples
    --------
    >>> cost = [[12.0, 5.0, 40.0], [30.0, 25.0, 8.0]]
    >>> index, minutes = nearest(cost)
    >>> index.tolist(), minutes.tolist()
    ([1, 2], [5.0, 8.0])
    >>> by_kind = nearest(cost, categories=["tiers-lieu", "tiers-lieu", "pépinière"])
    >>> by_kind["tiers-lieu"][0].tolist(), by_kind["pépinière"][1].tolist()
    ([1, 1], [40.0, 8.0])
    """
    arr = _matrix(cost)
    if categories is None:
        return _argmin(arr)
    labels = np.asarray(categories)
    if labels.shape != (arr.shape[1],):
        raise ValueError(
            f"categories must have one label per site: shape ({arr.shape[1]},), got {labels.shape}"
        )
    unique, inverse = np.unique(labels, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(unique.size + 1))
    n = arr.shape[0]
    index = np.empty((unique.size, n), dtype=np.intp)
    minutes = np.empty((unique.size, n))
    step = max(1, _CHUNK_CELLS // max(arr.shape[1], 1))
    for lo in range(0, n, step):
        # One gather per chunk puts each category's columns side by side.
        block = arr[lo : lo + step][:, order]
        for c in range(unique.size):
            part, value = _argmin(block[:, bounds[c] : bounds[c + 1]])
            index[c, lo : lo + step] = np.where(part >= 0, order[bounds[c] + part], -1)
            minutes[c, lo : lo + step] = value
    keys: list[Hashable] = unique.tolist()
    return {key: (index[c], minutes[c]) for c, key in enumerate(keys)}
