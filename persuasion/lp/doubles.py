"""The LP in doubles for HiGHS, scaled exactly by powers of two when it must be.

A double holds magnitudes between about ``2**-1022`` and ``2**1024``.  An
instance whose utilities are ``1e400``, or whose probabilities are
``1e-400``, gives LP data beyond that: dividing the exact integers raises
:class:`OverflowError` or silently rounds to 0.  So when some number of the
LP is beyond ``2**±FAST_BITS``, HiGHS is handed the equivalent LP

    ``opt sum_j (2**o 2**s_j c_j) x'_j``  s.t.  ``sum_j (2**r_i 2**s_j a_ij) x'_j  (sense)  2**r_i b_i``,

with ``x_j = 2**s_j x'_j`` and integer shifts ``r_i``, ``s_j``, ``o`` that
centre every row (with its right-hand side), then every column, then the
objective on 1 (geometric scaling, one pass).  Multiplying rows, columns and
the objective by positive numbers changes neither the feasible bases nor
which of them is optimal, and the float solve is only asked for a basis: the
pipeline (:mod:`persuasion.lp.pipeline`) solves that basis and certifies it
exactly on the original LP, so nothing computed in doubles is ever unscaled
or reported.  When even the scaled LP holds a number a double cannot (one
row spanning ``2**±1000`` by itself), there is no float model and the
pipeline uses the exact simplex.

LPs whose numbers all lie within ``2**±FAST_BITS`` -- every LP of an
ordinary instance -- are converted without any shift, so HiGHS sees the very
doubles it always saw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from persuasion.lp.scaled import IntegerLP

FAST_BITS = 400
"""Integers of at most this many bits (numerators and row scales) are converted without shifts."""

RANGE_BITS = 1000
"""A scaled number must lie within ``2**±RANGE_BITS`` (doubles reach ``2**±1022``)."""


@dataclass(frozen=True)
class FloatModel:
    """The LP's data as doubles: objective, row bounds' finite sides (``rhs``) and column-wise values."""

    objective: np.ndarray
    rhs: np.ndarray
    values: np.ndarray


class _OutOfRange(Exception):
    """A scaled number beyond ``2**±RANGE_BITS``."""


def _log2(num: int, den: int) -> int:
    """``floor(log2 |num / den|)`` within 1, for ``num != 0``, from bit lengths alone."""
    return abs(num).bit_length() - den.bit_length()


def _centre(exponents: list[int]) -> int:
    """The shift that centres a set of binary exponents on 0 (0 for none)."""
    return -((max(exponents) + min(exponents)) // 2) if exponents else 0


def _double(num: int, den: int, shift: int) -> float:
    """``num / den * 2**shift`` rounded once (Python's int / int is correctly rounded)."""
    if num == 0:
        return 0.0
    if abs(_log2(num, den) + shift) > RANGE_BITS:
        raise _OutOfRange
    return (num << shift) / den if shift >= 0 else num / (den << -shift)


def _fits(ilp: IntegerLP) -> bool:
    small = lambda v: abs(v).bit_length() <= FAST_BITS  # noqa: E731
    nums = ilp.csc_nums
    return (
        (nums.dtype != object or all(small(a) for a in nums))
        and all(map(small, ilp.row_scale))
        and all(map(small, ilp.rhs_nums))
        and all(map(small, ilp.obj_nums))
        and small(ilp.obj_den)
    )


def float_model(ilp: IntegerLP, scale_columns: bool = True) -> FloatModel | None:
    """The LP in doubles (see the module docstring), or None if no scaling makes it fit.

    ``scale_columns=False`` keeps the columns in their own units (a MILP's
    integer columns must stay integral, and its column values are read back).
    """
    if _fits(ilp):
        scales = np.array(ilp.row_scale, dtype=np.float64) if ilp.data.num_constraints else np.zeros(0)
        if ilp.csc_nums.dtype == object:
            values = np.array([a / ilp.row_scale[r] for a, r in zip(ilp.csc_nums, ilp.csc_rows)], dtype=np.float64)
        else:
            values = ilp.csc_nums.astype(np.float64) / scales[ilp.csc_rows]
        return FloatModel(
            np.array([c / ilp.obj_den for c in ilp.obj_nums], dtype=np.float64),
            np.array([b / s for b, s in zip(ilp.rhs_nums, ilp.row_scale)], dtype=np.float64),
            values,
        )
    try:
        return _scaled(ilp, scale_columns)
    except _OutOfRange:
        return None


def _scaled(ilp: IntegerLP, scale_columns: bool) -> FloatModel:
    row_shift = [
        _centre([_log2(a, s) for a in nums] + ([_log2(b, s)] if b else []))
        for nums, b, s in zip(ilp.row_nums, ilp.rhs_nums, ilp.row_scale)
    ]
    rows = ilp.csc_rows.tolist()
    nums = ilp.csc_nums.tolist()
    exps = [_log2(a, ilp.row_scale[r]) + row_shift[r] for a, r in zip(nums, rows)]
    n = ilp.data.num_variables
    starts = ilp.col_start.tolist()
    col_shift = [_centre(exps[starts[j]:starts[j + 1]]) if scale_columns else 0 for j in range(n)]
    obj_shift = _centre([_log2(c, ilp.obj_den) + col_shift[j] for j, c in enumerate(ilp.obj_nums) if c])
    values = [0.0] * len(nums)
    for j in range(n):
        for t in range(starts[j], starts[j + 1]):
            r = rows[t]
            values[t] = _double(nums[t], ilp.row_scale[r], row_shift[r] + col_shift[j])
    return FloatModel(
        np.array([_double(c, ilp.obj_den, col_shift[j] + obj_shift) for j, c in enumerate(ilp.obj_nums)],
                 dtype=np.float64),
        np.array([_double(b, s, r) for b, s, r in zip(ilp.rhs_nums, ilp.row_scale, row_shift)], dtype=np.float64),
        np.array(values, dtype=np.float64),
    )
