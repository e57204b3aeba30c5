"""The front door for a quantal-responding Alice (Definitions 11-12): verify a profile.

``verify`` on an instance whose ``decision.rule`` is ``quantal`` comes here
(:func:`persuasion.api.play.verify`): one round, Alice silent, the simultaneous game.
"""

from __future__ import annotations

import math
from fractions import Fraction

from persuasion.errors import InputError
from persuasion.model import Instance, Profile
from persuasion.results.quantal import QuantalDeviation, QuantalVerification

GRID_WORK = 200_000
"""Default work of one sender's deviation grid (``grid points * situations * |A|``): about two
seconds a sender; at most :data:`persuasion.limits.MAX_QRE_GRID_WORK`."""


def quantal_problem(instance: Instance) -> tuple[str, str] | None:
    """``(json path, problem)`` when a quantal instance is outside what is solved (one round,
    Alice silent, the simultaneous game), else None."""
    p = instance.protocol
    if p.rounds != 1 or p.alice_messages != 1:
        return "protocol", "quantal response is supported for rounds 1 and alice_messages 1 only"
    if p.game != "simultaneous":
        return "protocol.game", "quantal response is supported in the simultaneous game only"
    return None


def _check_size(instance: Instance, source: str) -> None:
    """Refuse, before any work, a ``lambda`` beyond ``MAX_QUANTAL_EXPONENT`` or an outcome of more
    than ``MAX_QUANTAL_EXPONENTIALS``."""
    from persuasion import limits

    from persuasion.checker.quantal import spread

    exponent = instance.protocol.lam * spread(instance.alice_utility)
    if exponent > limits.MAX_QUANTAL_EXPONENT:
        raise InputError(
            source,
            f"lambda * (max u_A - min u_A) beyond MAX_QUANTAL_EXPONENT = "
            f"{limits.MAX_QUANTAL_EXPONENT}: Alice's response is her best response to within "
            "e^-65536 (Lemma 1)",
            "$.protocol.decision.lambda",
        )
    count = len(instance.prior) * len(instance.sender_features) * instance.num_actions
    count *= math.prod(len(s.messages) for s in instance.senders)
    if count > limits.MAX_QUANTAL_EXPONENTIALS:
        raise InputError(
            source,
            f"{count} exponentials for the quantal outcome, beyond MAX_QUANTAL_EXPONENTIALS = "
            f"{limits.MAX_QUANTAL_EXPONENTIALS}",
        )


def verify_quantal(
    instance: Instance, profile: Profile, *, grid_work: int = GRID_WORK, source: str = "<memory>"
) -> QuantalVerification:
    """The quantal outcome of ``profile`` and the QRE check: every sender's best deviation value
    bounded from both sides (:mod:`persuasion.qre.deviation`).

    ``verdict`` is ``"not-a-qre"`` when some deviation's lower bound beats the sender's utility
    (upper end) at the profile, else ``"qre-within-eta"`` with ``eta_bound`` an upper bound of
    every gain.
    """
    from persuasion.qre.deviation import deviation_bounds
    from persuasion.qre.outcome import quantal_outcome

    problem = quantal_problem(instance)
    if problem:
        raise InputError(source, problem[1], "$." + problem[0])
    _check_size(instance, source)
    outcome = quantal_outcome(instance, profile)
    deviations = []
    for i, sender in enumerate(instance.senders):
        value = outcome.sender_utilities[i]
        found = deviation_bounds(instance, profile, i, grid_work, source)
        lower, scheme = found.lower, found.scheme
        if scheme is None or lower < value[0]:  # keeping one's own scheme is a deviation too
            lower, scheme = value[0], profile.schemes[i]
        deviations.append(
            QuantalDeviation(
                sender.name,
                value,
                lower,
                max(found.upper, value[1]),
                scheme,
                found.grid_step,
                found.slack,
                instance.sender_features,
                sender.messages,
            )  # fmt: skip
        )
    gains = [d.gain for d in deviations]
    return QuantalVerification(
        instance=instance,
        profile=profile,
        lam=instance.protocol.lam,
        outcome=outcome,
        deviations=tuple(deviations),
        verdict="not-a-qre" if any(lo > 0 for lo, _ in gains) else "qre-within-eta",
        eta_bound=max((hi for _, hi in gains), default=Fraction(0)),
    )
