"""What a conversation gives: Alice's best-response conversation rule and everyone's utility
(Definitions 5-6; :func:`persuasion.converse`)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from persuasion.model import Instance
from persuasion.numbers import fmt
from persuasion.results._display import Display, fractions_json
from persuasion.results.play import Selection

if TYPE_CHECKING:  # the solver's records, for annotations only
    from persuasion.conversation.rules import ConversationProfile
    from persuasion.conversation.sizes import ConversationSizes

__all__ = ["ConversationDecision", "ConversationResult", "TalkStep"]


@dataclass(frozen=True)
class TalkStep:
    """Where Alice talks, and what she sends (her conversation rule ``C_A``, Definition 3).

    Attributes
    ----------
    alice_feature : str
        Her features ``x_A``.
    round : int
        The round, from 1.
    histories : tuple of str
        Her history with each sender so far (a history key,
        :mod:`persuasion.conversation.histories`; ``""`` before round 1), sender order.
    probability : Fraction
        The probability of this information set (positive).
    send : tuple of str
        The message she sends each sender, sender order.
    """

    alice_feature: str
    round: int
    histories: tuple[str, ...]
    probability: Fraction
    send: tuple[str, ...]


@dataclass(frozen=True)
class ConversationDecision:
    """Where Alice acts after the last round, and what she does (Definition 4).

    Attributes
    ----------
    alice_feature : str
    histories : tuple of str
        The whole conversation with each sender (history keys), sender order.
    probability : Fraction
        Positive.
    posterior : tuple of Fraction
        ``P(y | x_A, transcript)`` over the instance's states.
    best_actions : tuple of str
        The actions maximising her posterior expected utility.
    action : str
        The one she takes: the earliest of ``best_actions`` in the tie-break.
    """

    alice_feature: str
    histories: tuple[str, ...]
    probability: Fraction
    posterior: tuple[Fraction, ...]
    best_actions: tuple[str, ...]
    action: str


@dataclass(frozen=True, repr=False)
class ConversationResult(Display):
    """Alice's best-response conversation rule against committed sender rules (Definition 6).

    Attributes
    ----------
    instance : Instance
        The instance played (its ``rounds`` and ``alice_messages``).
    profile : ConversationProfile
        The senders' rules.
    sizes : ConversationSizes
        The conversation game's size (counted before it was built).
    alice_utility : Fraction
        Alice's expected utility under her best response.
    sender_utilities : tuple of Fraction
        Every sender's, in the instance's order.
    joint : tuple of tuple of Fraction
        The induced joint distribution of action and state (Definition 5): rows actions,
        columns states.
    talks : tuple of TalkStep
        Her messages at every information set of positive probability her rule reaches, by
        round, then ``x_A``, then history.
    decisions : tuple of ConversationDecision
        Her action at every such information set after the last round.  Their probabilities
        sum to 1.
    heard : tuple of str
        The senders Alice converses with (the histories of :attr:`talks` and
        :attr:`decisions`, in this order): every sender in the simultaneous game, the one she
        selects in the best-AI selection game.
    selection : Selection or None
        In the best-AI selection game (Definition 16): what conversing with each sender alone
        is worth to her, and the one she selects; :attr:`sizes` are then those of that
        conversation.
    """

    instance: Instance
    profile: ConversationProfile
    sizes: ConversationSizes
    alice_utility: Fraction
    sender_utilities: tuple[Fraction, ...]
    joint: tuple[tuple[Fraction, ...], ...]
    talks: tuple[TalkStep, ...]
    decisions: tuple[ConversationDecision, ...]
    heard: tuple[str, ...]
    selection: Selection | None = None

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion converse --json`` prints."""
        inst = self.instance
        senders = list(self.heard)
        selection = {} if self.selection is None else {"selection": self.selection.to_json()}
        return {
            "instance": inst.name,
            "game": inst.protocol.game,
            "rounds": inst.protocol.rounds,
            "alice_messages": inst.protocol.alice_messages,
            "sizes": self.sizes.to_json(),
            "senders": [s.name for s in inst.senders],
            **selection,
            "alice_utility": fmt(self.alice_utility),
            "sender_utilities": fractions_json(self.sender_utilities),
            "alice_rule": {
                "talk": [_talk_json(senders, t) for t in self.talks],
                "act": [_decision_json(senders, inst.states, d) for d in self.decisions],
            },
            "outcome": {
                "actions": list(inst.actions),
                "states": list(inst.states),
                "joint": [fractions_json(row) for row in self.joint],
            },
        }

    def _title(self) -> str:
        p = self.instance.protocol
        return f"Alice's best response in {self.instance.name} ({p.rounds} round(s))"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", self.alice_utility),
            ("sender_utilities", self.sender_utilities),
            ("nodes", self.sizes.nodes),
            ("information sets where she acts", len(self.decisions)),
        ]


def _talk_json(senders: list[str], step: TalkStep) -> dict[str, Any]:
    return {
        "alice_feature": step.alice_feature,
        "round": step.round,
        "histories": dict(zip(senders, step.histories, strict=True)),
        "probability": fmt(step.probability),
        "send": dict(zip(senders, step.send, strict=True)),
    }


def _decision_json(senders: list[str], states, d: ConversationDecision) -> dict[str, Any]:
    return {
        "alice_feature": d.alice_feature,
        "histories": dict(zip(senders, d.histories, strict=True)),
        "probability": fmt(d.probability),
        "posterior": {y: fmt(p) for y, p in zip(states, d.posterior, strict=True)},
        "best_actions": list(d.best_actions),
        "action": d.action,
    }
