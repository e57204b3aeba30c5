"""The solver's own optimality check, in integer arithmetic.

Given a basic solution from :mod:`persuasion.lp.kernel`, check exactly --
trusting neither HiGHS nor the basis -- that ``x`` is primal feasible,
``y`` is dual feasible (sign conventions in :mod:`persuasion.lp.result`)
and ``c . x == b . y``.  Together these prove optimality (weak duality).

Everything is compared in integers: ``x = X / D``, scaled row duals
``y' = Z / (E * obj_den)``, so reduced costs times the positive number
``E * obj_den`` are ``C_j * E - sum_i Z_i * a'_ij``.  The checks run on whole
arrays: in ``int64`` when a bound computed beforehand from the largest
magnitudes proves that no product or sum can reach ``2**62``, else on arrays
of Python integers -- exact either way.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from persuasion.lp.kernel import Basis, Solved
from persuasion.lp.scaled import IntegerLP

_SAFE = 2**62
"""Magnitudes below this, added or subtracted in pairs, stay inside ``int64``."""


def _magnitude(values: np.ndarray) -> int:
    """The largest ``|v|`` (0 for none), as a Python int."""
    return max(abs(int(values.max())), abs(int(values.min()))) if len(values) else 0


def _as(values: np.ndarray, wide: bool) -> np.ndarray:
    return values.astype(object) if wide else values


def _primal_feasible(ilp: IntegerLP, basis: Basis, primal: Solved) -> bool:
    data = ilp.data
    numerators, den = primal.numerators, primal.denominator
    free = data.free
    if any(x < 0 and not free[j] for j, x in zip(basis.cols, numerators, strict=True)):
        return False
    big_x = max(map(abs, numerators), default=0)
    longest = int(np.diff(data.row_start).max()) if data.num_constraints else 0
    wide = (
        data.coef_nums.dtype == object
        or data.rhs_array.dtype == object
        or big_x >= _SAFE
        or _magnitude(data.coef_nums) * big_x * longest >= _SAFE
        or _magnitude(data.rhs_array) * den >= _SAFE
    )
    x = np.zeros(data.num_variables, dtype=object if wide else np.int64)
    x[list(basis.cols)] = numerators
    products = _as(data.coef_nums, wide) * x[data.col_index]
    # Row sums as differences of running sums: in int64 the running sums may wrap around,
    # but each difference is a row's activity, below 2**62, so it is exact modulo 2**64.
    running = np.concatenate((np.zeros(1, dtype=products.dtype), np.cumsum(products)))
    activity = running[data.row_start[1:]] - running[data.row_start[:-1]]
    target = _as(data.rhs_array, wide) * den
    codes = data.sense_codes
    ok = np.where(
        codes == 0, activity <= target, np.where(codes == 1, activity >= target, activity == target)
    )
    return bool(np.all(ok))


def _dual_feasible(ilp: IntegerLP, basis: Basis, dual: Solved) -> bool:
    data = ilp.data
    sign = 1 if data.sense == "max" else -1  # y_i * sign >= 0 on "<=" rows
    tight = np.array(basis.tight, dtype=np.int64)
    codes = data.sense_codes[tight].tolist()
    if any(
        (s == 0 and z * sign < 0) or (s == 1 and z * sign > 0)
        for s, z in zip(codes, dual.numerators, strict=True)
    ):
        return False
    lengths = data.row_start[tight + 1] - data.row_start[tight]
    offsets = np.repeat(data.row_start[tight] - np.cumsum(lengths) + lengths, lengths)
    entries = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
    nums = data.coef_nums[entries]
    obj = ilp.obj_array
    den = dual.denominator
    big_z = max(map(abs, dual.numerators), default=0)
    wide = (
        nums.dtype == object
        or obj.dtype == object
        or big_z >= _SAFE
        or _magnitude(nums) * big_z * len(tight) >= _SAFE
        or _magnitude(obj) * den >= _SAFE
    )
    z = np.array(dual.numerators, dtype=object if wide else np.int64)
    weights = np.zeros(data.num_variables, dtype=object if wide else np.int64)
    np.add.at(weights, data.col_index[entries], _as(nums, wide) * np.repeat(z, lengths))
    reduced = (_as(obj, wide) * den - weights) * sign  # must be <= 0, and 0 for a free column
    if np.any(reduced > 0):
        return False
    return not any(data.free) or not any(
        f and r != 0 for f, r in zip(data.free, reduced.tolist(), strict=True)
    )


def _over(numerators: list[int] | tuple[int, ...], den: int) -> list[Fraction]:
    """``Fraction(n, den)`` for each ``n``; a value that repeats is reduced once."""
    made: dict[int, Fraction] = {}
    return [made[n] if n in made else made.setdefault(n, Fraction(n, den)) for n in numerators]


def certify_optimal(
    ilp: IntegerLP, basis: Basis, primal: Solved, dual: Solved
) -> tuple[Fraction, tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """Return ``(value, x, y)`` if the basic solution is exactly optimal, else None."""
    data = ilp.data
    if not _primal_feasible(ilp, basis, primal) or not _dual_feasible(ilp, basis, dual):
        return None
    primal_obj = sum(
        ilp.obj_nums[j] * x for j, x in zip(basis.cols, primal.numerators, strict=True)
    )
    rhs = data.rhs_array[list(basis.tight)].tolist()
    dual_obj = sum(b * z for b, z in zip(rhs, dual.numerators, strict=True))
    if primal_obj * dual.denominator != dual_obj * primal.denominator:
        return None
    zero = Fraction(0)
    x = [zero] * data.num_variables
    for j, v in zip(basis.cols, _over(primal.numerators, primal.denominator), strict=True):
        x[j] = v
    y = [zero] * data.num_constraints
    scales = data.scale_array[list(basis.tight)].tolist()
    scaled = [z * s for z, s in zip(dual.numerators, scales, strict=True)]
    for i, v in zip(basis.tight, _over(scaled, dual.denominator * ilp.obj_den), strict=True):
        y[i] = v
    value = Fraction(primal_obj, primal.denominator * ilp.obj_den)
    return value, tuple(x), tuple(y)
