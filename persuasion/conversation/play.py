"""The senders' game in a conversation: deviations, the Nash gap and best-response dynamics.

With Alice best-responding (Definition 6) the senders play a simultaneous
game over conversation rules (Definition 7).  :func:`conversation_game` makes
a compiled conversation (:mod:`persuasion.conversation.tree`) a
:class:`persuasion.equilibrium.Game`: its outcome is Alice's best response
(:mod:`persuasion.conversation.alice`), a sender's best response is the exact
optimal commitment of :mod:`persuasion.conversation.sender`.  So the one-round
machinery -- :func:`persuasion.equilibrium.deviations`,
:func:`~persuasion.equilibrium.nash_gap` and
:func:`~persuasion.equilibrium.best_response_dynamics` -- runs unchanged on
conversation profiles (:class:`~persuasion.conversation.rules.ConversationProfile`).

:func:`aligned_conversation` is Definition 8's benchmark ``U_A(C*)`` in the
conversation: the best conversation rule of one sender whose utility is
Alice's, with the largest message set, over the same rounds.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import TYPE_CHECKING

from persuasion.conversation.rules import ConversationProfile, HistoryTable, Row

if TYPE_CHECKING:
    from persuasion.conversation.sender import ConversationBestResponse
    from persuasion.conversation.tree import ConversationGame
    from persuasion.equilibrium import Deviation, Dynamics, Game
    from persuasion.games import GameEntry
    from persuasion.model import Instance

__all__ = [
    "adopt_rule",
    "aligned_conversation",
    "aligned_instance",
    "conversation_entry",
    "conversation_game",
]


def conversation_game(game: ConversationGame) -> Game:
    """The compiled conversation ``game`` as a :class:`~persuasion.equilibrium.Game`.

    Its outcome at a profile is the one Alice's best-response conversation rule
    induces; a sender's best response depends on the other senders' rules only
    (the engine reads the others' rules as chance moves); a sender moving in
    best-response dynamics adopts the engine's returned rule with every row rounded as a
    one-round scheme's are (:func:`persuasion.equilibrium.adopted_scheme`: the first
    rounding whose actual value is within ``eta`` of the supremum, else the exact rule), so
    that the denominators do not compound from round to round.
    """
    from persuasion.conversation.alice import best_conversation_rule
    from persuasion.conversation.sender import conversation_best_response
    from persuasion.equilibrium import Game

    def outcome(instance: Instance, profile: ConversationProfile):
        return best_conversation_rule(game, profile).outcome

    def respond(
        instance: Instance, profile: ConversationProfile, sender: int, eta: Fraction
    ) -> ConversationBestResponse:
        return conversation_best_response(game, profile, sender, eta)

    return Game("conversation", outcome, respond, adopt_rule)


def adopt_rule(instance: Instance, profile: ConversationProfile, dev: Deviation, eta, played):
    """The rule a sender moving in best-response dynamics adopts: the best response's rule with
    its rows rounded (:func:`persuasion.equilibrium.shortest_rule`), judged in ``played``."""
    from persuasion.equilibrium import shortest_rule

    rule = dev.best.rule
    rows = [r for e in rule for r in (_rows(e) if isinstance(e, HistoryTable) else (e,))]
    return shortest_rule(instance, profile, dev, eta, played, rule, rows)


def conversation_entry(entry: GameEntry, game: ConversationGame) -> GameEntry:
    """``entry`` (the simultaneous game) played in the compiled conversation ``game``: its
    outcome, best responses and dynamics are :func:`conversation_game`'s, so that
    :func:`persuasion.api.play.find_equilibrium` runs them from the same starts as one round.

    A one-round start profile (:mod:`persuasion.starts`) is read as rules that ignore the
    history (:meth:`ConversationProfile.from_profile`).
    """
    from persuasion.equilibrium import best_response_dynamics
    from persuasion.model import Profile

    played = conversation_game(game)

    def dynamics(
        instance: Instance, start, *, step: Fraction, responses: dict, **options
    ) -> Dynamics:
        if isinstance(start, Profile):
            start = ConversationProfile.from_profile(start)
        return best_response_dynamics(instance, start, game=played, responses=responses, **options)

    return dataclasses.replace(
        entry, outcome=played.outcome, respond=played.respond, dynamics=dynamics
    )


def _rows(table: HistoryTable) -> list[Row]:
    return [row for _, row in table.rows]


def aligned_instance(instance: Instance) -> Instance:
    """Definition 8's aligned sender alone in ``instance``'s conversation: utility Alice's,
    messages ``"0"``, ..., ``"n-1"`` with ``n`` the largest message set, heard by Alice alone."""
    from persuasion.model import Sender
    from persuasion.problem import aligned_messages

    names = tuple(str(m) for m in range(aligned_messages(instance)))
    sender = Sender("aligned", instance.alice_utility, names)
    protocol = dataclasses.replace(instance.protocol, game="simultaneous")
    return dataclasses.replace(instance, senders=(sender,), protocol=protocol)


def aligned_conversation(
    instance: Instance, eta: Fraction, source: str = "<memory>"
) -> ConversationBestResponse:
    """``U_A(C*)`` in the conversation (Definition 8): the aligned sender's best conversation
    rule (:func:`aligned_instance`), found by the same engine as every sender's."""
    from persuasion.conversation.sender import conversation_best_response
    from persuasion.conversation.tree import compile_game
    from persuasion.model import silent_profile

    alone = aligned_instance(instance)
    own = ConversationProfile.from_profile(silent_profile(alone))  # replaced by its best response
    return conversation_best_response(compile_game(alone, source), own, 0, eta)
