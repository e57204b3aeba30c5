"""One sender's plans in sequence form, and Alice's values as linear forms in them.

Hold every other sender's rule fixed: their answers are chance moves.
Sender ``i``'s *sequences* are the pairs ``(J, m)`` of one of their
information sets ``J = (x_B, h_i)`` and a message ``m``, plus one empty
sequence per feature ``x_B``.  A *realisation plan* ``r`` gives each
sequence a weight (Koller, Megiddo and von Stengel 1996): ``r(empty_xB) = 1``
and, at every ``J``, ``sum_m r(J, m) = r(parent(J))``, the parent being the
sequence of ``J``'s previous round (``(x_B, h[:-2])``, move ``h[-2]``) or the
empty one.  The rule ``pi_i(m | x_B, h) = r(J, m) / r(parent(J))`` plays it.

Every node's reach (:func:`persuasion.conversation.alice.reach_weights`)
is ``coef(node) * r(seq(node))``: chance's probability times the other
senders' answers, times the plan's weight of sender ``i``'s last sequence on
the path.  So wherever Alice acts, her unnormalised posterior -- and with it
the value of each action to her and to the sender -- is *linear* in ``r``:
:class:`PlanSpace` holds those linear forms, per action.  Where Alice talks,
a move's value is the sum of the values of the information sets that follow
it (``after``).  Information sets none of whose nodes has ``coef > 0`` are
*dead*: their mass is 0 whatever the plan, and Alice takes her first move
there (the first action in ``tie_break``, the first message vector).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

from flint import fmpq

from persuasion.conversation.alice import answer_row
from persuasion.conversation.histories import History
from persuasion.conversation.rules import ConversationProfile, HistoryTable, Row
from persuasion.conversation.tree import ALICE, CHANCE, ConversationGame
from persuasion.rationals import to_fmpq as _q, to_fraction as _fraction

__all__ = ["AliceFloor", "Form", "PlanSpace", "plan_space"]

Form = dict[int, Fraction]
"""A linear form in a plan: sequence index -> coefficient (zeros left out)."""


@dataclass(frozen=True)
class AliceFloor:
    """Alice's value must be at least ``bound`` (more than ``bound`` when ``strict``): one more
    linear row in every program over the plans (Definition 16: the sender is selected)."""

    bound: Fraction
    strict: bool

    def admits(self, value: Fraction) -> bool:
        """Whether Alice's value ``value`` meets the floor."""
        return value > self.bound if self.strict else value >= self.bound


@dataclass(frozen=True)
class PlanSpace:
    """Sender ``sender``'s realisation plans in ``game`` and Alice's values as linear forms.

    Attributes
    ----------
    game : ConversationGame
    sender : int
    roots : dict
        ``x_B -> `` the index of its empty sequence (features of positive probability only).
    sequences : dict
        ``(J, m) -> `` the index of sequence ``(J, m)``, ``J`` one of the sender's
        information sets.
    parent : dict
        ``J -> `` the index of its parent sequence.
    live : tuple of int
        Alice's information sets that are not dead, in the game's order (deeper later).
    alice, utility : dict
        Per live set where Alice acts: per action, Alice's and the sender's unnormalised
        expected utility as a :data:`Form`.
    support : dict
        Per live set: the sender's sequences on the paths to its nodes of positive ``coef``.
    after : dict
        Per live set where Alice talks: per move, the live sets that follow it.
    first : tuple of int
        Per information set of Alice's: her first move in tie order (-1 at a sender's).
    alice_floor : AliceFloor or None
        Only plans under which Alice's value reaches a floor count (the best-AI selection
        game, Definition 16: being selected; :mod:`persuasion.conversation.selection`).
    """

    game: ConversationGame
    sender: int
    roots: dict[int, int]
    sequences: dict[tuple[int, int], int]
    parent: dict[int, int]
    live: tuple[int, ...]
    alice: dict[int, tuple[Form, ...]]
    utility: dict[int, tuple[Form, ...]]
    support: dict[int, tuple[int, ...]]
    after: dict[int, tuple[tuple[int, ...], ...]]
    first: tuple[int, ...]
    alice_floor: AliceFloor | None = None

    @functools.cached_property
    def owner(self) -> dict[int, tuple[int, int]]:
        """Sequence index -> ``(J, m)`` (the empty sequences left out)."""
        return {s: pair for pair, s in self.sequences.items()}

    @property
    def size(self) -> int:
        """How many sequences (variables of a plan) there are."""
        return len(self.roots) + len(self.sequences)

    @property
    def plan_count(self) -> int:
        """How many pure plans Alice has on the live sets (a move at each)."""
        return math.prod(self.game.infosets[k].moves for k in self.live)

    def order(self, info: int) -> tuple[int, ...]:
        """Alice's moves at ``info`` in her tie order: ``tie_break`` where she acts, index order
        where she talks."""
        at = self.game.infosets[info]
        return self.game.instance.protocol.tie_break if at.acting else tuple(range(at.moves))

    def plan(self, profile: ConversationProfile) -> tuple[Fraction, ...]:
        """The plan the sender's rule in ``profile`` plays: ``r(J, m) = r(parent(J)) pi(m | x_B,
        h)``, 0 below a sequence of weight 0 (where a table may have no row)."""
        plan = [Fraction(0)] * self.size
        for root in self.roots.values():
            plan[root] = Fraction(1)
        for info, up in self.parent.items():  # parents first: histories by length
            if plan[up]:
                at = self.game.infosets[info]
                row = profile.answer(self.sender, at.feature, at.histories[0])
                for m, p in enumerate(row):
                    plan[self.sequences[info, m]] = plan[up] * p
        return tuple(plan)

    def rule(self, plan, profile: ConversationProfile) -> tuple[Row | HistoryTable, ...]:
        """The sender's rule playing ``plan`` (a weight per sequence): a :class:`HistoryTable`
        per feature (a :data:`Row` when there is one history only); where the parent
        sequence's weight is 0, the first message.  Features of probability 0 keep their rule
        in ``profile``."""
        game, inst = self.game, self.game.instance
        width = len(inst.senders[self.sender].messages)
        rows: dict[int, list[tuple[History, Row]]] = {}
        for info, up in self.parent.items():
            at = game.infosets[info]
            weight = plan[up]
            row = tuple(
                plan[self.sequences[info, m]] / weight if weight else Fraction(int(m == 0))
                for m in range(width)
            )
            rows.setdefault(at.feature, []).append((at.histories[0], row))
        single = inst.protocol.rounds == 1 and inst.protocol.alice_messages == 1
        return tuple(
            profile.rules[self.sender][xb]
            if xb not in rows
            else (rows[xb][0][1] if single else HistoryTable(tuple(rows[xb])))
            for xb in range(len(inst.sender_features))
        )


def _sequences(game: ConversationGame, sender: int) -> tuple[dict, dict, dict]:
    """The empty sequences by feature, the sequences ``(J, m)`` and each ``J``'s parent."""
    roots: dict[int, int] = {}
    for _, xb, _, _ in game.outcomes:
        roots.setdefault(xb, len(roots))
    sets = {
        (at.feature, at.histories[0]): info
        for info, at in enumerate(game.infosets)
        if at.player == sender
    }
    sequences: dict[tuple[int, int], int] = {}
    parent: dict[int, int] = {}
    for (xb, h), info in sorted(sets.items(), key=lambda item: len(item[0][1])):
        if len(h) == 1:
            parent[info] = roots[xb]
        else:
            parent[info] = sequences[sets[xb, h[:-2]], h[-2]]
        for m in range(game.infosets[info].moves):
            sequences[info, m] = len(roots) + len(sequences)
    return roots, sequences, parent


def _walk(game: ConversationGame, profile: ConversationProfile, sender: int, roots, sequences):
    """Per node, ``coef`` (chance times the other senders' answers) and the index of the
    sender's last sequence on its path (the nodes of ``coef`` 0 are left at 0, -1)."""
    n = len(game.parent)
    coef, seq = [fmpq()] * n, [-1] * n
    coef[0] = fmpq(1)
    chance = [_q(p) for *_, p in game.outcomes]
    rows: dict[int, list[fmpq]] = {}
    player, parent, move, infoset = game.player, game.parent, game.move, game.infoset
    for node in range(1, n):
        up = parent[node]
        weight = coef[up]
        if not weight:
            continue
        who, mv = player[up], move[node]
        if who == CHANCE:
            coef[node], seq[node] = chance[mv], roots[game.outcomes[mv][1]]
            continue
        seq[node] = seq[up]
        if who == ALICE:
            coef[node] = weight
        elif who == sender:
            coef[node], seq[node] = weight, sequences[infoset[up], mv]
        else:
            coef[node] = weight * answer_row(game, profile, rows, infoset[up])[mv]
    return coef, seq


def _acting_forms(game: ConversationGame, sender: int, coef, seq) -> tuple[dict, dict, dict]:
    """Per acting information set with a node of positive ``coef``: per action, Alice's and
    the sender's value as forms; per live information set of Alice's, its support."""
    inst = game.instance
    weights: dict[int, dict[int, list[fmpq]]] = {}
    ny = inst.num_states
    for node, who in enumerate(game.player):
        if who != ALICE or not coef[node]:
            continue
        info = game.infoset[node]
        w = weights.setdefault(info, {}).setdefault(seq[node], [fmpq()] * ny)
        w[game.outcomes[game.outcome[node]][2]] += coef[node]

    def forms(matrix, w) -> tuple[Form, ...]:
        u = [[_q(v) for v in row] for row in matrix]
        out = []
        for row in u:
            form = {}
            for s, ws in w.items():
                c = sum((p * v for p, v in zip(ws, row, strict=True) if p), fmpq())
                if c:
                    form[s] = _fraction(c)
            out.append(form)
        return tuple(out)

    own = inst.senders[sender].utility
    acting = {info: w for info, w in weights.items() if game.infosets[info].acting}
    alice = {info: forms(inst.alice_utility, w) for info, w in acting.items()}
    utility = {info: forms(own, w) for info, w in acting.items()}
    return alice, utility, {info: tuple(sorted(w)) for info, w in weights.items()}


def plan_space(game: ConversationGame, profile: ConversationProfile, sender: int) -> PlanSpace:
    """Sender ``sender``'s plans in ``game`` against the other senders' rules in ``profile``."""
    roots, sequences, parent = _sequences(game, sender)
    coef, seq = _walk(game, profile, sender, roots, sequences)
    alive = [False] * len(game.infosets)
    for node, who in enumerate(game.player):
        if who == ALICE and coef[node]:
            alive[game.infoset[node]] = True
    live = tuple(k for k, a in enumerate(alive) if a)
    after: dict[int, list[list[int]]] = {}
    for k in live:
        at = game.infosets[k]
        if not at.acting:
            after[k] = [[] for _ in range(at.moves)]
    for k in live:
        up = game.alice_parent[k]
        if up is not None:
            after[up[0]][up[1]].append(k)
    alice, utility, support = _acting_forms(game, sender, coef, seq)
    tie = game.instance.protocol.tie_break
    first = tuple(
        -1 if at.player != ALICE else (tie[0] if at.acting else 0) for at in game.infosets
    )
    return PlanSpace(
        game=game,
        sender=sender,
        roots=roots,
        sequences=sequences,
        parent=parent,
        live=live,
        alice=alice,
        utility=utility,
        support=support,
        after={k: tuple(tuple(v) for v in moves) for k, moves in after.items()},
        first=first,
    )
