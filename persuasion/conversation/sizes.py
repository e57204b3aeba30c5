"""How big an instance's conversation game is, counted before anything is built (Algorithm 1).

With ``k`` senders, ``n = |M_A|`` messages for Alice and ``|M_i|`` for sender
``i``, one round multiplies Alice's transcripts by ``G = n^k * prod_i |M_i|``:
after ``r`` rounds there are ``T_r = G^r`` of them.  Per chance outcome
``(x_A, x_B, y)`` of positive probability the tree has, in each round, ``T_r``
nodes where Alice talks and ``T_r * n^k * (1 + |M_1| + |M_1||M_2| + ... +
|M_1|...|M_{k-1}|)`` where senders answer, then ``T_R`` nodes where Alice acts,
each with ``|A|`` leaves; one chance node sits at the root.  Alice's
information sets are ``(x_A, transcript so far)``; sender ``i``'s are
``(x_B, h_i)`` over the ``sum_{r=1..R} n^r |M_i|^(r-1)`` histories they answer on.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from persuasion.errors import InputError, show
from persuasion.limits import MAX_CONVERSATION_NODES
from persuasion.model import Instance
from persuasion.numbers import beyond

__all__ = [
    "ConversationSizes",
    "check_conversation_size",
    "check_history_count",
    "conversation_sizes",
]


@dataclass(frozen=True)
class ConversationSizes:
    """The size of an instance's conversation game (:mod:`persuasion.conversation.sizes`).

    Attributes
    ----------
    rounds : int
        ``R``.
    chance_outcomes : int
        Triples ``(x_A, x_B, y)`` of positive prior probability (the root's moves).
    transcripts : int
        Complete transcripts, ``T_R = (n^k prod_i |M_i|)^R``: Alice's information sets where
        she acts, per feature ``x_A``.
    sender_histories : tuple of int
        Per sender, the private histories they answer on.
    alice_information_sets : int
        Where Alice talks or acts: ``(x_A, transcript)``, for each ``x_A`` of positive probability.
    sender_information_sets : tuple of int
        Per sender, ``(x_B, h_i)`` for each ``x_B`` of positive probability.
    nodes : int
        Every node of the tree, leaves included.
    leaves : int
        Terminal nodes: ``chance_outcomes * T_R * |A|``.
    """

    rounds: int
    chance_outcomes: int
    transcripts: int
    sender_histories: tuple[int, ...]
    alice_information_sets: int
    sender_information_sets: tuple[int, ...]
    nodes: int
    leaves: int

    def to_json(self) -> dict:
        """The sizes as JSON integers, sender counts in the instance's sender order."""
        return {
            "rounds": self.rounds,
            "chance_outcomes": self.chance_outcomes,
            "transcripts": self.transcripts,
            "sender_histories": list(self.sender_histories),
            "alice_information_sets": self.alice_information_sets,
            "sender_information_sets": list(self.sender_information_sets),
            "nodes": self.nodes,
            "leaves": self.leaves,
        }


def _present(instance: Instance) -> tuple[int, int, int]:
    """Chance outcomes, Alice features and sender features of positive probability."""
    cells = alice = 0
    senders: set[int] = set()
    for table in instance.prior:
        here = [b for b, row in enumerate(table) for p in row if p]
        cells += len(here)
        alice += bool(here)
        senders.update(here)
    return cells, alice, len(senders)


def conversation_sizes(instance: Instance, cap: int | None = None) -> ConversationSizes | None:
    """The sizes of ``instance``'s conversation game, or None once its nodes pass ``cap``.

    Nothing is built; with a cap the count stops as soon as it is passed (each round adds
    nodes, so a huge ``rounds`` stops early too).
    """
    p, k = instance.protocol, instance.num_senders
    n, counts = p.alice_messages, [len(s.messages) for s in instance.senders]
    vectors = n**k
    per_vector = sum(prod(counts[:i]) for i in range(k))  # sender nodes after one vector
    grow = vectors * prod(counts)
    cells, alice_features, sender_features = _present(instance)
    talk = nodes = 0  # transcripts where Alice talks, and nodes per chance outcome
    transcripts = 1
    for _ in range(p.rounds):
        talk += transcripts
        nodes += transcripts * (1 + vectors * per_vector)
        transcripts *= grow
        if cap is not None and 1 + cells * nodes > cap:
            return None
    nodes = 1 + cells * (nodes + transcripts * (1 + instance.num_actions))
    if cap is not None and nodes > cap:
        return None
    histories = tuple(sum(n**r * m ** (r - 1) for r in range(1, p.rounds + 1)) for m in counts)
    return ConversationSizes(
        rounds=p.rounds,
        chance_outcomes=cells,
        transcripts=transcripts,
        sender_histories=histories,
        alice_information_sets=alice_features * (talk + transcripts),
        sender_information_sets=tuple(sender_features * h for h in histories),
        nodes=nodes,
        leaves=cells * transcripts * instance.num_actions,
    )


def check_conversation_size(
    instance: Instance, source: str, path: str = "$.protocol"
) -> ConversationSizes:
    """The sizes of ``instance``'s conversation game, refusing (one line naming ``source``,
    ``path`` and :data:`~persuasion.limits.MAX_CONVERSATION_NODES`) a game with more nodes."""
    sizes = conversation_sizes(instance, cap=MAX_CONVERSATION_NODES)
    if sizes is None:
        p = instance.protocol
        shape = (
            f"{show(p.rounds, 24)} round(s), {show(p.alice_messages, 24)} Alice message(s), "
            "message counts "
            + " * ".join(str(len(s.messages)) for s in instance.senders[:8])
            + (" * ..." if instance.num_senders > 8 else "")
        )
        raise InputError(
            source,
            beyond(
                f"the conversation game has more than {MAX_CONVERSATION_NODES} nodes ({shape})",
                MAX_CONVERSATION_NODES,
            ),
            path,
        )
    return sizes


def check_history_count(instance: Instance, sender: int, source: str, path: str) -> int:
    """How many private histories ``sender`` answers on, ``sum_{r=1..R} n^r |M_i|^(r-1)``,
    refusing (one line naming ``source``, ``path`` and
    :data:`~persuasion.limits.MAX_CONVERSATION_NODES`) more: a rule keyed by history has at
    most that many rows, and reading one walks them (:mod:`persuasion.profile`)."""
    p = instance.protocol
    grow = p.alice_messages * len(instance.senders[sender].messages)
    total, level = 0, p.alice_messages
    for _ in range(p.rounds):  # each round adds a history at least: stops within the limit
        total += level
        if total > MAX_CONVERSATION_NODES:
            what = f"sender {instance.senders[sender].name!r} answers on more than "
            raise InputError(
                source,
                beyond(what + f"{MAX_CONVERSATION_NODES} histories", MAX_CONVERSATION_NODES),
                path,
            )
        level *= grow
    return total
