"""A float backend: the compact MILP of one sender's best response, as a practitioner would write
it.

This module is a *float backend* (like :mod:`persuasion.lp.highs`): its
numbers are HiGHS's doubles and are never reported as exact.  It is the
peer that ``benchmarks/bench_best_response.py`` times the exact best
response (:func:`persuasion.sender.best_response`) against, and an
independent upper bound the tests check the exact supremum with.

For a :class:`~persuasion.problem.SenderProblem` with ``m`` messages, the
MILP has, for every message ``k < m``, situation ``t``, action ``a`` and
sender feature ``x_B``:

- ``phi[k][x_B] >= 0`` with ``sum_k phi[k][x_B] = 1``: the scheme
  ``pi(k | x_B)`` (one column of the revelation-principle LP per message,
  :mod:`persuasion.obedience`);
- binary ``w[k][t][a]``, "Alice plays ``a`` after message ``k`` in situation
  ``t``", with ``sum_a w[k][t][a] = 1``: the response vector message ``k``
  recommends;
- ``p[k][t][a][x_B] = phi[k][x_B] * w[k][t][a]`` by McCormick's envelope
  (``p <= phi``, ``p <= w``, ``p >= phi + w - 1``, ``p >= 0``; exact for a
  binary ``w``; in the textbook model only where it has a non-zero
  objective or Alice floor coefficient);
- obedience by big-M: if ``w[k][t][a] = 1`` then
  ``sum_x_B phi[k][x_B] * g[x_B] >= 0`` with ``g`` Alice's advantage of ``a``
  over each other action ``b`` (:meth:`SenderProblem.advantage`), written
  ``sum_x_B g[x_B] phi[k][x_B] >= -M (1 - w[k][t][a])`` with
  ``M = sum_x_B max(0, -g[x_B])``: the least the left side can be when every
  ``phi[k][x_B]`` lies in ``[0, 1]``, so ``M`` is valid for the data and as
  small as such a bound can be (no row when ``M = 0``: the constraint then
  always holds);
- the objective ``sum p[k][t][a][x_B] * sender_values[t][x_B][a]``, and, with
  an Alice floor, ``sum p * alice_values >= alice_floor`` (never strict).

Two families of valid rows, which a practitioner adds once the textbook
model above proves slow, tighten its LP relaxation (``tighten``, the
default): ``sum_a p[k][t][a][x_B] = phi[k][x_B]`` (as ``sum_a w = 1``), and
obedience on the products, ``sum_x_B g[x_B] p[k][t][a][x_B] >= 0`` (``p`` is
``phi[k]`` when ``w[k][t][a] = 1`` and 0 otherwise).  With them, a generated
6-sender, 3-message, 3-state, 3-action problem (168 situations) is solved at
the root in 7 s; without them HiGHS had not closed the gap after 30 s
(measured on the 2-core machine of ``docs/explanation/performance.md``).

Obedience is weak, so a tie goes whichever way the sender likes: the MILP's
optimum is an *upper bound* of the exact supremum, which uses Alice's real
tie-break (Definition 4) -- equal when ties do not matter.  Its numbers are
as good as HiGHS's tolerances, set explicitly below; :attr:`CompactResult.tolerance`
turns them into an absolute error estimate for the value and bound.  The
exact data become doubles through :mod:`persuasion.lp.doubles` (via
:func:`persuasion.lp.highs.pass_model`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction

import highspy

from persuasion.lp import LinearProgram
from persuasion.lp.highs import pass_model, run
from persuasion.lp.scaled import IntegerLP
from persuasion.problem import ResponseVector, SenderProblem

MIP_REL_GAP = 1e-6
"""HiGHS ``mip_rel_gap``: stop when ``|bound - value| <= MIP_REL_GAP * |value|`` (HiGHS's default:
1e-4)."""

MIP_ABS_GAP = 1e-9
"""HiGHS ``mip_abs_gap``: or when ``|bound - value| <= MIP_ABS_GAP`` (HiGHS's default: 1e-6)."""

FEASIBILITY = 1e-7
"""HiGHS ``mip_feasibility_tolerance`` (integrality and rows in branch and bound) and the primal and
dual feasibility tolerances of its LPs (HiGHS's defaults: 1e-6, 1e-7, 1e-7)."""

_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time-limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
}


@dataclass(frozen=True)
class CompactResult:
    """What the compact MILP found, in doubles.

    ``status`` is ``"optimal"``, ``"time-limit"`` (``timed_out``; ``value``
    is then the best scheme found, if any, and ``bound`` HiGHS's dual bound
    when it stopped), ``"infeasible"`` (only under an Alice floor; ``bound``
    is then ``-inf``) or another HiGHS model status.  ``bound`` is an upper
    bound of the MILP's optimum, hence of the exact supremum, up to
    ``tolerance`` (``inf`` when HiGHS proved none).  ``tolerance`` is
    ``MIP_ABS_GAP + MIP_REL_GAP * max(1, |bound|)`` plus ``FEASIBILITY`` times
    the sum of the objective's absolute coefficients (what products ``p``
    exceeding ``phi * w`` by the feasibility tolerance could add): an
    estimate of HiGHS's error, not a proof.  ``responses`` holds the response
    vector (from ``w``) of every message the scheme uses and ``columns`` its
    ``phi[k][x_B]`` (read by :func:`persuasion.limited.by_compact_milp`); ``seconds`` is the
    wall time of the whole call, building the model included.
    """

    status: str
    value: float | None
    bound: float
    tolerance: float
    responses: tuple[ResponseVector, ...]
    columns: tuple[tuple[float, ...], ...]
    seconds: float
    timed_out: bool


@dataclass
class _Model:
    lp: LinearProgram
    phi: list[list[int]]
    w: list[list[list[int]]]
    objective_mass: Fraction


def _model(problem: SenderProblem, tighten: bool) -> _Model:
    """The MILP of the module docstring as an exact :class:`LinearProgram` (``w`` are its integer
    columns)."""
    lp = LinearProgram(sense="max")
    nb, na, situations = problem.num_features, problem.num_actions, range(problem.num_situations)
    phi = [[lp.add_variable() for _ in range(nb)] for _ in range(problem.messages)]
    for xb in range(nb):
        lp.add_constraint({phi_k[xb]: 1 for phi_k in phi}, "==", 1)
    floor_row: dict[int, Fraction] = {}
    mass = Fraction(0)
    w = []
    for phi_k in phi:
        w_k = []
        for t in situations:
            w_kt = [lp.add_variable() for _ in range(na)]
            lp.add_constraint({v: 1 for v in w_kt}, "==", 1)
            p_kt = [[None] * nb for _ in range(na)]
            for a, w_kta in enumerate(w_kt):
                for xb in range(nb):
                    value = problem.sender_values[t][xb][a]
                    alice = problem.alice_values[t][xb][a] if problem.alice_floor is not None else 0
                    if not (value or alice or tighten):
                        continue
                    p = p_kt[a][xb] = lp.add_variable(objective=value)
                    mass += abs(value)
                    if alice:
                        floor_row[p] = alice
                    lp.add_constraint({p: 1, phi_k[xb]: -1}, "<=", 0)
                    lp.add_constraint({p: 1, w_kta: -1}, "<=", 0)
                    lp.add_constraint({p: 1, phi_k[xb]: -1, w_kta: -1}, ">=", -1)
                for other in range(na):
                    if other == a:
                        continue
                    advantages = [problem.advantage(t, a, other, xb) for xb in range(nb)]
                    big_m = sum((-g for g in advantages if g < 0), Fraction(0))
                    if big_m:
                        lp.add_constraint(
                            {**{phi_k[xb]: g for xb, g in enumerate(advantages)}, w_kta: -big_m},
                            ">=",
                            -big_m,
                        )
                        if tighten:
                            lp.add_constraint(
                                {p_kt[a][xb]: g for xb, g in enumerate(advantages)}, ">=", 0
                            )
            if tighten:
                for xb in range(nb):
                    lp.add_constraint(
                        {**{p_kt[a][xb]: 1 for a in range(na)}, phi_k[xb]: -1}, "==", 0
                    )
            w_k.append(w_kt)
        w.append(w_k)
    if problem.alice_floor is not None:
        lp.add_constraint(floor_row, ">=", problem.alice_floor)
    return _Model(lp, phi, w, mass)


def _highs(time_limit: float | None) -> highspy.Highs:
    from persuasion.lp.highs import made_quietly

    h = made_quietly()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", MIP_REL_GAP)
    h.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
    h.setOptionValue("mip_feasibility_tolerance", FEASIBILITY)
    h.setOptionValue("primal_feasibility_tolerance", FEASIBILITY)
    h.setOptionValue("dual_feasibility_tolerance", FEASIBILITY)
    if time_limit is not None:
        h.setOptionValue("time_limit", max(float(time_limit), 0.0))
    return h


def _used_messages(
    problem: SenderProblem, model, x
) -> tuple[tuple[ResponseVector, ...], tuple[tuple[float, ...], ...]]:
    """The MILP solution ``x``'s messages in use (some ``phi_k(x_B)`` above the tolerance): each
    one's response vector (the action of largest ``w`` per situation) and its float column."""
    used = [
        (phi_k, w_k)
        for phi_k, w_k in zip(model.phi, model.w, strict=True)
        if max(x[v] for v in phi_k) > FEASIBILITY
    ]
    responses = tuple(
        tuple(max(range(problem.num_actions), key=lambda a: x[w_kt[a]]) for w_kt in w_k)
        for _, w_k in used
    )
    return responses, tuple(tuple(x[v] for v in phi_k) for phi_k, _ in used)


def compact_milp(
    problem: SenderProblem, time_limit: float | None = None, tighten: bool = True
) -> CompactResult:
    """Solve ``problem``'s compact MILP with HiGHS, stopping after ``time_limit`` seconds (building
    included).

    ``tighten=False`` leaves out the two valid tightenings of the module
    docstring (the textbook big-M and McCormick model alone).

    Raises ``ValueError`` if the data do not fit in doubles even scaled
    (:func:`persuasion.lp.doubles.float_model`).
    """
    start = time.perf_counter()
    model = _model(problem, tighten)
    integer = tuple(v for w_k in model.w for w_kt in w_k for v in w_kt)
    left = None if time_limit is None else time_limit - (time.perf_counter() - start)
    h = _highs(left)
    passed = pass_model(h, IntegerLP(model.lp.freeze()), integer)
    if passed is None:
        raise ValueError("compact MILP: the problem's numbers do not fit in doubles")
    run(h)
    raw = h.getModelStatus()
    status = _STATUS.get(raw, h.modelStatusToString(raw).lower())
    info = h.getInfo()
    bound = info.mip_dual_bound if status != "infeasible" else -highspy.kHighsInf
    value = None
    responses: tuple[ResponseVector, ...] = ()
    columns: tuple[tuple[float, ...], ...] = ()
    if info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
        value = info.objective_function_value
        responses, columns = _used_messages(problem, model, h.getSolution().col_value)
    reference = abs(bound) if abs(bound) < highspy.kHighsInf else abs(value or 0.0)
    # HiGHS saw the objective times 2**shift (numbers beyond 2**400 are scaled): back to the
    # problem's units
    shift = passed.objective_shift
    try:
        tolerance = math.ldexp(
            MIP_ABS_GAP + MIP_REL_GAP * max(1.0, reference), -shift
        ) + FEASIBILITY * float(model.objective_mass)
        bound = math.ldexp(bound, -shift)
        value = None if value is None else math.ldexp(value, -shift)
    except OverflowError:
        raise ValueError("compact MILP: the problem's values do not fit in doubles") from None
    return CompactResult(
        status=status,
        value=value,
        bound=bound,
        tolerance=tolerance,
        responses=responses,
        columns=columns,
        seconds=time.perf_counter() - start,
        timed_out=status == "time-limit",
    )
