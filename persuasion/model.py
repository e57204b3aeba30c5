"""The finite model of the paper as immutable, exact data (Section B).

An :class:`Instance` holds states ``Y``, actions ``A``, Alice's features
``X_A``, the senders' common features ``X_B``, the common prior
``P(x_A, x_B, y)`` as a dense table, Alice's utility ``u_A(a, y)`` and each
sender's utility ``U_i(a, y)`` and message set ``M_i``.  Everything is indexed
by position; names are kept for reading and writing files.

A :class:`Profile` holds one signalling scheme ``pi_i(m | x_B)`` per sender
(the one-round conversation rule of Definition 3 with Alice silent).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

Matrix = tuple[tuple[Fraction, ...], ...]
"""A utility matrix: rows are actions, columns are states."""

Scheme = tuple[tuple[Fraction, ...], ...]
"""A signalling scheme ``pi(m | x_B)``: one row per sender feature, one column per message."""

NO_FEATURE = "none"
"""The single Alice feature used when the prior is given over states only."""


@dataclass(frozen=True)
class Sender:
    """A sender ("Bob"): name, utility ``U_i(a, y)`` and message names ``M_i``."""

    name: str
    utility: Matrix
    messages: tuple[str, ...]


@dataclass(frozen=True)
class Protocol:
    """How the game is played (an instance file's ``protocol``, docs/reference/file-formats.md).

    ``tie_break`` lists action indices, most preferred first: Alice picks the
    earliest action in this order among those maximising her expected utility
    (Definition 4's "fixed, predetermined rule").
    """

    tie_break: tuple[int, ...]
    game: str = "simultaneous"
    rounds: int = 1
    alice_messages: int = 1
    decision: str = "best-response"
    lam: Fraction | None = None


@dataclass(frozen=True)
class Instance:
    """A finite multi-sender persuasion game with an exact common prior.

    ``prior[x_A][x_B][y]`` is ``P(x_A, x_B, y)``.  With a state-only prior
    (``state_only``), Alice has the single feature :data:`NO_FEATURE` and the
    senders' features are the states themselves (they observe ``y``).
    """

    name: str
    states: tuple[str, ...]
    actions: tuple[str, ...]
    alice_features: tuple[str, ...]
    sender_features: tuple[str, ...]
    prior: tuple[tuple[tuple[Fraction, ...], ...], ...]
    alice_utility: Matrix
    senders: tuple[Sender, ...]
    protocol: Protocol
    description: str = ""
    state_only: bool = False

    @property
    def num_states(self) -> int:
        return len(self.states)

    @property
    def num_actions(self) -> int:
        return len(self.actions)

    @property
    def num_senders(self) -> int:
        return len(self.senders)

    def sender_index(self, name: str) -> int:
        """Position of the sender called ``name``."""
        for i, sender in enumerate(self.senders):
            if sender.name == name:
                return i
        raise KeyError(name)


@dataclass(frozen=True)
class Profile:
    """The senders' committed one-round rules: ``schemes[i][x_B][m] = pi_i(m | x_B)``."""

    schemes: tuple[Scheme, ...]

    def replace(self, sender: int, scheme: Scheme) -> Profile:
        """The profile with sender ``sender``'s scheme replaced (a unilateral deviation)."""
        schemes = list(self.schemes)
        schemes[sender] = scheme
        return Profile(tuple(schemes))


def silent_scheme(num_features: int, num_messages: int) -> Scheme:
    """The scheme that always sends the first message (reveals nothing)."""
    return tuple(
        tuple(Fraction(1) if m == 0 else Fraction(0) for m in range(num_messages))
        for _ in range(num_features)
    )


def silent_profile(instance: Instance) -> Profile:
    """Every sender sends their first message whatever ``x_B`` is."""
    nb = len(instance.sender_features)
    return Profile(tuple(silent_scheme(nb, len(s.messages)) for s in instance.senders))


def revealing_scheme(num_features: int, num_messages: int) -> Scheme:
    """Send message ``x_B mod num_messages``: reveals ``x_B`` when there are enough messages."""
    return tuple(
        tuple(Fraction(1) if m == xb % num_messages else Fraction(0) for m in range(num_messages))
        for xb in range(num_features)
    )


def revealing_profile(instance: Instance) -> Profile:
    """Every sender reveals ``x_B`` as far as their messages allow (Remark 4's full revelation)."""
    nb = len(instance.sender_features)
    return Profile(tuple(revealing_scheme(nb, len(s.messages)) for s in instance.senders))
