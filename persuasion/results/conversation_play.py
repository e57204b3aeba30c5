"""What the senders' game in a conversation gives: best responses over conversation rules, a
verified conversation profile and the profile best-response dynamics reach (Definitions 6-8).

The JSON keys are those of the one-round results (:mod:`persuasion.results.play`) where they
mean the same thing; a sender's rule is under ``"rule"`` (keyed by history where it looks at
the history, as a profile file holds it) instead of ``"scheme"``, Alice's conversation and
decision rules under ``"alice_rule"`` as ``persuasion converse`` prints them, and
``"optimality"`` says whether every best deviation is proven exactly (``"exact"``), some is
the MILP solver's claim (``"milp-solver"``) or some was not decided (``"incomplete"``: the
search ran out of time or cuts, its value only a lower bound on the supremum; ``"undecided"``
names those senders, and the Nash gap is then only a lower bound).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from persuasion.model import Instance
from persuasion.numbers import fmt
from persuasion.results._display import Attained, Display
from persuasion.results.conversation import ConversationResult
from persuasion.results.play import Deviation, Status
from persuasion.results.solution import AlignedSender

if TYPE_CHECKING:  # the solver's records, for annotations only
    from persuasion.conversation.rules import ConversationProfile, HistoryTable, Row

__all__ = [
    "ConversationAligned",
    "ConversationBestResponseResult",
    "ConversationEquilibrium",
    "ConversationVerification",
]


ConversationOptimality = Literal["exact", "milp-solver", "incomplete"]
"""How a conversation best response's value is known (:class:`~persuasion.conversation.sender.
ConversationBestResponse`): proven exactly, the MILP solver's claim, or only a lower bound."""


def _optimality(deviations: tuple[Deviation, ...]) -> str:
    """``"incomplete"`` when some best deviation was not decided, else ``"exact"`` when every
    one's value is proven exactly, else ``"milp-solver"``."""
    known = {d.best.optimality for d in deviations}
    if "incomplete" in known:
        return "incomplete"
    return "exact" if known <= {"exact"} else "milp-solver"


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
    optimality : {"exact", "milp-solver", "incomplete"}
        Whether ``value`` is proven exactly, is the MILP solver's claim over Alice's plans, or
        was not decided (the search ran out of time or cuts): ``value`` is then only a lower
        bound on the supremum, ``attained`` None.
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
    optimality: ConversationOptimality
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
        """``"exact"`` when every best deviation is proven exactly; ``"milp-solver"`` when the
        Nash gap rests on the MILP solver's claim (its gains are exact lower bounds);
        ``"incomplete"`` when some deviation was not decided (:attr:`undecided`)."""
        return _optimality(self.deviations)

    @property
    def undecided(self) -> tuple[str, ...]:
        """The senders whose best deviation was not decided (optimality ``"incomplete"``): their
        gain, and so :attr:`nash_gap`, is only a lower bound -- the gap is *at least* it."""
        return tuple(d.sender for d in self.deviations if d.best.optimality == "incomplete")

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
        The largest gain of a deviation (exactly 0 at a Nash equilibrium); only a lower bound
        when some deviation was not decided (:attr:`undecided`).
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
    def is_equilibrium(self) -> bool | None:
        """Whether the Nash gap is exactly 0 (Definition 7); None (undecided) when it is 0 but
        some sender's best deviation was not decided (:attr:`undecided`): the gap is then only
        at least 0.  A positive gap is never undecided: some deviation gains at least that."""
        if self.nash_gap > 0:
            return False
        return None if self.undecided else True

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion verify --json`` prints on a conversation."""
        return {
            **self.conversation.to_json(),
            "deviations": [d.to_json() for d in self.deviations],
            "nash_gap": fmt(self.nash_gap),
            "nash_conv": fmt(self.nash_conv),
            "is_equilibrium": self.is_equilibrium,
            "optimality": self.optimality,
            "undecided": list(self.undecided),
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
            ("undecided", self.undecided),
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
        The profile's exact Nash gap, or a lower bound on it when some deviation was not
        decided (:attr:`undecided`; ``converged`` is then False).
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
            "undecided": list(self.undecided),
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
            ("undecided", self.undecided),
        ]
