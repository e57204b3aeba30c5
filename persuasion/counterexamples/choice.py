"""Which equilibrium a search's property is about: the first the dynamics reach, or the worst for
Alice that a bounded search meets.

Theorems 1 and 6 bound Alice's utility at *every* Nash equilibrium (Definition 7), so how tight
their ``2 eps`` is depends on the worst equilibrium for her.  ``first`` (the default) is the one
:func:`persuasion.solve` reports, the first the dynamics reach from ``"auto"`` -- one run, and
when every sender can reveal the state usually full revelation (Remark 4).  ``worst`` also runs
the search of :func:`persuasion.equilibria` on every instance evaluated, under a per-evaluation
:class:`~persuasion.api.worst.SearchBudget` (runs of the dynamics, random starts, optionally a
restricted game decided exactly) and no time limit, so what it finds depends only on the instance
and the budget: a search stays reproducible from its seed and resumable.  The equilibrium kept is
the worst for Alice among the first one and every one the search meets, so Alice's utility there
is never above the first equilibrium's.
"""

from __future__ import annotations

from persuasion.api.worst import SearchBudget
from persuasion.model import Instance, Profile

__all__ = ["WORST", "USES", "budget_options", "check_restricted", "worst_equilibrium"]

WORST = SearchBudget(random_starts=2, max_starts=16, time_limit=None)
"""The per-evaluation budget of ``equilibrium="worst"``: at most 16 runs of the dynamics (the
named starts, 2 random ones, the pure profiles when few, local moves), no restricted game."""

USES = ("theorem-1-tightness", "theorem-6-tightness", "hull-failure")
"""The properties about the equilibrium :func:`worst_equilibrium` chooses (the others, and a user
predicate, are about the first one)."""


def budget_options(budget: SearchBudget | None) -> str:
    """The command-line options that ask for ``budget`` ("" for the first equilibrium)."""
    if budget is None:
        return ""
    text = (
        f" --equilibrium worst --random-starts {budget.random_starts} "
        f"--max-starts {budget.max_starts}"
    )
    return text if budget.restricted is None else f"{text} --restricted {budget.restricted}"


def check_restricted(prop, size, budget: SearchBudget) -> None:
    """Refuse (:class:`~persuasion.api.common.OptionError`, one line) a restricted game past the
    limits of :mod:`persuasion.restricted` on an instance of ``size`` in ``prop``'s space (the
    largest a search walks: moves and minimisation never add senders, states or messages)."""
    import random

    from persuasion.api.common import OptionError
    from persuasion.api.worst import _check_restricted, restricted_grid
    from persuasion.counterexamples.space import draw, instance_of
    from persuasion.errors import InputError

    point = draw(random.Random(0), prop.space, prop.game, size.senders, size.states, size.actions)
    try:
        _check_restricted(instance_of(point), restricted_grid(budget.restricted), "--restricted")
    except (InputError, ValueError) as exc:
        raise OptionError(str(exc)) from None


def worst_equilibrium(
    instance: Instance, game: str, budget: SearchBudget, first: Profile | None
) -> Profile | None:
    """The worst exact equilibrium for Alice among ``first`` and those a search of ``budget`` meets.

    Parameters
    ----------
    instance : Instance
        The instance.
    game : str
        A name of :data:`persuasion.games.GAMES`.
    budget : SearchBudget
        The search's budget (its time limit must be None: see the module docstring).
    first : Profile or None
        The first equilibrium (exact Nash gap 0), counted first; None if the dynamics found none.

    Returns
    -------
    Profile or None
        The equilibrium with the least utility for Alice, ties to the one met first; None when
        no run ended at an exact equilibrium.
    """
    from persuasion.api.common import ETA, engine
    from persuasion.api.play import _aligned, alignment
    from persuasion.api.worst import search
    from persuasion.games import STEP
    from persuasion.games import game as entry_of
    from persuasion.limits import SOLVE_PATIENCE

    entry = entry_of(game)
    with engine("auto", "auto"):
        bound = entry.bound(_aligned(instance, ETA).value, alignment(instance).nonnegative.epsilon)
    options = dict(seed=0, max_rounds=50, eta=ETA, step=STEP, patience=SOLVE_PATIENCE)
    known = None if first is None else (first, "auto")
    found = search(
        instance, entry, bound, budget, options, ("auto", "auto"), None, "search", known
    ).found
    if not found:
        return None
    return min(found, key=lambda eq: eq.alice_utility).profile
