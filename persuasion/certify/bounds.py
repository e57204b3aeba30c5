"""Certificates that bound a sender's best-response value from above.

An upper-bound witness proves ``sup over schemes <= sum_x_B mu(x_B)`` for one
sender problem (:mod:`persuasion.problem`) with two pieces of data that
:mod:`persuasion.check.bounds` re-verifies without a solver (situations are
numbered as the problem numbers them, which is the kernel's order too):

* **Completeness.** Every response vector is either listed in ``vectors`` or
  extends a *pruned* partial assignment that no message can induce.  Each
  pruned assignment carries Motzkin multipliers ``Y >= 0`` (one per
  obedience row, strict or weak) and ``z >= 0`` with ``sum_strict Y + z = 1``
  and ``sum Y g(x_B) + z <= 0`` for every ``x_B``: a message ``nu`` inducing
  the assignment would make ``sum Y g . nu`` both ``> 0`` (or ``>= 0`` with
  ``z > 0``) and ``<= -z``.
* **Dual bound.** Multipliers ``mu(x_B)`` (free) and ``lambda >= 0`` on the
  obedience rows of every listed vector ``r`` with ``val_r(x_B) - mu(x_B) +
  sum lambda g(x_B) <= 0``.  Any scheme splits into messages that induce
  listed vectors ``r`` with weights ``phi_r`` in ``r``'s obedience cone, so
  its value ``sum_r val_r . phi_r <= sum_r mu . phi_r = sum mu``.  With a
  message limit, one set of multipliers per set of vectors a scheme could
  use (:func:`upper_bound_witness`).

The multipliers solve the dual of the obedience LP
(:func:`persuasion.obedience.best_response_program`) exactly.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from persuasion.cells import certified_responses
from persuasion.lp import LinearProgram, solve
from persuasion.numbers import fmt
from persuasion.obedience import column_objective
from persuasion.problem import ResponseVector, SenderProblem
from persuasion.limited import SUBSET_LIMIT


def motzkin(problem: SenderProblem, assignment: list[tuple[int, int]]) -> dict:
    """Multipliers proving that no message induces ``assignment`` (see the module docstring)."""
    lp = LinearProgram(sense="max")
    z = lp.add_variable()
    rows = []
    for t, a in assignment:
        for other, strict, coefficients in problem.obedience(t, a):
            rows.append((t, other, strict, coefficients, lp.add_variable()))
    lp.add_constraint({**{v: 1 for _, _, strict, _, v in rows if strict}, z: 1}, "==", 1)
    for xb in range(problem.num_features):
        row = {v: c[xb] for _, _, _, c, v in rows if xb in c}
        row[z] = Fraction(1)
        lp.add_constraint(row, "<=", 0)
    result = solve(lp)
    if result.status != "optimal":
        raise RuntimeError("a pruned assignment has no Motzkin certificate: the search is wrong")
    return {
        "assignment": [[t, a] for t, a in assignment],
        "z": fmt(result.x[z]),
        "multipliers": [[t, other, fmt(result.x[v])] for t, other, _, _, v in rows if result.x[v]],
    }


def dual_bound(problem: SenderProblem, vectors: list[ResponseVector], floor: Fraction | None = None) -> tuple[list, list, Fraction]:
    """Dual multipliers ``(mu, lambda)`` for the obedience LP over ``vectors``, and ``sum mu``.

    Solves the dual directly: ``min sum mu`` subject to ``val_r(x_B) - mu(x_B)
    + sum lambda g(x_B) <= 0`` for every ``r`` in ``vectors`` and ``x_B``,
    ``lambda >= 0`` (and ``sum mu >= floor`` if given, so that a set whose
    own optimum is lower, or that carries no scheme at all, still gets
    multipliers summing to exactly ``floor``).
    """
    lp = LinearProgram(sense="min")
    mu = [lp.add_variable(objective=1, free=True) for _ in range(problem.num_features)]
    lambdas = []
    for k, r in enumerate(vectors):
        objective = column_objective(problem, r)
        rows = {xb: {mu[xb]: Fraction(-1)} for xb in range(problem.num_features)}
        for t, a in enumerate(r):
            for other, _, coefficients in problem.obedience(t, a):
                if coefficients:
                    v = lp.add_variable()
                    lambdas.append((k, t, other, v))
                    for xb, g in coefficients.items():
                        rows[xb][v] = g
        for xb, row in rows.items():
            lp.add_constraint(row, "<=", -objective[xb])
    if floor is not None:
        lp.add_constraint({m: 1 for m in mu}, ">=", floor)
    result = solve(lp)
    if result.status != "optimal":
        raise RuntimeError(f"the dual of the best-response LP is {result.status}")
    return (
        [fmt(result.x[m]) for m in mu],
        [[k, t, other, fmt(result.x[v])] for k, t, other, v in lambdas if result.x[v]],
        result.value,
    )


def upper_bound_witness(problem: SenderProblem, value: Fraction | None = None) -> tuple[dict, Fraction]:
    """The witness that no scheme is worth more than a bound in ``problem``, and that bound.

    :func:`persuasion.check.bounds.upper_bound` re-derives the problem from the
    instance and checks the witness.  With enough messages one set of
    multipliers covers all inducible vectors.  With fewer messages ``m`` than
    ``|X_B|`` (and a known optimum ``value``), every set of ``m`` vectors gets
    its own multipliers summing to ``value``: a scheme with ``m`` messages
    induces at most ``m`` vectors, all inside one such set.  When there are
    too many sets, the one-set bound is given (valid, possibly above the
    optimum).
    """
    pruned: list = []
    vectors = certified_responses(problem, pruned)
    m = problem.messages
    index_sets = [list(range(len(vectors)))]
    if m < problem.num_features and m < len(vectors) and value is not None \
            and math.comb(len(vectors), m) <= SUBSET_LIMIT:
        index_sets = [list(c) for c in itertools.combinations(range(len(vectors)), m)]
    sets, bound = [], None
    for chosen in index_sets:
        mu, lambdas, total = dual_bound(problem, [vectors[k] for k in chosen], value if len(index_sets) > 1 else None)
        sets.append({"vectors": chosen, "mu": mu, "lambda": lambdas})
        bound = total if bound is None else max(bound, total)
    witness = {
        "vectors": [list(r) for r in vectors],
        "pruned": [motzkin(problem, assignment) for assignment in pruned],
        "sets": sets,
    }
    return witness, bound
