"""``solve``: exact, certified LP optima from a float simplex basis.

The route, stopping at the first step whose answer passes the exact check:

1. HiGHS solves the LP in doubles; its optimal basis is solved exactly on
   its kernel and checked (``"highs-basis"``).
2. Exact Bland pivots from that basis (``"highs-basis+exact-pivots"``).
3. HiGHS again, presolve off and tolerances 1e-10 (``"highs-strict-resolve"``).
4. The dense exact simplex from scratch (``"exact-simplex"``), which is
   always right.

When HiGHS reports infeasible or unbounded, the claim is certified through
two auxiliary LPs that always have an optimum when the claim is true: the
phase-1 LP (its dual gives Farkas multipliers, its optimum a feasible point)
and the ray LP (a direction with ``c . r = +-1``).  If anything disagrees,
step 4 decides.  No number leaves this module unchecked.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from persuasion.deadline import check
from persuasion.lp.checker import CertificateError, check_claim
from persuasion.lp.highs import float_solve
from persuasion.lp.kernel import Basis, primal_dual
from persuasion.lp.model import LinearProgram, LPData, scale_to_integers
from persuasion.lp.pivots import primal_pivots
from persuasion.lp.result import LPResult
from persuasion.lp.scaled import IntegerLP
from persuasion.lp.simplex import exact_simplex
from persuasion.lp.verify import certify_optimal
from persuasion.memory import scope


def solve(lp: LinearProgram) -> LPResult:
    """Solve ``lp`` exactly and return a certified :class:`LPResult`."""
    return solve_data(lp.freeze())


_MEMO: ContextVar[dict | None] = ContextVar("persuasion_lp_memo", default=None)
"""The results :func:`solve_data` remembers inside :func:`remembering` (None outside it)."""


def remembering() -> contextlib.AbstractContextManager[None]:
    """Within the block, an LP whose data equals one already solved there gets the same result back.

    A best response asks the same exact question more than once -- the
    branch and bound's chosen set, then the attainment step's room check of a
    set the search checked already -- and every step of :func:`solve_data` is
    a deterministic function of the LP's data, so the result is the one a
    second solve would give.  The key is the whole data
    (:meth:`~persuasion.lp.model.LPData.content`), never an identity or a hash
    alone. Nested blocks share the outermost block's memory, which ends with it
    (:func:`persuasion.memory.scope`).
    """
    return scope(_MEMO)


def _float_route(data: LPData) -> tuple[str, LPResult | None]:
    """HiGHS's verdict, and steps 1-3 when it says optimal (None if they all fail)."""
    ilp = IntegerLP(data)
    outcome = float_solve(ilp)
    if outcome.status == "optimal":
        return outcome.status, _optimum_from_basis(ilp, outcome.basis)
    return outcome.status, None


def solve_data(data: LPData) -> LPResult:
    """:func:`solve` for an already frozen LP (remembered inside :func:`remembering`)."""
    check()  # a time limit can stop a best response between its LPs (persuasion.deadline)
    memo = _MEMO.get()
    if memo is None:
        return _solved(data)
    key = data.content
    found = memo.get(key)
    if found is None:
        found = memo[key] = _solved(data)
    return found


def _solved(data: LPData) -> LPResult:
    status, result = _float_route(data)
    if result is not None:
        return result
    if status in ("infeasible", "unbounded", "infeasible-or-unbounded"):
        result = _improper(data)
        if result is not None:
            return result
    return _exact(data)


def _certified(ilp: IntegerLP, basis: Basis, method: str) -> LPResult | None:
    solved = primal_dual(ilp, basis, ilp.obj_nums)
    if solved is None:
        return None
    checked = certify_optimal(ilp, basis, *solved)
    if checked is None:
        return None
    value, x, y = checked
    return LPResult("optimal", value, x, y, None, method, ilp.data)


def _optimum_from_basis(ilp: IntegerLP, basis: Basis) -> LPResult | None:
    """Steps 1-3 for an LP that HiGHS calls optimal with ``basis``; None if all fail."""
    result = _certified(ilp, basis, "highs-basis")
    if result is not None:
        return result
    repaired = primal_pivots(ilp, basis)
    if repaired is not None:
        result = _certified(ilp, repaired, "highs-basis+exact-pivots")
        if result is not None:
            return result
    retry = float_solve(ilp, strict=True)
    if retry.status == "optimal":
        return _certified(ilp, retry.basis, "highs-strict-resolve")
    return None


def _checked(result: LPResult) -> LPResult:
    """Run the independent checker's exact checks; a failure here is a bug, never a result.

    The checks run on the numbers in memory (the same code that
    :func:`~persuasion.lp.checker.check_certificate` runs after reading a
    certificate), so no certificate text is built unless someone asks for it.
    """
    data = result.lp
    rows = [list(zip(cols, values, strict=True)) for cols, values in data.rows]
    try:
        check_claim(
            result.status,
            data.sense,
            data.objective,
            data.free,
            rows,
            data.senses,
            data.rhs,
            x=result.x,
            y=result.y,
            ray=result.ray,
            value=result.value,
        )
    except CertificateError as error:
        raise AssertionError(
            f"internal error: {result.method} produced a bad certificate ({error})"
        ) from error
    return result


def _exact(data: LPData) -> LPResult:
    status, x, y, ray = exact_simplex(data)
    value = (
        sum(c * v for c, v in zip(data.objective, x, strict=True)) if status == "optimal" else None
    )
    return _checked(LPResult(status, value, x, y, ray, "exact-simplex", data))


def _auxiliary_optimum(data: LPData) -> LPResult | None:
    """Solve an auxiliary LP; its certified optimum, or None if it has none."""
    _, result = _float_route(data)
    if result is not None:
        return result
    result = _exact(data)
    return result if result.status == "optimal" else None


def phase_one(data: LPData) -> LPData:
    """min sum of violations: ``a x - q <= b``, ``a x + p >= b``, ``a x + p - q == b``; p, q >=
    0."""
    n = data.num_variables
    cols, nums, extra = [], [], 0
    for row_cols, row_nums, scale, sense in zip(
        data.row_cols, data.row_nums, data.row_scale, data.senses, strict=True
    ):
        shifts = {"<=": (-scale,), ">=": (scale,), "==": (scale, -scale)}[sense]
        cols.append(row_cols + tuple(range(n + extra, n + extra + len(shifts))))
        nums.append(row_nums + shifts)
        extra += len(shifts)
    return LPData.from_rows(
        "min",
        (0,) * n + (1,) * extra,
        data.free + (False,) * extra,
        cols,
        nums,
        data.rhs_nums,
        data.row_scale,
        data.senses,
    )


def ray_program(data: LPData) -> LPData:
    """Directions ``r`` with ``A r`` (sense) 0, sign constraints, and ``c . r = 1`` (max) / ``-1``
    (min)."""
    m, n = data.num_constraints, data.num_variables
    support = tuple(j for j, c in enumerate(data.objective) if c)
    nums, rhs, scale = scale_to_integers(
        (data.objective[j] for j in support), 1 if data.sense == "max" else -1
    )
    return LPData.from_rows(
        "min",
        (0,) * n,
        data.free,
        data.row_cols + (support,),
        data.row_nums + (nums,),
        (0,) * m + (rhs,),
        data.row_scale + (scale,),
        data.senses + ("==",),
    )


def _improper(data: LPData) -> LPResult | None:
    """Certify an infeasible or unbounded LP via its phase-1 and ray LPs; None if they disagree."""
    first = _auxiliary_optimum(phase_one(data))
    if first is None:
        return None
    if first.value > 0:
        farkas = tuple(-v for v in first.y[: data.num_constraints])
        return _checked(
            LPResult("infeasible", None, None, farkas, None, f"phase-1:{first.method}", data)
        )
    direction = _auxiliary_optimum(ray_program(data))
    if direction is None:
        return None
    method = f"phase-1:{first.method}+ray:{direction.method}"
    return _checked(
        LPResult("unbounded", None, first.x[: data.num_variables], None, direction.x, method, data)
    )
