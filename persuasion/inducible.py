"""Which response vectors can a message make Alice follow?

SPEC section 1: ties are never in the sender's favour.  A message with weights
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
partial vector that is already not inducible, and skips the LP whenever the
parent's witness ``nu`` already induces the child.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.lp import LinearProgram, solve
from persuasion.problem import ResponseVector, SenderProblem


def witness(problem: SenderProblem, assignment: list[tuple[int, int]]) -> tuple[Fraction, ...] | None:
    """A message ``nu`` in the simplex that makes Alice play ``a`` in each ``(t, a)``, or None."""
    lp = LinearProgram(sense="max")
    nu = [lp.add_variable() for _ in range(problem.num_features)]
    s = lp.add_variable(objective=1, free=True)
    lp.add_constraint({v: 1 for v in nu}, "==", 1)
    lp.add_constraint({s: 1}, "<=", 1)
    for t, a in assignment:
        for _, strict, coefficients in problem.obedience(t, a):
            row = {nu[xb]: g for xb, g in coefficients.items()}
            if strict:
                row[s] = Fraction(-1)
            if row:
                lp.add_constraint(row, ">=", 0)
    result = solve(lp)
    if result.status != "optimal" or result.value <= 0:
        return None
    return tuple(result.x[: problem.num_features])


def inducible_responses(problem: SenderProblem) -> list[ResponseVector]:
    """Every inducible response vector of ``problem``, in lexicographic order."""
    n = problem.num_situations
    found: list[ResponseVector] = []

    def extend(prefix: list[int], nu: tuple[Fraction, ...]) -> None:
        t = len(prefix)
        if t == n:
            found.append(tuple(prefix))
            return
        free_action = problem.response_at(t, nu)
        for a in range(problem.num_actions):
            if a == free_action:
                child = nu
            else:
                child = witness(problem, list(enumerate(prefix)) + [(t, a)])
                if child is None:
                    continue
            extend(prefix + [a], child)

    start = witness(problem, [])
    if start is not None:
        extend([], start)
    return found
