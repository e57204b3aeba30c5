"""The float backend: HiGHS (through highspy) solves the LP in doubles.

This is the only module that sees floats.  It hands back a status and, for
an optimum, the simplex basis; the values HiGHS computes are never reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from persuasion.lp.kernel import Basis
from persuasion.lp.scaled import IntegerLP

_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible-or-unbounded",
}

@dataclass(frozen=True)
class FloatOutcome:
    """What HiGHS claims: a status, and for "optimal" its basis and column values."""

    status: str
    basis: Basis | None = None
    col_values: tuple[float, ...] | None = None


def to_highs(ilp: IntegerLP, integer: tuple[int, ...] = ()) -> highspy.HighsLp:
    """Convert the LP to a column-wise :class:`highspy.HighsLp` (values rounded to doubles)."""
    data = ilp.data
    m, n = data.num_constraints, data.num_variables
    inf = highspy.kHighsInf
    rhs = np.array([b / s for b, s in zip(data.rhs_nums, data.row_scale)], dtype=np.float64)
    senses = np.array(data.senses, dtype=object)
    free = np.array(data.free, dtype=bool)

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.sense_ = highspy.ObjSense.kMaximize if data.sense == "max" else highspy.ObjSense.kMinimize
    lp.col_cost_ = np.array([float(c) for c in data.objective], dtype=np.float64)
    lp.col_lower_ = np.where(free, -inf, 0.0)
    lp.col_upper_ = np.full(n, inf)
    lp.row_lower_ = np.where(senses == "<=", -inf, rhs) if m else rhs
    lp.row_upper_ = np.where(senses == ">=", inf, rhs) if m else rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = ilp.col_start.astype(np.int32)
    lp.a_matrix_.index_ = ilp.csc_rows
    lp.a_matrix_.value_ = ilp.csc_floats
    if integer:
        kinds = [highspy.HighsVarType.kContinuous] * n
        for j in integer:
            kinds[j] = highspy.HighsVarType.kInteger
        lp.integrality_ = kinds
    return lp


def _highs(presolve: bool, strict: bool) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "on" if presolve else "off")
    if strict:
        h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    return h


def prepared(ilp: IntegerLP, strict: bool = False) -> highspy.Highs:
    """A HiGHS instance holding the LP, with the options :func:`float_solve` uses, not yet run.

    Simplex with presolve off: HiGHS has had presolve bugs (a wrong optimum
    or infeasibility verdict, wrong basis statuses after postsolve), and on
    obedience LPs presolve made the solve slower at every size measured.
    ``strict`` tightens the feasibility tolerances to 1e-10.
    """
    h = _highs(presolve=False, strict=strict)
    h.setOptionValue("solver", "simplex")
    h.passModel(to_highs(ilp))
    return h


def float_solve(ilp: IntegerLP, strict: bool = False) -> FloatOutcome:
    """Solve the LP with the HiGHS simplex method (see :func:`prepared`); return its status and basis."""
    h = prepared(ilp, strict)
    h.run()
    status = _STATUS.get(h.getModelStatus(), "error")
    if status != "optimal":
        return FloatOutcome(status)
    basis = h.getBasis()
    if not basis.valid:
        return FloatOutcome("error")
    basic = highspy.HighsBasisStatus.kBasic
    return FloatOutcome(
        status,
        Basis(
            cols=tuple(j for j, s in enumerate(basis.col_status) if s == basic),
            rows=frozenset(i for i, s in enumerate(basis.row_status) if s == basic),
        ),
    )


def float_solve_mixed(ilp: IntegerLP, integer: tuple[int, ...]) -> FloatOutcome:
    """Solve ``data`` with the listed columns integer (HiGHS branch and bound, in doubles)."""
    h = _highs(presolve=True, strict=False)
    h.passModel(to_highs(ilp, integer))
    h.run()
    status = _STATUS.get(h.getModelStatus(), "error")
    if status != "optimal":
        return FloatOutcome(status)
    return FloatOutcome(status, None, tuple(h.getSolution().col_value))
