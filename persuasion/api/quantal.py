"""The front door for a quantal-responding Alice (Definitions 11-12): verify a profile, and
search for a quantal response equilibrium.

``verify`` and ``solve`` on an instance whose ``decision.rule`` is ``quantal`` come here
(:func:`persuasion.api.play.verify`, :func:`persuasion.api.play.solve`), in the simultaneous game:
``verify`` for any number of rounds of the straightforward conversation (Definition 10), ``solve``
for one round.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from persuasion.api.common import OptionError
from persuasion.errors import InputError, show
from persuasion.model import Instance, Profile
from persuasion.results.play import Status
from persuasion.results.quantal import QuantalEquilibrium, QuantalSolution, QuantalVerification
from persuasion.results.quantal_conversation import QuantalConversation

if TYPE_CHECKING:
    from persuasion.conversation.rules import ConversationProfile
    from persuasion.equilibrium import Step
    from persuasion.games import GameEntry
    from persuasion.results.solution import SolveParameters

GRID_WORK = 200_000
"""Default work of one sender's deviation grid (``grid points * situations * |A|``): about two
seconds a sender; at most :data:`persuasion.limits.MAX_QRE_GRID_WORK`."""


def quantal_problem(instance: Instance) -> tuple[str, str] | None:
    """``(json path, problem)`` when a quantal instance is outside what is played (the
    simultaneous game, Alice's messages her belief vectors: ``alice_messages`` 1), else None."""
    p = instance.protocol
    if p.alice_messages != 1:
        return (
            "protocol.alice_messages",
            "a quantal Alice's messages are her belief vectors (Definition 10), not an "
            "alphabet: alice_messages must be 1 (its default)",
        )
    if p.game != "simultaneous":
        return "protocol.game", "quantal response is supported in the simultaneous game only"
    return None


def _check_size(instance: Instance, source: str) -> None:
    """Refuse, before any work, a ``lambda`` beyond ``MAX_QUANTAL_EXPONENT`` or an outcome of more
    than ``MAX_QUANTAL_EXPONENTIALS``."""
    from persuasion import limits

    from persuasion.checker.quantal import spread

    exponent = instance.protocol.lam * spread(instance.alice_utility)
    if exponent > limits.MAX_QUANTAL_EXPONENT:
        raise InputError(
            source,
            f"lambda * (max u_A - min u_A) beyond MAX_QUANTAL_EXPONENT = "
            f"{limits.MAX_QUANTAL_EXPONENT}: Alice's response is her best response to within "
            "e^-65536 (Lemma 1)",
            "$.protocol.decision.lambda",
        )
    from persuasion.qre.conversation import transcript_count

    count = len(instance.prior) * len(instance.sender_features) * instance.num_actions
    count *= math.prod(len(s.messages) for s in instance.senders)
    walked = transcript_count(instance, limits.MAX_QUANTAL_EXPONENTIALS // instance.num_actions)
    if walked is None:
        raise InputError(
            source,
            f"the conversation's transcripts times actions pass MAX_QUANTAL_EXPONENTIALS = "
            f"{limits.MAX_QUANTAL_EXPONENTIALS} ({show(instance.protocol.rounds, 24)} round(s))",
            "$.protocol.rounds",
        )
    if count > limits.MAX_QUANTAL_EXPONENTIALS:
        raise InputError(
            source,
            f"{count} exponentials for the quantal outcome, beyond MAX_QUANTAL_EXPONENTIALS = "
            f"{limits.MAX_QUANTAL_EXPONENTIALS}",
        )


def verify_quantal(
    instance: Instance,
    profile: Profile | ConversationProfile,
    *,
    grid_work: int = GRID_WORK,
    source: str = "<memory>",
) -> QuantalVerification | QuantalConversation:
    """The quantal outcome of ``profile`` and, when it is checked, the QRE check.

    One round, with rules that play a one-round profile (they ignore Alice's round-1 report, or
    it is the same for all her features): the outcome and the QRE check, every sender's best
    deviation value bounded from both sides (:mod:`persuasion.qre.deviation`); ``verdict`` is
    ``"not-a-qre"`` when some deviation's lower bound beats the sender's utility (upper end) at
    the profile, else ``"qre-within-eta"`` with ``eta_bound`` an upper bound of every gain.
    Otherwise (``rounds > 1``, or rules keyed by a round-1 report that differs between Alice's
    features) the conversation with Alice's straightforward reports
    (:func:`persuasion.qre.conversation.quantal_conversation`), its QRE check not done.
    """
    from persuasion.api.conversation import checked_rules
    from persuasion.qre.conversation import one_round_profile, quantal_conversation

    problem = quantal_problem(instance)
    if problem:
        raise InputError(source, problem[1], "$." + problem[0])
    _check_size(instance, source)
    rules = checked_rules(instance, profile, source)
    one = one_round_profile(instance, rules, source) if instance.protocol.rounds == 1 else None
    if one is not None:
        return _one_round(instance, one, grid_work, source)
    return quantal_conversation(instance, rules, source)


def play_quantal(
    instance: Instance, profile: Profile | ConversationProfile, source: str = "<memory>"
) -> QuantalConversation:
    """``persuasion converse`` with a quantal Alice: the conversation with her straightforward
    reports and quantal response (:func:`persuasion.qre.conversation.quantal_conversation`), for
    any number of rounds."""
    from persuasion.api.conversation import checked_rules
    from persuasion.qre.conversation import quantal_conversation

    problem = quantal_problem(instance)
    if problem:
        raise InputError(source, problem[1], "$." + problem[0])
    _check_size(instance, source)
    return quantal_conversation(instance, checked_rules(instance, profile, source), source)


def _one_round(
    instance: Instance, profile: Profile, grid_work: int, source: str
) -> QuantalVerification:
    """The one-round outcome and QRE check (:func:`verify_quantal`)."""
    from persuasion.qre.check import qre_check
    from persuasion.qre.deviation import deviation_bounds
    from persuasion.qre.outcome import quantal_outcome

    bounds = [
        deviation_bounds(instance, profile, i, grid_work, source)
        for i in range(instance.num_senders)
    ]
    return qre_check(instance, profile, quantal_outcome(instance, profile), bounds)


def solve_quantal(
    instance: Instance,
    entry: GameEntry,
    start: Profile | str,
    parameters: SolveParameters,
    progress: Callable[[Step], None] | None,
    source: str,
    equilibrium: object = "first",
) -> QuantalSolution:
    """``persuasion solve`` on a quantal instance: OPT, the alignment error and the QRE search
    (:mod:`persuasion.qre.dynamics`) from ``start`` (``auto``: each start of
    :data:`~persuasion.starts.AUTO` in turn, keeping the first run that converges, else the best
    profile judged; one time limit for all)."""
    from persuasion.api.play import _first_best, alignment

    _check_quantal_solve(instance, entry, parameters, equilibrium, source)
    found = _search(instance, start, parameters, progress, source)
    return QuantalSolution(
        instance=instance,
        lam=instance.protocol.lam,
        first_best=_first_best(instance),
        alignment=alignment(instance),
        equilibrium=found,
        parameters=parameters,
    )


def _check_quantal_solve(
    instance: Instance, entry: GameEntry, p: SolveParameters, equilibrium: object, source: str
) -> None:
    """Refuse, in one line and before any work, a quantal instance or a solve option the QRE
    search cannot take."""
    from persuasion.games import STEP

    problem = quantal_problem(instance)
    if problem:
        raise InputError(source, problem[1], "$." + problem[0])
    if instance.protocol.rounds != 1:
        raise InputError(
            source,
            "solve with a quantal Alice searches one-round schemes: rounds must be 1 (persuasion "
            "verify plays a profile of any rounds)",
            "$.protocol.rounds",
        )
    if entry.name != "simultaneous":
        raise InputError(
            source, f"quantal response is supported in the simultaneous game only, not {entry.name}"
        )
    _check_size(instance, source)
    refused = [
        (equilibrium != "first", "equilibrium 'worst' (--equilibrium worst)"),
        (p.route != "auto", "route (--route)"),
        (p.set_search != "auto", "set_search (--set-search)"),
        (p.step != STEP, "step (--delta)"),
    ]
    for bad, option in refused:
        if bad:
            raise OptionError(
                f"{option} does not apply to a quantal-responding Alice: her solve is the QRE "
                "search over grid deviations (no exact best response, worst-equilibrium search "
                "or selection step)"
            )


def _search(
    instance: Instance,
    start: Profile | str,
    p: SolveParameters,
    progress: Callable[[Step], None] | None,
    source: str,
) -> QuantalEquilibrium:
    """The QRE search from ``start`` (a profile, a start's name or ``auto``)."""
    import random
    import time

    from persuasion.qre.dynamics import QuantalSearch, rank
    from persuasion.starts import AUTO, start_profile

    clock, began = time.monotonic, time.monotonic()
    shared: dict = {}  # the runs share their deviation bounds
    names = ["given profile"] if isinstance(start, Profile) else (
        list(AUTO) if start == "auto" else [start]
    )  # fmt: skip
    runs = []
    for name in names:
        profile = start if isinstance(start, Profile) else start_profile(instance, name)
        left = None if p.time_limit is None else max(0.0, p.time_limit - (clock() - began))
        told = None if progress is None else _told(progress, name)
        order = None if p.order == "round-robin" else random.Random(p.seed)
        search = QuantalSearch(instance, GRID_WORK, source, p.tolerance, p.eta, told, order, shared)
        dyn = search.play(profile, p.max_rounds, p.patience, (left, clock))
        found = QuantalEquilibrium(
            dyn.verification, dyn.converged, dyn.status, dyn.stop_reason, dyn.rounds, name
        )
        if dyn.converged:
            return found
        runs.append(found)
        if dyn.status == Status.TIME_LIMIT:
            break
    return min(runs, key=lambda f: rank(f.check))


def _told(progress: Callable[[Step], None], name: str) -> Callable[[Step], None]:
    """``progress`` told the start's name with every step."""
    import dataclasses

    return lambda step: progress(dataclasses.replace(step, start=name))
