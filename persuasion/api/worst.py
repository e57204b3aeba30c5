"""Alice's worst equilibrium: a multi-start search for exact equilibria, full revelation, and the
exact worst over a restricted game.

Theorems 1 and 6 bound Alice's utility at *every* Nash equilibrium (Definition
7), but best-response dynamics report the first one they reach -- and from
the revealing profile that is full revelation whenever two senders can each
reveal ``x_B`` (Remark 4).  :func:`equilibria` runs the game's dynamics from
many starts (the named starts, random profiles drawn from a seed, every pure
profile of the deterministic restricted game when there are few) and from
local moves around every equilibrium met (one sender switching to one of
their deterministic schemes), keeps every run that ends at an exact Nash gap
of 0, tells equilibria apart by their induced outcome (Definition 5), and
reports the worst for Alice.  With ``restricted`` it also decides the question
exactly over a restricted game (:mod:`persuasion.restricted`): every pure
equilibrium, each judged against every deviation of the full game.
"""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from persuasion.api.checks import checked_instance, integer, seconds
from persuasion.api.common import ETA, MEMORY, check_supported, engine, game_of
from persuasion.api.play import _aligned, _parameters, _runner, alignment
from persuasion.face import face_moves, lone_sender_bound
from persuasion.games import STEP, GameEntry
from persuasion.limits import SOLVE_PATIENCE, SOLVE_TIME_LIMIT
from persuasion.model import Instance, Profile
from persuasion.results.worst import (
    EquilibriumSearch,
    FoundEquilibrium,
    RestrictedEquilibrium,
    RestrictedWorst,
    TrivialRevelation,
)
from persuasion.restricted import time_limited
from persuasion.starts import AUTO, start_profile, start_seed

__all__ = [
    "MAX_STARTS",
    "PURE_STARTS",
    "RANDOM_STARTS",
    "SearchBudget",
    "equilibria",
    "restricted_grid",
]

RANDOM_STARTS = 8
"""Default number of random start profiles (drawn from the seed)."""

MAX_STARTS = 200
"""Default budget: the most runs of best-response dynamics one search makes."""

PURE_STARTS = 64
"""Every pure profile of the deterministic restricted game is a start when there are at most
this many; a local move tries every deterministic scheme of a sender who has at most this many."""


def restricted_grid(text: str) -> int:
    """The grid ``K`` of a restricted game named ``deterministic`` (``K = 1``) or ``grid:K``.

    Raises
    ------
    ValueError
        For any other text, or ``K < 1``.
    """
    if text == "deterministic":
        return 1
    head, _, count = text.partition(":")
    if head == "grid" and count.isascii() and count.isdigit() and int(count) >= 1:
        return int(count)
    raise ValueError(f"restricted game {text!r}: give 'deterministic' or 'grid:K' with K >= 1")


def equilibria(
    instance: Instance,
    *,
    game: str | None = None,
    random_starts: int = RANDOM_STARTS,
    max_starts: int = MAX_STARTS,
    restricted: str | None = None,
    seed: int = 0,
    max_rounds: int = 50,
    eta: Fraction = ETA,
    step: Fraction = STEP,
    time_limit: float | None = SOLVE_TIME_LIMIT,
    patience: int | None = SOLVE_PATIENCE,
    route: str = "auto",
    set_search: str = "auto",
    progress: Callable[[Any], None] | None = None,
    source: str = MEMORY,
) -> EquilibriumSearch:
    """Search many starts for exact equilibria; report every distinct one and the worst for Alice.

    Parameters
    ----------
    instance : Instance
        The instance.
    game : str, optional
        A name of :data:`persuasion.games.GAMES`; by default ``protocol.game``.
    random_starts : int
        How many random start profiles, drawn from ``seed``.
    max_starts : int
        The most runs of best-response dynamics (starts and local moves together).
    restricted : str, optional
        ``"deterministic"`` or ``"grid:K"``: also enumerate that game's pure equilibria exactly.
    seed, max_rounds, eta, step, patience, route, set_search, time_limit
        As for :func:`persuasion.solve` (time limit: all runs together, then the restricted game).
    progress : callable, optional
        Called with every :class:`~persuasion.equilibrium.Step`, its start named.
    source : str
        How errors name the instance (its file).

    Returns
    -------
    EquilibriumSearch

    Raises
    ------
    InputError, BeyondLimit
        For a protocol this version cannot play; a restricted game past the limits or the time.
    ValueError
        For an unknown game, a negative budget or an unknown restricted game.
    """
    checked_instance(instance, source)
    options = dict(seed=seed, max_rounds=max_rounds, eta=eta, step=step, patience=patience)
    _parameters("round-robin", start="auto", tolerance=0, time_limit=time_limit, route=route,
                set_search=set_search, **options)  # fmt: skip  # checked as solve checks them
    entry = game_of(instance, game)
    check_supported(instance, source)
    with engine(route, set_search):
        value = entry.bound(_aligned(instance, eta).value, alignment(instance).nonnegative.epsilon)
    budget = SearchBudget(random_starts, max_starts, time_limit, restricted)
    return search(instance, entry, value, budget, options, (route, set_search), progress, source)


@dataclass(frozen=True)
class SearchBudget:
    """How far a search for Alice's worst equilibrium goes (:func:`equilibria`).

    Pass one as ``persuasion.solve(..., equilibrium=SearchBudget(...))``.

    Attributes
    ----------
    random_starts : int
        Random start profiles, drawn from the seed (``>= 0``).
    max_starts : int
        The most runs of the dynamics, starts and local moves together (``>= 1``).
    time_limit : float or None
        Seconds for every run together (None: no limit), and again for the restricted game.
    restricted : str or None
        ``"deterministic"`` or ``"grid:K"``: the restricted game decided exactly.
    """

    random_starts: int = RANDOM_STARTS
    max_starts: int = MAX_STARTS
    time_limit: float | None = SOLVE_TIME_LIMIT
    restricted: str | None = None

    def grid(self) -> int | None:
        """The restricted game's grid, None if none was asked for; ValueError for a bad budget."""
        integer("random_starts", self.random_starts, 0)
        integer("max_starts", self.max_starts, 1)
        seconds("time_limit", self.time_limit)
        if self.restricted is not None and not isinstance(self.restricted, str):
            raise ValueError(
                f"restricted must be 'deterministic' or 'grid:K', not {self.restricted!r}"
            )
        return None if self.restricted is None else restricted_grid(self.restricted)

    def to_json(self) -> dict[str, Any]:
        """The budget as JSON (``persuasion search``'s settings and report record it)."""
        return {
            "random_starts": self.random_starts,
            "max_starts": self.max_starts,
            "time_limit": self.time_limit,
            "restricted": self.restricted,
        }


def search(
    instance: Instance,
    entry: GameEntry,
    bound: Fraction,
    budget: SearchBudget,
    options: dict[str, Any],
    engine_options: tuple[str, str],
    progress: Callable[[Any], None] | None,
    source: str,
    known: tuple[Profile, str] | None = None,
) -> EquilibriumSearch:
    """The search of :func:`equilibria` with the bound's value already known (``solve`` knows it).

    ``options`` are the dynamics' (``seed``, ``max_rounds``, ``eta``, ``step``, ``patience``,
    and ``order``); ``engine_options`` the route and set search of every best response;
    ``known`` an exact equilibrium already found and the start it came from (counted first).
    """
    from persuasion import cells

    grid = budget.grid()
    if grid is not None:
        _check_restricted(instance, grid, source)
    eta = options["eta"]
    with engine(*engine_options), cells.remembering():
        dynamics = _dynamics(instance, entry, budget, dict(options, progress=progress))
        finder = _Finder(instance, entry, bound, dynamics)
        if known is not None:
            finder.record(*known)
        reason = finder.explore(_starts(instance, options["seed"], budget.random_starts, eta))
        trivial = _trivial_revelation(instance, entry, eta)
        decided = None
        if grid is not None:
            with time_limited(
                budget.time_limit, f"{source}: the restricted game {budget.restricted}"
            ):
                decided = _restricted_worst(instance, entry, grid, (eta, bound), source)
            finder.adopt(decided)
        lower_bound = lone_sender_bound(instance, entry.name)
    return EquilibriumSearch(
        game=entry.name,
        theorem=entry.theorem,
        bound=bound,
        found=finder.results(),
        runs=finder.runs,
        stop_reason=reason,
        trivial_revelation=trivial,
        restricted=decided,
        lower_bound=lower_bound,
    )


def _dynamics(instance: Instance, entry: GameEntry, budget: SearchBudget, options: dict[str, Any]):
    """``(run, max_starts, out_of_time)``: the game's dynamics from a profile (stopping only at
    an exact equilibrium, every run sharing the time limit), the run budget, and whether the time
    limit has passed."""
    clock = time.monotonic
    began = clock()
    limit = budget.time_limit
    run = _runner(
        instance,
        entry,
        dict(options, tolerance=Fraction(0), time_limit=limit, clock=clock),
    )
    return run, budget.max_starts, (lambda: limit is not None and clock() - began >= limit)


@dataclass
class _Finder:
    """The search's state: the equilibria met (by outcome), the profiles tried, the runs made."""

    instance: Instance
    entry: GameEntry
    bound: Fraction
    dynamics: tuple[Callable[[Profile, str], Any], int, Callable[[], bool]]
    found: dict[tuple, list[Any]] = field(default_factory=dict)
    tried: set[tuple] = field(default_factory=set)
    moves: deque[tuple[str, Profile]] = field(default_factory=deque)
    runs: int = 0

    def explore(self, starts: Iterator[tuple[str, Profile]]) -> str:
        """Run the dynamics from every start, then from the local moves; say why it stopped."""
        from persuasion.equilibrium import TimeLimitTooShort

        run, max_starts, out_of_time = self.dynamics
        while True:
            name, profile = next(starts, None) or (
                self.moves.popleft() if self.moves else ("", None)
            )
            if profile is None:
                return "every start and every local move was tried"
            if profile.schemes in self.tried:
                continue
            if self.runs >= max_starts:
                return f"the budget of {max_starts} runs was spent"
            if out_of_time():
                return "the time limit passed"
            self.tried.add(profile.schemes)
            self.runs += 1
            try:
                dyn = run(profile, name)
            except TimeLimitTooShort:
                return "the time limit passed"
            if dyn.nash_gap == 0:
                self.record(dyn.profile, name)

    def record(self, profile: Profile, name: str) -> None:
        """Count an exact equilibrium; a new outcome queues its local moves."""
        result = self.entry.outcome(self.instance, profile)
        key = tuple(tuple(row) for row in result.joint)
        if key in self.found:
            self.found[key][1] += 1
            return
        self.found[key] = [(profile, name, result), 1]
        self.moves.extend(_moves(self.instance, profile, len(self.found)))
        self.moves.extendleft(face_moves(self.instance, self.entry.name, profile, len(self.found)))

    def adopt(self, decided: RestrictedWorst) -> None:
        """Count the restricted game's pure equilibria that are equilibria of the full game."""
        for eq in decided.equilibria:
            if eq.full_equilibrium:
                self.record(eq.profile, f"restricted pure profile {eq.strategies}")

    def results(self) -> tuple[FoundEquilibrium, ...]:
        """Every distinct equilibrium, in the order first met."""
        return tuple(
            FoundEquilibrium(
                self.instance,
                profile,
                result.alice_utility,
                tuple(result.sender_utilities),
                tuple(tuple(row) for row in result.joint),
                name,
                times,
                result.alice_utility >= self.bound,
            )
            for (profile, name, result), times in self.found.values()
        )


def _deterministic(instance: Instance) -> list[tuple]:
    """Every sender's deterministic schemes (:func:`persuasion.restricted.grid_schemes`)."""
    from persuasion.restricted import grid_schemes

    nb = len(instance.sender_features)
    return [grid_schemes(nb, len(s.messages)) for s in instance.senders]


def _starts(instance: Instance, seed: int, randoms: int, eta: Fraction):
    """The named starts, ``randoms`` random profiles, then (when few) every pure profile."""
    from persuasion.restricted import gambit_order, restricted_profile_count

    for name in AUTO:
        yield name, start_profile(instance, name, eta=eta)
    for k in range(randoms):
        yield f"random {k}", start_profile(instance, "random", seed=start_seed(seed, k))
    if restricted_profile_count(instance) <= PURE_STARTS:
        schemes = _deterministic(instance)
        for pure in gambit_order(tuple(len(s) for s in schemes)):
            chosen = tuple(options[k] for options, k in zip(schemes, pure, strict=True))
            yield f"pure profile {pure}", Profile(chosen)


def _moves(instance: Instance, profile: Profile, number: int) -> list[tuple[str, Profile]]:
    """Local moves around equilibrium ``#number``: one sender switches to a deterministic scheme."""
    moves = []
    for i, schemes in enumerate(_deterministic(instance)):
        if len(schemes) > PURE_STARTS:
            continue
        name = f"move of {instance.senders[i].name} from #{number}"
        moves += [(name, profile.replace(i, s)) for s in schemes if s != profile.schemes[i]]
    return moves


def _trivial_revelation(
    instance: Instance, entry: GameEntry, eta: Fraction
) -> TrivialRevelation | None:
    """Whether full revelation is an equilibrium when two or more senders can each reveal."""
    from persuasion.equilibrium import deviations, nash_gap
    from persuasion.model import revealing_profile
    from persuasion.numbers import fmt

    nb = len(instance.sender_features)
    revealers = tuple(s.name for s in instance.senders if len(s.messages) >= nb)
    if len(revealers) < 2:
        return None
    gap = nash_gap(deviations(instance, revealing_profile(instance), eta, entry.exact_game()))
    who = f"{', '.join(revealers[:-1])} and {revealers[-1]} can each reveal x_B"
    if gap != 0:
        line = f"full revelation is not an equilibrium although {who} (Nash gap {fmt(gap)})"
    elif entry.selection is None:  # Alice hears every sender: the structural reason applies
        line = (
            f"full revelation is trivially an equilibrium: {who}, so no single sender can change "
            "what Alice learns (exact Nash gap 0)"
        )
    else:
        line = f"full revelation is an equilibrium (exact Nash gap 0); {who}"
    return TrivialRevelation(revealers, gap, line)


def _check_restricted(instance: Instance, grid: int, source: str) -> None:
    """Refuse a restricted game past the limits before the search spends any time."""
    from persuasion.restricted import check_size, restricted_number_count, restricted_profile_count

    profiles = restricted_profile_count(instance, grid)
    numbers = restricted_number_count(instance, grid)
    schemes = "deterministic" if grid == 1 else f"grid 1/{grid}"
    check_size(profiles, numbers, source, f"the restricted game ({schemes} schemes)")


def _restricted_worst(
    instance: Instance,
    entry: GameEntry,
    grid: int,
    judge: tuple[Fraction, Fraction],
    source: str,
) -> RestrictedWorst:
    """Every pure equilibrium of the restricted game on the grid ``1/grid``, each judged against
    every deviation of the full game (``judge``: eta and the theorem's bound)."""
    from persuasion.restricted import restricted_game

    eta, bound = judge
    played = instance
    if instance.protocol.game != entry.name:
        protocol = dataclasses.replace(instance.protocol, game=entry.name)
        played = dataclasses.replace(instance, protocol=protocol)
    restricted = restricted_game(played, grid, source)
    responses: dict[tuple, Fraction] = {}
    found = []
    for pure in restricted.pure_equilibria():
        profile = restricted.scheme_profile(pure)
        result = entry.outcome(instance, profile)
        utilities = tuple(result.sender_utilities)
        gap = max(
            _supremum(instance, entry, eta, profile, i, responses) - utilities[i]
            for i in range(instance.num_senders)
        )
        found.append(
            RestrictedEquilibrium(
                instance,
                pure,
                profile,
                result.alice_utility,
                utilities,
                gap,
                result.alice_utility >= bound,
            )  # fmt: skip
        )
    schemes = "deterministic" if grid == 1 else f"grid 1/{grid}"
    return RestrictedWorst(schemes, len(restricted.payoffs), tuple(found))


def _supremum(
    instance: Instance,
    entry: GameEntry,
    eta: Fraction,
    profile: Profile,
    sender: int,
    responses: dict[tuple, Fraction],
) -> Fraction:
    """Sender ``sender``'s best-response value (a supremum) against the others' schemes in
    ``profile``, computed once per profile of the others (it depends on nothing else)."""
    key = (sender, profile.schemes[:sender] + profile.schemes[sender + 1 :])
    if key not in responses:
        responses[key] = entry.respond(instance, profile, sender, eta).value
    return responses[key]
