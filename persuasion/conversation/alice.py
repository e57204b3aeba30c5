"""Alice's best-response conversation rule (Definition 6) against committed sender rules.

With the senders' rules fixed, their moves are chance moves and Alice faces
a decision problem with perfect recall on the tree of
:mod:`persuasion.conversation.tree`.  Backward induction over her
information sets, deepest first:

1. every node gets its *reach*: the probability of the chance outcome times
   the senders' answers along the path (Alice's own moves count 1);
2. where Alice acts, ``(x_A, transcript)``, the reaches by state are her
   unnormalised posterior; she takes the action of largest expected utility,
   ties to the earliest in the instance's ``tie_break`` (Definition 4);
3. where she talks, a message vector is worth the sum of the values of the
   information sets it leads to (each of hers follows exactly one of her
   (information set, move) pairs); she sends the best one, ties to the
   earliest vector.  A pure rule is optimal: one player, perfect recall.

Her value is the sum over her first information sets; the induced joint
distribution of action and state (Definition 5), read along her rule, gives
everyone's utility.  Arithmetic in python-flint's exact rationals.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flint import fmpq

from persuasion.conversation.rules import ConversationProfile
from persuasion.conversation.tree import ALICE, CHANCE, ConversationGame
from persuasion.rationals import to_fmpq as _q, to_fraction as _fraction
from persuasion.receiver import Outcome, outcome_from_joint, tie_broken_argmax

__all__ = ["AliceResponse", "answer_row", "best_conversation_rule", "reach_weights"]


@dataclass(frozen=True)
class AliceResponse:
    """Alice's best-response conversation and decision rule, on a compiled game.

    Attributes
    ----------
    choice : tuple of int
        Per information set: Alice's move there (a message vector's index, or an action);
        -1 at a sender's.
    reached : tuple of bool
        Per information set: whether Alice's own rule leads to it (a sender's: False).
    mass : tuple of Fraction
        Per information set of Alice's: the probability of its nodes given her moves lead
        there (chance and senders only); 0 at a sender's.
    posteriors : dict
        Per information set where she acts and which has positive mass: her unnormalised
        posterior over states.
    value : Fraction
        Her expected utility.
    outcome : Outcome
        The induced joint distribution of action and state and everyone's utility.
    """

    choice: tuple[int, ...]
    reached: tuple[bool, ...]
    mass: tuple[Fraction, ...]
    posteriors: dict[int, tuple[Fraction, ...]]
    value: Fraction
    outcome: Outcome


def reach_weights(game: ConversationGame, profile: ConversationProfile) -> list[fmpq]:
    """Per node: chance's probability times the senders' answer probabilities on its path."""
    reach = [fmpq()] * len(game.parent)
    reach[0] = fmpq(1)
    chance = [_q(p) for *_, p in game.outcomes]
    rows: dict[int, list[fmpq]] = {}
    player, parent, move, infoset = game.player, game.parent, game.move, game.infoset
    for node in range(1, len(parent)):
        up = parent[node]
        weight = reach[up]
        if not weight:
            continue
        who = player[up]
        if who == CHANCE:
            reach[node] = chance[move[node]]
        elif who == ALICE:
            reach[node] = weight
        else:
            p = answer_row(game, profile, rows, infoset[up])[move[node]]
            if p:
                reach[node] = weight * p
    return reach


def answer_row(
    game: ConversationGame, profile: ConversationProfile, rows: dict[int, list[fmpq]], info: int
) -> list[fmpq]:
    """The row a sender answers from at their information set ``info``, read from ``profile``
    once and kept in ``rows``."""
    row = rows.get(info)
    if row is None:
        at = game.infosets[info]
        row = rows[info] = [_q(p) for p in profile.answer(at.player, at.feature, at.histories[0])]
    return row


def _masses(game: ConversationGame, reach: list[fmpq]) -> tuple[list[fmpq], dict[int, list]]:
    """Per Alice information set its mass, and where she acts her posterior by state."""
    mass = [fmpq()] * len(game.infosets)
    posteriors: dict[int, list[fmpq]] = {}
    ny = game.instance.num_states
    for node, who in enumerate(game.player):
        if who != ALICE or not reach[node]:
            continue
        info = game.infoset[node]
        mass[info] += reach[node]
        if game.infosets[info].acting:
            w = posteriors.setdefault(info, [fmpq()] * ny)
            w[game.outcomes[game.outcome[node]][2]] += reach[node]
    return mass, posteriors


def _induct(game: ConversationGame, posteriors: dict[int, list]) -> tuple[list[int], fmpq]:
    """Steps 2-3: Alice's move at each of her information sets, and her value."""
    inst = game.instance
    utility = [[_q(u) for u in row] for row in inst.alice_utility]
    choice = [-1] * len(game.infosets)
    talk: dict[int, list[fmpq]] = {}
    total = fmpq()
    for info in reversed(range(len(game.infosets))):
        at = game.infosets[info]
        if at.player != ALICE:
            continue
        if at.acting:
            w = posteriors.get(info)
            values = [
                sum((p * u for p, u in zip(w, row, strict=True) if p), fmpq()) if w else fmpq()
                for row in utility
            ]
            best = tie_broken_argmax(values, inst.protocol.tie_break)
        else:
            values = talk.get(info) or [fmpq()] * at.moves
            best = tie_broken_argmax(values, range(at.moves))
        choice[info] = best
        up = game.alice_parent[info]
        if up is None:
            total += values[best]
        else:
            talk.setdefault(up[0], [fmpq()] * game.infosets[up[0]].moves)[up[1]] += values[best]
    return choice, total


def best_conversation_rule(game: ConversationGame, profile: ConversationProfile) -> AliceResponse:
    """Alice's best response to ``profile`` in ``game`` by backward induction (Definition 6)."""
    inst = game.instance
    reach = reach_weights(game, profile)
    mass, posteriors = _masses(game, reach)
    choice, value = _induct(game, posteriors)
    reached = [False] * len(game.infosets)
    joint = [[fmpq()] * inst.num_states for _ in inst.actions]
    for info, at in enumerate(game.infosets):
        if at.player != ALICE:
            continue
        up = game.alice_parent[info]
        reached[info] = up is None or (reached[up[0]] and choice[up[0]] == up[1])
        if reached[info] and info in posteriors:
            for y, w in enumerate(posteriors[info]):
                joint[choice[info]][y] += w
    return AliceResponse(
        choice=tuple(choice),
        reached=tuple(reached),
        mass=tuple(_fraction(m) for m in mass),
        posteriors={
            info: tuple(_fraction(w) for w in ws)
            for info, ws in posteriors.items()
            if reached[info]
        },
        value=_fraction(value),
        outcome=outcome_from_joint(inst, [[_fraction(p) for p in row] for row in joint]),
    )
