"""Alice's lambda-quantal response, enclosed in rationals (Definitions 10-13, Proposition 2,
Theorem 2), in one round or after ``R`` rounds of straightforward reports
(:func:`straightforward`), and the kernel's chain of the claim ``theorem-2``.

Every probability and utility under quantal response involves ``exp``, so it is
irrational in general; here each is a certified rational enclosure ``[lo, hi]``.
The arithmetic is python-flint's ``arb`` ball arithmetic at :data:`BITS` bits:
every operation returns a ball proven to contain the exact result, and
:func:`interval` turns a ball into its exact rational endpoints.  Why ``arb``
and not the series of :mod:`persuasion.checker.enclosures`: a sender's
deviation bound (:mod:`persuasion.qre.deviation`) evaluates the quantal response
at thousands of posteriors, and ``arb``'s ``exp`` is about 150 times faster
(4.5 us for a 3-action softmax against 0.7 ms) and as rigorous; python-flint is
allowed in the kernel.  The beliefs ``mu`` themselves are exact rationals.

The helpers take plain tables (``prior[x_A][x_B][y]``, utility matrices
``[a][y]``, schemes ``[x_B][m]``), so the solver's front door
(:mod:`persuasion.qre`) calls the same functions on its own instances.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction

from flint import arb, ctx, fmpq

from persuasion import limits
from persuasion.checker.claims import aligned, alignment, witnesses
from persuasion.checker.core import claim, require
from persuasion.checker.game import ZERO, Game, as_sender, events, read_profile

BITS = 128
"""Working precision of every ball (bits): enclosures about ``2**-120`` wide."""

Interval = tuple[Fraction, Fraction]


# --------------------------------------------------------------------------- balls


def ball(q: Fraction) -> arb:
    """A ball containing the rational ``q`` (exact when ``q`` is dyadic and short)."""
    return arb(fmpq(q.numerator, q.denominator))


def _exact(bound: arb) -> Fraction:
    man, exp = (int(v) for v in bound.mid().man_exp())
    return Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)


def interval(x: arb) -> Interval:
    """The exact rational endpoints ``[lo, hi]`` of the ball ``x``."""
    return _exact(x.lower()), _exact(x.upper())


def beliefs(alice: Sequence[Sequence[Fraction]], w: Sequence[Fraction]) -> list[Fraction]:
    """``mu_a = sum_y w(y) u_A(a, y) / sum_y w(y)``: Alice's posterior expected utility of each
    action (Definition 11's belief vector) at the unnormalised posterior ``w``, exactly."""
    total = sum(w, ZERO)
    return [sum((p * u for p, u in zip(w, row, strict=True) if p), ZERO) / total for row in alice]


def softmax_balls(z: Sequence[arb]) -> list[arb]:
    """``softmax(z)_a = e^{z_a} / sum_b e^{z_b}``, shifted by the exact largest midpoint (softmax
    ignores a common shift, and every exponent stays near or below 0)."""
    top = max((v.mid() for v in z), key=lambda m: m)
    exps = [(v - top).exp() for v in z]
    total = sum(exps[1:], exps[0])
    return [e / total for e in exps]


def response(alice: Sequence[Sequence[Fraction]], w: Sequence[Fraction], lam: Fraction) -> list:
    """Definition 11: Alice's lambda-quantal action distribution at the unnormalised posterior
    ``w``, as balls (``softmax(lambda mu)``)."""
    mu = beliefs(alice, w)
    top = max(mu)
    return softmax_balls([ball(lam * (m - top)) for m in mu])  # exact shift: exponents <= 0


def values(
    probs: Sequence[arb], w: Sequence[Fraction], matrix: Sequence[Sequence[Fraction]]
) -> arb:
    """``sum_a q(a) sum_y w(y) U(a, y)``: a utility's share of one situation under the action
    distribution ``q`` (unnormalised: ``w`` carries the situation's probability)."""
    total = arb(0)
    for q, row in zip(probs, matrix, strict=True):
        v = sum((p * u for p, u in zip(w, row, strict=True) if p), ZERO)
        if v:
            total += q * ball(v)
    return total


# --------------------------------------------------------------------------- outcomes


def quantal_utilities(game: Game, schemes: list, lam: Fraction) -> tuple[Interval, list[Interval]]:
    """Alice's and every sender's expected utility under ``I^Q`` (Definition 12) when Alice hears
    ``schemes`` and responds lambda-quantally: ``sum`` over situations ``(x_A, messages)`` of
    ``sum_a q(a) sum_y w(y) U(a, y)``."""
    matrices = [game.alice, *game.utilities]
    with ctx.workprec(BITS):
        totals = [arb(0)] * len(matrices)
        for w in events(game, schemes).values():
            q = response(game.alice, w, lam)
            totals = [t + values(q, w, m) for t, m in zip(totals, matrices, strict=True)]
        alice, *senders = (interval(t) for t in totals)
    return alice, senders


def straightforward(
    prior: Sequence[Sequence[Sequence[Fraction]]],
    alice: Sequence[Sequence[Fraction]],
    answer: Callable[[int, int, tuple], Sequence[Fraction]],
    counts: Sequence[int],
    rounds: int,
) -> Iterator[tuple[int, tuple, tuple, list[Fraction]]]:
    """Every transcript of positive probability when Alice follows the straightforward rule
    (Definition 10) for ``rounds`` rounds: ``(x_A, her vectors, the answers, w)``, by ``x_A``.

    Each round Alice tells every sender ``mu = beliefs(alice, w)`` and sender ``i`` answers
    ``answer(i, x_B, h_i)`` on their private history ``h_i = (mu_1, b_1, ..., mu_r)``
    (Algorithm 1); ``counts[i]`` is their number of messages.  Her vectors follow from ``x_A``
    and the answers, so given ``x_A`` a transcript's likelihood under ``x_B`` is the product of
    its answers' probabilities, ``L(x_B)``, kept exactly for every ``x_B`` still possible; ``w(y)
    = sum_{x_B} P(x_A, x_B, y) L(x_B)`` is her unnormalised posterior.
    """
    for xa, table in enumerate(prior):
        start = {xb: Fraction(1) for xb, row in enumerate(table) if any(row)}
        level: list[tuple[tuple, tuple, dict]] = [((), (), start)] if start else []
        for _ in range(rounds):
            after = []
            for said, answers, like in level:
                said = (*said, tuple(beliefs(alice, _weights(table, like))))
                rows = {
                    xb: [answer(i, xb, _private(said, answers, i)) for i in range(len(counts))]
                    for xb in like
                }
                for combo in itertools.product(*(range(c) for c in counts)):
                    new = {}
                    for xb, p in like.items():
                        for i, b in enumerate(combo):
                            p *= rows[xb][i][b]
                        if p:
                            new[xb] = p
                    if new:
                        after.append((said, (*answers, combo), new))
            level = after
        for said, answers, like in level:
            yield xa, said, answers, _weights(table, like)


def walk_size(features: int, counts: Sequence, rounds: int, cap: int) -> int | None:
    """An upper bound of the steps of :func:`straightforward` -- ``features * sum_{r <= R}
    (prod_i |M_i|)^r`` partial transcripts, ``counts`` the senders' message sets or counts -- or
    None once it passes ``cap`` (each round adds a step at least, so a huge ``rounds`` stops
    early)."""
    grow = math.prod(c if isinstance(c, int) else len(c) for c in counts)
    total, level = 0, max(features, 1)
    for _ in range(rounds + 1):
        total += level
        if total > cap:
            return None
        level *= grow
    return total


def _private(said: tuple, answers: tuple, sender: int) -> tuple:
    """Sender ``sender``'s history before answering in the round of ``said[-1]``."""
    out: list = []
    for r, v in enumerate(said):
        out.append(v)
        if r < len(answers):
            out.append(answers[r][sender])
    return tuple(out)


def _weights(table: Sequence[Sequence[Fraction]], like: dict[int, Fraction]) -> list[Fraction]:
    """``w(y) = sum_{x_B} P(x_A, x_B, y) L(x_B)``."""
    return [sum((table[xb][y] * p for xb, p in like.items()), ZERO) for y in range(len(table[0]))]


def conversation_utilities(
    game: Game, rules: list, counts: list[int], lam: Fraction
) -> tuple[Interval, list[Interval]]:
    """Alice's and every sender's expected utility under ``I^Q`` when she follows the
    straightforward rule for ``game.rounds`` rounds with the senders' ``rules`` (conversation
    rules, :mod:`persuasion.checker.conversation`) and then responds lambda-quantally."""
    from persuasion.checker.conversation import answer

    def ask(i: int, xb: int, history: tuple) -> list[Fraction]:
        return answer(rules[i], xb, history, f"rules[{i}]")

    matrices = [game.alice, *game.utilities]
    with ctx.workprec(BITS):
        totals = [arb(0)] * len(matrices)
        for *_, w in straightforward(game.prior, game.alice, ask, counts, game.rounds):
            q = response(game.alice, w, lam)
            totals = [t + values(q, w, m) for t, m in zip(totals, matrices, strict=True)]
        alice, *senders = (interval(t) for t in totals)
    return alice, senders


def uniform_error(
    prior: Sequence[Sequence[Sequence[Fraction]]],
    alice: Sequence[Sequence[Fraction]],
    scheme: Sequence[Sequence[Fraction]],
) -> Fraction:
    """Proposition 2's ``eps_u`` read over *every* transcript in which some sender plays
    ``scheme`` (whatever the others send): the largest ``||mu_true(x_A, x_B) - mu_true(x_A,
    x_B')||_inf`` over two features ``x_B, x_B'`` that send one message ``m`` of the scheme
    (a *cell*), ``mu_true(x_A, x_B)`` Alice's beliefs knowing both features.

    Why this is the supremum.  The other senders' messages depend on ``x_B`` only, so Alice's
    posterior belief vector after ``(x_A, m, others)`` is ``E[mu_true(x_A, x_B) | x_A, m,
    others]``: a convex combination of the ``mu_true`` of the cell of ``m``, which contains the
    true ``x_B``.  Its distance to ``mu_true(x_A, x_B)`` is at most the cell's diameter, and
    another sender whose message is far likelier under ``x_B'`` brings it as close to the diameter
    as wished.  It is 0 exactly when every cell's features give Alice one belief vector -- in
    particular when ``scheme`` reveals ``x_B`` -- and then her posterior beliefs are
    ``mu_true(x_A, x_B)`` whichever sender plays the scheme and whatever the others send.
    """
    worst = ZERO
    for table in prior:
        for m in range(len(scheme[0])):
            cell = [
                beliefs(alice, row) for xb, row in enumerate(table) if scheme[xb][m] and any(row)
            ]
            for u, v in itertools.combinations(cell, 2):
                worst = max([worst] + [abs(a - b) for a, b in zip(u, v, strict=True)])
    return worst


def delta_interval(lam: Fraction, error: Fraction) -> Interval:
    """Definition 13's ``delta`` by Proposition 2: ``min(2, e^{4 lambda eps_u} - 1)`` enclosed.

    Proof (one round).  Fix any profile and two senders ``i, j`` deviating to the reference rule.
    Given ``(x_A, x_B)``, Alice's belief vector under either deviation lies within ``eps_u`` of
    ``mu_true(x_A, x_B)`` (:func:`uniform_error`), so the two are within ``2 eps_u`` and Lemma 2
    bounds the ``l_1`` distance of her two action distributions by ``e^{4 lambda eps_u} - 1``;
    ``y`` is independent of the messages given the features, so the same bound holds for the
    joint ``(a, y)`` distributions (the proof of Proposition 2).  An ``l_1`` distance of two
    distributions never exceeds 2, so ``delta <= 2`` too; ``eps_u = 0`` gives exactly 0.
    After ``R`` rounds of straightforward reports the same holds: the sender playing the
    reference rule sent the true ``x_B``'s round-1 message, so Alice's beliefs stay in the hull
    of its cell whatever else she heard.
    """
    x = 4 * lam * error
    if x == 0:
        return ZERO, ZERO
    if x >= 2:  # e^2 - 1 > 2: the trivial bound wins
        return Fraction(2), Fraction(2)
    with ctx.workprec(BITS):
        lo, hi = interval(ball(x).exp() - 1)
    return lo, min(hi, Fraction(2))


def spread(matrix: Sequence[Sequence[Fraction]]) -> Fraction:
    """``max U - min U``: ``|E_P[U] - E_Q[U]| <= spread(U) / 2 * ||P - Q||_1``."""
    cells = [u for row in matrix for u in row]
    return max(cells) - min(cells)


# --------------------------------------------------------------------------- Theorem 2


def quantal_game(game: Game) -> Fraction:
    """Theorem 2 is about the simultaneous game and quantal decisions after ``R`` rounds of
    straightforward reports (Alice's messages her belief vectors: ``alice_messages`` 1)."""
    require(
        game.game == "simultaneous" and game.lam is not None and game.alice_messages == 1,
        "instance: theorem-2 needs the simultaneous game, alice_messages 1 and the quantal "
        "decision rule",
    )
    exponent = game.lam * spread(game.alice)
    require(
        exponent <= limits.MAX_QUANTAL_EXPONENT,
        "instance: lambda * (max u_A - min u_A) beyond MAX_QUANTAL_EXPONENT = "
        f"{limits.MAX_QUANTAL_EXPONENT}",
    )
    situations = len(game.prior) * len(game.sender_features) * math.prod(map(len, game.messages))
    per_term = len(game.actions) * (len(game.names) + 2)
    cap = limits.MAX_QUANTAL_EXPONENTIALS // per_term
    talks = [
        walk_size(len(game.prior), c, game.rounds, cap)
        for c in (game.messages, [max(game.messages, key=len)])
    ]
    require(
        situations <= cap and None not in talks,
        f"instance: more exponentials than MAX_QUANTAL_EXPONENTIALS = "
        f"{limits.MAX_QUANTAL_EXPONENTIALS} ({game.rounds} round(s))",
    )
    return game.lam


def _not_refuted(low: Fraction, high: Fraction, step: str) -> None:
    """A step ``true_low <= true_high`` of the proof, on enclosures: refuted only when the lower
    end of the left side exceeds the upper end of the right."""
    require(low <= high, f"proof: {step} fails")


@claim("theorem-2")
def theorem_2(cert: dict, game: Game) -> tuple[bool, dict]:
    """Theorem 2 (Section D.2), with gains, at any profile: ``E_{I^Q}[u_A] >= U_A(C*) - 2 eps -
    delta (s_A + sum_j w_j s_j) / 2 - sum_j w_j g_j``.

    ``s`` are the utilities' spreads (1 each in the paper's units, where the term is ``delta``),
    ``g_j = max(0, E_dev_j[U_j] - E_profile[U_j])`` the gain of sender ``j``'s deviation to C*
    (0 at a quantal response equilibrium), ``U_A(C*)`` Alice's quantal utility hearing C* alone.
    Chain: fit + dual => eps exact; C* + its bound => C* proven optimal (Definition 8); every
    outcome enclosed; ``delta`` by Proposition 2 (:func:`delta_interval`); then every step of the
    proof (docs/explanation/quantal-response.md) replayed on the enclosures.  ``holds`` says every
    weighted sender can send C*'s messages.
    """
    lam = quantal_game(game)
    wit = witnesses(cert, "fit", "lower_bound", "aligned")
    eps, w, c = alignment(game, wit, simplex=False)
    profile = _profile(cert["profile"], game)
    c_star, _ = aligned(game, wit["aligned"])
    alice, now = _outcome(game, profile, lam)
    single, _ = _outcome(game, [c_star], lam)
    error = uniform_error(game.prior, game.alice, c_star)
    delta = delta_interval(lam, error)
    devs = _deviations(game, profile, c_star, (alice, now))
    gains = [None if d is None else max(ZERO, d[1][i][1] - now[i][0]) for i, d in enumerate(devs)]
    weighted = [i for i, wi in enumerate(w) if wi]
    able = all(devs[i] is not None for i in weighted)
    term = (
        delta[1]
        * (spread(game.alice) + sum((w[i] * spread(game.utilities[i]) for i in weighted), ZERO))
        / 2
    )
    bound = single[0] - 2 * eps - term - sum((w[i] * gains[i] for i in weighted if able), ZERO)
    if able:
        _replay(game, (alice, now, single, delta, devs), w, c, eps, bound)
    return able, {
        "lambda": lam,
        "alice_utility": list(alice),
        "sender_utilities": [list(u) for u in now],
        "aligned_utility": list(single),
        "epsilon": eps,
        "weights": w,
        "eps_u": error,
        "delta": list(delta),
        "gains": gains,
        "bound": bound,
        "senders_can_play_c_star": able,
    }


def _deviations(game: Game, profile: list, c_star: list, now: tuple) -> list:
    """Each sender's deviation to C*: the enclosed utilities (``now`` itself when C* is already
    their scheme, so that their gain is exactly 0), or None when they lack C*'s messages."""
    devs = []
    for i in range(len(game.names)):
        scheme = as_sender(c_star, len(game.messages[i]))
        if scheme is None or scheme == profile[i]:
            devs.append(None if scheme is None else now)
        else:
            swapped = profile[:i] + [scheme] + profile[i + 1 :]
            devs.append(_outcome(game, swapped, game.lam))
    return devs


def _profile(value: object, game: Game) -> list:
    """The certificate's profile: schemes in one round, conversation rules (rows maybe keyed by
    Alice's belief vectors) past it."""
    if game.rounds == 1:
        return read_profile(value, game)
    from persuasion.checker.conversation import read_profile as read_rules

    return read_rules(value, game)


def _outcome(game: Game, rules: list, lam: Fraction) -> tuple[Interval, list[Interval]]:
    """Everyone's quantal utility when Alice hears ``rules``: in one round (schemes) by
    :func:`quantal_utilities`, past it by :func:`conversation_utilities`."""
    if game.rounds == 1:
        return quantal_utilities(game, rules, lam)
    counts = [len(next(iter(r[0].values())) if isinstance(r[0], dict) else r[0]) for r in rules]
    return conversation_utilities(game, rules, counts, lam)


def _replay(
    game: Game, outcomes: tuple, w: list, c: Fraction, eps: Fraction, bound: Fraction
) -> None:
    """Every inequality of Theorem 2's proof, none refuted by the enclosures (``k`` the first
    weighted sender, the anchor; with none, Alice's utility lies within ``eps`` of ``c``)."""
    alice, now, single, delta, devs = outcomes
    weighted = [i for i, wi in enumerate(w) if wi]
    _not_refuted(
        sum((w[i] * now[i][0] for i in weighted), ZERO),
        alice[1] - c + eps,
        "alignment at the profile",
    )
    for k in weighted[:1]:
        dev_alice, dev_k = devs[k]
        for j in weighted:
            half = delta[1] * spread(game.utilities[j]) / 2
            _not_refuted(dev_k[j][0] - half, devs[j][1][j][1], f"delta-closeness for sender {j}")
        _not_refuted(
            dev_alice[0] - c - eps,
            sum((w[j] * dev_k[j][1] for j in weighted), ZERO),
            "alignment on the deviation",
        )
        half = delta[1] * spread(game.alice) / 2
        _not_refuted(single[0] - half, dev_alice[1], "Alice's deviation utility against U_A(C*)")
    _not_refuted(bound, alice[1], "Alice's utility is below the bound")
