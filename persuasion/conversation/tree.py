"""The conversation game of an instance as an explicit extensive-form game (Algorithm 1).

Chance draws ``(x_A, x_B, y)`` from the prior (the root's moves: the triples
of positive probability).  Then, each of the ``R`` rounds, Alice sends every
sender a message from ``M_A`` -- one move choosing the vector
``(m_{A,1}, ..., m_{A,k})``, vectors in lexicographic order of message
indices, sender 1's most significant -- and senders ``1, ..., k`` answer in
turn, sender ``i`` from ``M_i``.  After ``R`` rounds Alice takes an action;
each action leads to a leaf, paying ``u_A(a, y)`` and ``U_i(a, y)``.

Information sets (Definition 3): sender ``i``'s are ``(x_B, h_i)``, their
feature and private history (:mod:`persuasion.conversation.histories`): they
do not see Alice's features, the state, nor the other conversations.
Alice's are ``(x_A, (h_1, ..., h_k))``, where she talks or, after round
``R``, acts.  Alice has perfect recall, so each of her information sets
follows exactly one (information set, move) of hers, kept in
:attr:`ConversationGame.alice_parent` for backward induction
(:mod:`persuasion.conversation.alice`).

The tree is held as arrays indexed by node, nodes in breadth-first order by
round (a parent always comes before its children): compiling 10^6 nodes
takes seconds, and :mod:`persuasion.conversation.sizes` refuses a bigger
game before any is built.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from persuasion.conversation.histories import History
from persuasion.conversation.sizes import ConversationSizes, check_conversation_size
from persuasion.model import Instance

__all__ = ["ALICE", "CHANCE", "TERMINAL", "ConversationGame", "InfoSet", "compile_game"]

CHANCE = -1
"""The player of the root."""
ALICE = -2
"""Alice's player number (senders are ``0, ..., k-1``)."""
TERMINAL = -3
"""The "player" of a leaf."""


@dataclass(frozen=True)
class InfoSet:
    """An information set: who moves, what they know, how many moves they have.

    Attributes
    ----------
    player : int
        :data:`ALICE` or a sender's index.
    feature : int
        ``x_A`` (Alice) or ``x_B`` (a sender), an index.
    histories : tuple of History
        Alice: the private history with every sender (even lengths); a sender: ``(h_i,)``.
    moves : int
        Message vectors (Alice talking), actions (Alice acting) or the sender's messages.
    acting : bool
        Whether this is where Alice acts (after the last round).
    """

    player: int
    feature: int
    histories: tuple[History, ...]
    moves: int
    acting: bool = False


@dataclass(frozen=True)
class ConversationGame:
    """An instance's conversation game, compiled (:func:`compile_game`).

    Attributes
    ----------
    instance : Instance
    sizes : ConversationSizes
        Counted before the tree was built; they equal what was built.
    outcomes : tuple of (int, int, int, Fraction)
        The root's moves: ``(x_A, x_B, y, P(x_A, x_B, y))``, positive probabilities.
    vectors : tuple of tuple of int
        Alice's message vectors: her move ``v`` sends ``vectors[v][i]`` to sender ``i``.
    infosets : tuple of InfoSet
        Every information set, in the order they were met (deeper ones later).
    alice_parent : tuple of (int, int) or None
        For each information set of Alice's: her previous one and her move there (None in
        round 1); None for a sender's.
    player, infoset, parent, move, outcome : tuple of int
        Per node: who moves there, its information set (-1 at the root and at leaves), its
        parent (-1 at the root), the move leading to it from its parent, and the index of
        its chance outcome (-1 at the root).
    """

    instance: Instance
    sizes: ConversationSizes
    outcomes: tuple[tuple[int, int, int, Fraction], ...]
    vectors: tuple[tuple[int, ...], ...]
    infosets: tuple[InfoSet, ...]
    alice_parent: tuple[tuple[int, int] | None, ...]
    player: tuple[int, ...]
    infoset: tuple[int, ...]
    parent: tuple[int, ...]
    move: tuple[int, ...]
    outcome: tuple[int, ...]

    @functools.cached_property
    def children(self) -> tuple[tuple[int, ...], ...]:
        """Per node, its children in the order of their moves."""
        kids: list[list[int]] = [[] for _ in self.parent]
        for node, up in enumerate(self.parent):
            if up >= 0:
                kids[up].append(node)
        return tuple(tuple(k) for k in kids)


class _Builder:
    """Appends nodes and interns information sets."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.outcomes = tuple(
            (xa, xb, y, p)
            for xa, table in enumerate(instance.prior)
            for xb, row in enumerate(table)
            for y, p in enumerate(row)
            if p
        )
        self.columns: tuple[list[int], ...] = ([], [], [], [], [])
        self.infosets: list[InfoSet] = []
        self.alice_parent: list[tuple[int, int] | None] = []
        self.index: dict[tuple, int] = {}

    def node(self, player: int, infoset: int, parent: int, move: int, outcome: int) -> int:
        for column, value in zip(
            self.columns, (player, infoset, parent, move, outcome), strict=True
        ):
            column.append(value)
        return len(self.columns[0]) - 1

    def intern(self, info: tuple, previous: tuple[int, int] | None) -> int:
        """The index of the information set ``(player, feature, histories, moves, acting)``,
        made the first time it is met."""
        found = self.index.get(info)
        if found is None:
            found = self.index[info] = len(self.infosets)
            self.infosets.append(InfoSet(*info))
            self.alice_parent.append(previous)
        return found


def _talk(b: _Builder, task: tuple, vectors, acting: bool) -> list[tuple]:
    """Alice's node of one transcript; when talking, her moves and the senders' answers, giving
    the next round's tasks ``(parent, move, outcome, histories, previous)``."""
    inst = b.instance
    parent, move, c, histories, previous = task
    xa, xb = b.outcomes[c][:2]
    moves = inst.num_actions if acting else len(vectors)
    info = b.intern((ALICE, xa, histories, moves, acting), previous)
    here = b.node(ALICE, info, parent, move, c)
    if acting:
        for a in range(moves):
            b.node(TERMINAL, -1, here, a, c)
        return []
    out = []
    for v, vector in enumerate(vectors):
        said = tuple(h + (m,) for h, m in zip(histories, vector, strict=True))
        level = [(here, v, said)]
        for i, sender in enumerate(inst.senders):
            step = []
            for up, mv, hs in level:
                info_i = b.intern((i, xb, (hs[i],), len(sender.messages), False), None)
                node = b.node(i, info_i, up, mv, c)
                for m in range(len(sender.messages)):
                    step.append((node, m, hs[:i] + (hs[i] + (m,),) + hs[i + 1 :]))
            level = step
        out += [(up, mv, c, hs, (info, v)) for up, mv, hs in level]
    return out


def compile_game(instance: Instance, source: str = "<memory>") -> ConversationGame:
    """Compile ``instance``'s conversation game (its ``rounds`` and ``alice_messages``).

    Raises
    ------
    InputError
        When the game has more nodes than
        :data:`~persuasion.limits.MAX_CONVERSATION_NODES` (counted first, nothing built).
    """
    sizes = check_conversation_size(instance, source)
    with _collector_paused():
        return _build(instance, sizes)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: the tree's hundreds of thousands of tuples hold no
    cycle, and the collector walking them again and again made compiling a third slower."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(instance: Instance, sizes: ConversationSizes) -> ConversationGame:
    """:func:`compile_game` once the size is known."""
    b = _Builder(instance)
    vectors = tuple(
        itertools.product(range(instance.protocol.alice_messages), repeat=instance.num_senders)
    )
    root = b.node(CHANCE, -1, -1, -1, -1)
    empty = ((),) * instance.num_senders
    tasks = [(root, c, c, empty, None) for c in range(len(b.outcomes))]
    for _ in range(instance.protocol.rounds):
        tasks = [t for task in tasks for t in _talk(b, task, vectors, acting=False)]
    for task in tasks:
        _talk(b, task, vectors, acting=True)
    player, infoset, parent, move, outcome = (tuple(column) for column in b.columns)
    return ConversationGame(
        instance=instance,
        sizes=sizes,
        outcomes=b.outcomes,
        vectors=vectors,
        infosets=tuple(b.infosets),
        alice_parent=tuple(b.alice_parent),
        player=player,
        infoset=infoset,
        parent=parent,
        move=move,
        outcome=outcome,
    )
