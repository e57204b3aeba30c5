"""The quantal response equilibrium check (Definition 12) of a profile, from its enclosed outcome
(:mod:`persuasion.qre.outcome`) and every sender's deviation bounds
(:mod:`persuasion.qre.deviation`): what ``persuasion verify`` reports and the QRE search
(:mod:`persuasion.qre.dynamics`) judges every round by."""

from __future__ import annotations

from fractions import Fraction

from persuasion.model import Instance, Profile
from persuasion.qre.deviation import DeviationBounds
from persuasion.results.quantal import QuantalDeviation, QuantalOutcome, QuantalVerification


def qre_check(
    instance: Instance,
    profile: Profile,
    outcome: QuantalOutcome,
    bounds: list[DeviationBounds],
) -> QuantalVerification:
    """The QRE check of ``profile`` (Definition 12) from its enclosed outcome and every sender's
    deviation bounds, in the instance's order.

    ``verdict`` is ``"not-a-qre"`` when some deviation's lower bound beats the sender's utility
    (upper end) at the profile, else ``"qre-within-eta"``; ``eta_bound`` is an upper bound of
    every gain either way.
    """
    deviations = []
    for i, (sender, found) in enumerate(zip(instance.senders, bounds, strict=True)):
        value = outcome.sender_utilities[i]
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
