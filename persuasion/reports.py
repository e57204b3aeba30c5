"""The results of ``persuasion solve`` and ``persuasion verify`` as JSON-ready dicts.

Every exact number is a ``"p/q"`` string (:func:`persuasion.numbers.fmt`);
the keys are those of SPEC section 4 and a few more.  The command line prints
these dicts with ``--json`` and renders them as tables otherwise.
"""

from __future__ import annotations

import dataclasses
import time
from fractions import Fraction
from typing import Any
from collections.abc import Callable

from persuasion import cells
from persuasion.alignment import Alignment, weighted_alignment
from persuasion.equilibrium import (
    SIMULTANEOUS,
    Deviation,
    Dynamics,
    Game,
    Step,
    best_response_dynamics,
    best_scheme,
    deviations,
    nash_conv,
    nash_gap,
    oblivious_profile,
    scheme_from_columns,
)
from persuasion.errors import InputError
from persuasion.limits import SOLVE_PATIENCE, SOLVE_TIME_LIMIT
from persuasion.model import Instance, Profile, revealing_profile, silent_profile
from persuasion.numbers import fmt
from persuasion.problem import aligned_messages, aligned_problem
from persuasion.profile import dump_profile, dump_scheme
from persuasion.receiver import first_best
from persuasion.selection import DELTA, EXACT, alice_values, selected, selection_dynamics
from persuasion.sender import BestResponse, best_response


def unsupported(instance: Instance) -> tuple[str, str] | None:
    """``(json path, problem)`` for a protocol this version cannot play yet, or None."""
    p = instance.protocol
    problems = [
        (
            p.rounds != 1,
            "protocol.rounds",
            "multi-round conversations are not supported yet (rounds must be 1)",
        ),
        (
            p.alice_messages != 1,
            "protocol.alice_messages",
            "Alice's messages are not supported yet (alice_messages must be 1)",
        ),
        (
            p.decision != "best-response",
            "protocol.decision",
            "the quantal decision rule is not supported yet",
        ),
    ]
    return next(((path, problem) for bad, path, problem in problems if bad), None)


def check_supported(instance: Instance, source: str = "<memory>") -> None:
    """Refuse, in one line naming the file, a protocol this version cannot solve yet."""
    problem = unsupported(instance)
    if problem:
        raise InputError(source, problem[1], "$." + problem[0])


def alignment_json(alignment: Alignment) -> dict:
    return {
        "epsilon": fmt(alignment.epsilon),
        "weights": [fmt(w) for w in alignment.weights],
        "offset": fmt(alignment.offset),
    }


def _best_json(best: BestResponse) -> dict:
    return {
        "best_value": fmt(best.value),
        "attained": best.attained,
        "achieved": fmt(best.achieved),
        "shortfall": fmt(best.shortfall),
        "route": best.route,
        "method": best.method,
        "optimality": best.optimality,
        "messages_used": len(best.columns),
    }


def deviation_json(instance: Instance, dev: Deviation) -> dict:
    """A sender's current value, supremum of deviations, gain and the returned scheme."""
    sender = instance.senders[dev.sender]
    return {
        "sender": sender.name,
        "value": fmt(dev.value),
        **_best_json(dev.best),
        "gain": fmt(dev.gain),
        "scheme": dump_scheme(
            instance.sender_features, sender.messages, best_scheme(instance, dev.sender, dev.best)
        ),
    }


def exact_game(instance: Instance) -> Game:
    """The instance's game with exact best responses (Sections B-C, or E)."""
    return EXACT if instance.protocol.game == "best-ai-selection" else SIMULTANEOUS


def _utilities(instance: Instance, profile: Profile) -> dict:
    game = exact_game(instance)
    result = game.outcome(instance, profile)
    selection = {}
    if game is EXACT:
        values = alice_values(instance, profile)
        selection = {
            "selection": {
                "alice_values": [fmt(v) for v in values],
                "selected": instance.senders[selected(values)].name,
            }
        }
    return {
        **selection,
        "alice_utility": fmt(result.alice_utility),
        "sender_utilities": [fmt(u) for u in result.sender_utilities],
        "outcome": {
            "actions": list(instance.actions),
            "states": list(instance.states),
            "joint": [[fmt(p) for p in row] for row in result.joint],
        },
    }


def verify_report(
    instance: Instance,
    profile: Profile,
    *,
    eta: Fraction = Fraction(1, 1000),
    source: str = "<memory>",
) -> dict[str, Any]:
    """Alice's response to ``profile``, everyone's utility, every best deviation and the Nash gap."""
    check_supported(instance, source)
    devs = deviations(instance, profile, eta, exact_game(instance))
    gap = nash_gap(devs)
    return {
        "instance": instance.name,
        **_utilities(instance, profile),
        "deviations": [deviation_json(instance, d) for d in devs],
        "nash_gap": fmt(gap),
        "nash_conv": fmt(nash_conv(devs)),
        "is_equilibrium": gap == 0,
    }


def aligned_json(instance: Instance, eta: Fraction) -> tuple[Fraction, dict]:
    """Definition 8's benchmark ``U_A(C*)`` and the aligned sender's optimal scheme."""
    best = best_response(aligned_problem(instance), eta)
    n = aligned_messages(instance)
    messages = tuple(str(m) for m in range(n))
    scheme = scheme_from_columns(best.columns, len(instance.sender_features), n)
    return best.value, {
        "value": fmt(best.value),
        "messages": n,
        "attained": best.attained,
        "optimality": best.optimality,
        "scheme": dump_scheme(instance.sender_features, messages, scheme),
    }


STARTS = {"revealing": revealing_profile, "silent": silent_profile, "oblivious": oblivious_profile}
"""Named start profiles for best-response dynamics; ``auto`` tries them in this order."""


def find_equilibrium(instance: Instance, start: Profile | str, **options) -> tuple[Dynamics, str]:
    """Best-response dynamics from ``start``: a profile, a name of :data:`STARTS`, or ``"auto"``.

    ``auto`` runs from every named start in turn and keeps the first run that
    converges, else the one that stopped with the smallest Nash gap.  The
    best-AI selection game uses :func:`persuasion.selection.selection_dynamics`
    with the improvement step ``delta`` (an option).  ``time_limit`` (seconds
    of ``clock``) bounds all the runs together: a run stopped by it is the last
    one tried.  ``progress`` receives every :class:`~persuasion.equilibrium.Step`,
    with the start's name.  The runs of the simultaneous game share their
    best responses (a sender's best response to the same schemes of the
    others is computed once).
    """
    delta = options.pop("delta", DELTA)
    time_limit = options.pop("time_limit", None)
    clock = options.setdefault("clock", time.monotonic)
    progress = options.pop("progress", None)
    began = clock()
    responses: dict = {}

    def dynamics(profile: Profile, name: str) -> Dynamics:
        left = None if time_limit is None else max(0.0, time_limit - (clock() - began))
        step = (
            None if progress is None else (lambda s: progress(dataclasses.replace(s, start=name)))
        )
        if instance.protocol.game == "best-ai-selection":
            return selection_dynamics(
                instance, profile, delta=delta, time_limit=left, progress=step, **options
            )
        return best_response_dynamics(
            instance, profile, time_limit=left, progress=step, responses=responses, **options
        )

    with cells.remembering():  # the best responses ask many of the same small questions
        if isinstance(start, Profile):
            return dynamics(start, "given profile"), "given profile"
        names = list(STARTS) if start == "auto" else [start]
        runs = []
        for name in names:
            dyn = dynamics(STARTS[name](instance), name)
            if dyn.converged:
                return dyn, name
            runs.append((dyn.nash_gap, len(runs), dyn, name))
            if dyn.status == "time-limit":
                break
    _, _, dyn, name = min(runs)
    return dyn, name


def solve_report(
    instance: Instance,
    *,
    order: str = "round-robin",
    seed: int = 0,
    start: Profile | str = "auto",
    max_rounds: int = 50,
    tolerance: Fraction = Fraction(0),
    eta: Fraction = Fraction(1, 1000),
    delta: Fraction = DELTA,
    time_limit: float | None = SOLVE_TIME_LIMIT,
    patience: int | None = SOLVE_PATIENCE,
    progress: Callable[[Step], None] | None = None,
    source: str = "<memory>",
) -> dict[str, Any]:
    """Benchmarks (OPT, U_A(C*), epsilon), an equilibrium by best-response dynamics, and the bound.

    The bound is ``U_A(C*) - 2 epsilon`` with the non-negative epsilon
    (Remark 2), which Theorem 1 (simultaneous game) and Theorem 6 (best-AI
    selection) allow; ``holds`` compares it with Alice's utility in the
    profile found.  Both theorems speak of exact equilibria, so a profile
    with a positive Nash gap is reported as such.  ``time_limit`` bounds the
    dynamics (:data:`persuasion.limits.SOLVE_TIME_LIMIT` seconds by default,
    None for no limit), ``patience`` stops dynamics of which that many rounds
    in a row each lower the smallest gap by ``eta`` at most (:data:`persuasion.limits.SOLVE_PATIENCE` by default,
    None: never); ``progress`` is told of every best response they
    compute (:class:`persuasion.equilibrium.Step`).
    """
    check_supported(instance, source)
    simplex = weighted_alignment(instance, simplex=True)
    nonnegative = weighted_alignment(instance, simplex=False)
    aligned_value, aligned = aligned_json(instance, eta)
    dyn, start_name = find_equilibrium(
        instance,
        start,
        order=order,
        seed=seed,
        max_rounds=max_rounds,
        tolerance=tolerance,
        eta=eta,
        delta=delta,
        time_limit=time_limit,
        patience=patience,
        progress=progress,
    )
    utilities = _utilities(instance, dyn.profile)
    alice = exact_game(instance).outcome(instance, dyn.profile).alice_utility
    bound = aligned_value - 2 * nonnegative.epsilon
    return {
        "instance": instance.name,
        "first_best": fmt(first_best(instance)),
        "aligned_value": fmt(aligned_value),
        "aligned": aligned,
        "alignment": {**alignment_json(simplex), "nonnegative": alignment_json(nonnegative)},
        "equilibrium": {
            "profile": dump_profile(dyn.profile, instance),
            **utilities,
            "nash_gap": fmt(dyn.nash_gap),
            "converged": dyn.converged,
            "status": dyn.status,
            "stop_reason": dyn.stop_reason,
            "rounds": dyn.rounds,
            "start": start_name,
            "deviations": [deviation_json(instance, d) for d in dyn.deviations],
        },
        "bound": {
            "value": fmt(bound),
            "epsilon": fmt(nonnegative.epsilon),
            "holds": alice >= bound,
            "exact_equilibrium": dyn.nash_gap == 0,
            "theorem": "Theorem 6 (Section E.2)"
            if instance.protocol.game == "best-ai-selection"
            else "Theorem 1 (Section C.2)",
        },
    }
