"""One search: restarts of local search, each reproducible alone, and the best point they reach.

The budget is split into restarts of :data:`RESTART` evaluations. Restart ``j`` draws its own random
point (size ``grid[j % len(grid)]``) from a generator seeded with the property, the seed and ``j``,
then walks: it moves to a random neighbour (:func:`persuasion.counterexamples.space.move`) whenever
the neighbour scores at least as well. So a restart's result depends on nothing but ``(property,
seed, j)`` and the grid: restarts can run in any order, on any machine, be stopped and resumed, and
the best point -- the highest score, ties to the lowest ``j`` -- is the same.
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from persuasion.deadline import DeadlinePassed, check
from persuasion.experiments.families import Size
from persuasion.counterexamples.properties import PROPERTIES, Finding, PredicateError, lookup
from persuasion.counterexamples.space import Point, draw, instance_of, move

if TYPE_CHECKING:
    from persuasion.api.worst import SearchBudget

__all__ = ["RESTART", "Plan", "Record", "run_restart", "best", "evaluate", "user_output"]

RESTART = 20
"""Evaluations per restart."""


@dataclass(frozen=True)
class Plan:
    """What every restart of a search shares (picklable, for worker processes)."""

    property: str
    seed: int
    budget: int
    grid: tuple[Size, ...]
    max_epsilon: Fraction | None = None
    worst: SearchBudget | None = None
    """The per-evaluation budget of the worst-equilibrium search (None: the first equilibrium;
    :mod:`persuasion.counterexamples.choice`)."""

    @property
    def restarts(self) -> int:
        """How many restarts the budget buys (rounded up)."""
        return math.ceil(self.budget / RESTART)

    def to_json(self) -> dict:
        """The settings a state file records (all but the budget must agree to resume; the worst
        equilibrium's budget only when asked for, so older state files still resume)."""
        settings = {
            "property": self.property,
            "seed": self.seed,
            "grid": [[s.senders, s.states, s.actions] for s in self.grid],
            "max_epsilon": None if self.max_epsilon is None else str(self.max_epsilon),
            "restart": RESTART,
        }
        if self.worst is not None:
            settings["equilibrium"] = {"worst": self.worst.to_json()}
        return settings


@dataclass(frozen=True)
class Record:
    """What restart ``index`` reached: its best point and score (None: it found nothing)."""

    index: int
    score: Fraction | None
    point: Point

    def to_json(self) -> dict:
        score = None if self.score is None else str(self.score)
        return {"index": self.index, "score": score, "point": self.point.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> Record:
        score = None if data["score"] is None else Fraction(data["score"])
        return cls(data["index"], score, Point.from_json(data["point"]))


@contextlib.contextmanager
def user_output() -> Iterator[None]:
    """Run a user predicate (its import too) with its ``print`` output sent to stderr: stdout is
    the report's (``--json``), in this process and in every worker.  The current folder is
    importable meanwhile, as with ``python -m``: ``--property my_module:f`` finds
    ``./my_module.py``."""
    here = os.getcwd()
    added = here not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        if added and here in sys.path:
            sys.path.remove(here)


def evaluate(plan: Plan, point: Point) -> Finding | None:
    """The property's finding on ``point`` (a user predicate's failure is one line)."""
    instance = instance_of(point)
    try:
        with user_output():
            return lookup(plan.property).evaluate(
                instance, max_epsilon=plan.max_epsilon, worst=plan.worst
            )
    except (PredicateError, DeadlinePassed):  # the search's time limit is not the predicate's
        raise
    except SystemExit as exc:  # sys.exit in a predicate: the search stops with one line
        raise PredicateError(f"--property {plan.property}: called sys.exit({exc.code})") from None
    except Exception as exc:
        if plan.property in PROPERTIES:
            raise
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise PredicateError(
            f"--property {plan.property}: raised {type(exc).__name__}: {reason}"
        ) from None


def _score(plan: Plan, point: Point) -> Fraction | None:
    found = evaluate(plan, point)
    check()  # an evaluation the search's deadline cut short is not a score: stop the restart
    return None if found is None else found.score


def _at_least(score: Fraction | None, other: Fraction | None) -> bool:
    return other is None or (score is not None and score >= other)


def run_restart(plan: Plan, index: int) -> Record:
    """Restart ``index``: a random point of the property's space, then :data:`RESTART` - 1 moves.

    Parameters
    ----------
    plan : Plan
        The search.
    index : int
        The restart's number: its generator's seed and its size (``plan.grid``, cycling).

    Returns
    -------
    Record
        The best point the restart met and its score (None: nothing found).

    Raises
    ------
    persuasion.deadline.DeadlinePassed
        When a deadline set around it (:func:`persuasion.deadline.until`) passes: the restart is
        not finished, and has no record.
    """
    with user_output():
        prop = lookup(plan.property)
    rng = random.Random(f"persuasion/search/{plan.property}/{plan.seed}/{index}")
    size = plan.grid[index % len(plan.grid)]

    def fresh() -> Point:
        return draw(rng, prop.space, prop.game, size.senders, size.states, size.actions)

    current = fresh()
    score = _score(plan, current)
    top = Record(index, score, current)
    for _ in range(RESTART - 1):
        candidate = fresh() if score is None and rng.random() < 0.5 else move(rng, current)
        new = _score(plan, candidate)
        if _at_least(new, score):
            current, score = candidate, new
        if new is not None and (top.score is None or new > top.score):
            top = Record(index, new, candidate)
    return top


def best(records: list[Record]) -> Record | None:
    """The record with the highest score, ties to the lowest index; None if none found anything."""
    found = [r for r in records if r.score is not None]
    return min(found, key=lambda r: (-r.score, r.index)) if found else None
