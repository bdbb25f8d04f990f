"""Sparse coverage matrices and the reductions and heuristics built on them.

A coverage model only needs the (demand, site) pairs within the threshold:
a few per demand point on real data. Demand points covered by the same set
of sites are interchangeable (merged, weights summed), and a site whose
covered set is contained in another's is never needed (dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy ships no stubs

from ._checks import CostArray, FloatArray, IntArray

__all__ = [
    "Reduced",
    "coverage",
    "covered_weight",
    "dominated_columns",
    "dominated_rows",
    "greedy_cover",
    "identical_rows",
    "packing_bound",
    "prune_cover",
    "reduce_cover",
    "reduce_rows",
    "swap_cover",
]

# Cells per chunk when thresholding the dense matrix: bounded temporaries.
_CHUNK_CELLS: Final[int] = 1 << 20
_SEED: Final[int] = 20_240_601
# Dominance checks: below _CHEAP_PAIRS row pairs sharing a column, a sparse
# product; else dense products up to _DENSE_FLOPS multiply-adds (rows² ×
# columns, about a second); else sparse again up to _SPARSE_PAIRS pairs.
_CHEAP_PAIRS: Final[int] = 2_000_000
_DENSE_FLOPS: Final[float] = 3e10
_SPARSE_PAIRS: Final[int] = 50_000_000

# A scipy.sparse.csr_array (Any to mypy: scipy has no type stubs).
Csr: TypeAlias = Any


def coverage(cost: CostArray, threshold: float, columns: IntArray | None = None) -> Csr:
    """Boolean CSR matrix of ``cost[:, columns] <= threshold`` (sorted indices).

    Compared in float64, so that a float32 matrix is not judged against a
    threshold rounded to float32.
    """
    sub = cost if columns is None else cost[:, columns]
    n, m = sub.shape
    step = max(1, _CHUNK_CELLS // max(m, 1))
    counts = np.zeros(n, dtype=np.int64)
    indices: list[npt.NDArray[np.int64]] = []
    for start in range(0, n, step):
        block = np.asarray(sub[start : start + step], dtype=np.float64) <= threshold
        rows, cols = np.nonzero(block)
        counts[start : start + step] = np.bincount(rows, minlength=block.shape[0])
        indices.append(cols.astype(np.int64))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    flat = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    return sp.csr_array((np.ones(flat.size, dtype=bool), flat, indptr), shape=(n, m))


def _row_keys(a: Csr) -> npt.NDArray[np.uint64]:
    """Per row: (length, two random 64-bit hashes of its column set)."""
    rng = np.random.default_rng(_SEED)
    keys = rng.integers(0, np.iinfo(np.uint64).max, size=(2, a.shape[1]), dtype=np.uint64)
    out = np.empty((a.shape[0], 3), dtype=np.uint64)
    out[:, 0] = np.diff(a.indptr)
    for h in range(2):
        # Sums modulo 2**64 of the columns' keys: prefix sums wrap consistently.
        prefix = np.zeros(a.nnz + 1, dtype=np.uint64)
        np.cumsum(keys[h][a.indices], out=prefix[1:])
        out[:, h + 1] = prefix[a.indptr[1:]] - prefix[a.indptr[:-1]]
    return out


def identical_rows(a: Csr) -> tuple[IntArray, IntArray]:
    """Group the rows with the same column set.

    Returns ``(group, first)``: the group of each row and the first row of
    each group, groups numbered in order of their first row.
    """
    n = a.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    keys = _row_keys(a)
    _, first_sorted, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first_sorted, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    group = rank[inverse.ravel()].astype(np.intp)
    first = first_sorted[order].astype(np.intp)
    # Equal keys almost surely mean equal sets; check it exactly, entry by entry.
    lengths = np.diff(a.indptr)
    own = np.repeat(a.indptr[:-1], lengths)
    rep = np.repeat(a.indptr[first[group]], lengths)
    offset = np.arange(a.nnz) - own
    if not np.array_equal(a.indices[own + offset], a.indices[rep + offset]):
        return _identical_rows_exact(a)
    return group, first


def _identical_rows_exact(a: Csr) -> tuple[IntArray, IntArray]:
    """Slow exact grouping, only used after a hash collision."""
    seen: dict[tuple[int, ...], int] = {}
    group = np.empty(a.shape[0], dtype=np.intp)
    first: list[int] = []
    for i in range(a.shape[0]):
        key = tuple(a.indices[a.indptr[i] : a.indptr[i + 1]].tolist())
        if key not in seen:
            seen[key] = len(first)
            first.append(i)
        group[i] = seen[key]
    return group, np.asarray(first, dtype=np.intp)


def _nested(a: Csr, *, subset: bool) -> npt.NDArray[np.bool_]:
    """Rows that are a subset (``subset``) or a superset of another row.

    Among equal rows the lowest index is the one kept (not flagged): with
    "strictly smaller/larger, or equal with a higher index" the relation is a
    strict order, so every flagged row is related to an unflagged one.
    Row overlaps come from a sparse product when rows share few columns,
    else from dense BLAS products by blocks of rows (large radii); when both
    would be too costly nothing is flagged (the reduction is optional).
    """
    r, q = a.shape
    size = np.diff(a.indptr).astype(np.int64)
    flagged = np.zeros(r, dtype=bool)
    per_column = np.diff(sp.csc_array(a).indptr).astype(np.int64)
    pairs = int((per_column**2).sum())
    if pairs > _CHEAP_PAIRS and r * r * q <= _DENSE_FLOPS:
        dense = a.toarray().astype(np.float32)  # counts are exact in float32 below 2**24
        other = np.arange(r)[None, :]
        step = max(1, _CHUNK_CELLS // max(r, 1))
        for lo in range(0, r, step):
            shared = dense[lo : lo + step] @ dense.T
            mine = size[lo : lo + step, None]
            own = np.arange(lo, lo + shared.shape[0])[:, None]
            tie = (size[None, :] == mine) & (other < own)
            if subset:  # row inside another one
                hit = (shared == mine) & ((size[None, :] > mine) | tie)
            else:  # another row inside this one
                hit = (shared == size[None, :]) & ((size[None, :] < mine) | tie)
            flagged[lo : lo + shared.shape[0]] = hit.any(axis=1)
        return flagged
    if min(pairs, r * r) > _SPARSE_PAIRS:
        return flagged
    ai = a.astype(np.int32)
    common = sp.coo_array(ai @ ai.T)
    i, j, shared_ij = common.row, common.col, common.data
    tie_ij = (size[j] == size[i]) & (j < i)
    if subset:
        hit_ij = (shared_ij == size[i]) & ((size[j] > size[i]) | tie_ij)
    else:
        hit_ij = (shared_ij == size[j]) & ((size[j] < size[i]) | tie_ij)
    flagged[i[hit_ij]] = True
    return flagged


def dominated_columns(a: Csr) -> npt.NDArray[np.bool_]:
    """Columns whose row set is empty or inside another column's: never needed."""
    columns = sp.csr_array(a.T)
    columns.sort_indices()
    empty = np.diff(columns.indptr) == 0
    return np.asarray(empty | _nested(columns, subset=True), dtype=np.bool_)


def dominated_rows(a: Csr) -> npt.NDArray[np.bool_]:
    """Rows whose column set contains another row's: covering the smaller covers them.

    Only for covering constraints that must all hold (LSCP, p-center), not
    for weighted coverage.
    """
    return _nested(a, subset=False)


@dataclass(frozen=True)
class Reduced:
    """A coverage problem on merged rows and useful columns.

    ``matrix[g, c]`` tells whether site ``columns[c]`` covers row group ``g``,
    of weight ``weights[g]`` (the summed weights of the demand rows merged).
    """

    matrix: Csr
    weights: FloatArray
    columns: IntArray


def reduce_rows(a: Csr, weights: FloatArray, rows: IntArray, columns: IntArray) -> Reduced:
    """Merge identical rows of ``a[rows][:, columns]`` and drop dominated columns."""
    sub = sp.csr_array(a[rows][:, columns])
    sub.sort_indices()
    group, first = identical_rows(sub)
    merged = np.bincount(group, weights=weights[rows], minlength=first.size)
    reps = sp.csr_array(sub[first])
    keep = ~dominated_columns(reps)
    matrix = sp.csr_array(reps[:, np.flatnonzero(keep)])
    matrix.sort_indices()
    return Reduced(matrix, merged.astype(np.float64), columns[keep])


def reduce_cover(a: Csr, rows: IntArray, columns: IntArray) -> Reduced:
    """Reduced set cover of ``a[rows][:, columns]``: every row must be covered.

    The classic set-cover reductions, repeated until nothing changes:
    identical rows merged, dominated columns dropped (cheap: few columns),
    then dominated rows dropped (on rows already shortened by the former).
    ``weights`` counts the demand rows merged into each remaining row (those
    of dropped rows are not carried over: covering is all that matters).
    """
    red = reduce_rows(a, np.ones(a.shape[0]), rows, columns)
    matrix, weights, cols = red.matrix, red.weights, red.columns
    while matrix.shape[0]:
        keep_rows = ~dominated_rows(matrix)
        if keep_rows.all():
            break
        matrix = sp.csr_array(matrix[np.flatnonzero(keep_rows)])
        weights = weights[keep_rows]
        keep_cols = ~dominated_columns(matrix)
        cols = cols[keep_cols]
        matrix = sp.csr_array(matrix[:, np.flatnonzero(keep_cols)])
        matrix.sort_indices()
        group, first = identical_rows(matrix)
        weights = np.bincount(group, weights=weights, minlength=first.size).astype(np.float64)
        matrix = sp.csr_array(matrix[first])
    return Reduced(matrix, weights, cols)


def greedy_cover(a: Csr, weights: FloatArray, limit: int) -> list[int]:
    """Greedy maximal coverage: up to ``limit`` columns, each the best gain.

    Stops early when no column adds weight (everything coverable is covered).
    With ``limit`` = number of columns and unit weights it is the classic
    greedy set cover.
    """
    csc = sp.csc_array(a)
    gains = np.asarray(csc.T @ weights, dtype=np.float64)
    covered = np.zeros(a.shape[0], dtype=bool)
    chosen: list[int] = []
    while len(chosen) < limit:
        j = int(np.argmax(gains))
        if gains[j] <= 0.0:
            break
        chosen.append(j)
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        new = rows[~covered[rows]]
        covered[new] = True
        # Each newly covered row stops counting for every column covering it.
        lost = sp.csr_array(a[new]).T @ weights[new]
        gains -= lost
        gains[j] = -np.inf
    return chosen


def covered_weight(a: Csr, weights: FloatArray, chosen: IntArray) -> float:
    counts = a[:, chosen].sum(axis=1) if chosen.size else np.zeros(a.shape[0])
    return float(weights[np.asarray(counts).ravel() > 0].sum())


def swap_cover(a: Csr, weights: FloatArray, chosen: list[int], max_rounds: int = 500) -> list[int]:
    """Best-improvement interchange: swap one open column for a closed one.

    For open ``s`` and closed ``c``, with ``n`` the open columns covering
    each row, the change of covered weight is::

        gain0[c] + both[c, s] - loss[s]
        gain0[c] = weight of rows covered by c and by no open column
        both[c, s] = weight of rows covered by c and by s only
        loss[s] = weight of rows covered by s only
    """
    chosen = list(chosen)
    if not chosen or len(chosen) >= a.shape[1]:
        return chosen
    tol = 1e-12 * max(1.0, float(weights.sum()))
    at = sp.csr_array(a.T)
    for _ in range(max_rounds):
        sel = np.asarray(chosen, dtype=np.intp)
        counts = np.asarray(a[:, sel].sum(axis=1)).ravel()
        alone = weights * (counts == 1)
        gain0 = at @ (weights * (counts == 0))
        loss = a[:, sel].T @ alone
        both = (at @ sp.diags_array(alone) @ a[:, sel]).toarray()
        delta = gain0[:, None] + both - loss[None, :]
        delta[sel, :] = -np.inf
        best = int(np.argmax(delta))
        c, s = divmod(best, sel.size)
        if delta[c, s] <= tol:
            break
        chosen[s] = c
    return chosen


def prune_cover(a: Csr, chosen: list[int]) -> list[int]:
    """Drop columns of a cover whose rows are all covered by other chosen columns.

    Tried in reverse order of choice: the last greedy picks are the least useful.
    """
    kept = list(chosen)
    if not kept:
        return kept
    csc = sp.csc_array(a)
    counts = np.asarray(a[:, np.asarray(kept)].sum(axis=1)).ravel()
    for j in reversed(chosen):
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        if (counts[rows] >= 2).all():
            counts[rows] -= 1
            kept.remove(j)
    return kept


def packing_bound(a: Csr) -> int:
    """Lower bound on a set cover: rows whose column sets are pairwise disjoint.

    Each such row needs a column of its own. Rows are taken shortest first,
    greedily; cheap, and often exact on geographic data where far-apart
    demand points share no site.
    """
    lengths = np.diff(a.indptr)
    used = np.zeros(a.shape[1], dtype=bool)
    count = 0
    for i in np.argsort(lengths, kind="stable").tolist():
        cols = a.indices[a.indptr[i] : a.indptr[i + 1]]
        if cols.size and not used[cols].any():
            used[cols] = True
            count += 1
    return count
