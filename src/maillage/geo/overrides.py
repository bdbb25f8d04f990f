"""User-supplied travel times that override the estimate for known pairs.

The table comes from a CSV file of (origin INSEE code, destination INSEE
code, minutes), typically computed with a routing engine such as OSRM.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import IO

import numpy as np
import numpy.typing as npt

from .distance import FloatArray
from .matching import OverrideMatch, StrArray, _codes_array, _expand, _match_codes
from .table_io import TravelTimeTableError, _checked_rows, _csv_rows, _read_text

__all__ = ["TravelTimeTable", "TravelTimeTableError"]


class TravelTimeTable:
    """Known travel times between communes, overriding the model's estimate.

    Parameters
    ----------
    rows : iterable of (str, str, float or str)
        ``(origin INSEE code, destination INSEE code, minutes)``. Codes are
        strings ("01001", "2A004"); minutes are ≥ 0. Errors name the 1-based
        row position as "ligne".

    Raises
    ------
    TravelTimeTableError
        A :class:`ValueError` with a French message naming the line: wrong
        number of columns, malformed INSEE code, invalid or negative minutes,
        or a pair given twice.

    Notes
    -----
    A table is directional: ``(A, B)`` does not override ``(B, A)``.

    Examples
    --------
    >>> table = TravelTimeTable([("01001", "01002", "12,5"), ("2A004", "2B033", 95)])
    >>> len(table), table.minutes.tolist()
    (2, [12.5, 95.0])
    >>> TravelTimeTable([("01001", "01002", "abc")])
    Traceback (most recent call last):
    ...
    maillage.geo.table_io.TravelTimeTableError: ligne 1 : minutes invalides « abc »
    """

    __slots__ = ("_destinations", "_minutes", "_origins")

    _origins: StrArray
    _destinations: StrArray
    _minutes: FloatArray

    def __init__(self, rows: Iterable[Sequence[object]] = ()) -> None:
        self._load(enumerate(rows, start=1))

    def _load(self, numbered_rows: Iterable[tuple[int, Sequence[object]]]) -> None:
        origins, destinations, minutes = _checked_rows(numbered_rows)
        # Read-only arrays: the table is shared (e.g. cached per process) and
        # must not be altered through the properties that expose them.
        self._origins = np.array(origins, dtype="<U5")
        self._destinations = np.array(destinations, dtype="<U5")
        self._minutes = np.array(minutes, dtype=np.float64)
        for arr in (self._origins, self._destinations, self._minutes):
            arr.setflags(write=False)

    @classmethod
    def from_csv(cls, source: str | os.PathLike[str] | IO[str] | IO[bytes]) -> TravelTimeTable:
        """Read a table from a CSV file with a header line.

        Parameters
        ----------
        source : str, os.PathLike or file object
            Path or open file (text or binary). Columns, in this order:
            origin code, destination code, minutes; the header's names are
            free (e.g. ``origine,destination,minutes``). The delimiter is ``,``
            or ``;``; minutes may use a decimal comma. UTF-8 (with or without
            BOM) or, failing that, Windows-1252.

        Returns
        -------
        TravelTimeTable

        Raises
        ------
        TravelTimeTableError
            For a missing header or an invalid row, naming the file line
            (the header is line 1).
        OSError
            If the file cannot be read.

        Examples
        --------
        >>> import io
        >>> text = "origine;destination;minutes\\n01001;01002;12,5\\n2A004;2B033;95\\n"
        >>> TravelTimeTable.from_csv(io.StringIO(text)).minutes.tolist()
        [12.5, 95.0]
        >>> bad = "origine,destination,minutes\\n01001,01002,10\\n01001,01003,abc\\n"
        >>> TravelTimeTable.from_csv(io.StringIO(bad))
        Traceback (most recent call last):
        ...
        maillage.geo.table_io.TravelTimeTableError: ligne 3 : minutes invalides « abc »
        """
        table = cls.__new__(cls)
        table._load(_csv_rows(_read_text(source)))
        return table

    def __len__(self) -> int:
        return int(self._minutes.size)

    def __repr__(self) -> str:
        return f"<TravelTimeTable: {len(self)} pairs>"

    @property
    def origins(self) -> StrArray:
        """Origin INSEE codes, one per pair (read-only)."""
        return self._origins

    @property
    def destinations(self) -> StrArray:
        """Destination INSEE codes, one per pair (read-only)."""
        return self._destinations

    @property
    def minutes(self) -> FloatArray:
        """Travel minutes, one per pair (read-only)."""
        return self._minutes

    def match(
        self, origin_codes: npt.ArrayLike | Sequence[str], dest_codes: npt.ArrayLike | Sequence[str]
    ) -> OverrideMatch:
        """Find the cells of an origin × destination matrix that the table overrides.

        Parameters
        ----------
        origin_codes : sequence of str
            INSEE code of each matrix row; codes may repeat (every row of a
            code gets the override).
        dest_codes : sequence of str
            INSEE code of each matrix column; codes may repeat.

        Returns
        -------
        OverrideMatch
            Cells and minutes to write, and how many table pairs were
            ``matched`` or ``ignored`` (a code absent from the matrix).

        Examples
        --------
        >>> table = TravelTimeTable([("01001", "01002", 7.5), ("99999", "01002", 3.0)])
        >>> m = table.match(["01001", "01004"], ["01002", "01002"])
        >>> m.rows.tolist(), m.cols.tolist(), m.matched, m.ignored
        ([0, 0], [0, 1], 1, 1)
        """
        origins = _codes_array(origin_codes, "origin_codes")
        dests = _codes_array(dest_codes, "dest_codes")
        # Codes become indices with sorted unique keys and searchsorted, so
        # 100,000 pairs against 35,000 × 1,000 cells cost a few milliseconds.
        o_keys, o_inverse = np.unique(origins, return_inverse=True)
        d_keys, d_inverse = np.unique(dests, return_inverse=True)
        o_pos, o_found = _match_codes(o_keys, self._origins)
        d_pos, d_found = _match_codes(d_keys, self._destinations)
        found = o_found & d_found
        minutes = self._minutes[found]
        pair, rows = _expand(o_inverse.ravel(), o_keys.size, o_pos[found])
        cell, cols = _expand(d_inverse.ravel(), d_keys.size, d_pos[found][pair])
        matched = int(np.count_nonzero(found))
        return OverrideMatch(
            rows=rows[cell],
            cols=cols,
            minutes=minutes[pair][cell],
            shape=(origins.size, dests.size),
            matched=matched,
            ignored=found.size - matched,
        )

    def apply(
        self,
        matrix: npt.ArrayLike,
        origin_codes: npt.ArrayLike | Sequence[str],
        dest_codes: npt.ArrayLike | Sequence[str],
    ) -> npt.NDArray[np.floating]:
        """Copy of ``matrix`` where every pair of the table replaces the estimate.

        Shorthand for ``self.match(origin_codes, dest_codes).apply(matrix)``;
        call :meth:`match` instead to report how many pairs were ignored.

        Parameters
        ----------
        matrix : array_like
            Estimated minutes, shape ``(len(origin_codes), len(dest_codes))``.
        origin_codes, dest_codes : sequence of str
            INSEE codes of the matrix rows and columns.

        Returns
        -------
        numpy.ndarray
            A new matrix; ``matrix`` itself is left untouched.

        Examples
        --------
        >>> table = TravelTimeTable([("01002", "01001", 4.0)])
        >>> table.apply([[10.0, 20.0], [30.0, 40.0]], ["01001", "01002"], ["01001", "01002"])
        array([[10., 20.],
               [ 4., 40.]])
        """
        return self.match(origin_codes, dest_codes).apply(matrix)
