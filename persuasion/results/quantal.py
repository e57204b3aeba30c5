"""What a profile gives when Alice responds lambda-quantally (Definitions 11-12): her action
distribution in every situation, the induced distribution ``I^Q``, everyone's utility, and the
quantal response equilibrium check -- every number involving ``exp`` a certified rational
enclosure ``[lo, hi]`` (:mod:`persuasion.checker.quantal`)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from persuasion.model import Instance, Profile, Scheme
from persuasion.numbers import fmt
from persuasion.results._display import Display, fractions_json, scheme_json
from persuasion.results.play import Status

if TYPE_CHECKING:
    from persuasion.results.solution import AlignmentResult, SolveParameters

Interval = tuple[Fraction, Fraction]
"""A certified enclosure ``(lo, hi)``: the exact value lies in ``[lo, hi]``."""


def interval_json(x: Interval) -> list[str]:
    """``[lo, hi]`` as two exact ``"p/q"`` strings."""
    return [fmt(x[0]), fmt(x[1])]


def _mid(x: Interval) -> str:
    """A short decimal of an enclosure's midpoint, for people (never re-read)."""
    return f"{float((x[0] + x[1]) / 2):.6g}"


@dataclass(frozen=True)
class QuantalSituation:
    """One situation of positive probability and Alice's quantal response there (Definition 11).

    Attributes
    ----------
    alice_feature : str
        Her features ``x_A``.
    messages : tuple[str, ...]
        The message of each sender, in the instance's order.
    probability : Fraction
        ``P(x_A, messages)``, exactly.
    posterior : tuple[Fraction, ...]
        ``P(y | x_A, messages)`` over the states, exactly.
    beliefs : tuple[Fraction, ...]
        ``mu_a``: her posterior expected utility of each action, exactly.
    action_probabilities : tuple[Interval, ...]
        Enclosures of ``exp(lambda mu_a) / sum_b exp(lambda mu_b)``.
    """

    alice_feature: str
    messages: tuple[str, ...]
    probability: Fraction
    posterior: tuple[Fraction, ...]
    beliefs: tuple[Fraction, ...]
    action_probabilities: tuple[Interval, ...]


@dataclass(frozen=True)
class QuantalOutcome:
    """The induced distribution ``I^Q`` of (action, state) and everyone's expected utility under it.

    Attributes
    ----------
    situations : tuple[QuantalSituation, ...]
        Every situation of positive probability, by ``x_A`` then messages.
    joint : tuple[tuple[Interval, ...], ...]
        Enclosures of ``I^Q(a, y)``: one row per action, one column per state.
    alice_utility : Interval
        Alice's expected utility.
    sender_utilities : tuple[Interval, ...]
        Every sender's expected utility, in the instance's order.
    """

    situations: tuple[QuantalSituation, ...]
    joint: tuple[tuple[Interval, ...], ...]
    alice_utility: Interval
    sender_utilities: tuple[Interval, ...]


@dataclass(frozen=True, repr=False)
class QuantalDeviation(Display):
    """A sender's utility at the profile and the bounds on their best deviation (Definition 12).

    Attributes
    ----------
    sender : str
        The sender's name.
    value : Interval
        Their expected utility at the profile.
    best_lower : Fraction
        A proven lower bound of the best deviation's value: the value (lower end) of
        :attr:`scheme`, an actual scheme.
    best_upper : Fraction
        A proven upper bound of every scheme's value: the grid LP's dual plus the Lipschitz
        slack (docs/explanation/quantal-response.md).
    scheme : Scheme
        The best scheme on the grid (the profile's own when that is better).
    grid_step : int
        ``N``: the grid holds every posterior over ``x_B`` with denominators ``N``.
    slack : Fraction
        The part of :attr:`best_upper` that pays for the grid: ``(L + range(phi)/2) h``.
    features, messages : tuple[str, ...]
        The rows and columns of :attr:`scheme`.
    """

    sender: str
    value: Interval
    best_lower: Fraction
    best_upper: Fraction
    scheme: Scheme
    grid_step: int
    slack: Fraction
    features: tuple[str, ...]
    messages: tuple[str, ...]

    @property
    def gain(self) -> Interval:
        """Enclosure of the best deviation's gain: ``[max(0, lower - value_hi), upper -
        value_lo]``."""
        return max(Fraction(0), self.best_lower - self.value[1]), self.best_upper - self.value[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "value": interval_json(self.value),
            "best_lower": fmt(self.best_lower),
            "best_upper": fmt(self.best_upper),
            "gain": interval_json(self.gain),
            "grid_step": self.grid_step,
            "slack": fmt(self.slack),
            "scheme": scheme_json(self.features, self.messages, self.scheme),
        }

    def _title(self) -> str:
        return f"quantal deviation of {self.sender}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("value", _mid(self.value)), ("gain", self.gain), ("grid_step", self.grid_step)]


Verdict = Literal["not-a-qre", "qre-within-eta"]
"""``not-a-qre``: some deviation's lower bound beats the sender's utility at the profile;
``qre-within-eta``: no sender gains more than :attr:`QuantalVerification.eta_bound`."""


@dataclass(frozen=True, repr=False)
class QuantalVerification(Display):
    """A profile checked under Alice's lambda-quantal response (Definitions 11-12).

    Attributes
    ----------
    instance : Instance
        The instance played (``decision.rule = "quantal"``).
    profile : Profile
        One scheme per sender.
    lam : Fraction
        Alice's rationality ``lambda``.
    outcome : QuantalOutcome
        Her action distributions, ``I^Q`` and every utility, enclosed.
    deviations : tuple[QuantalDeviation, ...]
        Every sender's deviation bounds.
    verdict : Verdict
        ``"not-a-qre"`` when a deviation provably gains; else ``"qre-within-eta"``.
    eta_bound : Fraction
        A proven upper bound of the largest gain (an ``eta``-QRE for this ``eta``).
    """

    instance: Instance
    profile: Profile
    lam: Fraction
    outcome: QuantalOutcome
    deviations: tuple[QuantalDeviation, ...]
    verdict: Verdict
    eta_bound: Fraction

    @property
    def alice_utility(self) -> Interval:
        """Alice's expected utility at the profile, enclosed."""
        return self.outcome.alice_utility

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion verify --json`` prints for a quantal instance."""
        o, senders = self.outcome, [s.name for s in self.instance.senders]
        return {
            "instance": self.instance.name,
            "decision": {"rule": "quantal", "lambda": fmt(self.lam)},
            "alice_utility": interval_json(o.alice_utility),
            "sender_utilities": [interval_json(u) for u in o.sender_utilities],
            "situations": [
                {
                    "alice_feature": s.alice_feature,
                    "messages": dict(zip(senders, s.messages, strict=True)),
                    "probability": fmt(s.probability),
                    "posterior": dict(
                        zip(self.instance.states, fractions_json(s.posterior), strict=True)
                    ),
                    "beliefs": dict(
                        zip(self.instance.actions, fractions_json(s.beliefs), strict=True)
                    ),
                    "action_probabilities": {
                        a: interval_json(p)
                        for a, p in zip(self.instance.actions, s.action_probabilities, strict=True)
                    },
                }
                for s in o.situations
            ],
            "outcome": {
                "actions": list(self.instance.actions),
                "states": list(self.instance.states),
                "joint": [[interval_json(p) for p in row] for row in o.joint],
            },
            "deviations": [d.to_json() for d in self.deviations],
            "verdict": self.verdict,
            "eta_bound": fmt(self.eta_bound),
        }

    def _title(self) -> str:
        return f"quantal verification of a profile of {self.instance.name}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("lambda", self.lam),
            ("alice_utility", _mid(self.alice_utility)),
            ("verdict", self.verdict),
            ("eta_bound", _mid((self.eta_bound, self.eta_bound))),
        ]


@dataclass(frozen=True, repr=False)
class QuantalEquilibrium(Display):
    """The profile the QRE search (:mod:`persuasion.qre.dynamics`) judged best, with its check.

    Attributes
    ----------
    check : QuantalVerification
        The QRE check of the profile (Definition 12): exactly what ``persuasion verify`` reports
        for it.
    converged : bool
        Whether no deviation provably gains (verdict ``qre-within-eta``) or the ``eta`` bound is
        within the tolerance asked for.
    status : Status
        Why the search stopped.
    stop_reason : str
        The same, in words.
    rounds : int
        The rounds completed.
    start : str
        The start profile of the run reported (a name of :data:`persuasion.starts.AUTO`, or
        ``"given profile"``).
    """

    check: QuantalVerification
    converged: bool
    status: Status
    stop_reason: str
    rounds: int
    start: str

    @property
    def profile(self) -> Profile:
        """The profile found."""
        return self.check.profile

    @property
    def alice_utility(self) -> Interval:
        """Alice's expected utility at the profile, enclosed."""
        return self.check.alice_utility

    @property
    def verdict(self) -> Verdict:
        """The QRE check's verdict on the profile."""
        return self.check.verdict

    @property
    def eta_bound(self) -> Fraction:
        """A proven upper bound of every sender's gain: the profile is an ``eta``-QRE for it."""
        return self.check.eta_bound

    def to_json(self) -> dict[str, Any]:
        """The ``equilibrium`` object of ``persuasion solve --json`` on a quantal instance."""
        from persuasion.profile import dump_profile

        checked = self.check.to_json()
        del checked["instance"], checked["decision"]
        return {
            "profile": dump_profile(self.profile, self.check.instance),
            **checked,
            "converged": self.converged,
            "status": self.status.value,
            "stop_reason": self.stop_reason,
            "rounds": self.rounds,
            "start": self.start,
        }

    def _title(self) -> str:
        return f"quantal response equilibrium search from {self.start}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", _mid(self.alice_utility)),
            ("verdict", self.verdict),
            ("eta_bound", _mid((self.eta_bound, self.eta_bound))),
            ("status", self.status.value),
            ("rounds", self.rounds),
        ]


@dataclass(frozen=True, repr=False)
class QuantalSolution(Display):
    """What ``persuasion solve`` computes on a quantal instance: the benchmarks that keep their
    meaning under quantal response and a profile found by the QRE search, with its check.

    Attributes
    ----------
    instance : Instance
        The instance solved (``decision.rule = "quantal"``).
    lam : Fraction
        Alice's rationality ``lambda``.
    first_best : Fraction
        OPT: Alice's best expected utility knowing everything (Definition 2).
    alignment : AlignmentResult
        The alignment error, weights and offset (Definition 1; Remark 2's variant in
        ``alignment.nonnegative``).
    equilibrium : QuantalEquilibrium
        The profile found and its QRE check.
    parameters : SolveParameters
        The parameters used.
    """

    instance: Instance
    lam: Fraction
    first_best: Fraction
    alignment: AlignmentResult
    equilibrium: QuantalEquilibrium
    parameters: SolveParameters

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion solve --json`` prints for a quantal instance."""
        return {
            "instance": self.instance.name,
            "decision": {"rule": "quantal", "lambda": fmt(self.lam)},
            "first_best": fmt(self.first_best),
            "alignment": self.alignment.to_json(),
            "equilibrium": self.equilibrium.to_json(),
        }

    def _title(self) -> str:
        return f"{self.instance.name} (simultaneous, {fmt(self.lam)}-quantal Alice)"

    def _rows(self) -> list[tuple[str, Any]]:
        eq = self.equilibrium
        return [
            ("first_best", self.first_best),
            ("epsilon", self.alignment.epsilon),
            ("alice_utility", _mid(eq.alice_utility)),
            ("verdict", eq.verdict),
            ("eta_bound", _mid((eq.eta_bound, eq.eta_bound))),
            ("status", eq.status.value),
        ]
