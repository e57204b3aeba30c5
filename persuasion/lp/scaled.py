"""Integer views of an LP for fast exact arithmetic.

:class:`~persuasion.lp.model.LPData` already keeps every row scaled to
integers (scaling a row by a positive number changes neither its sense nor
its feasible set; the dual of the original row is ``row_scale[i]`` times
that of the scaled row).  :class:`IntegerLP` adds the objective as
``obj_nums / obj_den`` and the nonzeros as flat arrays sorted by column,
which give the exact columns on demand (and, through
:func:`persuasion.lp.highs.float_model`, the float matrix for HiGHS).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import chain
from math import lcm

import numpy as np

from persuasion.lp.model import LPData


class IntegerLP:
    """An :class:`LPData` with an integer objective and column-wise integer nonzeros."""

    def __init__(self, data: LPData) -> None:
        self.data = data
        self.row_cols = data.row_cols
        self.row_nums = data.row_nums
        self.rhs_nums = data.rhs_nums
        self.row_scale = data.row_scale
        dens = [c.denominator for c in data.objective if isinstance(c, Fraction)]
        self.obj_den = lcm(*dens) if dens else 1
        self.obj_nums = tuple(
            c.numerator * (self.obj_den // c.denominator) if isinstance(c, Fraction) else c * self.obj_den
            for c in data.objective
        )
        lengths = np.fromiter(map(len, data.row_cols), dtype=np.int64, count=data.num_constraints)
        nnz = int(lengths.sum())
        rows = np.repeat(np.arange(data.num_constraints, dtype=np.int32), lengths)
        cols = np.fromiter(chain.from_iterable(data.row_cols), dtype=np.int32, count=nnz)
        order = np.argsort(cols, kind="stable")
        self.col_start = np.zeros(data.num_variables + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=data.num_variables), out=self.col_start[1:])
        self.csc_rows = rows[order]
        try:
            self.csc_nums = np.fromiter(chain.from_iterable(data.row_nums), dtype=np.int64, count=nnz)[order]
        except OverflowError:  # integers beyond 64 bits: keep Python ints
            self.csc_nums = np.array(list(chain.from_iterable(data.row_nums)), dtype=object)[order]

    @property
    def num_nonzeros(self) -> int:
        """Number of stored coefficients."""
        return len(self.csc_rows)

    def column(self, j: int) -> tuple[list[int], list[int]]:
        """Rows and scaled integer coefficients of column ``j``."""
        lo, hi = self.col_start[j], self.col_start[j + 1]
        return self.csc_rows[lo:hi].tolist(), self.csc_nums[lo:hi].tolist()
