"""The ``theorem-1`` and ``theorem-6`` certificates of a conversation (``rounds > 1`` or
``alice_messages > 1``).

The proof of Theorem 1 (Section C.2) uses, for each weighted sender, only their
deviation to the aligned rule ``C*``: the certificate needs no bound on best
deviations, and reports the gains ``g_i = max(0, U_i(dev_i) - U_i(profile))`` of those
deviations (not a Nash gap).  ``U_A(C*)`` is proven optimal by equalling the first-best
``OPT`` (Definition 2): ``C*`` tells Alice the class of ``x_B`` -- the ``x_B`` with
the same tie-broken best action at every ``x_A`` -- written in base ``b`` over the rounds
when one round's messages are too few (:func:`aligned_rule`).  The witness is ``C*``'s rule;
the kernel (:mod:`persuasion.checker.conversation`) replays Alice's best-response
conversations itself, while this module computes the stated conclusion with the engine's
(:mod:`persuasion.conversation.alice`).  Theorem 6 (the best-AI selection game, Definition 16)
needs no deviation bound either: Alice converses with the sender whose conversation alone is
worth most to her, and the gains are those of ``C*`` heard alone (:func:`theorem_6`).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from persuasion.conversation.histories import answer_histories
from persuasion.conversation.rules import ConversationProfile, HistoryTable, Row
from persuasion.model import Instance, Sender
from persuasion.numbers import fmt
from persuasion.receiver import Outcome, best_action, first_best, outcome_from_joint
from persuasion.weighted_alignment import weighted_alignment
from persuasion.witnesses.claims import (
    alignment_witnesses,
    envelope,
    theorem_6_conclusion,
)

__all__ = ["aligned_rule", "revealing_problem", "theorem_1", "theorem_6"]


def _classes(instance: Instance) -> list[int]:
    """Per ``x_B``, its class: the ``x_B`` with the same tie-broken best action at every ``x_A``
    of positive probability share one (an ``x_B`` of probability 0 joins class 0)."""
    seen: dict[tuple, int] = {}
    classes = []
    for xb in range(len(instance.sender_features)):
        rows = [table[xb] for table in instance.prior]
        if not any(any(row) for row in rows):
            classes.append(0)
            continue
        key = tuple(best_action(instance, row) if any(row) else None for row in rows)
        classes.append(seen.setdefault(key, len(seen)))
    return classes


def _base(instance: Instance) -> tuple[int, int]:
    """The number of classes ``N`` and the fewest messages ``b`` with ``b^R >= N``."""
    count, rounds = max(_classes(instance)) + 1, instance.protocol.rounds
    base = 1
    while base**rounds < count:
        base += 1
    return count, base


def revealing_problem(instance: Instance, claim: str = "theorem-1") -> str | None:
    """Why :func:`aligned_rule` cannot be built -- the senders' largest alphabet cannot spell
    the classes of ``x_B`` in ``R`` rounds, so ``U_A(C*) = OPT`` is not proven -- or None."""
    count, base = _base(instance)
    m = max(len(s.messages) for s in instance.senders)
    if base <= m:
        return None
    rounds = instance.protocol.rounds
    return (
        f"{claim} in a conversation proves U_A(C*) = OPT with a rule C* telling Alice the "
        f"class of x_B (by her best action): {count} classes need {count} answer sequences, "
        f"and {m} message(s) over {rounds} round(s) give {m}^{rounds}"
    )


def aligned_rule(instance: Instance) -> tuple[tuple[Row | HistoryTable, ...], int]:
    """``C*``: per ``x_B`` a row sending its class (when ``b`` messages hold every class), or
    a table answering the ``r``-th base-``b`` digit of the class in round ``r``, whatever Alice
    asks; and the alphabet's size ``m`` (the senders' largest)."""
    m = max(len(s.messages) for s in instance.senders)
    count, base = _base(instance)
    p = instance.protocol

    def row(message: int) -> Row:
        return tuple(Fraction(int(k == message)) for k in range(m))

    rule: list[Row | HistoryTable] = []
    for c in _classes(instance):
        if count <= base:
            rule.append(row(c))
            continue
        digits = [c // base ** (p.rounds - 1 - r) % base for r in range(p.rounds)]
        histories = answer_histories(
            p.alice_messages, p.rounds, lambda h, d=digits: [d[len(h) // 2]]
        )
        rule.append(HistoryTable(tuple((h, row(digits[len(h) // 2])) for h in histories)))
    return tuple(rule), m


def _as_sender(rule: tuple, count: int) -> tuple | None:
    """``C*`` played by a sender with ``count`` messages (message k for k), or None if it needs
    more."""

    def fit(r: Row) -> Row:
        return tuple(r[:count]) + (Fraction(0),) * (count - len(r))

    rows = [
        r for e in rule for r in (dict(e.rows).values() if isinstance(e, HistoryTable) else [e])
    ]
    if any(p for r in rows for p in r[count:]):
        return None
    return tuple(
        HistoryTable(tuple((h, fit(r)) for h, r in e.rows))
        if isinstance(e, HistoryTable)
        else fit(e)
        for e in rule
    )


def _play(instance: Instance, rules: ConversationProfile) -> Outcome:
    from persuasion.conversation.alice import best_conversation_rule
    from persuasion.conversation.tree import compile_game

    return best_conversation_rule(compile_game(instance), rules).outcome


def _aligned_instance(instance: Instance, m: int) -> Instance:
    """The single-leader game of Definition 8: one sender with Alice's utility and ``m``
    messages ``"0"``, ..., ``"m-1"``."""
    leader = Sender("C*", instance.alice_utility, tuple(str(k) for k in range(m)))
    return dataclasses.replace(instance, senders=(leader,))


def _aligned_alone(instance: Instance) -> tuple[tuple, Instance, Fraction, Outcome]:
    """``C*`` (:func:`aligned_rule`), its single-leader instance, ``U_A(C*)`` (equal to ``OPT``)
    and everyone's outcome when Alice hears ``C*`` alone."""
    c_star, m = aligned_rule(instance)
    leader = _aligned_instance(instance, m)
    played = _play(leader, ConversationProfile((c_star,)))
    value = played.alice_utility
    if value != first_best(instance):  # a bug, not an input: the kernel would refuse it too
        raise AssertionError(f"C* reaches {value}, not OPT = {first_best(instance)}")
    return c_star, leader, value, outcome_from_joint(instance, played.joint)


def _dumped(c_star: tuple, leader: Instance) -> dict:
    """``C*``'s rule as the certificate's ``witnesses.aligned.rule``."""
    from persuasion.profile import dump_conversation_profile

    return dump_conversation_profile(ConversationProfile((c_star,)), leader)["rules"]["C*"]


def theorem_6(instance: Instance, rules: ConversationProfile, *, path: str | None = None) -> dict:
    """Certificate of Theorem 6's bound at ``rules`` in the best-AI selection game's
    conversation: Alice converses with the sender worth most alone (Definition 16); the gains
    are those of the deviation to ``C*``, ``max(0, U_i(C* alone) - U_i(profile))``."""
    from persuasion.conversation.selection import alone_games, alone_responses
    from persuasion.selection import selected

    alignment = weighted_alignment(instance, simplex=False)
    c_star, leader, value, dev = _aligned_alone(instance)
    alone = alone_responses(alone_games(instance), rules)
    chosen = alone[selected([response.value for response in alone])]
    now = outcome_from_joint(instance, chosen.outcome.joint)
    able = all(
        _as_sender(c_star, len(s.messages)) is not None
        for s, w in zip(instance.senders, alignment.weights, strict=True)
        if w
    )
    holds, conclusion = theorem_6_conclusion(now, dev, value, alignment, able)
    return envelope(
        instance,
        "theorem-6",
        "Theorem 6 (Section E.2)",
        "in the best-AI selection game's conversation Alice's utility is at least "
        "U_A(C*) - 2 eps - sum_i w_i g_i, g_i the gain of sender i's deviation to C*",
        {**alignment_witnesses(alignment), "aligned": {"rule": _dumped(c_star, leader)}},
        holds=holds,
        conclusion=conclusion,
        profile=rules,
        path=path,
    )


def theorem_1(instance: Instance, rules: ConversationProfile, *, path: str | None = None) -> dict:
    """Certificate of Theorem 1's bound ``U_A(C*) - 2 eps - sum_i w_i g_i`` at ``rules``, the
    gains being those of the deviations to ``C*``."""
    alignment = weighted_alignment(instance, simplex=False)
    c_star, leader, value, _ = _aligned_alone(instance)
    now = _play(instance, rules)
    gains, dists = [], []
    for i, s in enumerate(instance.senders):
        played = _as_sender(c_star, len(s.messages))
        if played is None:
            gains.append(None)
            dists.append(None)
            continue
        dev = _play(instance, ConversationProfile(_replaced(rules, i, played)))
        gains.append(max(Fraction(0), dev.sender_utilities[i] - now.sender_utilities[i]))
        dists.append(dev.joint)
    weighted = [d for d, w in zip(dists, alignment.weights, strict=True) if w]
    identical = None not in weighted and all(d == weighted[0] for d in weighted)
    bound = None
    if all(g is not None for g, w in zip(gains, alignment.weights, strict=True) if w):
        bound = value - 2 * alignment.epsilon
        bound -= sum(
            (w * g for w, g in zip(alignment.weights, gains, strict=True) if w), Fraction(0)
        )
    return envelope(
        instance,
        "theorem-1",
        "Theorem 1 (Section C.2)",
        "in this conversation Alice's utility at this profile is at least "
        "U_A(C*) - 2 eps - sum_i w_i g_i, g_i the gain of sender i's deviation to C*",
        {**alignment_witnesses(alignment), "aligned": {"rule": _dumped(c_star, leader)}},
        holds=identical,
        conclusion={
            "alice_utility": fmt(now.alice_utility),
            "aligned_value": fmt(value),
            "epsilon": fmt(alignment.epsilon),
            "weights": [fmt(w) for w in alignment.weights],
            "gains": [None if g is None else fmt(g) for g in gains],
            "bound": None if bound is None else fmt(bound),
            "identical_induced_distributions": identical,
        },
        profile=rules,
        path=path,
    )


def _replaced(rules: ConversationProfile, i: int, rule: tuple) -> tuple:
    return rules.rules[:i] + (rule,) + rules.rules[i + 1 :]
