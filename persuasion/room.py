"""Schemes in which every message induces its vector under Alice's real tie-break.

The obedience LP (:mod:`persuasion.obedience`) lets ties go the sender's way;
Alice does not (docs/explanation/model.md, Definition 4).  A set of response vectors has
*room* when one scheme over it uses every vector with every strict obedience
constraint holding strictly; such a scheme can be mixed into any point of the
obedience polytope over the set to approach it with real schemes.  Both the
limited-message supremum (:mod:`persuasion.limited`) and the attainment step
(:mod:`persuasion.attainment`) ask this question.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.lp import solve
from persuasion.obedience import FLOOR, Column, margin_program
from persuasion.problem import ResponseVector, SenderProblem


def good_solution(
    problem: SenderProblem,
    columns: list[ResponseVector],
    value: Fraction | None,
    sent_at: tuple[frozenset[int], ...] | None = None,
) -> list[Column] | None:
    """A scheme over ``columns`` in which every message induces its vector under the real tie-break.

    With ``value`` given, the scheme must also reach that sender value (the
    supremum is then attained).  With ``sent_at``, column ``k`` is sent only
    at the ``x_B`` in ``sent_at[k]`` (:class:`persuasion.obedience.Candidate`).
    Returns None when no such scheme exists:
    each round of :func:`persuasion.obedience.margin_program` removes the
    columns that are zero or on the boundary in every feasible scheme, until
    every remaining column is non-zero with room (found) or nothing is left (none exists).
    """
    columns = list(columns)
    while columns:
        program = margin_program(problem, columns, value, sent_at)
        result = solve(program.lp)
        if result.status != "optimal":
            return None
        if FLOOR in program.z and result.x[program.z[FLOOR]] == 0:
            return None  # no feasible scheme gives Alice strictly more than the floor
        stuck = {k for k, z in program.z.items() if k != FLOOR and result.x[z] == 0}
        if not stuck:
            return program.columns(result.x, columns, scale=result.x[program.tau])
        columns = [r for k, r in enumerate(columns) if k not in stuck]
        if sent_at is not None:
            sent_at = tuple(where for k, where in enumerate(sent_at) if k not in stuck)
    return None


def room(problem: SenderProblem, vectors: list[ResponseVector]) -> list[Column] | None:
    """A scheme using every vector of ``vectors``, each strictly induced; None if there is none."""
    good = good_solution(problem, vectors, None)
    if good is None or len(good) < len(vectors):
        return None
    return good
