"""What the senders' game in a conversation gives: best responses over conversation rules, a
verified conversation profile and the profile best-response dynamics reach (Definitions 6-8).

The JSON keys are those of the one-round results (:mod:`persuasion.results.play`) where they
mean the same thing; a sender's rule is under ``"rule"`` (keyed by history where it looks at
the history, as a profile file holds it) instead of ``"scheme"``, Alice's conversation and
decision rules under ``"alice_rule"`` as ``persuasion converse`` prints them, and
``"optimality"`` says whether every best deviation is proven exactly (``"exact"``) or some is
the MILP solver's claim (``"milp-solver"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from persuasion.model import Instance
from persuasion.numbers import fmt
from persuasion.results._display import Attained, Display
from persuasion.results.conversation import ConversationResult
from persuasion.results.play import Deviation, Status
from persuasion.results.solution import AlignedSender

if TYPE_CHECKING:  # the solver's records, for annotations only
    from persuasion.conversation.rules import ConversationProfile, HistoryTable, Row
    from persuasion.supremum import Optimality

__all__ = [
    "ConversationAligned",
    "ConversationBestResponseResult",
    "ConversationEquilibrium",
    "ConversationVerification",
]


def _optimality(deviations: tuple[Deviation, ...]) -> str:
    """``"exact"`` when every best deviation's value is proven exactly, else ``"milp-solver"``."""
    exact = all(d.best.optimality == "exact" for d in deviations)
    return "exact" if exact else "milp-solver"


@dataclass(frozen=True, repr=False)
class ConversationBestResponseResult(Display):
    """A sender's exact best conversation rule against the other senders' rules, Alice
    best-responding (the sender's optimal commitment).

    Attributes
    ----------
    sender : str
        The sender's name.
    value : Fraction
        The supremum of the sender's expected utility over every conversation rule.
    attained : bool or None
        Whether some rule reaches ``value`` under Alice's tie-break (None: undecided).
    achieved : Fraction
        The actual value of :attr:`rule` against Alice's real best response.
    optimality : {"exact", "milp-solver"}
        Whether ``value`` is proven exactly or is the MILP solver's claim over Alice's plans.
    rule : tuple
        Per sender feature ``x_B``: a row that ignores the history, or a
        :class:`~persuasion.conversation.rules.HistoryTable` of rows by private history.
    features : tuple of str
        The senders' feature names.
    messages : tuple of str
        The sender's message names.
    alice_messages : int
        Alice's alphabet (the histories' keys name her messages ``"0"``, ``"1"``, ...).
    """

    sender: str
    value: Fraction
    attained: Attained
    achieved: Fraction
    optimality: Optimality
    rule: tuple[Row | HistoryTable, ...]
    features: tuple[str, ...]
    messages: tuple[str, ...]
    alice_messages: int

    @property
    def shortfall(self) -> Fraction:
        """``value - achieved``: how far :attr:`rule` is from the supremum."""
        return self.value - self.achieved

    def _fields_json(self) -> dict[str, Any]:
        return {
            "best_value": fmt(self.value),
            "attained": self.attained,
            "achieved": fmt(self.achieved),
            "shortfall": fmt(self.shortfall),
            "optimality": self.optimality,
        }

    def _rule_json(self) -> dict[str, Any]:
        from persuasion.profile import dump_rule

        return {"rule": dump_rule(self.features, self.messages, self.alice_messages, self.rule)}

    def to_json(self) -> dict[str, Any]:
        """``{"sender", "best_value", "attained", "achieved", "shortfall", "optimality",
        "rule"}``."""
        return {"sender": self.sender, **self._fields_json(), **self._rule_json()}

    def _title(self) -> str:
        return f"best conversation rule of {self.sender}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("value", self.value),
            ("attained", self.attained),
            ("achieved", self.achieved),
            ("optimality", self.optimality),
        ]


@dataclass(frozen=True, repr=False)
class ConversationAligned(AlignedSender):
    """Definition 8's benchmark in a conversation: the best conversation rule of one sender
    whose utility is Alice's (the most messages any sender has, the instance's rounds).

    Attributes
    ----------
    value, messages, attained, optimality, features
        As :class:`~persuasion.results.AlignedSender`'s.
    scheme : tuple
        The aligned sender's rule (messages ``"0"``, ``"1"``, ...): per sender feature, a
        row or a :class:`~persuasion.conversation.rules.HistoryTable`.
    alice_messages : int
        Alice's alphabet.
    """

    alice_messages: int

    @property
    def rule(self) -> tuple[Row | HistoryTable, ...]:
        """:attr:`scheme`, the aligned sender's conversation rule."""
        return self.scheme  # type: ignore[return-value]

    def to_json(self) -> dict[str, Any]:
        """The ``aligned`` object of ``persuasion solve --json`` on a conversation: the one-round
        keys, ``"rule"`` for ``"scheme"``."""
        from persuasion.profile import dump_rule

        names = tuple(str(m) for m in range(self.messages))
        return {
            "value": fmt(self.value),
            "messages": self.messages,
            "attained": self.attained,
            "optimality": self.optimality,
            "rule": dump_rule(self.features, names, self.alice_messages, self.rule),
        }


@dataclass(frozen=True, repr=False)
class _ConversationPlay(Display):
    """A conversation profile, Alice's best response to it and every sender's best deviation."""

    profile: ConversationProfile
    conversation: ConversationResult
    deviations: tuple[Deviation, ...]
    nash_gap: Fraction

    @property
    def instance(self) -> Instance:
        return self.conversation.instance

    @property
    def alice_utility(self) -> Fraction:
        """Alice's expected utility under her best-response conversation rule."""
        return self.conversation.alice_utility

    @property
    def sender_utilities(self) -> tuple[Fraction, ...]:
        """Every sender's expected utility, in the instance's order."""
        return self.conversation.sender_utilities

    @property
    def joint(self) -> tuple[tuple[Fraction, ...], ...]:
        """The induced joint distribution of action (rows) and state (columns)."""
        return self.conversation.joint

    @property
    def optimality(self) -> str:
        """``"exact"`` when every best deviation is proven exactly, else ``"milp-solver"``: the
        Nash gap then rests on the MILP solver's claim (its gains are exact lower bounds)."""
        return _optimality(self.deviations)

    def _play_json(self) -> dict[str, Any]:
        own = self.conversation.to_json()
        keys = ("selection", "alice_utility", "sender_utilities", "alice_rule", "outcome")
        return {key: own[key] for key in keys if key in own}  # selection: Definition 16 only


@dataclass(frozen=True, repr=False)
class ConversationVerification(_ConversationPlay):
    """A conversation profile checked exactly: Alice's best-response conversation rule,
    every utility, each sender's best deviation and the Nash gap (Definitions 6-7).

    Attributes
    ----------
    profile : ConversationProfile
        The senders' rules.
    conversation : ConversationResult
        Alice's best response to them (:func:`persuasion.converse`'s result): the game's
        sizes, her conversation and decision rules, everyone's utility.
    deviations : tuple of Deviation
        Every sender's best deviation (``best``: a :class:`ConversationBestResponseResult`).
    nash_gap : Fraction
        The largest gain of a deviation (exactly 0 at a Nash equilibrium).
    nash_conv : Fraction
        The sum of the gains.
    game : str
        The game played (``"simultaneous"``).
    eta : Fraction
        The approximation allowed for unattained best responses.

    ``instance``, ``alice_utility``, ``sender_utilities`` and ``joint`` are read from
    :attr:`conversation`; ``optimality`` is ``"milp-solver"`` when some best deviation is
    only the MILP solver's claim.
    """

    nash_conv: Fraction
    game: str
    eta: Fraction

    @property
    def is_equilibrium(self) -> bool:
        """Whether the Nash gap is exactly 0 (Definition 7)."""
        return self.nash_gap == 0

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion verify --json`` prints on a conversation."""
        return {
            **self.conversation.to_json(),
            "deviations": [d.to_json() for d in self.deviations],
            "nash_gap": fmt(self.nash_gap),
            "nash_conv": fmt(self.nash_conv),
            "is_equilibrium": self.is_equilibrium,
            "optimality": self.optimality,
        }

    def _title(self) -> str:
        p = self.instance.protocol
        return f"verification of conversation rules of {self.instance.name} ({p.rounds} rounds)"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", self.alice_utility),
            ("sender_utilities", self.sender_utilities),
            ("nash_gap", self.nash_gap),
            ("is_equilibrium", self.is_equilibrium),
            ("gains", tuple(d.gain for d in self.deviations)),
            ("optimality", self.optimality),
        ]


@dataclass(frozen=True, repr=False)
class ConversationEquilibrium(_ConversationPlay):
    """The conversation profile best-response dynamics reached, judged exactly (Definition 7).

    Attributes
    ----------
    profile : ConversationProfile
        The best profile the dynamics met (the smallest exact Nash gap).
    conversation : ConversationResult
        Alice's best response to it.
    deviations : tuple of Deviation
        Every sender's exact best deviation from the profile.
    nash_gap : Fraction
        The profile's exact Nash gap.
    converged, status, stop_reason, rounds, start
        As :class:`~persuasion.results.Equilibrium`'s.
    """

    converged: bool
    status: Status
    stop_reason: str
    rounds: int
    start: str

    def to_json(self) -> dict[str, Any]:
        """The ``equilibrium`` object of ``persuasion solve --json`` on a conversation."""
        from persuasion.profile import dump_conversation_profile

        return {
            "profile": dump_conversation_profile(self.profile, self.instance),
            **self._play_json(),
            "nash_gap": fmt(self.nash_gap),
            "converged": self.converged,
            "status": self.status.value,
            "stop_reason": self.stop_reason,
            "rounds": self.rounds,
            "start": self.start,
            "deviations": [d.to_json() for d in self.deviations],
            "optimality": self.optimality,
        }

    def _title(self) -> str:
        return f"equilibrium search over conversation rules from {self.start}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", self.alice_utility),
            ("nash_gap", self.nash_gap),
            ("status", self.status.value),
            ("rounds", self.rounds),
            ("sender_utilities", self.sender_utilities),
        ]
