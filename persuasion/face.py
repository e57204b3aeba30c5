"""The worst scheme for Alice among one sender's best responses: an exact LP on the optimal face.

With the other senders' schemes fixed, every scheme that attains sender ``i``'s supremum ``V``
(Definition 7: a best response) induces, message by message, a point of the obedience LP over the
inducible response vectors (:mod:`persuasion.obedience`) worth ``V`` to the sender -- the LP's
optimal face -- at which Alice's utility is the scheme's (when she is indifferent, her tie-break
does not change her own utility).  So the minimum of Alice's utility over that face,
an exact LP, is a lower bound on what she gets at any best response of sender ``i``; and when
the minimising point, as a scheme with at most ``i``'s messages, attains ``V`` under Alice's real
tie-break, it is a best response that reaches the bound.  With one sender, best responses are the
equilibria: the bound decides Alice's worst equilibrium exactly when it is reached.  With several,
:func:`persuasion.api.worst.equilibria` uses the scheme as a local move, kept only when the
dynamics confirm an exact equilibrium (review of issue 10, finding 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from persuasion.model import Instance, Profile

__all__ = ["FaceWorst", "face_moves", "lone_sender_bound", "worst_on_face"]


@dataclass(frozen=True)
class FaceWorst:
    """Alice's least utility on sender ``sender``'s optimal face (``bound``, exact) and the
    profile with ``sender`` switched to the scheme reaching it (None when no scheme with the
    sender's messages attains the supremum there)."""

    sender: int
    bound: Fraction
    profile: Profile | None


def worst_on_face(instance: Instance, profile: Profile, sender: int) -> FaceWorst | None:
    """The worst point for Alice of ``sender``'s optimal face against the others in ``profile``
    (simultaneous game, Alice best-responding); None when no scheme meets the sender's program.
    """
    from persuasion.equilibrium import scheme_from_columns
    from persuasion.lp import solve
    from persuasion.obedience import best_response_program
    from persuasion.problem import deviation_problem
    from persuasion.routes import supremum

    problem = deviation_problem(instance, profile, sender)
    found = supremum(problem)
    if found is None:
        return None
    vectors = list(found.vectors)
    program = best_response_program(problem, vectors, worth=found.value)
    result = solve(program.lp)
    if result.status != "optimal":  # the supremum's own optimum lies on the face
        raise RuntimeError(f"the optimal face's LP is {result.status}; it contains an optimum")
    columns = program.columns(result.x, vectors)
    phis = [phi for _, phi in columns]
    messages = len(instance.senders[sender].messages)
    if len(columns) > messages or problem.actual_value(phis) != found.value:
        return FaceWorst(sender, result.value, None)
    scheme = scheme_from_columns(tuple(columns), len(instance.sender_features), messages)
    return FaceWorst(sender, result.value, profile.replace(sender, scheme))


def face_moves(
    instance: Instance, game: str, profile: Profile, number: int
) -> list[tuple[str, Profile]]:
    """Exact local moves around equilibrium ``#number`` of the simultaneous game: each sender
    switches to the worst scheme for Alice among their best responses (none in other games)."""
    if game != "simultaneous":
        return []
    moves = []
    for i, sender in enumerate(instance.senders):
        face = worst_on_face(instance, profile, i)
        if face is not None and face.profile is not None and face.profile != profile:
            moves.append((f"worst of {sender.name}'s optimal face from #{number}", face.profile))
    return moves


def lone_sender_bound(instance: Instance, game: str) -> Fraction | None:
    """With one sender in the simultaneous game, Alice's least utility at any equilibrium (the
    worst point of the sender's optimal face); else None."""
    from persuasion.model import silent_profile

    if game != "simultaneous" or instance.num_senders != 1:
        return None
    face = worst_on_face(instance, silent_profile(instance), 0)  # no other sender: any profile
    return None if face is None else face.bound
