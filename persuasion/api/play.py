"""Solve an instance, verify a profile, a sender's best response, the alignment error."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from persuasion.api.checks import (
    checked_instance,
    checked_profile,
    integer,
    one_of,
    rational,
    seconds,
)
from persuasion.api.common import ETA, MEMORY, check_supported, engine, game_of, is_conversation
from persuasion.api.quantal import verify_quantal
from persuasion.games import STEP
from persuasion.games import GameEntry
from persuasion.limits import SOLVE_PATIENCE, SOLVE_TIME_LIMIT
from persuasion.model import Instance, Profile
from persuasion.results import (
    AlignedSender,
    AlignmentResult,
    BestResponseResult,
    Bound,
    Deviation,
    Equilibrium,
    Selection,
    Solution,
    SolveParameters,
    Status,
    Verification,
)
from persuasion.results.quantal import QuantalSolution, QuantalVerification
from persuasion.results.quantal_conversation import QuantalConversation
from persuasion.starts import AUTO, STARTS, start_profile

if TYPE_CHECKING:
    from persuasion import equilibrium
    from persuasion.conversation.rules import ConversationProfile
    from persuasion.results.conversation_play import (
        ConversationBestResponseResult,
        ConversationEquilibrium,
        ConversationVerification,
    )
    from persuasion.api.worst import SearchBudget
    from persuasion.sender import BestResponse

# ---------------------------------------------------------------- typed pieces


def _sender_index(instance: Instance, sender: int | str) -> int:
    names = [s.name for s in instance.senders]
    if isinstance(sender, str):
        if sender not in names:
            raise ValueError(f"no sender {sender!r} (the senders are {', '.join(names)})")
        return names.index(sender)
    if isinstance(sender, bool) or type(sender) is not int:
        raise TypeError(f"a sender is a name or an index, not {sender!r}")
    if not 0 <= sender < len(names):
        raise ValueError(f"no sender {sender} (the senders are 0 to {len(names) - 1})")
    return sender


def _best(instance: Instance, sender: int, best: BestResponse) -> BestResponseResult:
    from persuasion.equilibrium import best_scheme

    return BestResponseResult(
        sender=instance.senders[sender].name,
        value=best.value,
        attained=best.attained,
        achieved=best.achieved,
        route=best.route,
        method=best.method,
        optimality=best.optimality,
        scheme=best_scheme(instance, sender, best),
        messages_used=len(best.columns),
        features=instance.sender_features,
        messages=instance.senders[sender].messages,
    )


def _deviations(instance: Instance, devs: Sequence[equilibrium.Deviation]) -> tuple[Deviation, ...]:
    return tuple(
        Deviation(instance.senders[d.sender].name, d.value, _best(instance, d.sender, d.best))
        for d in devs
    )


def _play(instance: Instance, entry: GameEntry, profile: Profile) -> dict[str, Any]:
    """The fields every result about a profile shares: the outcome, and Alice's choice of sender."""
    from persuasion.decision import decision_rule

    result = entry.outcome(instance, profile)
    selection = None
    heard = tuple(range(instance.num_senders))
    if entry.selection is not None:
        values, chosen = entry.selection(instance, profile)
        selection = Selection(tuple(values), instance.senders[chosen].name)
        heard = (chosen,)
    return {
        "instance": instance,
        "profile": profile,
        "alice_utility": result.alice_utility,
        "sender_utilities": tuple(result.sender_utilities),
        "joint": tuple(tuple(row) for row in result.joint),
        "selection": selection,
        "decision_rule": decision_rule(instance, profile, heard),
    }


# ---------------------------------------------------------------- benchmarks


def alignment(instance: Instance) -> AlignmentResult:
    """The alignment error of Definition 1, with Remark 2's non-negative variant.

    Parameters
    ----------
    instance : Instance
        The instance.

    Returns
    -------
    AlignmentResult
        The least ``epsilon`` with weights in the simplex, optimal weights and
        offset; ``nonnegative`` the same with any non-negative weights.
    """
    from persuasion.weighted_alignment import weighted_alignment

    checked_instance(instance, MEMORY)

    def typed(found, nonnegative: AlignmentResult | None = None) -> AlignmentResult:
        return AlignmentResult(found.epsilon, found.weights, found.offset, nonnegative)

    nonnegative = typed(weighted_alignment(instance, simplex=False))
    return typed(weighted_alignment(instance, simplex=True), nonnegative)


def _aligned(instance: Instance, eta: Fraction) -> AlignedSender:
    """Definition 8's benchmark ``U_A(C*)`` and the aligned sender's optimal scheme."""
    from persuasion.equilibrium import scheme_from_columns
    from persuasion.problem import aligned_messages, aligned_problem
    from persuasion.sender import best_response as respond

    best = respond(aligned_problem(instance), eta)
    n = aligned_messages(instance)
    scheme = scheme_from_columns(best.columns, len(instance.sender_features), n)
    return AlignedSender(
        best.value, n, best.attained, best.optimality, scheme, instance.sender_features
    )


# ---------------------------------------------------------------- equilibria


def find_equilibrium(
    instance: Instance,
    start: Profile | str,
    *,
    game: str | GameEntry | None = None,
    **options: Any,
) -> tuple[equilibrium.Dynamics, str]:
    """Best-response dynamics from ``start``: a profile, a name of :data:`persuasion.starts.AUTO`,
    or ``"auto"``; returns the dynamics and the name of the start they ran from.

    ``auto`` runs from every start of :data:`~persuasion.starts.AUTO` in turn
    and keeps the first run that converges, else the one that stopped with the
    smallest Nash gap.  The game's own dynamics run (:attr:`GameEntry.dynamics
    <persuasion.GameEntry.dynamics>`), with the improvement ``step`` (an
    option) for a game that takes one.  ``time_limit`` (seconds of ``clock``)
    bounds all the runs together: a run stopped by it is the last one tried.
    ``progress`` receives every :class:`~persuasion.equilibrium.Step`, with the
    start's name.  The runs share their best responses (a sender's best
    response to the same schemes of the others is computed once).  The other
    ``options`` are those of :func:`persuasion.equilibrium.best_response_dynamics`.
    """
    from persuasion import cells

    entry = game if isinstance(game, GameEntry) else game_of(instance, game)
    run = _runner(instance, entry, options)
    with cells.remembering():  # the best responses ask many of the same small questions
        if not isinstance(start, str):  # a Profile (in a conversation, a ConversationProfile)
            return run(start, "given profile"), "given profile"
        names = list(AUTO) if start == "auto" else [start]
        runs = []
        for name in names:
            dyn = run(start_profile(instance, name), name)
            if dyn.converged:
                return dyn, name
            runs.append((dyn.nash_gap, len(runs), dyn, name))
            if dyn.status == Status.TIME_LIMIT:
                break
    _, _, dyn, name = min(runs)
    return dyn, name


def _runner(
    instance: Instance, entry: GameEntry, options: dict[str, Any]
) -> Callable[[Profile, str], equilibrium.Dynamics]:
    """``run(profile, start)``: the game's dynamics from ``profile``; one time limit for all."""
    import dataclasses

    step = options.pop("step", STEP)
    time_limit = options.pop("time_limit", None)
    clock = options.setdefault("clock", time.monotonic)
    progress = options.pop("progress", None)
    began = clock()
    responses: dict = {}

    def run(profile: Profile, name: str) -> equilibrium.Dynamics:
        left = None if time_limit is None else max(0.0, time_limit - (clock() - began))
        told = (
            None if progress is None else (lambda s: progress(dataclasses.replace(s, start=name)))
        )
        return entry.dynamics(
            instance,
            profile,
            step=step,
            responses=responses,
            time_limit=left,
            progress=told,
            **options,
        )

    return run


def solve(
    instance: Instance,
    *,
    game: str | None = None,
    start: Profile | str = "auto",
    order: Literal["round-robin", "random"] = "round-robin",
    seed: int = 0,
    max_rounds: int = 50,
    tolerance: Fraction = Fraction(0),
    eta: Fraction = ETA,
    step: Fraction = STEP,
    time_limit: float | None = SOLVE_TIME_LIMIT,
    patience: int | None = SOLVE_PATIENCE,
    route: str = "auto",
    set_search: str = "auto",
    progress: Callable[[equilibrium.Step], None] | None = None,
    source: str = MEMORY,
    equilibrium: Literal["first", "worst"] | SearchBudget = "first",
) -> Solution | QuantalSolution:
    """Benchmarks, an equilibrium found by best-response dynamics, and the theorem's bound: OPT
    (Definition 2), ``U_A(C*)`` (Definition 8), the alignment error (Definition 1, Remark 2), a Nash
    equilibrium, and the bound ``U_A(C*) - 2 eps`` of Theorem 1 (6 for best-AI selection).

    Parameters
    ----------
    instance : Instance
        The instance to solve.
    game : str, optional
        A name of :data:`persuasion.games.GAMES`; by default ``protocol.game``.
    start : Profile or str
        A profile, ``"auto"`` or a name of :data:`persuasion.starts.STARTS` (random: ``seed``).
    order, seed, max_rounds, tolerance, eta, step, time_limit, patience, route, set_search
        How the dynamics run and the best responses are found (:class:`SolveParameters`).
    progress : callable, optional
        Called with every :class:`~persuasion.equilibrium.Step` of the dynamics.
    source : str
        How errors name the instance (its file).
    equilibrium : {"first", "worst"} or SearchBudget
        ``"worst"`` (or a budget): :attr:`Solution.equilibria` lists the equilibria met.

    Returns
    -------
    Solution or QuantalSolution
        The latter for a quantal Alice (:func:`~persuasion.api.quantal.solve_quantal`, which
        raises :class:`OptionError` for an option she cannot take, e.g. ``route``).

    Raises
    ------
    InputError
        For an instance or profile a file could not hold, or a protocol not playable yet.
    ValueError
        For an unknown name (game, start, ...), an option out of range, or a bad budget.
    TimeLimitTooShort
        If the time limit passes before any profile could be judged exactly.
    """
    named = _checked_start(instance, start, source)
    parameters = _parameters(order, seed, named, max_rounds, tolerance, eta, step, time_limit,
                             patience, route, set_search)  # fmt: skip
    return _solve(instance, game_of(instance, game), start, parameters, progress, source,
                  equilibrium)  # fmt: skip


def budget_of(equilibrium: str | SearchBudget, worst: SearchBudget) -> SearchBudget | None:
    """The worst-equilibrium search's budget (``"worst"``: ``worst``), or None for ``"first"``;
    ValueError for anything else or a bad budget."""
    from persuasion.api.worst import SearchBudget

    if isinstance(equilibrium, SearchBudget):
        equilibrium.grid()  # refuse a bad budget before anything is computed
        return equilibrium
    if equilibrium not in ("first", "worst"):
        raise ValueError(f"unknown equilibrium {equilibrium!r} (choose from first, worst)")
    return None if equilibrium == "first" else worst


def _checked_start(instance: Instance, start: Any, source: str) -> str:
    """The name of ``start`` (``"given profile"`` for a profile), once the instance and the
    start are ones the command line would take (a conversation's profile is checked with its
    rules: :func:`persuasion.api.conversation_play.solve_conversation`)."""
    checked_instance(instance, source)
    if isinstance(start, str):
        return one_of("start", start, ("auto", *STARTS))
    if not is_conversation(instance):
        checked_profile(instance, start, source)
    return "given profile"


def _parameters(
    order: Any, seed: Any, start: str, max_rounds: Any, tolerance: Any, eta: Any, step: Any,
    time_limit: Any, patience: Any, route: str, set_search: str,
) -> SolveParameters:  # fmt: skip
    """A solve's parameters, each checked as the command line checks its option."""
    zero = Fraction(0)
    return SolveParameters(
        one_of("order", order, ("round-robin", "random")),
        integer("seed", seed, 0),
        start,
        integer("max_rounds", max_rounds, 1),
        rational("tolerance", tolerance, zero, strict=False),
        rational("eta", eta, zero, strict=True),
        rational("step", step, zero, strict=True),
        seconds("time_limit", time_limit),
        None if patience is None else integer("patience", patience, 1),
        route,
        set_search,
    )


def _solve(
    instance: Instance,
    entry: GameEntry,
    start: Profile | str,
    parameters: SolveParameters,
    progress: Callable[[equilibrium.Step], None] | None,
    source: str,
    equilibrium: str | SearchBudget = "first",
) -> Solution | QuantalSolution:
    from persuasion.api.worst import SearchBudget

    if instance.protocol.decision == "quantal":  # the QRE search (Definition 12)
        from persuasion.api.quantal import solve_quantal

        return solve_quantal(instance, entry, start, parameters, progress, source, equilibrium)
    budget = budget_of(equilibrium, SearchBudget(time_limit=parameters.time_limit))
    if is_conversation(instance):
        from persuasion.api.conversation_play import solve_conversation

        worst = budget is not None
        return solve_conversation(instance, entry, start, parameters, progress, source, worst)
    check_supported(instance, source)
    p = parameters
    options = dict(order=p.order, seed=p.seed, max_rounds=p.max_rounds, tolerance=p.tolerance)
    options.update(eta=p.eta, step=p.step, time_limit=p.time_limit, patience=p.patience)
    with engine(p.route, p.set_search):
        aligns = alignment(instance)
        aligned = _aligned(instance, p.eta)
        dyn, start_name = find_equilibrium(
            instance, start, game=entry, progress=progress, **options
        )
        found = _equilibrium(instance, entry, dyn, start_name)
    bound = _bound(entry, aligned.value, aligns.nonnegative.epsilon, found)
    searched = None
    if budget is not None:
        from persuasion.api.worst import search

        del options["tolerance"], options["time_limit"]
        known = (found.profile, start_name) if found.nash_gap == 0 else None
        searched = search(
            instance, entry, bound.value, budget, options, (p.route, p.set_search), progress,
            source, known,
        )  # fmt: skip
    return Solution(
        instance=instance,
        game=entry.name,
        first_best=_first_best(instance),
        aligned=aligned,
        alignment=aligns,
        equilibrium=found,
        bound=bound,
        parameters=parameters,
        equilibria=searched,
    )


def _first_best(instance: Instance) -> Fraction:
    from persuasion.receiver import first_best

    return first_best(instance)


def _equilibrium(
    instance: Instance, entry: GameEntry, dyn: equilibrium.Dynamics, start: str
) -> Equilibrium:
    return Equilibrium(
        **_play(instance, entry, dyn.profile),
        deviations=_deviations(instance, dyn.deviations),
        nash_gap=dyn.nash_gap,
        converged=dyn.converged,
        status=Status(dyn.status),
        stop_reason=dyn.stop_reason,
        rounds=dyn.rounds,
        start=start,
    )


def _bound(
    entry: GameEntry,
    aligned_value: Fraction,
    epsilon: Fraction,
    found: Equilibrium | ConversationEquilibrium,
) -> Bound:
    value = entry.bound(aligned_value, epsilon)
    return Bound(
        value=value,
        epsilon=epsilon,
        holds=found.alice_utility >= value,
        exact_equilibrium=found.nash_gap == 0 and not getattr(found, "undecided", ()),
        theorem=entry.theorem,
        formula=entry.formula,
    )


def verify(
    instance: Instance,
    profile: Profile | ConversationProfile,
    *,
    game: str | None = None,
    eta: Fraction = ETA,
    route: str = "auto",
    set_search: str = "auto",
    source: str = MEMORY,
) -> Verification | QuantalVerification | QuantalConversation | ConversationVerification:
    """Check a profile exactly: Alice's response, every utility, best deviations, the Nash gap
    (a quantal Alice: her QRE check or play, :func:`~persuasion.api.quantal.verify_quantal`; in a
    conversation with Alice best-responding, over conversation rules:
    :func:`persuasion.api.conversation_play.verify_conversation`).

    Parameters
    ----------
    instance : Instance
        The instance played.
    profile : Profile or ConversationProfile
        One scheme per sender (:func:`load_profile`, or built in code); in a conversation
        (``rounds > 1`` or ``alice_messages > 1``, or a quantal Alice) also rules keyed by
        history (:func:`load_conversation_profile`).
    game : str, optional
        A name of :data:`persuasion.games.GAMES`; by default the instance's own.
    eta : Fraction
        A reported best-response scheme comes within ``eta`` of an unattained supremum.
    route, set_search : str
        How every best response finds its supremum (one round only: a conversation refuses
        any but ``"auto"`` with :class:`OptionError`).
    source : str
        How errors name the instance (its file).

    Returns
    -------
    Verification, QuantalVerification, QuantalConversation or ConversationVerification

    Raises
    ------
    InputError
        For an instance or profile a file could not hold, or a protocol not playable yet.
    ValueError
        For an unknown game, route or set search, or an eta that is not > 0.
    """
    checked_instance(instance, source)
    eta = rational("eta", eta, Fraction(0), strict=True)
    entry = game_of(instance, game)
    if instance.protocol.decision == "quantal":  # checks the profile or conversation rules
        return verify_quantal(instance, profile, source=source)
    if is_conversation(instance):
        from persuasion.api.conversation_play import verify_conversation

        return verify_conversation(instance, profile, entry, eta, (route, set_search), source)
    checked_profile(instance, profile, source)
    check_supported(instance, source)
    return _verify(instance, entry, profile, eta, (route, set_search))


def _verify(
    instance: Instance, entry: GameEntry, profile: Profile, eta: Fraction, how: tuple[str, str]
) -> Verification:
    """:func:`verify` in one round, Alice best-responding (``how``: route and set search)."""
    from persuasion.equilibrium import deviations, nash_conv, nash_gap

    with engine(*how):
        devs = deviations(instance, profile, eta, entry.exact_game())
        play = _play(instance, entry, profile)
    return Verification(
        **play,
        deviations=_deviations(instance, devs),
        nash_gap=nash_gap(devs),
        nash_conv=nash_conv(devs),
        game=entry.name,
        eta=eta,
    )


def best_response(
    instance: Instance,
    profile: Profile | ConversationProfile,
    sender: int | str,
    *,
    game: str | None = None,
    eta: Fraction = ETA,
    route: str = "auto",
    set_search: str = "auto",
    source: str = MEMORY,
) -> BestResponseResult | ConversationBestResponseResult:
    """A sender's exact best response to the other senders' schemes in ``profile`` (in a
    conversation, their best conversation rule to the others' rules:
    :func:`persuasion.api.conversation_play.best_response_conversation`).

    Parameters
    ----------
    instance : Instance
        The instance played.
    profile : Profile or ConversationProfile
        The schemes of the other senders (the sender's own is ignored); in a conversation also
        rules keyed by history.
    sender : int or str
        The sender: an index or a name.
    game : str, optional
        A name of :data:`persuasion.games.GAMES`; by default the instance's own.
    eta : Fraction
        The scheme returned comes within ``eta`` of an unattained supremum.
    route, set_search : str
        How the best response finds its supremum (one round only).
    source : str
        How errors name the instance (its file).

    Returns
    -------
    BestResponseResult or ConversationBestResponseResult

    Raises
    ------
    ValueError
        For an unknown sender, game, route or set search.
    """
    checked_instance(instance, source)
    eta = rational("eta", eta, Fraction(0), strict=True)
    entry = game_of(instance, game)
    index = _sender_index(instance, sender)
    if is_conversation(instance):
        from persuasion.api.conversation_play import best_response_conversation

        how = (route, set_search)
        return best_response_conversation(instance, profile, index, entry, eta, how, source)
    checked_profile(instance, profile, source)
    with engine(route, set_search):
        best = entry.respond(instance, profile, index, eta)
    return _best(instance, index, best)
