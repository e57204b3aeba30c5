"""The straightforward conversation and information substitutes on an instance (``persuasion
agree``).  No solver is loaded: every number is an exact Fraction sum."""

from __future__ import annotations

from fractions import Fraction

from persuasion.agreement.conversation import ORDERS, Conversation, Pair, converse
from persuasion.api.checks import checked_instance, integer, rational
from persuasion.api.common import MEMORY
from persuasion.checker.substitutes import Verdict, substitute_checks, substitutes
from persuasion.errors import BeyondLimit, beyond_in
from persuasion.limits import MAX_CONVERSATION_WORK, MAX_SUBSTITUTE_CHECKS
from persuasion.model import Instance
from persuasion.results.agreement import Agreement, PairConversation, Substitutes

ZETA = Fraction(1, 10)
"""Default agreement level ``zeta`` of Definition 15."""


def conversation_work(instance: Instance) -> int:
    """The steps :data:`~persuasion.limits.MAX_CONVERSATION_WORK` counts:
    ``|X_A| |X_B| |A| (|Y| + |X_A| + |X_B|)``."""
    na, nb = len(instance.alice_features), len(instance.sender_features)
    return na * nb * instance.num_actions * (instance.num_states + na + nb)


def check_agreement_size(instance: Instance, source: str = MEMORY) -> None:
    """Refuse, before any work, a conversation or a substitutes decision beyond the limits.

    Raises
    ------
    BeyondLimit
        One line naming ``source`` and the limit.
    """
    try:
        _check_agreement_size(instance)
    except BeyondLimit as exc:
        raise beyond_in(source, exc) from None


def _check_agreement_size(instance: Instance) -> None:
    work = conversation_work(instance)
    if work > MAX_CONVERSATION_WORK:
        raise BeyondLimit(
            f"the straightforward conversation takes {work} steps (|X_A| |X_B| |A| (|Y| + |X_A| + "
            f"|X_B|)); the limit is MAX_CONVERSATION_WORK = {MAX_CONVERSATION_WORK} "
            "(see docs/reference/limits.md)"
        )
    checks = substitute_checks(instance.prior, instance.num_actions)
    if checks > MAX_SUBSTITUTE_CHECKS:
        raise BeyondLimit(
            f"the information substitutes condition needs {checks} checks (|A| (2^|X_A| - 1)"
            f"(2^|X_B| - 1)); the limit is MAX_SUBSTITUTE_CHECKS = {MAX_SUBSTITUTE_CHECKS} "
            "(see docs/reference/limits.md)"
        )


def agree(
    instance: Instance,
    *,
    zeta: Fraction = ZETA,
    rounds: int | None = None,
    order: str = "alternating",
    source: str = MEMORY,
) -> Agreement:
    """Simulate the straightforward conversation (Definition 10) on every pair of features and
    decide the information substitutes condition (Definition 14).

    Parameters
    ----------
    instance : Instance
        The instance: its joint prior ``P(x_A, x_B, y)`` and Alice's utility (the senders'
        utilities play no part: straightforward parties report, they do not persuade).
    zeta : Fraction
        The agreement level of Definition 15, ``>= 0``.
    rounds : int, optional
        Rounds to play (``>= 1``); by default until a round refines nothing, when every pair
        agrees exactly (at the latest after ``|X_A| + |X_B| - 1`` rounds).
    order : str
        ``"alternating"``: Bob hears Alice's report of the round (Algorithm 1); ``"simultaneous"``:
        he reports ``E[u_A | x_B, pi^(k-1)]`` as she reports hers (Definition 10 read literally).
    source : str
        The instance's file, for error messages.

    Returns
    -------
    Agreement

    Raises
    ------
    InputError
        For an instance a file could not hold.
    BeyondLimit
        Beyond ``MAX_CONVERSATION_WORK`` or ``MAX_SUBSTITUTE_CHECKS``, before any work (one
        line naming ``source``).
    ValueError
        For ``zeta < 0``, ``rounds < 1`` or an unknown ``order``.
    """
    checked_instance(instance, source)
    zeta, rounds = _options(zeta, rounds, order)
    check_agreement_size(instance, source)
    talk = converse(instance.prior, instance.alice_utility, rounds, order)
    pairs = tuple(_pair(instance, pair, zeta, talk.settled) for pair in talk.pairs)
    verdict = substitutes(instance.prior, instance.alice_utility)
    return Agreement(
        instance=instance,
        zeta=zeta,
        rounds_limit=rounds,
        order=order,
        rounds=talk.rounds,
        settled=talk.settled,
        pairs=pairs,
        agreement_by_round=_by_round(pairs, talk),
        expected_error=_columns(pairs, lambda e, p: e * p, sum),
        max_error=_columns(pairs, lambda e, p: e, max),
        substitutes=_substitutes(instance, verdict),
    )


def _options(zeta: Fraction, rounds: int | None, order: str) -> tuple[Fraction, int | None]:
    """``zeta`` and ``rounds`` checked as the command line checks them, and ``order`` one of
    :data:`~persuasion.agreement.conversation.ORDERS`."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    zeta = rational("zeta", zeta, Fraction(0), strict=False)
    return zeta, None if rounds is None else integer("rounds", rounds, 1)


def _pair(instance: Instance, pair: Pair, zeta: Fraction, settled: bool) -> PairConversation:
    s_a, s_b = pair.common
    return PairConversation(
        alice=instance.alice_features[pair.alice],
        senders=instance.sender_features[pair.senders],
        probability=pair.probability,
        reports=pair.reports,
        agreement_round=pair.agreement_round(zeta),
        exact_agreement_round=pair.agreement_round(Fraction(0)),
        settled_round=pair.settled_round() if settled else None,
        final_beliefs=pair.final,
        true_beliefs=pair.true,
        estimation_error=pair.error,
        common_alice=tuple(instance.alice_features[i] for i in s_a),
        common_senders=tuple(instance.sender_features[j] for j in s_b),
    )


def _by_round(pairs: tuple[PairConversation, ...], talk: Conversation) -> tuple[Fraction, ...]:
    """``P(zeta-agreement by round k)`` for ``k = 1 .. rounds``."""
    return tuple(
        sum(
            (
                p.probability
                for p in pairs
                if p.agreement_round is not None and p.agreement_round <= k
            ),
            Fraction(0),
        )
        for k in range(1, talk.rounds + 1)
    )


def _columns(pairs, term, combine) -> tuple[Fraction, ...]:
    """Per action, ``combine`` over the pairs of ``term(error, probability)``."""
    actions = len(pairs[0].estimation_error)
    return tuple(
        combine(term(p.estimation_error[a], p.probability) for p in pairs) for a in range(actions)
    )


def _substitutes(instance: Instance, verdict: Verdict) -> Substitutes:
    worst = verdict.worst
    if worst is None:
        return Substitutes(True, verdict.checks, 0)
    return Substitutes(
        holds=False,
        checks=verdict.checks,
        violations=verdict.violations,
        action=instance.actions[worst.action],
        alice_features=tuple(instance.alice_features[i] for i in worst.alice),
        sender_features=tuple(instance.sender_features[j] for j in worst.senders),
        lhs=worst.lhs,
        rhs=worst.rhs,
    )
