"""What a profile gives in an ``R``-round conversation with a quantal-responding Alice (Section
D.1): every transcript with Alice's straightforward reports (Definition 10) and her quantal
response (Definition 11), ``I^Q``, everyone's utility, Lemma 1's gap, Definition 13's ``delta``
-- and why the QRE check (Definition 12) is not done."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from persuasion.conversation.histories import Belief, vector_key
from persuasion.model import Instance
from persuasion.numbers import fmt
from persuasion.results._display import Display, fractions_json
from persuasion.results.quantal import Interval, _mid, interval_json

QRE_NOT_DONE = (
    "not done: a sender's deviations are conversation rules on histories that hold Alice's "
    "belief vectors, and no sound bound on the best of them is built for this protocol; the "
    "profile is reported without a verdict"
)
"""Why a conversation's QRE check is not done (``qre_check.reason``)."""


@dataclass(frozen=True)
class QuantalTranscript:
    """One transcript of positive probability and Alice's quantal response after it.

    Attributes
    ----------
    alice_feature : str
        Her feature ``x_A``.
    said : tuple[Belief, ...]
        Her belief vector of each round (Definition 10), exactly.
    histories : tuple[str, ...]
        Each sender's complete private history, by key (``"[1/2, 1/2] > yes > ..."``).
    probability : Fraction
        ``P(x_A, transcript)``, exactly.
    posterior : tuple[Fraction, ...]
        ``P(y | x_A, transcript)``, exactly.
    beliefs : tuple[Fraction, ...]
        ``mu_a`` after the last round, exactly.
    action_probabilities : tuple[Interval, ...]
        Enclosures of ``softmax(lambda mu)``.
    gap : Interval
        Lemma 1's gap ``max_a mu_a - sum_a q(a) mu_a``, enclosed.
    """

    alice_feature: str
    said: tuple[Belief, ...]
    histories: tuple[str, ...]
    probability: Fraction
    posterior: tuple[Fraction, ...]
    beliefs: tuple[Fraction, ...]
    action_probabilities: tuple[Interval, ...]
    gap: Interval


@dataclass(frozen=True, repr=False)
class QuantalConversation(Display):
    """A profile of conversation rules played against ``C_A^sf`` and ``D_A^Q``.

    Attributes
    ----------
    instance : Instance
        The instance (``decision.rule = "quantal"``, ``rounds`` ``R``).
    profile : ConversationProfile
        The senders' rules.
    lam : Fraction
        ``lambda``.
    transcripts : tuple[QuantalTranscript, ...]
        Every transcript of positive probability, by ``x_A``.
    joint : tuple[tuple[Interval, ...], ...]
        ``I^Q(a, y)``, enclosed.
    alice_utility : Interval
        Her expected utility.
    sender_utilities : tuple[Interval, ...]
        Every sender's, in the instance's order.
    best_response_utility : Fraction
        What she would get best-responding after the same transcripts (``E[max_a mu_a]``).
    lemma_1_bound : Interval
        ``log|A| / lambda``, enclosed: ``best_response_utility - alice_utility`` is at most it.
    eps_u : Fraction
        Proposition 2's uniform error of the reference rule (a sender revealing ``x_B`` as far
        as every sender's messages allow), over every transcript in which a sender plays it.
    delta : Interval
        Definition 13's ``delta`` for that reference rule, ``min(2, e^{4 lambda eps_u} - 1)``.
    """

    instance: Instance
    profile: Any
    lam: Fraction
    transcripts: tuple[QuantalTranscript, ...]
    joint: tuple[tuple[Interval, ...], ...]
    alice_utility: Interval
    sender_utilities: tuple[Interval, ...]
    best_response_utility: Fraction
    lemma_1_bound: Interval
    eps_u: Fraction
    delta: Interval
    qre_check: str = QRE_NOT_DONE

    @property
    def lemma_1_gap(self) -> Interval:
        """``best_response_utility - alice_utility``, enclosed."""
        lo, hi = self.alice_utility
        return self.best_response_utility - hi, self.best_response_utility - lo

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion verify --json`` prints for a quantal conversation."""
        inst, senders = self.instance, [s.name for s in self.instance.senders]
        return {
            "instance": inst.name,
            "decision": {"rule": "quantal", "lambda": fmt(self.lam)},
            "rounds": inst.protocol.rounds,
            "alice_utility": interval_json(self.alice_utility),
            "sender_utilities": [interval_json(u) for u in self.sender_utilities],
            "best_response_utility": fmt(self.best_response_utility),
            "lemma_1": {
                "gap": interval_json(self.lemma_1_gap),
                "bound": interval_json(self.lemma_1_bound),
            },
            "transcripts": [_transcript_json(inst, senders, t) for t in self.transcripts],
            "outcome": {
                "actions": list(inst.actions),
                "states": list(inst.states),
                "joint": [[interval_json(p) for p in row] for row in self.joint],
            },
            "delta": {
                "reference": "revealing",
                "eps_u": fmt(self.eps_u),
                "delta": interval_json(self.delta),
            },
            "qre_check": {"done": False, "reason": self.qre_check},
        }

    def _title(self) -> str:
        return f"quantal conversation ({self.instance.protocol.rounds} rounds) of a profile"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("lambda", self.lam),
            ("alice_utility", _mid(self.alice_utility)),
            ("best_response_utility", self.best_response_utility),
            ("transcripts", len(self.transcripts)),
            ("qre_check", "not done"),
        ]


def _transcript_json(inst: Instance, senders: list[str], t: QuantalTranscript) -> dict:
    return {
        "alice_feature": t.alice_feature,
        "alice_messages": [vector_key(v) for v in t.said],
        "histories": dict(zip(senders, t.histories, strict=True)),
        "probability": fmt(t.probability),
        "posterior": dict(zip(inst.states, fractions_json(t.posterior), strict=True)),
        "beliefs": dict(zip(inst.actions, fractions_json(t.beliefs), strict=True)),
        "action_probabilities": {
            a: interval_json(p) for a, p in zip(inst.actions, t.action_probabilities, strict=True)
        },
        "lemma_1_gap": interval_json(t.gap),
    }
