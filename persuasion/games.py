"""One table of games: every game a protocol can play is one :class:`GameEntry` of :data:`GAMES`.

An entry holds everything the rest of the package asks of a game: its
outcome at a profile, a sender's exact best response, its best-response
dynamics, the theorem that bounds Alice's utility at its equilibria (with the
bound's formula) and the certificate claims that apply to it.  The front door
(:mod:`persuasion.api`), the command line and the sweeps
(:mod:`persuasion.experiments.runs`) look games up here by name and never
switch on it; adding a game is adding one entry (:func:`register`).

The table is importable without loading any solver (the command line lists
its names before parsing): the entries' functions import the solver's modules
when first called.

- ``"simultaneous"``: Alice hears every sender at once (Sections B-C);
  Theorem 1 bounds its equilibria (Section C.2), Theorem 7 speaks of its
  oblivious senders.
- ``"best-ai-selection"``: Alice evaluates each sender's scheme alone and talks
  to the best one (Section E, Definitions 16-17); Theorem 6 bounds its
  equilibria (Section E.2).  Its dynamics move by an improvement step
  (:data:`STEP` by default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from persuasion.equilibrium import Dynamics, Game
    from persuasion.model import Instance, Profile
    from persuasion.receiver import Outcome
    from persuasion.sender import BestResponse

__all__ = ["GAMES", "STEP", "GameEntry", "game", "names", "register"]


STEP = Fraction(1, 100)
"""Default improvement step of the dynamics of a game that takes one (:attr:`GameEntry.uses_step`:
the best-AI selection game, whose strict "beat the rival" becomes "beat by ``STEP``")."""


def two_epsilon_bound(aligned_value: Fraction, epsilon: Fraction) -> Fraction:
    """``U_A(C*) - 2 eps``: the bound of Theorems 1 and 6 at an exact equilibrium."""
    return aligned_value - 2 * epsilon


@dataclass(frozen=True)
class GameEntry:
    """A game a protocol can play, with everything the package asks of it.

    Attributes
    ----------
    name : str
        The game's name: ``protocol.game`` in instance files, ``--game`` in sweeps.
    description : str
        One line saying how the game is played, citing the paper.
    title : str
        The game's name in a figure's title, with its theorem.
    outcome : callable
        ``outcome(instance, profile) -> Outcome``: everyone's utility and the
        joint distribution of action and state at ``profile``.
    respond : callable
        ``respond(instance, profile, sender, eta) -> BestResponse``: the
        sender's exact best response (a supremum) to the others' schemes;
        it must depend on the other senders' schemes only.
    dynamics : callable
        ``dynamics(instance, start, *, step, responses, **options) -> Dynamics``:
        best-response dynamics from ``start``, the profile they stop at judged
        exactly; ``options`` are those of
        :func:`persuasion.equilibrium.best_response_dynamics`; ``responses``
        a dict of best responses the runs of one search may share.
    theorem : str
        The theorem that bounds Alice's utility at an equilibrium, with the
        section of the paper that proves it.
    formula : str
        The bound's formula.
    bound : callable
        ``bound(aligned_value, epsilon) -> Fraction``: the bound's value.
    bound_claim : str
        The certificate claim that proves the bound at a profile
        (:data:`persuasion.checker.CLAIMS`).
    claims : tuple of str
        Every game claim that applies to the game (``bound_claim`` first).
    uses_step : bool
        Whether the dynamics move by an improvement step (``step``).
    selection : callable or None
        ``selection(instance, profile) -> (alice_values, selected_index)``:
        Alice's choice of sender, for games where she chooses one.
    """

    name: str
    description: str
    title: str
    outcome: Callable[[Instance, Profile], Outcome]
    respond: Callable[[Instance, Profile, int, Fraction], BestResponse]
    dynamics: Callable[..., Dynamics]
    theorem: str
    bound_claim: str
    claims: tuple[str, ...]
    formula: str = "U_A(C*) - 2 eps"
    bound: Callable[[Fraction, Fraction], Fraction] = two_epsilon_bound
    uses_step: bool = False
    selection: Callable[[Instance, Profile], tuple[list[Fraction], int]] | None = None

    def exact_game(self) -> Game:
        """The game with exact best responses, for :mod:`persuasion.equilibrium`'s functions."""
        from persuasion.equilibrium import Game

        return Game(self.name, self.outcome, self.respond)


# ---------------------------------------------------------------- the simultaneous game


def _simultaneous_outcome(instance: Instance, profile: Profile) -> Outcome:
    from persuasion.receiver import outcome

    return outcome(instance, profile)


def _simultaneous_respond(
    instance: Instance, profile: Profile, sender: int, eta: Fraction
) -> BestResponse:
    from persuasion.equilibrium import sender_best_response

    return sender_best_response(instance, profile, sender, eta)


def _simultaneous_dynamics(
    instance: Instance, start: Profile, *, step: Fraction, responses: dict, **options: Any
) -> Dynamics:
    from persuasion.equilibrium import best_response_dynamics

    return best_response_dynamics(instance, start, responses=responses, **options)


# ---------------------------------------------------------------- the best-AI selection game


def _selection_outcome(instance: Instance, profile: Profile) -> Outcome:
    from persuasion.selection import selection_outcome

    return selection_outcome(instance, profile)


def _selection_respond(
    instance: Instance, profile: Profile, sender: int, eta: Fraction
) -> BestResponse:
    from persuasion.selection import selection_best_response

    return selection_best_response(instance, profile, sender, eta)


def _selection_dynamics(
    instance: Instance, start: Profile, *, step: Fraction, responses: dict, **options: Any
) -> Dynamics:
    from persuasion.selection import selection_dynamics

    return selection_dynamics(instance, start, step=step, **options)


def _selection_choice(instance: Instance, profile: Profile) -> tuple[list[Fraction], int]:
    from persuasion.selection import alice_values, selected

    values = alice_values(instance, profile)
    return values, selected(values)


# ---------------------------------------------------------------- the table

GAMES: dict[str, GameEntry] = {}
"""Every game, by name, in the order sweeps and reports list them."""


def register(entry: GameEntry) -> GameEntry:
    """Add ``entry`` to :data:`GAMES` (replacing a game of the same name); return it."""
    GAMES[entry.name] = entry
    return entry


register(
    GameEntry(
        name="simultaneous",
        description="Alice hears every sender at once (Sections B-C)",
        title="simultaneous game (Theorem 1)",
        outcome=_simultaneous_outcome,
        respond=_simultaneous_respond,
        dynamics=_simultaneous_dynamics,
        theorem="Theorem 1 (Section C.2)",
        bound_claim="theorem-1",
        claims=("theorem-1", "theorem-7"),
    )
)
register(
    GameEntry(
        name="best-ai-selection",
        description="Alice talks to the sender whose scheme alone is worth most to her "
        "(Section E, Definitions 16-17)",
        title="best-AI selection game (Theorem 6)",
        outcome=_selection_outcome,
        respond=_selection_respond,
        dynamics=_selection_dynamics,
        theorem="Theorem 6 (Section E.2)",
        bound_claim="theorem-6",
        claims=("theorem-6",),
        uses_step=True,
        selection=_selection_choice,
    )
)


def names() -> tuple[str, ...]:
    """The names of every game, in :data:`GAMES` order."""
    return tuple(GAMES)


def game(name: str) -> GameEntry:
    """The game called ``name``.

    Raises
    ------
    ValueError
        If no game has that name (the message lists the names).
    """
    try:
        return GAMES[name]
    except KeyError:
        raise ValueError(f"unknown game {name!r} (choose from {', '.join(GAMES)})") from None


def game_claims() -> tuple[str, ...]:
    """Every claim that applies to some game, in table order (the rest apply to every instance)."""
    return tuple(dict.fromkeys(claim for entry in GAMES.values() for claim in entry.claims))


def profile_claims() -> tuple[str, ...]:
    """The claims about a profile: every game's bound claim."""
    return tuple(entry.bound_claim for entry in GAMES.values())
