"""One sweep task: an instance, its benchmarks, and best-response dynamics from every start.

A *run* is one game played by best-response dynamics from one start profile
on one generated instance; it records whether the dynamics converged (exact
Nash gap within the tolerance, Definitions 7 and 17), after how many rounds,
Alice's utility at the profile reached, the aligned benchmark ``U_A(C*)``
(Definition 8), the non-negative alignment error ``eps`` (Definition 1,
Remark 2) and the gap to the bound ``U_A(C*) - 2 eps`` of Theorem 1
(simultaneous game, Section C.2) and Theorem 6 (best-AI selection game,
Section E.2).  Every number is exact and written as a ``"p/q"`` string.

A task is one instance with every (game, start) pair, so the benchmarks are
computed once per instance.  A failure is recorded in the row's ``error``
column; it never escapes :func:`run_task`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from persuasion.weighted_alignment import weighted_alignment
from persuasion.experiments.families import DEFAULT_NOISE, Size, generate
from persuasion.games import STEP, names
from persuasion.games import game as game_entry
from persuasion.model import Instance
from persuasion.numbers import fmt
from persuasion.problem import aligned_problem
from persuasion.receiver import first_best
from persuasion.sender import best_response
from persuasion.starts import STARTS, SWEEP, start_profile

__all__ = ["GAMES", "STARTS", "COLUMNS", "Settings", "Task", "run_task"]

GAMES = names()
"""The games a sweep can play (:data:`persuasion.games.GAMES`), in the order summaries list them."""


COLUMNS = (
    "family",
    "game",
    "seed",
    "senders",
    "states",
    "actions",
    "start",
    "converged",
    "stop_reason",
    "rounds",
    "nash_gap",
    "alice_utility",
    "start_utility",
    "aligned_value",
    "first_best",
    "epsilon",
    "bound",
    "gap",
    "bound_slack",
    "delta",
    "within_bound",
    "error",
)
"""The columns of ``runs.csv``, in order.

``bound = aligned_value - 2 epsilon``; ``gap = aligned_value - alice_utility``
(what Theorems 1 and 6 compare with ``2 epsilon``); ``bound_slack =
alice_utility - bound``; ``within_bound`` says ``bound_slack >= 0``
in both games: the selection dynamics move by improvement steps but judge the
profile they stop at with exact suprema, so a converged run is an exact
equilibrium there too (the column ``delta`` records the step, ``--delta``; 0 in
the simultaneous game).  ``start_utility`` is Alice's utility at the start profile."""


@dataclass(frozen=True)
class Settings:
    """What every task of a sweep shares (all picklable, for worker processes)."""

    games: tuple[str, ...] = ("simultaneous",)
    starts: tuple[str, ...] = SWEEP
    max_rounds: int = 25
    order: str = "round-robin"
    eta: Fraction = Fraction(1, 1000)
    step: Fraction = STEP
    noise: Fraction = DEFAULT_NOISE
    tolerance: Fraction = Fraction(0)


@dataclass(frozen=True)
class Task:
    """One generated instance, ``generate(family, seed, size)``, to play under ``settings``."""

    family: str
    seed: int
    size: Size
    settings: Settings

    @property
    def num_runs(self) -> int:
        return len(self.settings.games) * len(self.settings.starts)


def _message(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]


def _blank(task: Task, game: str, start: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        family=task.family,
        game=game,
        seed=str(task.seed),
        senders=str(task.size.senders),
        states=str(task.size.states),
        actions=str(task.size.actions),
        start=start,
    )
    return row


def _play(
    instance: Instance, game: str, start: str, task: Task, bench: dict[str, Fraction]
) -> dict[str, str]:
    s = task.settings
    entry = game_entry(game)
    options = dict(
        order=s.order, seed=task.seed, max_rounds=s.max_rounds, tolerance=s.tolerance, eta=s.eta
    )
    begin = start_profile(instance, start, seed=task.seed, eta=s.eta)
    dyn = entry.dynamics(instance, begin, step=s.step, responses={}, **options)
    alice = entry.outcome(instance, dyn.profile).alice_utility
    aligned, eps = bench["aligned_value"], bench["epsilon"]
    bound = entry.bound(aligned, eps)
    step = s.step if entry.uses_step else Fraction(0)
    row = _blank(task, game, start)
    row.update(
        converged="true" if dyn.converged else "false",
        stop_reason=dyn.stop_reason,
        rounds=str(dyn.rounds),
        nash_gap=fmt(dyn.nash_gap),
        alice_utility=fmt(alice),
        start_utility=fmt(entry.outcome(instance, begin).alice_utility),
        aligned_value=fmt(aligned),
        first_best=fmt(bench["first_best"]),
        epsilon=fmt(eps),
        bound=fmt(bound),
        gap=fmt(aligned - alice),
        bound_slack=fmt(alice - bound),
        delta=fmt(step),
        within_bound="true" if alice >= bound else "false",
    )
    return row


def run_task(task: Task) -> list[dict[str, str]]:
    """Every (game, start) run of ``task``'s instance, in settings order; errors become rows."""
    s = task.settings
    pairs = [(g, st) for g in s.games for st in s.starts]
    try:
        instance = generate(task.family, task.seed, task.size, noise=s.noise)
        bench = {
            "aligned_value": best_response(aligned_problem(instance), s.eta).value,
            "epsilon": weighted_alignment(instance, simplex=False).epsilon,
            "first_best": first_best(instance),
        }
    except Exception as exc:
        return [dict(_blank(task, g, st), error=_message(exc)) for g, st in pairs]
    rows = []
    for game, start in pairs:
        try:
            rows.append(_play(instance, game, start, task, bench))
        except Exception as exc:
            rows.append(dict(_blank(task, game, start), error=_message(exc)))
    return rows
