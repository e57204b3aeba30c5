"""Exact primal simplex pivots from a given basis (Bland's rule).

Used when HiGHS's basis is exactly primal feasible but not exactly optimal
(near-ties below double precision).  Each row ``i`` of the integer-scaled LP
gets a slack ``s_i = b'_i - a'_i . x``: ``s_i >= 0`` on ``<=`` rows,
``s_i <= 0`` on ``>=`` rows, ``s_i = 0`` on ``==`` rows.  Every nonbasic
variable sits at zero.  Variables are ordered structurals first, then
slacks, for Bland's rule.  Each pivot re-solves the kernel exactly
(:mod:`persuasion.lp.kernel`); this is a repair step for a handful of
pivots, not a full solver.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.lp.kernel import Basis, kernel_matrix, primal_dual, solve_columns
from persuasion.lp.scaled import IntegerLP

_NONNEG, _NONPOS, _FREE, _FIXED = "nonneg", "nonpos", "free", "fixed"
_SLACK_KIND = {"<=": _NONNEG, ">=": _NONPOS, "==": _FIXED}


def _kind(ilp: IntegerLP, var: int) -> str:
    n = ilp.data.num_variables
    if var < n:
        return _FREE if ilp.data.free[var] else _NONNEG
    return _SLACK_KIND[ilp.data.senses[var - n]]


def _in_bounds(kind: str, value: Fraction | int) -> bool:
    return {_NONNEG: value >= 0, _NONPOS: value <= 0, _FREE: True, _FIXED: value == 0}[kind]


def _basic_values(
    ilp: IntegerLP, basis: Basis, x_nums: tuple[int, ...], den: int
) -> dict[int, Fraction]:
    """Values of all basic variables (structurals and slacks) of the basic solution."""
    n = ilp.data.num_variables
    values = {j: Fraction(x, den) for j, x in zip(basis.cols, x_nums, strict=True)}
    x = dict(zip(basis.cols, x_nums, strict=True))
    for i in basis.basic_rows(ilp.data.num_constraints):
        activity = sum(
            a * x.get(j, 0) for j, a in zip(ilp.row_cols[i], ilp.row_nums[i], strict=True)
        )
        values[n + i] = Fraction(ilp.rhs_nums[i] * den - activity, den)
    return values


def _entering(
    ilp: IntegerLP, basis: Basis, z: dict[int, int], z_den: int
) -> tuple[int, int] | None:
    """Bland: the least-index nonbasic variable that improves the objective, and its direction."""
    data = ilp.data
    n = data.num_variables
    sign = -1 if data.sense == "max" else 1  # minimise sign * c
    weights = [0] * n
    for i, zi in z.items():
        for j, a in zip(ilp.row_cols[i], ilp.row_nums[i], strict=True):
            weights[j] += zi * a
    basic = set(basis.cols)
    basic_rows = basis.basic_rows(data.num_constraints)
    for var in range(n + data.num_constraints):
        if var < n:
            if var in basic:
                continue
            reduced = sign * (ilp.obj_nums[var] * z_den - weights[var])
        else:
            if var - n in basic_rows:
                continue
            reduced = -sign * z.get(var - n, 0)  # slack column e_i, cost 0
        kind = _kind(ilp, var)
        if reduced < 0 and kind in (_NONNEG, _FREE):
            return var, 1
        if reduced > 0 and kind in (_NONPOS, _FREE):
            return var, -1
    return None


def _leaving(ilp, basis, values, matrix, var, direction) -> int | None:
    """Bland's ratio test along ``var`` moving in ``direction``; None if nothing blocks."""
    n = ilp.data.num_variables
    rows = basis.tight
    if var < n:
        column = dict(zip(*ilp.column(var), strict=True))
    else:
        column = {var - n: 1}
    solved = solve_columns(matrix, [[column.get(i, 0) for i in rows]])
    if solved is None:
        return None
    w = {
        j: Fraction(v, solved[0].denominator)
        for j, v in zip(basis.cols, solved[0].numerators, strict=True)
    }
    rates = {j: -direction * wj for j, wj in w.items()}
    for i in basis.basic_rows(ilp.data.num_constraints):
        through = sum(
            a * w.get(j, 0) for j, a in zip(ilp.row_cols[i], ilp.row_nums[i], strict=True)
        )
        rates[n + i] = -direction * (column.get(i, 0) - through)
    best = None
    for b, rate in rates.items():
        kind = _kind(ilp, b)
        if rate < 0 and kind in (_NONNEG, _FIXED):
            key = (values[b] / -rate, b)
        elif rate > 0 and kind in (_NONPOS, _FIXED):
            key = (-values[b] / rate, b)
        else:
            continue
        if best is None or key < best:
            best = key
    return None if best is None else best[1]


def primal_pivots(ilp: IntegerLP, basis: Basis, max_pivots: int = 200) -> Basis | None:
    """Pivot exactly from a primal feasible ``basis`` to an optimal one.

    Returns the final basis (its optimality is still to be checked by the
    caller), or None if the start is not exactly primal feasible, the
    kernel is singular, the LP looks unbounded, or ``max_pivots`` runs out.
    """
    n = ilp.data.num_variables
    for _ in range(max_pivots):
        solved = primal_dual(ilp, basis, ilp.obj_nums)
        if solved is None:
            return None
        primal, dual = solved
        values = _basic_values(ilp, basis, primal.numerators, primal.denominator)
        if not all(_in_bounds(_kind(ilp, b), v) for b, v in values.items()):
            return None
        z = dict(zip(basis.tight, dual.numerators, strict=True))
        step = _entering(ilp, basis, z, dual.denominator)
        if step is None:
            return basis
        var, direction = step
        leave = _leaving(ilp, basis, values, kernel_matrix(ilp, basis), var, direction)
        if leave is None:
            return None
        cols, tight = set(basis.cols), set(basis.tight)  # a slack entering the basis frees its row
        if var < n:
            cols.add(var)
        else:
            tight.discard(var - n)
        if leave < n:
            cols.discard(leave)
        else:
            tight.add(leave - n)
        basis = Basis(tuple(sorted(cols)), tuple(sorted(tight)))
    return None
