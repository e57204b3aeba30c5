"""Alice's decision rule at a profile: what she does in each situation she can be in.

Definition 4 (best-response decision rule): given the posterior ``mu(x_A, pi)``
formed from her features ``x_A`` and the transcript ``pi`` -- in the one-round
game, the message of every sender she hears -- Alice takes an action that
maximises her expected utility, ties going to the earliest action of the
protocol's ``tie_break`` (Definition 4's "fixed, predetermined rule").

:func:`decision_rule` lists that rule, situation by situation, as
:class:`DecisionRule`: for each ``(x_A, messages)`` its probability, Alice's
posterior over states, the actions that maximise her expected utility and
the one she takes.  It reads the receiver's own computation
(:func:`persuasion.receiver.situations` for the posteriors,
:func:`persuasion.receiver.best_action` for the choice), so the rule shown
is the one every utility of a report was computed with.

Situations of probability zero are left out: Alice's action there changes
no one's expected utility, and the receiver plays the first action of the
tie-break in them by convention (:mod:`persuasion.receiver`), which a table
of every unreachable message combination would only bury.

In the best-AI selection game (Definition 16) Alice hears only the sender
she selects, so the situations are ``(x_A, that sender's message)``; the
caller says which senders she hears (the front door asks the game's entry
in :data:`persuasion.games.GAMES`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from persuasion.model import Instance, Profile
from persuasion.numbers import fmt
from persuasion.rationals import to_fraction
from persuasion.receiver import action_values, best_action, situations

__all__ = ["Situation", "DecisionRule", "decision_rule"]


@dataclass(frozen=True)
class Situation:
    """One situation Alice can be in, and what she does there (Definition 4).

    Attributes
    ----------
    alice_feature : str
        Her features ``x_A`` (``"none"`` when the prior is over states only).
    messages : tuple[str, ...]
        The message she hears from each sender of :attr:`DecisionRule.senders`, in that order.
    probability : Fraction
        ``P(x_A, messages)``, positive.
    posterior : tuple[Fraction, ...]
        Her posterior ``P(y | x_A, messages)`` over the instance's states, in their order.
    best_actions : tuple[str, ...]
        The actions that maximise her posterior expected utility, in the instance's order.
    action : str
        The one she takes: the earliest of ``best_actions`` in the tie-break.
    """

    alice_feature: str
    messages: tuple[str, ...]
    probability: Fraction
    posterior: tuple[Fraction, ...]
    best_actions: tuple[str, ...]
    action: str


@dataclass(frozen=True)
class DecisionRule:
    """Alice's best-response decision rule at a profile, on the situations of positive probability.

    Attributes
    ----------
    senders : tuple[str, ...]
        The senders Alice hears: every sender in the simultaneous game, the one
        she selects in the best-AI selection game.
    states : tuple[str, ...]
        The instance's states (the order of every :attr:`Situation.posterior`).
    situations : tuple[Situation, ...]
        One per situation of positive probability, ordered by ``x_A`` then by the
        messages (each in the order of its sender's message set).  Their
        probabilities sum to 1.
    """

    senders: tuple[str, ...]
    states: tuple[str, ...]
    situations: tuple[Situation, ...]

    def to_json(self) -> list[dict]:
        """One object per situation, every number an exact ``"p/q"`` string.

        Returns
        -------
        list of dict
            ``{"alice_feature", "messages": {sender: message}, "probability",
            "posterior": {state: "p/q"}, "best_actions": [action, ...], "action"}``.
        """
        return [
            {
                "alice_feature": s.alice_feature,
                "messages": dict(zip(self.senders, s.messages, strict=True)),
                "probability": fmt(s.probability),
                "posterior": {y: fmt(p) for y, p in zip(self.states, s.posterior, strict=True)},
                "best_actions": list(s.best_actions),
                "action": s.action,
            }
            for s in self.situations
        ]


def decision_rule(
    instance: Instance, profile: Profile, heard: tuple[int, ...] | None = None
) -> DecisionRule:
    """What Alice does in every situation of positive probability when the senders play ``profile``.

    Parameters
    ----------
    instance : Instance
        A one-round instance whose Alice best-responds (Definition 4).
    profile : Profile
        The senders' committed schemes.
    heard : tuple of int, optional
        The senders whose messages Alice reads: by default every sender (the
        simultaneous game); in the best-AI selection game the one she selects
        (Definition 16, step 2), which the game's entry in
        :data:`persuasion.games.GAMES` tells.

    Returns
    -------
    DecisionRule
        Her features and the messages she hears, the probability of that
        situation, her posterior, her best actions and the tie-broken one.
    """
    heard = tuple(range(instance.num_senders)) if heard is None else heard
    game = dataclasses.replace(instance, senders=tuple(instance.senders[i] for i in heard))
    schemes = Profile(tuple(profile.schemes[i] for i in heard))
    rows = [
        _situation(game, xa, messages, [to_fraction(w) for w in weights])
        for (xa, messages), weights in sorted(situations(game, schemes).items())
    ]
    return DecisionRule(
        senders=tuple(s.name for s in game.senders),
        states=instance.states,
        situations=tuple(rows),
    )


def _situation(
    instance: Instance, xa: int, messages: tuple[int, ...], weights: list[Fraction]
) -> Situation:
    """One row: ``weights`` is the receiver's unnormalised posterior ``P(x_A, messages, y)``."""
    total = sum(weights, Fraction(0))
    values = action_values(instance.alice_utility, weights)
    best = max(values)
    return Situation(
        alice_feature=instance.alice_features[xa],
        messages=tuple(s.messages[m] for s, m in zip(instance.senders, messages, strict=True)),
        probability=total,
        posterior=tuple(w / total for w in weights),
        best_actions=tuple(a for a, v in zip(instance.actions, values, strict=True) if v == best),
        action=instance.actions[best_action(instance, weights)],
    )
