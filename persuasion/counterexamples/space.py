"""The space a search walks: small instances written as a :class:`Point`, drawn and moved at random.

A point is an instance in the shape of the sweep families (:mod:`persuasion.experiments.families`):
a prior over states only (small positive integer weights), senders who observe the state, and
utilities that are multiples of ``1/2`` in ``[0, 2]``, so every number has a small denominator.
Alice's utility is either a free matrix or, in the ``hull`` space, exactly ``sum_i w_i U_i`` for
non-negative integer weights ``w`` (so the non-negative alignment error of Definition 1 and
Remark 2 is 0, as Theorem 7 asks).  A point is plain data with an exact JSON form, so a search's
state file can hold it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from fractions import Fraction

from persuasion.model import Instance, Matrix, Protocol, Sender

__all__ = ["SPACES", "Point", "draw", "move", "instance_of", "complexity"]

SPACES = ("free", "hull", "revealing")
"""``free``: Alice's utility unrelated to the senders', any number of messages; ``hull``:
Alice's utility ``sum_i w_i U_i`` and every sender can reveal the state; ``revealing``: free
utilities, every sender can reveal the state (the identical induced distribution condition,
Remark 4)."""

VALUES = tuple(Fraction(k, 2) for k in range(5))
"""The utilities a draw or a move picks from: ``0, 1/2, 1, 3/2, 2``."""

WEIGHTS = (0, 1, 2)
"""The hull space's weights ``w_i``."""

PRIOR = (1, 2, 3, 4)
"""The prior weights of the states (normalised)."""


@dataclass(frozen=True)
class Point:
    """A small instance as a search sees it.

    ``utilities[i]`` is sender ``i``'s matrix (rows actions, columns states); ``alice`` is
    Alice's matrix, or None when it is ``sum_i weights[i] * utilities[i]`` (hull space).
    """

    space: str
    game: str
    prior: tuple[int, ...]
    utilities: tuple[Matrix, ...]
    messages: tuple[int, ...]
    tie_break: tuple[int, ...]
    alice: Matrix | None = None
    weights: tuple[int, ...] | None = None

    @property
    def states(self) -> int:
        return len(self.prior)

    @property
    def actions(self) -> int:
        return len(self.tie_break)

    def alice_utility(self) -> Matrix:
        """Alice's matrix: explicit, or the weighted sum of the senders' (hull space)."""
        if self.alice is not None:
            return self.alice
        return tuple(
            tuple(
                sum(
                    (w * u[a][y] for w, u in zip(self.weights, self.utilities, strict=True)),
                    Fraction(0),
                )
                for y in range(self.states)
            )
            for a in range(self.actions)
        )

    def to_json(self) -> dict:
        """The exact JSON form (numbers as ``"p/q"`` strings)."""

        def matrix(m: Matrix | None):
            return None if m is None else [[str(v) for v in row] for row in m]

        return {
            "space": self.space,
            "game": self.game,
            "prior": list(self.prior),
            "utilities": [matrix(u) for u in self.utilities],
            "messages": list(self.messages),
            "tie_break": list(self.tie_break),
            "alice": matrix(self.alice),
            "weights": None if self.weights is None else list(self.weights),
        }

    @classmethod
    def from_json(cls, data: dict) -> Point:
        """The point :meth:`to_json` wrote."""

        def matrix(m):
            return None if m is None else tuple(tuple(Fraction(v) for v in row) for row in m)

        return cls(
            data["space"],
            data["game"],
            tuple(data["prior"]),
            tuple(matrix(u) for u in data["utilities"]),
            tuple(data["messages"]),
            tuple(data["tie_break"]),
            matrix(data["alice"]),
            None if data["weights"] is None else tuple(data["weights"]),
        )


def _matrix(rng: random.Random, actions: int, states: int) -> Matrix:
    return tuple(tuple(rng.choice(VALUES) for _ in range(states)) for _ in range(actions))


def draw(
    rng: random.Random, space: str, game: str, senders: int, states: int, actions: int
) -> Point:
    """A random point of ``space`` with these sizes.

    Parameters
    ----------
    rng : random.Random
        The generator (a restart's own).
    space : str
        One of :data:`SPACES`.
    game : str
        The game the instance plays (``protocol.game``).
    senders, states, actions : int
        The sizes.

    Returns
    -------
    Point
    """
    utilities = tuple(_matrix(rng, actions, states) for _ in range(senders))
    tie_break = list(range(actions))
    rng.shuffle(tie_break)
    revealing = space != "free"
    messages = tuple(states if revealing else rng.randint(1, states) for _ in range(senders))
    point = Point(
        space, game, tuple(rng.choice(PRIOR) for _ in range(states)), utilities, messages,
        tuple(tie_break),
    )  # fmt: skip
    if space == "hull":
        weights = [rng.choice(WEIGHTS) for _ in range(senders)]
        weights[rng.randrange(senders)] = max(1, weights[0])
        return replace(point, weights=tuple(weights))
    return replace(point, alice=_matrix(rng, actions, states))


def _set(m: Matrix, a: int, y: int, value: Fraction) -> Matrix:
    return tuple(
        tuple(value if (i, j) == (a, y) else v for j, v in enumerate(row))
        for i, row in enumerate(m)
    )


def move(rng: random.Random, point: Point) -> Point:
    """A neighbour of ``point``: one utility entry, weight, prior weight, message count or pair of
    the tie-break changed.

    Parameters
    ----------
    rng : random.Random
        The generator.
    point : Point
        Where the walk is.

    Returns
    -------
    Point
        The neighbour (``point`` itself when the move drawn would zero every hull weight).
    """
    p = point
    a, y, i = rng.randrange(p.actions), rng.randrange(p.states), rng.randrange(len(p.utilities))
    kinds = ["sender", "alice", "prior", "tie"] + (["messages"] if p.space == "free" else [])
    kind = rng.choice(kinds)
    if kind == "sender":
        utilities = list(p.utilities)
        utilities[i] = _set(utilities[i], a, y, rng.choice(VALUES))
        return replace(p, utilities=tuple(utilities))
    if kind == "alice" and p.alice is not None:
        return replace(p, alice=_set(p.alice, a, y, rng.choice(VALUES)))
    if kind == "alice":
        weights = list(p.weights)
        weights[i] = rng.choice(WEIGHTS)
        return replace(p, weights=tuple(weights)) if any(weights) else p
    if kind == "prior":
        prior = list(p.prior)
        prior[y] = rng.choice(PRIOR)
        return replace(p, prior=tuple(prior))
    if kind == "messages":
        messages = list(p.messages)
        messages[i] = rng.randint(1, p.states)
        return replace(p, messages=tuple(messages))
    order = list(p.tie_break)
    j, k = rng.randrange(p.actions), rng.randrange(p.actions)
    order[j], order[k] = order[k], order[j]
    return replace(p, tie_break=tuple(order))


def instance_of(point: Point, name: str = "search") -> Instance:
    """The instance ``point`` stands for: states ``y0..``, actions ``a0..``, senders ``bob0..``
    observing the state, the prior's weights normalised.

    Parameters
    ----------
    point : Point
        The point.
    name : str
        The instance's name.

    Returns
    -------
    Instance
    """
    states = tuple(f"y{j}" for j in range(point.states))
    total = sum(point.prior)
    table = (
        tuple(
            tuple(
                Fraction(point.prior[y], total) if y == xb else Fraction(0)
                for y in range(len(states))
            )
            for xb in range(len(states))
        ),
    )
    senders = tuple(
        Sender(f"bob{i}", u, tuple(str(m) for m in range(k)))
        for i, (u, k) in enumerate(zip(point.utilities, point.messages, strict=True))
    )
    return Instance(
        name,
        states,
        tuple(f"a{j}" for j in range(point.actions)),
        ("none",),
        states,
        table,
        point.alice_utility(),
        senders,
        Protocol(tie_break=point.tie_break, game=point.game),
        state_only=True,
    )


def _numbers(point: Point) -> list[Fraction]:
    matrices = [*point.utilities, *([point.alice] if point.alice is not None else [])]
    return [v for m in matrices for row in m for v in row]


def complexity(point: Point) -> tuple[int, int, int, int, int, int]:
    """How big ``point`` is, in the order minimisation shrinks it.

    Parameters
    ----------
    point : Point
        The point.

    Returns
    -------
    tuple of int
        Senders, states, actions, messages, the sum of the utilities' denominators and
        numerators (and of the hull weights), the sum of the prior's weights.
    """
    numbers = _numbers(point)
    return (
        len(point.utilities),
        point.states,
        point.actions,
        sum(point.messages),
        sum(v.denominator for v in numbers) + sum(abs(v.numerator) for v in numbers)
        + sum(point.weights or ()),
        sum(point.prior),
    )  # fmt: skip
