"""The front door to conversations: Alice's best-response conversation rule (Definition 6)."""

from __future__ import annotations

import dataclasses
from typing import Any

from persuasion.api.checks import check_row, checked_instance, checked_profile
from persuasion.api.common import MEMORY, game_of
from persuasion.errors import InputError
from persuasion.model import Instance, Profile
from persuasion.results.conversation import ConversationDecision, ConversationResult, TalkStep
from persuasion.results.play import Selection
from persuasion.results.quantal_conversation import QuantalConversation

__all__ = ["converse"]


def converse(
    instance: Instance, profile: Any, *, source: str = MEMORY
) -> ConversationResult | QuantalConversation:
    """Alice's best-response conversation and decision rules against committed sender rules.

    The instance's conversation (``protocol.rounds`` rounds, ``protocol.alice_messages``
    messages for Alice; Algorithm 1) is compiled into an explicit extensive-form game
    (:mod:`persuasion.conversation.tree`), its size counted first, and solved for Alice by
    backward induction over her information sets (:mod:`persuasion.conversation.alice`):
    her messages maximise her expected utility (ties to the earliest message vector), her
    action follows Definition 4 (ties by the instance's ``tie_break``).  In the best-AI
    selection game (Definition 16) she does so with each sender alone, then converses only
    with the one worth most to her (lowest index on ties).

    Parameters
    ----------
    instance : Instance
        Either game (any ``rounds`` and ``alice_messages``), or a quantal Alice's.
    profile : Profile or ConversationProfile
        The senders' rules: a one-round :class:`~persuasion.model.Profile` (rules that
        ignore the history) or the rules of a profile file keyed by history
        (:func:`persuasion.profile.load_conversation_profile`).
    source : str
        How errors name the instance (its file).

    Returns
    -------
    ConversationResult or QuantalConversation
        The game's sizes, Alice's rule on every information set of positive probability, her
        utility, every sender's and the induced joint distribution of action and state.  A
        quantal Alice has no choice to make (Definitions 10-11): her play
        (:func:`persuasion.api.quantal.play_quantal`).

    Raises
    ------
    InputError
        For an instance or rules a file could not hold, or a game beyond
        :data:`~persuasion.limits.MAX_CONVERSATION_NODES` nodes.

    Examples
    --------
    >>> import persuasion as ps
    >>> game = ps.catalog.load("collina-et-al-2025-two-round-questions")
    >>> ps.converse(game, ps.catalog.entry(game.name).conversation("truthful")).alice_utility
    Fraction(1, 1)
    """
    from persuasion.conversation.alice import best_conversation_rule
    from persuasion.conversation.tree import compile_game

    checked_instance(instance, source)
    if instance.protocol.decision == "quantal":  # Definitions 10-11: her play is fixed
        from persuasion.api.quantal import play_quantal

        return play_quantal(instance, profile, source)
    check_keyable_senders(instance, source)
    rules = checked_rules(instance, profile, source)
    if game_of(instance, None).selection is None:  # the simultaneous game: she hears everyone
        game = compile_game(instance, source)
        return conversation_result(game, rules, best_conversation_rule(game, rules))
    return _selected(instance, rules, source)


def _selected(instance: Instance, rules, source: str) -> ConversationResult:
    """The best-AI selection game (Definition 16) in a conversation: Alice's best-response
    conversation with each sender alone is worth ``U_A(C_j)`` to her; she converses only with
    the sender worth most (lowest index on ties), and everyone is paid by that conversation."""
    from persuasion.conversation.rules import ConversationProfile
    from persuasion.conversation.selection import alone_games, alone_responses
    from persuasion.receiver import outcome_from_joint
    from persuasion.selection import selected

    games = alone_games(instance, source)
    alone = [
        conversation_result(game, ConversationProfile((rule,)), response)
        for game, rule, response in zip(
            games, rules.rules, alone_responses(games, rules), strict=True
        )
    ]
    values = tuple(result.alice_utility for result in alone)
    j = selected(list(values))
    paid = outcome_from_joint(instance, alone[j].joint)
    return dataclasses.replace(
        alone[j],
        instance=instance,
        profile=rules,
        sender_utilities=paid.sender_utilities,
        selection=Selection(values, instance.senders[j].name),
    )


def checked_rules(instance: Instance, profile: Any, source: str):
    """``profile`` as a :class:`~persuasion.conversation.rules.ConversationProfile`, once it
    passes the checks a profile file passes (written out and read back)."""
    from persuasion.conversation.rules import ConversationProfile
    from persuasion.profile import dump_conversation_profile, parse_conversation_profile

    if isinstance(profile, Profile):
        return ConversationProfile.from_profile(checked_profile(instance, profile, source))
    if not isinstance(profile, ConversationProfile):
        raise TypeError(
            "a profile must be a persuasion.Profile or a ConversationProfile, "
            f"not {type(profile).__name__}"
        )
    try:
        _check_rows(instance, profile, source)
        written = dump_conversation_profile(profile, instance)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        raise InputError(source, f"not valid conversation rules: {exc}") from None
    if parse_conversation_profile(written, instance, source) != profile:
        raise InputError(source, "not valid conversation rules: a probability is not exact")
    return profile


def check_keyable_senders(instance: Instance, source: str) -> None:
    """Past one round the result names histories by key (:func:`history_key`): refuse message
    names a key cannot hold unambiguously."""
    from persuasion.conversation.histories import check_keyable

    if instance.protocol.rounds == 1:
        return
    for i, sender in enumerate(instance.senders):
        try:
            check_keyable(sender.messages)
        except ValueError as err:
            raise InputError(source, str(err), f"$.senders[{i}].messages") from None


def _check_rows(instance: Instance, profile, source: str) -> None:
    """Every row of the rules a distribution of exact rationals (:func:`check_row`), as
    :func:`checked_profile` checks a one-round profile: a file's rules are checked as read, but
    rules built in memory may hold floats or negative numbers, which writing out would hide."""
    from persuasion.conversation.rules import HistoryTable

    for sender, rule in zip(instance.senders, profile.rules, strict=True):
        for feature, entry in zip(instance.sender_features, rule, strict=True):
            where = f"the rule of sender {sender.name!r}, feature {feature!r}"
            rows = entry.rows if isinstance(entry, HistoryTable) else (((), entry),)
            for history, row in rows:
                at = f"{where}, history {history}" if history else where
                check_row(source, at, row, len(sender.messages))


def conversation_result(game, rules, response) -> ConversationResult:
    """The typed result: Alice's rule on the information sets of positive probability."""
    from persuasion.conversation.histories import alice_message_names, history_key
    from persuasion.receiver import action_values

    inst = game.instance
    alice = alice_message_names(inst.protocol.alice_messages)

    def keys(histories):
        return tuple(
            history_key(h, alice, s.messages) for h, s in zip(histories, inst.senders, strict=True)
        )

    talks, decisions = [], []
    for info, at in enumerate(game.infosets):
        if not response.reached[info] or not response.mass[info]:
            continue
        mass, xa = response.mass[info], inst.alice_features[at.feature]
        if not at.acting:
            vector = game.vectors[response.choice[info]]
            rnd = len(at.histories[0]) // 2 + 1
            send = tuple(alice[m] for m in vector)
            talks.append(TalkStep(xa, rnd, keys(at.histories), mass, send))
            continue
        weights = response.posteriors[info]
        values = action_values(inst.alice_utility, weights)
        best = max(values)
        decisions.append(
            ConversationDecision(
                alice_feature=xa,
                histories=keys(at.histories),
                probability=mass,
                posterior=tuple(w / mass for w in weights),
                best_actions=tuple(
                    a for a, v in zip(inst.actions, values, strict=True) if v == best
                ),
                action=inst.actions[response.choice[info]],
            )
        )
    return ConversationResult(
        instance=inst,
        profile=rules,
        sizes=game.sizes,
        alice_utility=response.value,
        sender_utilities=response.outcome.sender_utilities,
        joint=response.outcome.joint,
        talks=tuple(sorted(talks, key=lambda t: t.round)),
        decisions=tuple(decisions),
        heard=tuple(s.name for s in inst.senders),
    )
