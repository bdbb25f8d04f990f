"""Thin wrapper over the HiGHS bindings: models from CSR arrays, silent and time-bounded.

We call the bare binding class rather than :class:`highspy.Highs`: the
wrapper prints a banner on construction (before output can be turned off)
and runs each solve in a thread, neither of which a library wants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy ships no stubs
from highspy import HighsModelStatus, MatrixFormat, ObjSense
from highspy._core import _Highs

from ._checks import FloatArray

__all__ = ["MipResult", "Model", "solve_mip"]

# HiGHS stops when the incumbent is proven within these gaps; they are tight
# enough that "optimal" means optimal to floating-point accuracy.
_REL_GAP: Final[float] = 1e-9
_ABS_GAP: Final[float] = 1e-7
# Primal solution status "feasible" in HighsInfo.
_FEASIBLE: Final[int] = 2
# HighsVarType values.
_CONTINUOUS: Final[int] = 0
_INTEGER: Final[int] = 1
_NO_LIMIT: Final[int] = 2**31 - 1


@dataclass(frozen=True)
class MipResult:
    """Outcome of one HiGHS run.

    ``bound`` is HiGHS' proven bound on the optimum (lower when minimising,
    upper when maximising; for an LP, its optimal value), ``±inf`` when it has
    none; ``x`` is the best solution found, if any.
    """

    x: FloatArray | None
    value: float
    bound: float
    status: HighsModelStatus

    @property
    def optimal(self) -> bool:
        return self.status == HighsModelStatus.kOptimal

    @property
    def infeasible(self) -> bool:
        return self.status == HighsModelStatus.kInfeasible


def _csr(matrix: sp.csr_array | sp.csr_matrix) -> sp.csr_array:
    a = sp.csr_array(matrix)
    a.sum_duplicates()
    return a


def _f64(values: npt.ArrayLike) -> FloatArray:
    return np.ascontiguousarray(values, dtype=np.float64)


class Model:
    """One HiGHS model kept across runs (rows added, integrality switched).

    ``integer`` marks the integer columns (None: a pure LP). The options make
    runs deterministic: fixed random seed, no output. ``presolve=False`` for
    models we have reduced ourselves, where HiGHS' presolve finds little and
    costs a third of the time.
    """

    def __init__(
        self,
        cost: npt.ArrayLike,
        matrix: sp.csr_array | sp.csr_matrix,
        row_lower: npt.ArrayLike,
        row_upper: npt.ArrayLike,
        col_lower: npt.ArrayLike,
        col_upper: npt.ArrayLike,
        integer: npt.NDArray[np.bool_] | None = None,
        *,
        maximize: bool = False,
        presolve: bool = True,
    ) -> None:
        a = _csr(matrix)
        n_rows, n_cols = a.shape
        self.n_cols = n_cols
        self.maximize = maximize
        self.integer = integer is not None and bool(np.any(integer))
        integrality = np.full(n_cols, _CONTINUOUS, dtype=np.int32)
        if integer is not None:
            integrality[np.asarray(integer, dtype=bool)] = _INTEGER
        h = _Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("mip_rel_gap", _REL_GAP)
        h.setOptionValue("mip_abs_gap", _ABS_GAP)
        if not presolve:
            h.setOptionValue("presolve", "off")
        h.passModel(
            n_cols,
            n_rows,
            int(a.nnz),
            int(MatrixFormat.kRowwise),
            int(ObjSense.kMaximize if maximize else ObjSense.kMinimize),
            0.0,
            _f64(cost),
            _f64(col_lower),
            _f64(col_upper),
            _f64(row_lower),
            _f64(row_upper),
            a.indptr.astype(np.int32),
            a.indices.astype(np.int32),
            _f64(a.data),
            integrality,
        )
        self._h = h

    def add_rows(
        self, matrix: sp.csr_array | sp.csr_matrix, lower: npt.ArrayLike, upper: npt.ArrayLike
    ) -> None:
        a = _csr(matrix)
        self._h.addRows(
            a.shape[0],
            _f64(lower),
            _f64(upper),
            int(a.nnz),
            a.indptr[:-1].astype(np.int32),
            a.indices.astype(np.int32),
            _f64(a.data),
        )

    def set_integer(self, columns: npt.ArrayLike) -> None:
        cols = np.asarray(columns, dtype=np.int32)
        types = np.full(cols.size, _INTEGER, dtype=np.uint8)
        self._h.changeColsIntegrality(cols.size, cols, types)
        self.integer = self.integer or cols.size > 0

    def set_start(self, x: npt.ArrayLike) -> None:
        """A complete feasible solution, the first incumbent of the next MIP run."""
        self._h.setSolution(self.n_cols, np.arange(self.n_cols, dtype=np.int32), _f64(x))

    def run(self, time_limit: float = math.inf, *, first_feasible: bool = False) -> MipResult:
        """Solve; ``first_feasible`` stops at the first solution (feasibility checks)."""
        h = self._h
        limit = max(float(time_limit), 1e-3) if math.isfinite(time_limit) else math.inf
        h.setOptionValue("time_limit", limit)
        h.setOptionValue("mip_max_improving_sols", 1 if first_feasible else _NO_LIMIT)
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        x: FloatArray | None = None
        value = math.nan
        if info.primal_solution_status == _FEASIBLE:
            x = np.asarray(h.getSolution().col_value, dtype=np.float64)
            value = float(info.objective_function_value)
        worst = math.inf if self.maximize else -math.inf
        if status == HighsModelStatus.kInfeasible:
            # No solution at all: the optimum is +inf (min) / -inf (max).
            bound = -worst
        elif not self.integer:
            bound = value if status == HighsModelStatus.kOptimal else worst
        else:
            bound = float(info.mip_dual_bound)
            if math.isnan(bound):
                bound = worst
        return MipResult(x, value, bound, status)


def solve_mip(
    cost: npt.ArrayLike,
    matrix: sp.csr_array | sp.csr_matrix,
    row_lower: npt.ArrayLike,
    row_upper: npt.ArrayLike,
    col_lower: npt.ArrayLike,
    col_upper: npt.ArrayLike,
    integer: npt.NDArray[np.bool_] | None,
    *,
    maximize: bool = False,
    time_limit: float = math.inf,
    start: npt.ArrayLike | None = None,
    first_feasible: bool = False,
    presolve: bool = True,
) -> MipResult:
    """Solve ``opt cost·x  s.t.  row_lower <= matrix·x <= row_upper``, bounded x, once."""
    model = Model(
        cost,
        matrix,
        row_lower,
        row_upper,
        col_lower,
        col_upper,
        integer,
        maximize=maximize,
        presolve=presolve,
    )
    if start is not None:
        model.set_start(start)
    return model.run(time_limit, first_feasible=first_feasible)
