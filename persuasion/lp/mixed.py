"""``solve_mixed``: mixed-integer LPs, with an exactly verified incumbent.

HiGHS branch and bound finds an incumbent in doubles; its integer values are
rounded and fixed by equality rows, and the remaining LP is solved exactly by
:func:`~persuasion.lp.pipeline.solve`.  The reported point is therefore exactly
feasible and exactly optimal *for those integer values*; that no other
integer assignment is better is the MILP solver's claim, within its
tolerances (``optimality="solver-tolerance"``).  No pip-installable solver
offers exact branch and bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from collections.abc import Iterable

from persuasion.lp.highs import float_solve_mixed
from persuasion.lp.model import LinearProgram
from persuasion.lp.result import LPResult
from persuasion.lp.scaled import IntegerLP
from persuasion.lp.pipeline import solve


@dataclass(frozen=True)
class MixedResult:
    """Outcome of :func:`solve_mixed`.

    ``status`` is ``"optimal"`` (``value``/``x`` exact, certified by
    ``fixed_lp``), ``"infeasible"``, ``"unbounded"``, ``"failed"`` (the
    rounded incumbent's LP was not exactly optimal; ``fixed_lp`` says why), or
    ``"time-limit"`` (HiGHS ran out of its ``seconds``: ``value``/``x`` are its best
    integer point's, exact as for ``"optimal"``, or None when it had none).
    ``optimality`` is ``"exact"`` only for an infeasibility certified on the
    LP relaxation (``fixed_lp`` then holds its Farkas certificate); otherwise
    ``"solver-tolerance"``: the verdict over the integers is HiGHS's.
    """

    status: str
    value: Fraction | None
    x: tuple[Fraction, ...] | None
    fixed_lp: LPResult | None
    optimality: str = "solver-tolerance"


def solve_mixed(
    lp: LinearProgram, integer: Iterable[int], seconds: float | None = None
) -> MixedResult:
    """Solve ``lp`` with the columns in ``integer`` restricted to integers (see the module
    docstring); with ``seconds``, HiGHS's best integer point once they pass (``"time-limit"``)."""
    integer = tuple(sorted(set(integer)))
    if any(not 0 <= j < lp.num_variables for j in integer):
        raise IndexError("integer column out of range")
    outcome = float_solve_mixed(IntegerLP(lp.freeze()), integer, seconds)
    if outcome.status == "time-limit" and outcome.col_values is None:
        return MixedResult("time-limit", None, None, None)
    if outcome.status in ("optimal", "time-limit"):
        fixed = lp.copy()
        for j in integer:
            fixed.add_constraint({j: 1}, "==", round(outcome.col_values[j]))
        result = solve(fixed)
        if result.status != "optimal":
            return MixedResult("failed", None, None, result)
        return MixedResult(outcome.status, result.value, result.x, result)
    relaxation = solve(lp)
    if outcome.status == "infeasible" and relaxation.status == "infeasible":
        return MixedResult("infeasible", None, None, relaxation, "exact")
    if outcome.status in ("infeasible", "unbounded"):
        return MixedResult(
            outcome.status, None, None, relaxation if relaxation.status == outcome.status else None
        )
    return MixedResult("failed", None, None, None)
