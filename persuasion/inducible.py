"""Which response vectors can a message make Alice follow?

docs/explanation/model.md: ties are never in the sender's favour.  A message with weights
``nu(x_B)`` steers Alice to action ``a`` in situation ``t`` only if, at the
posterior it induces there, ``a`` is strictly better than every action
earlier in the tie-break and at least as good as every later one.  A response
vector ``r`` is *inducible* when one ``nu`` in the simplex does this in every
situation at once; an action that Alice never strictly prefers and that loses
every tie is never induced.

Inducibility of a partial vector is a linear feasibility question with strict
inequalities, decided exactly by the LP ``max s`` subject to every strict
constraint ``>= s`` (and ``s <= 1``): inducible iff the optimum is positive.
The enumeration is a depth-first search over situations that prunes every
partial vector that is already not inducible (an action not inducible in its
situation alone is never tried), and skips the LP whenever the parent's
witness ``nu`` already induces the child.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.lp import LinearProgram, solve
from persuasion.problem import ResponseVector, SenderProblem

_S = 0
"""The margin variable ``s`` is column 0; ``nu(x_B)`` is column ``1 + x_B``."""


def _base(problem: SenderProblem) -> LinearProgram:
    """``max s`` over ``nu`` in the simplex with ``s <= 1``, no situation constrained yet."""
    lp = LinearProgram(sense="max")
    lp.add_variable(objective=1, free=True)
    for _ in range(problem.num_features):
        lp.add_variable()
    lp.add_constraint({1 + xb: 1 for xb in range(problem.num_features)}, "==", 1)
    lp.add_constraint({_S: 1}, "<=", 1)
    return lp


def _constrain(problem: SenderProblem, lp: LinearProgram, t: int, a: int) -> LinearProgram:
    """A copy of ``lp`` that also requires Alice to play ``a`` in situation ``t``."""
    lp = lp.copy()
    for _, strict, coefficients in problem.obedience(t, a):
        row = {1 + xb: g for xb, g in coefficients.items()}
        if strict:
            row[_S] = Fraction(-1)
        if row:
            lp.add_constraint(row, ">=", 0)
    return lp


def _witness_of(problem: SenderProblem, lp: LinearProgram) -> tuple[Fraction, ...] | None:
    result = solve(lp)
    if result.status != "optimal" or result.value <= 0:
        return None
    return tuple(result.x[1:])


def witness(
    problem: SenderProblem, assignment: list[tuple[int, int]]
) -> tuple[Fraction, ...] | None:
    """A message ``nu`` in the simplex that makes Alice play ``a`` in each ``(t, a)``, or None."""
    lp = _base(problem)
    for t, a in assignment:
        lp = _constrain(problem, lp, t, a)
    return _witness_of(problem, lp)


def inducible_responses(problem: SenderProblem, pruned: list | None = None) -> list[ResponseVector]:
    """Every inducible response vector of ``problem``, in lexicographic order.

    If ``pruned`` is a list, every partial assignment found not inducible is
    appended to it as a list of ``(t, a)`` pairs: single pairs for actions
    not inducible in their situation alone, prefixes otherwise.  Together
    with the result they cover every response vector, which is what a
    completeness certificate needs (:mod:`persuasion.witnesses.bounds`).
    """
    n = problem.num_situations
    base = _base(problem)
    alone = [set() for _ in range(n)]
    for t in range(n):
        for a in range(problem.num_actions):
            if _witness_of(problem, _constrain(problem, base, t, a)):
                alone[t].add(a)
            elif pruned is not None:
                pruned.append([(t, a)])
    found: list[ResponseVector] = []

    def extend(prefix: list[int], nu: tuple[Fraction, ...], lp: LinearProgram) -> None:
        t = len(prefix)
        if t == n:
            found.append(tuple(prefix))
            return
        free_action = problem.response_at(t, nu)
        for a in sorted(alone[t]):
            child_lp = _constrain(problem, lp, t, a)
            child = nu if a == free_action else _witness_of(problem, child_lp)
            if child is not None:
                extend(prefix + [a], child, child_lp)
            elif pruned is not None:
                pruned.append(list(enumerate(prefix + [a])))

    start = _witness_of(problem, base)
    if start is not None:
        extend([], start, base)
    return found
