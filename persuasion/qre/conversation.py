"""A quantal-responding Alice in an ``R``-round conversation (Section D.1): she follows the
straightforward rule ``C_A^sf`` (Definition 10) and then decides ``lambda``-quantally
(Definition 11).

Each round ``r`` Alice tells every sender her belief vector ``mu = (E[u_A(a, y) | x_A,
transcript of rounds < r])_a`` -- a function of her feature and of what she has heard, so not a
choice -- and each sender ``i`` answers by their committed rule on their private history ``h_i
= (mu_1, b_1, ..., mu_r)`` (Algorithm 1).  After ``R`` rounds she plays ``softmax(lambda mu)``.

Given ``x_A``, a transcript is the senders' answers round by round (Alice's vectors follow from
them), and its likelihood given ``x_B`` is the product of the answers' probabilities:
``L(t | x_A, x_B) = prod_r prod_i C_{B_i}(b_{r,i} | x_B, h_i)``.  Her unnormalised posterior is
``w_t(y) = sum_{x_B} P(x_A, x_B, y) L(t | x_A, x_B)``, exactly (Fractions); only the softmax is
enclosed (:mod:`persuasion.checker.quantal`'s balls).  The transcripts of positive probability
are walked round by round (:func:`transcripts`), their number bounded before any work by
:data:`~persuasion.limits.MAX_QUANTAL_EXPONENTIALS`.

With one round, Alice's round-1 report ``mu(x_A)`` says what ``x_A`` says about her utilities:
when it is the same for every ``x_A`` (a single Alice feature, say) rules keyed by it are the
one-round schemes of :mod:`persuasion.qre.outcome` (:func:`one_round_profile`); otherwise the
senders may answer each *report class* of ``x_A`` differently (:func:`report_classes`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from flint import arb, ctx

from persuasion.checker.quantal import (
    BITS,
    ball,
    beliefs,
    delta_interval,
    interval,
    response,
    straightforward,
    uniform_error,
    walk_size,
    values,
)
from persuasion.conversation.histories import Belief, History, history_key
from persuasion.conversation.rules import ConversationProfile
from persuasion.errors import InputError
from persuasion.model import Instance, Profile, revealing_scheme
from persuasion.results.quantal_conversation import QuantalConversation, QuantalTranscript

ZERO = Fraction(0)


def round_one_vectors(instance: Instance) -> dict[int, Belief]:
    """Alice's round-1 report ``mu(x_A)`` for every ``x_A`` of positive probability."""
    found = {}
    for xa, table in enumerate(instance.prior):
        w = [sum(col, ZERO) for col in zip(*table, strict=True)]
        if any(w):
            found[xa] = tuple(beliefs(instance.alice_utility, w))
    return found


def report_classes(instance: Instance) -> list[list[int]]:
    """The features ``x_A`` of positive probability grouped by Alice's round-1 report, in order of
    first appearance: what a sender can tell apart after hearing it."""
    groups: dict[Belief, list[int]] = {}
    for xa, vector in round_one_vectors(instance).items():
        groups.setdefault(vector, []).append(xa)
    return list(groups.values())


def one_round_profile(
    instance: Instance, rules: ConversationProfile, source: str
) -> Profile | None:
    """With one round, the one-round profile the rules play -- each sender's row at Alice's single
    round-1 report -- or None when her report differs between her features and some rule looks
    at it (then the rules are a conversation's)."""
    if rules.history_free:
        return Profile(tuple(tuple(rule) for rule in rules.rules))  # type: ignore[arg-type]
    vectors = set(round_one_vectors(instance).values())
    if len(vectors) != 1:
        return None
    (only,) = vectors
    return Profile(
        tuple(
            tuple(_answer(instance, rules, i, xb, (only,), source) for xb in range(len(rule)))
            for i, rule in enumerate(rules.rules)
        )
    )


def _answer(
    instance: Instance, rules: ConversationProfile, sender: int, xb: int, h: History, source: str
) -> tuple[Fraction, ...]:
    """``C_{B_i}(. | x_B, h)``, refusing in one line a rule with no row where play reaches."""
    try:
        return rules.answer(sender, xb, h)
    except KeyError:
        s = instance.senders[sender]
        key = history_key(h, None, s.messages)
        raise InputError(
            source,
            f"sender {s.name!r} has no row for feature {instance.sender_features[xb]!r} at "
            f"history {key!r}, which the conversation reaches (Alice's messages are her belief "
            "vectors, Definition 10)",
            f"$.rules.{s.name}",
        ) from None


def transcript_count(instance: Instance, cap: int) -> int | None:
    """An upper bound of the steps walked (:func:`~persuasion.checker.quantal.walk_size`), or
    None once it passes ``cap``."""
    counts = [s.messages for s in instance.senders]
    return walk_size(len(instance.alice_features), counts, instance.protocol.rounds, cap)


@dataclass(frozen=True)
class Transcript:
    """One transcript of positive probability, from Alice's side.

    ``said[r]`` is her vector of round ``r + 1``; ``answers[r][i]`` sender ``i``'s answer (an
    index); ``weights[y]`` her unnormalised posterior ``P(x_A, t, y)``.
    """

    alice_feature: int
    said: tuple[Belief, ...]
    answers: tuple[tuple[int, ...], ...]
    weights: tuple[Fraction, ...]

    def history(self, sender: int) -> History:
        """Sender ``sender``'s complete private history ``(mu_1, b_1, ..., mu_R, b_R)``."""
        return tuple(
            x for v, row in zip(self.said, self.answers, strict=True) for x in (v, row[sender])
        )


def transcripts(
    instance: Instance, rules: ConversationProfile, source: str = "<memory>"
) -> Iterator[Transcript]:
    """Every transcript of positive probability, by ``x_A`` then in the order of the answers
    (the kernel's walk, :func:`persuasion.checker.quantal.straightforward`)."""

    def ask(i: int, xb: int, history: History) -> tuple[Fraction, ...]:
        return _answer(instance, rules, i, xb, history, source)

    counts = [len(s.messages) for s in instance.senders]
    walk = straightforward(
        instance.prior, instance.alice_utility, ask, counts, instance.protocol.rounds
    )
    for xa, said, answers, w in walk:
        yield Transcript(xa, said, answers, tuple(w))


def quantal_conversation(
    instance: Instance, rules: ConversationProfile, source: str = "<memory>"
) -> QuantalConversation:
    """The profile ``rules`` played against ``C_A^sf`` then ``D_A^Q``: every transcript, ``I^Q``,
    every utility, Lemma 1's gap and Definition 13's ``delta`` for the reference rule revealing
    ``x_B`` (:func:`~persuasion.checker.quantal.uniform_error` bounds ``eps_u`` over every
    transcript of any length: Alice's beliefs stay in the hull of the reference message's
    cell)."""
    lam = instance.protocol.lam
    with ctx.workprec(BITS):
        joint = [[arb(0)] * instance.num_states for _ in instance.actions]
        totals = [arb(0)] * (1 + instance.num_senders)
        rows, best = [], ZERO
        for t in transcripts(instance, rules, source):
            row, q = _enclosed(instance, t, lam)
            rows.append(row)
            for a, qa in enumerate(q):
                joint[a] = [
                    j + qa * ball(v) if v else j for j, v in zip(joint[a], t.weights, strict=True)
                ]
            matrices = [instance.alice_utility, *(s.utility for s in instance.senders)]
            totals = [x + values(q, t.weights, m) for x, m in zip(totals, matrices, strict=True)]
            best += max(row.beliefs) * row.probability
        bound = interval(arb(instance.num_actions).log() / ball(lam))
        alice, *senders = (interval(x) for x in totals)
        fewest = min(len(s.messages) for s in instance.senders)
        reference = revealing_scheme(len(instance.sender_features), fewest)
        eps_u = uniform_error(instance.prior, instance.alice_utility, reference)
        return QuantalConversation(
            instance=instance,
            profile=rules,
            lam=lam,
            transcripts=tuple(rows),
            joint=tuple(tuple(interval(p) for p in r) for r in joint),
            alice_utility=alice,
            sender_utilities=tuple(senders),
            best_response_utility=best,
            lemma_1_bound=bound,
            eps_u=eps_u,
            delta=delta_interval(lam, eps_u),
        )


def _enclosed(instance: Instance, t: Transcript, lam: Fraction):
    """One transcript's row of the report and Alice's action distribution (balls)."""
    w = list(t.weights)
    q = response(instance.alice_utility, w, lam)
    mu = beliefs(instance.alice_utility, w)
    gap = ball(max(mu)) - sum((qa * ball(m) for qa, m in zip(q, mu, strict=True)), arb(0))
    total = sum(w, ZERO)
    keys = tuple(
        history_key(t.history(i), None, s.messages) for i, s in enumerate(instance.senders)
    )
    row = QuantalTranscript(
        alice_feature=instance.alice_features[t.alice_feature],
        said=t.said,
        histories=keys,
        probability=total,
        posterior=tuple(v / total for v in w),
        beliefs=tuple(mu),
        action_probabilities=tuple(interval(p) for p in q),
        gap=interval(gap),
    )
    return row, q
