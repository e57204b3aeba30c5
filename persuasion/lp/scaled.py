"""Integer views of an LP for fast exact arithmetic.

:class:`~persuasion.lp.model.LPData` already keeps every row scaled to
integers (scaling a row by a positive number changes neither its sense nor
its feasible set; the dual of the original row is ``row_scale[i]`` times
that of the scaled row), row after row in flat arrays.  :class:`IntegerLP`
adds the objective as ``obj_nums / obj_den`` and the row of every nonzero;
the column-wise arrays (for the exact pivots and the scaled float model) are
built only when asked for.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property
from math import lcm

import numpy as np

from persuasion.lp.model import LPData


class IntegerLP:
    """An :class:`LPData` with an integer objective, and its nonzeros' rows and columns as arrays."""

    def __init__(self, data: LPData) -> None:
        self.data = data
        dens = {c.denominator for c in data.objective if isinstance(c, Fraction)}
        self.obj_den = lcm(*dens) if dens else 1
        self.obj_nums = tuple(
            c.numerator * (self.obj_den // c.denominator) if isinstance(c, Fraction) else c * self.obj_den
            for c in data.objective
        ) if dens else data.objective
        lengths = np.diff(data.row_start)
        self.nz_rows = np.repeat(np.arange(data.num_constraints, dtype=np.int64), lengths)
        """The row of every nonzero (``data.col_index`` gives its column)."""

    @property
    def num_nonzeros(self) -> int:
        """Number of stored coefficients."""
        return self.data.num_nonzeros

    @property
    def row_cols(self) -> tuple[tuple[int, ...], ...]:
        return self.data.row_cols

    @property
    def row_nums(self) -> tuple[tuple[int, ...], ...]:
        return self.data.row_nums

    @property
    def rhs_nums(self) -> tuple[int, ...]:
        return self.data.rhs_nums

    @property
    def row_scale(self) -> tuple[int, ...]:
        return self.data.row_scale

    @cached_property
    def _csc_order(self) -> np.ndarray:
        return np.argsort(self.data.col_index, kind="stable")

    @cached_property
    def col_start(self) -> np.ndarray:
        """Column ``j``'s nonzeros are ``csc_rows[col_start[j]:col_start[j + 1]]`` (and ``csc_nums``)."""
        start = np.zeros(self.data.num_variables + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.data.col_index, minlength=self.data.num_variables), out=start[1:])
        return start

    @cached_property
    def csc_rows(self) -> np.ndarray:
        """The rows of the nonzeros, column by column."""
        return self.nz_rows[self._csc_order]

    @cached_property
    def csc_nums(self) -> np.ndarray:
        """The scaled integer coefficients, column by column."""
        return self.data.coef_nums[self._csc_order]

    def column(self, j: int) -> tuple[list[int], list[int]]:
        """Rows and scaled integer coefficients of column ``j``."""
        lo, hi = self.col_start[j], self.col_start[j + 1]
        return self.csc_rows[lo:hi].tolist(), self.csc_nums[lo:hi].tolist()
