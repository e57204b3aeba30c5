"""Verify, best-respond and solve in a conversation (rounds > 1 or alice_messages > 1).

:func:`persuasion.verify`, :func:`persuasion.best_response` and :func:`persuasion.solve`
come here for a conversation.  The instance's conversation is compiled once
(:mod:`persuasion.conversation.tree`); Alice best-responds to the senders' rules
(Definition 6, :mod:`persuasion.conversation.alice`); a sender's best response is the exact
optimal commitment of :mod:`persuasion.conversation.sender`; deviations, the Nash gap and
best-response dynamics are the one-round ones (:mod:`persuasion.equilibrium`) over
conversation rules (:mod:`persuasion.conversation.play`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from persuasion.api.common import OptionError, check_supported
from persuasion.games import GameEntry
from persuasion.model import Instance, Profile
from persuasion.results import Deviation, Solution, SolveParameters, Status
from persuasion.results.conversation_play import (
    ConversationAligned,
    ConversationBestResponseResult,
    ConversationEquilibrium,
    ConversationVerification,
)

if TYPE_CHECKING:
    from persuasion import equilibrium
    from persuasion.conversation.rules import ConversationProfile
    from persuasion.conversation.sender import ConversationBestResponse
    from persuasion.conversation.tree import ConversationGame

__all__ = [
    "best_response_conversation",
    "played_conversation",
    "solve_conversation",
    "verify_conversation",
]


def _checked(instance: Instance, entry: GameEntry, profile: Any, source: str):
    """The compiled conversation and ``profile`` as checked conversation rules, once the
    instance is one these functions play (in the best-AI selection game the conversation is
    each sender's alone with Alice, compiled by :func:`_played`: the game is None)."""
    from persuasion.api.conversation import check_keyable_senders, checked_rules
    from persuasion.conversation.tree import compile_game

    check_supported(instance, source, conversations=True)
    check_keyable_senders(instance, source)
    game = compile_game(instance, source) if entry.selection is None else None
    return game, (None if profile is None else checked_rules(instance, profile, source))


def _played(instance: Instance, entry: GameEntry, game, source: str) -> GameEntry:
    """``entry`` played in the instance's conversation: the simultaneous game over the compiled
    ``game`` (:func:`persuasion.conversation.play.conversation_entry`), or the best-AI
    selection game over each sender's conversation alone
    (:func:`persuasion.conversation.selection.selection_conversation_entry`)."""
    if entry.selection is None:
        from persuasion.conversation.play import conversation_entry

        return conversation_entry(entry, game)
    from persuasion.conversation.selection import selection_conversation_entry

    return selection_conversation_entry(entry, instance, source)


def played_conversation(instance: Instance, source: str) -> GameEntry:
    """The instance's own game played in its compiled conversation (:func:`_played`): what
    :func:`solve_conversation`'s dynamics run."""
    from persuasion.api.common import game_of

    entry = game_of(instance, None)
    return _played(instance, entry, _checked(instance, entry, None, source)[0], source)


def refuse_options(route: str, set_search: str, worst: bool = False) -> None:
    """:class:`OptionError` for an option a conversation cannot take: the one-round engine's
    ``route`` and ``set_search`` (a conversation's best responses have one engine), and the
    worst-equilibrium search (not built for conversations)."""
    given = [
        ("--route", "route", route, route != "auto"),
        ("--set-search", "set_search", set_search, set_search != "auto"),
        ("--equilibrium", "equilibrium", "worst", worst),
    ]
    for option, name, value, bad in given:
        if bad:
            what = (
                "the worst-equilibrium search does not play conversations yet"
                if name == "equilibrium"
                else "it chooses the one-round engine; a conversation's best responses have one "
                "engine (persuasion.conversation.sender)"
            )
            raise OptionError(
                f"{option} {value} ({name}={value!r}): {what} (rounds > 1 or alice_messages > 1)"
            )


def _best(
    instance: Instance, sender: int, best: ConversationBestResponse
) -> ConversationBestResponseResult:
    s = instance.senders[sender]
    return ConversationBestResponseResult(
        sender=s.name,
        value=best.value,
        attained=best.attained,
        achieved=best.achieved,
        optimality=best.optimality,  # type: ignore[arg-type]
        rule=best.rule,
        features=instance.sender_features,
        messages=s.messages,
        alice_messages=instance.protocol.alice_messages,
    )


def _deviations(instance: Instance, devs: Sequence[equilibrium.Deviation]) -> tuple[Deviation, ...]:
    return tuple(
        Deviation(instance.senders[d.sender].name, d.value, _best(instance, d.sender, d.best))
        for d in devs
    )


def _alice(instance: Instance, game: ConversationGame | None, rules, source: str):
    """Alice's best response to ``rules`` as :func:`persuasion.converse` reports it (``game``
    None: the best-AI selection game, her choice of sender included)."""
    from persuasion.api.conversation import _selected, conversation_result
    from persuasion.conversation.alice import best_conversation_rule

    if game is None:
        return _selected(instance, rules, source)
    return conversation_result(game, rules, best_conversation_rule(game, rules))


def verify_conversation(
    instance: Instance,
    profile: Any,
    entry: GameEntry,
    eta: Fraction,
    how: tuple[str, str],
    source: str,
) -> ConversationVerification:
    """:func:`persuasion.verify` on a conversation: Alice's best-response conversation rule,
    everyone's utility, each sender's best deviation over conversation rules, the Nash gap
    (``how``: the route and set search asked for, refused unless ``"auto"``)."""
    from persuasion.equilibrium import deviations, nash_conv, nash_gap

    refuse_options(*how)
    game, rules = _checked(instance, entry, profile, source)
    devs = deviations(instance, rules, eta, _played(instance, entry, game, source).exact_game())
    return ConversationVerification(
        profile=rules,
        conversation=_alice(instance, game, rules, source),
        deviations=_deviations(instance, devs),
        nash_gap=nash_gap(devs),
        nash_conv=nash_conv(devs),
        game=entry.name,
        eta=eta,
    )


def best_response_conversation(
    instance: Instance,
    profile: Any,
    sender: int,
    entry: GameEntry,
    eta: Fraction,
    how: tuple[str, str],
    source: str,
) -> ConversationBestResponseResult:
    """:func:`persuasion.best_response` on a conversation: the sender's best conversation rule
    against the other senders' rules in ``profile`` (``how``: as :func:`verify_conversation`)."""
    refuse_options(*how)
    game, rules = _checked(instance, entry, profile, source)
    played = _played(instance, entry, game, source)
    return _best(instance, sender, played.respond(instance, rules, sender, eta))


def solve_conversation(
    instance: Instance,
    entry: GameEntry,
    start: Profile | ConversationProfile | str,
    parameters: SolveParameters,
    progress: Callable[[equilibrium.Step], None] | None,
    source: str,
    worst: bool,
) -> Solution:
    """:func:`persuasion.solve` on a conversation: the benchmarks (OPT, ``U_A(C*)`` of the
    aligned sender's best conversation rule, eps), best-response dynamics over conversation
    rules from the one-round starts (rules that ignore the history) or a given profile, the
    profile they reach judged exactly, and Theorem 1's bound."""
    from persuasion.api.play import _bound, _first_best, alignment, find_equilibrium

    refuse_options(parameters.route, parameters.set_search, worst)
    game, rules = _checked(instance, entry, None if isinstance(start, str) else start, source)
    p = parameters
    options = dict(order=p.order, seed=p.seed, max_rounds=p.max_rounds, tolerance=p.tolerance)
    options.update(eta=p.eta, time_limit=p.time_limit, patience=p.patience)
    aligns = alignment(instance)
    aligned = _aligned(instance, p.eta, source)
    played = _played(instance, entry, game, source)
    dyn, name = find_equilibrium(
        instance, start if rules is None else rules, game=played, progress=progress, **options
    )
    found = ConversationEquilibrium(
        profile=dyn.profile,
        conversation=_alice(instance, game, dyn.profile, source),
        deviations=_deviations(instance, dyn.deviations),
        nash_gap=dyn.nash_gap,
        converged=dyn.converged,
        status=Status(dyn.status),
        stop_reason=dyn.stop_reason,
        rounds=dyn.rounds,
        start=name,
    )
    return Solution(
        instance=instance,
        game=entry.name,
        first_best=_first_best(instance),
        aligned=aligned,
        alignment=aligns,
        equilibrium=found,
        bound=_bound(entry, aligned.value, aligns.nonnegative.epsilon, found),
        parameters=p,
    )


def _aligned(instance: Instance, eta: Fraction, source: str) -> ConversationAligned:
    """Definition 8's ``U_A(C*)`` in the conversation, with the aligned sender's rule."""
    from persuasion.conversation.play import aligned_conversation
    from persuasion.problem import aligned_messages

    best = aligned_conversation(instance, eta, source)
    return ConversationAligned(
        value=best.value,
        messages=aligned_messages(instance),
        attained=best.attained,
        optimality=best.optimality,  # type: ignore[arg-type]
        scheme=best.rule,  # type: ignore[arg-type]
        features=instance.sender_features,
        alice_messages=instance.protocol.alice_messages,
    )
