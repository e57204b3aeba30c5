"""Polish a finding with one exact LP: the program proposes, the engine decides.

For ``theorem-1-tightness`` the score is ``(U_A(C*) - U_A) / (2 eps)`` at an exact equilibrium
``P`` of the simultaneous game (Theorem 1, Section C.2).  Hold fixed everything Alice sees --
her utility, the prior, the profile ``P`` -- and her outcome at ``P`` and ``U_A(C*)``
(Definition 8) stay what they are; only ``eps`` (Definition 1, Remark 2) depends on the senders'
utilities.  Writing ``V_i = w_i U_i`` (Remark 2's weights folded in), the senders' utilities that
make ``eps`` smallest while ``P`` stays an equilibrium are one LP:

    minimise    eps
    subject to  -eps <= sum_i V_i(a, y) + c - u_A(a, y) <= eps        for every (a, y)
                c_k(x_B; V_i) + sum_rows mu_row A_row(x_B) <= lambda_{i, x_B}
                                        for every sender i, inducible vector k and x_B
                U_i(P; V_i) >= sum_{x_B} lambda_{i, x_B},   mu >= 0.

The middle rows are the dual of sender ``i``'s best-response LP at ``P`` (the obedience LP over
the inducible response vectors, :mod:`persuasion.obedience`): its rows and vectors depend only on
Alice and the others' schemes, so only the objective ``c_k`` moves with ``V_i``, linearly, and a
dual solution bounds the supremum by ``sum lambda`` (weak duality) -- so the last row says ``P``'s
scheme is a best response.  Each condition is homogeneous in ``V_i``, so a positive weight changes
nothing, and the instance's own utilities with their alignment weights are feasible: the LP's
``eps`` is at most the finding's.  The polished instance takes ``U_i = V_i`` shifted to least
entry 0 (a sender with constant ``V_i`` keeps their utility) and is judged again by the exact
engine: every sender's best response at ``P`` (Nash gap exactly 0), ``eps`` (Remark 2), the
ratio.  It replaces the finding only if the engine
confirms a larger ratio.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from persuasion.counterexamples.properties import ETA, Finding
from persuasion.counterexamples.space import Point, instance_of
from persuasion.model import Instance, Profile

__all__ = ["POLISHERS", "polish_tightness"]


def _cells(instance: Instance):
    return [(a, y) for a in range(instance.num_actions) for y in range(instance.num_states)]


def _best_response_rows(lp, instance: Instance, profile: Profile, i: int, v: dict) -> None:
    """The rows saying sender ``i``'s scheme in ``profile`` is a best response for utility ``v``
    (variables by ``(a, y)``): the dual of the best-response LP, and the current value above its
    bound."""
    from persuasion.cells import certified_responses
    from persuasion.games import game
    from persuasion.problem import deviation_problem

    problem = deviation_problem(instance, profile, i)
    lam = [lp.add_variable(free=True) for _ in range(problem.num_features)]
    for r in certified_responses(problem):
        mu = {}
        for t, a in enumerate(r):
            for _, _, xbs, nums, scale in problem.obedience_rows(t, a, implied=False):
                mu[lp.add_variable()] = {
                    xb: Fraction(n, scale) for xb, n in zip(xbs, nums, strict=True)
                }
        for xb in range(problem.num_features):
            row = {lam[xb]: Fraction(1)}
            for t, a in enumerate(r):
                for y, q in enumerate(problem.q[t][xb]):
                    if q:
                        row[v[a, y]] = row.get(v[a, y], 0) - q
            for var, coefficients in mu.items():
                if coefficients.get(xb):
                    row[var] = -coefficients[xb]
            lp.add_constraint(row, ">=", 0)
    joint = game("simultaneous").outcome(instance, profile).joint
    row = {v[a, y]: joint[a][y] for a, y in v if joint[a][y]}
    for var in lam:
        row[var] = row.get(var, 0) - 1
    lp.add_constraint(row, ">=", 0)


def proposed_utilities(instance: Instance, profile: Profile) -> tuple | None:
    """The module docstring's LP solved exactly: the senders' utilities ``V_i`` (None if the LP
    has no optimum)."""
    from persuasion.lp import LinearProgram, solve

    lp = LinearProgram(sense="min")
    eps = lp.add_variable(objective=1)
    offset = lp.add_variable(free=True)
    cells = _cells(instance)
    variables = [{cell: lp.add_variable(free=True) for cell in cells} for _ in instance.senders]
    for a, y in cells:
        total = {v[a, y]: 1 for v in variables}
        target = instance.alice_utility[a][y]
        lp.add_constraint({**total, offset: 1, eps: -1}, "<=", target)
        lp.add_constraint({**total, offset: 1, eps: 1}, ">=", target)
    for i, v in enumerate(variables):
        _best_response_rows(lp, instance, profile, i, v)
    result = solve(lp)
    if result.status != "optimal":
        return None
    na, ny = instance.num_actions, instance.num_states
    return tuple(
        _from_zero([[result.x[v[a, y]] for y in range(ny)] for a in range(na)]) for v in variables
    )


def _from_zero(matrix: list[list[Fraction]]):
    """``matrix`` shifted to have least entry 0: a constant added to a sender's utility changes
    none of his best responses, and the alignment's offset absorbs it."""
    low = min(min(row) for row in matrix)
    return tuple(tuple(v - low for v in row) for row in matrix)


def polish_tightness(point: Point, finding: Finding) -> tuple[Point, Finding] | None:
    """The polished point and its finding, judged by the exact engine; None unless the engine
    confirms an exact equilibrium at the finding's profile with a larger ratio than the finding's.

    Parameters
    ----------
    point : Point
        The (minimised) point of a ``theorem-1-tightness`` finding.
    finding : Finding
        Its finding (``profile``: the equilibrium).

    Returns
    -------
    tuple of (Point, Finding), or None
    """
    from persuasion.counterexamples.properties import _alice, _benchmarks, _numbers
    from persuasion.equilibrium import deviations, nash_gap

    profile = finding.profile
    proposed = proposed_utilities(instance_of(point), profile)
    if proposed is None:
        return None
    utilities = tuple(
        old if not any(any(row) for row in new) else new
        for old, new in zip(point.utilities, proposed, strict=True)
    )
    polished = replace(point, utilities=utilities)
    instance = instance_of(polished)
    if nash_gap(deviations(instance, profile, ETA)) != 0:
        return None
    aligned, eps = _benchmarks(instance)
    alice = _alice(instance, "simultaneous", profile)
    if eps == 0 or (aligned - alice) / (2 * eps) <= finding.score:
        return None
    return polished, Finding((aligned - alice) / (2 * eps), _numbers(aligned, eps, alice), profile)


POLISHERS = {"theorem-1-tightness": polish_tightness}
"""The properties a finding can be polished for (``persuasion search --polish``)."""
