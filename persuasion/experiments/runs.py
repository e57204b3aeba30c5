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

from persuasion.alignment import weighted_alignment
from persuasion.equilibrium import best_response_dynamics, scheme_from_columns
from persuasion.experiments.families import DEFAULT_NOISE, Size, generate, random_profile
from persuasion.experiments.names import GAMES, STARTS
from persuasion.model import Instance, Profile, revealing_profile, silent_profile
from persuasion.numbers import fmt
from persuasion.problem import aligned_problem, oblivious_problem
from persuasion.receiver import first_best, outcome
from persuasion.sender import best_response

__all__ = ["GAMES", "STARTS", "COLUMNS", "Settings", "Task", "run_task", "start_profile"]


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
in both games: the selection dynamics move by ``delta`` steps but judge the
profile they stop at with exact suprema, so a converged run is an exact
equilibrium there too (``delta`` records the step; 0 in the simultaneous
game).  ``start_utility`` is Alice's utility at the start profile."""


@dataclass(frozen=True)
class Settings:
    """What every task of a sweep shares (all picklable, for worker processes)."""

    games: tuple[str, ...] = ("simultaneous",)
    starts: tuple[str, ...] = ("oblivious", "silent", "random")
    max_rounds: int = 25
    order: str = "round-robin"
    eta: Fraction = Fraction(1, 1000)
    delta: Fraction = Fraction(1, 100)
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


def start_profile(instance: Instance, start: str, seed: int, eta: Fraction) -> Profile:
    """The named start profile (see :data:`STARTS`)."""
    if start == "silent":
        return silent_profile(instance)
    if start == "revealing":
        return revealing_profile(instance)
    if start == "random":
        return random_profile(instance, seed)
    if start == "oblivious":
        nb = len(instance.sender_features)
        return Profile(
            tuple(
                scheme_from_columns(
                    best_response(oblivious_problem(instance, i), eta).columns, nb, len(s.messages)
                )
                for i, s in enumerate(instance.senders)
            )
        )
    raise ValueError(f"unknown start {start!r} (choose from {', '.join(STARTS)})")


def _game(name: str):
    """``(dynamics, outcome)`` functions of the game called ``name``."""
    if name == "simultaneous":
        return best_response_dynamics, outcome
    if name == "best-ai-selection":
        from persuasion.selection import selection_dynamics, selection_outcome

        return selection_dynamics, selection_outcome
    raise ValueError(f"unknown game {name!r} (choose from {', '.join(GAMES)})")


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
    dynamics, game_outcome = _game(game)
    options = dict(
        order=s.order, seed=task.seed, max_rounds=s.max_rounds, tolerance=s.tolerance, eta=s.eta
    )
    if game == "best-ai-selection":
        options["delta"] = s.delta
    begin = start_profile(instance, start, task.seed, s.eta)
    dyn = dynamics(instance, begin, **options)
    alice = game_outcome(instance, dyn.profile).alice_utility
    aligned, eps = bench["aligned_value"], bench["epsilon"]
    bound = aligned - 2 * eps
    step = s.delta if game == "best-ai-selection" else Fraction(0)
    row = _blank(task, game, start)
    row.update(
        converged="true" if dyn.converged else "false",
        stop_reason=dyn.stop_reason,
        rounds=str(dyn.rounds),
        nash_gap=fmt(dyn.nash_gap),
        alice_utility=fmt(alice),
        start_utility=fmt(game_outcome(instance, begin).alice_utility),
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
