"""The straightforward conversation and the information substitutes condition on an instance
(``persuasion agree``): Definitions 10, 14 and 15 of the paper."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from persuasion.model import Instance
from persuasion.numbers import fmt
from persuasion.results._display import Display

Beliefs = tuple[Fraction, ...]
"""A belief vector: Alice's expected utility of each action, in ``instance.actions`` order."""


def _vector(values: Beliefs) -> list[str]:
    return [fmt(v) for v in values]


@dataclass(frozen=True, repr=False)
class PairConversation(Display):
    """The straightforward conversation (Definition 10) when Alice has ``alice`` and Bob
    ``senders``.

    Attributes
    ----------
    alice, senders : str
        The features ``x_A`` and ``x_B``.
    probability : Fraction
        ``P(x_A, x_B)``.
    reports : tuple of (Beliefs, Beliefs)
        Round by round, Alice's report ``E[u_A | x_A, transcript]`` and then Bob's
        ``E[u_A | x_B, transcript]`` (he has heard hers).
    agreement_round : int or None
        The first round whose two reports are ``zeta``-close (Definition 15), None if none is.
    exact_agreement_round : int or None
        The first round whose two reports are equal.
    settled_round : int or None
        The first round from which the reports no longer change; None when the run stopped
        before settling (``--rounds``), as later rounds may still change them.
    final_beliefs : Beliefs
        Alice's belief after the last report, ``E[u_A | x_A, pi]``.
    true_beliefs : Beliefs
        ``E[u_A | x_A, x_B]``: what she would believe knowing ``x_B``.
    estimation_error : Beliefs
        ``|E[u_A | x_A, x_B] - E[u_A | x_A, pi]|`` per action (``eps_u`` of Section D.3).
    common_alice, common_senders : tuple of str
        The rectangle ``S_A x S_B`` of feature pairs that produce this transcript: what the
        conversation makes common knowledge.
    """

    alice: str
    senders: str
    probability: Fraction
    reports: tuple[tuple[Beliefs, Beliefs], ...]
    agreement_round: int | None
    exact_agreement_round: int | None
    settled_round: int | None
    final_beliefs: Beliefs
    true_beliefs: Beliefs
    estimation_error: Beliefs
    common_alice: tuple[str, ...]
    common_senders: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """One entry of ``pairs`` in ``persuasion agree --json``."""
        return {
            "alice": self.alice,
            "senders": self.senders,
            "probability": fmt(self.probability),
            "reports": [{"alice": _vector(a), "bob": _vector(b)} for a, b in self.reports],
            "agreement_round": self.agreement_round,
            "exact_agreement_round": self.exact_agreement_round,
            "settled_round": self.settled_round,
            "final_beliefs": _vector(self.final_beliefs),
            "true_beliefs": _vector(self.true_beliefs),
            "estimation_error": _vector(self.estimation_error),
            "common_knowledge": {
                "alice": list(self.common_alice),
                "senders": list(self.common_senders),
            },
        }

    def _title(self) -> str:
        return f"x_A = {self.alice}, x_B = {self.senders}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("probability", self.probability),
            ("rounds", len(self.reports)),
            ("agreement round", self.agreement_round),
            ("exact agreement round", self.exact_agreement_round),
            ("estimation error", self.estimation_error),
        ]


@dataclass(frozen=True, repr=False)
class Substitutes(Display):
    """The information substitutes condition (Definition 14), decided by enumeration.

    Attributes
    ----------
    holds : bool
    checks : int
        The ``(action, A, B)`` checked: ``|A| (2^|X_A| - 1)(2^|X_B| - 1)`` over the features of
        positive probability.
    violations : int
        How many fail.
    action : str or None
        The action of the worst failure (largest ``lhs - rhs``; the first on ties), None when it
        holds; likewise the three below.
    alice_features, sender_features : tuple of str
        Its events ``x_A in A`` and ``x_B in B``.
    lhs, rhs : Fraction or None
        Its two sides: the value of learning ``x_A`` once ``x_B`` is known, and alone.
    """

    holds: bool
    checks: int
    violations: int
    action: str | None = None
    alice_features: tuple[str, ...] = ()
    sender_features: tuple[str, ...] = ()
    lhs: Fraction | None = None
    rhs: Fraction | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``substitutes`` object of ``persuasion agree --json``."""
        worst = None
        if not self.holds:
            worst = {
                "action": self.action,
                "alice_features": list(self.alice_features),
                "sender_features": list(self.sender_features),
                "lhs": fmt(self.lhs),
                "rhs": fmt(self.rhs),
            }
        return {
            "holds": self.holds,
            "checks": self.checks,
            "violations": self.violations,
            "worst": worst,
        }

    def _title(self) -> str:
        return "information substitutes (Definition 14)"

    def _rows(self) -> list[tuple[str, Any]]:
        rows: list[tuple[str, Any]] = [("holds", self.holds), ("checks", self.checks)]
        if not self.holds:
            rows += [
                ("violations", self.violations),
                ("worst", f"{self.action}, A = {self.alice_features}, B = {self.sender_features}"),
                ("lhs", self.lhs),
                ("rhs", self.rhs),
            ]
        return rows


@dataclass(frozen=True, repr=False)
class Agreement(Display):
    """A straightforward conversation on every pair of features, and Definition 14
    (``persuasion agree``).

    Attributes
    ----------
    instance : Instance
    zeta : Fraction
        The agreement level of Definition 15.
    rounds_limit : int or None
        The rounds asked for (None: until a round refines nothing).
    order : str
        ``"alternating"`` (Bob hears Alice's report of the round, Algorithm 1) or
        ``"simultaneous"`` (Definition 10 read literally).
    rounds : int
        The rounds played.
    settled : bool
        Whether the last round refined nothing (every conversation has settled).
    pairs : tuple of PairConversation
        One per pair ``(x_A, x_B)`` of positive probability.
    agreement_by_round : tuple of Fraction
        ``P(zeta-agreement by round k)`` for ``k = 1 .. rounds``.
    expected_error, max_error : Beliefs
        Alice's estimation error per action, in expectation and at worst.
    substitutes : Substitutes
    """

    instance: Instance
    zeta: Fraction
    rounds_limit: int | None
    order: str
    rounds: int
    settled: bool
    pairs: tuple[PairConversation, ...]
    agreement_by_round: tuple[Fraction, ...]
    expected_error: Beliefs
    max_error: Beliefs
    substitutes: Substitutes

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion agree --json`` prints."""
        return {
            "instance": self.instance.name,
            "actions": list(self.instance.actions),
            "zeta": fmt(self.zeta),
            "rounds_limit": self.rounds_limit,
            "order": self.order,
            "rounds": self.rounds,
            "settled": self.settled,
            "agreement_by_round": [fmt(v) for v in self.agreement_by_round],
            "expected_error": _vector(self.expected_error),
            "max_error": _vector(self.max_error),
            "substitutes": self.substitutes.to_json(),
            "pairs": [pair.to_json() for pair in self.pairs],
        }

    def _title(self) -> str:
        return f"straightforward conversation on {self.instance.name or 'the instance'}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("zeta", self.zeta),
            ("order", self.order),
            ("rounds", self.rounds),
            ("settled", self.settled),
            ("P(zeta-agreement)", self.agreement_by_round[-1]),
            ("max estimation error", self.max_error),
            ("substitutes", self.substitutes.holds),
        ]
