"""The outcome of a profile when Alice responds lambda-quantally (Definitions 11-12), enclosed.

Each situation ``(x_A, messages)`` of positive probability (the receiver's own
:func:`persuasion.receiver.situations`) gives Alice's exact beliefs ``mu`` and her action
distribution ``softmax(lambda mu)`` as balls; ``I^Q(a, y) = sum`` over situations of ``q(a)
w(y)``, and every utility the matching sum (:func:`persuasion.checker.quantal.values`), each ball
turned into exact rational endpoints at the end.
"""

from __future__ import annotations

from fractions import Fraction

from flint import arb, ctx

from persuasion.checker.quantal import BITS, ball, beliefs, interval, response, values
from persuasion.model import Instance, Profile
from persuasion.rationals import to_fraction
from persuasion.receiver import situations
from persuasion.results.quantal import QuantalOutcome, QuantalSituation


def quantal_outcome(instance: Instance, profile: Profile) -> QuantalOutcome:
    """Alice's quantal response in every situation, ``I^Q`` and everyone's utility, enclosed."""
    lam = instance.protocol.lam
    if lam is None:
        raise ValueError("the instance's decision rule is not quantal")
    matrices = [instance.alice_utility, *(s.utility for s in instance.senders)]
    rows = []
    with ctx.workprec(BITS):
        joint = [[arb(0)] * instance.num_states for _ in instance.actions]
        totals = [arb(0)] * len(matrices)
        for (xa, msgs), weights in sorted(situations(instance, profile).items()):
            w = [to_fraction(v) for v in weights]
            q = response(instance.alice_utility, w, lam)
            for a, qa in enumerate(q):
                joint[a] = [
                    j + qa * v if v else j for j, v in zip(joint[a], _balls(w), strict=True)
                ]
            totals = [t + values(q, w, m) for t, m in zip(totals, matrices, strict=True)]
            rows.append(_situation(instance, xa, msgs, w, [interval(p) for p in q]))
        alice, *senders = (interval(t) for t in totals)
        return QuantalOutcome(
            situations=tuple(rows),
            joint=tuple(tuple(interval(p) for p in row) for row in joint),
            alice_utility=alice,
            sender_utilities=tuple(senders),
        )


def _balls(w: list[Fraction]) -> list:
    return [ball(v) if v else 0 for v in w]


def _situation(
    instance: Instance, xa: int, msgs: tuple[int, ...], w: list[Fraction], probs: list
) -> QuantalSituation:
    total = sum(w, Fraction(0))
    return QuantalSituation(
        alice_feature=instance.alice_features[xa],
        messages=tuple(s.messages[m] for s, m in zip(instance.senders, msgs, strict=True)),
        probability=total,
        posterior=tuple(v / total for v in w),
        beliefs=tuple(beliefs(instance.alice_utility, w)),
        action_probabilities=tuple(probs),
    )
