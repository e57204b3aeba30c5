"""The solver's own optimality check, in integer arithmetic.

Given a basic solution from :mod:`persuasion.lp.kernel`, check exactly --
trusting neither HiGHS nor the basis -- that ``x`` is primal feasible,
``y`` is dual feasible (sign conventions in :mod:`persuasion.lp.result`)
and ``c . x == b . y``.  Together these prove optimality (weak duality).

Everything is compared in integers: ``x = X / D``, scaled row duals
``y' = Z / (E * obj_den)``, so reduced costs times the positive number
``E * obj_den`` are ``C_j * E - sum_i Z_i * a'_ij``.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.lp.kernel import Basis, Solved
from persuasion.lp.scaled import IntegerLP


def _primal_feasible(ilp: IntegerLP, x_nums: dict[int, int], den: int) -> bool:
    data = ilp.data
    if any(x < 0 and not data.free[j] for j, x in x_nums.items()):
        return False
    activity = [0] * data.num_constraints
    for j, x in x_nums.items():
        if x:
            for i, a in zip(*ilp.column(j)):
                activity[i] += a * x
    for act, sense, rhs in zip(activity, data.senses, ilp.rhs_nums):
        target = rhs * den
        if (sense == "<=" and act > target) or (sense == ">=" and act < target) or (sense == "==" and act != target):
            return False
    return True


def _dual_feasible(ilp: IntegerLP, z_nums: dict[int, int], den: int) -> bool:
    data = ilp.data
    sign = 1 if data.sense == "max" else -1  # y_i * sign >= 0 on "<=" rows
    for i, z in z_nums.items():
        if (data.senses[i] == "<=" and z * sign < 0) or (data.senses[i] == ">=" and z * sign > 0):
            return False
    weights = [0] * data.num_variables
    for i, z in z_nums.items():
        if z:
            for j, a in zip(ilp.row_cols[i], ilp.row_nums[i]):
                weights[j] += z * a
    for c, w, free in zip(ilp.obj_nums, weights, data.free):
        reduced = (c * den - w) * sign  # must be <= 0, and 0 for a free column
        if reduced > 0 or (free and reduced != 0):
            return False
    return True


def certify_optimal(
    ilp: IntegerLP, basis: Basis, primal: Solved, dual: Solved
) -> tuple[Fraction, tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """Return ``(value, x, y)`` if the basic solution is exactly optimal, else None."""
    data = ilp.data
    x_nums = dict(zip(basis.cols, primal.numerators))
    z_nums = dict(zip(basis.kernel_rows(data.num_constraints), dual.numerators))
    if not _primal_feasible(ilp, x_nums, primal.denominator):
        return None
    if not _dual_feasible(ilp, z_nums, dual.denominator):
        return None
    primal_obj = sum(ilp.obj_nums[j] * x for j, x in x_nums.items())
    dual_obj = sum(ilp.rhs_nums[i] * z for i, z in z_nums.items())
    if primal_obj * dual.denominator != dual_obj * primal.denominator:
        return None
    zero = Fraction(0)
    x = [zero] * data.num_variables
    for j, num in x_nums.items():
        if num:
            x[j] = Fraction(num, primal.denominator)
    y = [zero] * data.num_constraints
    y_den = dual.denominator * ilp.obj_den
    for i, num in z_nums.items():
        if num:
            y[i] = Fraction(num * ilp.row_scale[i], y_den)
    value = Fraction(primal_obj, primal.denominator * ilp.obj_den)
    return value, tuple(x), tuple(y)
