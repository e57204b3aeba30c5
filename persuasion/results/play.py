"""What a profile gives: best responses and deviations, Alice's choice of sender, a verified
profile and the equilibrium best-response dynamics reach (Definitions 5, 7, 16-17)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from persuasion.model import Instance, Profile, Scheme
from persuasion.numbers import fmt
from persuasion.results._display import Attained, Display, fractions_json, scheme_json

if TYPE_CHECKING:  # Literal types of the solver's records, for annotations only
    from persuasion.decision import DecisionRule
    from persuasion.results.conversation_play import ConversationBestResponseResult
    from persuasion.supremum import Method, Optimality


class Status(StrEnum):
    """Why best-response dynamics stopped (:attr:`Equilibrium.status`).

    A :class:`enum.StrEnum`: each member equals its JSON text (``Status.CYCLE ==
    "cycle"``).  The members are tested in this order by the dynamics
    (:func:`persuasion.equilibrium.best_response_dynamics`).
    """

    CONVERGED = "converged"
    """The exact Nash gap is within the tolerance (0 by default: an exact equilibrium)."""
    NO_IMPROVEMENT = "no-improvement"
    """A round changed nothing: the remaining gains are suprema no scheme attains."""
    CYCLE = "cycle"
    """The dynamics came back to a profile met before."""
    STALLED = "stalled"
    """``patience`` rounds in a row each lowered the smallest gap met by ``eta`` at most."""
    MAX_ROUNDS = "max-rounds"
    """The round limit was reached."""
    TIME_LIMIT = "time-limit"
    """The time limit passed; the best profile met is reported."""
    STEP_CONVERGED = "step-converged"
    """Best-AI selection: no sender gains by a step, but the exact Nash gap is positive."""


@dataclass(frozen=True, repr=False)
class BestResponseResult(Display):
    """A sender's exact best response to the other senders' schemes (docs/explanation/model.md).

    Attributes
    ----------
    sender : str
        The sender's name.
    value : Fraction
        The supremum of the sender's expected utility over every scheme.
    attained : bool or None
        Whether some scheme reaches ``value`` under Alice's tie-break (None:
        not decided, only when a MILP chose the set of response vectors).
    achieved : Fraction
        The actual value of :attr:`scheme` (``value`` when attained, else at
        least ``value - eta``).
    route : str
        How the inducible response vectors were found
        (:data:`persuasion.route_names.ROUTES`, or ``"not-selected"``).
    method : str
        How the set of response vectors was chosen
        (:data:`persuasion.supremum.Method`).
    optimality : {"exact", "milp-solver"}
        Whether ``value`` is proven exactly or is the MILP solver's claim.
    scheme : Scheme
        The scheme returned, ``pi(m | x_B)``: one row per sender feature, one
        column per message of the sender.
    messages_used : int
        How many of the sender's messages the scheme uses.
    features : tuple of str
        The senders' feature names (the rows of :attr:`scheme`).
    messages : tuple of str
        The sender's message names (the columns of :attr:`scheme`).
    """

    sender: str
    value: Fraction
    attained: Attained
    achieved: Fraction
    route: str
    method: Method
    optimality: Optimality
    scheme: Scheme
    messages_used: int
    features: tuple[str, ...]
    messages: tuple[str, ...]

    @property
    def shortfall(self) -> Fraction:
        """``value - achieved``: how far :attr:`scheme` is from the supremum."""
        return self.value - self.achieved

    def _fields_json(self) -> dict[str, Any]:
        return {
            "best_value": fmt(self.value),
            "attained": self.attained,
            "achieved": fmt(self.achieved),
            "shortfall": fmt(self.shortfall),
            "route": self.route,
            "method": self.method,
            "optimality": self.optimality,
            "messages_used": self.messages_used,
        }

    def _rule_json(self) -> dict[str, Any]:
        return {"scheme": scheme_json(self.features, self.messages, self.scheme)}

    def to_json(self) -> dict[str, Any]:
        """``{"sender", "best_value", "attained", ..., "messages_used", "scheme"}``."""
        return {"sender": self.sender, **self._fields_json(), **self._rule_json()}

    def _title(self) -> str:
        return f"best response of {self.sender}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("value", self.value),
            ("attained", self.attained),
            ("achieved", self.achieved),
            ("messages_used", self.messages_used),
            ("route", self.route),
            ("optimality", self.optimality),
        ]


@dataclass(frozen=True, repr=False)
class Deviation(Display):
    """A sender's current utility at a profile and their best deviation from it (Definition 7).

    Attributes
    ----------
    sender : str
        The sender's name.
    value : Fraction
        The sender's utility at the profile.
    best : BestResponseResult or ConversationBestResponseResult
        The sender's best response to the other senders' schemes (in a conversation, rules:
        :class:`~persuasion.results.conversation_play.ConversationBestResponseResult`).
    """

    sender: str
    value: Fraction
    best: BestResponseResult | ConversationBestResponseResult

    @property
    def gain(self) -> Fraction:
        """``best.value - value`` (never negative: keeping the scheme is a deviation)."""
        return self.best.value - self.value

    def to_json(self) -> dict[str, Any]:
        """The deviation as ``solve`` and ``verify`` print it."""
        return {
            "sender": self.sender,
            "value": fmt(self.value),
            **self.best._fields_json(),
            "gain": fmt(self.gain),
            **self.best._rule_json(),
        }

    def _title(self) -> str:
        return f"deviation of {self.sender}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("value", self.value), ("best_value", self.best.value), ("gain", self.gain)]


@dataclass(frozen=True, repr=False)
class Selection(Display):
    """Alice's choice in the best-AI selection game (Definition 16, steps 2-3).

    Attributes
    ----------
    alice_values : tuple of Fraction
        ``U_A(C_j)`` for every sender ``j``: what each scheme alone is worth to Alice.
    selected : str
        The sender Alice talks to: the highest value, the lowest index on ties.
    """

    alice_values: tuple[Fraction, ...]
    selected: str

    def to_json(self) -> dict[str, Any]:
        """``{"alice_values": [...], "selected": name}``."""
        return {"alice_values": fractions_json(self.alice_values), "selected": self.selected}

    def _title(self) -> str:
        return "best-AI selection"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("alice_values", self.alice_values), ("selected", self.selected)]


@dataclass(frozen=True, repr=False)
class _Play(Display):
    """What a profile gives everyone: what :class:`Verification` and :class:`Equilibrium` share."""

    instance: Instance
    profile: Profile
    alice_utility: Fraction
    sender_utilities: tuple[Fraction, ...]
    joint: tuple[tuple[Fraction, ...], ...]
    selection: Selection | None
    decision_rule: DecisionRule
    deviations: tuple[Deviation, ...]
    nash_gap: Fraction

    def _play_json(self) -> dict[str, Any]:
        selection = {} if self.selection is None else {"selection": self.selection.to_json()}
        return {
            **selection,
            "alice_utility": fmt(self.alice_utility),
            "sender_utilities": fractions_json(self.sender_utilities),
            "decision_rule": self.decision_rule.to_json(),
            "outcome": {
                "actions": list(self.instance.actions),
                "states": list(self.instance.states),
                "joint": [fractions_json(row) for row in self.joint],
            },
        }


@dataclass(frozen=True, repr=False)
class Verification(_Play):
    """A profile checked exactly: Alice's response, every utility, best deviations, the Nash gap.

    Attributes
    ----------
    instance : Instance
        The instance played.
    profile : Profile
        The profile checked: one scheme per sender.
    alice_utility : Fraction
        Alice's expected utility at the profile.
    sender_utilities : tuple of Fraction
        Every sender's expected utility, in the instance's order.
    joint : tuple of tuple of Fraction
        The induced joint distribution of action and state (Definition 5): one
        row per action, one column per state.
    selection : Selection or None
        Alice's choice of sender, in the best-AI selection game only.
    decision_rule : DecisionRule
        What Alice does in each situation of positive probability (Definition 4).
    deviations : tuple of Deviation
        Every sender's best deviation.
    nash_gap : Fraction
        The largest gain of a deviation (exactly 0 at a Nash equilibrium).
    nash_conv : Fraction
        The sum of the gains (OpenSpiel's ``nash_conv``).
    game : str
        The game played (a name of :data:`persuasion.games.GAMES`).
    eta : Fraction
        The approximation allowed for unattained best responses.
    """

    nash_conv: Fraction
    game: str
    eta: Fraction

    @property
    def is_equilibrium(self) -> bool:
        """Whether the Nash gap is exactly 0 (Definition 7)."""
        return self.nash_gap == 0

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion verify --json`` prints."""
        return {
            "instance": self.instance.name,
            **self._play_json(),
            "deviations": [d.to_json() for d in self.deviations],
            "nash_gap": fmt(self.nash_gap),
            "nash_conv": fmt(self.nash_conv),
            "is_equilibrium": self.is_equilibrium,
        }

    def _title(self) -> str:
        return f"verification of a profile of {self.instance.name} ({self.game})"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", self.alice_utility),
            ("sender_utilities", self.sender_utilities),
            ("nash_gap", self.nash_gap),
            ("is_equilibrium", self.is_equilibrium),
            ("gains", tuple(d.gain for d in self.deviations)),
        ]


@dataclass(frozen=True, repr=False)
class Equilibrium(_Play):
    """The profile best-response dynamics reached, judged exactly (Definitions 7 and 17).

    Attributes
    ----------
    instance : Instance
        The instance played.
    profile : Profile
        The best profile the dynamics met (the smallest exact Nash gap).
    alice_utility : Fraction
        Alice's expected utility at the profile.
    sender_utilities : tuple of Fraction
        Every sender's expected utility, in the instance's order.
    joint : tuple of tuple of Fraction
        The induced joint distribution of action (rows) and state (columns).
    selection : Selection or None
        Alice's choice of sender, in the best-AI selection game only.
    decision_rule : DecisionRule
        What Alice does in each situation of positive probability (Definition 4).
    deviations : tuple of Deviation
        Every sender's exact best deviation from the profile.
    nash_gap : Fraction
        The profile's exact Nash gap.
    converged : bool
        Whether the Nash gap is within the tolerance asked for.
    status : Status
        Why the dynamics stopped.
    stop_reason : str
        The same, in words.
    rounds : int
        The rounds completed.
    start : str
        The start profile of the run reported (a name of
        :data:`persuasion.starts.STARTS`, or ``"given profile"``).
    """

    converged: bool
    status: Status
    stop_reason: str
    rounds: int
    start: str

    def to_json(self) -> dict[str, Any]:
        """The ``equilibrium`` object of ``persuasion solve --json``."""
        from persuasion.profile import dump_profile

        return {
            "profile": dump_profile(self.profile, self.instance),
            **self._play_json(),
            "nash_gap": fmt(self.nash_gap),
            "converged": self.converged,
            "status": self.status.value,
            "stop_reason": self.stop_reason,
            "rounds": self.rounds,
            "start": self.start,
            "deviations": [d.to_json() for d in self.deviations],
        }

    def _title(self) -> str:
        return f"equilibrium search from {self.start}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", self.alice_utility),
            ("nash_gap", self.nash_gap),
            ("status", self.status.value),
            ("rounds", self.rounds),
            ("sender_utilities", self.sender_utilities),
        ]
