"""The float backend: HiGHS (through highspy) solves the LP in doubles.

This module and :mod:`persuasion.lp.doubles` (which rounds the exact data to
doubles, scaled by powers of two when a number is beyond a double's range)
are the only ones that see floats.  It hands back a status and, for an
optimum, the simplex basis; the values HiGHS computes are never reported.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import highspy
import numpy as np

from persuasion.lp.doubles import float_model
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


def pass_model(h: highspy.Highs, ilp: IntegerLP, integer: tuple[int, ...] = ()) -> bool:
    """Hand the LP to ``h`` as column-wise arrays of doubles (``integer`` columns marked integral).

    Returns False if HiGHS rejects the model, or if its numbers do not fit in
    doubles even scaled (:func:`~persuasion.lp.doubles.float_model`).  The
    columns of a MILP are not scaled, so its column values are in their own units.

    Uses the array form of ``Highs.passModel``: building a ``HighsLp``
    copies every array element by element through Python.
    """
    data = ilp.data
    model = float_model(ilp, scale_columns=not integer)
    if model is None:
        return False
    m, n = data.num_constraints, data.num_variables
    inf = highspy.kHighsInf
    rhs = model.rhs
    integrality = np.zeros(n, dtype=np.int32)
    integrality[list(integer)] = int(highspy.HighsVarType.kInteger)
    status = h.passModel(
        n,
        m,
        ilp.num_nonzeros,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize if data.sense == "max" else highspy.ObjSense.kMinimize),
        0.0,
        model.objective,
        np.array([-inf if f else 0.0 for f in data.free], dtype=np.float64),
        np.full(n, inf),
        np.array([-inf if s == "<=" else b for s, b in zip(data.senses, rhs)], dtype=np.float64),
        np.array([inf if s == ">=" else b for s, b in zip(data.senses, rhs)], dtype=np.float64),
        ilp.col_start[:-1].astype(np.int32),
        ilp.csc_rows,
        model.values,
        integrality,
    )
    return status != highspy.HighsStatus.kError


def run(h: highspy.Highs) -> None:
    """``h.run()``, interruptible by Ctrl-C.

    HiGHS releases the GIL while it solves, but a signal handler only runs in
    the main thread between bytecodes: with ``h.run()`` called in the main
    thread, Ctrl-C waited for the whole solve (a minute on a large LP).  So the
    solve runs in a worker thread while the main thread waits in short joins,
    and a KeyboardInterrupt leaves at once; the abandoned daemon thread ends
    with the solve or with the process.
    """
    worker = threading.Thread(target=h.run, name="highs", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.05)


def _highs(presolve: bool, strict: bool) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "on" if presolve else "off")
    if strict:
        h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    return h


def prepared(ilp: IntegerLP, strict: bool = False) -> highspy.Highs | None:
    """A HiGHS instance holding the LP, with the options :func:`float_solve` uses, not yet run
    (None if HiGHS rejects the model).

    Simplex with presolve off: HiGHS has had presolve bugs (a wrong optimum
    or infeasibility verdict, wrong basis statuses after postsolve), and on
    obedience LPs presolve made the solve slower at every size measured.
    ``strict`` tightens the feasibility tolerances to 1e-10.
    """
    h = _highs(presolve=False, strict=strict)
    h.setOptionValue("solver", "simplex")
    return h if pass_model(h, ilp) else None


def float_solve(ilp: IntegerLP, strict: bool = False) -> FloatOutcome:
    """Solve the LP with the HiGHS simplex method (see :func:`prepared`); return its status and basis."""
    h = prepared(ilp, strict)
    if h is None:
        return FloatOutcome("error")
    run(h)
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
    """Solve the LP with the listed columns integer (HiGHS branch and bound, in doubles)."""
    h = _highs(presolve=True, strict=False)
    if not pass_model(h, ilp, integer):
        return FloatOutcome("error")
    run(h)
    status = _STATUS.get(h.getModelStatus(), "error")
    if status != "optimal":
        return FloatOutcome(status)
    return FloatOutcome(status, None, tuple(h.getSolution().col_value))
