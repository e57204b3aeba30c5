"""Integer views of an LP for fast exact arithmetic.

:class:`~persuasion.lp.model.LPData` already keeps every row scaled to
integers (scaling a row by a positive number changes neither its sense nor
its feasible set; the dual of the original row is ``row_scale[i]`` times
that of the scaled row), row after row in flat arrays.  :class:`IntegerLP`
adds the objective as ``obj_array / obj_den`` (``obj_nums`` as Python ints) and the row of every
nonzero; the column-wise arrays (for the exact pivots and the scaled float model) are built only
when asked for.
"""

from __future__ import annotations

from functools import cached_property
from math import lcm

import numpy as np

from persuasion.lp.model import LPData, int_array


class IntegerLP:
    """An :class:`LPData` with an integer objective, and its nonzeros' rows and columns as
    arrays."""

    def __init__(self, data: LPData) -> None:
        self.data = data
        nums, dens = data.obj_num_array, data.obj_den_array
        self.obj_den = (
            lcm(*dens.tolist()) if len(dens) and (dens.dtype == object or dens.max() > 1) else 1
        )
        """The objective is ``obj_array / obj_den``, all integers."""
        if self.obj_den == 1:
            self.obj_array = nums
        elif (
            nums.dtype != object
            and self.obj_den * max(1, int(nums.max()), -int(nums.min())) < 2**63
        ):
            self.obj_array = nums * (self.obj_den // dens)  # |n * (L // d)| <= |n| * L: no overflow
        else:
            self.obj_array = int_array(
                [n * (self.obj_den // d) for n, d in zip(nums.tolist(), dens.tolist(), strict=True)]
            )
        lengths = np.diff(data.row_start)
        self.nz_rows = np.repeat(np.arange(data.num_constraints, dtype=np.int64), lengths)
        """The row of every nonzero (``data.col_index`` gives its column)."""

    @cached_property
    def obj_nums(self) -> tuple[int, ...]:
        """The integer objective ``obj_array`` as Python ints."""
        return tuple(self.obj_array.tolist())

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
        """Column ``j``'s nonzeros are ``csc_rows[col_start[j]:col_start[j + 1]]`` (and
        ``csc_nums``)."""
        start = np.zeros(self.data.num_variables + 1, dtype=np.int64)
        np.cumsum(
            np.bincount(self.data.col_index, minlength=self.data.num_variables), out=start[1:]
        )
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
