"""Seeded generators of small instances for sweeps (the later version's simulation, Section F).

Every instance is drawn from :class:`random.Random` seeded with a string built
from the family, the size and an integer seed, so ``generate(family, seed,
size)`` is the same instance on every machine and in every process.  The
instances are kept small and exact: utilities are multiples of 1/4 in
``[0, 1]``, the prior is over states only with small integer weights, and
every sender has as many messages as there are states -- so any sender can
reveal the state, which makes the identical induced distribution condition
of Section C.1 hold (Remark 4), and Theorem 1 applies.

Families (how Alice's utility ``u_A`` relates to the senders' ``U_i``;
Definition 1 and Remark 2 measure it with the non-negative alignment error
``eps``):

``hull``
    ``u_A = sum_i w_i U_i + c`` exactly, for drawn weights ``w`` in the
    simplex and offset ``c``: ``eps = 0``.
``noisy``
    the same plus noise of size at most ``noise`` in every entry
    (multiples of ``noise / 2``), redrawn until ``eps > 0``: so
    ``0 < eps <= noise``.
``random``
    ``u_A`` drawn independently of the senders, redrawn until ``eps > 0``:
    the convex-hull condition fails.
``common``
    every sender has the same utility, and ``u_A`` is drawn independently,
    redrawn until ``eps > 0``: the senders' hull is one ray, and competition
    between identical senders is no competition (the two identical
    prosecutors of Kamenica and Gentzkow's judge are the classic case).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from persuasion.weighted_alignment import weighted_alignment
from persuasion.model import Instance, Matrix, Profile, Protocol, Sender
from persuasion.experiments.names import FAMILIES

__all__ = ["FAMILIES", "Size", "generate", "random_profile"]


GRAIN = 4
"""Utilities are multiples of ``1 / GRAIN`` in ``[0, 1]``."""

DEFAULT_NOISE = Fraction(1, 8)
"""The ``noisy`` family's default noise bound."""

ATTEMPTS = 50
"""Redraws of Alice's utility (``noisy``, ``random``) before giving up on ``eps > 0``."""


@dataclass(frozen=True, order=True)
class Size:
    """How many senders, states and actions an instance has."""

    senders: int
    states: int
    actions: int

    def __str__(self) -> str:
        return f"{self.senders}x{self.states}x{self.actions}"


def _utility(rng: random.Random, size: Size) -> Matrix:
    return tuple(
        tuple(Fraction(rng.randint(0, GRAIN), GRAIN) for _ in range(size.states))
        for _ in range(size.actions)
    )


def _distribution(rng: random.Random, n: int, low: int = 1, high: int = 4) -> tuple[Fraction, ...]:
    weights = [rng.randint(low, high) for _ in range(n)]
    if not any(weights):
        weights[rng.randrange(n)] = 1
    total = sum(weights)
    return tuple(Fraction(w, total) for w in weights)


def _combination(senders: list[Sender], weights, offset: Fraction, size: Size) -> Matrix:
    return tuple(
        tuple(
            sum((w * s.utility[a][y] for w, s in zip(weights, senders, strict=True)), offset)
            for y in range(size.states)
        )
        for a in range(size.actions)
    )


def _instance(name: str, size: Size, prior, alice: Matrix, senders, tie_break) -> Instance:
    states = tuple(f"y{j}" for j in range(size.states))
    actions = tuple(f"a{j}" for j in range(size.actions))
    table = (
        tuple(
            tuple(prior[y] if y == xb else Fraction(0) for y in range(size.states))
            for xb in range(size.states)
        ),
    )
    return Instance(
        name,
        states,
        actions,
        ("none",),
        states,
        table,
        alice,
        tuple(senders),
        Protocol(tie_break=tuple(tie_break)),
        state_only=True,
    )


def _epsilon(instance: Instance) -> Fraction:
    return weighted_alignment(instance, simplex=False).epsilon


def generate(family: str, seed: int, size: Size, *, noise: Fraction = DEFAULT_NOISE) -> Instance:
    """The instance of ``family`` with this ``seed`` and ``size`` (deterministic).

    Raises ``ValueError`` for an unknown family, a size below 1 sender, 2
    states or 2 actions, or a ``noise`` bound that is not positive.
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r} (choose from {', '.join(FAMILIES)})")
    if size.senders < 1 or size.states < 2 or size.actions < 2:
        raise ValueError(f"size {size} too small: need >= 1 sender, >= 2 states, >= 2 actions")
    if noise <= 0:
        raise ValueError("the noise bound must be > 0")
    rng = random.Random(f"persuasion/{family}/{size}/{seed}")
    prior = _distribution(rng, size.states)
    messages = tuple(str(m) for m in range(size.states))
    senders = [Sender(f"bob{i}", _utility(rng, size), messages) for i in range(size.senders)]
    if family == "common":
        senders = [Sender(s.name, senders[0].utility, messages) for s in senders]
    tie_break = list(range(size.actions))
    rng.shuffle(tie_break)
    name = f"{family}-{size}-seed{seed}"
    if family == "hull":
        weights = _distribution(rng, size.senders, 0, 3)
        offset = Fraction(rng.randint(-1, 1), GRAIN)
        alice = _combination(senders, weights, offset, size)
        return _instance(name, size, prior, alice, senders, tie_break)
    for _ in range(ATTEMPTS):
        if family == "noisy":
            weights = _distribution(rng, size.senders, 0, 3)
            offset = Fraction(rng.randint(-1, 1), GRAIN)
            base = _combination(senders, weights, offset, size)
            alice = tuple(
                tuple(u + noise * Fraction(rng.randint(-2, 2), 2) for u in row) for row in base
            )
        else:
            alice = _utility(rng, size)
        instance = _instance(name, size, prior, alice, senders, tie_break)
        if _epsilon(instance) > 0:
            return instance
    raise ValueError(f"{name}: no draw with eps > 0 in {ATTEMPTS} attempts")


def random_profile(instance: Instance, seed: int) -> Profile:
    """A profile of random schemes with small-denominator probabilities (a start profile)."""
    rng = random.Random(f"persuasion/start/{instance.name}/{seed}")
    nb = len(instance.sender_features)
    return Profile(
        tuple(
            tuple(_distribution(rng, len(s.messages), 0, 3) for _ in range(nb))
            for s in instance.senders
        )
    )
