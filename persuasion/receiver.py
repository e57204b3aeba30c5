"""Alice, the receiver: posteriors, best response, first-best.

Alice forms her posterior from her features ``x_A`` and every sender's
message, and takes the action maximising her expected utility
(Definition 4), ties going to the earliest action of the protocol's
``tie_break``.  Posteriors are handled *unnormalised*: a vector
``w(y) = P(x_A, y, messages)``.  Scaling by a positive number changes no
argmax, and the all-zero vector (an event of probability zero) makes every
action tie, so Alice then plays the first action of the tie-break.  That is
the one convention used everywhere in the package.

Her quantal response (Definition 11) is :mod:`persuasion.qre` (certified
enclosures; what ``verify`` reports) and, in closed form, :mod:`persuasion.quantal`
(apart because it needs sympy, which the exact solver never loads).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from fractions import Fraction
from collections.abc import Sequence

from flint import fmpq

from persuasion.model import Instance, Matrix, Profile, Sender
from persuasion.rationals import to_fmpq as _q, to_fraction as _fraction


def action_values(utility: Matrix, posterior: Sequence[Fraction]) -> list[Fraction]:
    """``sum_y w(y) u(a, y)`` for every action ``a`` (the belief vector of Section B.3,
    unnormalised), ``posterior`` the unnormalised ``w``."""
    return [
        sum((w * u for w, u in zip(posterior, row, strict=True) if w), Fraction(0))
        for row in utility
    ]


def tie_broken_argmax(values: Sequence[Fraction], tie_break: Sequence[int]) -> int:
    """The earliest action in ``tie_break`` among those with the largest value."""
    best = tie_break[0]
    for a in tie_break[1:]:
        if values[a] > values[best]:
            best = a
    return best


def best_action(instance: Instance, posterior: Sequence[Fraction]) -> int:
    """Alice's best response to the (unnormalised) ``posterior`` over states (Definition 4)."""
    return tie_broken_argmax(
        action_values(instance.alice_utility, posterior), instance.protocol.tie_break
    )


def situations(instance: Instance, profile: Profile) -> dict[tuple, list[fmpq]]:
    """Every event Alice can find herself in, with her unnormalised posterior.

    Keys are ``(x_A, (m_1, ..., m_k))``; values are ``w(y) = sum_{x_B}
    P(x_A, x_B, y) prod_i pi_i(m_i | x_B)`` over states.  Only message
    profiles of positive probability appear (senders randomise independently
    given ``x_B``; Section B.4).  In python-flint's exact rationals (``fmpq``:
    best-response dynamics evaluate a profile after every move, and these
    sums cost several times as much in :class:`~fractions.Fraction`).
    """
    ny = instance.num_states
    result: dict[tuple, list[fmpq]] = {}
    for xb in range(len(instance.sender_features)):
        supports = [
            [(m, _q(p)) for m, p in enumerate(scheme[xb]) if p] for scheme in profile.schemes
        ]
        for combo in itertools.product(*supports):
            messages = tuple(m for m, _ in combo)
            weight = fmpq(1)
            for _, p in combo:
                weight *= p
            for xa, table in enumerate(instance.prior):
                row = table[xb]
                if not any(row):
                    continue
                w = result.setdefault((xa, messages), [fmpq()] * ny)
                for y, p in enumerate(row):
                    if p:
                        w[y] += weight * _q(p)
    return result


@dataclass(frozen=True)
class Outcome:
    """The induced distribution over (action, state) and everyone's expected utility (Definition
    5)."""

    joint: tuple[tuple[Fraction, ...], ...]
    alice_utility: Fraction
    sender_utilities: tuple[Fraction, ...]


def expected_utility(utility: Matrix, joint: Sequence[Sequence[Fraction]]) -> Fraction:
    """``E[u(a, y)]`` under a joint distribution over (action, state) (summed in ``fmpq``)."""
    return _fraction(
        sum(
            (
                _q(p) * _q(u)
                for urow, prow in zip(utility, joint, strict=True)
                for u, p in zip(urow, prow, strict=True)
                if p
            ),
            fmpq(),
        )
    )


def outcome_from_joint(instance: Instance, joint: Sequence[Sequence[Fraction]]) -> Outcome:
    """Everyone's expected utility under an (action, state) distribution."""
    frozen = tuple(tuple(row) for row in joint)
    return Outcome(
        joint=frozen,
        alice_utility=expected_utility(instance.alice_utility, frozen),
        sender_utilities=tuple(expected_utility(s.utility, frozen) for s in instance.senders),
    )


def outcome(instance: Instance, profile: Profile) -> Outcome:
    """The outcome of the one-round simultaneous game when Alice best-responds (Definitions 4-5)."""
    ny, na = instance.num_states, instance.num_actions
    alice = [[_q(u) for u in row] for row in instance.alice_utility]
    joint = [[fmpq()] * ny for _ in range(na)]
    for posterior in situations(instance, profile).values():
        values = [
            sum((w * u for w, u in zip(posterior, row, strict=True) if w), fmpq()) for row in alice
        ]  # action_values
        a = tie_broken_argmax(values, instance.protocol.tie_break)
        for y, w in enumerate(posterior):
            joint[a][y] += w
    return outcome_from_joint(instance, [[_fraction(p) for p in row] for row in joint])


def oblivious_outcome_for(instance: Instance, utility: Matrix, scheme) -> Outcome:
    """Everyone's utility when Alice hears one scheme obliviously, sent by a sender with
    ``utility``.

    ``Outcome.sender_utilities`` are the instance's senders' utilities; the
    oblivious sender's own is :func:`expected_utility` of ``utility`` on the joint
    (Definitions 8, 16 and 18-19 all let Alice hear one sender obliviously).
    """
    messages = tuple(str(m) for m in range(len(scheme[0])))
    heard = dataclasses.replace(instance, senders=(Sender("oblivious", utility, messages),))
    return outcome_from_joint(instance, outcome(heard, Profile((tuple(scheme),))).joint)


def first_best(instance: Instance) -> Fraction:
    """OPT (Definition 2): Alice's expected utility if she knew ``(x_A, x_B)``."""
    total = Fraction(0)
    for table in instance.prior:
        for row in table:
            if any(row):
                total += max(action_values(instance.alice_utility, row))
    return total
