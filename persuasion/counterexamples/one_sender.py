"""Alice's utility over every equilibrium of a one-sender game, bounded below by one exact LP.

With one sender the simultaneous game is Kamenica and Gentzkow's (2011) persuasion game: an
equilibrium (Definition 7) is a scheme attaining the sender's supremum under Alice's fixed tie-break
(docs/explanation/model.md), and there is none when the supremum is not attained.  Alice's utility
differs between such schemes, so "what Alice gets with this sender alone" is a set.  Its lower
end is bounded by the program

    minimise  Alice's value of the scheme
    over      the obedience LP's schemes on the inducible response vectors (persuasion.obedience)
    subject to the sender's value >= the supremum S*,

because every attaining scheme, written in direct form (one message per action Alice takes), is
feasible there: the actions it induces are inducible, Alice weakly prefers each recommended action,
the sender gets S*, and Alice's value does not depend on how her ties are broken.  So the program's
optimum is at most Alice's utility at every equilibrium of the one-sender game -- an exact lower
bound (equal to the infimum when the optimum's vectors can be induced with room; a bound either
way).  Messages are not counted: fewer messages only shrink the set of equilibria.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from persuasion.model import Instance

__all__ = ["OneSender", "floor_result", "one_sender"]


@dataclass(frozen=True)
class OneSender:
    """Sender ``sender`` alone with Alice: the supremum ``value`` of their utility, whether a
    scheme attains it (``attained``; if not, the one-sender game has no equilibrium), and
    ``alice_floor``, an exact lower bound on Alice's utility at every equilibrium (None when there
    is none)."""

    sender: int
    value: Fraction
    attained: bool
    alice_floor: Fraction | None


def _floor_program(problem, vectors, value: Fraction):
    """The module docstring's program (as a maximisation of minus Alice's value)."""
    from persuasion.obedience import best_response_program

    negated = tuple(
        tuple(tuple(-v for v in row) for row in table) for table in problem.alice_values
    )
    program = best_response_program(replace(problem, sender_values=negated), list(vectors))
    row = {}
    for r, phi_k in zip(vectors, program.phi, strict=True):
        for xb, c in enumerate(problem.sender_column(r)):
            if c:
                row[phi_k[xb]] = c
    program.lp.add_constraint(row, ">=", value)
    return program


def _solved(instance: Instance, sender: int, eta: Fraction):
    """``(best response, floor LP result)``; the result is None when the supremum is unattained."""
    from persuasion.lp import solve
    from persuasion.problem import oblivious_problem
    from persuasion.routes import supremum
    from persuasion.sender import best_response

    problem = oblivious_problem(instance, sender)
    best = best_response(problem, eta)
    if not best.attained:
        return best, None
    result = solve(_floor_program(problem, supremum(problem).vectors, best.value).lp)
    if result.status != "optimal":
        raise RuntimeError(f"the one-sender floor LP is {result.status}; an optimum is feasible")
    return best, result


def floor_result(instance: Instance, sender: int, eta: Fraction):
    """The exact LP result behind :attr:`OneSender.alice_floor` (its ``certificate`` re-verifies
    with :func:`persuasion.lp.check_certificate`; the optimum is minus the floor), or None when
    the sender's supremum is not attained."""
    return _solved(instance, sender, eta)[1]


def one_sender(instance: Instance, sender: int, eta: Fraction) -> OneSender:
    """Sender ``sender`` of ``instance`` alone with Alice (the others ignored).

    Parameters
    ----------
    instance : Instance
        The instance (its other senders are ignored).
    sender : int
        The sender who stays.
    eta : Fraction
        How close an unattained best response's scheme comes
        (:func:`persuasion.sender.best_response`).

    Returns
    -------
    OneSender
    """
    best, result = _solved(instance, sender, eta)
    floor = None if result is None else -result.value
    return OneSender(sender, best.value, result is not None, floor)
