"""The LP in doubles for HiGHS, scaled exactly by powers of two when it must be.

A double holds magnitudes between about ``2**-1022`` and ``2**1024``.  An
instance whose utilities are ``1e400``, or whose probabilities are
``1e-400``, gives LP data beyond that: dividing the exact integers raises
:class:`OverflowError` or silently rounds to 0.  So when some number of the
LP is beyond ``2**±FAST_BITS``, HiGHS is handed the equivalent LP

    ``opt sum_j (2**o 2**s_j c_j) x'_j`` s.t. ``sum_j (2**r_i 2**s_j a_ij) x'_j (sense) 2**r_i
    b_i``,

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
    """The LP's data as doubles: objective, row bounds' finite sides (``rhs``) and the nonzeros row
    by row.

    The float objective is the LP's times ``2**objective_shift`` (0 unless scaled), so an objective
    value read back from the float solve is in the LP's units only after ``math.ldexp(v,
    -objective_shift)``.
    """

    objective: np.ndarray
    rhs: np.ndarray
    values: np.ndarray
    objective_shift: int = 0


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


_EXACT_DOUBLES = 2**53
"""Integers up to this magnitude are doubles exactly, so numpy's quotient of two is correctly
rounded."""


def _small(values) -> bool:
    """Whether every integer in ``values`` (an array or a sequence of ints) has at most FAST_BITS
    bits."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        return True  # int64
    return not len(values) or max(abs(max(values)), abs(min(values))).bit_length() <= FAST_BITS


def _quotients(nums: np.ndarray, dens: np.ndarray) -> np.ndarray:
    """``nums / dens`` elementwise, each rounded once to a double (as Python's int / int)."""
    if (
        nums.dtype != object
        and dens.dtype != object
        and len(nums)
        and max(int(nums.max()), -int(nums.min()), int(dens.max())) <= _EXACT_DOUBLES
    ):
        return nums.astype(np.float64) / dens.astype(np.float64)
    return np.array(
        [a / b for a, b in zip(nums.tolist(), dens.tolist(), strict=True)], dtype=np.float64
    )


def _repeated(value: int, count: int) -> np.ndarray:
    """``count`` copies of the integer ``value``."""
    return np.full(count, value, dtype=np.int64 if value < 2**63 else object)


def float_model(ilp: IntegerLP, scale_columns: bool = True) -> FloatModel | None:
    """The LP in doubles (see the module docstring), or None if no scaling makes it fit.

    The nonzeros' values are in the LP's row-by-row order.  ``scale_columns=False``
    keeps the columns in their own units (a MILP's integer columns must stay
    integral, and its column values are read back).
    """
    data = ilp.data
    obj_nums = ilp.obj_array
    if all(
        map(_small, (data.coef_nums, data.scale_array, data.rhs_array, obj_nums, (ilp.obj_den,)))
    ):
        return FloatModel(
            _quotients(obj_nums, _repeated(ilp.obj_den, len(obj_nums))),
            _quotients(data.rhs_array, data.scale_array),
            _quotients(data.coef_nums, data.scale_array[ilp.nz_rows]),
        )
    try:
        return _scaled(ilp, scale_columns)
    except _OutOfRange:
        return None


def _scaled(ilp: IntegerLP, scale_columns: bool) -> FloatModel:
    data = ilp.data
    row_shift = [
        _centre([_log2(a, s) for a in nums] + ([_log2(b, s)] if b else []))
        for nums, b, s in zip(ilp.row_nums, ilp.rhs_nums, ilp.row_scale, strict=True)
    ]
    rows = ilp.nz_rows.tolist()
    cols = data.col_index.tolist()
    nums = data.coef_nums.tolist()
    exps: list[list[int]] = [[] for _ in range(data.num_variables)]
    for a, r, j in zip(nums, rows, cols, strict=True):
        exps[j].append(_log2(a, ilp.row_scale[r]) + row_shift[r])
    col_shift = [_centre(e) if scale_columns else 0 for e in exps]
    obj_shift = _centre(
        [_log2(c, ilp.obj_den) + col_shift[j] for j, c in enumerate(ilp.obj_nums) if c]
    )
    values = [
        _double(a, ilp.row_scale[r], row_shift[r] + col_shift[j])
        for a, r, j in zip(nums, rows, cols, strict=True)
    ]
    return FloatModel(
        np.array(
            [_double(c, ilp.obj_den, col_shift[j] + obj_shift) for j, c in enumerate(ilp.obj_nums)],
            dtype=np.float64,
        ),
        np.array(
            [
                _double(b, s, r)
                for b, s, r in zip(ilp.rhs_nums, ilp.row_scale, row_shift, strict=True)
            ],
            dtype=np.float64,
        ),
        np.array(values, dtype=np.float64),
        obj_shift,
    )
