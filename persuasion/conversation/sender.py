"""A sender's exact best response in an R-round conversation (issue 11; Algorithm 1).

The other senders' rules are chance; the sender commits to a rule, Alice
best-responds with her conversation rule (Definition 6), ties never in the
sender's favour.  Three steps (docs/explanation/conversation-best-response.md):

1. the sender's rules as sequence-form plans, and Alice's values as linear
   forms in them (:mod:`persuasion.conversation.sequences`);
2. the plan of Alice's the best response makes her follow, and the supremum
   ``max LP(sigma)`` over the plans ``sigma`` some rule makes her actual response
   (:mod:`persuasion.conversation.search`);
3. attainment: a rule in ``S(sigma)`` worth the supremum, or else the segment from an
   optimal plan towards one in ``S(sigma)``, cut where it is within ``eta / 2``, and its rows
   rounded to short numbers when that keeps it within ``eta``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from persuasion.attainment import ROUNDING, rounded_distribution
from persuasion.conversation.alice import best_conversation_rule
from persuasion.conversation.programs import path_objective
from persuasion.conversation.rules import ConversationProfile, HistoryTable, Row
from persuasion.conversation.search import (
    ENUMERATION_LIMIT,
    Candidate,
    Search,
    enumerate_plans,
    margin,
    search,
    with_rule,
)
from persuasion.conversation.sequences import AliceFloor, Form, PlanSpace, plan_space
from persuasion.conversation.tree import ConversationGame
from persuasion.lp.pipeline import remembering

__all__ = ["ConversationBestResponse", "conversation_best_response", "with_rule"]


@dataclass(frozen=True)
class ConversationBestResponse:
    """One sender's best response in a conversation.

    Attributes
    ----------
    value : Fraction
        The supremum of the sender's utility over all their conversation rules.
    attained : bool or None
        Whether some rule reaches it under Alice's real tie-break (None: not decided).
    rule : tuple
        The returned rule, per sender feature ``x_B``: a :data:`~persuasion.conversation.rules.Row`
        or a :class:`~persuasion.conversation.rules.HistoryTable`.
    achieved : Fraction
        The returned rule's actual value (Alice's real best response): ``value`` when attained,
        at least ``value - eta`` otherwise when a rule was found.
    optimality : str
        ``"exact"`` (proven in exact arithmetic) or ``"milp-solver"`` (that no other plan of
        Alice's is better is HiGHS's claim; the value itself is exact); ``"incomplete"`` when
        the search gave up (:data:`~persuasion.conversation.search.MILP_SECONDS`,
        :data:`~persuasion.conversation.search.CUTS`): ``value`` is then only the best found,
        a lower bound on the supremum, and ``attained`` is None.
    """

    value: Fraction
    attained: bool | None
    rule: tuple[Row | HistoryTable, ...]
    achieved: Fraction
    optimality: str


def _worth(form: Form, plan) -> Fraction:
    """A linear form's value at a plan."""
    return sum((c * plan[s] for s, c in form.items()), Fraction(0))


def _actual(space: PlanSpace, profile: ConversationProfile, rule) -> Fraction | None:
    """The sender's utility from ``rule`` against Alice's actual best response, or None when
    Alice's value misses the space's :attr:`~PlanSpace.alice_floor`."""
    played = best_conversation_rule(space.game, with_rule(profile, space.sender, rule))
    if space.alice_floor is not None and not space.alice_floor.admits(played.value):
        return None
    return played.outcome.sender_utilities[space.sender]


def _attaining(space: PlanSpace, profile: ConversationProfile, candidates) -> tuple | None:
    """A rule reaching the candidates' value under Alice's real tie-break, or None."""
    for found in candidates:
        rule = space.rule(found.optimum, profile)
        if _actual(space, profile, rule) == found.value:
            return rule
        face = margin(space, found.choice, floor=found.value)
        if face is not None:
            return space.rule(face, profile)
    return None


def _approach(space: PlanSpace, found: Candidate, eta: Fraction) -> tuple[Fraction, ...]:
    """``(1 - d) optimum + d witness`` with ``d = 2**-k`` the largest making it worth at least
    ``value - eta``: the segment lies in ``S(sigma)`` (but for its end ``d = 0``), where the
    sender's utility is the linear ``LP(sigma)`` objective."""
    shortfall = found.value - _worth(path_objective(space, found.choice), found.witness)
    d = Fraction(1)
    while d * shortfall > eta:
        d /= 2
    return tuple((1 - d) * p + d * w for p, w in zip(found.optimum, found.witness, strict=True))


def _rounded(rule: tuple, denominator: int) -> tuple | None:
    """``rule`` with every row rounded to multiples of ``1/denominator`` (still distributions;
    None when one cannot be)."""
    out = []
    for entry in rule:
        if isinstance(entry, HistoryTable):
            rows = [(h, rounded_distribution(row, denominator)) for h, row in entry.rows]
            if any(row is None for _, row in rows):
                return None
            out.append(HistoryTable(tuple(rows)))
        else:
            row = rounded_distribution(entry, denominator)
            if row is None:
                return None
            out.append(row)
    return tuple(out)


def _shortened(space: PlanSpace, profile: ConversationProfile, rule: tuple, target: Fraction):
    """A nearby rule with short numbers still worth ``target`` (best-response dynamics feed each
    rule into the others' programs, and long numerators would compound), else ``rule``."""
    for denominator in ROUNDING:
        short = _rounded(rule, denominator)
        value = None if short is None else _actual(space, profile, short)
        if value is not None and value >= target:
            return short
    return rule


def _usable(game: ConversationGame, profile: ConversationProfile, sender: int):
    """``profile``, or with the sender's own rule replaced by the history-free rule sending the
    first message when that rule has no row of the sender's messages at one of their
    histories."""
    width = len(game.instance.senders[sender].messages)
    try:
        usable = all(
            len(profile.answer(sender, at.feature, history)) == width
            for at in game.infosets
            if at.player == sender
            for history in at.histories
        )
    except (KeyError, IndexError):
        usable = False
    if usable:
        return profile
    first = tuple(Fraction(int(m == 0)) for m in range(width))
    return with_rule(profile, sender, (first,) * len(game.instance.sender_features))


def conversation_best_response(
    game: ConversationGame,
    profile: ConversationProfile,
    sender: int,
    eta: Fraction = Fraction(1, 1000),
    floor: AliceFloor | None = None,
) -> ConversationBestResponse:
    """Sender ``sender``'s exact best response in ``game`` to the other senders' rules in
    ``profile`` (the sender's own rule there is only where the search starts, and what the
    returned rule keeps at features of probability 0; a rule that cannot answer at some
    history of the sender's -- a placeholder -- is replaced by a history-free one first).

    ``value`` is the supremum over the sender's rules; the returned ``rule`` attains it when
    ``attained``, and is within ``eta`` of it otherwise (docs/explanation/
    conversation-best-response.md).

    ``floor``: only rules under which Alice's value meets it count (being selected in the
    best-AI selection game, :mod:`persuasion.conversation.selection`); the sender's rule in
    ``profile`` must meet it.

    Raises
    ------
    ValueError
        When ``eta`` is not positive (an unattained supremum has no rule within 0 of it).
    """
    if eta <= 0:
        raise ValueError(f"eta must be positive, not {eta}")
    profile = _usable(game, profile, sender)
    space = dataclasses.replace(plan_space(game, profile, sender), alice_floor=floor)
    with remembering():
        found = search(space, profile)
        rule = _attaining(space, profile, found.candidates)
        if rule is None and not found.complete and space.plan_count <= ENUMERATION_LIMIT:
            found = Search(enumerate_plans(space, found.candidates[0]), "exact", complete=True)
            rule = _attaining(space, profile, found.candidates)
        best = found.candidates[0]
        if rule is not None:
            attained = None if found.optimality == "incomplete" else True
            return ConversationBestResponse(
                best.value, attained, rule, best.value, found.optimality
            )
        rule = space.rule(_approach(space, best, eta / 2), profile)
        rule = _shortened(space, profile, rule, best.value - eta)
    attained = False if found.complete else None
    achieved = _actual(space, profile, rule)
    return ConversationBestResponse(best.value, attained, rule, achieved, found.optimality)
