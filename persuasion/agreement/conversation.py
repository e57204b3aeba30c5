"""The straightforward conversation (Definition 10) between Alice and a Bob, simulated exactly.

Each round Alice reports her belief vector ``mu_A = (E[u_A(a, y) | x_A, transcript])_a``, then Bob
reports his, ``mu_B = (E[u_A(a, y) | x_B, transcript])_a`` -- having heard Alice's report of the
round, as in Algorithm 1, where Alice's message joins Bob's history before he answers (Aaronson
2005's alternating protocol: order ``"alternating"``).  Definition 10 read literally has Bob report
``E[u_A | x_B, pi^{k-1}]``, on the transcript before the round, simultaneously with Alice (order
``"simultaneous"``): then both split the rectangle of the previous round.  Several Bobs add
nothing: they share ``x_B``, hear the same reports from Alice and so say the same things.

The transcript is a deterministic function of ``(x_A, x_B)``, and the pairs that produce a given
transcript form a *rectangle* ``S_A x S_B`` (every message depends on one party's feature and
the transcript so far): what the transcript makes common knowledge.  Alice's report splits
``S_A`` by her belief, Bob's splits ``S_B`` by his; Alice's information is ``{x_A} x S_B``,
Bob's ``S_A x {x_B}``.  A round that splits a pair's rectangle on neither side leaves it so for
ever, and then both report ``E[u_A | S_A x S_B]``: exact agreement.  So a pair's reports disagree
only in rounds that split its rectangle, at most ``|X_A| + |X_B| - 2`` of them, and its
conversation settles (its reports stay the same from then on) by round ``|X_A| + |X_B| - 1``.

Only pairs of positive probability are simulated; features of probability 0 given the rectangle
drop out of it (they cannot be the true ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from persuasion.checker.substitutes import ZERO, masses

Beliefs = tuple[Fraction, ...]
"""A belief vector: one expected utility per action."""


@dataclass(frozen=True)
class Pair:
    """One pair ``(x_A, x_B)`` of positive probability and its straightforward conversation.

    ``reports[k] = (mu_A, mu_B)`` of round ``k + 1``; ``final`` is Alice's belief after the last
    report, ``E[u_A | x_A, transcript]``; ``true`` is ``E[u_A | x_A, x_B]``; ``common`` the
    rectangle ``(S_A, S_B)`` the transcript makes common knowledge.
    """

    alice: int
    senders: int
    probability: Fraction
    reports: tuple[tuple[Beliefs, Beliefs], ...]
    final: Beliefs
    true: Beliefs
    common: tuple[tuple[int, ...], tuple[int, ...]]

    @property
    def error(self) -> Beliefs:
        """Alice's estimation error per action, ``|E[u_A | x_A, x_B] - E[u_A | x_A, pi]|``."""
        return tuple(abs(t - f) for t, f in zip(self.true, self.final, strict=True))

    def agreement_round(self, zeta: Fraction) -> int | None:
        """The first round whose reports are ``zeta``-close (Definition 15), else None."""
        for k, (mu_a, mu_b) in enumerate(self.reports, start=1):
            if max(abs(x - y) for x, y in zip(mu_a, mu_b, strict=True)) <= zeta:
                return k
        return None

    def settled_round(self) -> int:
        """The first round from which the reports no longer change (in the rounds played: the
        caller knows whether the conversation has settled)."""
        k = len(self.reports)
        while k > 1 and self.reports[k - 2] == self.reports[-1]:
            k -= 1
        return k


@dataclass(frozen=True)
class Conversation:
    """Every pair's straightforward conversation: the ``rounds`` played, and whether the last one
    refined nothing (``settled``: every report stays the same from then on)."""

    pairs: tuple[Pair, ...]
    rounds: int
    settled: bool


def _speak(p: list, m: list, rect: tuple, alice: bool) -> dict[Beliefs, tuple]:
    """One party's report on the rectangle ``(S_A, S_B)``: its features of positive mass grouped by
    belief vector, in order of first appearance."""
    own, other = (rect[0], rect[1]) if alice else (rect[1], rect[0])
    groups: dict[Beliefs, list[int]] = {}
    for f in own:
        cells = [(f, g) if alice else (g, f) for g in other]
        mass = sum((p[i][j] for i, j in cells), ZERO)
        if mass:
            total = [sum(col, ZERO) for col in zip(*(m[i][j] for i, j in cells), strict=True)]
            groups.setdefault(tuple(v / mass for v in total), []).append(f)
    return {belief: tuple(fs) for belief, fs in groups.items()}


ORDERS = ("alternating", "simultaneous")
"""Who hears what within a round: Bob after Alice's report of the round (Algorithm 1), or both on
the transcript of the rounds before (Definition 10 read literally)."""


def _round(
    p: list, m: list, rects: list[tuple], simultaneous: bool
) -> tuple[list[tuple], dict, bool]:
    """One round on every rectangle: Alice reports, then Bob (on Alice's report too unless
    ``simultaneous``).  Returns the new rectangles, each pair's ``(mu_A, mu_B)`` and whether any
    rectangle split."""
    split, out, said = False, [], {}
    for rect in rects:
        by_alice = _speak(p, m, rect, alice=True)
        split |= len(by_alice) > 1
        for mu_a, s_a in by_alice.items():
            by_bob = _speak(p, m, rect if simultaneous else (s_a, rect[1]), alice=False)
            split |= len(by_bob) > 1
            for mu_b, s_b in by_bob.items():
                out.append((s_a, s_b))
                for i in s_a:
                    for j in s_b:
                        said[i, j] = (mu_a, mu_b)
    return out, said, split


def converse(
    prior: list, utility: list, limit: int | None = None, order: str = "alternating"
) -> Conversation:
    """Simulate the straightforward conversation on ``prior[x_A][x_B][y]`` for Alice's
    ``utility[a][y]``: ``limit`` rounds, or (None) until a round refines nothing; ``order`` one
    of :data:`ORDERS`."""
    p, m = masses(prior, utility)
    rects = [(tuple(range(len(prior))), tuple(range(len(prior[0]))))]
    reports: dict[tuple[int, int], list] = {}
    rounds, settled = 0, False
    while limit is None or rounds < limit:
        rects, said, split = _round(p, m, rects, order == "simultaneous")
        rounds += 1
        for key, pair in said.items():
            reports.setdefault(key, []).append(pair)
        if not split:
            settled = True
            break
    common = {(i, j): rect for rect in rects for i in rect[0] for j in rect[1]}
    pairs = []
    for (i, j), said in sorted(reports.items()):
        if not p[i][j]:
            continue
        s_b = common[i, j][1]
        mass = sum((p[i][k] for k in s_b), ZERO)
        final = tuple(sum((m[i][k][a] for k in s_b), ZERO) / mass for a in range(len(utility)))
        true = tuple(v / p[i][j] for v in m[i][j])
        pairs.append(Pair(i, j, p[i][j], tuple(said), final, true, common[i, j]))
    return Conversation(tuple(pairs), rounds, settled)
