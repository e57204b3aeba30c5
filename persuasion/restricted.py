"""The restricted game: each sender chooses among a finite set of schemes.

The senders' game of the paper (Definitions 3 and 7) lets every sender commit
to *any* scheme ``pi_i(m | x_B)``, an infinite set.  Here each sender picks
from a finite list instead -- by default every *deterministic* scheme (each
sender feature ``x_B`` sends one message with probability 1, so sender ``i``
has ``|M_i| ** |X_B|`` of them), or with ``grid = K`` every scheme whose
probabilities are multiples of ``1/K`` (``K = 1`` is the deterministic set).
Alice is not a player: she best-responds inside the payoff (Definition 4),
so the result is a finite strategic-form game among the senders whose payoff
at a pure profile is the exact outcome of the instance's own game at that
profile (:data:`persuasion.equilibrium.SIMULTANEOUS`, or the best-AI
selection game :data:`persuasion.selection.EXACT`; Definitions 5 and 16).

A pure equilibrium of the restricted game is immune only to deviations
*inside* the finite sets: it need not be an equilibrium of the full game
(Definition 7), and an equilibrium of the full game need not be a profile of
the restricted one.  A sender's full best response
(:func:`persuasion.equilibrium.deviations`) is always worth at least their
best deviation inside the restricted game.

Pure profiles are listed in Gambit's order (the first player's strategy
changes fastest, :mod:`persuasion.gambit`).  Before anything is built, the
number of pure profiles and of the numbers the game holds are checked
against :data:`persuasion.limits.MAX_RESTRICTED_PROFILES` and
:data:`persuasion.limits.MAX_RESTRICTED_NUMBERS` (:func:`check_size`).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from persuasion.deadline import DeadlinePassed, check, until
from persuasion.errors import BeyondLimit, InputError
from persuasion.limits import MAX_RESTRICTED_NUMBERS, MAX_RESTRICTED_PROFILES
from persuasion.model import Instance, Profile, Scheme
from persuasion.numbers import beyond

__all__ = [
    "RestrictedGame",
    "check_size",
    "gambit_order",
    "grid_rows",
    "grid_schemes",
    "restricted_game",
    "restricted_number_count",
    "restricted_profile_count",
    "time_limited",
]

PureProfile = tuple[int, ...]
"""One strategy index per player: a pure profile of the restricted game."""


@dataclass(frozen=True, repr=False)
class RestrictedGame:
    """A finite strategic-form game whose strategies are schemes and whose payoffs are exact.

    Attributes
    ----------
    title : str
        The game's title (the instance's name).
    players : tuple of str
        The senders' names, in the instance's order.
    strategies : tuple of tuple of Scheme
        ``strategies[i]`` lists the schemes sender ``i`` may choose.
    payoffs : tuple of tuple of Fraction
        One row per pure profile, in :meth:`profiles` order: every player's
        exact expected utility there.
    comment : str
        Free text describing the game (what a strategy's rows and columns are).
    """

    title: str
    players: tuple[str, ...]
    strategies: tuple[tuple[Scheme, ...], ...]
    payoffs: tuple[tuple[Fraction, ...], ...]
    comment: str = ""

    def __repr__(self) -> str:
        """Short, for a notebook: the title, the players and their numbers of schemes."""
        return f"RestrictedGame({self.title!r}, players={self.players!r}, shape={self.shape!r})"

    @property
    def shape(self) -> tuple[int, ...]:
        """The number of strategies of every player."""
        return tuple(len(s) for s in self.strategies)

    def profiles(self) -> Iterator[PureProfile]:
        """Every pure profile in Gambit's order: the first player's strategy changes fastest."""
        return gambit_order(self.shape)

    def index(self, profile: Sequence[int]) -> int:
        """The position of ``profile`` in :meth:`profiles` (and so in :attr:`payoffs`)."""
        position, stride = 0, 1
        for choice, size in zip(profile, self.shape, strict=True):
            position += choice * stride
            stride *= size
        return position

    def payoff(self, profile: Sequence[int]) -> tuple[Fraction, ...]:
        """Every player's exact payoff at the pure profile ``profile``."""
        return self.payoffs[self.index(profile)]

    def scheme_profile(self, profile: Sequence[int]) -> Profile:
        """The :class:`~persuasion.model.Profile` that the pure profile ``profile`` plays."""
        return _scheme_profile(self.strategies, profile)

    def best_restricted_value(self, profile: Sequence[int], player: int) -> Fraction:
        """The most ``player`` gets by any of their strategies, the others' kept (Definition 7)."""
        return max(
            self.payoff((*profile[:player], k, *profile[player + 1 :]))[player]
            for k in range(self.shape[player])
        )

    def pure_equilibria(self) -> tuple[PureProfile, ...]:
        """Every pure profile at which no player gains by another strategy of their finite set."""
        return tuple(
            profile
            for profile in self.profiles()
            if all(
                self.best_restricted_value(profile, i) == self.payoff(profile)[i]
                for i in range(len(self.players))
            )
        )


def gambit_order(shape: Sequence[int]) -> Iterator[PureProfile]:
    """Every pure profile of a game with ``shape[i]`` strategies for player ``i``, the first
    player's strategy changing fastest (the order of a Gambit ``.nfg`` file's payoffs)."""
    for reversed_profile in itertools.product(*(range(n) for n in reversed(shape))):
        check()  # a time limit stops an enumeration (persuasion.deadline; free without one)
        yield reversed_profile[::-1]


def grid_rows(num_messages: int, grid: int) -> list[tuple[Fraction, ...]]:
    """Every distribution over ``num_messages`` messages whose probabilities are multiples of
    ``1/grid``.

    Listed with the first message's probability decreasing, so ``grid = 1``
    gives the unit vectors in message order.  Each is a placement of
    ``num_messages - 1`` bars among ``grid + num_messages - 1`` slots (stars and bars).
    """
    slots = grid + num_messages - 1
    rows = []
    for bars in reversed(list(itertools.combinations(range(slots), num_messages - 1))):
        edges = (-1, *bars, slots)
        rows.append(tuple(Fraction(b - a - 1, grid) for a, b in itertools.pairwise(edges)))
    return rows


def grid_schemes(num_features: int, num_messages: int, grid: int = 1) -> tuple[Scheme, ...]:
    """Every scheme whose rows are :func:`grid_rows`; ``grid = 1``: every deterministic scheme.

    The first scheme sends the first message whatever ``x_B`` is (the silent
    scheme of :func:`persuasion.model.silent_scheme`).
    """
    return tuple(itertools.product(grid_rows(num_messages, grid), repeat=num_features))


def _grid_count(num_features: int, num_messages: int, grid: int) -> int:
    return math.comb(grid + num_messages - 1, num_messages - 1) ** num_features


def restricted_profile_count(instance: Instance, grid: int = 1) -> int:
    """The number of pure profiles of the restricted game, computed without building anything."""
    nb = len(instance.sender_features)
    return math.prod(_grid_count(nb, len(s.messages), grid) for s in instance.senders)


def restricted_number_count(instance: Instance, grid: int = 1) -> int:
    """The numbers the restricted game holds: its payoffs (pure profiles x senders) and the
    probabilities of its schemes (``schemes_i x |X_B| x |M_i|`` for every sender ``i``)."""
    nb = len(instance.sender_features)
    payoffs = restricted_profile_count(instance, grid) * instance.num_senders
    return payoffs + sum(
        _grid_count(nb, len(s.messages), grid) * nb * len(s.messages) for s in instance.senders
    )


def check_size(profiles: int, numbers: int, source: str, what: str) -> None:
    """Refuse a restricted game past :data:`~persuasion.limits.MAX_RESTRICTED_PROFILES` pure
    profiles or :data:`~persuasion.limits.MAX_RESTRICTED_NUMBERS` numbers, in one line.

    Raises
    ------
    InputError
        Naming ``source`` and the count, ``what`` saying which game it is.
    """
    if profiles > MAX_RESTRICTED_PROFILES:
        count = f"{what} has {profiles} pure profiles"
        raise InputError(source, beyond(count, MAX_RESTRICTED_PROFILES))
    if numbers > MAX_RESTRICTED_NUMBERS:
        count = f"{what} holds {numbers} numbers (payoffs and scheme probabilities)"
        raise InputError(source, beyond(count, MAX_RESTRICTED_NUMBERS))


@contextlib.contextmanager
def time_limited(time_limit: float | None, what: str) -> Iterator[None]:
    """Run the block -- the enumeration of ``what``, a restricted game -- within ``time_limit``
    seconds (None: no limit); past it, one line (:class:`~persuasion.errors.BeyondLimit`): an
    enumeration cut short decides nothing."""
    deadline = None if time_limit is None else time.monotonic() + time_limit
    try:
        with until(deadline, time.monotonic):
            yield
    except DeadlinePassed:
        raise BeyondLimit(
            f"{what} did not finish within the time limit ({time_limit:g} s): give a longer "
            "--time-limit, or a coarser grid"
        ) from None


def restricted_game(instance: Instance, grid: int = 1, source: str = "<memory>") -> RestrictedGame:
    """The restricted game of ``instance``: schemes on the grid ``1/grid`` (default: deterministic).

    Parameters
    ----------
    instance : Instance
        A one-round instance with Alice best-responding (simultaneous or
        best-AI selection).
    grid : int
        Every probability of a scheme is a multiple of ``1/grid`` (``>= 1``).
    source : str
        The instance's file name, for error messages.

    Returns
    -------
    RestrictedGame
        Players are the senders; payoffs are the exact outcome of the
        instance's game at every pure profile.

    Raises
    ------
    InputError
        When the protocol is one this version cannot play, or the game is past
        a limit (:func:`check_size`, checked before anything is built).
    """
    from persuasion.api.common import check_supported
    from persuasion.games import game

    if grid < 1:
        raise ValueError(f"grid must be >= 1, got {grid}")
    check_supported(instance, source)
    check_size(
        restricted_profile_count(instance, grid),
        restricted_number_count(instance, grid),
        source,
        f"the restricted game ({'deterministic' if grid == 1 else f'grid 1/{grid}'} schemes)",
    )
    nb = len(instance.sender_features)
    strategies = tuple(grid_schemes(nb, len(s.messages), grid) for s in instance.senders)
    outcome = game(instance.protocol.game).outcome
    payoffs = tuple(
        outcome(instance, _scheme_profile(strategies, profile)).sender_utilities
        for profile in gambit_order(tuple(len(s) for s in strategies))
    )
    players = tuple(s.name for s in instance.senders)
    return RestrictedGame(instance.name, players, strategies, payoffs, _legend(instance, grid))


def _scheme_profile(strategies: tuple[tuple[Scheme, ...], ...], profile: Sequence[int]) -> Profile:
    return Profile(tuple(options[k] for options, k in zip(strategies, profile, strict=True)))


def _legend(instance: Instance, grid: int) -> str:
    """The comment that says how to read a strategy: rows are ``x_B``, columns messages."""
    schemes = "deterministic schemes" if grid == 1 else f"schemes on the grid 1/{grid}"
    messages = "; ".join(f"{s.name}: {', '.join(s.messages)}" for s in instance.senders)
    return (
        f"persuasion restricted game of {instance.name} ({instance.protocol.game}, {schemes}). "
        f"A strategy is a scheme pi(m | x_B): rows separated by '|' are x_B = "
        f"{', '.join(instance.sender_features)}; in a row, P(m) for the messages {messages}."
    )
