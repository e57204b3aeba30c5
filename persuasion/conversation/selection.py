"""The best-AI selection game in a conversation (Section E, Definition 16, over Algorithm 1).

Alice converses with each sender *alone* (her best-response conversation rule,
Definition 6), which is worth ``U_A(C_j)`` to her; she converses only with the
sender worth most (lowest index on ties), and everyone is paid by that
conversation.

A sender's exact best response is the better of the one-round game's two
options (:mod:`persuasion.selection`, docs/explanation/selection.md):

(a) not being selected -- the outcome of the best rival ``j'``'s conversation --
    possible when some rule is worth less to Alice than ``M = U_A(C_j')`` (or
    equal, if ``j'`` wins ties), the silent rule being the least valuable
    (Alice can always ignore what she hears);
(b) being selected -- the sender's best conversation rule alone with Alice
    (:mod:`persuasion.conversation.sender`) with Alice's value, linear in the
    sender's plan under each plan of hers, held at least ``M`` (more than ``M``
    when ``j'`` wins ties): one more row in each of the engine's programs
    (:class:`~persuasion.conversation.sequences.AliceFloor`).  The search starts
    from the rule worth most to Alice (Definition 8's aligned sender with this
    sender's messages), which meets the floor whenever any rule does.

With an improvement ``step`` (best-response dynamics), "more than ``M``" is
"at least ``M + step``", as in one round.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from persuasion.conversation.alice import AliceResponse, best_conversation_rule
from persuasion.conversation.rules import ConversationProfile
from persuasion.conversation.sender import ConversationBestResponse, conversation_best_response
from persuasion.conversation.sequences import AliceFloor
from persuasion.conversation.tree import ConversationGame, compile_game
from persuasion.equilibrium import Game
from persuasion.games import GameEntry
from persuasion.model import Instance, silent_scheme
from persuasion.receiver import Outcome, outcome_from_joint
from persuasion.selection import selected

__all__ = [
    "alone_games",
    "alone_responses",
    "selection_conversation_best_response",
    "selection_conversation_entry",
    "selection_conversation_game",
    "selection_conversation_outcome",
]

_RANK = {"incomplete": 0, "milp-solver": 1, "exact": 2}


def alone_games(instance: Instance, source: str = "<memory>") -> tuple[ConversationGame, ...]:
    """Every sender's conversation alone with Alice, compiled (sizes checked, ``source`` naming
    the instance in errors)."""
    return tuple(
        compile_game(dataclasses.replace(instance, senders=(sender,)), source)
        for sender in instance.senders
    )


def alone_responses(
    games: tuple[ConversationGame, ...], rules: ConversationProfile
) -> list[AliceResponse]:
    """Alice's best-response conversation with each sender alone; its ``value`` is
    ``U_A(C_j)``."""
    return [
        best_conversation_rule(game, ConversationProfile((rule,)))
        for game, rule in zip(games, rules.rules, strict=True)
    ]


def selection_conversation_outcome(
    instance: Instance, games: tuple[ConversationGame, ...], rules: ConversationProfile
) -> Outcome:
    """Everyone's utility from the conversation Alice selects (Definition 16, step 4)."""
    alone = alone_responses(games, rules)
    j = selected([response.value for response in alone])
    return outcome_from_joint(instance, alone[j].outcome.joint)


def _silent(instance: Instance, sender: int) -> tuple:
    """The rule that always sends the first message: worth least to Alice."""
    return silent_scheme(len(instance.sender_features), len(instance.senders[sender].messages))


def _left_out(instance, games, sender, rival: AliceResponse, loses_ties):
    """Option (a): the sender not selected, paid by the conversation ``rival`` with the best
    rival (None when every rule of the sender's is selected)."""
    top = rival.value
    silent = _silent(instance, sender)
    floor = best_conversation_rule(games[sender], ConversationProfile((silent,))).value
    if not (floor < top or (floor == top and loses_ties)):
        return None
    paid = outcome_from_joint(instance, rival.outcome.joint).sender_utilities[sender]
    return ConversationBestResponse(paid, True, silent, paid, "exact")


def _chosen(instance, games, rules, sender, floor: AliceFloor, eta):
    """Option (b): the sender's best rule alone with Alice among those that meet ``floor``
    (None when none does, judged by the rule worth most to Alice), and that judgement's
    optimality."""
    from persuasion.conversation.play import aligned_conversation

    alone = dataclasses.replace(instance, senders=(instance.senders[sender],))
    best_for_alice = aligned_conversation(alone, eta)
    if not floor.admits(best_for_alice.achieved):
        return None, best_for_alice.optimality
    start = ConversationProfile((best_for_alice.rule,))
    found = conversation_best_response(games[sender], start, 0, eta, floor)
    return found, best_for_alice.optimality


def selection_conversation_best_response(
    instance: Instance,
    games: tuple[ConversationGame, ...],
    rules: ConversationProfile,
    sender: int,
    eta: Fraction,
    step: Fraction | None = None,
) -> ConversationBestResponse:
    """Sender ``sender``'s exact best response in the selection game's conversation (the module
    docstring): the better of not being selected and being selected, the supremum over every
    conversation rule; with ``step``, beating a rival who wins ties by at least ``step``.  Its
    ``optimality`` is the weaker of the two options'."""
    others = [j for j in range(instance.num_senders) if j != sender]
    if not others:
        return conversation_best_response(games[sender], rules, 0, eta)
    alone = alone_responses(games, rules)
    values = [response.value for response in alone]
    top = max(values[j] for j in others)
    rival = min(j for j in others if values[j] == top)
    loses_ties = rival < sender
    if loses_ties and step is not None:
        floor = AliceFloor(top + step, strict=False)
    else:
        floor = AliceFloor(top, strict=loses_ties)
    options = [_left_out(instance, games, sender, alone[rival], loses_ties)]
    chosen, judged = _chosen(instance, games, rules, sender, floor, eta)
    options.append(chosen)
    found = [option for option in options if option is not None]
    weakest = min([judged, *(option.optimality for option in found)], key=_RANK.__getitem__)
    best = max(found, key=lambda option: (option.value, option.attained is True))
    attained = None if weakest == "incomplete" else best.attained
    return dataclasses.replace(best, attained=attained, optimality=weakest)


def selection_conversation_game(
    instance: Instance, source: str = "<memory>", step: Fraction | None = None
) -> Game:
    """The selection game in ``instance``'s conversation as a
    :class:`~persuasion.equilibrium.Game` over conversation rules (``step``: the dynamics'
    improvement step; None for exact best responses)."""
    from persuasion.conversation.play import adopt_rule

    games = alone_games(instance, source)

    def outcome(inst: Instance, rules: ConversationProfile) -> Outcome:
        return selection_conversation_outcome(inst, games, rules)

    def respond(inst: Instance, rules: ConversationProfile, i: int, eta: Fraction):
        return selection_conversation_best_response(inst, games, rules, i, eta, step)

    return Game("best-ai-selection", outcome, respond, adopt_rule)


def selection_conversation_entry(entry: GameEntry, instance: Instance, source: str) -> GameEntry:
    """``entry`` (the selection game) played in ``instance``'s conversation: outcome and exact
    best responses of :func:`selection_conversation_game`, and its dynamics moving by the
    improvement ``step`` and judged exactly (:func:`persuasion.selection.stepped_dynamics`),
    from one-round starts read as rules that ignore the history."""
    from persuasion.model import Profile
    from persuasion.selection import stepped_dynamics

    exact = selection_conversation_game(instance, source)

    def dynamics(inst: Instance, start, *, step: Fraction, responses: dict, **options):
        if isinstance(start, Profile):
            start = ConversationProfile.from_profile(start)
        stepped = selection_conversation_game(inst, source, step)
        return stepped_dynamics(inst, start, stepped, exact, step, **options)

    return dataclasses.replace(
        entry, outcome=exact.outcome, respond=exact.respond, dynamics=dynamics
    )
