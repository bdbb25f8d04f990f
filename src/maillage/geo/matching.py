"""Locating the cells of a travel-time matrix that a table overrides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .distance import FloatArray

__all__ = ["OverrideMatch"]

IntArray = npt.NDArray[np.intp]
StrArray = npt.NDArray[np.str_]


def _match_codes(keys: StrArray, codes: StrArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Position of each code in the sorted unique ``keys``, and whether it is there."""
    pos = np.searchsorted(keys, codes)
    pos = np.minimum(pos, max(keys.size - 1, 0))
    found = keys[pos] == codes if keys.size else np.zeros(codes.shape, dtype=np.bool_)
    return pos, found


def _expand(inverse: IntArray, n_keys: int, keys: IntArray) -> tuple[IntArray, IntArray]:
    """For each ``keys[k]``, every index ``i`` with ``inverse[i] == keys[k]``.

    Returns ``(k, i)`` pairs as two arrays. A code may appear several times in
    the matrix (e.g. two destinations in one commune): all its rows get the
    override, without a Python loop.
    """
    order = np.argsort(inverse, kind="stable")
    counts = np.bincount(inverse, minlength=n_keys)
    starts = np.cumsum(counts) - counts
    per_key = counts[keys]
    item = np.repeat(np.arange(keys.size), per_key)
    offset = np.arange(item.size) - np.repeat(np.cumsum(per_key) - per_key, per_key)
    return item, order[starts[keys][item] + offset]


def _codes_array(codes: npt.ArrayLike | Sequence[str], what: str) -> StrArray:
    arr = np.asarray(codes)
    if arr.dtype.kind == "O" and all(isinstance(c, str) for c in arr.ravel()):
        arr = arr.astype(np.str_)
    if arr.ndim != 1 or (arr.dtype.kind != "U" and arr.size):
        raise ValueError(f"{what} must be a 1-D sequence of str codes such as '01001'")
    return arr.astype(np.str_, copy=False)


@dataclass(frozen=True, eq=False)
class OverrideMatch:
    """Cells of one matrix that a :class:`TravelTimeTable` overrides.

    Attributes
    ----------
    rows, cols : numpy.ndarray of intp
        Matrix cells to override.
    minutes : numpy.ndarray of float64
        Minutes to write in those cells.
    shape : tuple of int
        ``(n_orig, n_dest)`` of the matrix the match was made for.
    matched : int
        Table pairs whose origin and destination both are in the matrix.
    ignored : int
        Table pairs left out because a code is not in the matrix.
    """

    rows: IntArray
    cols: IntArray
    minutes: FloatArray
    shape: tuple[int, int]
    matched: int
    ignored: int

    def apply(self, matrix: npt.ArrayLike) -> npt.NDArray[np.floating]:
        """Copy of ``matrix`` with the overridden cells replaced.

        Parameters
        ----------
        matrix : array_like
            Estimated minutes, of shape :attr:`shape`.

        Returns
        -------
        numpy.ndarray
            A new array, of the matrix's floating dtype (float64 otherwise).

        Raises
        ------
        ValueError
            If the matrix does not have the expected shape.

        Examples
        --------
        >>> from maillage.geo import TravelTimeTable
        >>> table = TravelTimeTable([("01001", "01002", 7.5)])
        >>> match = table.match(["01001"], ["01002", "01003"])
        >>> match.apply([[9.0, 12.0]])
        array([[ 7.5, 12. ]])
        """
        arr = np.asarray(matrix)
        if arr.shape != self.shape:
            raise ValueError(f"matrix has shape {arr.shape}, expected {self.shape}")
        dtype = arr.dtype if arr.dtype.kind == "f" else np.dtype(np.float64)
        out: npt.NDArray[np.floating] = arr.astype(dtype, copy=True)
        out[self.rows, self.cols] = self.minutes
        return out
