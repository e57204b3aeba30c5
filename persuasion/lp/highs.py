"""The float backend: HiGHS (through highspy) solves the LP in doubles.

This module and :mod:`persuasion.lp.doubles` (which rounds the exact data to
doubles, scaled by powers of two when a number is beyond a double's range)
are the only ones that see floats.  It hands back a status and, for an
optimum, the simplex basis; the values HiGHS computes are never reported.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass

import highspy
import numpy as np

from persuasion import deadline
from persuasion.lp.doubles import FloatModel, float_model
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


def pass_model(
    h: highspy.Highs, ilp: IntegerLP, integer: tuple[int, ...] = ()
) -> FloatModel | None:
    """Hand the LP to ``h`` as row-wise arrays of doubles (``integer`` columns marked integral).

    Returns the doubles passed (their ``objective_shift`` says in what units HiGHS's objective
    values are), or None if HiGHS rejects the model, or if its numbers do not fit in
    doubles even scaled (:func:`~persuasion.lp.doubles.float_model`).  The
    columns of a MILP are not scaled, so its column values are in their own units.

    Uses the array form of ``Highs.passModel``, straight from the LP's
    row-by-row arrays: building a ``HighsLp`` copies every element through Python.
    """
    data = ilp.data
    model = float_model(ilp, scale_columns=not integer)
    if model is None:
        return None
    m, n = data.num_constraints, data.num_variables
    inf = highspy.kHighsInf
    codes = data.sense_codes
    integrality = np.zeros(n, dtype=np.int32)
    integrality[list(integer)] = int(highspy.HighsVarType.kInteger)
    status = h.passModel(
        n,
        m,
        data.num_nonzeros,
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMaximize if data.sense == "max" else highspy.ObjSense.kMinimize),
        0.0,
        model.objective,
        np.where(np.array(data.free, dtype=bool), -inf, 0.0) if n else np.zeros(0),
        np.full(n, inf),
        np.where(codes == 0, -inf, model.rhs),  # "<=" rows have no lower bound
        np.where(codes == 1, inf, model.rhs),  # ">=" rows have no upper bound
        data.row_start[:-1].astype(np.int32),
        data.col_index.astype(np.int32),
        model.values,
        integrality,
    )
    return None if status == highspy.HighsStatus.kError else model


MAIN_THREAD_NONZEROS = 5000
"""LPs with at most this many nonzeros are solved in the calling thread (see :func:`run`)."""


def run(h: highspy.Highs, nonzeros: int | None = None) -> None:
    """``h.run()``, interruptible by Ctrl-C.

    HiGHS releases the GIL while it solves, but a signal handler only runs in
    the main thread between bytecodes: with ``h.run()`` called in the main
    thread, Ctrl-C waited for the whole solve (a minute on a large LP).  So the
    solve runs in a worker thread while the main thread waits in short joins,
    and a KeyboardInterrupt leaves at once; the abandoned daemon thread ends
    with the solve or with the process.  A model of at most
    :data:`MAIN_THREAD_NONZEROS` nonzeros (``nonzeros``, when given) is solved
    in the calling thread instead when no deadline is set: starting a thread
    costs more than such an LP solve (a few milliseconds at most), and Ctrl-C
    is then handled as soon as that solve returns.  Under a deadline
    (:mod:`persuasion.deadline`) every model runs in the worker (a small MILP
    can take minutes) and the deadline is checked before the solve and while
    it runs: once it passes, HiGHS is asked to stop (``cancelSolve``, which
    needs its user-interrupt callback, enabled only under a deadline; highspy
    before 1.8 has neither, and its solve then runs to its end before the
    deadline is checked again) and the worker is waited for, so no solver
    thread is left running -- the program still has a report to make.
    """
    deadline.check()
    timed = deadline.active() and hasattr(h, "cancelSolve")  # HiGHS before 1.8 cannot be stopped
    if not timed and nonzeros is not None and nonzeros <= MAIN_THREAD_NONZEROS:
        h.run()  # a small model under a deadline still runs in the worker: a small MILP may be long
        return
    if timed:
        h.HandleUserInterrupt = True
    worker = threading.Thread(target=h.run, name="highs", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            if timed:
                try:
                    deadline.check()
                except deadline.DeadlinePassed:
                    h.cancelSolve()
                    worker.join()
                    raise
            worker.join(0.05)
    finally:
        if timed and not worker.is_alive():
            h.HandleUserInterrupt = False


_solvers = threading.local()
"""Each thread's idle HiGHS instances, by options: creating one and setting its options
costs more than a small solve, and ``passModel`` replaces the model and forgets the basis."""


def made_quietly() -> highspy.Highs:
    """A new HiGHS instance, made while the process's C-level stdout points at the null device.

    highspy 1.16 prints its banner ("Running HiGHS ...") on file descriptor 1 when an instance is
    made, before any option can turn it off; a Python user's stdout is theirs (the command line
    guards its own streams as well).  Instances are cached per thread, so this runs a few times
    per process.
    """
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (AttributeError, OSError, ValueError):  # no usable stdout: nothing to keep clean
        return highspy.Highs()
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
        finally:
            os.close(null)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _new(presolve: bool, strict: bool) -> highspy.Highs:
    h = made_quietly()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "on" if presolve else "off")
    h.setOptionValue("solver", "choose" if presolve else "simplex")
    if strict:
        h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    return h


def _highs(presolve: bool, strict: bool) -> tuple[highspy.Highs, tuple[bool, bool]]:
    """An idle HiGHS instance with these options (taken out of the thread's cache), and its cache
    key."""
    key = (presolve, strict)
    h = _solvers.__dict__.setdefault("idle", {}).pop(key, None)
    return (h if h is not None else _new(presolve, strict)), key


def _release(h: highspy.Highs, key: tuple[bool, bool]) -> None:
    """Return ``h`` to the thread's cache once its solve is over (never after an interrupted one,
    whose abandoned worker thread may still be running it)."""
    _solvers.idle[key] = h


def prepared(ilp: IntegerLP, strict: bool = False) -> highspy.Highs | None:
    """A new HiGHS instance holding the LP, with the options :func:`float_solve` uses, not yet run
    (None if HiGHS rejects the model).

    Simplex with presolve off: HiGHS has had presolve bugs (a wrong optimum
    or infeasibility verdict, wrong basis statuses after postsolve), and on
    obedience LPs presolve made the solve slower at every size measured.
    ``strict`` tightens the feasibility tolerances to 1e-10.
    """
    h = _new(presolve=False, strict=strict)
    return h if pass_model(h, ilp) else None


ARRAY_BASIS_ROWS = 1000
"""From this many rows on, the basis is read as an array (:func:`_basis`), where ``getBasis``'s
per-row objects cost more than the solve; smaller LPs take the older, crash-free call."""


def _basis(h: highspy.Highs, ilp: IntegerLP) -> Basis | None:
    """The optimal basis HiGHS holds, or None if it has none.

    Read as the list of basic variables (an array), not through ``getBasis``,
    whose per-row status objects cost more than the solve on LPs with many
    rows.  HiGHS solves some LPs without a simplex iteration -- no rows, no
    nonzeros, or (found by tests/lp/test_lp_random.py) one column whose rows
    its trivial-LP handling settles -- and then may have no factored basis to
    list: asking crashes the process (a segmentation fault in 1.16).  So only
    an LP the simplex method iterated on is read that way; the others -- all
    trivial -- are read through ``getBasis``, as is every LP with a highspy
    too old to have ``getBasicVariables`` (1.7) and every LP with fewer than
    :data:`ARRAY_BASIS_ROWS` rows (a crash is a high price for the little
    time the array saves there).
    """
    m = ilp.data.num_constraints
    basic_variables = getattr(h, "getBasicVariables", None)
    if (
        m >= ARRAY_BASIS_ROWS
        and ilp.num_nonzeros
        and basic_variables is not None
        and h.getInfo().simplex_iteration_count > 0
    ):
        status, basic = basic_variables()
        if status != highspy.HighsStatus.kOk or len(basic) != m:
            return None
        basic = np.asarray(basic, dtype=np.int64)
        tight = np.ones(m, dtype=bool)
        tight[-1 - basic[basic < 0]] = False
        return Basis(
            cols=tuple(np.sort(basic[basic >= 0]).tolist()),
            tight=tuple(np.flatnonzero(tight).tolist()),
        )
    basis = h.getBasis()
    if not basis.valid:
        return None
    is_basic = highspy.HighsBasisStatus.kBasic
    return Basis(
        cols=tuple(j for j, s in enumerate(basis.col_status) if s == is_basic),
        tight=tuple(i for i, s in enumerate(basis.row_status) if s != is_basic),
    )


def float_solve(ilp: IntegerLP, strict: bool = False) -> FloatOutcome:
    """Solve the LP with the HiGHS simplex method (see :func:`prepared`); return its status and
    basis."""
    h, key = _highs(presolve=False, strict=strict)
    if not pass_model(h, ilp):
        _release(h, key)
        return FloatOutcome("error")
    run(h, ilp.num_nonzeros)
    status = _STATUS.get(h.getModelStatus(), "error")
    basis = _basis(h, ilp) if status == "optimal" else None
    _release(h, key)
    if status != "optimal":
        return FloatOutcome(status)
    return FloatOutcome("error") if basis is None else FloatOutcome(status, basis)


def float_solve_mixed(
    ilp: IntegerLP, integer: tuple[int, ...], seconds: float | None = None
) -> FloatOutcome:
    """Solve the LP with the listed columns integer (HiGHS branch and bound, in doubles).

    With ``seconds``, HiGHS stops itself after that long: the status is then ``"time-limit"``,
    with the column values of its best integer point when it has one (else none)."""
    h, key = _highs(presolve=True, strict=False)
    if not pass_model(h, ilp, integer):
        _release(h, key)
        return FloatOutcome("error")
    h.setOptionValue("time_limit", highspy.kHighsInf if seconds is None else max(seconds, 0.0))
    run(h, ilp.num_nonzeros)
    status = _STATUS.get(h.getModelStatus(), "error")
    if h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
        status = "time-limit"
    found = status == "optimal" or (status == "time-limit" and _has_incumbent(h))
    values = tuple(h.getSolution().col_value) if found else None
    h.setOptionValue("time_limit", highspy.kHighsInf)
    _release(h, key)
    return FloatOutcome(status, None, values)


def _has_incumbent(h: highspy.Highs) -> bool:
    """Whether HiGHS, stopped early, holds a feasible integer point."""
    return h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
